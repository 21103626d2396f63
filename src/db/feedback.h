/*
 * Feedback on the coach's answers: the owner's thumbs up/down with reasons,
 * comment and flag (POST /api/messages/{id}/feedback), and the admins'
 * review of flagged answers (/api/admin/feedback).
 *
 * A user gives feedback only on assistant messages of their own
 * conversations.  Admins see, for each flag, that one exchange: the answer
 * and the question before it, never the rest of the conversation.
 */
#ifndef PLC_DB_FEEDBACK_H
#define PLC_DB_FEEDBACK_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/status.h"
#include "util/cursor.h"

struct db;

/* One POST of feedback.  It replaces rating, reasons and comment; the
 * flag is a separate switch that an absent "flag" leaves as it was. */
struct feedback_input {
    int rating;          /* 1 (up) or -1 (down) */
    const char *reasons; /* PostgreSQL array literal of allowed words, "{}" for none */
    const char *comment; /* NULL for none */
    int flag;            /* 1 raise (re-opens a resolved flag), 0 withdraw, -1 leave */
};

/* Stores user_id's feedback on message_id.  Returns it as a new object
 * {message_id, rating, reasons, comment, flagged, resolved_at, created_at,
 * updated_at} (caller puts), or NULL with *st = DB_NOT_FOUND (no such
 * message in user_id's conversations), DB_INVALID (the message is a
 * question, not an answer) or DB_ERROR. */
json_object *feedback_put(struct db *db, const char *user_id, const char *message_id,
                          const struct feedback_input *in, enum db_status *st)
    __attribute__((nonnull, warn_unused_result));

/* What GET /api/admin/feedback asks for. */
struct feedback_query {
    const char *status; /* "open", "resolved" or "all" */
    bool after;         /* a cursor was given: flags after (usec, id) */
    int64_t after_usec;
    char after_id[CURSOR_UUID_LEN + 1];
    int64_t limit;         /* 1..100 */
    const char *viewer_id; /* the admin reading (borrowed) */
};

/* Lists flagged feedback, most recently flagged first.  Returns a new
 * object {"feedback": [item...], "next_cursor": string|null} (caller
 * puts), or NULL when the database failed.  An item is {message_id,
 * conversation_id, status, rating, reasons, comment, flagged_at,
 * flagged_by: {id, name, email}, resolved_at, resolved_by: {id,
 * name}|null, resolution_note, question: {id, content,
 * created_at}|null, answer: message}; conversation_id is null unless
 * the answer's conversation is q->viewer_id's own. */
json_object *feedback_flagged_list(struct db *db, const struct feedback_query *q)
    __attribute__((nonnull, warn_unused_result));

/* Resolves the open flag on message_id by admin_id with an optional note,
 * recording feedback.resolve in the audit log (address ip, may be NULL) in
 * the same transaction.  On DB_OK *item is the resolved item (caller
 * puts); otherwise *item is NULL and the result is DB_NOT_FOUND (no
 * flag there), DB_CONFLICT (already resolved) or DB_ERROR. */
enum db_status feedback_resolve(struct db *db, const char *admin_id, const char *message_id,
                                const char *note, const char *ip, json_object **item)
    __attribute__((nonnull(1, 2, 3, 6)));

#endif
