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
 * GET   /api/admin/teams/{id}/people: the team's members and coaches
 * GET   /api/admin/audit?limit=&before=ID&action=&actor=EMAIL&target=ID&from=&to=
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
#include "db/orgs.h"
#include "db/users.h"
#include "http/audit.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "util/text.h"
#include "util/json.h"

/* Reads ?limit= within 1..max (default def); false after a 400. */
static bool limit_param(struct request *req, int64_t def, int64_t max, int *out)
{
    int64_t v;

    if (!query_int(req, "limit", 1, max, def, &v))
        return false;
    *out = (int)v;
    return true;
}

/* Answers a db/orgs.h status: true on DB_OK; otherwise false after the
 * error, with err as its message (orgs.h says why in err): DB_INVALID is
 * 400 invalid_field and DB_CONFLICT 409 conflict with that message, the
 * rest resp_db_status()'s. */
static bool orgs_answer(struct request *req, enum db_status st, const char *err)
{
    if (st == DB_INVALID)
        resp_error(req, 400, "invalid_field", "%s", err);
    else if (st == DB_CONFLICT)
        resp_error(req, 409, "conflict", "%s", err);
    else
        return resp_db_status(req, st, err);
    return false;
}

void h_admin_users(struct request *req)
{
    const char *q = request_query(req, "q"), *after = request_query(req, "after");
    struct user_row *rows;
    json_object *list, *out;
    size_t i, n;
    bool more;
    int limit;

    if (!limit_param(req, 50, 200, &limit))
        return;
    if (after != NULL && !is_uuid(after)) {
        resp_error(req, 400, "invalid_parameter", "after must be a user id");
        return;
    }
    if (!resp_db_status(req, user_list(req->db, &req->arena, q, after, limit, &rows, &n, &more),
                        ""))
        return;
    list = json_object_new_array();
    for (i = 0; i < n; i++) {
        json_object *u = json_object_new_object();
        json_add_str(u, "id", rows[i].id);
        json_add_str(u, "email", rows[i].email);
        json_add_str(u, "name", rows[i].name);
        json_add_str(u, "role", rows[i].role);
        json_object_object_add(u, "role_locked", json_object_new_boolean(rows[i].role_locked));
        json_add_str(u, "organization_id", rows[i].organization_id);
        json_object_object_add(u, "disabled", json_object_new_boolean(rows[i].disabled));
        json_add_str(u, "created_at", rows[i].created_at);
        json_add_str(u, "last_login_at", rows[i].last_login_at);
        json_object_object_add(u, "sso_only", json_object_new_boolean(rows[i].sso_only));
        json_object_array_add(list, u);
    }
    out = json_object_new_object();
    json_object_object_add(out, "users", list);
    json_add_str(out, "next_after", more && n > 0 ? rows[n - 1].id : NULL);
    resp_json(req, 200, out);
}

void h_admin_user_patch(struct request *req)
{
    static const char *const fields[] = {"role", "organization_id", "disabled", NULL};
    const struct auth_user *me = req->user;
    const char *id = request_param(req, "id"), *role, *org;
    json_object *body = request_json(req), *profile;
    bool disabled = false, has_disabled, org_given;
    struct user_change change;

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
    change.id = id;
    change.role = role;
    change.org_given = org_given;
    change.org = org;
    change.disabled = has_disabled ? disabled : -1;
    if (!resp_db_status(req, user_admin_update(req->db, &change, me->id, request_client_ip(req)),
                        org != NULL ? "no such user or organization" : "no such user"))
        return;
    if (!resp_db_status(req, user_profile(req->db, id, &profile), "no such user"))
        return;
    resp_json(req, 200, profile);
}

/* Makes a sign-in link for user_id (NULL after creating one: the id in
 * created) and answers 201 {sign_in_link, expires_at} plus the profile
 * of a user just created. */
