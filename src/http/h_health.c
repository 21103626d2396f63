/*
 * GET /health: the deep health check (docs/operations.md, "Health").
 *
 * 200 {"status":"ok","db":"ok","version":...} when the database answers;
 * 503 {"status":"unavailable","db":"unavailable","reason":...} when it does
 * not.  The worker's connection heals by itself (db.c), so the endpoint
 * turns back to 200 as soon as the database is back.  The endpoint is
 * public (CloudFront sends /health to the ALB), so the reason is a short
 * fixed phrase; libpq's message, which names the socket path or host, the
 * port and the user, goes to the log with the request id.
 *
 * GET /health/live and GET /health/ready: the container's liveness check
 * and the load balancer's readiness check.  Neither touches the database:
 * a database outage is shared by every task, and a check that failed on it
 * would make ECS replace every task, each of which would then wait for the
 * same database.  The worker answering is the whole check; nginx in the
 * Fargate task adds the start-up and shutdown states in front of them
 * (conf/nginx/fargate.conf).
 */
#include "config.h"

#include "db/db.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "util/log.h"
#include "version.h"

void h_health(struct request *req)
{
    json_object *o = json_object_new_object();
    char detail[256];
    bool up = req->db != NULL && db_ping(req->db, detail, sizeof(detail));

    json_object_object_add(o, "status", json_object_new_string(up ? "ok" : "unavailable"));
    json_object_object_add(o, "db", json_object_new_string(up ? "ok" : "unavailable"));
    if (!up) {
        if (req->db != NULL)
            log_warn("health: database unavailable: %s", detail);
        json_object_object_add(o, "reason",
                               json_object_new_string(req->db != NULL
                                                          ? "the database cannot be reached"
                                                          : "no database configured"));
    }
    json_object_object_add(o, "version", json_object_new_string(PLC_VERSION));
    resp_json(req, up ? 200 : 503, o);
}

void h_health_live(struct request *req)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "status", json_object_new_string("ok"));
    json_object_object_add(o, "version", json_object_new_string(PLC_VERSION));
    resp_json(req, 200, o);
}
