/*
 * A person's data: export reads, erasure, retention, files to delete;
 * see userdata.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db/audit.h"
#include "db/conv_sql.h"
#include "db/db.h"
#include "db/userdata.h"
#include "util/log.h"

/* clang-format off */
/* $1 the person. */
#define PROFILE_SQL \
    "SELECT json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'role', u.role, " \
    "'role_locked', u.role_locked, " \
    "'organization', CASE WHEN o.id IS NOT NULL THEN json_build_object('id', o.id, " \
    "  'name', o.name, 'kind', o.kind, 'district', p.name) END, " \
    "'disabled_at', " SQL_TS("u.disabled_at") ", 'created_at', " SQL_TS("u.created_at") ", " \
    "'updated_at', " SQL_TS("u.updated_at") ", 'last_login_at', " SQL_TS("u.last_login_at") ", " \
    "'local_password', EXISTS (SELECT 1 FROM local_credentials l WHERE l.user_id = u.id), " \
    "'sign_in_accounts', (SELECT coalesce(json_agg(json_build_object('provider', i.provider, " \
    "  'subject', i.subject, 'email', i.email, 'email_verified', i.email_verified, " \
    "  'created_at', " SQL_TS("i.created_at") ", 'last_login_at', " SQL_TS("i.last_login_at") ") " \
    "  ORDER BY i.created_at, i.provider), '[]') FROM identities i WHERE i.user_id = u.id), " \
    "'teams', (SELECT coalesce(json_agg(json_build_object('team', t.name, " \
    "  'organization', tor.name, 'as', x.role, 'since', " SQL_TS("x.added_at") ") " \
    "  ORDER BY t.name, x.role), '[]') " \
    "  FROM (SELECT team_id, 'member' AS role, added_at FROM team_members WHERE user_id = u.id " \
    "        UNION ALL SELECT team_id, 'coach', added_at FROM team_coaches WHERE user_id = u.id) x " \
    "  JOIN teams t ON t.id = x.team_id JOIN organizations tor ON tor.id = t.organization_id), " \
    "'sessions', (SELECT coalesce(json_agg(json_build_object('created_at', " SQL_TS("s.created_at") \
    ", 'last_seen_at', " SQL_TS("s.last_seen_at") ", 'expires_at', " SQL_TS("s.expires_at") ", " \
    "  'ip', host(s.ip), 'user_agent', s.user_agent) ORDER BY s.created_at), '[]') " \
    "  FROM sessions s WHERE s.user_id = u.id))::text " \
    "FROM users u LEFT JOIN organizations o ON o.id = u.organization_id " \
    "LEFT JOIN organizations p ON p.id = o.parent_id WHERE u.id = $1::uuid"

#define FEEDBACK_SQL \
    "SELECT coalesce(json_agg(json_build_object('message_id', f.message_id, " \
    "'conversation_id', coalesce(m.conversation_id, " \
    "  (f.snapshot -> 'answer' ->> 'conversation_id')::uuid), " SQL_FEEDBACK_FIELDS("f") ", " \
    "'flagged_at', " SQL_TS("f.flagged_at") ", 'deleted', f.deleted) " \
    "ORDER BY f.created_at, f.message_id), '[]')::text " \
    "FROM feedback f LEFT JOIN messages m ON m.id = f.message_id WHERE f.user_id = $1::uuid"

#define SHARES_SQL \
    "SELECT coalesce(json_agg(json_build_object('id', s.id, 'conversation_id', s.conversation_id, " \
    "'conversation_title', c.title, 'created_at', " SQL_TS("s.created_at") ", " \
    "'expires_at', " SQL_TS("s.expires_at") ", 'revoked_at', " SQL_TS("s.revoked_at") ") " \
    "ORDER BY s.created_at, s.id), '[]')::text " \
    "FROM shares s JOIN conversations c ON c.id = s.conversation_id WHERE s.created_by = $1::uuid"

/* Entries by the person, or about them, their conversations or their
 * share links; the address only of their own actions. */
