/*
 * The audit log seen from a request: the actor is the signed-in user, the
 * address the client's (db/audit.h writes the row).
 */
#ifndef PLC_HTTP_AUDIT_H
#define PLC_HTTP_AUDIT_H

#include <json-c/json.h>

struct request;

/* Records an action done through req: the actor is req->user (or
 * actor_id when given, for sign-ins before a session exists), the address
 * is the client's.  detail (may be NULL) is taken over.  Best effort: a
 * failure is logged.  For a change that must not happen without its
 * audit row, the db function writes both in one transaction instead. */
void audit_request(struct request *req, const char *actor_id, const char *action,
                   const char *target_type, const char *target_id, json_object *detail)
    __attribute__((nonnull(1, 3)));

#endif
