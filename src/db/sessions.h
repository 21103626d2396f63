/*
 * Sessions' rows (auth/session.h says what a session is): the digest of
 * the browser's token, the user, the CSRF token, idle and absolute expiry.
 */
#ifndef PLC_DB_SESSIONS_H
#define PLC_DB_SESSIONS_H

#include <stdbool.h>

#include "db/status.h"

struct arena;
struct db;

/* A session's user as session_find() reads it (strings in an arena). */
struct session_row {
    const char *user_id, *email, *name, *role;
    const char *org_id; /* NULL: none */
    const char *csrf_token;
};

/* Stores a new session (token digest hash, csrf token) for user_id,
 * expiring max_s seconds from now, with the client's address ip and
 * user_agent (both may be NULL); first ends the user's expired or idle
 * (idle_s) sessions, then those beyond the per_user most recently used.
 * Returns DB_OK, or DB_ERROR when the session could not be stored (logged). */
enum db_status session_insert(struct db *db, const char *hash, const char *user_id,
                              const char *csrf, long long max_s, long long idle_s,
                              long long per_user, const char *ip, const char *user_agent)
    __attribute__((nonnull(1, 2, 3, 4)));

/* A session's idle timer (last_seen_at) is moved at most once in this
 * many seconds (or in half the idle time, when shorter), so a session may
 * end idle up to this much early. */
#define SESSION_TOUCH_S 60

/* Finds the live session whose token digests to hash (idle at most idle_s
 * seconds, its user enabled) and refreshes its idle timer when it was last
 * moved SESSION_TOUCH_S or more ago; *out's strings in a.  Returns DB_OK,
 * DB_NOT_FOUND or DB_ERROR. */
enum db_status session_find(struct db *db, struct arena *a, const char *hash, long long idle_s,
                            struct session_row *out) __attribute__((nonnull));

/* Ends the session whose token digests to hash (best effort, logged). */
void session_delete(struct db *db, const char *hash) __attribute__((nonnull));

#endif
