/*
 * The coach's message queries; see messages.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "db/conv_sql.h"
#include "db/conversations.h"
#include "db/db.h"
#include "db/messages.h"
#include "db/rows.h"
#include "util/domain.h"
#include "util/log.h"

/* $1 conversation, $2 user, $3 how many, $4 the message to stop before
 * (or NULL): one row per message, oldest first, failures left out, or one
 * row of NULLs for an empty conversation; none when it is not the
 * user's. */
#define HISTORY_SQL                                                                                \
    "SELECT m.role, m.content, m.citations FROM conversations c "                                  \
    "LEFT JOIN LATERAL (SELECT role, content, citations, seq FROM messages "                       \
    "  WHERE conversation_id = c.id AND kind IS DISTINCT FROM 'error' "                            \
    "  AND ($4::uuid IS NULL OR seq < (SELECT seq FROM messages "                                  \
    "    WHERE id = $4::uuid AND conversation_id = c.id)) "                                        \
    "  ORDER BY seq DESC LIMIT $3::int) m ON true "                                                \
    "WHERE c.id = $1 AND c.user_id = $2 ORDER BY m.seq"

/* The question's statements take their ids ($6 and on) from the caller,
 * so that sending one again after its connection was lost is harmless:
 * the ids are taken, nothing is inserted, and the rows already there are
 * read (the second SELECT sees the statement's snapshot, so on a first run
 * it finds nothing).  The whole statement commits or not at all, so a
 * question is never saved without its conversation or its key. */
#define QUESTION_AGAIN(id, user)                                                                   \
    "UNION ALL SELECT q.conversation_id, q.id FROM messages q "                                    \
    "JOIN conversations c ON c.id = q.conversation_id "                                            \
    "WHERE q.id = " id " AND c.user_id = " user " AND NOT EXISTS (SELECT 1 FROM m)"

/* $1 user, $2 title, $3 content, $4 key or NULL, $5 lease seconds, $6 the
 * conversation's id, $7 the question's. */
#define NEW_QUESTION_SQL                                                                           \
    "WITH c AS (INSERT INTO conversations (id, user_id, title) VALUES ($6, $1, $2) "               \
    "  ON CONFLICT (id) DO NOTHING RETURNING id), "                                                \
    "m AS (INSERT INTO messages (id, conversation_id, role, content, answer_by) "                  \
    "  SELECT $7, id, 'user', $3, now() + $5::int * interval '1 second' FROM c "                   \
    "  RETURNING id, conversation_id), "                                                           \
    "k AS (INSERT INTO ask_keys (user_id, key, question_id) "                                      \
    "  SELECT $1, $4, id FROM m WHERE $4::text IS NOT NULL) "                                      \
    "SELECT conversation_id, id FROM m " QUESTION_AGAIN("$7", "$1")

/* $1 conversation, $2 user, $3 content, $4 key or NULL, $5 lease seconds,
 * $6 the question's id. */
#define QUESTION_SQL                                                                               \
    "WITH m AS (INSERT INTO messages (id, conversation_id, role, content, answer_by) "             \
    "  SELECT $6, c.id, 'user', $3, now() + $5::int * interval '1 second' FROM conversations c "   \
    "  WHERE c.id = $1 AND c.user_id = $2 ON CONFLICT (id) DO NOTHING "                            \
    "  RETURNING id, conversation_id), "                                                           \
    "k AS (INSERT INTO ask_keys (user_id, key, question_id) "                                      \
    "  SELECT $2, $4, id FROM m WHERE $4::text IS NOT NULL) "                                      \
    "SELECT conversation_id, id FROM m " QUESTION_AGAIN("$6", "$2")

/* A reply ($1 its id, fresh for each answer) inserted only while its
 * conversation exists (the row locked until the end of the statement, so
 * a concurrent deletion either comes first, and nothing is inserted, or
 * waits); whether the reply is there after it.  Sending it again is
 * harmless (the id is taken: nothing happens, and it says true), so a
 * statement whose connection was lost is sent again (src/db/db.c). */
#define REPLY_SQL(insert)                                                                          \
    "WITH ins AS (" insert " ON CONFLICT (id) DO NOTHING RETURNING id) "                           \
    "SELECT EXISTS (SELECT 1 FROM ins) OR EXISTS (SELECT 1 FROM messages WHERE id = $1)"

#define ANSWER_SQL                                                                                 \
    REPLY_SQL("INSERT INTO messages (id, conversation_id, role, content, citations, domains, "     \
              "  mode, model, grounded, prompt_tokens, completion_tokens, ttft_ms, total_ms, "     \
              "  kind, clarification) "                                                            \
              "SELECT $1, c.id, 'assistant', $3, $4::jsonb, $5::text[], $6, $7, $8::boolean, "     \
              "  $9::int, $10::int, $11::int, $12::int, $13, $14::jsonb "                          \
              "FROM conversations c WHERE c.id = $2 FOR KEY SHARE")

