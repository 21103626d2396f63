/*
 * GET /health: what the ALB's target group checks.
 *
 * 200 {"status":"ok","db":"ok","version":...} when the database answers;
 * 503 {"status":"unavailable","db":"unavailable","reason":...} when it does
 * not.  The worker's connection heals by itself (db.c), so the endpoint
 * turns back to 200 as soon as the database is back.
 */
#include "config.h"

#include "db/db.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "version.h"

void h_health(struct request *req)
{
    json_object *o = json_object_new_object();
    char reason[256];
    bool up = req->db != NULL && db_ping(req->db, reason, sizeof(reason));

    json_object_object_add(o, "status", json_object_new_string(up ? "ok" : "unavailable"));
    json_object_object_add(o, "db", json_object_new_string(up ? "ok" : "unavailable"));
    if (!up)
        json_object_object_add(o, "reason",
                               json_object_new_string(req->db ? reason : "no database configured"));
    json_object_object_add(o, "version", json_object_new_string(PLC_VERSION));
    resp_json(req, up ? 200 : 503, o);
}
