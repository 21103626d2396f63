/*
 * Rate limits as HTTP: 429 with Retry-After; see handlers.h.
 */
#include "config.h"

#include <stdio.h>

#include "auth/session.h"
#include "db/ratelimit.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "util/cfg.h"

/* Answers the request after a take that did not allow it (429 with
 * Retry-After, or 503); true when it did. */
static bool coach_allowed(struct request *req, enum ratelimit_result r, long retry)
{
    char header[24];

    switch (r) {
    case RATE_OK: return true;
    case RATE_LIMITED:
        snprintf(header, sizeof(header), "%ld", retry);
        resp_error(req, 429, "rate_limited",
                   "you have asked %lld questions in the last hour; try again in %ld seconds",
                   (long long)req->cfg->coach_rate_limit, retry);
        resp_header(req, "Retry-After", header);
        return false;
    case RATE_ERROR: break;
    }
    resp_db_unavailable(req);
    return false;
}

bool ratelimit_coach(struct request *req)
{
    const struct auth_user *u = req->user;
    long retry = 0;
    enum ratelimit_result r =
        ratelimit_take(req->db, u->id, "coach", (long)req->cfg->coach_rate_limit, 3600, &retry);

    return coach_allowed(req, r, retry);
}

int ratelimit_coach_library(struct request *req, bool take)
{
    const struct auth_user *u = req->user;
    long retry = 0;
    bool has = false;
    enum ratelimit_result r = ratelimit_coach_library_take(
        req->db, u->id, (long)req->cfg->coach_rate_limit, take, &has, &retry);

    if (r == RATE_ERROR) {
        resp_db_unavailable(req);
        return -1;
    }
    if (!has)
        return 0;
    return coach_allowed(req, r, retry) ? 1 : -1;
}

bool ratelimit_key(struct request *req, const char *key, long limit, long window_s,
                   const char *what)
{
    char header[24];
    long retry = 0;

    if (req->db == NULL) {
        resp_db_unavailable(req);
        return false;
    }
    switch (ratelimit_take_key(req->db, key, limit, window_s, &retry)) {
    case RATE_OK: return true;
    case RATE_LIMITED:
        snprintf(header, sizeof(header), "%ld", retry);
        resp_error(req, 429, "rate_limited", "too many %s from here; try again in %ld seconds",
                   what, retry);
        resp_header(req, "Retry-After", header);
        return false;
    case RATE_ERROR: break;
    }
    resp_db_unavailable(req);
    return false;
}
