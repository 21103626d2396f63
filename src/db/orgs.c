/*
 * Organizations and teams; see orgs.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/db.h"
#include "db/rows.h"
#include "db/orgs.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/json.h"
#include "util/text.h"

/* Writes why into err and returns st. */
static enum db_status fail(char *err, size_t errlen, const char *why, enum db_status st)
{
    snprintf(err, errlen, "%s", why);
    return st;
}

static enum db_status org_insert(struct db *db, const char *name, const char *kind,
                                 const char *parent_id, char **id_out, char *err, size_t errlen)
{
    const char *params[3] = {name, kind, parent_id};
    size_t len = strlen(name);
    PGresult *res;

    *id_out = NULL;
    if (len == 0 || len > 200 || !utf8_valid(name, len))
        return fail(err, errlen, "name must be 1 to 200 characters", DB_INVALID);
    if (strcmp(kind, "district") != 0 && strcmp(kind, "school") != 0)
        return fail(err, errlen, "kind must be district or school", DB_INVALID);
    if (parent_id != NULL) {
        if (strcmp(kind, "school") != 0)
            return fail(err, errlen, "only a school can belong to a district", DB_INVALID);
        if (!is_uuid(parent_id))
            return fail(err, errlen, "parent_id must be a UUID", DB_INVALID);
        res = db_exec(db, "SELECT kind FROM organizations WHERE id = $1", 1, &parent_id, true);
        if (res == NULL)
            return fail(err, errlen, "database unavailable", DB_ERROR);
        if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 0), "district") != 0) {
            PQclear(res);
            return fail(err, errlen, "parent_id must name a district", DB_NOT_FOUND);
        }
        PQclear(res);
    }
    res = db_exec(db,
                  "INSERT INTO organizations (name, kind, parent_id) VALUES ($1, $2, $3) "
                  "RETURNING id",
                  3, params, false);
    if (res == NULL)
        return fail(err, errlen, "database unavailable", DB_ERROR);
    *id_out = xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}

static enum db_status team_insert(struct db *db, const char *org_id, const char *name,
                                  char **id_out, char *err, size_t errlen)
{
    const char *params[2] = {org_id, name};
    size_t len = strlen(name);
    PGresult *res;

    *id_out = NULL;
    if (len == 0 || len > 200 || !utf8_valid(name, len))
        return fail(err, errlen, "name must be 1 to 200 characters", DB_INVALID);
    if (!is_uuid(org_id))
        return fail(err, errlen, "organization_id must be a UUID", DB_INVALID);
    res = db_exec(db,
                  "WITH o AS (SELECT id FROM organizations WHERE id = $1), "
                  "t AS (INSERT INTO teams (organization_id, name) SELECT id, $2 FROM o "
                  "  ON CONFLICT (organization_id, name) DO NOTHING RETURNING id) "
                  "SELECT (SELECT count(*) FROM o), (SELECT id FROM t)",
                  2, params, false);
    if (res == NULL)
        return fail(err, errlen, "database unavailable", DB_ERROR);
    if (strcmp(PQgetvalue(res, 0, 0), "0") == 0) {
        PQclear(res);
        return fail(err, errlen, "no such organization", DB_NOT_FOUND);
    }
    if (db_value(res, 0, 1) == NULL) {
        PQclear(res);
        return fail(err, errlen, "that organization already has a team with this name",
                    DB_CONFLICT);
    }
    *id_out = xstrdup(PQgetvalue(res, 0, 1));
    PQclear(res);
    return DB_OK;
}

