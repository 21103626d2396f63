/*
 * Single sign-on with OpenID Connect: the authorization code flow with
 * PKCE, state and nonce (docs/security.md, "Single sign-on").
 *
 * GET /api/auth/{provider}/login?return_to=/path
 *     Stores the SHA-256 of a fresh state with the nonce, the PKCE
 *     verifier, return_to and the provider in oidc_requests (10 minutes),
 *     binds the state to this browser with a short-lived HttpOnly cookie,
 *     and redirects to the provider.  404 for a provider that is not
 *     configured, 400 for a return_to that is not a path on this site.
 *
 * GET /api/auth/{provider}/callback?code=...&state=... (or ?error=...)
 *     The state must equal the cookie's (compared in constant time) and
 *     an unexpired oidc_requests row of this provider, which is deleted as
 *     it is read (single use).  The code is exchanged, the ID token
 *     verified (issuer, audience, nonce, expiry, signature against the
 *     provider's JWKS), the user found or created (db/identities.h), a
 *     session started, and the browser sent to return_to.
 *
 * Every refusal is a browser navigation too: 302 to /sign-in?error=CODE
 * with the error envelope (same code, a message) as the body, no session,
 * and a login.failure audit row whose detail names the provider, the code
 * and the precise reason (jwt_errname() for ID token refusals).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth/oidc.h"
#include "auth/oidc_client.h"
#include "auth/session.h"
#include "auth/token.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/identities.h"
#include "db/oidc_requests.h"
#include "http/audit.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/session.h"
#include "http/validate.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/cfg.h"
#include "util/log.h"

/* How long a sign-in may take between login and callback, in seconds. */
#define OIDC_REQUEST_TTL 600

/* The longest authorization code accepted. */
#define OIDC_CODE_MAX 2048

/* The state cookie's name: the __Secure- prefix wherever cookies are
 * Secure (it allows a Path, unlike __Host-). */
static const char *state_cookie_name(const struct config *cfg)
{
    return session_cookie_secure(cfg) ? "__Secure-plc_oidc" : "plc_oidc";
}

/* Sets the state cookie, or clears it when value is "". */
static void state_cookie(struct request *req, const char *value)
{
    bool secure = session_cookie_secure(req->cfg);
    char *line =
        arena_printf(&req->arena, "%s=%s; Path=/api/auth/; Max-Age=%d; HttpOnly; SameSite=Lax%s",
                     state_cookie_name(req->cfg), value, value[0] ? OIDC_REQUEST_TTL : 0,
                     secure ? "; Secure" : "");

    resp_header(req, "Set-Cookie", line);
}

/* Sends the browser to the sign-in page with a short error code: 302 with
 * the error envelope as the body, logged, and audited as login.failure
 * with the provider, the code and the reason (a stable name). */
static void refuse(struct request *req, const struct oidc_provider *p, const char *code,
                   const char *reason, const char *message)
{
    json_object *detail = json_object_new_object();

    json_object_object_add(detail, "method", json_object_new_string("oidc"));
    json_object_object_add(detail, "provider", json_object_new_string(p->id));
    json_object_object_add(detail, "error", json_object_new_string(code));
    json_object_object_add(detail, "reason", json_object_new_string(reason));
    audit_request(req, NULL, "login.failure", NULL, NULL, detail);
    LOG_FIELDS(LOG_WARN, "oidc: sign-in refused", LF_STR("provider", p->id), LF_STR("error", code),
               LF_STR("reason", reason));
    resp_error(req, 302, code, "%s", message);
    resp_header(req, "Location", arena_printf(&req->arena, "/sign-in?error=%s", code));
}

/* Looks up the route's provider; sets a 404 when it is not configured. */
static bool provider_of(struct request *req, struct oidc_provider *p)
{
    const char *id = request_param(req, "provider");

    if (id == NULL || !oidc_provider_get(req->cfg, id, p)) {
        resp_error(req, 404, "not_found", "this sign-in provider is not configured");
        return false;
    }
    return true;
}

