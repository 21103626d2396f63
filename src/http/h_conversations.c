/*
 * The signed-in user's conversations.
 *
 * GET    /api/conversations?limit&cursor&archived&q&from&to -> a page
 * POST   /api/conversations {"title"?}                     -> 201 the conversation
 * GET    /api/conversations/{id}                            -> with its messages
 * PATCH  /api/conversations/{id} {"title"?, "archived"?}    -> the conversation
 * DELETE /api/conversations/{id}                            -> 204 (audited)
 *
 * Another user's conversation, a missing one and an {id} that is not a
 * UUID all answer the same 404: nothing tells them apart.
 */
#include "config.h"

#include <string.h>

#include "auth/session.h"
#include "db/conversations.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "util/text.h"

#define LIST_DEFAULT 20
#define LIST_MAX 100
#define QUERY_MAX_BYTES 200

static void not_found(struct request *req)
{
    resp_error(req, 404, "not_found", "no such conversation");
}

/* Returns the {id} route parameter when it is a UUID; otherwise answers
 * 404 and returns NULL. */
static const char *conversation_id(struct request *req)
{
    const char *id = request_param(req, "id");

    if (id == NULL || !is_uuid(id)) {
        not_found(req);
        return NULL;
    }
    return id;
}

/* Reads the query of GET /api/conversations into q.  Returns false after
 * setting a 400. */
static bool list_query(struct request *req, struct conv_query *q, char from[11], char to[11])
{
    static const char *const params[] = {"limit", "cursor", "archived", "q", "from", "to", NULL};
    static const char *const archived[] = {"false", "true", "all", NULL};
    const char *cursor, *words;
    bool has_from, has_to;

    memset(q, 0, sizeof(*q));
    if (!query_only_params(req, params)
        || !query_int(req, "limit", 1, LIST_MAX, LIST_DEFAULT, &q->limit)
        || !query_enum(req, "archived", archived, "false", &q->archived)
        || !query_date(req, "from", from, &has_from) || !query_date(req, "to", to, &has_to))
        return false;
    if (has_from && has_to && strcmp(from, to) > 0) {
        resp_error(req, 400, "invalid_parameter", "from must not be after to");
        return false;
    }
    q->from = has_from ? from : NULL;
    q->to = has_to ? to : NULL;
    cursor = request_query(req, "cursor");
    if (cursor != NULL) {
        if (!cursor_decode(cursor, &q->after_usec, q->after_id)) {
            resp_error(req, 400, "invalid_parameter", "cursor is not one this server gave out");
            return false;
        }
        q->after = true;
    }
    words = request_query(req, "q");
    if (words != NULL && strlen(words) > QUERY_MAX_BYTES) {
        resp_error(req, 400, "invalid_parameter", "q must be at most %d bytes long",
                   QUERY_MAX_BYTES);
        return false;
    }
    /* An empty search box means no search. */
    if (words != NULL && words[strspn(words, " \t\r\n")] != '\0')
        q->q = words;
    return true;
}

void h_conversations_list(struct request *req)
{
    const struct auth_user *u = req->user;
    struct conv_query q;
    char from[11], to[11];
    json_object *out;

    if (!list_query(req, &q, from, to))
        return;
    out = conv_list(req->db, u->id, &q);
    if (out == NULL) {
        resp_db_unavailable(req);
        return;
    }
    resp_json(req, 200, out);
}

void h_conversations_create(struct request *req)
{
    static const char *const fields[] = {"title", NULL};
    const struct auth_user *u = req->user;
    json_object *body = body_optional(req), *out;
    const char *title;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_text(req, body, "title", 0, CONV_TITLE_MAX, false, false, &title))
        return;
    out = conv_create(req->db, u->id, title ? title : "");
    if (out == NULL) {
        resp_db_unavailable(req);
        return;
    }
    resp_json(req, 201, out);
}

void h_conversations_get(struct request *req)
{
    const struct auth_user *u = req->user;
    const char *id = conversation_id(req);
    enum db_status st;
    json_object *out;

    if (id == NULL)
        return;
    out = conv_get(req->db, u->id, id, true, &st);
    if (out == NULL) {
        (void)resp_db_status(req, st, "no such conversation");
        return;
    }
    resp_json(req, 200, out);
}

void h_conversations_patch(struct request *req)
{
    static const char *const fields[] = {"title", "archived", NULL};
    const struct auth_user *u = req->user;
    const char *id = conversation_id(req), *title;
    json_object *body, *out;
    bool archived = false, has_archived;
    enum db_status st;

    if (id == NULL)
        return;
    body = request_json(req);
    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_text(req, body, "title", 0, CONV_TITLE_MAX, false, false, &title)
        || !body_bool(req, body, "archived", &archived, &has_archived))
        return;
    if (title != NULL || has_archived) {
        st = conv_update(req->db, u->id, id, title, has_archived ? archived : -1);
        if (st != DB_OK) {
            (void)resp_db_status(req, st, "no such conversation");
            return;
        }
    }
    out = conv_get(req->db, u->id, id, false, &st);
    if (out == NULL) {
        (void)resp_db_status(req, st, "no such conversation");
        return;
    }
    resp_json(req, 200, out);
}

void h_conversations_delete(struct request *req)
{
    const struct auth_user *u = req->user;
    const char *id = conversation_id(req);
    enum db_status st;

    if (id == NULL)
        return;
    st = conv_delete(req->db, u->id, id, request_client_ip(req));
    if (st != DB_OK) {
        (void)resp_db_status(req, st, "no such conversation");
        return;
    }
    req->resp.status = 204;
}
