/*
 * Audit rows for a request; see audit.h.
 */
#include "config.h"

#include "auth/session.h"
#include "db/audit.h"
#include "http/audit.h"
#include "http/request.h"

void audit_request(struct request *req, const char *actor_id, const char *action,
                   const char *target_type, const char *target_id, json_object *detail)
{
    const struct auth_user *u = req->user;

    if (req->db == NULL) {
        if (detail != NULL)
            json_object_put(detail);
        return;
    }
    if (actor_id == NULL && u != NULL)
        actor_id = u->id;
    (void)audit_write(req->db, actor_id, action, target_type, target_id, request_client_ip(req),
                      detail);
}
