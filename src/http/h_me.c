/*
 * The signed-in user's own profile.
 *
 * GET /api/me: the profile plus the session's csrf_token, which the web app
 * sends back in X-CSRF-Token on every state-changing request.
 * PATCH /api/me {"name"}: change the display name.
 * PUT /api/me/password {"current_password"?, "new_password"}: set a first
 * password (a local account that signed in with a one-time link) or
 * change it (the current one required); the user's other sessions end.
 * 204; 400 for a password the policy refuses; 403 bad_credentials for a
 * wrong current password (attempts throttled as sign-ins are, 429); 409
 * sso_account for an account that signs in
 * only through single sign-on.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth/password.h"

#include "auth/session.h"
#include "db/db.h"
#include "db/logins.h"
#include "db/users.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"

/* Answers with the profile of the signed-in user. */
static void send_me(struct request *req, int status)
{
    const struct auth_user *u = req->user;
    json_object *profile;

    if (!resp_db_status(req, user_profile(req->db, u->id, &profile), "no such user"))
        return;
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
    const char *name;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "name", 1, 200, false, &name))
        return;
    if (name != NULL && !resp_db_status(req, user_set_name(req->db, u->id, name), ""))
        return;
    send_me(req, 200);
}

void h_me_password(struct request *req)
{
    static const char *const fields[] = {"current_password", "new_password", NULL};
    const struct auth_user *u = req->user;
    json_object *body = request_json(req);
    const char *current, *next, *why;
    char *stored = NULL, *hash;
    long long attempt;
    enum db_status st;
    bool sso, ok;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "current_password", 1, PASSWORD_MAX, false, &current)
        || !body_string(req, body, "new_password", 1, PASSWORD_MAX, true, &next))
        return;
    if ((why = password_policy(next, strlen(next))) != NULL) {
        resp_error(req, 400, "invalid_field", "new_password: %s", why);
        return;
    }
    if (!resp_db_status(req, user_password_state(req->db, u->id, &stored, &sso), ""))
        return;
    if (stored == NULL && sso) {
        resp_error(req, 409, "sso_account",
                   "you sign in through single sign-on; your password is managed there");
        return;
    }
    if (stored != NULL) {
        if (current == NULL) {
            free(stored);
            resp_error(req, 400, "missing_field",
                       "field \"current_password\" is required to change a password");
            return;
        }
        /* Throttled like a sign-in: a stolen session must not become a
         * way to guess the password. */
        if (!auth_password_gate(req, u->email, &attempt)) {
            free(stored);
            return;
        }
        ok = password_verify(current, stored);
        free(stored);
        if (!resp_db_status(req, login_attempt_end(req->db, attempt, ok), ""))
            return;
        if (!ok) {
            resp_error(req, 403, "bad_credentials", "the current password is wrong");
            return;
        }
    }
    hash = password_hash(next, PASSWORD_LOG2_N);
    if (hash == NULL) {
        resp_error(req, 500, "internal", "could not hash the password");
        return;
    }
    st = user_password_store(req->db, u->id, hash, u->session_hash, request_client_ip(req));
    free(hash);
    if (!resp_db_status(req, st, ""))
        return;
    req->resp.status = 204;
}
