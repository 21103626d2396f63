/*
 * Share link queries; see shares.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/conv_sql.h"
#include "db/conversations.h"
#include "db/db.h"
#include "db/shares.h"
#include "util/log.h"

/* A share as its owner sees it (s: a shares row). */
/* clang-format off */
#define SHARE_JSON                                                                                 \
    "json_build_object('id', s.id, "                                                               \
    "'created_at', " SQL_TS("s.created_at") ", "                                                   \
    "'expires_at', " SQL_TS("s.expires_at") ", "                                                   \
    "'revoked', s.revoked_at IS NOT NULL, "                                                        \
    "'revoked_at', " SQL_TS("s.revoked_at") ", "                                                   \
    "'live', s.live, "                                                                             \
    "'active', s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > now()))"

/* $1 conversation, $2 user, $3 token digest, $4 days or NULL, $5 live. */
#define CREATE_SQL                                                                                 \
    "INSERT INTO shares (conversation_id, token_hash, created_by, expires_at, live) "               \
    "SELECT c.id, $3, c.user_id, now() + $4::int * interval '1 day', $5::boolean "                 \
    "FROM conversations c WHERE c.id = $1 AND c.user_id = $2 "                                     \
    "RETURNING id, " SQL_TS("created_at") ", " SQL_TS("expires_at")

/* $1 conversation, $2 user: one row when the conversation is the caller's,
 * with its shares aggregated (an empty array when none); no row otherwise. */
#define LIST_SQL                                                                                   \
    "SELECT coalesce(json_agg(" SHARE_JSON " ORDER BY s.created_at DESC, s.id DESC) "              \
    "  FILTER (WHERE s.id IS NOT NULL), '[]') "                                                    \
    "FROM conversations c LEFT JOIN shares s ON s.conversation_id = c.id "                         \
    "WHERE c.id = $1 AND c.user_id = $2 GROUP BY c.id"

/* $1 token digest: the active share, its conversation and who shared it. */
#define VIEW_SQL                                                                                   \
    "SELECT s.id, c.id, c.title, u.name, " SQL_TS("s.created_at") ", " SQL_TS("s.expires_at") ", " \
    "s.live "                                                                                      \
    "FROM shares s JOIN conversations c ON c.id = s.conversation_id "                              \
    "JOIN users u ON u.id = s.created_by "                                                         \
    "WHERE s.token_hash = $1 AND s.revoked_at IS NULL "                                            \
    "AND (s.expires_at IS NULL OR s.expires_at > now()) AND u.disabled_at IS NULL"
/* clang-format on */

enum db_status share_create(struct db *db, const char *user_id, const char *conv_id,
                            const char *token_hash, int64_t days, bool live, const char *ip,
                            json_object **out)
{
    char ndays[24];
    const char *params[5];
    json_object *detail;
    PGresult *res;

    *out = NULL;
    snprintf(ndays, sizeof(ndays), "%lld", (long long)days);
    params[0] = conv_id;
    params[1] = user_id;
    params[2] = token_hash;
    params[3] = days > 0 ? ndays : NULL;
    params[4] = live ? "true" : "false";
    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    res = db_exec(db, CREATE_SQL, 5, params, false);
    if (db_one_row(res) != DB_OK)
        return db_rollback(db, res, db_one_row(res));
    detail = json_object_new_object();
    json_object_object_add(detail, "conversation_id", json_object_new_string(conv_id));
    json_object_object_add(detail, "expires_in_days",
                           days > 0 ? json_object_new_int64(days) : NULL);
    json_object_object_add(detail, "live", json_object_new_boolean(live));
    if (audit_write(db, user_id, "share.create", "share", PQgetvalue(res, 0, 0), ip, detail)
        != DB_OK)
        return db_rollback(db, res, DB_ERROR);
    if (!store_tx(db, "COMMIT")) {
        PQclear(res);
        return DB_ERROR;
    }
    *out = json_object_new_object();
    json_object_object_add(*out, "id", json_object_new_string(PQgetvalue(res, 0, 0)));
    json_object_object_add(*out, "created_at", json_object_new_string(PQgetvalue(res, 0, 1)));
    json_object_object_add(*out, "expires_at",
                           db_value(res, 0, 2) ? json_object_new_string(PQgetvalue(res, 0, 2))
                                               : NULL);
    json_object_object_add(*out, "live", json_object_new_boolean(live));
    PQclear(res);
    return DB_OK;
}

enum db_status share_list(struct db *db, const char *user_id, const char *conv_id,
                          json_object **out)
{
    const char *params[2] = {conv_id, user_id};
    PGresult *res;

    *out = NULL;
    res = db_exec(db, LIST_SQL, 2, params, true);
    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    if (!store_json(res, 0, 0, out) || *out == NULL) {
        json_object_put(*out);
        *out = NULL;
        PQclear(res);
        return DB_ERROR;
    }
    PQclear(res);
    return DB_OK;
}

