/*
 * Export queries; see exports.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/conv_sql.h"
#include "db/conversations.h"
#include "db/db.h"
#include "db/exports.h"
#include "db/rows.h"
#include "util/log.h"

/* A share link that still works (s: a shares row): not revoked, not
 * expired, and its owner not disabled (as share_view() says). */
#define SQL_SHARE_ACTIVE(s)                                                                        \
    "(" s ".revoked_at IS NULL AND (" s ".expires_at IS NULL OR " s ".expires_at > now()) "        \
    "AND NOT EXISTS (SELECT 1 FROM users su WHERE su.id = " s ".created_by "                       \
    "AND su.disabled_at IS NOT NULL))"

/* The columns of struct exp_record, in order (e: exports, c: conversations). */
#define RECORD_COLS                                                                                \
    "e.id, e.format, e.status, " SQL_TS("e.created_at") ", " SQL_TS(                               \
        "e.expires_at") ", "                                                                       \
                        "e.expires_at <= now(), e.share_id IS NOT NULL, coalesce(e.bytes, -1), "   \
                        "coalesce(e.storage_key, ''), c.title, coalesce(e.error, '')"

/* $1 conversation or NULL, $2 user or NULL, $3 share token digest or NULL,
 * $4 format, $5 the most messages rendered in the request. */
/* clang-format off */
#define CREATE_SQL                                                                                 \
    "WITH src AS ("                                                                                \
    "  SELECT c.id AS conv, NULL::uuid AS share, "                                                 \
    "    (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS n "                   \
    "  FROM conversations c "                                                                      \
    "  WHERE $3::text IS NULL AND c.id = $1::uuid AND c.user_id = $2::uuid "                       \
    "  UNION ALL "                                                                                 \
    "  SELECT s.conversation_id, s.id, "                                                           \
    "    (SELECT count(*) FROM messages m WHERE m.conversation_id = s.conversation_id "            \
    "      AND " SQL_SHARE_SHOWS("s", "m") ") "                                                     \
    "  FROM shares s WHERE $3::text IS NOT NULL AND s.token_hash = $3 "                            \
    "    AND " SQL_SHARE_ACTIVE("s") "), "                                                         \
    "e AS (INSERT INTO exports (conversation_id, user_id, share_id, format, status, started_at, "  \
    "    attempts) "                                                                               \
    "  SELECT conv, $2::uuid, share, $4, CASE WHEN n <= $5::bigint THEN 'running' ELSE 'queued' END, " \
    "    CASE WHEN n <= $5::bigint THEN now() END, CASE WHEN n <= $5::bigint THEN 1 ELSE 0 END "   \
    "  FROM src LIMIT 1 RETURNING *) "                                                             \
    "SELECT " RECORD_COLS ", e.conversation_id "                                                   \
    "FROM e JOIN conversations c ON c.id = e.conversation_id"

/* $1 export, $2 user or NULL, $3 share token digest or NULL. */
#define GET_SQL                                                                                    \
    "SELECT " RECORD_COLS " FROM exports e "                                                       \
    "JOIN conversations c ON c.id = e.conversation_id "                                            \
    "LEFT JOIN shares s ON s.id = e.share_id "                                                     \
    "WHERE e.id = $1 AND ("                                                                        \
    "  (e.share_id IS NULL AND $3::text IS NULL AND e.user_id = $2::uuid "                         \
    "    AND c.user_id = $2::uuid) "                                                               \
    "  OR (e.share_id IS NOT NULL AND " SQL_SHARE_ACTIVE("s") " AND ("                             \
    "    ($3::text IS NOT NULL AND s.token_hash = $3) "                                            \
    "    OR ($3::text IS NULL AND e.user_id = $2::uuid))))"

/* The job's columns. */
#define JOB_COLS                                                                                   \
    "id, conversation_id, coalesce(share_id::text, ''), format, " SQL_TS("created_at")

/* $1 EXP_STALE_MINUTES, $2 EXP_MAX_ATTEMPTS. */
#define CLAIM_SQL                                                                                  \
    "UPDATE exports SET status = 'running', started_at = now(), attempts = attempts + 1 "          \
    "WHERE id = (SELECT id FROM exports "                                                          \
    "  WHERE conversation_id IS NOT NULL AND (status = 'queued' "                                  \
    "    OR (status = 'running' AND attempts < $2::int "                                           \
    "        AND started_at < now() - $1::int * interval '1 minute')) "                            \
    "  ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1) "                                   \
    "RETURNING " JOB_COLS

/* An export that must go with its file (e: exports, c: its conversation,
 * s: its share, both LEFT JOINed): its conversation, or both its
 * requester and link, are gone; it is the owner's but the owner is no
 * longer its requester; its link was revoked or expired; or it expired
 * EXP_KEEP_DAYS ($2) ago. */
