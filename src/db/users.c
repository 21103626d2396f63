/*
 * User queries; see users.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/conversations.h"
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
                  "to_char(u.last_login_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                  "EXISTS (SELECT 1 FROM local_credentials c WHERE c.user_id = u.id), "
                  "EXISTS (SELECT 1 FROM identities i WHERE i.user_id = u.id) "
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
    json_object_object_add(o, "has_password",
                           json_object_new_boolean(PQgetvalue(res, 0, 11)[0] == 't'));
    json_object_object_add(o, "single_sign_on",
                           json_object_new_boolean(PQgetvalue(res, 0, 12)[0] == 't'));
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

char *user_create_local(struct db *db, const char *email, const char *name, const char *role,
                        const char *password_hash, const char *actor_id, const char *ip,
                        const char *via, bool *conflict)
{
    json_object *detail;
    char *id;

    *conflict = false;
    if (!store_tx(db, "BEGIN"))
        return NULL;
    id = user_create(db, email, name, role, true, password_hash, conflict);
    if (id == NULL) {
        (void)store_tx(db, "ROLLBACK");
        return NULL;
    }
    detail = json_object_new_object();
    json_object_object_add(detail, "role", json_object_new_string(role));
    json_object_object_add(detail, "via", json_object_new_string(via));
    if (!audit_record(db, actor_id, "user.create", "user", id, ip, detail)
        || !store_tx(db, "COMMIT")) {
        (void)store_tx(db, "ROLLBACK");
        free(id);
        return NULL;
    }
    return id;
}

bool user_password_state(struct db *db, const char *user_id, char **hash, bool *sso)
{
    const char *params[1] = {user_id};
    PGresult *res =
        db_exec(db,
                "SELECT (SELECT password_hash FROM local_credentials WHERE user_id = $1), "
                "EXISTS (SELECT 1 FROM identities WHERE user_id = $1)",
                1, params, true);

    *hash = NULL;
    *sso = false;
    if (res == NULL)
        return false;
    if (db_value(res, 0, 0) != NULL)
        *hash = xstrdup(PQgetvalue(res, 0, 0));
    *sso = PQgetvalue(res, 0, 1)[0] == 't';
    PQclear(res);
    return true;
}

bool user_password_store(struct db *db, const char *user_id, const char *password_hash,
                         const char *keep_session, const char *ip)
{
    const char *params[3] = {user_id, password_hash, keep_session};
    json_object *detail;
    PGresult *res;
    bool first;

    if (!store_tx(db, "BEGIN"))
        return false;
    /* A first password or a new one: the row, if any, locked. */
    res = db_exec(db, "SELECT 1 FROM local_credentials WHERE user_id = $1 FOR UPDATE", 1, params,
                  false);
    if (res == NULL) {
        (void)store_tx(db, "ROLLBACK");
        return false;
    }
    first = PQntuples(res) == 0;
    PQclear(res);
    res = db_exec(db,
                  "WITH s AS (DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $3) "
                  "INSERT INTO local_credentials (user_id, password_hash) VALUES ($1, $2) "
                  "ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, "
                  "  updated_at = now()",
                  3, params, false);
    if (res == NULL) {
        (void)store_tx(db, "ROLLBACK");
        return false;
    }
    PQclear(res);
    detail = json_object_new_object();
    json_object_object_add(detail, "other_sessions_ended", json_object_new_boolean(1));
    if (!audit_record(db, user_id, first ? "password.set" : "password.change", "user", user_id, ip,
                      detail)
        || !store_tx(db, "COMMIT")) {
        (void)store_tx(db, "ROLLBACK");
        return false;
    }
    return true;
}
