/*
 * The coach's rate limit as HTTP: 429 with Retry-After; see handlers.h.
 */
#include "config.h"

#include <stdio.h>

#include "auth/session.h"
#include "db/ratelimit.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "util/cfg.h"

bool ratelimit_coach(struct request *req)
{
    const struct auth_user *u = req->user;
    long retry = 0;
    char header[24];

    switch (
        ratelimit_take(req->db, u->id, "coach", (long)req->cfg->coach_rate_limit, 3600, &retry)) {
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
