/*
 * Sessions as the HTTP layer sees them, and the router guard; see session.h.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "auth/session.h"
#include "auth/token.h"
#include "db/sessions.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "http/session.h"
#include "util/arena.h"
#include "util/cfg.h"
#include "util/text.h"
#include "util/url.h"

/* Sets the session cookie (value "" with Max-Age=0 clears it). */
static void set_cookie(struct request *req, const char *value)
{
    const struct config *cfg = req->cfg;
    char *line = arena_printf(
        &req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", session_cookie_name(cfg), value,
        session_cookie_secure(cfg) ? "; Secure" : "", value[0] == '\0' ? "; Max-Age=0" : "");

    resp_header(req, "Set-Cookie", line);
}

const char *session_create(struct request *req, const char *user_id)
{
    char token[TOKEN_LEN + 1], hash[SHA256_HEX_LEN + 1], csrf[TOKEN_LEN + 1];
    const char *ua = request_header(req, "user-agent");
    /* At most 300 bytes of it, cut at a character boundary (arena_strndup
     * copies exactly n bytes: never more than the string has). */
    char *ua_short = ua ? arena_strndup(&req->arena, ua, utf8_clip(ua, 300)) : NULL;
    const struct config *cfg = req->cfg;

    if (req->db == NULL || !token_new(token) || !token_new(csrf) || !token_digest(token, hash)) {
        resp_error(req, 500, "internal", "could not start a session");
        return NULL;
    }
    if (!resp_db_status(req,
                        session_insert(req->db, hash, user_id, csrf, (long long)cfg->session_max,
                                       (long long)cfg->session_idle,
                                       (long long)cfg->sessions_per_user, request_client_ip(req),
                                       ua_short),
                        ""))
        return NULL;
    set_cookie(req, token);
    return arena_strdup(&req->arena, csrf);
}

enum db_status session_load(struct request *req)
{
    const char *cookie = request_cookie(req, session_cookie_name(req->cfg));
    char hash[SHA256_HEX_LEN + 1];
    struct session_row row;
    enum db_status st;
    struct auth_user *u;

    if (req->user != NULL)
        return DB_OK;
    if (cookie == NULL || !token_well_formed(cookie) || !token_digest(cookie, hash))
        return DB_NOT_FOUND;
    if (req->db == NULL)
        return DB_ERROR;
    st = session_find(req->db, &req->arena, hash, (long long)req->cfg->session_idle, &row);
    if (st != DB_OK)
        return st;
    u = arena_alloc(&req->arena, sizeof(*u));
    u->id = row.user_id;
    u->email = row.email;
    u->name = row.name;
    u->role_name = row.role;
    u->role = role_parse(u->role_name);
    u->org_id = row.org_id;
    u->csrf_token = row.csrf_token;
    u->session_hash = arena_strdup(&req->arena, hash);
    req->user = u;
    return DB_OK;
}

void session_destroy(struct request *req)
{
    const struct auth_user *u = req->user;

    /* A loaded session came from the database: req->db is set. */
    if (u != NULL)
        session_delete(req->db, u->session_hash);
    set_cookie(req, "");
}

/* True when the request's Origin (if any) is ours and it was not sent
 * cross-site; otherwise sets 403 bad_origin saying what was expected and
 * what arrived.  Requests without Origin (curl, server-to-server) pass on
 * to the token check.  Ours is PLCCOACH_PUBLIC_URL's origin; when that is
 * plain HTTP on a loopback name, localhost, 127.0.0.1 and [::1] at the
 * same port are one origin (one server, whichever name the browser was
 * given); elsewhere the match is exact. */
static bool origin_ok(struct request *req)
{
    const char *origin = request_header(req, "origin");
    const char *site = request_header(req, "sec-fetch-site");
    const char *ours = req->cfg->public_url;
    size_t n = url_origin_len(ours);

    if (origin != NULL && !(strlen(origin) == n && strncasecmp(origin, ours, n) == 0)
        && !(url_is_loopback_http(ours)
             && url_loopback_same_port(origin, strlen(origin), ours, n))) {
        resp_error(req, 403, "bad_origin",
                   "this request came from another site: expected Origin %.*s, got %.100s; "
                   "if the browser's address is right, set PLCCOACH_PUBLIC_URL to it",
                   (int)n, ours, origin);
        return false;
    }
    if (site != NULL && strcmp(site, "cross-site") == 0) {
        resp_error(req, 403, "bad_origin",
                   "this request came from another site (Sec-Fetch-Site: cross-site); "
                   "expected a page of %.*s (PLCCOACH_PUBLIC_URL)",
                   (int)n, ours);
        return false;
    }
    return true;
}

bool auth_guard(struct request *req, const struct route *route)
{
    const struct auth_user *u;
    enum db_status st;

    if (route->flags & ROUTE_CSRF) {
        if (!origin_ok(req))
            return false;
    }
    if ((route->flags & ROUTE_AUTH) == 0)
        return true;
    st = session_load(req);
    if (st == DB_NOT_FOUND) {
        resp_error(req, 401, "unauthenticated", "sign in first");
        return false;
    }
    if (!resp_db_status(req, st, ""))
        return false;
    u = req->user;
    if (route->role != ROLE_ANY && u->role < route->role) {
        resp_error(req, 403, "forbidden", "your role does not allow this");
        return false;
    }
    if (route->flags & ROUTE_CSRF) {
        const char *sent = request_header(req, "x-csrf-token");
        if (sent == NULL || !token_equal(sent, u->csrf_token)) {
            resp_error(req, 403, "csrf", "missing or wrong X-CSRF-Token header");
            return false;
        }
    }
    return true;
}
