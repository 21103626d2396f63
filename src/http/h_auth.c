/*
 * Sign-in with a local password, sign-out, and the list of sign-in
 * providers.
 *
 * POST /api/auth/login {"email","password"}: 200 with the profile and a
 * session cookie; 401 for any wrong email/password combination (the same
 * message, and the same scrypt work, whether or not the account exists);
 * 429 with Retry-After when a throttle applies (src/db/logins.h: failures
 * per account and address and per address with growing delays, attempts
 * per minute per account and per address), checked and counted in one
 * step before the password is verified.
 *
 * POST /api/auth/link {"token"}: a one-time sign-in link's token (from the
 * link's fragment, src/auth/signin.h): 200 as above, once; 401
 * link_invalid for an unknown, used or expired link, alike.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/oidc.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/token.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/logins.h"
#include "db/signin_links.h"
#include "db/users.h"
#include "http/audit.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/session.h"
#include "http/validate.h"
#include "util/arena.h"
#include "util/cfg.h"
#include "util/log.h"

#define LINK_INVALID                                                                               \
    "this sign-in link is unknown, expired or already used; ask for a new one (on a local "        \
    "install: plccoach user sign-in-link --email YOUR-EMAIL)"

/* Starts a session for user_id and answers 200 {user, csrf_token} with
 * the cookie (or the error that stopped it). */
static void signed_in(struct request *req, const char *user_id)
{
    json_object *profile, *out;
    const char *csrf = session_create(req, user_id);

    if (csrf == NULL
        || !resp_db_status(req, user_profile(req->db, user_id, &profile), "no such user"))
        return;
    out = json_object_new_object();
    json_object_object_add(out, "user", profile);
    json_object_object_add(out, "csrf_token", json_object_new_string(csrf));
    resp_json(req, 200, out);
}

bool auth_password_gate(struct request *req, const char *email, long long *attempt)
{
    const struct login_limits limits = {
        .free_failures = (long)req->cfg->login_max_failures,
        .free_failures_ip = (long)req->cfg->login_max_failures_ip,
        .per_minute = (long)req->cfg->login_per_minute,
        .per_minute_ip = (long)req->cfg->login_per_minute_ip,
    };
    const char *reason;
    char retry[24];
    long wait;

    switch (login_attempt_begin(req->db, email, request_client_ip(req), &limits, attempt, &wait,
                                &reason)) {
    case LOGIN_GO: return true;
    case LOGIN_WAIT:
        snprintf(retry, sizeof(retry), "%ld", wait);
        resp_error(req, 429, "too_many_attempts",
                   "too many sign-in attempts; try again in %ld seconds", wait);
        resp_header(req, "Retry-After", retry);
        LOG_FIELDS(LOG_INFO, "password attempt throttled", LF_STR("rule", reason),
                   LF_INT("retry_after", wait));
        return false;
    case LOGIN_ERROR: break;
    }
    resp_db_unavailable(req);
    return false;
}

void h_auth_login(struct request *req)
{
    static const char *const fields[] = {"email", "password", NULL};
    json_object *body = request_json(req), *detail;
    const char *email, *password, *user_id = NULL, *stored = NULL;
    enum db_status st;
    long long attempt;
    bool match;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "email", 3, 320, true, &email)
        || !body_string(req, body, "password", 1, PASSWORD_MAX, true, &password))
        return;
    if (req->db == NULL) {
        resp_db_unavailable(req);
        return;
    }
    /* Recorded before the password is verified, atomically with the
     * decision: parallel attempts cannot overrun the limits. */
    if (!auth_password_gate(req, email, &attempt))
        return;
    /* No such account is a wrong password below (the same work, 401). */
    st = user_password_by_email(req->db, &req->arena, email, &user_id, &stored);
    if (st != DB_NOT_FOUND && !resp_db_status(req, st, ""))
        return;
    match = password_verify(password, stored ? stored : password_dummy_hash()) && stored != NULL;
    if (!resp_db_status(req, login_attempt_end(req->db, attempt, match), ""))
        return;
    detail = json_object_new_object();
    json_object_object_add(detail, "method", json_object_new_string("password"));
    if (!match) {
        audit_request(req, user_id, "login.failure", user_id ? "user" : NULL, user_id, detail);
        resp_error(req, 401, "bad_credentials", "the email or password is wrong");
        return;
    }
    (void)user_signed_in(req->db, user_id);
    audit_request(req, user_id, "login.success", "user", user_id, detail);
    signed_in(req, user_id);
}

void h_auth_link(struct request *req)
{
    static const char *const fields[] = {"token", NULL};
    json_object *body = request_json(req);
    char hash[SHA256_HEX_LEN + 1], user_id[37];
    const char *token;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "token", 1, 128, true, &token))
        return;
    if (req->db == NULL) {
        resp_db_unavailable(req);
        return;
    }
    if (!token_well_formed(token) || !token_digest(token, hash)) {
        resp_error(req, 401, "link_invalid", LINK_INVALID);
        return;
    }
    switch (signin_link_use(req->db, hash, request_client_ip(req), user_id)) {
    case DB_OK: signed_in(req, user_id); return;
    case DB_NOT_FOUND: resp_error(req, 401, "link_invalid", LINK_INVALID); return;
    default: resp_db_unavailable(req); return;
    }
}

void h_auth_logout(struct request *req)
{
    audit_request(req, NULL, "logout", "user", ((const struct auth_user *)req->user)->id, NULL);
    session_destroy(req);
    req->resp.status = 204;
}

void h_auth_providers(struct request *req)
{
    json_object *list = json_object_new_array(), *local = json_object_new_object(), *out;

    json_object_object_add(local, "id", json_object_new_string("local"));
    json_object_object_add(local, "name", json_object_new_string("Email and password"));
    json_object_object_add(local, "kind", json_object_new_string("password"));
    json_object_array_add(list, local);
    oidc_providers_json(req->cfg, list);
    out = json_object_new_object();
    json_object_object_add(out, "providers", list);
    resp_json(req, 200, out);
}
