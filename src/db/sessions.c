/*
 * Sessions' rows; see sessions.h.
 */
#include "config.h"

#include <stdio.h>

#include "db/db.h"
#include "db/rows.h"
#include "db/sessions.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* Runs a DELETE that may run twice (sent again after a lost connection);
 * a failure is logged by db_exec() and otherwise ignored. */
static void delete_idempotent(struct db *db, const char *sql, int n, const char *const *params)
{
    PQclear(db_exec(db, sql, n, params, true));
}

enum db_status session_insert(struct db *db, const char *hash, const char *user_id,
                              const char *csrf, long long max_s, long long idle_s,
                              long long per_user, const char *ip, const char *user_agent)
{
    char max[24], idle[24], keep[24];
    const char *params[6];

    snprintf(max, sizeof(max), "%lld", max_s);
    snprintf(idle, sizeof(idle), "%lld", idle_s);
    snprintf(keep, sizeof(keep), "%lld", per_user);
    params[0] = user_id;
    params[1] = idle;
    delete_idempotent(db,
                      "DELETE FROM sessions WHERE user_id = $1 AND (expires_at < now() "
                      "OR last_seen_at < now() - $2::int * interval '1 second')",
                      2, params);
    params[0] = hash;
    params[1] = user_id;
    params[2] = csrf;
    params[3] = max;
    params[4] = ip;
    params[5] = user_agent;
    if (!db_command(
            db,
            "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, ip, user_agent) "
            "VALUES ($1, $2, $3, now() + $4::int * interval '1 second', $5::inet, $6)",
            6, params))
        return DB_ERROR;
    /* At most per_user live sessions: the least recently used beyond that
     * end now. */
    params[0] = user_id;
    params[1] = keep;
    delete_idempotent(db,
                      "DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions "
                      "WHERE user_id = $1 ORDER BY last_seen_at DESC, created_at DESC "
                      "OFFSET $2::int)",
                      2, params);
    return DB_OK;
}

enum db_status session_find(struct db *db, struct arena *a, const char *hash, long long idle_s,
                            struct session_row *out)
{
    char idle[24];
    const char *params[2] = {hash, idle};
    PGresult *res;

    snprintf(idle, sizeof(idle), "%lld", idle_s);
    /* The idle timer moves at most once in SESSION_TOUCH_S seconds (or in
     * half the idle time, when that is shorter): most requests only read,
     * and a statement that changes no row commits without waiting for the
     * WAL to reach the disk. */
    res = db_exec(
        db,
        "WITH s AS (SELECT token_hash, user_id, csrf_token, last_seen_at FROM sessions "
        "  WHERE token_hash = $1 AND expires_at > now() "
        "  AND last_seen_at > now() - $2::int * interval '1 second'), "
        "t AS (UPDATE sessions x SET last_seen_at = now() FROM s "
        "  WHERE x.token_hash = s.token_hash "
        "  AND s.last_seen_at < now() - least(" STR(
            SESSION_TOUCH_S) ", $2::int / 2) "
                             "  * interval '1 second') "
                             "SELECT u.id, u.email, u.name, u.role, u.organization_id, "
                             "s.csrf_token "
                             "FROM s JOIN users u ON u.id = s.user_id WHERE u.disabled_at IS NULL",
        2, params, true); /* twice only moves last_seen_at again: sent again
                           * after a lost connection (a restart) */
    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    out->user_id = db_arena_value(a, res, 0, 0);
    out->email = db_arena_value(a, res, 0, 1);
    out->name = db_arena_value(a, res, 0, 2);
    out->role = db_arena_value(a, res, 0, 3);
    out->org_id = db_arena_value(a, res, 0, 4);
    out->csrf_token = db_arena_value(a, res, 0, 5);
    PQclear(res);
    return DB_OK;
}

void session_delete(struct db *db, const char *hash)
{
    delete_idempotent(db, "DELETE FROM sessions WHERE token_hash = $1", 1, &hash);
}
