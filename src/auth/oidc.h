/*
 * OpenID Connect sign-in: the parts that need no network.
 *
 * The providers (Google, Clever and one generic slot) come from the
 * configuration; a provider is enabled when its client id is set (and, for
 * the generic slot, its issuer).  This module builds what the browser is
 * sent to (the authorization URL with state, nonce and a PKCE S256
 * challenge), checks a provider's discovery document, checks where a
 * browser may be sent back to after sign-in, and builds the token
 * request.  oidc_client.h does the fetching; src/http/h_oidc.c the flow.
 */
#ifndef PLC_AUTH_OIDC_H
#define PLC_AUTH_OIDC_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

struct buf;
struct config;

/* The provider slots, in the order GET /api/auth/providers lists them. */
enum oidc_slot { OIDC_GOOGLE, OIDC_CLEVER, OIDC_GENERIC, OIDC_NSLOTS };

/* One enabled provider.  The strings are borrowed from the configuration
 * (or static) and live as long as it does. */
struct oidc_provider {
    enum oidc_slot slot;
    const char *id;     /* "google", "clever", "generic": URL segment and identities.provider */
    const char *name;   /* the button label */
    const char *issuer; /* exactly as configured; discovery must repeat it */
    const char *client_id;
    const char *client_secret; /* "" for a public client (PKCE only) */
};

/* The most a return_to path may hold, in bytes. */
#define OIDC_RETURN_TO_MAX 512

/* Length of a PKCE code verifier made here: base64url of 32 bytes. */
#define OIDC_VERIFIER_LEN 43

/* Length of an S256 code challenge: base64url of a SHA-256 digest. */
#define OIDC_CHALLENGE_LEN 43

/* The scopes requested from every provider. */
#define OIDC_SCOPE "openid email profile"

/* Fills *out with provider id ("google", ...) when it is enabled in cfg;
 * false for an unknown or unconfigured provider. */
bool oidc_provider_get(const struct config *cfg, const char *id, struct oidc_provider *out)
    __attribute__((nonnull, warn_unused_result));

/* Fills out[] with the enabled providers in display order and returns how
 * many there are (0..OIDC_NSLOTS). */
size_t oidc_providers_enabled(const struct config *cfg, struct oidc_provider out[OIDC_NSLOTS])
    __attribute__((nonnull));

/* Appends {"id","name","kind":"oidc","login_url"} for each enabled
 * provider to the JSON array list (which stays the caller's). */
void oidc_providers_json(const struct config *cfg, json_object *list) __attribute__((nonnull));

/* What a discovery document says that we use.  Owned by the struct:
 * oidc_discovery_clear() frees. */
struct oidc_discovery {
    char *issuer;
    char *authorization_endpoint;
    char *token_endpoint;
    char *jwks_uri;
    char *userinfo_endpoint; /* NULL when the document has none */
    bool auth_basic;         /* client_secret_basic (else client_secret_post) */
};

/* Returns the discovery URL of issuer ({issuer}/.well-known/openid-
 * configuration, a trailing '/' of the issuer dropped first).  The caller
 * frees it. */
char *oidc_discovery_url(const char *issuer) __attribute__((nonnull, warn_unused_result));

/* Checks the n bytes of a discovery document against the configured
 * issuer: a JSON object whose "issuer" equals expected_issuer exactly,
 * with authorization_endpoint, token_endpoint and jwks_uri that pass
 * url_https_or_loopback() (userinfo_endpoint too, when present);
 * response_types_supported, when present, must list "code";
 * code_challenge_methods_supported, when present, must list "S256";
 * token_endpoint_auth_methods_supported chooses client_secret_basic (the
 * default) or client_secret_post.  Fills *out (clear it with
 * oidc_discovery_clear()) and returns true, or returns false with a static
 * reason in *why and *out cleared. */
bool oidc_discovery_parse(const char *text, size_t n, const char *expected_issuer,
                          struct oidc_discovery *out, const char **why)
    __attribute__((nonnull, warn_unused_result));

/* Frees what *d holds and zeroes it; safe to repeat. */
void oidc_discovery_clear(struct oidc_discovery *d) __attribute__((nonnull));

/* Writes a fresh PKCE code verifier (base64url of 32 random bytes, 43
 * characters) and a NUL into out.  False only when the random generator
 * fails (logged). */
bool oidc_pkce_verifier(char out[OIDC_VERIFIER_LEN + 1])
    __attribute__((nonnull, warn_unused_result));

/* Writes the S256 challenge of verifier, base64url(SHA-256(verifier)), and
 * a NUL into out (RFC 7636 section 4.2).  False when OpenSSL fails. */
bool oidc_pkce_challenge(const char *verifier, char out[OIDC_CHALLENGE_LEN + 1])
    __attribute__((nonnull, warn_unused_result));

/* Returns true when s may be a post-sign-in destination: a path on this
 * site that starts with a single '/', holds no "//" and no backslash,
 * only visible ASCII, at most OIDC_RETURN_TO_MAX bytes.  Anything else
 * could send the browser to another site. */
bool oidc_return_to_ok(const char *s) __attribute__((nonnull));

/* Returns the redirect URI registered with providers:
 * PLCCOACH_PUBLIC_URL (trailing '/' dropped) + /api/auth/{id}/callback.
 * The caller frees it. */
char *oidc_redirect_uri(const struct config *cfg, const char *provider_id)
    __attribute__((nonnull, warn_unused_result));

/* Returns the authorization URL: authorization_endpoint with
 * response_type=code, client_id, redirect_uri, scope, state, nonce,
 * code_challenge and code_challenge_method=S256 appended (after '&' when
 * the endpoint already has a query), every value percent-encoded.  The
 * caller frees it. */
char *oidc_authorize_url(const struct oidc_discovery *d, const struct oidc_provider *p,
                         const char *redirect_uri, const char *state, const char *nonce,
                         const char *challenge) __attribute__((nonnull, warn_unused_result));

/* Appends "name=value" to the form or query in b, both percent-encoded
 * (everything but RFC 3986's unreserved characters, so a space is %20),
 * after a '&' unless b is empty or ends in '?' or '&'. */
void oidc_form_add(struct buf *b, const char *name, const char *value) __attribute__((nonnull));

/* Builds the token request for an authorization code: the form body
 * (grant_type, code, redirect_uri, code_verifier; client_id always;
 * client_secret too when the provider uses client_secret_post) into body,
 * and the value of the Authorization header for client_secret_basic
 * ("Basic " + base64 of form-encoded id ":" secret) into *authorization
 * (NULL when none; the caller frees it).  The result holds secrets: the
 * caller wipes and frees body. */
void oidc_token_request(const struct oidc_provider *p, const struct oidc_discovery *d,
                        const char *code, const char *redirect_uri, const char *verifier,
                        struct buf *body, char **authorization) __attribute__((nonnull));

#endif
