/*
 * OpenID Connect ID tokens: compact JWS (RFC 7515) verification and JWT
 * claim checks (RFC 7519, OpenID Connect Core 3.1.3.7).
 *
 * jwt_verify() takes the token as received from the provider's token
 * endpoint and, in this order: checks the shape (at most JWT_MAX_BYTES,
 * exactly two dots, three canonical base64url parts); parses the header
 * (a JSON object; "alg" RS256 or ES256 and nothing else, so "none" and
 * HS256 never get near a key; "typ", if present, "JWT" in any case; "kid",
 * if present, a string; no "crit"; key-carrying members such as "jwk",
 * "jku", "x5u" are ignored, never trusted); picks the key from the key set
 * by kid and alg; verifies the signature over the first two parts; and only
 * then parses the payload and checks the claims against struct jwt_expect:
 *
 *   iss    equal to expect->issuer
 *   aud    equal to expect->client_id, or an array containing it
 *   azp    equal to expect->client_id when present; required when aud
 *          is an array of more than one entry
 *   exp    > now - skew            (required)
 *   iat    <= now + skew           (required)
 *   nbf    <= now + skew           (when present)
 *   nonce  equal to expect->nonce  (when expect->nonce is not NULL)
 *   sub    a non-empty string
 *
 * A claim that is absent gives JWT_ERR_MISSING_CLAIM; present with the
 * wrong JSON type (or a string holding a NUL) JWT_ERR_BAD_CLAIM; present
 * with another value the specific error.  Times may be JSON integers or
 * non-integers (rounded towards refusal).  JSON nesting deeper than
 * AUTH_JSON_MAX_DEPTH is refused.  json-c keeps the last of duplicate
 * member names, which RFC 7515 section 4 allows.
 *
 * Every refusal is one enum jwt_err; JWT_ERR_UNKNOWN_KID means the key set
 * had no key for the token, which is the caller's cue to refetch the JWKS
 * once (and at most that often) and try again.
 */
#ifndef PLC_AUTH_JWT_H
#define PLC_AUTH_JWT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "auth/jwk.h"

/* The longest token accepted, in bytes. */
#define JWT_MAX_BYTES (16 * 1024)

/* The largest clock skew jwt_verify() honours, in seconds. */
#define JWT_MAX_SKEW 600

enum jwt_err {
    JWT_OK = 0,
    JWT_ERR_TOO_LARGE,        /* longer than JWT_MAX_BYTES */
    JWT_ERR_MALFORMED,        /* not three base64url parts, or a part is not a JSON object */
    JWT_ERR_UNSUPPORTED_ALG,  /* alg other than RS256/ES256 ("none", HS256, ...) */
    JWT_ERR_UNSUPPORTED_TYPE, /* typ other than JWT, or a crit header */
    JWT_ERR_UNKNOWN_KID,      /* no key in the set for this kid and alg: refetch once */
    JWT_ERR_AMBIGUOUS_KEY,    /* no kid and several keys could have signed */
    JWT_ERR_BAD_SIGNATURE,    /* the signature does not verify */
    JWT_ERR_EXPIRED,          /* exp <= now - skew */
    JWT_ERR_NOT_YET_VALID,    /* nbf > now + skew */
    JWT_ERR_ISSUED_IN_FUTURE, /* iat > now + skew */
    JWT_ERR_WRONG_ISSUER,     /* iss is not the expected issuer */
    JWT_ERR_WRONG_AUDIENCE,   /* aud lacks the client id, or azp is not the client id */
    JWT_ERR_WRONG_NONCE,      /* nonce is not the expected nonce */
    JWT_ERR_MISSING_CLAIM,    /* iss, aud, exp, iat, an expected nonce absent; sub absent/"" */
    JWT_ERR_BAD_CLAIM,        /* a checked claim has the wrong type or holds a NUL */
    JWT_ERR_INTERNAL          /* a caller error or an OpenSSL failure (logged) */
};

/* What the token must say, and when "now" is. */
struct jwt_expect {
    const char *issuer;    /* required: iss must equal it exactly */
    const char *client_id; /* required: aud must be or contain it */
    const char *nonce;     /* when not NULL, nonce must equal it */
    int64_t now;           /* seconds since the epoch (time(NULL) in production) */
    int64_t skew;          /* allowed clock skew in seconds, 0..JWT_MAX_SKEW */
};

/* A verified token.  The strings point into claims; everything belongs to
 * the struct and goes with jwt_clear(). */
struct jwt {
    json_object *claims; /* the payload object, only after JWT_OK */
    const char *sub;     /* non-empty after JWT_OK */
    const char *email;   /* NULL when absent or not a string */
    const char *name;    /* NULL when absent or not a string */
    bool email_verified; /* true for JSON true or the string "true" */
    int64_t exp, iat;    /* the checked times */
    enum jwk_alg alg;    /* the header's alg, once it was accepted */
    char *kid;           /* the header's kid (NULL when none), set even when
                          * verification fails later, for logging */
    const char *detail;  /* a static explanation of the last refusal, or NULL */
};

/* Verifies the len bytes of token with keys and checks its claims against
 * expect.  Fills *out, which the caller must release with jwt_clear()
 * whatever the result.  Returns JWT_OK or the reason for refusing. */
enum jwt_err jwt_verify(const char *token, size_t len, const struct jwk_set *keys,
                        const struct jwt_expect *expect, struct jwt *out)
    __attribute__((nonnull(3, 4, 5), warn_unused_result));

/* Frees what jwt_verify() put in *out and zeroes it; safe to repeat. */
void jwt_clear(struct jwt *t) __attribute__((nonnull));

/* Returns a static English sentence for err. */
const char *jwt_strerror(enum jwt_err err);

/* Returns a static stable name for err ("unknown_kid", ...), for logs,
 * the audit trail and tests. */
const char *jwt_errname(enum jwt_err err);

#endif
