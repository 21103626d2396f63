/*
 * Audit log writes; see audit.h.
 */
#include "config.h"

#include "auth/session.h"
#include "db/audit.h"
#include "db/db.h"
#include "http/request.h"
#include "util/log.h"

bool audit_record(struct db *db, const char *actor_id, const char *action, const char *target_type,
                  const char *target_id, const char *ip, json_object *detail)
{
    const char *params[6];
    PGresult *res;

    params[0] = actor_id;
    params[1] = action;
    params[2] = target_type;
    params[3] = target_id;
    params[4] = ip;
    params[5] = detail ? json_object_to_json_string_ext(detail, JSON_C_TO_STRING_PLAIN) : "{}";
    res = db_exec(db,
                  "INSERT INTO audit_log (actor_id, action, target_type, target_id, ip, detail) "
                  "VALUES ($1, $2, $3, $4, $5::inet, $6::jsonb)",
                  6, params, false);
    if (detail != NULL)
        json_object_put(detail);
    if (res == NULL) {
        LOG_FIELDS(LOG_ERROR, "audit write failed", LF_STR("action", action));
        return false;
    }
    PQclear(res);
    return true;
}

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
    (void)audit_record(req->db, actor_id, action, target_type, target_id, request_client_ip(req),
                       detail);
}
