/*
 * One-time sign-in links; see signin_links.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db/audit.h"
#include "db/conv_sql.h"
#include "db/db.h"
#include "db/signin_links.h"

#define STR(x) #x
#define XSTR(x) STR(x)

enum db_status signin_link_create(struct db *db, const char *user_id, const char *email,
                                  const char *token_hash, const char *actor_id, const char *ip,
                                  const char *via, struct signin_link *out)
{
    const char *params[4];
    json_object *detail;
    enum db_status st;
    PGresult *res;

    memset(out, 0, sizeof(*out));
    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    /* The user, locked against a concurrent disable, and whether only
     * single sign-on lets them in. */
    params[0] = user_id;
    params[1] = user_id == NULL ? email : NULL;
    res = db_exec(db,
                  "SELECT u.id, u.email, "
                  "  EXISTS (SELECT 1 FROM identities i WHERE i.user_id = u.id) "
                  "  AND NOT EXISTS (SELECT 1 FROM local_credentials c WHERE c.user_id = u.id) "
                  "FROM users u WHERE u.disabled_at IS NULL "
                  "AND ($1::uuid IS NULL OR u.id = $1::uuid) "
                  "AND ($2::text IS NULL OR lower(u.email) = lower($2)) "
                  "AND ($1::uuid IS NOT NULL OR $2::text IS NOT NULL) "
                  "FOR UPDATE OF u",
                  2, params, false);
    st = db_one_row(res);
    if (st != DB_OK)
        return db_rollback(db, res, st);
    if (PQgetvalue(res, 0, 2)[0] == 't')
        return db_rollback(db, res, DB_CONFLICT);
    snprintf(out->user_id, sizeof(out->user_id), "%s", PQgetvalue(res, 0, 0));
    snprintf(out->email, sizeof(out->email), "%s", PQgetvalue(res, 0, 1));
    PQclear(res);

    params[0] = token_hash;
    params[1] = out->user_id;
    params[2] = actor_id;
    res = db_exec(db,
                  "WITH old AS (DELETE FROM signin_links "
                  "  WHERE expires_at < now() - interval '7 days') "
                  "INSERT INTO signin_links (token_hash, user_id, created_by, expires_at) "
                  "VALUES ($1, $2::uuid, $3::uuid, "
                  "  now() + interval '" XSTR(SIGNIN_LINK_HOURS) " hours') "
                                                                 "RETURNING " SQL_TS("expires_at"),
                  3, params, false);
    if (res == NULL || PQntuples(res) != 1)
        return db_rollback(db, res, DB_ERROR);
    snprintf(out->expires_at, sizeof(out->expires_at), "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    detail = json_object_new_object();
    json_object_object_add(detail, "via", json_object_new_string(via));
    json_object_object_add(detail, "expires_at", json_object_new_string(out->expires_at));
    if (audit_write(db, actor_id, "signin_link.create", "user", out->user_id, ip, detail) != DB_OK)
        return db_rollback(db, NULL, DB_ERROR);
    return store_tx(db, "COMMIT") ? DB_OK : DB_ERROR;
}

enum db_status signin_link_use(struct db *db, const char *token_hash, const char *ip,
                               char user_id[37])
{
    const char *params[1] = {token_hash};
    json_object *detail;
    enum db_status st;
    PGresult *res;

    user_id[0] = '\0';
    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    /* Used at most once: the row is claimed by this UPDATE or by none. */
    res = db_exec(db,
                  "WITH l AS (UPDATE signin_links SET used_at = now() "
                  "  WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() "
                  "  AND user_id IN (SELECT id FROM users WHERE disabled_at IS NULL) "
                  "  RETURNING user_id) "
                  "UPDATE users u SET last_login_at = now() FROM l WHERE u.id = l.user_id "
                  "RETURNING u.id",
                  1, params, false);
    st = db_one_row(res);
    if (st != DB_OK)
        return db_rollback(db, res, st);
    snprintf(user_id, 37, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    detail = json_object_new_object();
    json_object_object_add(detail, "method", json_object_new_string("link"));
    if (audit_write(db, user_id, "login.success", "user", user_id, ip, detail) != DB_OK)
        return db_rollback(db, NULL, DB_ERROR);
    if (!store_tx(db, "COMMIT")) {
        user_id[0] = '\0';
        return DB_ERROR;
    }
    return DB_OK;
}