static void answer_link(struct request *req, const char *user_id, bool created)
{
    const struct auth_user *me = req->user;
    struct signin_link link;
    enum db_status st;
    json_object *out, *profile = NULL;
    char *url = signin_link_issue(req->db, req->cfg, user_id, NULL, me->id, request_client_ip(req),
                                  "admin", &link, &st);

    if (st == DB_CONFLICT) {
        resp_error(req, 409, "sso_account",
                   "this person signs in through single sign-on; a sign-in link is for local "
                   "accounts");
        return;
    }
    if (!resp_db_status(req, st, "no such enabled user"))
        return;
    if (created && !resp_db_status(req, user_profile(req->db, user_id, &profile), "no such user")) {
        free(url);
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
    enum db_status st;
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
    st = user_create_local(req->db, email, name, role, NULL, me->id, request_client_ip(req),
                           "admin", &id);
    if (st == DB_CONFLICT) {
        resp_error(req, 409, "email_in_use", "a user with this email already exists");
        return;
    }
    if (!resp_db_status(req, st, ""))
        return;
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
    struct org_row *rows;
    json_object *list, *out;
    size_t i, n;

    if (!resp_db_status(req, org_list(req->db, &req->arena, &rows, &n), ""))
        return;
    list = json_object_new_array();
    for (i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        json_add_str(o, "id", rows[i].id);
        json_add_str(o, "name", rows[i].name);
        json_add_str(o, "kind", rows[i].kind);
        json_add_str(o, "parent_id", rows[i].parent_id);
        json_add_str(o, "source", rows[i].source);
        json_object_object_add(o, "user_count", json_object_new_int64(rows[i].user_count));
        json_object_object_add(o, "team_count", json_object_new_int64(rows[i].team_count));
        json_object_array_add(list, o);
    }
    out = json_object_new_object();
    json_object_object_add(out, "organizations", list);
    resp_json(req, 200, out);
}

/* The actor of an administration change: the signed-in admin at the
 * client's address. */
static struct orgs_actor actor(struct request *req)
{
    const struct auth_user *me = req->user;
    struct orgs_actor who = {me->id, request_client_ip(req)};

    return who;
}

void h_admin_org_create(struct request *req)
{
    static const char *const fields[] = {"name", "kind", "parent_id", NULL};
    json_object *body = request_json(req), *o;
    const char *name, *kind, *parent;
    struct orgs_actor who = actor(req);
    char err[128], *id = NULL;
    enum db_status st;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "name", 1, 200, true, &name)
        || !body_string(req, body, "kind", 1, 16, true, &kind)
        || !body_string(req, body, "parent_id", 0, 64, false, &parent))
        return;
    st = org_create(req->db, &who, name, kind, parent, &id, err, sizeof(err));
    if (!orgs_answer(req, st, err))
        return;
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
    struct team_row *rows;
    json_object *list, *out;
    size_t i, n;

    if (org != NULL && !is_uuid(org)) {
        resp_error(req, 400, "invalid_parameter", "organization_id must be a UUID");
        return;
    }
    if (!resp_db_status(req, team_list(req->db, &req->arena, org, false, &rows, &n), ""))
        return;
    list = json_object_new_array();
    for (i = 0; i < n; i++) {
        json_object *t = json_object_new_object();
        json_add_str(t, "id", rows[i].id);
        json_add_str(t, "name", rows[i].name);
        json_add_str(t, "organization_id", rows[i].organization_id);
        json_object_object_add(t, "member_count", json_object_new_int64(rows[i].member_count));
        json_object_object_add(t, "coaches", json_tokener_parse(rows[i].coaches_json));
        json_object_array_add(list, t);
    }
    out = json_object_new_object();
    json_object_object_add(out, "teams", list);
    resp_json(req, 200, out);
}

