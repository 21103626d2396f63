/*
 * Feedback on the coach's answers, and the admins' review of flags.
 *
 * POST /api/messages/{id}/feedback {"rating":"up"|"down", "reasons"?,
 *      "comment"?, "flag"?}                    -> 200 the feedback
 *      Only on answers in the caller's own conversations (404 otherwise,
 *      400 not_an_answer on the caller's own question).  Each POST
 *      replaces rating, reasons and comment; reasons go with "down" only.
 *      "flag": true asks an admin to review the exchange (and re-opens a
 *      resolved flag), false withdraws it, absent leaves it.
 * GET  /api/admin/feedback?status=open|resolved|all&limit&cursor (admin)
 * POST /api/admin/feedback/{message_id}/resolve {"note"?}      (admin)
 */
#include "config.h"

#include <string.h>

#include "auth/session.h"
#include "db/feedback.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/text.h"

#define COMMENT_MAX 2000
#define NOTE_MAX 2000
#define LIST_DEFAULT 20
#define LIST_MAX 100

static const char *const reason_words[] = {"inaccurate",        "incomplete", "not_relevant",
                                           "missing_citations", "other",      NULL};

/* Writes the PostgreSQL array literal of n allowed words (no quoting
 * needed: they are plain lower-case words) into the request's arena. */
static const char *array_literal(struct request *req, const char **words, size_t n)
{
    struct buf b = BUF_INIT;
    const char *out;
    size_t i;

    buf_putc(&b, '{');
    for (i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i ? "," : "", words[i]);
    buf_putc(&b, '}');
    out = arena_strdup(&req->arena, buf_str(&b));
    buf_free(&b);
    return out;
}

void h_feedback_put(struct request *req)
{
    static const char *const fields[] = {"rating", "reasons", "comment", "flag", NULL};
    static const char *const ratings[] = {"up", "down", NULL};
    const struct auth_user *u = req->user;
    const char *id = route_uuid(req, "id", "message"), *rating, **reasons;
    struct feedback_input in;
    json_object *body, *out;
    bool flag = false, has_flag, has_reasons;
    enum db_status st;
    size_t nreasons, i;

    if (id == NULL)
        return;
    body = request_json(req);
    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "rating", 1, 8, true, &rating)
        || !body_string_set(req, body, "reasons", reason_words, &reasons, &nreasons, &has_reasons)
        || !body_text(req, body, "comment", 0, COMMENT_MAX, true, false, &in.comment)
        || !body_bool(req, body, "flag", &flag, &has_flag))
        return;
    for (i = 0; ratings[i] != NULL && strcmp(ratings[i], rating) != 0; i++)
        ;
    if (ratings[i] == NULL) {
        resp_error(req, 400, "invalid_field", "field \"rating\" must be \"up\" or \"down\"");
        return;
    }
    in.rating = i == 0 ? 1 : -1;
    if (in.rating > 0 && nreasons > 0) {
        resp_error(req, 400, "invalid_field", "reasons explain a thumbs down only");
        return;
    }
    in.reasons = array_literal(req, reasons, nreasons);
    in.flag = has_flag ? flag : -1;
    out = feedback_put(req->db, u->id, id, &in, &st);
    if (st == DB_OK) {
        resp_json(req, 200, out);
        return;
    }
    json_object_put(out);
    if (st == DB_INVALID)
        resp_error(req, 400, "not_an_answer", "feedback is given on the coach's answers only");
    else
        (void)resp_db_status(req, st, "no such message");
}

void h_admin_feedback_list(struct request *req)
{
    static const char *const params[] = {"status", "limit", "cursor", NULL};
    static const char *const statuses[] = {"open", "resolved", "all", NULL};
    const struct auth_user *u = req->user;
    struct feedback_query q;
    const char *cursor;
    json_object *out;

    memset(&q, 0, sizeof(q));
    q.viewer_id = u->id;
    if (!query_only_params(req, params) || !query_enum(req, "status", statuses, "open", &q.status)
        || !query_int(req, "limit", 1, LIST_MAX, LIST_DEFAULT, &q.limit))
        return;
    cursor = request_query(req, "cursor");
    if (cursor != NULL) {
        if (!cursor_decode(cursor, &q.after_usec, q.after_id)) {
            resp_error(req, 400, "invalid_parameter", "cursor is not one this server gave out");
            return;
        }
        q.after = true;
    }
    out = feedback_flagged_list(req->db, &q);
    if (out == NULL) {
        resp_db_unavailable(req);
        return;
    }
    resp_json(req, 200, out);
}

void h_admin_feedback_resolve(struct request *req)
{
    static const char *const fields[] = {"note", NULL};
    const struct auth_user *u = req->user;
    const char *id = route_uuid(req, "message_id", "flagged feedback"), *note;
    json_object *body, *item;
    enum db_status st;

    if (id == NULL)
        return;
    body = body_optional(req);
    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_text(req, body, "note", 0, NOTE_MAX, true, false, &note))
        return;
    st = feedback_resolve(req->db, u->id, id, note, request_client_ip(req), &item);
    if (st == DB_OK)
        resp_json(req, 200, item);
    else if (st == DB_CONFLICT)
        resp_error(req, 409, "already_resolved", "this flag was resolved already");
    else
        (void)resp_db_status(req, st, "no such flagged feedback");
}
