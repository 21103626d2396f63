/*
 * User queries; see users.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/db.h"
#include "db/rows.h"
#include "db/sql.h"
#include "db/users.h"
#include "util/arena.h"
#include "util/alloc.h"
#include "util/json.h"

enum db_status user_profile(struct db *db, const char *id, json_object **profile)
{
    const char *params[1] = {id};
    json_object *o, *org = NULL;
    enum db_status st;
    PGresult *res;

    *profile = NULL;
    res = db_exec(db,
                  "SELECT u.id, u.email, u.name, u.role, o.id, o.name, o.kind, p.id, "
                  "p.name, " SQL_TS("u.created_at") ", " SQL_TS(
                      "u.last_login_at") ", "
                                         "EXISTS (SELECT 1 FROM local_credentials c WHERE "
                                         "c.user_id = u.id), "
                                         "EXISTS (SELECT 1 FROM identities i WHERE i.user_id = "
                                         "u.id) "
                                         "FROM users u LEFT JOIN organizations o ON o.id = "
                                         "u.organization_id "
                                         "LEFT JOIN organizations p ON p.id = o.parent_id WHERE "
                                         "u.id = $1",
                  1, params, true);
    st = db_one_row(res);
    if (st != DB_OK) {
        PQclear(res);
        return st;
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
    *profile = o;
    return DB_OK;
}

enum db_status user_create(struct db *db, const char *email, const char *name, const char *role,
                           bool role_locked, const char *password_hash, char **id)
{
    const char *params[5] = {email, name, role, role_locked ? "true" : "false", password_hash};
    enum db_status st;
    PGresult *res;

    *id = NULL;
    res = db_exec(db,
                  "WITH u AS (INSERT INTO users (email, name, role, role_locked) "
                  "  VALUES ($1, $2, $3, $4::boolean) ON CONFLICT DO NOTHING RETURNING id), "
                  "c AS (INSERT INTO local_credentials (user_id, password_hash) "
                  "  SELECT id, $5 FROM u WHERE $5::text IS NOT NULL RETURNING user_id) "
                  "SELECT id FROM u",
                  5, params, false);
    /* No row: ON CONFLICT DO NOTHING, the email is taken. */
    st = db_one_row(res);
    if (st == DB_OK)
        *id = xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return st == DB_NOT_FOUND ? DB_CONFLICT : st;
}

enum db_status user_create_local(struct db *db, const char *email, const char *name,
                                 const char *role, const char *password_hash, const char *actor_id,
                                 const char *ip, const char *via, char **id)
{
    json_object *detail;
    enum db_status st;

    *id = NULL;
    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    st = user_create(db, email, name, role, true, password_hash, id);
    if (st != DB_OK)
        return db_rollback(db, NULL, st);
    detail = json_object_new_object();
    json_object_object_add(detail, "role", json_object_new_string(role));
    json_object_object_add(detail, "via", json_object_new_string(via));
    if (audit_write(db, actor_id, "user.create", "user", *id, ip, detail) != DB_OK
        || !store_tx(db, "COMMIT")) {
        free(*id);
        *id = NULL;
        return db_rollback(db, NULL, DB_ERROR);
    }
    return DB_OK;
}

enum db_status user_password_state(struct db *db, const char *user_id, char **hash, bool *sso)
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
        return DB_ERROR;
    if (db_value(res, 0, 0) != NULL)
        *hash = xstrdup(PQgetvalue(res, 0, 0));
    *sso = PQgetvalue(res, 0, 1)[0] == 't';
    PQclear(res);
    return DB_OK;
}

enum db_status user_password_store(struct db *db, const char *user_id, const char *password_hash,
                                   const char *keep_session, const char *ip)
{
    const char *params[3] = {user_id, password_hash, keep_session};
    json_object *detail;
    PGresult *res;
    bool first;

    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    /* A first password or a new one: the row, if any, locked. */
    res = db_exec(db, "SELECT 1 FROM local_credentials WHERE user_id = $1 FOR UPDATE", 1, params,
                  false);
    if (res == NULL)
        return db_rollback(db, NULL, DB_ERROR);
    first = PQntuples(res) == 0;
    PQclear(res);
    if (!db_command(db,
                    "WITH s AS (DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $3) "
                    "INSERT INTO local_credentials (user_id, password_hash) VALUES ($1, $2) "
                    "ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, "
                    "  updated_at = now()",
                    3, params))
        return db_rollback(db, NULL, DB_ERROR);
    detail = json_object_new_object();
    json_object_object_add(detail, "other_sessions_ended", json_object_new_boolean(1));
    if (audit_write(db, user_id, first ? "password.set" : "password.change", "user", user_id, ip,
                    detail)
            != DB_OK
        || !store_tx(db, "COMMIT"))
        return db_rollback(db, NULL, DB_ERROR);
    return DB_OK;
}

