/*
 * Audit log writes; see audit.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/audit.h"
#include "db/db.h"
#include "db/rows.h"
#include "db/sql.h"
#include "util/arena.h"
#include "util/log.h"

enum db_status audit_write(struct db *db, const char *actor_id, const char *action,
                           const char *target_type, const char *target_id, const char *ip,
                           json_object *detail)
{
    const char *params[6];
    PGresult *res;

    params[0] = actor_id;
    params[1] = action;
    params[2] = target_type;
    params[3] = target_id;
    params[4] = ip;
    params[5] = detail ? json_object_to_json_string_ext(detail, JSON_C_TO_STRING_PLAIN) : "{}";
    res = db_exec(db,
                  "INSERT INTO audit_log (actor_id, action, target_type, target_id, ip, detail) "
                  "VALUES ($1, $2, $3, $4, $5::inet, $6::jsonb)",
                  6, params, false);
    if (detail != NULL)
        json_object_put(detail);
    if (res == NULL) {
        LOG_FIELDS(LOG_ERROR, "audit write failed", LF_STR("action", action));
        return DB_ERROR;
    }
    PQclear(res);
    return DB_OK;
}

/* f's field v, NULL when empty. */
static const char *given(const char *v)
{
    return v != NULL && v[0] != '\0' ? v : NULL;
}

enum db_status audit_list(struct db *db, struct arena *a, const struct audit_filter *f, int limit,
                          struct audit_row **rows, size_t *n, bool *more)
{
    char lim[24];
    const char *params[7] = {given(f->before), given(f->action), lim,         given(f->actor),
                             given(f->target), given(f->from),   given(f->to)};
    PGresult *res;
    int i, got;

    *rows = NULL;
    *n = 0;
    *more = false;
    snprintf(lim, sizeof(lim), "%d", limit);
    res = db_exec(
        db,
        "SELECT a.id, " SQL_TS_MS(
            "a.at") ", a.actor_id, u.email, a.action, "
                    "a.target_type, a.target_id, host(a.ip), a.detail "
                    "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id "
                    "WHERE ($1::bigint IS NULL OR a.id < $1::bigint) "
                    "AND ($2::text IS NULL OR a.action = $2 OR a.action LIKE $2 || '.%') "
                    "AND ($4::text IS NULL OR lower(u.email) = lower($4)) "
                    "AND ($5::text IS NULL OR a.target_id = $5) "
                    "AND ($6::date IS NULL OR a.at >= $6::date::timestamp AT TIME ZONE 'UTC') "
                    "AND ($7::date IS NULL "
                    "  OR a.at < ($7::date + 1)::timestamp AT TIME ZONE 'UTC') "
                    "ORDER BY a.id DESC LIMIT $3::int + 1",
        7, params, true);
    if (res == NULL)
        return DB_ERROR;
    got = PQntuples(res);
    *more = got > limit;
    if (got > limit)
        got = limit;
    if (got > 0)
        *rows = arena_alloc(a, (size_t)got * sizeof(**rows));
    for (i = 0; i < got; i++) {
        struct audit_row *e = &(*rows)[i];

        e->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        e->at = db_arena_value(a, res, i, 1);
        e->actor_id = db_arena_value(a, res, i, 2);
        e->actor_email = db_arena_value(a, res, i, 3);
        e->action = db_arena_value(a, res, i, 4);
        e->target_type = db_arena_value(a, res, i, 5);
        e->target_id = db_arena_value(a, res, i, 6);
        e->ip = db_arena_value(a, res, i, 7);
        e->detail_json = db_arena_value(a, res, i, 8);
    }
    *n = (size_t)got;
    PQclear(res);
    return DB_OK;
}
