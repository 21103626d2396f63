/*
 * Single sign-on accounts; see identities.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/identities.h"
#include "util/alloc.h"
#include "util/log.h"

const char *identity_result_name(enum identity_result r)
{
    switch (r) {
    case IDENTITY_FOUND: return "found";
    case IDENTITY_LINKED: return "linked";
    case IDENTITY_CREATED: return "created";
    case IDENTITY_EMAIL_IN_USE: return "email_in_use";
    case IDENTITY_NO_EMAIL: return "email_missing";
    case IDENTITY_DISABLED: return "account_disabled";
    case IDENTITY_DB_ERROR: return "db_error";
    }
    return "unknown";
}

/* Runs a statement without parameters or results (BEGIN, COMMIT, ...). */
static bool run(struct db *db, const char *sql)
{
    PGresult *res = db_exec(db, sql, 0, NULL, false);

    if (res == NULL)
        return false;
    PQclear(res);
    return true;
}

/* Finds or creates the Clever organization of this kind and external id
 * (a school under parent_id).  Returns true with *id set (the caller
 * frees it; NULL when a row of another kind holds the id, which is then
 * left alone), false on a database error. */
static bool clever_org(struct db *db, const char *kind, const char *external_id,
                       const char *parent_id, char **id)
{
    char *name = xasprintf("Clever %s %s", kind, external_id);
    const char *params[4] = {kind, name, external_id, parent_id};
    int attempt;
    bool ok = false;

    *id = NULL;
    /* The second attempt covers a concurrent sign-in that inserted the
     * row after this statement's snapshot was taken. */
    for (attempt = 0; attempt < 2 && !ok; attempt++) {
        PGresult *res = db_exec(
            db,
            "WITH ins AS (INSERT INTO organizations (kind, name, source, external_id, parent_id) "
            "  VALUES ($1, $2, 'clever', $3, $4::uuid) "
            "  ON CONFLICT (source, external_id) DO NOTHING RETURNING id, kind) "
            "SELECT id, kind FROM ins UNION ALL "
            "SELECT id, kind FROM organizations WHERE source = 'clever' AND external_id = $3 "
            "LIMIT 1",
            4, params, false);
        if (res == NULL)
            break;
        if (PQntuples(res) == 1) {
            ok = true;
            if (strcmp(PQgetvalue(res, 0, 1), kind) == 0)
                *id = xstrdup(PQgetvalue(res, 0, 0));
            else
                LOG_FIELDS(LOG_WARN, "clever: organization id already used by another kind",
                           LF_STR("kind", kind), LF_STR("external_id", external_id));
        }
        PQclear(res);
    }
    free(name);
    return ok;
}

/* Makes the Clever organizations of c and sets *org_id (the caller
 * frees; NULL when none) to the one a user belongs in: the school when
 * exactly one, else the district.  False on a database error. */
static bool clever_orgs(struct db *db, const struct identity_claims *c, char **org_id)
{
    char *district = NULL, *school = NULL, *only = NULL;
    size_t i, nschools = 0;

    *org_id = NULL;
    if (c->district == NULL)
        return true;
    if (!clever_org(db, "district", c->district, NULL, &district))
        return false;
    if (district == NULL)
        return true;
    for (i = 0; i < c->nschools && i < IDENTITY_MAX_SCHOOLS; i++) {
        if (!clever_org(db, "school", c->schools[i], district, &school)) {
            free(district);
            free(only);
            return false;
        }
        if (school != NULL) {
            nschools++;
            free(only);
            only = school;
            school = NULL;
        }
    }
    if (nschools == 1) {
        *org_id = only;
        free(district);
    } else {
        *org_id = district;
        free(only);
    }
    return true;
}

/* Records a sign-in: the identity's latest email and last_login_at, the
 * user's last_login_at, and org_id as the user's organization when the
 * user has none.  False on a database error. */
static bool mark_login(struct db *db, const struct identity_claims *c, const char *user_id,
                       const char *org_id)
{
    const char *params[6] = {
        c->provider, c->subject, c->email, c->email_verified ? "true" : "false", user_id, org_id};
    PGresult *res = db_exec(db,
                            "WITH i AS (UPDATE identities SET last_login_at = now(), email = $3, "
                            "  email_verified = $4::boolean WHERE provider = $1 AND subject = $2) "
                            "UPDATE users SET last_login_at = now(), "
                            "  organization_id = COALESCE(organization_id, $6::uuid) WHERE id = $5",
                            6, params, false);

    if (res == NULL)
        return false;
    PQclear(res);
    return true;
}

/* Adds the identity to user_id.  Returns 1 when added, 0 when a
 * concurrent sign-in added it first, -1 on a database error. */
