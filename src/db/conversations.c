/*
 * Conversation queries; see conversations.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/conv_sql.h"
#include "db/conversations.h"
#include "db/db.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/text.h"
#include "util/json.h"

/* How much of the first question the database sends for the preview. */
#define PREVIEW_FETCH_CHARS "1000"

/* The columns of a summary (see summary_from_row) and where they come
 * from; c is the conversation, p its first question. */
/* clang-format off */
#define SUMMARY_COLS                                                                               \
    "c.id, c.title, " SQL_TS("c.created_at") ", " SQL_TS("c.updated_at") ", "                      \
    "(SELECT count(*) FROM messages n WHERE n.conversation_id = c.id), "                           \
    "c.archived_at IS NOT NULL, " SQL_TS("c.archived_at") ", "                                     \
    "p.text, p.more, " SQL_USEC("c.updated_at")
/* clang-format on */
#define SUMMARY_PREVIEW                                                                            \
    "LEFT JOIN LATERAL (SELECT left(m.content, " PREVIEW_FETCH_CHARS ") AS text, "                 \
    "length(m.content) > " PREVIEW_FETCH_CHARS " AS more FROM messages m "                         \
    "WHERE m.conversation_id = c.id AND m.role = 'user' ORDER BY m.seq LIMIT 1) p ON true "
#define SUMMARY_FROM "FROM conversations c " SUMMARY_PREVIEW

/* The queries that use the fragments above (named here, where
 * clang-format leaves their layout alone). */
/* clang-format off */

/* $1 user, $2 archived (false|true|all), $3/$4 cursor (usec, id) or NULL,
 * $5 keywords or NULL, $6/$7 first/last day or NULL, $8 page size + 1. */
#define LIST_SQL                                                                                   \
    "SELECT " SUMMARY_COLS " " SUMMARY_FROM                                                        \
    "WHERE c.user_id = $1 "                                                                        \
    "AND ($2 = 'all' OR (c.archived_at IS NOT NULL) = ($2 = 'true')) "                             \
    "AND ($3::bigint IS NULL "                                                                     \
    "  OR (c.updated_at, c.id) < (" SQL_FROM_USEC("$3") ", $4::uuid)) "                            \
    "AND ($5::text IS NULL "                                                                       \
    "  OR to_tsvector('english'::regconfig, c.title) @@ websearch_to_tsquery('english', $5) "      \
    "  OR EXISTS (SELECT 1 FROM messages s WHERE s.conversation_id = c.id "                        \
    "     AND s.search @@ websearch_to_tsquery('english', $5))) "                                  \
    "AND ($6::date IS NULL OR c.updated_at >= $6::date::timestamp AT TIME ZONE 'UTC') "            \
    "AND ($7::date IS NULL OR c.updated_at < ($7::date + 1)::timestamp AT TIME ZONE 'UTC') "       \
    "ORDER BY c.updated_at DESC, c.id DESC LIMIT $8::int"

/* $1 conversation, $2 user. */
#define SUMMARY_SQL                                                                                \
    "SELECT " SUMMARY_COLS " " SUMMARY_FROM "WHERE c.id = $1 AND c.user_id = $2"

/* $1 user, $2 title. */
#define CREATE_SQL                                                                                 \
    "WITH c AS (INSERT INTO conversations (user_id, title) VALUES ($1, $2) RETURNING *) "          \
    "SELECT " SUMMARY_COLS " FROM c " SUMMARY_PREVIEW

/* $1 conversation, $2 whose feedback (or NULL), $3 share (or NULL): the
 * message, its role, the feedback. */
#define MESSAGES_SQL                                                                               \
    "SELECT " SQL_MESSAGE_JSON("m") ", m.role, "                                                   \
    "  CASE WHEN f.message_id IS NOT NULL THEN " SQL_FEEDBACK_JSON("f") " END, "                   \
    "  CASE WHEN m.role = 'user' AND m.next_role IS DISTINCT FROM 'assistant' THEN "               \
    "    CASE WHEN m.answer_by > now() THEN 'pending' ELSE 'interrupted' END END "                 \
    "FROM (SELECT *, lead(role) OVER (ORDER BY seq) AS next_role FROM messages "                   \
    "  WHERE conversation_id = $1) m "                                                             \
    "LEFT JOIN feedback f ON f.message_id = m.id AND f.user_id = $2::uuid "                        \
    "WHERE ($3::uuid IS NULL "                                                                     \
    "  OR EXISTS (SELECT 1 FROM shares s WHERE s.id = $3::uuid AND " SQL_SHARE_SHOWS("s", "m") ")) "                   \
    "ORDER BY m.seq"

