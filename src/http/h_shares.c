/*
 * View-only share links.
 *
 * POST   /api/conversations/{id}/shares {"expires_in_days"?: 1..365,
 *        "live"?: bool} -> 201 {id, token, url, created_at, expires_at,
 *        live}; the token is shown here only (the database keeps its
 *        SHA-256).  A live link shows the conversation as it grows, a
 *        snapshot (the default) what it held when the link was made.
 * GET    /api/conversations/{id}/shares -> {"shares": [...]} (no tokens)
 * DELETE /api/conversations/{id}/shares/{share_id} -> 204
 * GET    /api/shared/{token} -> the shared view.  Signed-in users only,
 *        unless PLCCOACH_SHARE_PUBLIC; unknown, expired and revoked
 *        tokens all answer the same 404.
 * GET    /api/shared/{token}/about -> {title, shared_by: {name},
 *        created_at, expires_at}, to anyone holding the link: what the
 *        sign-in page tells a recipient who is not signed in.
 *        Both GETs: PLCCOACH_SHARE_LINK_LIMIT look-ups per client address
 *        per minute (429 beyond), counted with the other routes under
 *        /api/shared/{token}/ (exports, cited pages: http/viewer.c).
 * POST   /api/shared/{token}/copy -> 201 {conversation_id}: the shared
 *        messages copied into a new conversation of the caller (audited).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "auth/token.h"
#include "db/shares.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/session.h"
#include "http/validate.h"
#include "http/viewer.h"
#include "util/arena.h"
#include "util/cfg.h"
#include "util/text.h"

/* What a link that cannot be seen answers, whether unknown, expired or
 * revoked: the same 404 for all three. */
#define LINK_GONE "this link does not exist, has expired or was revoked"

/* Returns PLCCOACH_PUBLIC_URL + "/shared/" + token, in the arena. */
static const char *share_url(struct request *req, const char *token)
{
    const char *base = req->cfg->public_url;
    size_t n = strlen(base);

    while (n > 0 && base[n - 1] == '/')
        n--;
    return arena_printf(&req->arena, "%.*s/shared/%s", (int)n, base, token);
}

void h_shares_create(struct request *req)
{
    static const char *const fields[] = {"expires_in_days", "live", NULL};
    const struct auth_user *u = req->user;
    const char *id = route_uuid(req, "id", "conversation");
    char token[TOKEN_LEN + 1], hash[SHA256_HEX_LEN + 1];
    int64_t days = 0;
    bool has_days, live = false, has_live;
    json_object *body, *row, *out, *v;

    if (id == NULL)
        return;
    body = body_optional(req);
    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_int(req, body, "expires_in_days", 1, SHARE_MAX_DAYS, &days, &has_days)
        || !body_bool(req, body, "live", &live, &has_live))
        return;
    if (!token_new(token) || !token_digest(token, hash)) {
        resp_error(req, 500, "internal", "could not make a share link");
        return;
    }
    if (!resp_db_status(req,
                        share_create(req->db, u->id, id, hash, has_days ? days : 0, live,
                                     request_client_ip(req), &row),
                        "no such conversation"))
        return;
    out = json_object_new_object();
    json_object_object_get_ex(row, "id", &v);
    json_object_object_add(out, "id", json_object_get(v));
    json_object_object_add(out, "token", json_object_new_string(token));
    json_object_object_add(out, "url", json_object_new_string(share_url(req, token)));
    json_object_object_get_ex(row, "created_at", &v);
    json_object_object_add(out, "created_at", json_object_get(v));
    json_object_object_get_ex(row, "expires_at", &v);
    json_object_object_add(out, "expires_at", json_object_get(v));
    json_object_object_get_ex(row, "live", &v);
    json_object_object_add(out, "live", json_object_get(v));
    json_object_put(row);
    resp_json(req, 201, out);
}

void h_shares_list(struct request *req)
{
    const struct auth_user *u = req->user;
    const char *id = route_uuid(req, "id", "conversation");
    json_object *list, *out;

    if (id == NULL)
        return;
    if (!resp_db_status(req, share_list(req->db, u->id, id, &list), "no such conversation"))
        return;
    out = json_object_new_object();
    json_object_object_add(out, "shares", list);
    resp_json(req, 200, out);
}

void h_shares_revoke(struct request *req)
{
    const struct auth_user *u = req->user;
    const char *id = route_uuid(req, "id", "conversation"), *share_id;

    if (id == NULL || (share_id = route_uuid(req, "share_id", "share")) == NULL)
        return;
    if (resp_db_status(req, share_revoke(req->db, u->id, id, share_id, request_client_ip(req)),
                       "no such share"))
        req->resp.status = 204;
}

/* The token of a /api/shared/{token}/... path as its digest in hash, or
 * false after a 404 (a malformed token is an unknown one).  It asks no
 * database: the public views' next step, viewer_share_throttle(), answers
 * 503 without one, and the copy is a signed-in route (http/router.h). */
static bool token_hash(struct request *req, char hash[SHA256_HEX_LEN + 1])
{
    const char *token = request_param(req, "token");

    if (token == NULL || !token_well_formed(token) || !token_digest(token, hash)) {
        resp_error(req, 404, "not_found", "%s", LINK_GONE);
        return false;
    }
    return true;
}

/* Answers the view of the share in the path: with its messages, or only
 * who shared what (with_messages false). */
static void answer_view(struct request *req, bool with_messages)
{
    char hash[SHA256_HEX_LEN + 1];
    enum db_status st;
    json_object *out;

    /* A malformed token is answered before the limit is counted: it
     * never reaches the database, so it can teach nothing about tokens. */
    if (!token_hash(req, hash) || !viewer_share_throttle(req))
        return;
    out = share_view(req->db, hash, with_messages, &st);
    if (out == NULL) {
        (void)resp_db_status(req, st == DB_OK ? DB_ERROR : st, LINK_GONE);
        return;
    }
    resp_json(req, 200, out);
}

void h_shared_get(struct request *req)
{
    enum db_status st;

    /* Sign-in first, so that an anonymous caller learns nothing about
     * which tokens exist. */
    if (!req->cfg->share_public) {
        st = session_load(req);
        if (st == DB_NOT_FOUND) {
            resp_error(req, 401, "unauthenticated", "sign in to see this shared conversation");
            return;
        }
        if (!resp_db_status(req, st, ""))
            return;
    }
    answer_view(req, true);
}

void h_shared_about(struct request *req)
{
    answer_view(req, false);
}

void h_shared_copy(struct request *req)
{
    const struct auth_user *u = req->user;
    char hash[SHA256_HEX_LEN + 1], *conv_id = NULL;
    json_object *out;

    if (!token_hash(req, hash))
        return;
    if (!resp_db_status(req, share_copy(req->db, u->id, hash, request_client_ip(req), &conv_id),
                        LINK_GONE))
        return;
    out = json_object_new_object();
    json_object_object_add(out, "conversation_id", json_object_new_string(conv_id));
    free(conv_id);
    resp_json(req, 201, out);
}
