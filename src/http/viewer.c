/*
 * Viewers of derived files; see viewer.h.
 */
#include "config.h"

#include <stdio.h>

#include "auth/session.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/session.h"
#include "http/viewer.h"
#include "util/cfg.h"

void viewer_owner(struct request *req, struct exp_viewer *v)
{
    const struct auth_user *u = req->user;

    v->user_id = u != NULL ? u->id : NULL;
    v->share_hash = NULL;
}

bool viewer_share_throttle(struct request *req)
{
    const char *ip = request_client_ip(req);
    char key[96];

    snprintf(key, sizeof(key), "shared/ip/%s", ip != NULL ? ip : "-");
    return ratelimit_key(req, key, (long)req->cfg->share_link_limit, 60, "shared links opened");
}

bool viewer_share(struct request *req, char hash[SHA256_HEX_LEN + 1], struct exp_viewer *v,
                  bool change)
{
    const char *token = request_param(req, "token");
    const struct auth_user *u;
    enum db_status st;

    v->user_id = NULL;
    v->share_hash = NULL;
    /* Sign-in first, so that a signed-out caller learns nothing about
     * which tokens exist. */
    st = session_load(req);
    if (st == DB_NOT_FOUND && !req->cfg->share_public) {
        resp_error(req, 401, "unauthenticated", "sign in to use this shared conversation");
        return false;
    }
    if (st != DB_NOT_FOUND && !resp_db_status(req, st, ""))
        return false;
    u = req->user;
    if (change && u != NULL) {
        const char *sent = request_header(req, "x-csrf-token");
        if (sent == NULL || !token_equal(sent, u->csrf_token)) {
            resp_error(req, 403, "csrf", "missing or wrong X-CSRF-Token header");
            return false;
        }
    }
    if (token == NULL || !token_well_formed(token) || !token_digest(token, hash)) {
        resp_error(req, 404, "not_found", "this link does not exist, has expired or was revoked");
        return false;
    }
    /* Only a well-formed token counts against the limit: a malformed one
     * never reaches the database. */
    if (!viewer_share_throttle(req))
        return false;
    v->user_id = u != NULL ? u->id : NULL;
    v->share_hash = hash;
    return true;
}