/* clang-format on */
enum {
    COL_ID,
    COL_TITLE,
    COL_CREATED,
    COL_UPDATED,
    COL_COUNT,
    COL_ARCHIVED,
    COL_ARCHIVED_AT,
    COL_PREVIEW,
    COL_MORE,
    COL_USEC
};

bool store_json(const PGresult *res, int row, int col, json_object **out)
{
    const char *text = db_value(res, row, col);
    struct json_tokener *tok;

    *out = NULL;
    if (text == NULL)
        return true;
    tok = json_tokener_new_ex(64);
    if (tok == NULL) {
        log_error("out of memory parsing JSON from the database");
        return false;
    }
    *out = json_tokener_parse_ex(tok, text, (int)strlen(text));
    if (*out == NULL || json_tokener_get_error(tok) != json_tokener_success) {
        log_error("the database returned malformed JSON: %s",
                  json_tokener_error_desc(json_tokener_get_error(tok)));
        json_object_put(*out);
        *out = NULL;
        json_tokener_free(tok);
        return false;
    }
    json_tokener_free(tok);
    return true;
}

/* Builds the summary of row (SUMMARY_COLS) as a new object (caller puts). */
static json_object *summary_from_row(const PGresult *res, int row)
{
    json_object *o = json_object_new_object();
    const char *preview = db_value(res, row, COL_PREVIEW);
    const char *more = db_value(res, row, COL_MORE);
    struct buf p = BUF_INIT;

    json_add_str(o, "id", db_value(res, row, COL_ID));
    json_add_str(o, "title", db_value(res, row, COL_TITLE));
    if (preview != NULL)
        text_line(&p, preview, CONV_PREVIEW_CHARS,
                  more != NULL && more[0] == 't' ? TEXT_TRUNCATED : 0);
    json_object_object_add(o, "preview", json_object_new_string(buf_str(&p)));
    buf_free(&p);
    json_add_str(o, "created_at", db_value(res, row, COL_CREATED));
    json_add_str(o, "updated_at", db_value(res, row, COL_UPDATED));
    json_object_object_add(
        o, "message_count",
        json_object_new_int64(strtoll(PQgetvalue(res, row, COL_COUNT), NULL, 10)));
    json_object_object_add(o, "archived",
                           json_object_new_boolean(PQgetvalue(res, row, COL_ARCHIVED)[0] == 't'));
    json_add_str(o, "archived_at", db_value(res, row, COL_ARCHIVED_AT));
    return o;
}

json_object *conv_list(struct db *db, const char *user_id, const struct conv_query *q)
{
    char usec[24], limit[24];
    const char *params[8];
    json_object *list, *out;
    PGresult *res;
    int i, n;

    snprintf(usec, sizeof(usec), "%lld", (long long)q->after_usec);
    snprintf(limit, sizeof(limit), "%lld", (long long)q->limit + 1);
    params[0] = user_id;
    params[1] = q->archived;
    params[2] = q->after ? usec : NULL;
    params[3] = q->after ? q->after_id : NULL;
    params[4] = q->q;
    params[5] = q->from;
    params[6] = q->to;
    params[7] = limit;
    res = db_exec(db, LIST_SQL, 8, params, true);
    if (res == NULL)
        return NULL;
    n = PQntuples(res);
    list = json_object_new_array();
    for (i = 0; i < n && i < q->limit; i++)
        json_object_array_add(list, summary_from_row(res, i));
    out = json_object_new_object();
    json_object_object_add(out, "conversations", list);
    if (n > q->limit) {
        int64_t last = strtoll(PQgetvalue(res, i - 1, COL_USEC), NULL, 10);
        char cursor[CURSOR_LEN + 1];
        if (!cursor_encode(last, PQgetvalue(res, i - 1, COL_ID), cursor)) {
            log_error("cannot encode a cursor for a conversation");
            json_object_put(out);
            PQclear(res);
            return NULL;
        }
        json_add_str(out, "next_cursor", cursor);
    } else {
        json_add_str(out, "next_cursor", NULL);
    }
    PQclear(res);
    return out;
}

/* Reads the summary of conversation id of user_id: a new object, or NULL
 * with *st set. */