enum db_status user_list(struct db *db, struct arena *a, const char *q, const char *after,
                         int limit, struct user_row **rows, size_t *n, bool *more)
{
    char lim[24];
    const char *params[3] = {q && q[0] ? q : NULL, after, lim};
    PGresult *res;
    int i, got;

    *rows = NULL;
    *n = 0;
    *more = false;
    snprintf(lim, sizeof(lim), "%d", limit);
    res = db_exec(
        db,
        "SELECT u.id, u.email, u.name, u.role, u.role_locked, u.organization_id, "
        "u.disabled_at IS NOT NULL, " SQL_TS("u.created_at") ", " SQL_TS(
            "u.last_login_at") ", "
                               "EXISTS (SELECT 1 FROM identities i WHERE i.user_id = u.id) "
                               "AND NOT EXISTS (SELECT 1 FROM local_credentials c WHERE c.user_id "
                               "= u.id) "
                               "FROM users u WHERE ($1::text IS NULL OR u.email ILIKE '%' || $1 || "
                               "'%' "
                               "  OR u.name ILIKE '%' || $1 || '%') "
                               "AND ($2::uuid IS NULL OR (lower(u.email), u.id) > "
                               "  (SELECT lower(email), id FROM users WHERE id = $2::uuid)) "
                               "ORDER BY lower(u.email), u.id LIMIT $3::int + 1",
        3, params, true);
    if (res == NULL)
        return DB_ERROR;
    got = PQntuples(res);
    *more = got > limit;
    if (got > limit)
        got = limit;
    *rows = got > 0 ? arena_alloc(a, (size_t)got * sizeof(**rows)) : NULL;
    for (i = 0; i < got; i++) {
        struct user_row *u = &(*rows)[i];
        u->id = db_arena_value(a, res, i, 0);
        u->email = db_arena_value(a, res, i, 1);
        u->name = db_arena_value(a, res, i, 2);
        u->role = db_arena_value(a, res, i, 3);
        u->role_locked = PQgetvalue(res, i, 4)[0] == 't';
        u->organization_id = db_arena_value(a, res, i, 5);
        u->disabled = PQgetvalue(res, i, 6)[0] == 't';
        u->created_at = db_arena_value(a, res, i, 7);
        u->last_login_at = db_arena_value(a, res, i, 8);
        u->sso_only = PQgetvalue(res, i, 9)[0] == 't';
    }
    *n = (size_t)got;
    PQclear(res);
    return DB_OK;
}

/* The statements of user_admin_update() inside its transaction: false
 * (*st set) to roll back. */
static bool admin_update_tx(struct db *db, const struct user_change *c, const char *actor_id,
                            const char *ip, enum db_status *st)
{
    const char *params[5] = {c->id, c->role, c->org_given ? "t" : "f", c->org,
                             c->disabled < 0 ? NULL : (c->disabled ? "t" : "f")};
    json_object *detail;
    PGresult *res;
    bool ok = true;

    *st = DB_ERROR;
    res = db_exec(
        db,
        "WITH old AS (SELECT id, role FROM users WHERE id = $1::uuid), "
        "org_ok AS (SELECT $4::uuid IS NULL OR EXISTS "
        "  (SELECT 1 FROM organizations WHERE id = $4::uuid) AS ok) "
        "UPDATE users u SET "
        "  role = coalesce($2, u.role), "
        "  role_locked = u.role_locked OR $2 IS NOT NULL, "
        "  organization_id = CASE WHEN $3::boolean THEN $4::uuid ELSE u.organization_id END, "
        "  disabled_at = CASE WHEN $5::boolean IS NULL THEN u.disabled_at "
        "    WHEN $5::boolean THEN coalesce(u.disabled_at, now()) ELSE NULL END, "
        "  updated_at = now() "
        "FROM old, org_ok WHERE u.id = old.id AND org_ok.ok RETURNING old.role",
        5, params, false);
    *st = db_one_row(res);
    if (*st != DB_OK) {
        PQclear(res);
        return false;
    }
    *st = DB_ERROR;
    if (c->role != NULL && strcmp(c->role, PQgetvalue(res, 0, 0)) != 0) {
        detail = json_object_new_object();
        json_object_object_add(detail, "from", json_object_new_string(PQgetvalue(res, 0, 0)));
        json_object_object_add(detail, "to", json_object_new_string(c->role));
        ok = audit_write(db, actor_id, "user.role", "user", c->id, ip, detail) == DB_OK;
    }
    PQclear(res);
    if (ok && (c->disabled >= 0 || c->org_given)) {
        detail = json_object_new_object();
        if (c->disabled >= 0)
            json_object_object_add(detail, "disabled", json_object_new_boolean(c->disabled > 0));
        if (c->org_given)
            json_object_object_add(detail, "organization_id",
                                   c->org ? json_object_new_string(c->org) : NULL);
        ok = audit_write(db, actor_id, "user.update", "user", c->id, ip, detail) == DB_OK;
    }
    /* A disabled user's sessions end now. */
    if (ok && c->disabled > 0)
        ok = db_command(db, "DELETE FROM sessions WHERE user_id = $1", 1, &c->id);
    return ok;
}

