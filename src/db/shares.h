/*
 * View-only share links for conversations.
 *
 * The owner makes a link (a random token: src/auth/token.h), optionally
 * expiring after 1-365 days, and may revoke it.  Only the token's SHA-256
 * is stored; the token itself is shown once, when the link is made.  A
 * share shows the conversation's title and the messages that existed when
 * it was made (a snapshot) or, when live, all of them as the conversation
 * grows; and names who shared it; never feedback.
 */
#ifndef PLC_DB_SHARES_H
#define PLC_DB_SHARES_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/status.h"

struct db;

#define SHARE_MAX_DAYS 365

/* Shares conversation conv_id of user_id under token_hash (the token's
 * digest), expiring after days (0: never), live or a snapshot, and records
 * share.create in the audit log (address ip, may be NULL) in the same
 * transaction.  On DB_OK *out is {id, created_at, expires_at, live}
 * (caller puts); otherwise NULL and DB_NOT_FOUND or DB_ERROR. */
enum db_status share_create(struct db *db, const char *user_id, const char *conv_id,
                            const char *token_hash, int64_t days, bool live, const char *ip,
                            json_object **out) __attribute__((nonnull(1, 2, 3, 4, 8)));

/* Lists the shares of conversation conv_id of user_id, newest first.  On
 * DB_OK *out is an array of {id, created_at, expires_at, revoked,
 * revoked_at, live, active} (caller puts); otherwise NULL and DB_NOT_FOUND or
 * DB_ERROR. */
enum db_status share_list(struct db *db, const char *user_id, const char *conv_id,
                          json_object **out) __attribute__((nonnull));

/* Revokes share share_id of conversation conv_id of user_id, recording
 * share.revoke in the audit log (address ip, may be NULL) in the same
 * transaction.  A share revoked before stays so (DB_OK, nothing
 * recorded).  Returns DB_OK, DB_NOT_FOUND or DB_ERROR. */
enum db_status share_revoke(struct db *db, const char *user_id, const char *conv_id,
                            const char *share_id, const char *ip)
    __attribute__((nonnull(1, 2, 3, 4)));

/* Returns the view of the active share whose token digests to token_hash
 * as a new object {title, messages, shared_by: {name}, created_at,
 * expires_at, live} (caller puts), or NULL with *st = DB_NOT_FOUND (unknown,
 * expired or revoked, alike) or DB_ERROR.  Without with_messages the
 * object has no "messages": what a recipient who is not signed in is told
 * (who shared what, until when). */
json_object *share_view(struct db *db, const char *token_hash, bool with_messages,
                        enum db_status *st) __attribute__((nonnull, warn_unused_result));

/* Copies what the active share whose token digests to token_hash shows
 * into a new conversation of user_id (same title, the messages it shows
 * now, in order), recording share.copy {"share_id",
 * "from_conversation_id"} against the new conversation in the audit log
 * (address ip, may be NULL) in the same transaction.  On DB_OK
 * *conv_id_out is the new conversation's id (caller frees); otherwise
 * DB_NOT_FOUND (unknown, expired or revoked, alike) or DB_ERROR. */
enum db_status share_copy(struct db *db, const char *user_id, const char *token_hash,
                          const char *ip, char **conv_id_out) __attribute__((nonnull(1, 2, 3, 5)));

#endif