#define FAILURE_SQL                                                                                \
    REPLY_SQL("INSERT INTO messages (id, conversation_id, role, content, kind, error_code) "       \
              "SELECT $1, c.id, 'assistant', $3, 'error', $4 "                                     \
              "FROM conversations c WHERE c.id = $2 FOR KEY SHARE")

/* $1 conversation, $2 user, $3 question: the question's seq, whether a
 * later question exists, whether an answer (not a failure) follows it,
 * whether a failure does, whether its lease still runs. */
#define REASK_SQL                                                                                  \
    "SELECT q.seq, "                                                                               \
    "  EXISTS (SELECT 1 FROM messages n WHERE n.conversation_id = q.conversation_id "              \
    "    AND n.seq > q.seq AND n.role = 'user'), "                                                 \
    "  EXISTS (SELECT 1 FROM messages a WHERE a.conversation_id = q.conversation_id "              \
    "    AND a.seq > q.seq AND a.role = 'assistant' AND a.kind IS DISTINCT FROM 'error'), "        \
    "  EXISTS (SELECT 1 FROM messages a WHERE a.conversation_id = q.conversation_id "              \
    "    AND a.seq > q.seq AND a.kind = 'error'), "                                                \
    "  coalesce(q.answer_by > now(), false) "                                                      \
    "FROM messages q JOIN conversations c ON c.id = q.conversation_id "                            \
    "WHERE q.id = $3 AND q.conversation_id = $1 AND c.user_id = $2 AND q.role = 'user' "           \
    "FOR UPDATE OF q"

/* $1 user, $2 key: the question asked with it, its conversation, the first
 * reply after it (before the next question) as the message JSON and its
 * kind, and the seconds left of its lease.  Keys older than a day are
 * forgotten on the way (a hundred at a time). */
/* clang-format off */
#define BY_KEY_SQL                                                                                 \
    "WITH old AS (DELETE FROM ask_keys WHERE ctid IN (SELECT ctid FROM ask_keys "                  \
    "  WHERE created_at < now() - interval '1 day' LIMIT 100)) "                                   \
    "SELECT q.id, q.conversation_id, r.json, r.kind, "                                             \
    "  ceil(extract(epoch FROM q.answer_by - now()))::bigint "                                     \
    "FROM ask_keys k JOIN messages q ON q.id = k.question_id "                                     \
    "JOIN conversations c ON c.id = q.conversation_id AND c.user_id = k.user_id "                  \
    "LEFT JOIN LATERAL (SELECT " SQL_MESSAGE_JSON("a") " AS json, a.kind FROM messages a "         \
    "  WHERE a.conversation_id = q.conversation_id AND a.seq > q.seq AND a.role = 'assistant' "    \
    "  AND NOT EXISTS (SELECT 1 FROM messages n WHERE n.conversation_id = q.conversation_id "      \
    "    AND n.seq > q.seq AND n.seq < a.seq AND n.role = 'user') "                                \
    "  ORDER BY a.seq LIMIT 1) r ON true "                                                         \
    "WHERE k.user_id = $1 AND k.key = $2 AND k.created_at > now() - interval '1 day'"
/* clang-format on */

enum db_status msg_history(struct db *db, struct arena *a, const char *user_id, const char *conv_id,
                           const char *until_id, size_t max, struct msg_turn **turns, size_t *n)
{
    char limit[24];
    const char *params[4] = {conv_id, user_id, limit, until_id};
    PGresult *res;
    int i, rows;

    *turns = NULL;
    *n = 0;
    snprintf(limit, sizeof(limit), "%zu", max);
    res = db_exec(db, HISTORY_SQL, 4, params, true);
    if (res == NULL)
        return DB_ERROR;
    rows = PQntuples(res);
    if (rows == 0) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    *turns = arena_alloc(a, (size_t)rows * sizeof(**turns));
    for (i = 0; i < rows; i++) {
        if (db_value(res, i, 0) == NULL)
            continue;
        (*turns)[*n].role = arena_strdup(a, PQgetvalue(res, i, 0));
        (*turns)[*n].content = arena_strdup(a, PQgetvalue(res, i, 1));
        (*turns)[*n].citations =
            strcmp(PQgetvalue(res, i, 0), "assistant") == 0 ? db_arena_value(a, res, i, 2) : NULL;
        (*n)++;
    }
    PQclear(res);
    return DB_OK;
}