void h_oidc_login(struct request *req)
{
    static const char *const allowed[] = {"return_to", NULL};
    char state[TOKEN_LEN + 1], nonce[TOKEN_LEN + 1], hash[SHA256_HEX_LEN + 1];
    char verifier[OIDC_VERIFIER_LEN + 1], challenge[OIDC_CHALLENGE_LEN + 1];
    const struct oidc_discovery *d;
    struct oidc_provider p;
    const char *return_to;
    char *redirect_uri, *url;
    enum db_status st;

    if (!provider_of(req, &p) || !query_only_params(req, allowed))
        return;
    return_to = request_query(req, "return_to");
    if (return_to == NULL || return_to[0] == '\0')
        return_to = "/";
    if (!oidc_return_to_ok(return_to)) {
        resp_error(req, 400, "invalid_parameter",
                   "return_to must be a path on this site (one leading '/', no '//' or '\\', "
                   "at most %d bytes)",
                   OIDC_RETURN_TO_MAX);
        return;
    }
    if (req->db == NULL) {
        resp_db_unavailable(req);
        return;
    }
    d = oidc_discover(&p);
    if (d == NULL) {
        LOG_FIELDS(LOG_WARN, "oidc: sign-in not started", LF_STR("provider", p.id),
                   LF_STR("reason", "discovery_failed"));
        resp_error(req, 302, "provider_unavailable",
                   "the sign-in provider cannot be reached; try again shortly");
        resp_header(req, "Location", "/sign-in?error=provider_unavailable");
        return;
    }
    if (!token_new(state) || !token_new(nonce) || !token_digest(state, hash)
        || !oidc_pkce_verifier(verifier) || !oidc_pkce_challenge(verifier, challenge)) {
        resp_error(req, 500, "internal", "could not start the sign-in");
        return;
    }
    st = oidc_request_put(req->db, hash, p.id, nonce, verifier, return_to, OIDC_REQUEST_TTL);
    OPENSSL_cleanse(verifier, sizeof(verifier));
    if (!resp_db_status(req, st, ""))
        return;
    redirect_uri = oidc_redirect_uri(req->cfg, p.id);
    url = oidc_authorize_url(d, &p, redirect_uri, state, nonce, challenge);
    state_cookie(req, state);
    if (!resp_header(req, "Location", url)) {
        resp_error(req, 500, "internal", "the provider's authorization URL is not usable");
    } else {
        req->resp.status = 302;
    }
    free(url);
    free(redirect_uri);
}

/* ---- the callback ----------------------------------------------------------------- */

/* Takes (reads and deletes) the pending sign-in for state into *out
 * (strings in the request's arena): DB_OK, DB_NOT_FOUND or DB_ERROR. */
static enum db_status take_pending(struct request *req, const char *state, struct oidc_request *out)
{
    char hash[SHA256_HEX_LEN + 1];

    if (!token_digest(state, hash))
        return DB_ERROR;
    return oidc_request_take(req->db, &req->arena, hash, out);
}

/* True when query parameter name appears more than once. */
static bool repeated(const struct request *req, const char *name)
{
    size_t i, n = 0;

    for (i = 0; i < req->nquery; i++)
        if (strcmp(req->query_params[i].name, name) == 0)
            n++;
    return n > 1;
}