#define AUDIT_SQL \
    "SELECT coalesce(json_agg(json_build_object('at', " SQL_TS("a.at") ", 'action', a.action, " \
    "'by_self', a.actor_id IS NOT DISTINCT FROM $1::uuid, 'target_type', a.target_type, " \
    "'target_id', a.target_id, 'ip', CASE WHEN a.actor_id = $1::uuid THEN host(a.ip) END, " \
    "'detail', a.detail) ORDER BY a.id), '[]')::text FROM audit_log a " \
    "WHERE a.actor_id = $1::uuid OR a.target_id = $1::text OR a.detail ->> 'user_id' = $1::text " \
    "OR a.target_id IN (SELECT id::text FROM conversations WHERE user_id = $1::uuid " \
    "  UNION ALL SELECT id::text FROM shares WHERE created_by = $1::uuid)"

#define USAGE_SQL \
    "SELECT coalesce(json_agg(json_build_object('day', d.day, 'questions', d.questions, " \
    "'conversations', d.conversations, 'answers', d.answers, " \
    "'answer_ms_total', d.answer_ms_sum, 'ttft_ms_total', d.ttft_ms_sum, " \
    "'domains', (SELECT json_object_agg(n, c) FROM unnest(usage_domain_names(), d.domains) " \
    "  AS t(n, c)), 'feedback_up', d.up, 'feedback_down', d.down, 'flagged', d.flagged) " \
    "ORDER BY d.day), '[]')::text FROM usage_days d WHERE d.user_id = $1::uuid"

#define CONV_IDS_SQL \
    "SELECT c.id FROM conversations c WHERE c.user_id = $1::uuid ORDER BY c.created_at, c.id"

/* $1 the conversation, $2 its owner. */
#define CONV_SQL \
    "SELECT c.id, c.title, " SQL_TS("c.created_at") ", json_build_object('id', c.id, " \
    "'title', c.title, 'created_at', " SQL_TS("c.created_at") ", " \
    "'updated_at', " SQL_TS("c.updated_at") ", 'archived_at', " SQL_TS("c.archived_at") ", " \
    "'messages', (SELECT coalesce(jsonb_agg(" SQL_MESSAGE_JSON("m") "::jsonb " \
    "  || jsonb_build_object('feedback', CASE WHEN f.message_id IS NOT NULL " \
    "     THEN " SQL_FEEDBACK_JSON("f") "::jsonb END) ORDER BY m.seq), '[]') " \
    "  FROM messages m LEFT JOIN feedback f ON f.message_id = m.id AND f.user_id = $2::uuid " \
    "  WHERE m.conversation_id = c.id))::text " \
    "FROM conversations c WHERE c.id = $1::uuid AND c.user_id = $2::uuid"
/* clang-format on */

enum db_status userdata_begin(struct db *db)
{
    return store_tx(db, "BEGIN ISOLATION LEVEL REPEATABLE READ") ? DB_OK : DB_ERROR;
}

/* Runs sql ($1 user) and copies its single text value into a. */
static enum db_status one_text(struct db *db, struct arena *a, const char *sql, const char *user_id,
                               const char **out)
{
    PGresult *res = db_exec(db, sql, 1, &user_id, false);

    *out = NULL;
    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) != 1 || db_value(res, 0, 0) == NULL) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    *out = arena_strdup(a, PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}

enum db_status userdata_read(struct db *db, struct arena *a, const char *user_id,
                             struct userdata *out)
{
    static const char *const sqls[] = {FEEDBACK_SQL, SHARES_SQL, AUDIT_SQL, USAGE_SQL};
    const char **docs[] = {&out->feedback, &out->shares, &out->audit, &out->usage};
    enum db_status st;
    PGresult *res;
    size_t i;

    memset(out, 0, sizeof(*out));
    st = one_text(db, a, PROFILE_SQL, user_id, &out->profile);
    for (i = 0; st == DB_OK && i < sizeof(sqls) / sizeof(sqls[0]); i++) {
        st = one_text(db, a, sqls[i], user_id, docs[i]);
        if (st == DB_NOT_FOUND)
            st = DB_ERROR; /* an aggregate always answers */
    }
    if (st != DB_OK)
        return st;
    res = db_exec(db, CONV_IDS_SQL, 1, &user_id, false);
    if (res == NULL)
        return DB_ERROR;
    out->nconversations = (size_t)PQntuples(res);
    out->conversation_ids =
        arena_alloc(a, (out->nconversations ? out->nconversations : 1) * sizeof(char *));
    for (i = 0; i < out->nconversations; i++)
        out->conversation_ids[i] = arena_strdup(a, PQgetvalue(res, (int)i, 0));
    PQclear(res);
    return DB_OK;
}

