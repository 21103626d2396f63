/*
 * Administration (ROLE_ADMIN): users and roles, organizations, teams and
 * their members and coaches, and the audit log.
 *
 * GET   /api/admin/users?q=&limit=&after=USER_ID
 * POST  /api/admin/users             {"email","name","role"}: a local account
 *                                    and a one-time sign-in link for it
 * PATCH /api/admin/users/{id}        {"role","organization_id","disabled"}
 * POST  /api/admin/users/{id}/sign-in-link: a new one-time sign-in link
 * GET   /api/admin/organizations
 * POST  /api/admin/organizations     {"name","kind","parent_id"}
 * GET   /api/admin/teams?organization_id=
 * POST  /api/admin/teams             {"organization_id","name"}
 * PUT|DELETE /api/admin/teams/{id}/members/{user_id}
 * PUT|DELETE /api/admin/teams/{id}/coaches/{user_id}
 * GET   /api/admin/audit?limit=&before=ID&action=
 *
 * A role set here is locked: no later sign-in may change it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "auth/signin.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/orgs.h"
#include "db/users.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "util/text.h"
#include "util/json.h"

/* Reads ?limit= within 1..max (default def) as text for a query
 * parameter; false after a 400. */
static bool limit_param(struct request *req, int64_t def, int64_t max, char out[24])
{
    int64_t v;

    if (!query_int(req, "limit", 1, max, def, &v))
        return false;
    snprintf(out, 24, "%lld", (long long)v);
    return true;
}

/* Answers an orgs_status other than ORGS_OK. */
static void orgs_error(struct request *req, enum orgs_status st, const char *err)
{
    switch (st) {
    case ORGS_INVALID: resp_error(req, 400, "invalid_field", "%s", err); break;
    case ORGS_NOT_FOUND: resp_error(req, 404, "not_found", "%s", err); break;
    case ORGS_CONFLICT: resp_error(req, 409, "conflict", "%s", err); break;
    case ORGS_OK:
    case ORGS_DB_ERROR: resp_db_unavailable(req); break;
    }
}

