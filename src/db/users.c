/*
 * User queries; see users.h.
 */
#include "config.h"

#include <string.h>

#include "db/db.h"
#include "db/users.h"
#include "util/alloc.h"
#include "util/json.h"

json_object *user_profile(struct db *db, const char *id, bool *failed)
{
    const char *params[1] = {id};
    json_object *o, *org = NULL;
    PGresult *res;

    *failed = false;
    res = db_exec(db,
                  "SELECT u.id, u.email, u.name, u.role, o.id, o.name, o.kind, p.id, p.name, "
                  "to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                  "to_char(u.last_login_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                  "FROM users u LEFT JOIN organizations o ON o.id = u.organization_id "
                  "LEFT JOIN organizations p ON p.id = o.parent_id WHERE u.id = $1",
                  1, params, true);
    if (res == NULL) {
        *failed = true;
        return NULL;
    }
    if (PQntuples(res) != 1) {
        PQclear(res);
        return NULL;
    }
    o = json_object_new_object();
    json_add_str(o, "id", db_value(res, 0, 0));
    json_add_str(o, "email", db_value(res, 0, 1));
    json_add_str(o, "name", db_value(res, 0, 2));
    json_add_str(o, "role", db_value(res, 0, 3));
    if (db_value(res, 0, 4) != NULL) {
        org = json_object_new_object();
        json_add_str(org, "id", db_value(res, 0, 4));
        json_add_str(org, "name", db_value(res, 0, 5));
        json_add_str(org, "kind", db_value(res, 0, 6));
        if (db_value(res, 0, 7) != NULL) {
            json_object *parent = json_object_new_object();
            json_add_str(parent, "id", db_value(res, 0, 7));
            json_add_str(parent, "name", db_value(res, 0, 8));
            json_object_object_add(org, "parent", parent);
        } else {
            json_object_object_add(org, "parent", NULL);
        }
    }
    json_object_object_add(o, "organization", org);
    json_add_str(o, "created_at", db_value(res, 0, 9));
    json_add_str(o, "last_login_at", db_value(res, 0, 10));
    PQclear(res);
    return o;
}

char *user_create(struct db *db, const char *email, const char *name, const char *role,
                  bool role_locked, const char *password_hash, bool *conflict)
{
    const char *params[5] = {email, name, role, role_locked ? "true" : "false", password_hash};
    PGresult *res;
    char *id;

    *conflict = false;
    res = db_exec(db,
                  "WITH u AS (INSERT INTO users (email, name, role, role_locked) "
                  "  VALUES ($1, $2, $3, $4::boolean) ON CONFLICT DO NOTHING RETURNING id), "
                  "c AS (INSERT INTO local_credentials (user_id, password_hash) "
                  "  SELECT id, $5 FROM u WHERE $5::text IS NOT NULL RETURNING user_id) "
                  "SELECT id FROM u",
                  5, params, false);
    if (res == NULL)
        return NULL;
    if (PQntuples(res) != 1) {
        *conflict = true;
        PQclear(res);
        return NULL;
    }
    id = xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return id;
}