/* True when s is 1..max visible ASCII characters. */
static bool visible(const char *s, size_t max)
{
    size_t i;

    for (i = 0; s[i] != '\0'; i++)
        if (i >= max || (unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    return i > 0;
}

/* Returns the provider's ?error= code when it is a plain word, else
 * "other" (it goes into the audit log, so nothing arbitrary). */
static const char *provider_error_word(const char *e)
{
    size_t i;

    for (i = 0; e[i] != '\0'; i++)
        if (i >= 40 || !((e[i] >= 'a' && e[i] <= 'z') || e[i] == '_'))
            return "other";
    return i > 0 ? e : "other";
}

/* A usable email: 3-320 visible characters with an '@' not at either
 * end, else NULL. */
static const char *usable_email(const char *e)
{
    size_t n;
    const char *at;

    if (e == NULL || !visible(e, 320))
        return NULL;
    n = strlen(e);
    at = strchr(e, '@');
    if (n < 3 || at == NULL || at == e || at == e + n - 1)
        return NULL;
    return e;
}

/* A Clever id: 1-64 of [A-Za-z0-9_-], else NULL. */
static const char *clever_id(const char *s)
{
    size_t i;

    if (s == NULL)
        return NULL;
    for (i = 0; s[i] != '\0'; i++) {
        char c = s[i];
        if (i >= 64
            || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                 || c == '_' || c == '-'))
            return NULL;
    }
    return i > 0 ? s : NULL;
}

/* Returns the display name for a new user (arena): the name claim, else
 * given_name and family_name, else the email; control characters become
 * spaces, surrounding spaces go, and it is cut to 200 characters. */
static const char *display_name(struct request *req, const struct jwt *t, const char *email)
{
    const char *given = auth_json_string(t->claims, "given_name");
    const char *family = auth_json_string(t->claims, "family_name");
    const char *src = t->name;
    char *s, *start, *end;
    size_t chars = 0, i;

    if (src == NULL || src[0] == '\0') {
        if (given != NULL && family != NULL)
            src = arena_printf(&req->arena, "%s %s", given, family);
        else
            src = given ? given : family;
    }
    s = arena_strdup(&req->arena, src ? src : "");
    for (i = 0; s[i] != '\0'; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            s[i] = ' ';
    start = s;
    while (*start == ' ')
        start++;
    /* cut at 200 code points (the claims are valid UTF-8) */
    for (end = start; *end != '\0'; end++) {
        if (((unsigned char)*end & 0xc0) != 0x80 && ++chars > 200)
            break;
    }
    *end = '\0';
    while (end > start && end[-1] == ' ')
        *--end = '\0';
    if (*start == '\0')
        return email ? email : "User";
    return start;
}

/* Reads up to IDENTITY_MAX_SCHOOLS valid school ids from the "schools"
 * claim into an arena array; *n is their count. */
static const char *const *clever_schools(struct request *req, const struct jwt *t, size_t *n)
{
    json_object *arr;
    const char **out;
    size_t i, len;

    *n = 0;
    if (!json_object_object_get_ex(t->claims, "schools", &arr)
        || !json_object_is_type(arr, json_type_array))
        return NULL;
    len = json_object_array_length(arr);
    out = arena_alloc(&req->arena, sizeof(*out) * (IDENTITY_MAX_SCHOOLS + 1));
    for (i = 0; i < len && *n < IDENTITY_MAX_SCHOOLS; i++) {
        json_object *v = json_object_array_get_idx(arr, i);
        const char *id =
            json_object_is_type(v, json_type_string) ? clever_id(json_object_get_string(v)) : NULL;
        if (id != NULL && strlen(id) == (size_t)json_object_get_string_len(v))
            out[(*n)++] = arena_strdup(&req->arena, id);
    }
    return out;
}

/* Clever's account rules: a student account is refused (false, after the
 * refusal); a district or school admin becomes an admin when the account is
 * created; the district and its schools go into c (the request's arena). */
static bool clever_rules(struct request *req, const struct oidc_provider *p, const struct jwt *t,
                         struct identity_claims *c)
{
    const char *type = auth_json_string(t->claims, "user_type");

    if (type != NULL && strcmp(type, "student") == 0) {
        refuse(req, p, "student_account", "student",
               "PLC Coach is for educators; student accounts cannot sign in");
        return false;
    }
    c->admin_at_creation =
        type != NULL && (strcmp(type, "district_admin") == 0 || strcmp(type, "school_admin") == 0);
    c->district = clever_id(auth_json_string(t->claims, "district"));
    if (c->district != NULL)
        c->schools = clever_schools(req, t, &c->nschools);
    return true;
}

/* Finds, links or creates the user of the claims (identity_signin()):
 * *user_id in the request's arena and *r how it was found; false after a
 * refusal. */
static bool find_user(struct request *req, const struct oidc_provider *p,
                      const struct identity_claims *c, enum identity_result *r,
                      const char **user_id)
{
    char *uid = NULL; /* owned: identity_signin()'s, freed once copied */

    *r = identity_signin(req->db, c, &uid);
    switch (*r) {
    case IDENTITY_FOUND:
    case IDENTITY_LINKED:
    case IDENTITY_CREATED: break;
    case IDENTITY_EMAIL_IN_USE:
        refuse(req, p, "email_in_use", identity_result_name(*r),
               "an account with this email already exists and cannot be linked to this sign-in; "
               "sign in the way you did before");
        return false;
    case IDENTITY_NO_EMAIL:
        refuse(req, p, "email_missing", identity_result_name(*r),
               "the provider did not share an email address, which a new account needs");
        return false;
    case IDENTITY_DISABLED:
        refuse(req, p, "account_disabled", identity_result_name(*r), "this account is disabled");
        return false;
    case IDENTITY_DB_ERROR:
        refuse(req, p, "server_error", identity_result_name(*r),
               "the sign-in could not be completed; try again shortly");
        return false;
    }
    *user_id = arena_strdup(&req->arena, uid);
    free(uid);
    return true;
}

/* Audits a new user (user.create), starts the session, audits the sign-in
 * (login.success) and sends the browser to return_to; a session that
 * cannot be created is refused. */
static void start_session(struct request *req, const struct oidc_provider *p,
                          const struct identity_claims *c, enum identity_result r,
                          const char *user_id, const char *return_to)
{
    json_object *detail; /* each one owned by the audit_request() it is given to */

    if (r == IDENTITY_CREATED) {
        detail = json_object_new_object();
        json_object_object_add(detail, "method", json_object_new_string("oidc"));
        json_object_object_add(detail, "provider", json_object_new_string(p->id));
        json_object_object_add(detail, "role",
                               json_object_new_string(c->admin_at_creation ? "admin" : "educator"));
        audit_request(req, user_id, "user.create", "user", user_id, detail);
    }
    if (session_create(req, user_id) == NULL) {
        refuse(req, p, "server_error", "session", "the sign-in could not be completed; try again");
        return;
    }
    detail = json_object_new_object();
    json_object_object_add(detail, "method", json_object_new_string("oidc"));
    json_object_object_add(detail, "provider", json_object_new_string(p->id));
    json_object_object_add(detail, "account", json_object_new_string(identity_result_name(r)));
    audit_request(req, user_id, "login.success", "user", user_id, detail);
    req->resp.status = 302;
    resp_header(req, "Location", return_to);
}

/* The part of the callback after the token is verified: the claims, Clever's
 * account rules, find or create the user, the session, the redirect. */
static void sign_in(struct request *req, const struct oidc_provider *p, const struct jwt *t,
                    const char *return_to)
{
    struct identity_claims c = {.provider = p->id,
                                .subject = t->sub,
                                .email = usable_email(t->email),
                                .admin_at_creation = false,
                                .district = NULL,
                                .schools = NULL,
                                .nschools = 0};
    enum identity_result r;
    const char *user_id;

    c.email_verified = t->email_verified && c.email != NULL;
    c.name = display_name(req, t, c.email);
    if (p->slot == OIDC_CLEVER && !clever_rules(req, p, t, &c))
        return;
    if (find_user(req, p, &c, &r, &user_id))
        start_session(req, p, &c, r, user_id, return_to);
}

/* One callback being checked: the state h_oidc_callback()'s steps share. */
struct oidc_callback {
    struct oidc_provider p;
    const char *state, *code, *error; /* the query's (request arena), or NULL */
    struct oidc_request pend;         /* the pending sign-in: strings in the request's arena */
    const struct oidc_discovery *d;   /* the provider's discovery document (oidc_discover()'s) */
    char *id_token;                   /* owned: cleansed and freed by verify_token() */
    struct jwt t;                     /* owned: jwt_clear() by h_oidc_callback() */
};

/* Checks that the response belongs to a sign-in started in this browser and
 * takes that sign-in (single use) into c->pend; false after a refusal. */
static bool check_state(struct request *req, struct oidc_callback *c)
{
    const char *cookie;
    enum db_status found;

    if (repeated(req, "state") || repeated(req, "code") || repeated(req, "error")) {
        refuse(req, &c->p, "state_invalid", "repeated_parameter",
               "the sign-in response was malformed; start again");
        return false;
    }
    c->state = request_query(req, "state");
    c->code = request_query(req, "code");
    c->error = request_query(req, "error");
    cookie = request_cookie(req, state_cookie_name(req->cfg));
    if (c->state == NULL || !token_well_formed(c->state)) {
        refuse(req, &c->p, c->error ? "provider_denied" : "state_invalid",
               c->error ? provider_error_word(c->error) : "state_missing",
               "the sign-in response does not belong to a sign-in started here; start again");
        return false;
    }
    if (cookie == NULL || !token_well_formed(cookie) || !token_equal(cookie, c->state)) {
        refuse(req, &c->p, "state_invalid", "state_cookie_mismatch",
               "the sign-in was started in another browser or has expired; start again");
        return false;
    }
    if (req->db == NULL) {
        refuse(req, &c->p, "server_error", "db_unavailable",
               "the database is unavailable; try again shortly");
        return false;
    }
    found = take_pending(req, c->state, &c->pend);
    if (found == DB_ERROR) {
        refuse(req, &c->p, "server_error", "db_error",
               "the sign-in could not be completed; try again");
        return false;
    }
    if (found == DB_NOT_FOUND || c->pend.expired || strcmp(c->pend.provider, c->p.id) != 0) {
        refuse(req, &c->p, "state_invalid",
               found == DB_NOT_FOUND ? "state_unknown"
               : c->pend.expired     ? "state_expired"
                                     : "provider_mismatch",
               "this sign-in was already used, has expired or belongs to another provider; start "
               "again");
        return false;
    }
    return true;
}

/* Checks the rest of the provider's response (no ?error=, its issuer, an
 * authorization code); false after a refusal. */
static bool check_response(struct request *req, const struct oidc_callback *c)
{
    const char *iss;

    if (c->error != NULL) {
        refuse(req, &c->p, "provider_denied", provider_error_word(c->error),
               "the sign-in provider did not sign you in");
        return false;
    }
    /* RFC 9207: a provider that names itself must be the one we asked. */
    iss = request_query(req, "iss");
    if (iss != NULL && strcmp(iss, c->p.issuer) != 0) {
        refuse(req, &c->p, "state_invalid", "issuer_mismatch",
               "the sign-in response came from another provider; start again");
        return false;
    }
    if (c->code == NULL || !visible(c->code, OIDC_CODE_MAX)) {
        refuse(req, &c->p, "state_invalid", "code_missing",
               "the sign-in response has no authorization code; start again");
        return false;
    }
    return true;
}

/* Exchanges the authorization code (with the PKCE verifier) for an ID
 * token into c->id_token; false after a refusal. */
static bool exchange_code(struct request *req, struct oidc_callback *c)
{
    enum oidc_exchange_err xerr;
    char *redirect_uri, perr[48];

    c->d = oidc_discover(&c->p);
    if (c->d == NULL) {
        refuse(req, &c->p, "provider_unavailable", "discovery_failed",
               "the sign-in provider cannot be reached; try again shortly");
        return false;
    }
    redirect_uri = oidc_redirect_uri(req->cfg, c->p.id);
    xerr = oidc_exchange_code(&c->p, c->d, c->code, redirect_uri, c->pend.code_verifier,
                              &c->id_token, perr, sizeof(perr));
    free(redirect_uri);
    if (xerr == OIDC_EXCHANGE_OK)
        return true;
    if (xerr == OIDC_EXCHANGE_UNREACHABLE)
        refuse(req, &c->p, "provider_unavailable", oidc_exchange_errname(xerr),
               "the sign-in provider cannot be reached; try again shortly");
    else if (xerr == OIDC_EXCHANGE_REFUSED)
        refuse(req, &c->p, "code_rejected",
               perr[0] ? arena_printf(&req->arena, "%s:%s", oidc_exchange_errname(xerr), perr)
                       : oidc_exchange_errname(xerr),
               "the sign-in provider refused the authorization code (used twice or expired); "
               "start again");
    else
        refuse(req, &c->p, "token_invalid", oidc_exchange_errname(xerr),
               "the sign-in provider's answer was not usable");
    return false;
}

/* Verifies the ID token (issuer, audience, nonce, expiry, signature) into
 * c->t, then cleanses and frees it; false after a refusal. */
static bool verify_token(struct request *req, struct oidc_callback *c)
{
    enum jwt_err jerr;
    bool no_keys;

    jerr = oidc_verify_id_token(&c->p, c->d, c->id_token, c->pend.nonce, &c->t, &no_keys);
    OPENSSL_cleanse(c->id_token, strlen(c->id_token));
    free(c->id_token);
    c->id_token = NULL;
    if (jerr == JWT_OK)
        return true;
    if (no_keys)
        refuse(req, &c->p, "provider_unavailable", "jwks_unavailable",
               "the sign-in provider's keys cannot be fetched; try again shortly");
    else
        refuse(
            req, &c->p, "token_invalid", jwt_errname(jerr),
            arena_printf(&req->arena, "the sign-in could not be verified: %s", jwt_strerror(jerr)));
    return false;
}

void h_oidc_callback(struct request *req)
{
    struct oidc_callback c = {
        .state = NULL, .code = NULL, .error = NULL, .d = NULL, .id_token = NULL};

    if (!provider_of(req, &c.p))
        return;
    state_cookie(req, ""); /* one try per login, whatever happens */
    if (check_state(req, &c) && check_response(req, &c) && exchange_code(req, &c)
        && verify_token(req, &c))
        sign_in(req, &c.p, &c.t, c.pend.return_to);
    jwt_clear(&c.t);
}
