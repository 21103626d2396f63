/*
 * OpenID Connect over the network, with libcurl: discovery, the JWKS, the
 * code exchange and ID token verification.
 *
 * Each worker keeps, per provider slot, the discovery document for
 * OIDC_DISCOVERY_TTL seconds and the key set for OIDC_JWKS_TTL seconds;
 * when a refresh fails the stale copy is used (logged) rather than lock
 * everyone out.  An ID token whose kid is not in the cached key set makes
 * the worker fetch the key set again, at most once per
 * OIDC_JWKS_REFETCH_MIN seconds per provider (a provider rotating keys
 * costs one fetch; a stream of bogus kids costs no more).
 *
 * One curl easy handle per worker is reused, so connections and DNS
 * answers are kept alive between requests.  Every transfer has connect and
 * total timeouts and a response size limit; TLS peers are verified;
 * redirects are not followed; only https is spoken, except http to the
 * loopback interface (see util/url.h).  Codes, verifiers, client secrets
 * and tokens are never logged.
 */
#ifndef PLC_AUTH_OIDC_CLIENT_H
#define PLC_AUTH_OIDC_CLIENT_H

#include <stdbool.h>

#include "auth/jwt.h"
#include "auth/oidc.h"

#define OIDC_DISCOVERY_TTL 3600
#define OIDC_JWKS_TTL 3600
#define OIDC_JWKS_REFETCH_MIN 60
#define OIDC_CONNECT_TIMEOUT_MS 5000
#define OIDC_TIMEOUT_MS 10000
#define OIDC_DOC_MAX_BYTES (64 * 1024)
#define OIDC_CLOCK_SKEW 120

/* Returns the provider's discovery document, fetched or from the cache.
 * The struct belongs to the cache and stays valid until the next call for
 * the same provider.  NULL (logged) when there is none to be had. */
const struct oidc_discovery *oidc_discover(const struct oidc_provider *p)
    __attribute__((nonnull, warn_unused_result));

/* Why a code exchange failed. */
enum oidc_exchange_err {
    OIDC_EXCHANGE_OK = 0,
    OIDC_EXCHANGE_UNREACHABLE, /* transport error, timeout, response too large */
    OIDC_EXCHANGE_REFUSED,     /* the token endpoint answered an error (invalid_grant, ...) */
    OIDC_EXCHANGE_MALFORMED,   /* 200 without a JSON object holding an id_token */
};

/* Returns a static stable name for err ("refused", ...). */
const char *oidc_exchange_errname(enum oidc_exchange_err err);

/* Exchanges an authorization code at the token endpoint (with the PKCE
 * verifier, the client authenticated as the discovery document chose).
 * On OIDC_EXCHANGE_OK *id_token is the ID token (the caller frees it).
 * On OIDC_EXCHANGE_REFUSED, provider_error (errlen bytes) receives the
 * provider's "error" code when it is a short plain word, else "". */
enum oidc_exchange_err oidc_exchange_code(const struct oidc_provider *p,
                                          const struct oidc_discovery *d, const char *code,
                                          const char *redirect_uri, const char *verifier,
                                          char **id_token, char *provider_error, size_t errlen)
    __attribute__((nonnull, warn_unused_result));

/* Verifies an ID token for provider p with jwt_verify(): its issuer, our
 * client id, nonce, the current time and OIDC_CLOCK_SKEW, against the
 * provider's key set (fetched or cached; fetched again once on
 * JWT_ERR_UNKNOWN_KID, within the rate limit above).  Fills *out (the
 * caller releases it with jwt_clear() whatever the result).  Returns
 * JWT_OK or the refusal; JWT_ERR_INTERNAL with *keys_unavailable true
 * when no key set could be had at all. */
enum jwt_err oidc_verify_id_token(const struct oidc_provider *p, const struct oidc_discovery *d,
                                  const char *token, const char *nonce, struct jwt *out,
                                  bool *keys_unavailable)
    __attribute__((nonnull, warn_unused_result));

#endif
