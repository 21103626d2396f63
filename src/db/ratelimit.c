/*
 * Rate limits; see ratelimit.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/db.h"
#include "db/ratelimit.h"

/* Reads a (allowed, retry_after) row from columns col and col + 1 of
 * res. */
static enum ratelimit_result read_take(const PGresult *res, int col, long *retry_after)
{
    const char *allowed = db_value(res, 0, col);

    if (allowed != NULL && allowed[0] == 't')
        return RATE_OK;
    *retry_after = db_value(res, 0, col + 1) ? strtol(PQgetvalue(res, 0, col + 1), NULL, 10) : 1;
    return RATE_LIMITED;
}

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
    result = read_take(res, 0, retry_after);
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

enum ratelimit_result ratelimit_coach_library_take(struct db *db, const char *user_id, long limit,
                                                   bool take, bool *has, long *retry_after)
{
    char lim[24];
    const char *params[3] = {user_id, lim, take ? "t" : "f"};
    enum ratelimit_result r;
    PGresult *res;

    snprintf(lim, sizeof(lim), "%ld", limit);
    /* The take runs only when the library has a passage and take is true:
     * r calls a volatile function, so it is not folded into the outer
     * query, and its condition names none of its rows, so it gates the
     * call (a one-time filter): rate_take() is not called otherwise
     * (t/integration/coach.sh checks).  Sent again after a lost
     * connection, as ratelimit_take() is. */
    res = db_exec(
        db,
        "WITH l AS (SELECT EXISTS (SELECT 1 FROM chunks) AS has), "
        "r AS (SELECT allowed, retry_after FROM rate_take($1::uuid, 'coach', $2::int, 3600) "
        "  WHERE $3::bool AND (SELECT has FROM l)) "
        "SELECT l.has, r.allowed, r.retry_after FROM l LEFT JOIN r ON true",
        3, params, true);
    if (res == NULL)
        return RATE_ERROR;
    *has = PQgetvalue(res, 0, 0)[0] == 't';
    /* No row from r: nothing was to be taken. */
    r = take && *has ? read_take(res, 1, retry_after) : RATE_OK;
    PQclear(res);
    return r;
}