enum db_status user_admin_update(struct db *db, const struct user_change *c, const char *actor_id,
                                 const char *ip)
{
    enum db_status st;

    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    if (!admin_update_tx(db, c, actor_id, ip, &st))
        return db_rollback(db, NULL, st);
    return store_tx(db, "COMMIT") ? DB_OK : DB_ERROR;
}

enum db_status user_set_role_by_email(struct db *db, const char *email, const char *role,
                                      const char *via)
{
    const char *params[2] = {email, role};
    enum db_status st = DB_ERROR;
    json_object *detail;
    PGresult *res;

    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    res = db_exec(db,
                  "UPDATE users u SET role = $2, role_locked = true, updated_at = now() "
                  "FROM (SELECT id, role AS old FROM users WHERE lower(email) = lower($1)) o "
                  "WHERE u.id = o.id RETURNING u.id, o.old",
                  2, params, false);
    if (res != NULL && PQntuples(res) != 1)
        st = DB_NOT_FOUND;
    else if (res != NULL) {
        detail = json_object_new_object();
        json_object_object_add(detail, "from", json_object_new_string(PQgetvalue(res, 0, 1)));
        json_object_object_add(detail, "to", json_object_new_string(role));
        json_object_object_add(detail, "via", json_object_new_string(via));
        if (audit_write(db, NULL, "user.role", "user", PQgetvalue(res, 0, 0), NULL, detail) == DB_OK
            && store_tx(db, "COMMIT"))
            st = DB_OK;
    }
    if (st != DB_OK)
        return db_rollback(db, res, st);
    PQclear(res);
    return DB_OK;
}

enum db_status user_set_name(struct db *db, const char *user_id, const char *name)
{
    const char *params[2] = {user_id, name};

    return db_command(db, "UPDATE users SET name = $2, updated_at = now() WHERE id = $1", 2, params)
               ? DB_OK
               : DB_ERROR;
}

enum db_status user_password_by_email(struct db *db, struct arena *a, const char *email,
                                      const char **user_id, const char **hash)
{
    PGresult *res = db_exec(db,
                            "SELECT u.id, c.password_hash FROM users u "
                            "JOIN local_credentials c ON c.user_id = u.id "
                            "WHERE lower(u.email) = lower($1) AND u.disabled_at IS NULL",
                            1, &email, true);

    enum db_status st = db_one_row(res);

    *user_id = NULL;
    *hash = NULL;
    if (st == DB_OK) {
        *user_id = db_arena_value(a, res, 0, 0);
        *hash = db_arena_value(a, res, 0, 1);
    }
    PQclear(res);
    return st;
}

enum db_status user_signed_in(struct db *db, const char *user_id)
{
    return db_command(db, "UPDATE users SET last_login_at = now() WHERE id = $1", 1, &user_id)
               ? DB_OK
               : DB_ERROR;
}

enum db_status user_id_by_email(struct db *db, const char *email, char **id)
{
    PGresult *res =
        db_exec(db, "SELECT id FROM users WHERE lower(email) = lower($1)", 1, &email, true);
    enum db_status st = db_one_row(res);

    *id = st == DB_OK ? xstrdup(PQgetvalue(res, 0, 0)) : NULL;
    PQclear(res);
    return st;
}
