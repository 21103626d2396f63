/*
 * The signed-in user's own profile.
 *
 * GET /api/me: the profile plus the session's csrf_token, which the web app
 * sends back in X-CSRF-Token on every state-changing request.
 * PATCH /api/me {"name"}: change the display name.
 */
#include "config.h"

#include <string.h>

#include "auth/session.h"
#include "db/db.h"
#include "db/users.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"

/* Answers with the profile of the signed-in user. */
static void send_me(struct request *req, int status)
{
    const struct auth_user *u = req->user;
    bool failed;
    json_object *profile = user_profile(req->db, u->id, &failed);

    if (profile == NULL) {
        resp_db_unavailable(req);
        return;
    }
    json_object_object_add(profile, "csrf_token", json_object_new_string(u->csrf_token));
    resp_json(req, status, profile);
}

void h_me_get(struct request *req)
{
    send_me(req, 200);
}

void h_me_patch(struct request *req)
{
    static const char *const fields[] = {"name", NULL};
    const struct auth_user *u = req->user;
    json_object *body = request_json(req);
    const char *name, *params[2];
    PGresult *res;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "name", 1, 200, false, &name))
        return;
    if (name != NULL) {
        params[0] = u->id;
        params[1] = name;
        res = db_exec(req->db, "UPDATE users SET name = $2, updated_at = now() WHERE id = $1", 2,
                      params, false);
        if (res == NULL) {
            resp_db_unavailable(req);
            return;
        }
        PQclear(res);
    }
    send_me(req, 200);
}