enum db_status share_revoke(struct db *db, const char *user_id, const char *conv_id,
                            const char *share_id, const char *ip)
{
    const char *params[3] = {share_id, conv_id, user_id};
    json_object *detail;
    PGresult *res;

    res = db_begin_exec(db,
                        "SELECT s.revoked_at IS NULL FROM shares s "
                        "JOIN conversations c ON c.id = s.conversation_id "
                        "WHERE s.id = $1 AND s.conversation_id = $2 AND c.user_id = $3 "
                        "FOR UPDATE OF s",
                        3, params);
    if (res == NULL)
        return DB_ERROR;
    /* Not the caller's (or none); or revoked already, which stays so
     * (DB_OK). */
    if (PQntuples(res) != 1 || PQgetvalue(res, 0, 0)[0] != 't')
        return db_rollback(db, res, db_one_row(res));
    PQclear(res);
    if (!db_command(db, "UPDATE shares SET revoked_at = now() WHERE id = $1", 1, params))
        return db_rollback(db, NULL, DB_ERROR);
    detail = json_object_new_object();
    json_object_object_add(detail, "conversation_id", json_object_new_string(conv_id));
    if (audit_write(db, user_id, "share.revoke", "share", share_id, ip, detail) != DB_OK)
        return db_rollback(db, NULL, DB_ERROR);
    return store_tx(db, "COMMIT") ? DB_OK : DB_ERROR;
}

json_object *share_view(struct db *db, const char *token_hash, bool with_messages,
                        enum db_status *st)
{
    const char *params[1] = {token_hash};
    json_object *o, *shared_by, *messages = NULL;
    PGresult *res;

    res = db_exec(db, VIEW_SQL, 1, params, true);
    if (res == NULL) {
        *st = DB_ERROR;
        return NULL;
    }
    if (PQntuples(res) != 1) {
        PQclear(res);
        *st = DB_NOT_FOUND;
        return NULL;
    }
    if (with_messages
        && (messages = conv_messages(db, PQgetvalue(res, 0, 1), NULL, PQgetvalue(res, 0, 0)))
               == NULL) {
        PQclear(res);
        *st = DB_ERROR;
        return NULL;
    }
    o = json_object_new_object();
    json_object_object_add(o, "title", json_object_new_string(PQgetvalue(res, 0, 2)));
    if (with_messages)
        json_object_object_add(o, "messages", messages);
    shared_by = json_object_new_object();
    json_object_object_add(shared_by, "name", json_object_new_string(PQgetvalue(res, 0, 3)));
    json_object_object_add(o, "shared_by", shared_by);
    json_object_object_add(o, "created_at", json_object_new_string(PQgetvalue(res, 0, 4)));
    json_object_object_add(o, "expires_at",
                           db_value(res, 0, 5) ? json_object_new_string(PQgetvalue(res, 0, 5))
                                               : NULL);
    json_object_object_add(o, "live", json_object_new_boolean(PQgetvalue(res, 0, 6)[0] == 't'));
    PQclear(res);
    *st = DB_OK;
    return o;
}

/* share_copy()'s steps after BEGIN: the share, the new conversation, its
 * messages, the audit row; false on any failure (*st says which). */
static bool copy_rows(struct db *db, const char *user_id, const char *token_hash, const char *ip,
                      char **conv_id_out, enum db_status *st)
{
    const char *params[3] = {token_hash, NULL, NULL};
    char share_id[64], from_id[64];
    json_object *detail;
    PGresult *res, *ins;

    *st = DB_ERROR;
    res = db_exec(db, VIEW_SQL " FOR SHARE OF s", 1, params, false);
    if (res == NULL)
        return false;
    if (PQntuples(res) != 1) {
        PQclear(res);
        *st = DB_NOT_FOUND;
        return false;
    }
    snprintf(share_id, sizeof(share_id), "%s", PQgetvalue(res, 0, 0));
    snprintf(from_id, sizeof(from_id), "%s", PQgetvalue(res, 0, 1));
    params[0] = user_id;
    params[1] = PQgetvalue(res, 0, 2);
    ins = db_exec(db, "INSERT INTO conversations (user_id, title) VALUES ($1, $2) RETURNING id", 2,
                  params, false);
    PQclear(res);
    if (ins == NULL || PQntuples(ins) != 1) {
        PQclear(ins);
        return false;
    }
    *conv_id_out = strdup(PQgetvalue(ins, 0, 0));
    PQclear(ins);
    if (*conv_id_out == NULL)
        return false;
    params[0] = *conv_id_out;
    params[1] = from_id;
    params[2] = share_id;
    /* What the share shows (conversations.c, MESSAGES_SQL), in order. */
    res = db_exec(db,
                  "INSERT INTO messages (conversation_id, role, content, citations, domains, mode, "
                  "model, grounded, kind, clarification, error_code) "
                  "SELECT $1, role, content, citations, domains, mode, model, grounded, kind, "
                  "clarification, error_code FROM messages WHERE conversation_id = $2 "
                  "AND EXISTS (SELECT 1 FROM shares s WHERE s.id = $3 AND " SQL_SHARE_SHOWS(
                      "s", "messages") ") "
                                       "ORDER BY seq",
                  3, params, false);
    if (res == NULL)
        return false;
    PQclear(res);
    detail = json_object_new_object();
    json_object_object_add(detail, "share_id", json_object_new_string(share_id));
    json_object_object_add(detail, "from_conversation_id", json_object_new_string(from_id));
    if (audit_write(db, user_id, "share.copy", "conversation", *conv_id_out, ip, detail) != DB_OK)
        return false;
    *st = DB_OK;
    return true;
}

enum db_status share_copy(struct db *db, const char *user_id, const char *token_hash,
                          const char *ip, char **conv_id_out)
{
    enum db_status st;

    *conv_id_out = NULL;
    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    if (!copy_rows(db, user_id, token_hash, ip, conv_id_out, &st) || !store_tx(db, "COMMIT")) {
        free(*conv_id_out);
        *conv_id_out = NULL;
        return db_rollback(db, NULL, st == DB_OK ? DB_ERROR : st);
    }
    return DB_OK;
}