enum db_status userdata_conversation(struct db *db, struct arena *a, const char *user_id,
                                     const char *conv_id, struct userdata_conversation *out)
{
    const char *params[2] = {conv_id, user_id};
    PGresult *res = db_exec(db, CONV_SQL, 2, params, false);

    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    out->id = arena_strdup(a, PQgetvalue(res, 0, 0));
    out->title = arena_strdup(a, PQgetvalue(res, 0, 1));
    out->created_at = arena_strdup(a, PQgetvalue(res, 0, 2));
    out->json = arena_strdup(a, PQgetvalue(res, 0, 3));
    PQclear(res);
    return DB_OK;
}

enum db_status userdata_commit(struct db *db, const char *user_id, const char *actor_id,
                               const char *ip, size_t conversations, size_t bytes)
{
    json_object *detail = json_object_new_object();

    json_object_object_add(detail, "disclosure", json_object_new_boolean(true));
    json_object_object_add(
        detail, "requested_by",
        json_object_new_string(strcmp(user_id, actor_id) == 0 ? "self" : "admin"));
    json_object_object_add(detail, "conversations", json_object_new_int64((int64_t)conversations));
    json_object_object_add(detail, "bytes", json_object_new_int64((int64_t)bytes));
    if (audit_write(db, actor_id, "user.export", "user", user_id, ip, detail) != DB_OK)
        return db_rollback(db, NULL, DB_ERROR);
    return store_tx(db, "COMMIT") ? DB_OK : DB_ERROR;
}

/* clang-format off */
/* $1 the person: what is about to go, counted before it goes. */
#define ERASE_COUNT_SQL \
    "SELECT (SELECT count(*) FROM conversations WHERE user_id = $1::uuid), " \
    "(SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id " \
    "  WHERE c.user_id = $1::uuid), " \
    "(SELECT count(*) FROM feedback WHERE user_id = $1::uuid), " \
    "(SELECT count(*) FROM shares WHERE created_by = $1::uuid), " \
    "(SELECT count(*) FROM sessions WHERE user_id = $1::uuid), " \
    "(SELECT count(*) FROM identities WHERE user_id = $1::uuid)"

/* $1 the person: their exports (those
 * they made, and those of their conversations and share links, whoever
 * made them) go, their files into the deletion queue. */
#define ERASE_EXPORTS_SQL \
    "WITH x AS (DELETE FROM exports e WHERE e.user_id = $1::uuid " \
    "  OR e.conversation_id IN (SELECT id FROM conversations WHERE user_id = $1::uuid) " \
    "  OR e.share_id IN (SELECT id FROM shares WHERE created_by = $1::uuid) " \
    "  RETURNING e.storage_key), " \
    "q AS (INSERT INTO storage_deletions (store, key, reason) " \
    "  SELECT 'exports', storage_key, 'erasure' FROM x WHERE storage_key IS NOT NULL " \
    "  ON CONFLICT DO NOTHING) " \
    "SELECT count(*) FROM x"

/* $1 the person, $2 the erasure id: the audit log keeps what happened, not
 * who it happened by or to. */
#define ERASE_AUDIT_SQL \
    "UPDATE audit_log a SET " \
    "  actor_id = CASE WHEN a.actor_id = $1::uuid THEN NULL ELSE a.actor_id END, " \
    "  ip = CASE WHEN a.actor_id = $1::uuid THEN NULL ELSE a.ip END, " \
    "  target_type = CASE WHEN a.target_id = $1::text THEN 'erased_user' ELSE a.target_type END, " \
    "  target_id = CASE WHEN a.target_id = $1::text THEN $2::text ELSE a.target_id END, " \
    "  detail = CASE WHEN a.actor_id = $1::uuid THEN jsonb_build_object('erased_actor', $2::text) " \
    "    ELSE '{}'::jsonb END " \
    "    || (SELECT coalesce(jsonb_object_agg(k, CASE WHEN v = to_jsonb($1::text) " \
    "        THEN to_jsonb($2::text) ELSE v END), '{}') FROM jsonb_each(a.detail) AS t(k, v)) " \
    "WHERE a.actor_id = $1::uuid OR a.target_id = $1::text " \
    "   OR EXISTS (SELECT 1 FROM jsonb_each_text(a.detail) AS t(k, v) WHERE t.v = $1::text)"
/* clang-format on */

