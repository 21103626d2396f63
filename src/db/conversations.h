/*
 * Conversations and their messages: the queries behind
 * /api/conversations (h_conversations.c), plus what feedback.c and
 * shares.c share with them (the result enum, transactions, reading JSON
 * that PostgreSQL built).
 *
 * Privacy is enforced here: every function that reads or changes a
 * conversation takes the caller's user id and matches it in the same
 * statement, so another user's conversation is indistinguishable from a
 * missing one (DB_NOT_FOUND).
 */
#ifndef PLC_DB_CONVERSATIONS_H
#define PLC_DB_CONVERSATIONS_H

#include <json-c/json.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/status.h"
#include "util/cursor.h"

struct buf;
struct db;

#define CONV_PREVIEW_CHARS 160
#define CONV_TITLE_MAX 200

/* What GET /api/conversations asks for. */
struct conv_query {
    const char *archived; /* "false", "true" or "all" */
    const char *q;        /* keywords (websearch syntax), NULL for none */
    const char *from;     /* first day (YYYY-MM-DD, UTC) of updated_at, or NULL */
    const char *to;       /* last day, inclusive, or NULL */
    bool after;           /* a cursor was given: rows after (usec, id) */
    int64_t after_usec;
    char after_id[CURSOR_UUID_LEN + 1];
    int64_t limit; /* 1..100 */
};

/* Lists user_id's conversations, newest first.  Returns a new object
 * {"conversations": [summary...], "next_cursor": string|null} (caller
 * puts), or NULL when the database failed. */
json_object *conv_list(struct db *db, const char *user_id, const struct conv_query *q)
    __attribute__((nonnull, warn_unused_result));

/* Creates a conversation titled title for user_id.  Returns its summary
 * (caller puts) or NULL when the database failed. */
json_object *conv_create(struct db *db, const char *user_id, const char *title)
    __attribute__((nonnull, warn_unused_result));

/* Returns conversation id of user_id as a new object (caller puts): the
 * summary {id, title, preview, created_at, updated_at, message_count,
 * archived, archived_at}, plus "messages" (oldest first, each assistant
 * message with the caller's "feedback" or null) when with_messages.  NULL
 * with *st = DB_NOT_FOUND or DB_ERROR otherwise. */
json_object *conv_get(struct db *db, const char *user_id, const char *id, bool with_messages,
                      enum db_status *st) __attribute__((nonnull, warn_unused_result));

/* Renames (title not NULL) and/or archives (archive 1) or unarchives
 * (archive 0) conversation id of user_id; archive -1 leaves it.  Returns
 * DB_OK, DB_NOT_FOUND or DB_ERROR. */
enum db_status conv_update(struct db *db, const char *user_id, const char *id, const char *title,
                           int archive) __attribute__((nonnull(1, 2, 3)));

/* Deletes conversation id of user_id with its messages, feedback and
 * shares, and records conversation.delete in the audit log (actor
 * user_id, address ip, which may be NULL) in the same transaction.
 * Returns DB_OK, DB_NOT_FOUND or DB_ERROR (nothing deleted). */
enum db_status conv_delete(struct db *db, const char *user_id, const char *id, const char *ip)
    __attribute__((nonnull(1, 2, 3)));

/* Returns the messages of conversation conv_id, oldest first, as a new
 * array (caller puts), or NULL when the database failed.  With
 * feedback_user, each assistant message carries that user's "feedback"
 * (or null); without, no message has a "feedback" key.  With share_id,
 * only the messages that existed when that share was made. */
json_object *conv_messages(struct db *db, const char *conv_id, const char *feedback_user,
                           const char *share_id) __attribute__((nonnull(1, 2), warn_unused_result));

/* Parses the JSON text that PostgreSQL built at (row, col) into *out
 * (caller puts; NULL for SQL NULL).  Returns false (logged) when it is not
 * JSON, which would be a bug in a query. */
bool store_json(const PGresult *res, int row, int col, json_object **out)
    __attribute__((nonnull(1, 4), warn_unused_result));

#endif
