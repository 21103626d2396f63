/*
 * The coach's message queries; see messages.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/messages.h"
#include "library/domains.h"
#include "util/log.h"

/* $1 conversation, $2 user, $3 how many: one row per message, oldest
 * first, or one row of NULLs for an empty conversation; none when it is
 * not the user's. */
#define HISTORY_SQL                                                                                \
    "SELECT m.role, m.content FROM conversations c "                                               \
    "LEFT JOIN LATERAL (SELECT role, content, seq FROM messages "                                  \
    "  WHERE conversation_id = c.id ORDER BY seq DESC LIMIT $3::int) m ON true "                   \
    "WHERE c.id = $1 AND c.user_id = $2 ORDER BY m.seq"

/* $1 user, $2 title, $3 content. */
#define NEW_QUESTION_SQL                                                                           \
    "WITH c AS (INSERT INTO conversations (user_id, title) VALUES ($1, $2) RETURNING id), "        \
    "m AS (INSERT INTO messages (conversation_id, role, content) "                                 \
    "  SELECT id, 'user', $3 FROM c RETURNING id, conversation_id) "                               \
    "SELECT conversation_id, id, gen_random_uuid() FROM m"

/* $1 conversation, $2 user, $3 content. */
#define QUESTION_SQL                                                                               \
    "INSERT INTO messages (conversation_id, role, content) "                                       \
    "SELECT c.id, 'user', $3 FROM conversations c WHERE c.id = $1 AND c.user_id = $2 "             \
    "RETURNING conversation_id, id, gen_random_uuid()"

#define ANSWER_SQL                                                                                 \
    "INSERT INTO messages (id, conversation_id, role, content, citations, domains, mode, model, "  \
    "  grounded, prompt_tokens, completion_tokens, ttft_ms, total_ms, kind, clarification) "       \
    "VALUES ($1, $2, 'assistant', $3, $4::jsonb, $5::text[], $6, $7, $8::boolean, $9::int, "       \
    "  $10::int, $11::int, $12::int, $13, $14::jsonb)"

enum store_result msg_history(struct db *db, struct arena *a, const char *user_id,
                              const char *conv_id, size_t max, struct msg_turn **turns, size_t *n)
{
    char limit[24];
    const char *params[3] = {conv_id, user_id, limit};
    PGresult *res;
    int i, rows;

    *turns = NULL;
    *n = 0;
    snprintf(limit, sizeof(limit), "%zu", max);
    res = db_exec(db, HISTORY_SQL, 3, params, true);
    if (res == NULL)
        return STORE_ERROR;
    rows = PQntuples(res);
    if (rows == 0) {
        PQclear(res);
        return STORE_NOT_FOUND;
    }
    *turns = arena_alloc(a, (size_t)rows * sizeof(**turns));
    for (i = 0; i < rows; i++) {
        if (db_value(res, i, 0) == NULL)
            continue;
        (*turns)[*n].role = arena_strdup(a, PQgetvalue(res, i, 0));
        (*turns)[*n].content = arena_strdup(a, PQgetvalue(res, i, 1));
        (*n)++;
    }
    PQclear(res);
    return STORE_OK;
}

enum store_result msg_save_question(struct db *db, const char *user_id, const char *conv_id,
                                    const char *title, const char *content,
                                    char conv_out[MSG_UUID_LEN + 1], char msg_out[MSG_UUID_LEN + 1],
                                    char next_out[MSG_UUID_LEN + 1])
{
    PGresult *res;

    if (conv_id == NULL) {
        const char *params[3] = {user_id, title, content};
        res = db_exec(db, NEW_QUESTION_SQL, 3, params, false);
    } else {
        const char *params[3] = {conv_id, user_id, content};
        res = db_exec(db, QUESTION_SQL, 3, params, false);
    }
    if (res == NULL)
        return STORE_ERROR;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return STORE_NOT_FOUND;
    }
    snprintf(conv_out, MSG_UUID_LEN + 1, "%s", PQgetvalue(res, 0, 0));
    snprintf(msg_out, MSG_UUID_LEN + 1, "%s", PQgetvalue(res, 0, 1));
    snprintf(next_out, MSG_UUID_LEN + 1, "%s", PQgetvalue(res, 0, 2));
    PQclear(res);
    return STORE_OK;
}

/* Formats v into out, or returns NULL for a negative (unknown) v. */
static const char *opt_long(char out[24], long v)
{
    if (v < 0)
        return NULL;
    snprintf(out, 24, "%ld", v);
    return out;
}

bool msg_save_answer(struct db *db, const struct msg_answer *a)
{
    char domains[160], pt[24], ct[24], tt[24], tot[24];
    const char *params[14];
    PGresult *res;

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
    res = db_exec(db, ANSWER_SQL, 14, params, false);
    if (res == NULL) {
        log_error("could not save the answer %s", a->id);
        return false;
    }
    PQclear(res);
    return true;
}