/* Runs a statement inside the erasure; false (logged) on failure. */
static bool step(struct db *db, const char *sql, int n, const char *const *params)
{
    PGresult *res = db_exec(db, sql, n, params, false);

    if (res == NULL)
        return false;
    PQclear(res);
    return true;
}

enum db_status userdata_erase(struct db *db, const char *user_id, const char *actor_id,
                              const char *ip, const char *via, char erasure_id[37],
                              struct erase_counts *counts)
{
    const char *params[2];
    json_object *detail;
    PGresult *res;
    char email[330];

    memset(counts, 0, sizeof(*counts));
    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    res = db_exec(db, "SELECT email, gen_random_uuid() FROM users WHERE id = $1::uuid FOR UPDATE",
                  1, &user_id, false);
    if (res == NULL || PQntuples(res) != 1) {
        enum db_status st = res == NULL ? DB_ERROR : DB_NOT_FOUND;
        return db_rollback(db, res, st);
    }
    snprintf(email, sizeof(email), "%s", PQgetvalue(res, 0, 0));
    snprintf(erasure_id, 37, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    res = db_exec(db, ERASE_COUNT_SQL, 1, &user_id, false);
    if (res == NULL)
        goto fail;
    counts->conversations = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    counts->messages = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    counts->feedback = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
    counts->shares = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
    counts->sessions = strtoll(PQgetvalue(res, 0, 4), NULL, 10);
    counts->identities = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
    PQclear(res);
    res = db_exec(db, ERASE_EXPORTS_SQL, 1, &user_id, false);
    if (res == NULL)
        goto fail;
    counts->exports = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    params[0] = user_id;
    params[1] = erasure_id;
    if (!step(db, "SELECT usage_forget($1::uuid)", 1, params)
        || !step(db, ERASE_AUDIT_SQL, 2, params))
        goto fail;
    params[0] = email;
    if (!step(db, "DELETE FROM login_attempts WHERE email_lower = lower($1)", 1, params))
        goto fail;
    params[0] = user_id;
    /* Everything else that is the person's goes with the row (ON DELETE
     * CASCADE); what others did to it keeps its row (SET NULL). */
    if (!step(db, "DELETE FROM users WHERE id = $1::uuid", 1, params))
        goto fail;
    detail = json_object_new_object();
    json_object_object_add(detail, "via", json_object_new_string(via));
    json_object_object_add(detail, "conversations", json_object_new_int64(counts->conversations));
    json_object_object_add(detail, "messages", json_object_new_int64(counts->messages));
    json_object_object_add(detail, "feedback", json_object_new_int64(counts->feedback));
    json_object_object_add(detail, "shares", json_object_new_int64(counts->shares));
    json_object_object_add(detail, "sessions", json_object_new_int64(counts->sessions));
    json_object_object_add(detail, "identities", json_object_new_int64(counts->identities));
    json_object_object_add(detail, "exports", json_object_new_int64(counts->exports));
    if (audit_write(db, actor_id, "user.erase", "erased_user", erasure_id, ip, detail) != DB_OK)
        goto fail;
    if (!store_tx(db, "COMMIT"))
        return DB_ERROR;
    return DB_OK;
fail:
    (void)db_rollback(db, NULL, DB_ERROR);
    memset(counts, 0, sizeof(*counts));
    return DB_ERROR;
}

/* clang-format off */
/* $1 days, $2 at most this many conversations: they go with their
 * exports, whose files join the deletion queue. */
#define RETENTION_SQL \
    "WITH old AS (SELECT id FROM conversations " \
    "  WHERE updated_at < now() - $1::integer * interval '1 day' " \
    "  ORDER BY updated_at, id LIMIT $2::integer FOR UPDATE SKIP LOCKED), " \
    "ex AS (DELETE FROM exports e USING old WHERE e.conversation_id = old.id " \
    "  RETURNING e.storage_key), " \
    "q AS (INSERT INTO storage_deletions (store, key, reason) " \
    "  SELECT 'exports', storage_key, 'retention' FROM ex WHERE storage_key IS NOT NULL " \
    "  ON CONFLICT DO NOTHING), " \
    "gone AS (DELETE FROM conversations c USING old WHERE c.id = old.id " \
    "  RETURNING (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS n) " \
    "SELECT count(*), coalesce(sum(n), 0), (SELECT count(*) FROM ex) FROM gone"
/* clang-format on */

enum db_status userdata_retention_batch(struct db *db, int64_t days, int64_t limit,
                                        int64_t *conversations, int64_t *messages)
{
    int64_t exports;
    char d[24], l[24];
    const char *params[2] = {d, l};
    json_object *detail;
    PGresult *res;

    *conversations = *messages = 0;
    snprintf(d, sizeof(d), "%lld", (long long)days);
    snprintf(l, sizeof(l), "%lld", (long long)limit);
    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    /* Retention deletes flags with their conversations: no copy is kept
     * (sql/060_flags_outlive.sql reads this setting). */
    res = db_exec(db, "SELECT set_config('plccoach.retention', 'on', true)", 0, NULL, false);
    if (res == NULL) {
        (void)db_rollback(db, NULL, DB_ERROR);
        return DB_ERROR;
    }
    PQclear(res);
    res = db_exec(db, RETENTION_SQL, 2, params, false);
    if (res == NULL) {
        (void)db_rollback(db, NULL, DB_ERROR);
        return DB_ERROR;
    }
    *conversations = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    *messages = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    exports = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
    PQclear(res);
    if (*conversations == 0) {
        (void)db_rollback(db, NULL, DB_ERROR);
        return DB_OK;
    }
    detail = json_object_new_object();
    json_object_object_add(detail, "days", json_object_new_int64(days));
    json_object_object_add(detail, "conversations", json_object_new_int64(*conversations));
    json_object_object_add(detail, "messages", json_object_new_int64(*messages));
    json_object_object_add(detail, "exports", json_object_new_int64(exports));
    if (audit_write(db, NULL, "retention.delete", NULL, NULL, NULL, detail) != DB_OK) {
        (void)db_rollback(db, NULL, DB_ERROR);
        *conversations = *messages = 0;
        return DB_ERROR;
    }
    if (!store_tx(db, "COMMIT")) {
        *conversations = *messages = 0;
        return DB_ERROR;
    }
    return DB_OK;
}

enum db_status deletions_pending(struct db *db, struct arena *a, size_t limit,
                                 struct pending_file **out, size_t *n)
{
    char l[24];
    const char *p = l;
    PGresult *res;
    int i;

