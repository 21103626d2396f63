/*
 * Organizations and teams; see orgs.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/orgs.h"
#include "util/alloc.h"
#include "util/text.h"

/* Writes why into err and returns st. */
static enum orgs_status fail(char *err, size_t errlen, const char *why, enum orgs_status st)
{
    snprintf(err, errlen, "%s", why);
    return st;
}

enum orgs_status org_create(struct db *db, const char *name, const char *kind,
                            const char *parent_id, char **id_out, char *err, size_t errlen)
{
    const char *params[3] = {name, kind, parent_id};
    size_t len = strlen(name);
    PGresult *res;

    *id_out = NULL;
    if (len == 0 || len > 200 || !utf8_valid(name, len))
        return fail(err, errlen, "name must be 1 to 200 characters", ORGS_INVALID);
    if (strcmp(kind, "district") != 0 && strcmp(kind, "school") != 0)
        return fail(err, errlen, "kind must be district or school", ORGS_INVALID);
    if (parent_id != NULL) {
        if (strcmp(kind, "school") != 0)
            return fail(err, errlen, "only a school can belong to a district", ORGS_INVALID);
        if (!is_uuid(parent_id))
            return fail(err, errlen, "parent_id must be a UUID", ORGS_INVALID);
        res = db_exec(db, "SELECT kind FROM organizations WHERE id = $1", 1, &parent_id, true);
        if (res == NULL)
            return fail(err, errlen, "database unavailable", ORGS_DB_ERROR);
        if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 0), "district") != 0) {
            PQclear(res);
            return fail(err, errlen, "parent_id must name a district", ORGS_NOT_FOUND);
        }
        PQclear(res);
    }
    res = db_exec(db,
                  "INSERT INTO organizations (name, kind, parent_id) VALUES ($1, $2, $3) "
                  "RETURNING id",
                  3, params, false);
    if (res == NULL)
        return fail(err, errlen, "database unavailable", ORGS_DB_ERROR);
    *id_out = xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return ORGS_OK;
}

enum orgs_status team_create(struct db *db, const char *org_id, const char *name, char **id_out,
                             char *err, size_t errlen)
{
    const char *params[2] = {org_id, name};
    size_t len = strlen(name);
    PGresult *res;

    *id_out = NULL;
    if (len == 0 || len > 200 || !utf8_valid(name, len))
        return fail(err, errlen, "name must be 1 to 200 characters", ORGS_INVALID);
    if (!is_uuid(org_id))
        return fail(err, errlen, "organization_id must be a UUID", ORGS_INVALID);
    res = db_exec(db,
                  "WITH o AS (SELECT id FROM organizations WHERE id = $1), "
                  "t AS (INSERT INTO teams (organization_id, name) SELECT id, $2 FROM o "
                  "  ON CONFLICT (organization_id, name) DO NOTHING RETURNING id) "
                  "SELECT (SELECT count(*) FROM o), (SELECT id FROM t)",
                  2, params, false);
    if (res == NULL)
        return fail(err, errlen, "database unavailable", ORGS_DB_ERROR);
    if (strcmp(PQgetvalue(res, 0, 0), "0") == 0) {
        PQclear(res);
        return fail(err, errlen, "no such organization", ORGS_NOT_FOUND);
    }
    if (db_value(res, 0, 1) == NULL) {
        PQclear(res);
        return fail(err, errlen, "that organization already has a team with this name",
                    ORGS_CONFLICT);
    }
    *id_out = xstrdup(PQgetvalue(res, 0, 1));
    PQclear(res);
    return ORGS_OK;
}

enum orgs_status team_set(struct db *db, const char *team_id, const char *user_id, const char *what,
                          bool add, char *err, size_t errlen)
{
    const char *params[2] = {team_id, user_id};
    bool coach = strcmp(what, "coach") == 0;
    PGresult *res;
    const char *sql;

    if (!is_uuid(team_id) || !is_uuid(user_id))
        return fail(err, errlen, "no such team or user", ORGS_NOT_FOUND);
    res = db_exec(db,
                  "SELECT (SELECT count(*) FROM teams WHERE id = $1), "
                  "(SELECT role FROM users WHERE id = $2)",
                  2, params, true);
    if (res == NULL)
        return fail(err, errlen, "database unavailable", ORGS_DB_ERROR);
    if (strcmp(PQgetvalue(res, 0, 0), "1") != 0 || db_value(res, 0, 1) == NULL) {
        PQclear(res);
        return fail(err, errlen, "no such team or user", ORGS_NOT_FOUND);
    }
    if (coach && add && strcmp(PQgetvalue(res, 0, 1), "educator") == 0) {
        PQclear(res);
        return fail(err, errlen, "only a coach or an admin can be assigned to coach a team",
                    ORGS_INVALID);
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
        return fail(err, errlen, "database unavailable", ORGS_DB_ERROR);
    if (!add && strcmp(PQcmdTuples(res), "0") == 0) {
        PQclear(res);
        return fail(err, errlen, "that user is not on the team", ORGS_NOT_FOUND);
    }
    PQclear(res);
    return ORGS_OK;
}
