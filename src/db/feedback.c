/*
 * Feedback queries; see feedback.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/conv_sql.h"
#include "db/conversations.h"
#include "db/db.h"
#include "db/feedback.h"
#include "util/log.h"

/* A flagged item for admins: f the feedback, a the answer, u who
 * flagged, r who resolved, q the question just before the answer, vc
 * the answer's conversation; viewer is the parameter holding the admin
 * who reads the item: the conversation's id is given only when it is
 * hers (an admin gets a 404 on anyone else's conversation, so a link
 * there would lead nowhere). */
/* clang-format off */
#define FLAG_ITEM_JSON(viewer)                                                                     \
    "json_build_object('message_id', f.message_id, "                                               \
    "'conversation_id', CASE WHEN vc.user_id = " viewer "::uuid THEN vc.id END, "                  \
    "'status', CASE WHEN f.resolved_at IS NULL THEN 'open' ELSE 'resolved' END, "                  \
    "'rating', CASE f.rating WHEN 1 THEN 'up' ELSE 'down' END, "                                   \
    "'reasons', to_json(f.reasons), 'comment', f.comment, "                                        \
    "'flagged_at', " SQL_TS("f.flagged_at") ", "                                                   \
    "'flagged_by', json_build_object('id', u.id, 'name', u.name, 'email', u.email), "              \
    "'resolved_at', " SQL_TS("f.resolved_at") ", "                                                 \
    "'resolved_by', CASE WHEN r.id IS NOT NULL "                                                   \
    "  THEN json_build_object('id', r.id, 'name', r.name) END, "                                   \
    "'resolution_note', f.resolution_note, "                                                       \
    "'question', CASE WHEN q.id IS NOT NULL THEN json_build_object('id', q.id, "                   \
    "  'content', q.content, 'created_at', " SQL_TS("q.created_at") ") "                           \
    "  ELSE (f.snapshot -> 'question')::json END, "                                                \
    "'deleted', f.deleted, "                                                                       \
    "'answer', " SQL_MESSAGE_JSON("a") ")"
/* clang-format on */
/* The answer a is the message, or when it was deleted (the flag
 * outlived it, sql/060_flags_outlive.sql) the snapshot kept with the flag;
 * q is then absent and the question comes from the snapshot too. */
#define FLAG_ITEM_FROM                                                                             \
    "FROM feedback f LEFT JOIN messages am ON am.id = f.message_id "                               \
    "CROSS JOIN LATERAL jsonb_populate_record(NULL::messages, "                                    \
    "  CASE WHEN am.id IS NOT NULL THEN to_jsonb(am) - 'search' "                                  \
    "  ELSE f.snapshot -> 'answer' END) a "                                                        \
    "JOIN users u ON u.id = f.user_id "                                                            \
    "LEFT JOIN users r ON r.id = f.resolved_by "                                                   \
    "LEFT JOIN LATERAL (SELECT q.id, q.content, q.created_at FROM messages q "                     \
    "  WHERE am.id IS NOT NULL AND q.conversation_id = a.conversation_id AND q.role = 'user' "     \
    "  AND q.seq < a.seq ORDER BY q.seq DESC LIMIT 1) q ON true "                                  \
    "LEFT JOIN conversations vc ON vc.id = am.conversation_id "

/* clang-format off */

/* $1 message, $2 user, $3 rating, $4 reasons, $5 comment, $6 flag (NULL:
 * leave).  A raised flag keeps its time while it stays open; raising it
 * again after a resolution opens it anew; withdrawing it clears it.
 * Answers: the message's role (no row: not the caller's), and the stored
 * feedback (NULL for a question). */