void h_admin_users(struct request *req)
{
    const char *q = request_query(req, "q"), *after = request_query(req, "after");
    const char *params[3];
    char limit[24];
    json_object *list, *out;
    PGresult *res;
    int i, n;

    if (!limit_param(req, 50, 200, limit))
        return;
    if (after != NULL && !is_uuid(after)) {
        resp_error(req, 400, "invalid_parameter", "after must be a user id");
        return;
    }
    params[0] = q && q[0] ? q : NULL;
    params[1] = after;
    params[2] = limit;
    res = db_exec(req->db,
                  "SELECT u.id, u.email, u.name, u.role, u.role_locked, u.organization_id, "
                  "u.disabled_at IS NOT NULL, "
                  "to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                  "to_char(u.last_login_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                  "EXISTS (SELECT 1 FROM identities i WHERE i.user_id = u.id) "
                  "AND NOT EXISTS (SELECT 1 FROM local_credentials c WHERE c.user_id = u.id) "
                  "FROM users u WHERE ($1::text IS NULL OR u.email ILIKE '%' || $1 || '%' "
                  "  OR u.name ILIKE '%' || $1 || '%') "
                  "AND ($2::uuid IS NULL OR (lower(u.email), u.id) > "
                  "  (SELECT lower(email), id FROM users WHERE id = $2::uuid)) "
                  "ORDER BY lower(u.email), u.id LIMIT $3::int + 1",
                  3, params, true);
    if (res == NULL) {
        resp_db_unavailable(req);
        return;
    }
    n = PQntuples(res);
    list = json_object_new_array();
    for (i = 0; i < n && i < atoi(limit); i++) {
        json_object *u = json_object_new_object();
        json_add_str(u, "id", db_value(res, i, 0));
        json_add_str(u, "email", db_value(res, i, 1));
        json_add_str(u, "name", db_value(res, i, 2));
        json_add_str(u, "role", db_value(res, i, 3));
        json_object_object_add(u, "role_locked",
                               json_object_new_boolean(PQgetvalue(res, i, 4)[0] == 't'));
        json_add_str(u, "organization_id", db_value(res, i, 5));
        json_object_object_add(u, "disabled",
                               json_object_new_boolean(PQgetvalue(res, i, 6)[0] == 't'));
        json_add_str(u, "created_at", db_value(res, i, 7));
        json_add_str(u, "last_login_at", db_value(res, i, 8));
        json_object_object_add(u, "sso_only",
                               json_object_new_boolean(PQgetvalue(res, i, 9)[0] == 't'));
        json_object_array_add(list, u);
    }
    out = json_object_new_object();
    json_object_object_add(out, "users", list);
    json_add_str(out, "next_after", n > atoi(limit) ? PQgetvalue(res, atoi(limit) - 1, 0) : NULL);
    PQclear(res);
    resp_json(req, 200, out);
}

void h_admin_user_patch(struct request *req)
{
    static const char *const fields[] = {"role", "organization_id", "disabled", NULL};
    const struct auth_user *me = req->user;
    const char *id = request_param(req, "id"), *role, *org, *params[5];
    json_object *body = request_json(req), *profile, *detail;
    bool disabled = false, has_disabled, failed, org_given;
    PGresult *res;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "role", 1, 16, false, &role)
        || !body_bool(req, body, "disabled", &disabled, &has_disabled))
        return;
    org_given = json_object_object_get_ex(body, "organization_id", NULL);
    if (!body_string(req, body, "organization_id", 36, 36, false, &org))
        return;
    if (!is_uuid(id)) {
        resp_error(req, 404, "not_found", "no such user");
        return;
    }
    if (role != NULL && role_parse(role) == ROLE_ANY) {
        resp_error(req, 400, "invalid_field", "role must be educator, coach or admin");
        return;
    }
    if (org != NULL && !is_uuid(org)) {
        resp_error(req, 400, "invalid_field", "organization_id must be a UUID or null");
        return;
    }
    if (strcmp(id, me->id) == 0 && ((role != NULL && strcmp(role, "admin") != 0) || disabled)) {
        resp_error(req, 409, "conflict", "you cannot demote or disable yourself");
        return;
    }
    params[0] = id;
    params[1] = role;
    params[2] = org_given ? "t" : "f";
    params[3] = org;
    params[4] = has_disabled ? (disabled ? "t" : "f") : NULL;
    res = db_exec(
        req->db,
        "WITH old AS (SELECT id, role FROM users WHERE id = $1::uuid), "
        "org_ok AS (SELECT $4::uuid IS NULL OR EXISTS "
        "  (SELECT 1 FROM organizations WHERE id = $4::uuid) AS ok) "
        "UPDATE users u SET "
        "  role = coalesce($2, u.role), "
        "  role_locked = u.role_locked OR $2 IS NOT NULL, "
        "  organization_id = CASE WHEN $3::boolean THEN $4::uuid ELSE u.organization_id END, "
        "  disabled_at = CASE WHEN $5::boolean IS NULL THEN u.disabled_at "
        "    WHEN $5::boolean THEN coalesce(u.disabled_at, now()) ELSE NULL END, "
        "  updated_at = now() "
        "FROM old, org_ok WHERE u.id = old.id AND org_ok.ok RETURNING old.role",
        5, params, false);
    if (res == NULL) {
        resp_db_unavailable(req);
        return;
    }
    if (PQntuples(res) != 1) {
        PQclear(res);
        resp_error(req, 404, "not_found",
                   org != NULL ? "no such user or organization" : "no such user");
        return;
    }
    if (role != NULL && strcmp(role, PQgetvalue(res, 0, 0)) != 0) {
        detail = json_object_new_object();
        json_object_object_add(detail, "from", json_object_new_string(PQgetvalue(res, 0, 0)));
        json_object_object_add(detail, "to", json_object_new_string(role));
        audit_request(req, NULL, "user.role", "user", id, detail);
    }
    PQclear(res);
    if (has_disabled || org_given) {
        detail = json_object_new_object();
        if (has_disabled)
            json_object_object_add(detail, "disabled", json_object_new_boolean(disabled));
        if (org_given)
            json_object_object_add(detail, "organization_id",
                                   org ? json_object_new_string(org) : NULL);
        audit_request(req, NULL, "user.update", "user", id, detail);
    }
    if (has_disabled && disabled) {
        /* A disabled user's sessions end now. */
        res = db_exec(req->db, "DELETE FROM sessions WHERE user_id = $1", 1, &id, true);
        PQclear(res);
    }
    profile = user_profile(req->db, id, &failed);
    if (profile == NULL) {
        resp_db_unavailable(req);
        return;
    }
    resp_json(req, 200, profile);
}

