/*
 * POST /api/coach/ask {"question", "conversation_id"?}: the coach
 * (src/coach/pipeline.h).  Signed in, CSRF-checked, rate limited per user
 * (PLCCOACH_COACH_RATE_LIMIT per hour).
 *
 * With Accept: text/event-stream the answer streams as server-sent events
 * (meta, citation, delta, done, error); otherwise one JSON document.
 * Everything that can be refused is refused before the stream starts, as
 * a JSON error: a bad body (400), a conversation_id that is not one of the
 * caller's conversations, or not a UUID at all (404, checked before the
 * rate limit takes anything), an empty library
 * (409 library_empty: nothing could be grounded; not counted against the
 * rate limit), the rate limit (429), the database (503).
 *
 * A browser that goes away is noticed by a failed write: each event is
 * flushed as it is sent, and while the model is silent (before its first
 * token, or stalled) an SSE comment line ":" is written every
 * COACH_KEEPALIVE_MS; when nginx has closed the connection the write
 * fails, and the pipeline cancels the model request.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/session.h"
#include "coach/pipeline.h"
#include "db/conversations.h"
#include "db/db.h"
#include "db/ratelimit.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "util/text.h"

#define COACH_KEEPALIVE_MS 250

struct sse_sink {
    struct request *req;
    int64_t last_write_ms;
};

static bool sink_send(void *ctx, const char *event, json_object *data)
{
    struct sse_sink *s = ctx;
    bool ok = resp_sse_json(s->req, event, data);

    s->last_write_ms = now_ms();
    return ok;
}

static bool sink_gone(void *ctx)
{
    struct sse_sink *s = ctx;
    struct request *req = s->req;
    int64_t now;

    if (!req->resp.started)
        return false;
    if (req->resp.client_gone)
        return true;
    now = now_ms();
    if (now - s->last_write_ms < COACH_KEEPALIVE_MS)
        return false;
    s->last_write_ms = now;
    if (!req->io.write(req->io.ctx, ":\n\n", 3) || !req->io.flush(req->io.ctx))
        req->resp.client_gone = true;
    return req->resp.client_gone;
}

/* Returns 1 when the library holds at least one passage, 0 when it is
 * empty (a new install before its first book), -1 when the database
 * failed. */
static int library_state(struct db *db)
{
    PGresult *r = db_exec(db, "SELECT EXISTS (SELECT 1 FROM chunks)", 0, NULL, true);
    int st = r == NULL ? -1 : strcmp(PQgetvalue(r, 0, 0), "t") == 0;

    PQclear(r);
    return st;
}

/* True when the Accept header asks for text/event-stream. */
static bool wants_stream(const struct request *req)
{
    const char *accept = request_header(req, "accept");

    return accept != NULL && strcasestr(accept, "text/event-stream") != NULL;
}

void h_coach_ask(struct request *req)
{
    static const char *const fields[] = {"question", "conversation_id", NULL};
    const struct auth_user *u = req->user;
    json_object *body = request_json(req);
    const char *raw, *conv;
    struct coach_request rq;
    struct coach_answer ans;
    struct sse_sink sink = {req, 0};
    const struct coach_events ev = {sink_send, sink_gone, &sink};
    enum coach_status st;
    size_t chars;
    char *question;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_text(req, body, "question", 0, (size_t)-1, true, true, &raw)
        || !body_string(req, body, "conversation_id", 0, 256, false, &conv))
        return;
    question = coach_question_trim(raw, &chars);
    if (chars < 1 || chars > COACH_QUESTION_MAX) {
        free(question);
        resp_error(req, 400, "invalid_field",
                   "field \"question\" must be 1 to %d characters long, without the white space "
                   "around it",
                   COACH_QUESTION_MAX);
        return;
    }
    if (conv != NULL && !is_uuid(conv)) {
        free(question);
        resp_error(req, 404, "not_found", "no such conversation");
        return;
    }
    if (req->db == NULL) {
        free(question);
        resp_db_unavailable(req);
        return;
    }
    /* Whose conversation it is comes first: asking in someone else's (or
     * one that is gone) is a 404 that costs the asker nothing. */
    if (conv != NULL) {
        enum store_result owned;
        json_object *c = conv_get(req->db, u->id, conv, false, &owned);
        json_object_put(c);
        if (c == NULL) {
            free(question);
            if (owned == STORE_NOT_FOUND)
                resp_error(req, 404, "not_found", "no such conversation");
            else
                resp_db_unavailable(req);
            return;
        }
    }
    switch (library_state(req->db)) {
    case 0:
        free(question);
        resp_error(req, 409, "library_empty",
                   "the library has no books yet; an admin can add them under Admin, Library");
        return;
    case -1:
        free(question);
        resp_db_unavailable(req);
        return;
    }
    if (!ratelimit_coach(req)) {
        free(question);
        return;
    }
    memset(&rq, 0, sizeof(rq));
    rq.user_id = u->id;
    rq.conversation_id = conv;
    rq.question = question;
    st = coach_ask(req->db, req->cfg, &rq, wants_stream(req) ? &ev : NULL, &ans);
    free(question);
    switch (st) {
    case COACH_OK:
        if (!req->resp.started) {
            resp_json(req, 200, ans.doc);
            ans.doc = NULL;
        }
        break;
    case COACH_NOT_FOUND: resp_error(req, 404, "not_found", "no such conversation"); break;
    case COACH_DB_ERROR: resp_db_unavailable(req); break;
    case COACH_CANCELLED:
        if (!req->resp.started)
            resp_error(req, 503, "cancelled", "the request was cancelled");
        break;
    }
    coach_answer_free(&ans);
}