static json_object *summary(struct db *db, const char *user_id, const char *id, enum db_status *st)
{
    const char *params[2] = {id, user_id};
    PGresult *res = db_exec(db, SUMMARY_SQL, 2, params, true);
    json_object *o;

    if (res == NULL) {
        *st = DB_ERROR;
        return NULL;
    }
    if (PQntuples(res) != 1) {
        PQclear(res);
        *st = DB_NOT_FOUND;
        return NULL;
    }
    o = summary_from_row(res, 0);
    PQclear(res);
    *st = DB_OK;
    return o;
}

json_object *conv_create(struct db *db, const char *user_id, const char *title)
{
    const char *params[2] = {user_id, title};
    PGresult *res = db_exec(db, CREATE_SQL, 2, params, false);
    json_object *o;

    if (res == NULL)
        return NULL;
    if (PQntuples(res) != 1) {
        log_error("creating a conversation returned no row");
        PQclear(res);
        return NULL;
    }
    o = summary_from_row(res, 0);
    PQclear(res);
    return o;
}

json_object *conv_messages(struct db *db, const char *conv_id, const char *feedback_user,
                           const char *share_id)
{
    const char *params[3] = {conv_id, feedback_user, share_id};
    json_object *list;
    PGresult *res;
    int i, n;

    res = db_exec(db, MESSAGES_SQL, 3, params, true);
    if (res == NULL)
        return NULL;
    n = PQntuples(res);
    list = json_object_new_array_ext(n > 0 ? n : 1);
    for (i = 0; i < n; i++) {
        json_object *m, *f;
        if (!store_json(res, i, 0, &m) || m == NULL || !store_json(res, i, 2, &f)) {
            json_object_put(m);
            json_object_put(list);
            PQclear(res);
            return NULL;
        }
        if (feedback_user != NULL && strcmp(PQgetvalue(res, i, 1), "assistant") == 0)
            json_object_object_add(m, "feedback", f);
        else
            json_object_put(f);
        /* A question with no answer after it: being answered until its
         * answer_by, interrupted after (src/db/messages.h). */
        if (strcmp(PQgetvalue(res, i, 1), "user") == 0)
            json_object_object_add(
                m, "answer_state",
                db_value(res, i, 3) ? json_object_new_string(PQgetvalue(res, i, 3)) : NULL);
        json_object_array_add(list, m);
    }
    PQclear(res);
    return list;
}

json_object *conv_get(struct db *db, const char *user_id, const char *id, bool with_messages,
                      enum db_status *st)
{
    json_object *o = summary(db, user_id, id, st), *messages;

    if (o == NULL || !with_messages)
        return o;
    /* Ownership was checked just above; a conversation deleted in between
     * simply shows no messages. */
    messages = conv_messages(db, id, user_id, NULL);
    if (messages == NULL) {
        json_object_put(o);
        *st = DB_ERROR;
        return NULL;
    }
    json_object_object_add(o, "messages", messages);
    return o;
}

enum db_status conv_update(struct db *db, const char *user_id, const char *id, const char *title,
                           int archive)
{
    const char *params[4] = {id, user_id, title, archive < 0 ? NULL : archive ? "true" : "false"};
    PGresult *res = db_exec(db,
                            "UPDATE conversations SET title = coalesce($3, title), "
                            "archived_at = CASE WHEN $4::boolean IS NULL THEN archived_at "
                            "  WHEN $4::boolean THEN coalesce(archived_at, now()) ELSE NULL END, "
                            "updated_at = now() "
                            "WHERE id = $1 AND user_id = $2 RETURNING id",
                            4, params, false);
    enum db_status st;

    if (res == NULL)
        return DB_ERROR;
    st = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    PQclear(res);
    return st;
}

enum db_status conv_delete(struct db *db, const char *user_id, const char *id, const char *ip)
{
    const char *params[2] = {id, user_id};
    json_object *detail;
    PGresult *res;
    long long count;

    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    /* The count is read from the snapshot before the delete. */
    res = db_exec(db,
                  "DELETE FROM conversations c WHERE c.id = $1 AND c.user_id = $2 "
                  "RETURNING (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)",
                  2, params, false);
    if (db_one_row(res) != DB_OK)
        return db_rollback(db, res, db_one_row(res));
    count = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    detail = json_object_new_object();
    json_object_object_add(detail, "messages", json_object_new_int64(count));
    if (audit_write(db, user_id, "conversation.delete", "conversation", id, ip, detail) != DB_OK)
        return db_rollback(db, NULL, DB_ERROR);
    if (!store_tx(db, "COMMIT"))
        return DB_ERROR;
    return DB_OK;
}
