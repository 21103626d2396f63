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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/session.h"
#include "coach/pipeline.h"
#include "db/conversations.h"
#include "db/db.h"
#include "db/messages.h"
#include "db/ratelimit.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "util/arena.h"
#include "util/json.h"
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

/* True when the Accept header asks for text/event-stream. */
static bool wants_stream(const struct request *req)
{
    const char *accept = request_header(req, "accept");

    return accept != NULL && strcasestr(accept, "text/event-stream") != NULL;
}

/* The Idempotency-Key header, when there is one and it is 1 to
 * MSG_KEY_MAX visible ASCII characters; *bad after a 400 otherwise. */
static const char *idempotency_key(struct request *req, bool *bad)
{
    const char *key = request_header(req, "idempotency-key");
    size_t i;

    *bad = false;
    if (key == NULL)
        return NULL;
    for (i = 0; key[i] != '\0'; i++)
        if (i >= MSG_KEY_MAX || key[i] < '!' || key[i] > '~')
            break;
    if (i == 0 || key[i] != '\0') {
        resp_error(req, 400, "invalid_header",
                   "Idempotency-Key must be 1 to %d visible ASCII characters", MSG_KEY_MAX);
        *bad = true;
        return NULL;
    }
    return key;
}

/* Answers a retry whose question was answered already: the stored answer
 * (message, the message object of src/db/conv_sql.h) as the document, or
 * as meta and done events when streaming; "replayed": true. */
static void replay(struct request *req, json_object *message, const struct msg_keyed *k,
                   bool stream)
{
    static const char *const same[] = {"citations", "clarification", "domains",
                                       "grounded",  "mode",          "model"};
    json_object *doc = json_object_new_object(), *v;
    size_t i;

    json_object_object_get_ex(message, "type", &v);
    json_object_object_add(doc, "type", json_object_get(v));
    json_object_object_get_ex(message, "content", &v);
    json_object_object_add(doc, "answer", json_object_get(v));
    for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        if (json_object_object_get_ex(message, same[i], &v))
            json_object_object_add(doc, same[i], json_object_get(v));
    json_add_str(doc, "conversation_id", k->conversation_id);
    json_object_object_get_ex(message, "id", &v);
    json_object_object_add(doc, "message_id", json_object_get(v));
    json_object_object_add(doc, "replayed", json_object_new_boolean(1));
    if (!stream) {
        resp_json(req, 200, doc);
        return;
    }
    {
        json_object *meta = json_object_new_object(), *timings = json_object_new_object();
        json_add_str(meta, "conversation_id", k->conversation_id);
        json_object_object_get_ex(doc, "message_id", &v);
        json_object_object_add(meta, "message_id", json_object_get(v));
        json_add_str(meta, "user_message_id", k->question_id);
        json_object_object_get_ex(doc, "domains", &v);
        json_object_object_add(meta, "domains", json_object_get(v));
        json_object_object_get_ex(doc, "mode", &v);
        json_object_object_add(meta, "mode", json_object_get(v));
        json_object_object_get_ex(doc, "type", &v);
        json_object_object_add(meta, "type", json_object_get(v));
        json_object_object_add(meta, "replayed", json_object_new_boolean(1));
        (void)resp_sse_json(req, "meta", meta);
        json_object_object_get_ex(message, "ttft_ms", &v);
        json_object_object_add(timings, "ttft_ms", json_object_get(v));
        json_object_object_get_ex(message, "total_ms", &v);
        json_object_object_add(timings, "total_ms", json_object_get(v));
        json_object_object_add(doc, "timings", timings);
        (void)resp_sse_json(req, "done", doc);
    }
}

/* Names the saved question (and its conversation) in the error envelopes
 * that follow, so a client's retry continues it. */
static void error_names(struct request *req, const char *conv_id, const char *question_id)
{
    if (conv_id != NULL && conv_id[0] != '\0')
        req->resp.error_conversation_id = arena_strdup(&req->arena, conv_id);
    if (question_id != NULL && question_id[0] != '\0')
        req->resp.error_question_id = arena_strdup(&req->arena, question_id);
}

/* What the request may be, besides its body: the idempotency key's
 * outcome decides whether to answer at all.  Returns false after an
 * answer (a replay, a 409, an error); true to go on, with *retry_of and
 * *conv set when the key's question is to be answered again. */
static bool check_key(struct request *req, const char *key, const char **retry_of,
                      const char **conv)
{
    const struct auth_user *u = req->user;
    struct msg_keyed k;
    char retry[24];

    switch (msg_by_key(req->db, u->id, key, &k)) {
    case MSG_KEY_UNKNOWN: return true;
    case MSG_KEY_ANSWERED:
        replay(req, k.answer, &k, wants_stream(req));
        json_object_put(k.answer);
        return false;
    case MSG_KEY_PENDING:
        error_names(req, k.conversation_id, k.question_id);
        snprintf(retry, sizeof(retry), "%ld", k.retry_after);
        resp_error(req, 409, "in_progress",
                   "this question (the same Idempotency-Key) is being answered; its answer "
                   "will be in the conversation");
        resp_header(req, "Retry-After", retry);
        return false;
    case MSG_KEY_UNANSWERED:
        /* It failed or was interrupted: answered again, in place. */
        *retry_of = arena_strdup(&req->arena, k.question_id);
        *conv = arena_strdup(&req->arena, k.conversation_id);
        return true;
    case MSG_KEY_ERROR: break;
    }
    resp_db_unavailable(req);
    return false;
}

/* One question being asked: the state h_coach_ask()'s steps share.  The
 * strings are the request's (its JSON body, headers or arena). */
struct coach_ask_req {
    const char *raw;      /* the question as sent, or as saved for a retry */
    const char *conv;     /* conversation_id, or NULL */
    const char *retry_of; /* the saved question answered again, or NULL */
    const char *key;      /* the Idempotency-Key, or NULL */
};