/* Makes a sign-in link for user_id (NULL after creating one: the id in
 * created) and answers 201 {sign_in_link, expires_at} plus the profile
 * of a user just created. */
static void answer_link(struct request *req, const char *user_id, bool created)
{
    const struct auth_user *me = req->user;
    struct signin_link link;
    enum store_result st;
    json_object *out, *profile = NULL;
    char *url = signin_link_issue(req->db, req->cfg, user_id, NULL, me->id, request_client_ip(req),
                                  "admin", &link, &st);
    bool failed;

    switch (st) {
    case STORE_OK: break;
    case STORE_NOT_FOUND: resp_error(req, 404, "not_found", "no such enabled user"); return;
    case STORE_CONFLICT:
        resp_error(req, 409, "sso_account",
                   "this person signs in through single sign-on; a sign-in link is for local "
                   "accounts");
        return;
    default: resp_db_unavailable(req); return;
    }
    if (created && (profile = user_profile(req->db, user_id, &failed)) == NULL) {
        free(url);
        resp_db_unavailable(req);
        return;
    }
    out = json_object_new_object();
    if (created)
        json_object_object_add(out, "user", profile);
    json_object_object_add(out, "sign_in_link", json_object_new_string(url));
    json_object_object_add(out, "expires_at", json_object_new_string(link.expires_at));
    free(url);
    resp_json(req, 201, out);
}

void h_admin_user_create(struct request *req)
{
    static const char *const fields[] = {"email", "name", "role", NULL};
    const struct auth_user *me = req->user;
    json_object *body = request_json(req);
    const char *email, *name, *role;
    bool conflict;
    char *id;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_text(req, body, "email", 3, 320, false, true, &email)
        || !body_text(req, body, "name", 1, 200, false, true, &name)
        || !body_string(req, body, "role", 1, 16, false, &role))
        return;
    if (strchr(email, '@') == NULL || strchr(email, ' ') != NULL) {
        resp_error(req, 400, "invalid_field", "field \"email\" must be an email address");
        return;
    }
    if (role == NULL)
        role = "educator";
    if (role_parse(role) == ROLE_ANY) {
        resp_error(req, 400, "invalid_field", "role must be educator, coach or admin");
        return;
    }
    id = user_create_local(req->db, email, name, role, NULL, me->id, request_client_ip(req),
                           "admin", &conflict);
    if (id == NULL) {
        if (conflict)
            resp_error(req, 409, "email_in_use", "a user with this email already exists");
        else
            resp_db_unavailable(req);
        return;
    }
    answer_link(req, id, true);
    free(id);
}

void h_admin_user_link(struct request *req)
{
    const char *id = route_uuid(req, "id", "user");

    if (id != NULL)
        answer_link(req, id, false);
}

