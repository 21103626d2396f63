/*
 * The audit log: sign-ins, role changes, shares, exports, deletions and
 * content changes, with actor, action, target, client address and time.
 */
#ifndef PLC_DB_AUDIT_H
#define PLC_DB_AUDIT_H

#include <json-c/json.h>
#include <stdbool.h>

#include "db/status.h"
#include <stddef.h>

struct arena;
struct db;

/* Records one action.  actor_id, target_type, target_id, ip may be NULL;
 * detail (may be NULL) is taken over and put.  Returns DB_OK, or DB_ERROR
 * (logged) when the row could not be written. */
enum db_status audit_write(struct db *db, const char *actor_id, const char *action,
                           const char *target_type, const char *target_id, const char *ip,
                           json_object *detail) __attribute__((nonnull(1, 3)));

/* An audit log entry as the administration reads it (strings in an
 * arena; NULL for what the entry lacks). */
struct audit_row {
    long long id;
    const char *at; /* ISO 8601 UTC, milliseconds */
    const char *actor_id, *actor_email, *action, *target_type, *target_id, *ip;
    const char *detail_json; /* a JSON object */
};

/* What the administration's audit screen filters by; each NULL (or
 * empty) for all. */
struct audit_filter {
    const char *before; /* entries before this entry id (a decimal) */
    const char *action; /* the action, or a prefix of it up to a "." */
    const char *actor;  /* the actor's email, any case */
    const char *target; /* the target's id */
    const char *from;   /* entries on or after this day, YYYY-MM-DD (UTC) */
    const char *to;     /* entries on or before this day, YYYY-MM-DD (UTC) */
};

/* Lists entries newest first that match f, at most limit.  *rows (n of
 * them) are allocated in a; *more is true when more follow.  Returns DB_OK,
 * or DB_ERROR when the query failed (logged). */
enum db_status audit_list(struct db *db, struct arena *a, const struct audit_filter *f, int limit,
                          struct audit_row **rows, size_t *n, bool *more) __attribute__((nonnull));

#endif