/* Reads and checks the body and the Idempotency-Key into a; false after a
 * 400 or 404. */
static bool read_ask(struct request *req, struct coach_ask_req *a)
{
    static const char *const fields[] = {"question", "conversation_id", "retry_of", NULL};
    json_object *body = request_json(req);
    size_t chars;
    char *question;
    bool bad;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_text(req, body, "question", 0, (size_t)-1, true, true, &a->raw)
        || !body_string(req, body, "conversation_id", 0, 256, false, &a->conv)
        || !body_string(req, body, "retry_of", 0, 256, false, &a->retry_of))
        return false;
    a->key = idempotency_key(req, &bad);
    if (bad)
        return false;
    question = coach_question_trim(a->raw, &chars);
    free(question);
    if (chars < 1 || chars > COACH_QUESTION_MAX) {
        resp_error(req, 400, "invalid_field",
                   "field \"question\" must be 1 to %d characters long, without the white space "
                   "around it",
                   COACH_QUESTION_MAX);
        return false;
    }
    if (a->retry_of != NULL && a->conv == NULL) {
        resp_error(req, 400, "invalid_field", "field \"retry_of\" needs \"conversation_id\"");
        return false;
    }
    if ((a->conv != NULL && !is_uuid(a->conv)) || (a->retry_of != NULL && !is_uuid(a->retry_of))) {
        resp_error(req, 404, "not_found", "no such conversation");
        return false;
    }
    return true;
}

/* Decides whether the question is answered at all: the conversation is the
 * caller's, the Idempotency-Key's outcome, a retry's saved text, the
 * library and the rate limit.  False after an answer (an error, a replay,
 * a 409, a 429). */
static bool may_ask(struct request *req, struct coach_ask_req *a)
{
    const struct auth_user *u = req->user;
    enum db_status found;
    const char *stored;

    /* Whose conversation it is comes first: asking in someone else's (or
     * one that is gone) is a 404 that costs the asker nothing. */
    if (a->conv != NULL) {
        enum db_status owned;
        json_object *c = conv_get(req->db, u->id, a->conv, false, &owned);
        json_object_put(c);
        if (c == NULL) {
            (void)resp_db_status(req, owned, "no such conversation");
            return false;
        }
    }
    /* A retry of a request that got as far as saving its question: its
     * outcome, or the same question answered again, never a second one. */
    if (a->key != NULL && !check_key(req, a->key, &a->retry_of, &a->conv))
        return false;
    /* Answering a saved question again: its own text. */
    if (a->retry_of != NULL) {
        found = msg_question_text(req->db, &req->arena, u->id, a->conv, a->retry_of, &stored);
        if (!resp_db_status(req, found, "no such question in this conversation"))
            return false;
        a->raw = stored;
    }
    /* An empty library answers 409 and costs no question of the hourly
     * limit; a question answered again in place was counted when first
     * asked.  One round trip for both. */
    switch (ratelimit_coach_library(req, a->retry_of == NULL)) {
    case 0:
        resp_error(req, 409, "library_empty",
                   "the library has no books yet; an admin can add them under Admin, Library");
        return false;
    case -1: return false;
    }
    return true;
}

/* Sends what the coach's status st calls for; takes ans->doc when it is
 * the response. */
static void answer_status(struct request *req, enum coach_status st, struct coach_answer *ans)
{
    switch (st) {
    case COACH_OK:
        if (!req->resp.started) {
            resp_json(req, 200, ans->doc);
            ans->doc = NULL;
        }
        break;
    case COACH_NOT_FOUND: resp_error(req, 404, "not_found", "no such conversation"); break;
    case COACH_DB_ERROR: resp_db_unavailable(req); break;
    case COACH_CANCELLED:
        if (!req->resp.started)
            resp_error(req, 503, "cancelled", "the request was cancelled");
        break;
    case COACH_CONFLICT:
        resp_error(req, 409, "in_progress",
                   "this question is already answered or being answered (a request with the "
                   "same Idempotency-Key, or another retry)");
        break;
    case COACH_GONE:
        resp_error(req, 409, "conversation_deleted",
                   "the conversation was deleted while the coach answered in it");
        break;
    }
}

/* Asks the coach a's question (trimmed) into *ans, streaming its events
 * when the client asked for text/event-stream. */
static enum coach_status ask_coach(struct request *req, const struct coach_ask_req *a,
                                   struct coach_answer *ans)
{
    const struct auth_user *u = req->user;
    struct sse_sink sink = {.req = req, .last_write_ms = 0};
    const struct coach_events ev = {.send = sink_send, .gone = sink_gone, .ctx = &sink};
    size_t chars;
    char *question = coach_question_trim(a->raw, &chars); /* owned: freed here */
    const struct coach_request rq = {
        .user_id = u->id,
        .conversation_id = a->conv,
        .question = question,
        .key = a->retry_of == NULL ? a->key : NULL, /* a retry's key is already its question's */
        .retry_of = a->retry_of,
    };
    enum coach_status st = coach_ask(req->db, req->cfg, &rq, wants_stream(req) ? &ev : NULL, ans);

    free(question);
    return st;
}

void h_coach_ask(struct request *req)
{
    struct coach_ask_req a = {.raw = NULL, .conv = NULL, .retry_of = NULL, .key = NULL};
    struct coach_answer ans; /* filled by coach_ask(), freed here */
    enum coach_status st;

    if (!read_ask(req, &a) || !may_ask(req, &a))
        return;
    st = ask_coach(req, &a, &ans);
    error_names(req, ans.conversation_id, ans.question_id);
    answer_status(req, st, &ans);
    coach_answer_free(&ans);
}