static enum db_status team_change(struct db *db, const char *team_id, const char *user_id,
                                  const char *what, bool add, char *err, size_t errlen)
{
    const char *params[2] = {team_id, user_id};
    bool coach = strcmp(what, "coach") == 0;
    PGresult *res;
    const char *sql;

    if (!is_uuid(team_id) || !is_uuid(user_id))
        return fail(err, errlen, "no such team or user", DB_NOT_FOUND);
    res = db_exec(db,
                  "SELECT (SELECT count(*) FROM teams WHERE id = $1), "
                  "(SELECT role FROM users WHERE id = $2)",
                  2, params, true);
    if (res == NULL)
        return fail(err, errlen, "database unavailable", DB_ERROR);
    if (strcmp(PQgetvalue(res, 0, 0), "1") != 0 || db_value(res, 0, 1) == NULL) {
        PQclear(res);
        return fail(err, errlen, "no such team or user", DB_NOT_FOUND);
    }
    if (coach && add && strcmp(PQgetvalue(res, 0, 1), "educator") == 0) {
        PQclear(res);
        return fail(err, errlen, "only a coach or an admin can be assigned to coach a team",
                    DB_INVALID);
    }
    PQclear(res);
    if (add)
        sql = coach ? "INSERT INTO team_coaches (team_id, user_id) VALUES ($1, $2) "
                      "ON CONFLICT DO NOTHING"
                    : "INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) "
                      "ON CONFLICT DO NOTHING";
    else
        sql = coach ? "DELETE FROM team_coaches WHERE team_id = $1 AND user_id = $2"
                    : "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2";
    res = db_exec(db, sql, 2, params, false);
    if (res == NULL)
        return fail(err, errlen, "database unavailable", DB_ERROR);
    if (!add && strcmp(PQcmdTuples(res), "0") == 0) {
        PQclear(res);
        return fail(err, errlen, "that user is not on the team", DB_NOT_FOUND);
    }
    PQclear(res);
    return DB_OK;
}

/* Ends the transaction that st's change ran in: with its audit row
 * (action on target_type target_id by who, detail taken over) and COMMIT
 * when st is DB_OK, else ROLLBACK.  Returns st, or DB_ERROR when
 * the audit row or the COMMIT failed (*id_out freed then). */
static enum db_status finish(struct db *db, enum db_status st, const struct orgs_actor *who,
                             const char *action, const char *target_type, const char *target_id,
                             json_object *detail, char **id_out, char *err, size_t errlen)
{
    if (st == DB_OK
        && audit_write(db, who->id, action, target_type, target_id, who->ip, detail) == DB_OK
        && store_tx(db, "COMMIT"))
        return DB_OK;
    if (st == DB_OK) {
        detail = NULL; /* audit_write() took it */
        st = fail(err, errlen, "database unavailable", DB_ERROR);
    }
    if (detail != NULL)
        json_object_put(detail);
    if (id_out != NULL && st != DB_OK) {
        free(*id_out);
        *id_out = NULL;
    }
    return db_rollback(db, NULL, st);
}

enum db_status org_create(struct db *db, const struct orgs_actor *who, const char *name,
                          const char *kind, const char *parent_id, char **id_out, char *err,
                          size_t errlen)
{
    json_object *detail;
    enum db_status st;

    *id_out = NULL;
    if (!store_tx(db, "BEGIN"))
        return fail(err, errlen, "database unavailable", DB_ERROR);
    st = org_insert(db, name, kind, parent_id, id_out, err, errlen);
    detail = json_object_new_object();
    json_object_object_add(detail, "name", json_object_new_string(name));
    json_object_object_add(detail, "kind", json_object_new_string(kind));
    return finish(db, st, who, "org.create", "organization", *id_out, detail, id_out, err, errlen);
}

enum db_status team_create(struct db *db, const struct orgs_actor *who, const char *org_id,
                           const char *name, char **id_out, char *err, size_t errlen)
{
    enum db_status st;

    *id_out = NULL;
    if (!store_tx(db, "BEGIN"))
        return fail(err, errlen, "database unavailable", DB_ERROR);
    st = team_insert(db, org_id, name, id_out, err, errlen);
    return finish(db, st, who, "team.create", "team", *id_out, NULL, id_out, err, errlen);
}

enum db_status team_set(struct db *db, const struct orgs_actor *who, const char *team_id,
                        const char *user_id, const char *what, bool add, char *err, size_t errlen)
{
    char action[32];
    json_object *detail;
    enum db_status st;

    if (who == NULL)
        return team_change(db, team_id, user_id, what, add, err, errlen);
    if (!store_tx(db, "BEGIN"))
        return fail(err, errlen, "database unavailable", DB_ERROR);
    st = team_change(db, team_id, user_id, what, add, err, errlen);
    snprintf(action, sizeof(action), "team.%s.%s", what, add ? "add" : "remove");
    detail = json_object_new_object();
    json_object_object_add(detail, "user_id", json_object_new_string(user_id));
    return finish(db, st, who, action, "team", team_id, detail, NULL, err, errlen);
}