    *out = NULL;
    *n = 0;
    snprintf(l, sizeof(l), "%zu", limit < 1000000 ? limit : 1000000);
    res = db_exec(db,
                  "SELECT id, store, key FROM storage_deletions ORDER BY attempts, id "
                  "LIMIT $1::integer",
                  1, &p, true);
    if (res == NULL)
        return DB_ERROR;
    *out = arena_alloc(a, (size_t)(PQntuples(res) ? PQntuples(res) : 1) * sizeof(**out));
    for (i = 0; i < PQntuples(res); i++) {
        (*out)[i].id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        (*out)[i].store = arena_strdup(a, PQgetvalue(res, i, 1));
        (*out)[i].key = arena_strdup(a, PQgetvalue(res, i, 2));
    }
    *n = (size_t)PQntuples(res);
    PQclear(res);
    return DB_OK;
}

enum db_status deletions_done(struct db *db, int64_t id, bool done)
{
    char s[24];
    const char *p = s;
    PGresult *res;

    snprintf(s, sizeof(s), "%lld", (long long)id);
    res =
        db_exec(db,
                done ? "DELETE FROM storage_deletions WHERE id = $1::bigint"
                     : "UPDATE storage_deletions SET attempts = attempts + 1 WHERE id = $1::bigint",
                1, &p, true);
    if (res == NULL)
        return DB_ERROR;
    PQclear(res);
    return DB_OK;
}

enum db_status maintenance_claim(struct db *db, const char *name, int64_t every_s, bool *claimed)
{
    char s[24];
    const char *params[2] = {name, s};
    PGresult *res;

    *claimed = false;
    snprintf(s, sizeof(s), "%lld", (long long)every_s);
    res = db_exec(db,
                  "INSERT INTO maintenance_runs AS r (name, last_run_at) VALUES ($1, now()) "
                  "ON CONFLICT (name) DO UPDATE SET last_run_at = now() "
                  "WHERE r.last_run_at <= now() - $2::integer * interval '1 second' "
                  "RETURNING 1",
                  2, params, false);
    if (res == NULL)
        return DB_ERROR;
    *claimed = PQntuples(res) == 1;
    PQclear(res);
    return DB_OK;
}