void h_admin_orgs(struct request *req)
{
    PGresult *res = db_exec(req->db,
                            "SELECT id, name, kind, parent_id, source, "
                            "(SELECT count(*) FROM users u WHERE u.organization_id = o.id), "
                            "(SELECT count(*) FROM teams t WHERE t.organization_id = o.id) "
                            "FROM organizations o ORDER BY kind, lower(name), id",
                            0, NULL, true);
    json_object *list, *out;
    int i;

    if (res == NULL) {
        resp_db_unavailable(req);
        return;
    }
    list = json_object_new_array();
    for (i = 0; i < PQntuples(res); i++) {
        json_object *o = json_object_new_object();
        json_add_str(o, "id", db_value(res, i, 0));
        json_add_str(o, "name", db_value(res, i, 1));
        json_add_str(o, "kind", db_value(res, i, 2));
        json_add_str(o, "parent_id", db_value(res, i, 3));
        json_add_str(o, "source", db_value(res, i, 4));
        json_object_object_add(o, "user_count", json_object_new_int(atoi(PQgetvalue(res, i, 5))));
        json_object_object_add(o, "team_count", json_object_new_int(atoi(PQgetvalue(res, i, 6))));
        json_object_array_add(list, o);
    }
    PQclear(res);
    out = json_object_new_object();
    json_object_object_add(out, "organizations", list);
    resp_json(req, 200, out);
}

void h_admin_org_create(struct request *req)
{
    static const char *const fields[] = {"name", "kind", "parent_id", NULL};
    json_object *body = request_json(req), *o, *detail;
    const char *name, *kind, *parent;
    char err[128], *id = NULL;
    enum orgs_status st;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "name", 1, 200, true, &name)
        || !body_string(req, body, "kind", 1, 16, true, &kind)
        || !body_string(req, body, "parent_id", 0, 64, false, &parent))
        return;
    st = org_create(req->db, name, kind, parent, &id, err, sizeof(err));
    if (st != ORGS_OK) {
        orgs_error(req, st, err);
        return;
    }
    detail = json_object_new_object();
    json_object_object_add(detail, "name", json_object_new_string(name));
    json_object_object_add(detail, "kind", json_object_new_string(kind));
    audit_request(req, NULL, "org.create", "organization", id, detail);
    o = json_object_new_object();
    json_add_str(o, "id", id);
    json_add_str(o, "name", name);
    json_add_str(o, "kind", kind);
    json_add_str(o, "parent_id", parent);
    free(id);
    resp_json(req, 201, o);
}

void h_admin_teams(struct request *req)
{
    const char *org = request_query(req, "organization_id");
    json_object *list, *out;
    PGresult *res;
    int i;

    if (org != NULL && !is_uuid(org)) {
        resp_error(req, 400, "invalid_parameter", "organization_id must be a UUID");
        return;
    }
    res = db_exec(req->db,
                  "SELECT t.id, t.name, t.organization_id, "
                  "(SELECT count(*) FROM team_members m WHERE m.team_id = t.id), "
                  "(SELECT coalesce(json_agg(json_build_object('id', u.id, 'name', u.name) "
                  "   ORDER BY u.name), '[]') FROM team_coaches c JOIN users u ON u.id = c.user_id "
                  "   WHERE c.team_id = t.id) "
                  "FROM teams t WHERE $1::uuid IS NULL OR t.organization_id = $1::uuid "
                  "ORDER BY lower(t.name), t.id",
                  1, &org, true);
    if (res == NULL) {
        resp_db_unavailable(req);
        return;
    }
    list = json_object_new_array();
    for (i = 0; i < PQntuples(res); i++) {
        json_object *t = json_object_new_object();
        json_add_str(t, "id", db_value(res, i, 0));
        json_add_str(t, "name", db_value(res, i, 1));
        json_add_str(t, "organization_id", db_value(res, i, 2));
        json_object_object_add(t, "member_count", json_object_new_int(atoi(PQgetvalue(res, i, 3))));
        json_object_object_add(t, "coaches", json_tokener_parse(PQgetvalue(res, i, 4)));
        json_object_array_add(list, t);
    }
    PQclear(res);
    out = json_object_new_object();
    json_object_object_add(out, "teams", list);
    resp_json(req, 200, out);
}