enum db_status org_list(struct db *db, struct arena *a, struct org_row **rows, size_t *n)
{
    PGresult *res = db_exec(db,
                            "SELECT id, name, kind, parent_id, source, "
                            "(SELECT count(*) FROM users u WHERE u.organization_id = o.id), "
                            "(SELECT count(*) FROM teams t WHERE t.organization_id = o.id) "
                            "FROM organizations o ORDER BY kind, lower(name), id",
                            0, NULL, true);
    int i;

    *rows = NULL;
    *n = 0;
    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) > 0)
        *rows = arena_alloc(a, (size_t)PQntuples(res) * sizeof(**rows));
    for (i = 0; i < PQntuples(res); i++) {
        struct org_row *o = &(*rows)[i];
        o->id = db_arena_value(a, res, i, 0);
        o->name = db_arena_value(a, res, i, 1);
        o->kind = db_arena_value(a, res, i, 2);
        o->parent_id = db_arena_value(a, res, i, 3);
        o->source = db_arena_value(a, res, i, 4);
        o->user_count = strtoll(PQgetvalue(res, i, 5), NULL, 10);
        o->team_count = strtoll(PQgetvalue(res, i, 6), NULL, 10);
    }
    *n = (size_t)PQntuples(res);
    PQclear(res);
    return DB_OK;
}

enum db_status team_list(struct db *db, struct arena *a, const char *org_id, bool by_org,
                         struct team_row **rows, size_t *n)
{
    const char *params[2] = {org_id, by_org ? "t" : "f"};
    PGresult *res;
    int i;

    *rows = NULL;
    *n = 0;
    res = db_exec(db,
                  "SELECT t.id, t.name, t.organization_id, o.name, "
                  "(SELECT count(*) FROM team_members m WHERE m.team_id = t.id), "
                  "(SELECT coalesce(json_agg(json_build_object('id', u.id, 'name', u.name) "
                  "   ORDER BY u.name), '[]') FROM team_coaches c JOIN users u ON u.id = c.user_id "
                  "   WHERE c.team_id = t.id) "
                  "FROM teams t JOIN organizations o ON o.id = t.organization_id "
                  "WHERE $1::uuid IS NULL OR t.organization_id = $1::uuid "
                  "ORDER BY CASE WHEN $2::boolean THEN lower(o.name) END, lower(t.name), t.id",
                  2, params, true);
    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) > 0)
        *rows = arena_alloc(a, (size_t)PQntuples(res) * sizeof(**rows));
    for (i = 0; i < PQntuples(res); i++) {
        struct team_row *t = &(*rows)[i];
        t->id = db_arena_value(a, res, i, 0);
        t->name = db_arena_value(a, res, i, 1);
        t->organization_id = db_arena_value(a, res, i, 2);
        t->organization_name = db_arena_value(a, res, i, 3);
        t->member_count = strtoll(PQgetvalue(res, i, 4), NULL, 10);
        t->coaches_json = db_arena_value(a, res, i, 5);
    }
    *n = (size_t)PQntuples(res);
    PQclear(res);
    return DB_OK;
}

enum db_status team_people(struct db *db, struct arena *a, const char *team_id,
                           struct team_person **rows, size_t *n)
{
    const char *params[1] = {team_id};
    PGresult *res;
    int i, got = 0;

    *rows = NULL;
    *n = 0;
    res = db_exec(db,
                  "SELECT p.id, p.name, p.email, p.kind FROM teams t LEFT JOIN LATERAL ("
                  "  SELECT u.id, u.name, u.email, 'member' AS kind, 0 AS k "
                  "  FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = t.id "
                  "  UNION ALL SELECT u.id, u.name, u.email, 'coach', 1 "
                  "  FROM team_coaches c JOIN users u ON u.id = c.user_id WHERE c.team_id = t.id"
                  ") p ON true WHERE t.id = $1::uuid ORDER BY p.k, lower(p.name), p.id",
                  1, params, true);
    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    *rows = arena_alloc(a, (size_t)PQntuples(res) * sizeof(**rows));
    for (i = 0; i < PQntuples(res); i++) {
        struct team_person *p = &(*rows)[got];
        if (db_value(res, i, 0) == NULL)
            continue; /* the team, with nobody in it */
        p->id = db_arena_value(a, res, i, 0);
        p->name = db_arena_value(a, res, i, 1);
        p->email = db_arena_value(a, res, i, 2);
        p->as = db_arena_value(a, res, i, 3);
        got++;
    }
    *n = (size_t)got;
    PQclear(res);
    return DB_OK;
}