void h_admin_team_create(struct request *req)
{
    static const char *const fields[] = {"organization_id", "name", NULL};
    json_object *body = request_json(req), *t;
    const char *org, *name;
    struct orgs_actor who = actor(req);
    char err[128], *id = NULL;
    enum db_status st;

    if (body == NULL || !body_only_fields(req, body, fields)
        || !body_string(req, body, "organization_id", 1, 64, true, &org)
        || !body_string(req, body, "name", 1, 200, true, &name))
        return;
    st = team_create(req->db, &who, org, name, &id, err, sizeof(err));
    if (!orgs_answer(req, st, err))
        return;
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
    struct orgs_actor who = actor(req);
    char err[128];
    enum db_status st = team_set(req->db, &who, team, user, what, strcmp(req->method, "PUT") == 0,
                                 err, sizeof(err));

    if (!orgs_answer(req, st, err))
        return;
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

void h_admin_team_people(struct request *req)
{
    const char *id = route_uuid(req, "id", "team");
    struct team_person *rows;
    json_object *members, *coaches, *out;
    enum db_status st;
    size_t i, n;

    if (id == NULL)
        return;
    st = team_people(req->db, &req->arena, id, &rows, &n);
    if (!orgs_answer(req, st, "no such team"))
        return;
    members = json_object_new_array();
    coaches = json_object_new_array();
    for (i = 0; i < n; i++) {
        json_object *p = json_object_new_object();
        json_add_str(p, "id", rows[i].id);
        json_add_str(p, "name", rows[i].name);
        json_add_str(p, "email", rows[i].email);
        json_object_array_add(strcmp(rows[i].as, "coach") == 0 ? coaches : members, p);
    }
    out = json_object_new_object();
    json_object_object_add(out, "members", members);
    json_object_object_add(out, "coaches", coaches);
    resp_json(req, 200, out);
}

void h_admin_audit(struct request *req)
{
    struct audit_filter f = {request_query(req, "before"),
                             request_query(req, "action"),
                             request_query(req, "actor"),
                             request_query(req, "target"),
                             NULL,
                             NULL};
    char from[11], to[11];
    bool has_from, has_to;
    struct audit_row *rows;
    json_object *list, *out;
    size_t i, n;
    int64_t b;
    bool more;
    int limit;

    if (!limit_param(req, 50, 500, &limit))
        return;
    if (f.before != NULL && !parse_int64(f.before, 1, INT64_MAX, &b)) {
        resp_error(req, 400, "invalid_parameter", "before must be an audit entry id");
        return;
    }
    if ((f.action != NULL && strlen(f.action) > 64) || (f.actor != NULL && strlen(f.actor) > 320)
        || (f.target != NULL && strlen(f.target) > 200)) {
        resp_error(req, 400, "invalid_parameter", "a filter is too long");
        return;
    }
    if (!query_date(req, "from", from, &has_from) || !query_date(req, "to", to, &has_to))
        return;
    if (has_from && has_to && strcmp(from, to) > 0) {
        resp_error(req, 400, "invalid_parameter", "from must not be after to");
        return;
    }
    f.from = has_from ? from : NULL;
    f.to = has_to ? to : NULL;
    if (!resp_db_status(req, audit_list(req->db, &req->arena, &f, limit, &rows, &n, &more), ""))
        return;
    list = json_object_new_array();
    for (i = 0; i < n; i++) {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "id", json_object_new_int64(rows[i].id));
        json_add_str(e, "at", rows[i].at);
        json_add_str(e, "actor_id", rows[i].actor_id);
        json_add_str(e, "actor_email", rows[i].actor_email);
        json_add_str(e, "action", rows[i].action);
        json_add_str(e, "target_type", rows[i].target_type);
        json_add_str(e, "target_id", rows[i].target_id);
        json_add_str(e, "ip", rows[i].ip);
        json_object_object_add(e, "detail", json_tokener_parse(rows[i].detail_json));
        json_object_array_add(list, e);
    }
    out = json_object_new_object();
    json_object_object_add(out, "entries", list);
    json_object_object_add(out, "next_before",
                           more && n > 0 ? json_object_new_int64(rows[n - 1].id) : NULL);
    resp_json(req, 200, out);
}