/* Writes a random (version 4) UUID into out; false when there is no
 * randomness to be had. */
static bool new_uuid(char out[MSG_UUID_LEN + 1])
{
    unsigned char b[16];

    if (RAND_bytes(b, sizeof(b)) != 1)
        return false;
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, MSG_UUID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
    return true;
}

enum db_status msg_save_question(struct db *db, const struct msg_question *q,
                                 char conv_out[MSG_UUID_LEN + 1], char msg_out[MSG_UUID_LEN + 1],
                                 char next_out[MSG_UUID_LEN + 1])
{
    char lease[24], conv_id[MSG_UUID_LEN + 1], msg_id[MSG_UUID_LEN + 1];
    PGresult *res;

    if (!new_uuid(conv_id) || !new_uuid(msg_id) || !new_uuid(next_out)) {
        log_error("RAND_bytes failed for a message id");
        return DB_ERROR;
    }
    snprintf(lease, sizeof(lease), "%ld", q->lease_s);
    /* idempotent (see QUESTION_AGAIN): sent again when its connection was
     * lost, as a database restart does to a statement in flight */
    if (q->conversation_id == NULL) {
        const char *params[7] = {q->user_id, q->title, q->content, q->key, lease, conv_id, msg_id};
        res = db_exec(db, NEW_QUESTION_SQL, 7, params, true);
    } else {
        const char *params[6] = {q->conversation_id, q->user_id, q->content, q->key, lease, msg_id};
        res = db_exec(db, QUESTION_SQL, 6, params, true);
    }
    if (res == NULL)
        /* unique_violation: the key, taken by a concurrent request */
        return strcmp(db->last_sqlstate, "23505") == 0 ? DB_CONFLICT : DB_ERROR;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    snprintf(conv_out, MSG_UUID_LEN + 1, "%s", PQgetvalue(res, 0, 0));
    snprintf(msg_out, MSG_UUID_LEN + 1, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    return DB_OK;
}

enum db_status msg_question_text(struct db *db, struct arena *a, const char *user_id,
                                 const char *conv_id, const char *question_id, const char **content)
{
    const char *params[3] = {conv_id, user_id, question_id};
    PGresult *res = db_exec(db,
                            "SELECT m.content FROM messages m "
                            "JOIN conversations c ON c.id = m.conversation_id "
                            "WHERE m.id = $3 AND m.conversation_id = $1 AND c.user_id = $2 "
                            "AND m.role = 'user'",
                            3, params, true);

    enum db_status st = db_one_row(res);

    *content = st == DB_OK ? arena_strdup(a, PQgetvalue(res, 0, 0)) : NULL;
    PQclear(res);
    return st;
}

enum db_status msg_reask(struct db *db, const char *user_id, const char *conv_id,
                         const char *question_id, long lease_s, char next_out[MSG_UUID_LEN + 1])
{
    char lease[24];
    const char *params[3] = {conv_id, user_id, question_id}, *upd[3];
    bool later, answered, failed, leased;
    PGresult *res;
    char seq[24];

    next_out[0] = '\0';
    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    res = db_exec(db, REASK_SQL, 3, params, false);
    if (db_one_row(res) != DB_OK)
        return db_rollback(db, res, db_one_row(res));
    snprintf(seq, sizeof(seq), "%s", PQgetvalue(res, 0, 0));
    later = PQgetvalue(res, 0, 1)[0] == 't';
    answered = PQgetvalue(res, 0, 2)[0] == 't';
    failed = PQgetvalue(res, 0, 3)[0] == 't';
    leased = PQgetvalue(res, 0, 4)[0] == 't';
    PQclear(res);
    /* Only the last question, unanswered, and not being answered now
     * (a failure saved ends the attempt whatever its lease says). */
    if (later || answered || (leased && !failed))
        return db_rollback(db, NULL, DB_CONFLICT);
    snprintf(lease, sizeof(lease), "%ld", lease_s);
    upd[0] = conv_id;
    upd[1] = seq;
    if (!db_command(db,
                    "DELETE FROM messages WHERE conversation_id = $1 AND seq > $2::bigint "
                    "AND kind = 'error'",
                    2, upd))
        return db_rollback(db, NULL, DB_ERROR);
    upd[0] = question_id;
    upd[1] = lease;
    res = db_exec(db,
                  "UPDATE messages SET answer_by = now() + $2::int * interval '1 second' "
                  "WHERE id = $1 RETURNING gen_random_uuid()",
                  2, upd, false);
    if (db_one_row(res) != DB_OK || !store_tx(db, "COMMIT"))
        return db_rollback(db, res, DB_ERROR);
    snprintf(next_out, MSG_UUID_LEN + 1, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}

/* Formats v into out, or returns NULL for a negative (unknown) v. */
static const char *opt_long(char out[24], long v)
{
    if (v < 0)
        return NULL;
    snprintf(out, 24, "%ld", v);
    return out;
}

int msg_prepare_saves(struct db *db)
{
    static const struct {
        const char *sql;
        int nparams;
    } saves[] = {{NEW_QUESTION_SQL, 7},
                 {QUESTION_SQL, 6},
                 {ANSWER_SQL, 14},
                 {HISTORY_SQL, 4},
                 {BY_KEY_SQL, 2}};
    int n = 0;
    size_t i;

    for (i = 0; i < sizeof(saves) / sizeof(saves[0]); i++)
        n += db_prepare(db, saves[i].sql, saves[i].nparams);
    return n;
}

/* The result of inserting a reply (ANSWER_SQL, FAILURE_SQL): false means
 * the conversation was deleted while the coach answered in it. */
static enum db_status inserted(PGresult *res, const char *what, const char *id, const char *conv_id)
{
    enum db_status st;

    if (res == NULL) {
        LOG_FIELDS(LOG_ERROR, "could not save the reply", LF_STR("what", what),
                   LF_STR("message_id", id));
        return DB_ERROR;
    }
    st = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't' ? DB_OK : DB_NOT_FOUND;
    if (st == DB_NOT_FOUND)
        LOG_FIELDS(LOG_INFO, "conversation deleted while the coach answered in it",
                   LF_STR("conversation_id", conv_id), LF_STR("dropped", what));
    PQclear(res);
    return st;
}

enum db_status msg_save_answer(struct db *db, const struct msg_answer *a)
{
    char domains[160], pt[24], ct[24], tt[24], tot[24];
    const char *params[14];

    domains_pg_array(a->domains, domains, sizeof(domains));
    params[0] = a->id;
    params[1] = a->conversation_id;
    params[2] = a->content;
    params[3] = a->citations_json;
    params[4] = domains;
    params[5] = a->mode;
    params[6] = a->model;
    params[7] = a->grounded ? "true" : "false";
    params[8] = opt_long(pt, a->prompt_tokens);
    params[9] = opt_long(ct, a->completion_tokens);
    params[10] = opt_long(tt, a->ttft_ms);
    params[11] = opt_long(tot, a->total_ms);
    params[12] = a->kind;
    params[13] = a->clarification_json;
    return inserted(db_exec(db, ANSWER_SQL, 14, params, true), "answer", a->id, a->conversation_id);
}

enum db_status msg_save_failure(struct db *db, const char *answer_id, const char *conv_id,
                                const char *code, const char *text)
{
    const char *params[4] = {answer_id, conv_id, text, code};

    return inserted(db_exec(db, FAILURE_SQL, 4, params, true), "failure", answer_id, conv_id);
}

enum msg_key_state msg_by_key(struct db *db, const char *user_id, const char *key,
                              struct msg_keyed *out)
{
    const char *params[2] = {user_id, key};
    enum msg_key_state st;
    PGresult *res;

    memset(out, 0, sizeof(*out));
    res = db_exec(db, BY_KEY_SQL, 2, params, true);
    if (res == NULL)
        return MSG_KEY_ERROR;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return MSG_KEY_UNKNOWN;
    }
    snprintf(out->question_id, sizeof(out->question_id), "%s", PQgetvalue(res, 0, 0));
    snprintf(out->conversation_id, sizeof(out->conversation_id), "%s", PQgetvalue(res, 0, 1));
    if (db_value(res, 0, 2) != NULL && strcmp(PQgetvalue(res, 0, 3), "error") != 0) {
        if (!store_json(res, 0, 2, &out->answer) || out->answer == NULL) {
            json_object_put(out->answer);
            out->answer = NULL;
            PQclear(res);
            return MSG_KEY_ERROR;
        }
        st = MSG_KEY_ANSWERED;
    } else if (db_value(res, 0, 2) == NULL && db_value(res, 0, 4) != NULL
               && strtol(PQgetvalue(res, 0, 4), NULL, 10) > 0) {
        out->retry_after = strtol(PQgetvalue(res, 0, 4), NULL, 10);
        st = MSG_KEY_PENDING;
    } else {
        st = MSG_KEY_UNANSWERED;
    }
    PQclear(res);
    return st;
}

enum db_status msg_release(struct db *db, const char *question_id)
{
    const char *params[1] = {question_id};

    return db_command(db,
                      "UPDATE messages SET answer_by = now() "
                      "WHERE id = $1::uuid AND role = 'user' AND answer_by > now()",
                      1, params)
               ? DB_OK
               : DB_ERROR;
}
