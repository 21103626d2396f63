/*
 * The audit log: sign-ins, role changes, shares, exports, deletions and
 * content changes, with actor, action, target, client address and time.
 */
#ifndef PLC_DB_AUDIT_H
#define PLC_DB_AUDIT_H

#include <json-c/json.h>
#include <stdbool.h>

struct db;
struct request;

/* Records one action.  actor_id, target_type, target_id, ip may be NULL;
 * detail (may be NULL) is taken over and put.  Returns false (logged) when
 * the row could not be written. */
bool audit_record(struct db *db, const char *actor_id, const char *action, const char *target_type,
                  const char *target_id, const char *ip, json_object *detail)
    __attribute__((nonnull(1, 3)));

/* Records an action done through req: the actor is req->user (or
 * actor_id when given, for sign-ins before a session exists), the address
 * is the client's. */
void audit_request(struct request *req, const char *actor_id, const char *action,
                   const char *target_type, const char *target_id, json_object *detail)
    __attribute__((nonnull(1, 3)));

#endif