#define SWEEP_DROP                                                                                 \
    "(c.id IS NULL OR (e.user_id IS NULL AND e.share_id IS NULL) "                                 \
    "OR (e.share_id IS NULL AND e.user_id IS DISTINCT FROM c.user_id) "                            \
    "OR (e.share_id IS NOT NULL AND NOT " SQL_SHARE_ACTIVE("s") ") "                               \
    "OR e.expires_at < now() - $2::int * interval '1 day')"

/* $1 at most this many, $2 EXP_KEEP_DAYS: what must go, and expired files
 * (whose rows stay). */
#define SWEEP_SQL                                                                                  \
    "SELECT e.id, coalesce(e.storage_key, ''), " SWEEP_DROP " FROM exports e "                     \
    "LEFT JOIN conversations c ON c.id = e.conversation_id "                                       \
    "LEFT JOIN shares s ON s.id = e.share_id "                                                     \
    "WHERE " SWEEP_DROP " OR (e.expires_at <= now() AND e.storage_key IS NOT NULL) "               \
    "ORDER BY e.expires_at LIMIT $1::int"
/* clang-format on */

static void copy(char *dst, size_t size, const PGresult *res, int row, int col)
{
    snprintf(dst, size, "%s", PQgetvalue(res, row, col));
}

static void read_record(const PGresult *res, int row, struct exp_record *out)
{
    memset(out, 0, sizeof(*out));
    copy(out->id, sizeof(out->id), res, row, 0);
    copy(out->format, sizeof(out->format), res, row, 1);
    copy(out->status, sizeof(out->status), res, row, 2);
    copy(out->created_at, sizeof(out->created_at), res, row, 3);
    copy(out->expires_at, sizeof(out->expires_at), res, row, 4);
    out->expired = PQgetvalue(res, row, 5)[0] == 't';
    out->via_share = PQgetvalue(res, row, 6)[0] == 't';
    out->bytes = strtoll(PQgetvalue(res, row, 7), NULL, 10);
    copy(out->key, sizeof(out->key), res, row, 8);
    copy(out->title, sizeof(out->title), res, row, 9);
    copy(out->error, sizeof(out->error), res, row, 10);
}

enum db_status exp_create(struct db *db, const char *conv_id, const struct exp_viewer *v,
                          const char *format, long inline_max, const char *ip,
                          struct exp_record *out)
{
    char limit[24];
    const char *params[5];
    json_object *detail;
    PGresult *res;

    memset(out, 0, sizeof(*out));
    snprintf(limit, sizeof(limit), "%ld", inline_max);
    params[0] = v->share_hash ? NULL : conv_id;
    params[1] = v->user_id;
    params[2] = v->share_hash;
    params[3] = format;
    params[4] = limit;
    if (v->share_hash == NULL && (conv_id == NULL || v->user_id == NULL))
        return DB_NOT_FOUND;
    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    res = db_exec(db, CREATE_SQL, 5, params, false);
    if (db_one_row(res) != DB_OK)
        return db_rollback(db, res, db_one_row(res));
    read_record(res, 0, out);
    detail = json_object_new_object();
    json_object_object_add(detail, "conversation_id",
                           json_object_new_string(PQgetvalue(res, 0, 11)));
    json_object_object_add(detail, "format", json_object_new_string(format));
    json_object_object_add(detail, "via_share", json_object_new_boolean(out->via_share));
    PQclear(res);
    if (audit_write(db, v->user_id, "export.create", "export", out->id, ip, detail) != DB_OK)
        return db_rollback(db, NULL, DB_ERROR);
    if (strcmp(out->status, "queued") == 0) {
        const char *np[2] = {EXP_CHANNEL, out->id};
        if (!db_command(db, "SELECT pg_notify($1, $2)", 2, np))
            return db_rollback(db, NULL, DB_ERROR);
    }
    return store_tx(db, "COMMIT") ? DB_OK : DB_ERROR;
}

enum db_status exp_get(struct db *db, const char *id, const struct exp_viewer *v,
                       struct exp_record *out)
{
    const char *params[3] = {id, v->user_id, v->share_hash};
    PGresult *res;

    memset(out, 0, sizeof(*out));
    if (v->user_id == NULL && v->share_hash == NULL)
        return DB_NOT_FOUND;
    res = db_exec(db, GET_SQL, 3, params, true);
    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    read_record(res, 0, out);
    PQclear(res);
    return DB_OK;
}

static void read_job(const PGresult *res, struct exp_job *job)
{
    memset(job, 0, sizeof(*job));
    copy(job->id, sizeof(job->id), res, 0, 0);
    copy(job->conversation_id, sizeof(job->conversation_id), res, 0, 1);
    copy(job->share_id, sizeof(job->share_id), res, 0, 2);
    copy(job->format, sizeof(job->format), res, 0, 3);
    copy(job->created_at, sizeof(job->created_at), res, 0, 4);
}

enum db_status exp_claim(struct db *db, struct exp_job *job)
{
    static const struct db_queue queue = {
        /* Exports that ran out of attempts while stale fail first. */
        "UPDATE exports SET status = 'failed', finished_at = now(), "
        "  error = 'the export was interrupted too often' "
        "WHERE status = 'running' AND attempts >= $2::int "
        "  AND started_at < now() - $1::int * interval '1 minute'",
        CLAIM_SQL,
        EXP_STALE_MINUTES,
        EXP_MAX_ATTEMPTS,
    };
    PGresult *res;
    enum db_status st = db_queue_claim(db, &queue, &res);