#define PUT_SQL                                                                                    \
    "WITH m AS (SELECT m.id, CASE WHEN m.kind = 'error' THEN 'failure' ELSE m.role END AS role "   \
    "  FROM messages m "                                                                           \
    "  JOIN conversations c ON c.id = m.conversation_id WHERE m.id = $1 AND c.user_id = $2), "     \
    "saved AS (INSERT INTO feedback AS f "                                                         \
    "  (message_id, user_id, rating, reasons, comment, flagged, flagged_at) "                      \
    "  SELECT m.id, $2, $3::smallint, $4::text[], $5, coalesce($6::boolean, false), "              \
    "    CASE WHEN $6::boolean THEN now() END FROM m WHERE m.role = 'assistant' "                  \
    "  ON CONFLICT (message_id) DO UPDATE SET rating = EXCLUDED.rating, "                          \
    "    reasons = EXCLUDED.reasons, comment = EXCLUDED.comment, "                                 \
    "    flagged = coalesce($6::boolean, f.flagged), "                                             \
    "    flagged_at = CASE WHEN $6::boolean IS NULL THEN f.flagged_at "                            \
    "      WHEN NOT $6::boolean THEN NULL "                                                        \
    "      WHEN f.flagged AND f.resolved_at IS NULL THEN f.flagged_at ELSE now() END, "            \
    "    resolved_at = CASE WHEN $6::boolean IS NULL THEN f.resolved_at END, "                     \
    "    resolved_by = CASE WHEN $6::boolean IS NULL THEN f.resolved_by END, "                     \
    "    resolution_note = CASE WHEN $6::boolean IS NULL THEN f.resolution_note END, "             \
    "    updated_at = now() "                                                                      \
    "  RETURNING *) "                                                                              \
    "SELECT m.role, (SELECT json_build_object('message_id', f.message_id, "                        \
    "  " SQL_FEEDBACK_FIELDS("f") ") FROM saved f) FROM m"

/* $1 status (open|resolved|all), $2/$3 cursor (usec, id) or NULL, $4 page
 * size + 1, $5 the admin reading: the item, its position. */
#define LIST_SQL                                                                                   \
    "SELECT " FLAG_ITEM_JSON("$5") ", " SQL_USEC("f.flagged_at") ", f.message_id "                       \
    FLAG_ITEM_FROM                                                                                 \
    "WHERE f.flagged AND ($1 = 'all' OR (f.resolved_at IS NULL) = ($1 = 'open')) "                 \
    "AND ($2::bigint IS NULL "                                                                     \
    "  OR (f.flagged_at, f.message_id) < (" SQL_FROM_USEC("$2") ", $3::uuid)) "                    \
    "ORDER BY f.flagged_at DESC, f.message_id DESC LIMIT $4::int"

/* $1 message, $2 the admin reading. */
#define ITEM_SQL                                                                                   \
    "SELECT " FLAG_ITEM_JSON("$2") " " FLAG_ITEM_FROM "WHERE f.flagged AND f.message_id = $1"

/* clang-format on */

json_object *feedback_put(struct db *db, const char *user_id, const char *message_id,
                          const struct feedback_input *in, enum db_status *st)
{
    const char *params[6];
    json_object *o;
    PGresult *res;

    params[0] = message_id;
    params[1] = user_id;
    params[2] = in->rating > 0 ? "1" : "-1";
    params[3] = in->reasons;
    params[4] = in->comment;
    params[5] = in->flag < 0 ? NULL : in->flag ? "true" : "false";
    res = db_exec(db, PUT_SQL, 6, params, false);
    if (res == NULL) {
        *st = DB_ERROR;
        return NULL;
    }
    if (PQntuples(res) != 1) {
        PQclear(res);
        *st = DB_NOT_FOUND;
        return NULL;
    }
    if (strcmp(PQgetvalue(res, 0, 0), "assistant") != 0) {
        PQclear(res);
        *st = DB_INVALID;
        return NULL;
    }
    if (!store_json(res, 0, 1, &o) || o == NULL) {
        json_object_put(o);
        PQclear(res);
        *st = DB_ERROR;
        return NULL;
    }
    PQclear(res);
    *st = DB_OK;
    return o;
}

