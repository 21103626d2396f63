/*
 * POST /api/client-errors: the web app reports an uncaught browser error so
 * that operators see it in the same log stream as server errors.
 *
 * Body: {"message": string (required), "url": string, "stack": string,
 * "component": string}.  Fields are size-limited; any other field, or a
 * field of the wrong type, is a 400.  Answers 202 {"accepted": true,
 * "logged": bool}.
 *
 * Anyone may call it (a browser that cannot sign in must still be able to
 * say why), so it is bounded three ways: PLCCOACH_CLIENT_ERROR_LIMIT
 * reports per minute per client address and per session cookie (429 with
 * Retry-After beyond, nothing logged); the same error (message, component
 * and the first line of the stack) is logged once per CLIENT_ERROR_WINDOW_S,
 * the next line saying how many repeats were dropped; and a logged line
 * keeps at most LOG_*_MAX bytes of each field (about 3 kB in all), marked
 * "truncated".  Share tokens are redacted by the log itself (util/log.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "auth/session.h"
#include "auth/token.h"
#include "db/client_errors.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/sha256.h"
#include "util/text.h"

#define CLIENT_ERROR_WINDOW_S 600
#define LOG_MESSAGE_MAX 500
#define LOG_URL_MAX 300
#define LOG_STACK_MAX 2000
#define LOG_COMPONENT_MAX 100

/* Takes one unit of the limit keyed by kind/value; false after a 429 or
 * 503. */
static bool take(struct request *req, const char *kind, const char *value)
{
    char key[160];

    snprintf(key, sizeof(key), "client-errors/%s/%s", kind, value);
    return ratelimit_key(req, key, (long)req->cfg->client_error_limit, 60, "error reports");
}

/* s cut to at most max bytes at a character boundary (an arena copy when
 * cut; NULL stays NULL); sets *cut when it was. */
static const char *clip(struct request *req, const char *s, size_t max, bool *cut)
{
    size_t n;

    if (s == NULL || strlen(s) <= max)
        return s;
    n = utf8_clip(s, max);
    *cut = true;
    return arena_strndup(&req->arena, s, n);
}

void h_client_errors(struct request *req)
{
    static const char *const fields[] = {"message", "url", "stack", "component", NULL};
    const char *message, *url, *stack, *component, *cookie;
    char digest[SHA256_HEX_LEN + 1];
    json_object *body = request_json(req), *o;
    struct buf id = BUF_INIT;
    bool log_it = false, cut = false;
    long repeats = 0;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "message", 1, 2000, true, &message)
        || !body_string(req, body, "url", 0, 2000, false, &url)
        || !body_string(req, body, "stack", 0, 8000, false, &stack)
        || !body_string(req, body, "component", 0, 200, false, &component))
        return;
    /* take() answers 503 when the worker has no database. */
    if (!take(req, "ip", request_client_ip(req) ? request_client_ip(req) : "unknown"))
        return;
    cookie = request_cookie(req, session_cookie_name(req->cfg));
    if (cookie != NULL && token_well_formed(cookie) && token_digest(cookie, digest)
        && !take(req, "session", digest))
        return;

    /* The same error: its message, component and the stack's first line. */
    buf_printf(&id, "%s\n%s\n%.*s", message, component ? component : "",
               stack ? (int)strcspn(stack, "\n") : 0, stack ? stack : "");
    if (!sha256_hex(id.data, id.len, digest)
        || client_error_seen(req->db, digest, CLIENT_ERROR_WINDOW_S, &log_it, &repeats) != DB_OK) {
        buf_free(&id);
        resp_db_unavailable(req);
        return;
    }
    buf_free(&id);
    if (log_it) {
        message = clip(req, message, LOG_MESSAGE_MAX, &cut);
        url = clip(req, url, LOG_URL_MAX, &cut);
        stack = clip(req, stack, LOG_STACK_MAX, &cut);
        component = clip(req, component, LOG_COMPONENT_MAX, &cut);
        LOG_FIELDS(LOG_WARN, "client error", LF_STR("client_message", message), LF_STR("url", url),
                   LF_STR("stack", stack), LF_STR("component", component),
                   LF_INT("repeats_dropped", repeats), LF_INT("truncated", cut));
    }
    o = json_object_new_object();
    json_object_object_add(o, "accepted", json_object_new_boolean(1));
    json_object_object_add(o, "logged", json_object_new_boolean(log_it));
    resp_json(req, 202, o);
}