    if (st != DB_OK)
        return st;
    read_job(res, job);
    PQclear(res);
    return DB_OK;
}

enum db_status exp_job_of(struct db *db, const char *id, struct exp_job *job)
{
    const char *params[1] = {id};
    PGresult *res = db_exec(db,
                            "SELECT " JOB_COLS " FROM exports "
                            "WHERE id = $1 AND status = 'running' AND conversation_id IS NOT NULL",
                            1, params, true);

    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    read_job(res, job);
    PQclear(res);
    return DB_OK;
}

enum db_status exp_finish(struct db *db, const char *id, const char *key, int64_t bytes,
                          const char *error)
{
    char size[24];
    const char *params[4];
    PGresult *res;

    snprintf(size, sizeof(size), "%lld", (long long)bytes);
    params[0] = id;
    params[1] = key;
    params[2] = key ? size : NULL;
    params[3] = key ? NULL : (error ? error : "the export failed");
    res = db_exec(db,
                  "UPDATE exports SET status = CASE WHEN $2::text IS NULL THEN 'failed' "
                  "  ELSE 'done' END, storage_key = $2, bytes = $3::bigint, error = left($4, 500), "
                  "  finished_at = now() WHERE id = $1",
                  4, params, false);
    if (res == NULL)
        return DB_ERROR;
    PQclear(res);
    return DB_OK;
}

enum db_status exp_conversation(struct db *db, const char *conv_id, const char *share_id,
                                json_object **out)
{
    const char *params[1] = {conv_id};
    const char *share = share_id != NULL && share_id[0] != '\0' ? share_id : NULL;
    json_object *messages;
    PGresult *res;

    *out = NULL;
    res = db_exec(db,
                  "SELECT c.title, u.name, " SQL_TS(
                      "c.created_at") " FROM conversations c "
                                      "JOIN users u ON u.id = c.user_id WHERE c.id = $1",
                  1, params, true);
    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    messages = conv_messages(db, conv_id, NULL, share);
    if (messages == NULL) {
        PQclear(res);
        return DB_ERROR;
    }
    *out = json_object_new_object();
    json_object_object_add(*out, "title", json_object_new_string(PQgetvalue(res, 0, 0)));
    json_object_object_add(*out, "author", json_object_new_string(PQgetvalue(res, 0, 1)));
    json_object_object_add(*out, "created_at", json_object_new_string(PQgetvalue(res, 0, 2)));
    if (share != NULL)
        json_object_object_add(*out, "shared_by", json_object_new_string(PQgetvalue(res, 0, 1)));
    json_object_object_add(*out, "messages", messages);
    PQclear(res);
    return DB_OK;
}

enum db_status exp_listen(struct db *db)
{
    PGresult *res = db_exec(db, "LISTEN " EXP_CHANNEL, 0, NULL, true);

    if (res == NULL)
        return DB_ERROR;
    PQclear(res);
    return DB_OK;
}

enum db_status exp_audit_cli(struct db *db, const char *conv_id, const char *format)
{
    json_object *detail = json_object_new_object();

    json_object_object_add(detail, "conversation_id", json_object_new_string(conv_id));
    json_object_object_add(detail, "format", json_object_new_string(format));
    json_object_object_add(detail, "via", json_object_new_string("command line"));
    return audit_write(db, NULL, "export.create", "conversation", conv_id, NULL, detail);
}

enum db_status exp_sweep_list(struct db *db, struct exp_sweep *items, size_t max, size_t *n)
{
    char limit[24], days[16];
    const char *params[2] = {limit, days};
    PGresult *res;
    int i;

    *n = 0;
    snprintf(limit, sizeof(limit), "%zu", max);
    snprintf(days, sizeof(days), "%d", EXP_KEEP_DAYS);
    res = db_exec(db, SWEEP_SQL, 2, params, true);
    if (res == NULL)
        return DB_ERROR;
    for (i = 0; i < PQntuples(res) && (size_t)i < max; i++) {
        copy(items[i].id, sizeof(items[i].id), res, i, 0);
        copy(items[i].key, sizeof(items[i].key), res, i, 1);
        items[i].drop = PQgetvalue(res, i, 2)[0] == 't';
    }
    *n = (size_t)i;
    PQclear(res);
    return DB_OK;
}

enum db_status exp_sweep_forget(struct db *db, const struct exp_sweep *item)
{
    const char *params[1] = {item->id};
    PGresult *res = db_exec(db,
                            item->drop ? "DELETE FROM exports WHERE id = $1"
                                       : "UPDATE exports SET storage_key = NULL WHERE id = $1",
                            1, params, true);

    if (res == NULL)
        return DB_ERROR;
    PQclear(res);
    return DB_OK;
}
