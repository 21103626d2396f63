/*
 * JSON Web Key sets (RFC 7517) for verifying OpenID Connect ID tokens.
 *
 * jwks_parse() turns a provider's jwks_uri document into a struct jwk_set
 * of OpenSSL 3 public keys, built with OSSL_PARAM_BLD and EVP_PKEY_fromdata
 * and checked with EVP_PKEY_public_check.  Two kinds of key are used:
 *
 *   RSA   kty "RSA", n, e; alg "RS256" or absent          -> JWK_RS256
 *   EC    kty "EC", crv "P-256", x, y; alg "ES256" or absent -> JWK_ES256
 *
 * and in both cases "use" must be "sig" or absent and "key_ops", when
 * present, must list "verify".  Other keys (oct, OKP, other curves, other
 * algorithms, encryption keys) are skipped and counted, never an error: a
 * provider may publish them next to the ones we use.  A key of a used kind
 * that is malformed or too weak (RSA modulus under 2048 bits, a point not
 * on the curve, coordinates of the wrong length) is refused: logged, counted
 * and left out, so one bad key does not lock every user out.  A document
 * with no usable key at all is an error.
 */
#ifndef PLC_AUTH_JWK_H
#define PLC_AUTH_JWK_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>
#include <openssl/evp.h>

/* The bounds on what jwks_parse() accepts. */
#define JWKS_MAX_BYTES (256 * 1024)
#define JWKS_MAX_KEYS 64
#define JWK_RSA_MIN_BITS 2048
#define JWK_RSA_MAX_BITS 8192

/* The JSON nesting depth accepted in JWKS documents and JWT parts. */
#define AUTH_JSON_MAX_DEPTH 16

/* The signature algorithms a key can serve. */
enum jwk_alg { JWK_RS256, JWK_ES256 };

struct jwk {
    char *kid;        /* the key id, NULL when the JWK had none */
    enum jwk_alg alg; /* what the key verifies */
    EVP_PKEY *pkey;   /* the public key */
};

/* A key set owns its keys, their kids and EVP_PKEYs; jwks_free() frees. */
struct jwk_set {
    struct jwk *keys;
    size_t n;
    size_t skipped;  /* keys of a kind we do not use */
    size_t rejected; /* keys of a kind we use, refused as malformed or weak */
};

/* The outcome of a key lookup. */
enum jwk_find {
    JWK_FOUND,     /* exactly one key fits */
    JWK_NOT_FOUND, /* none fits: refetching the JWKS may help */
    JWK_AMBIGUOUS  /* several fit (no kid, or a kid used twice) */
};

/* Parses a JWKS document of n bytes.  Returns a new key set that the
 * caller frees with jwks_free(), or NULL with a static reason in *why when
 * the text is not a JSON object with a "keys" array, breaks the bounds
 * above, or yields no usable key. */
struct jwk_set *jwks_parse(const char *text, size_t n, const char **why)
    __attribute__((nonnull(3), warn_unused_result));

/* The same from an already parsed document, which stays the caller's. */
struct jwk_set *jwks_from_json(const json_object *doc, const char **why)
    __attribute__((nonnull(2), warn_unused_result));

/* Frees a key set and everything in it; NULL is a no-op. */
void jwks_free(struct jwk_set *set);

/* Looks up the key for alg: with a kid, the key with that kid (and alg);
 * without, the one key for alg.  Sets *out (to NULL unless JWK_FOUND); the
 * key belongs to set. */
enum jwk_find jwks_find(const struct jwk_set *set, const char *kid, enum jwk_alg alg,
                        const struct jwk **out) __attribute__((nonnull(1, 4)));

/* Returns the JOSE name of alg ("RS256", "ES256"). */
const char *jwk_alg_name(enum jwk_alg alg);

/* Maps a JOSE alg name to enum jwk_alg; false for anything we do not
 * verify ("none", "HS256", "PS256", ...). */
bool jwk_alg_parse(const char *name, enum jwk_alg *out) __attribute__((nonnull));

/* Parses n bytes of untrusted JSON that must be one object: strict syntax,
 * valid UTF-8, no trailing bytes, nesting at most AUTH_JSON_MAX_DEPTH.
 * Returns the object (the caller drops it with json_object_put()) or NULL
 * with a static reason in *why.  Shared by jwk.c and jwt.c. */
json_object *auth_json_parse_object(const char *s, size_t n, const char **why)
    __attribute__((nonnull(3), warn_unused_result));

/* Returns the string value of member key of obj when it is a JSON string
 * without NUL bytes, else NULL (absent, another type, or an embedded NUL
 * that would make C string comparisons lie).  The string belongs to obj. */
const char *auth_json_string(const json_object *obj, const char *key) __attribute__((nonnull));

#endif
