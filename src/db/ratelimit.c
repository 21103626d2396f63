/*
 * Rate limits; see ratelimit.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/db.h"
#include "db/ratelimit.h"

/* Runs sql (one of the rate_take functions) with params and reads its
 * (allowed, retry_after) row. */
static enum ratelimit_result take(struct db *db, const char *sql, int n, const char *const *params,
                                  long *retry_after)
{
    PGresult *res;
    enum ratelimit_result result;

    *retry_after = 0;
    /* Sent again when its connection was lost (a database restart catching
     * it in flight): a take that did commit is then counted twice, one
     * question of the window's quota, which is better than failing the
     * question (docs/operations.md, "A short database restart"). */
    res = db_exec(db, sql, n, params, true);
    if (res == NULL)
        return RATE_ERROR;
    if (PQgetvalue(res, 0, 0)[0] == 't') {
        result = RATE_OK;
    } else {
        result = RATE_LIMITED;
        *retry_after = db_value(res, 0, 1) ? strtol(PQgetvalue(res, 0, 1), NULL, 10) : 1;
    }
    PQclear(res);
    return result;
}

enum ratelimit_result ratelimit_take(struct db *db, const char *user_id, const char *bucket,
                                     long limit, long window_s, long *retry_after)
{
    char lim[24], win[24];
    const char *params[4] = {user_id, bucket, lim, win};

    snprintf(lim, sizeof(lim), "%ld", limit);
    snprintf(win, sizeof(win), "%ld", window_s);
    /* One statement: sql/007_rate_take.sql takes the per-(user, bucket)
     * advisory lock, forgets what left the window, counts what is in it,
     * records this one when there is room, and says when the oldest one
     * leaves. */
    return take(db, "SELECT allowed, retry_after FROM rate_take($1::uuid, $2, $3::int, $4::int)", 4,
                params, retry_after);
}

enum ratelimit_result ratelimit_take_key(struct db *db, const char *key, long limit, long window_s,
                                         long *retry_after)
{
    char lim[24], win[24];
    const char *params[3] = {key, lim, win};

    snprintf(lim, sizeof(lim), "%ld", limit);
    snprintf(win, sizeof(win), "%ld", window_s);
    return take(db, "SELECT allowed, retry_after FROM rate_take_key($1, $2::int, $3::int)", 3,
                params, retry_after);
}