/* Appends the items of res (column 0: item JSON) to list.  Returns false
 * when one does not parse. */
static bool add_items(json_object *list, const PGresult *res, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        json_object *item;
        if (!store_json(res, i, 0, &item) || item == NULL)
            return false;
        json_object_array_add(list, item);
    }
    return true;
}

json_object *feedback_flagged_list(struct db *db, const struct feedback_query *q)
{
    char usec[24], limit[24];
    const char *params[5];
    json_object *list, *out;
    PGresult *res;
    int n, shown;

    snprintf(usec, sizeof(usec), "%lld", (long long)q->after_usec);
    snprintf(limit, sizeof(limit), "%lld", (long long)q->limit + 1);
    params[0] = q->status;
    params[1] = q->after ? usec : NULL;
    params[2] = q->after ? q->after_id : NULL;
    params[3] = limit;
    params[4] = q->viewer_id;
    res = db_exec(db, LIST_SQL, 5, params, true);
    if (res == NULL)
        return NULL;
    n = PQntuples(res);
    shown = n > q->limit ? (int)q->limit : n;
    list = json_object_new_array();
    out = json_object_new_object();
    json_object_object_add(out, "feedback", list);
    if (!add_items(list, res, shown)) {
        json_object_put(out);
        PQclear(res);
        return NULL;
    }
    if (n > shown) {
        char cursor[CURSOR_LEN + 1];
        if (!cursor_encode(strtoll(PQgetvalue(res, shown - 1, 1), NULL, 10),
                           PQgetvalue(res, shown - 1, 2), cursor)) {
            log_error("cannot encode a cursor for flagged feedback");
            json_object_put(out);
            PQclear(res);
            return NULL;
        }
        json_object_object_add(out, "next_cursor", json_object_new_string(cursor));
    } else {
        json_object_object_add(out, "next_cursor", NULL);
    }
    PQclear(res);
    return out;
}

/* Reads one flagged item (any status) as viewer_id sees it.  Returns it
 * (caller puts) or NULL. */
static json_object *flag_item(struct db *db, const char *message_id, const char *viewer_id)
{
    const char *params[2] = {message_id, viewer_id};
    PGresult *res = db_exec(db, ITEM_SQL, 2, params, true);
    json_object *item = NULL;

    if (res == NULL)
        return NULL;
    if (PQntuples(res) == 1 && !store_json(res, 0, 0, &item))
        item = NULL;
    PQclear(res);
    return item;
}

enum db_status feedback_resolve(struct db *db, const char *admin_id, const char *message_id,
                                const char *note, const char *ip, json_object **item)
{
    const char *params[3] = {message_id, admin_id, note};
    json_object *detail;
    PGresult *res;

    *item = NULL;
    res = db_begin_exec(
        db,
        "UPDATE feedback SET resolved_at = now(), resolved_by = $2, resolution_note = $3 "
        "WHERE message_id = $1 AND flagged AND resolved_at IS NULL RETURNING user_id",
        3, params);
    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) != 1) {
        /* Nothing open: resolved already, or no flag at all? */
        PQclear(res);
        res = db_exec(db, "SELECT 1 FROM feedback WHERE message_id = $1 AND flagged", 1, params,
                      false);
        return db_rollback(db, res, db_one_row(res) == DB_OK ? DB_CONFLICT : db_one_row(res));
    }
    detail = json_object_new_object();
    json_object_object_add(detail, "flagged_by", json_object_new_string(PQgetvalue(res, 0, 0)));
    PQclear(res);
    if (audit_write(db, admin_id, "feedback.resolve", "feedback", message_id, ip, detail) != DB_OK)
        return db_rollback(db, NULL, DB_ERROR);
    if (!store_tx(db, "COMMIT"))
        return DB_ERROR;
    *item = flag_item(db, message_id, admin_id);
    return *item != NULL ? DB_OK : DB_ERROR;
}