void h_admin_team_create(struct request *req)
{
    static const char *const fields[] = {"organization_id", "name", NULL};
    json_object *body = request_json(req), *t;
    const char *org, *name;
    char err[128], *id = NULL;
    enum orgs_status st;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "organization_id", 1, 64, true, &org)
        || !body_string(req, body, "name", 1, 200, true, &name))
        return;
    st = team_create(req->db, org, name, &id, err, sizeof(err));
    if (st != ORGS_OK) {
        orgs_error(req, st, err);
        return;
    }
    audit_request(req, NULL, "team.create", "team", id, NULL);
    t = json_object_new_object();
    json_add_str(t, "id", id);
    json_add_str(t, "name", name);
    json_add_str(t, "organization_id", org);
    free(id);
    resp_json(req, 201, t);
}

/* PUT or DELETE /api/admin/teams/{id}/{members|coaches}/{user_id}. */
static void team_change(struct request *req, const char *what)
{
    const char *team = request_param(req, "id"), *user = request_param(req, "user_id");
    bool add = strcmp(req->method, "PUT") == 0;
    char err[128], action[32];
    enum orgs_status st = team_set(req->db, team, user, what, add, err, sizeof(err));
    json_object *detail;

    if (st != ORGS_OK) {
        orgs_error(req, st, err);
        return;
    }
    snprintf(action, sizeof(action), "team.%s.%s", what, add ? "add" : "remove");
    detail = json_object_new_object();
    json_object_object_add(detail, "user_id", json_object_new_string(user));
    audit_request(req, NULL, action, "team", team, detail);
    req->resp.status = 204;
}

void h_admin_team_member(struct request *req)
{
    team_change(req, "member");
}

void h_admin_team_coach(struct request *req)
{
    team_change(req, "coach");
}

void h_admin_audit(struct request *req)
{
    const char *before = request_query(req, "before"), *action = request_query(req, "action");
    const char *params[3];
    char limit[24];
    json_object *list, *out;
    PGresult *res;
    int64_t b;
    int i, n;

    if (!limit_param(req, 50, 500, limit))
        return;
    if (before != NULL && !parse_int64(before, 1, INT64_MAX, &b)) {
        resp_error(req, 400, "invalid_parameter", "before must be an audit entry id");
        return;
    }
    params[0] = before;
    params[1] = action && action[0] ? action : NULL;
    params[2] = limit;
    res = db_exec(req->db,
                  "SELECT a.id, to_char(a.at AT TIME ZONE 'UTC', "
                  "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), a.actor_id, u.email, a.action, "
                  "a.target_type, a.target_id, host(a.ip), a.detail "
                  "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id "
                  "WHERE ($1::bigint IS NULL OR a.id < $1::bigint) "
                  "AND ($2::text IS NULL OR a.action = $2 OR a.action LIKE $2 || '.%') "
                  "ORDER BY a.id DESC LIMIT $3::int + 1",
                  3, params, true);
    if (res == NULL) {
        resp_db_unavailable(req);
        return;
    }
    n = PQntuples(res);
    list = json_object_new_array();
    for (i = 0; i < n && i < atoi(limit); i++) {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "id",
                               json_object_new_int64(strtoll(PQgetvalue(res, i, 0), NULL, 10)));
        json_add_str(e, "at", db_value(res, i, 1));
        json_add_str(e, "actor_id", db_value(res, i, 2));
        json_add_str(e, "actor_email", db_value(res, i, 3));
        json_add_str(e, "action", db_value(res, i, 4));
        json_add_str(e, "target_type", db_value(res, i, 5));
        json_add_str(e, "target_id", db_value(res, i, 6));
        json_add_str(e, "ip", db_value(res, i, 7));
        json_object_object_add(e, "detail", json_tokener_parse(PQgetvalue(res, i, 8)));
        json_object_array_add(list, e);
    }
    out = json_object_new_object();
    json_object_object_add(out, "entries", list);
    if (n > atoi(limit))
        json_object_object_add(
            out, "next_before",
            json_object_new_int64(strtoll(PQgetvalue(res, atoi(limit) - 1, 0), NULL, 10)));
    else
        json_object_object_add(out, "next_before", NULL);
    PQclear(res);
    resp_json(req, 200, out);
}