static int add_identity(struct db *db, const struct identity_claims *c, const char *user_id)
{
    const char *params[5] = {c->provider, c->subject, user_id, c->email,
                             c->email_verified ? "true" : "false"};
    PGresult *res = db_exec(db,
                            "INSERT INTO identities (provider, subject, user_id, email, "
                            "  email_verified, last_login_at) "
                            "VALUES ($1, $2, $3, $4, $5::boolean, now()) "
                            "ON CONFLICT DO NOTHING RETURNING user_id",
                            5, params, false);
    int added;

    if (res == NULL)
        return -1;
    added = PQntuples(res) == 1;
    PQclear(res);
    return added;
}

/* One attempt in one transaction.  *retry is set when a concurrent
 * sign-in won a race (the transaction is rolled back; the caller tries
 * once more and then finds what the other one made). */
static enum identity_result signin_once(struct db *db, const struct identity_claims *c,
                                        char **user_id, bool *retry)
{
    enum identity_result result = IDENTITY_DB_ERROR;
    const char *params[6];
    char *org_id = NULL, *uid = NULL;
    PGresult *res;
    int added;

    *retry = false;
    if (!run(db, "BEGIN"))
        return IDENTITY_DB_ERROR;
    if (!clever_orgs(db, c, &org_id))
        goto rollback;

    /* 1. A known identity. */
    params[0] = c->provider;
    params[1] = c->subject;
    res = db_exec(db,
                  "SELECT i.user_id, u.disabled_at IS NOT NULL FROM identities i "
                  "JOIN users u ON u.id = i.user_id "
                  "WHERE i.provider = $1 AND i.subject = $2 FOR UPDATE OF i",
                  2, params, false);
    if (res == NULL)
        goto rollback;
    if (PQntuples(res) == 1) {
        uid = xstrdup(PQgetvalue(res, 0, 0));
        result = strcmp(PQgetvalue(res, 0, 1), "t") == 0 ? IDENTITY_DISABLED : IDENTITY_FOUND;
        PQclear(res);
        if (result == IDENTITY_FOUND && !mark_login(db, c, uid, org_id))
            result = IDENTITY_DB_ERROR;
        goto finish;
    }
    PQclear(res);
    if (c->email == NULL) {
        result = IDENTITY_NO_EMAIL;
        goto rollback;
    }

    /* 2. A user with this email: linked only when both sides vouch. */
    params[0] = c->email;
    params[1] = c->provider;
    res = db_exec(db,
                  "SELECT u.id, u.disabled_at IS NOT NULL, "
                  "  EXISTS (SELECT 1 FROM identities i WHERE i.user_id = u.id "
                  "    AND i.provider <> $2 AND i.email_verified "
                  "    AND lower(i.email) = lower($1)) "
                  "FROM users u WHERE lower(u.email) = lower($1) FOR UPDATE OF u",
                  2, params, false);
    if (res == NULL)
        goto rollback;
    if (PQntuples(res) == 1) {
        bool disabled = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
        bool vouched = strcmp(PQgetvalue(res, 0, 2), "t") == 0;

        uid = xstrdup(PQgetvalue(res, 0, 0));
        PQclear(res);
        if (!c->email_verified || !vouched) {
            result = IDENTITY_EMAIL_IN_USE;
            goto rollback;
        }
        if (disabled) {
            result = IDENTITY_DISABLED;
            goto rollback;
        }
        added = add_identity(db, c, uid);
        if (added <= 0) {
            *retry = added == 0;
            goto rollback;
        }
        result = mark_login(db, c, uid, org_id) ? IDENTITY_LINKED : IDENTITY_DB_ERROR;
        goto finish;
    }
    PQclear(res);

    /* 3. A new user. */
    params[0] = c->email;
    params[1] = c->name;
    params[2] = c->admin_at_creation ? "admin" : "educator";
    params[3] = org_id;
    res = db_exec(db,
                  "INSERT INTO users (email, name, role, organization_id, last_login_at) "
                  "VALUES ($1, $2, $3, $4::uuid, now()) ON CONFLICT DO NOTHING RETURNING id",
                  4, params, false);
    if (res == NULL)
        goto rollback;
    if (PQntuples(res) != 1) { /* the email was taken meanwhile */
        PQclear(res);
        *retry = true;
        goto rollback;
    }
    uid = xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    added = add_identity(db, c, uid);
    if (added <= 0) {
        *retry = added == 0;
        goto rollback;
    }
    result = IDENTITY_CREATED;

finish:
    if (result == IDENTITY_FOUND || result == IDENTITY_LINKED || result == IDENTITY_CREATED) {
        if (!run(db, "COMMIT")) {
            result = IDENTITY_DB_ERROR;
            goto out;
        }
        *user_id = uid;
        uid = NULL;
        goto out;
    }
rollback:
    (void)run(db, "ROLLBACK");
out:
    free(org_id);
    free(uid);
    return result;
}

enum identity_result identity_signin(struct db *db, const struct identity_claims *c, char **user_id)
{
    enum identity_result r = IDENTITY_DB_ERROR;
    bool retry = true;
    int attempt;

    *user_id = NULL;
    for (attempt = 0; attempt < 2 && retry; attempt++)
        r = signin_once(db, c, user_id, &retry);
    if (retry)
        r = IDENTITY_DB_ERROR;
    return r;
}
