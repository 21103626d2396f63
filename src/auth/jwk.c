/*
 * JSON Web Key sets; see jwk.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "auth/base64url.h"
#include "auth/jwk.h"
#include "util/json.h"
#include "util/alloc.h"
#include "util/log.h"
#include "util/text.h"

/* Bytes in a P-256 coordinate, and in the uncompressed point 04||x||y. */
#define P256_COORD_LEN 32
#define P256_POINT_LEN (1 + 2 * P256_COORD_LEN)

/* What to do with one entry of "keys". */
enum verdict { KEY_USE, KEY_SKIP, KEY_REFUSE };

static const char *const alg_names[] = {[JWK_RS256] = "RS256", [JWK_ES256] = "ES256"};

const char *jwk_alg_name(enum jwk_alg alg)
{
    return (size_t)alg < sizeof(alg_names) / sizeof(alg_names[0]) ? alg_names[alg] : "?";
}

bool jwk_alg_parse(const char *name, enum jwk_alg *out)
{
    size_t i;

    for (i = 0; i < sizeof(alg_names) / sizeof(alg_names[0]); i++) {
        if (strcmp(name, alg_names[i]) == 0) {
            *out = (enum jwk_alg)i;
            return true;
        }
    }
    return false;
}

json_object *auth_json_parse_object(const char *s, size_t n, const char **why)
{
    if (s != NULL && n > JWKS_MAX_BYTES) {
        *why = "JSON text too large";
        return NULL;
    }
    return json_parse_object_strict(s, n, AUTH_JSON_MAX_DEPTH, why);
}

const char *auth_json_string(const json_object *obj, const char *key)
{
    json_object *v;
    const char *s;

    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    s = json_object_get_string(v);
    if (strlen(s) != (size_t)json_object_get_string_len(v))
        return NULL;
    return s;
}

/* Decodes the base64url string member key of jwk into a buffer the caller
 * frees, or returns NULL (absent, not a string, not base64url). */
static unsigned char *member_bytes(const json_object *jwk, const char *key, size_t *len)
{
    const char *s = auth_json_string(jwk, key);

    *len = 0;
    if (s == NULL)
        return NULL;
    return base64url_decode(s, strlen(s), len);
}

/* Builds a public key of the given OpenSSL type from params and checks it
 * (EVP_PKEY_public_check: RSA n and e sane, EC point on the curve).
 * Returns the key (the caller frees it with EVP_PKEY_free) or NULL. */
static EVP_PKEY *pkey_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = NULL, *check = NULL;
    EVP_PKEY *pkey = NULL;

    if (params == NULL)
        return NULL;
    ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1
        || EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
        goto fail;
    check = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (check == NULL || EVP_PKEY_public_check(check) != 1)
        goto fail;
    EVP_PKEY_CTX_free(check);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;

fail:
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(check);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return NULL;
}

/* Builds the RSA public key of jwk into *out or says why not. */
static enum verdict rsa_key(const json_object *jwk, EVP_PKEY **out, const char **why)
{
    unsigned char *nb, *eb;
    size_t nlen, elen;
    BIGNUM *n = NULL, *e = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    enum verdict v = KEY_REFUSE;
    int bits;

    nb = member_bytes(jwk, "n", &nlen);
    eb = member_bytes(jwk, "e", &elen);
    if (nb == NULL || eb == NULL || nlen == 0 || elen == 0) {
        *why = "RSA key without a base64url n and e";
        goto done;
    }
    if (nlen > JWK_RSA_MAX_BITS / 8 + 1 || elen > 8) {
        *why = "RSA modulus or exponent too large";
        goto done;
    }
    n = BN_bin2bn(nb, (int)nlen, NULL);
    e = BN_bin2bn(eb, (int)elen, NULL);
    if (n == NULL || e == NULL) {
        *why = "out of memory";
        goto done;
    }
    bits = BN_num_bits(n);
    if (bits < JWK_RSA_MIN_BITS || bits > JWK_RSA_MAX_BITS) {
        *why = bits < JWK_RSA_MIN_BITS ? "RSA modulus under 2048 bits" : "RSA modulus too large";
        goto done;
    }
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n)
        || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e)) {
        *why = "out of memory";
        goto done;
    }
    *out = pkey_from_params("RSA", bld);
    if (*out == NULL)
        *why = "RSA key refused by OpenSSL (bad modulus or exponent)";
    else
        v = KEY_USE;

done:
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    free(nb);
    free(eb);
    return v;
}

/* Builds the P-256 public key of jwk into *out or says why not. */
static enum verdict ec_key(const json_object *jwk, EVP_PKEY **out, const char **why)
{
    unsigned char *x, *y, point[P256_POINT_LEN];
    size_t xlen, ylen;
    OSSL_PARAM_BLD *bld = NULL;
    enum verdict v = KEY_REFUSE;

    x = member_bytes(jwk, "x", &xlen);
    y = member_bytes(jwk, "y", &ylen);
    if (x == NULL || y == NULL || xlen != P256_COORD_LEN || ylen != P256_COORD_LEN) {
        *why = "P-256 key without 32-byte base64url x and y";
        goto done;
    }
    point[0] = 0x04; /* uncompressed */
    memcpy(point + 1, x, P256_COORD_LEN);
    memcpy(point + 1 + P256_COORD_LEN, y, P256_COORD_LEN);
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL || !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0)
        || !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point))) {
        *why = "out of memory";
        goto done;
    }
    *out = pkey_from_params("EC", bld);
    if (*out == NULL)
        *why = "P-256 point refused by OpenSSL (not on the curve)";
    else
        v = KEY_USE;

done:
    OSSL_PARAM_BLD_free(bld);
    free(x);
    free(y);
    return v;
}

/* Returns true when member key of jwk is absent or the string want; sets
 * *bad when it is present but not a string (or holds a NUL). */
static bool absent_or(const json_object *jwk, const char *key, const char *want, bool *bad)
{
    json_object *v;
    const char *s;

    if (!json_object_object_get_ex(jwk, key, &v))
        return true;
    s = auth_json_string(jwk, key);
    if (s == NULL) {
        *bad = true;
        return false;
    }
    return strcmp(s, want) == 0;
}

/* Returns true when "key_ops" is absent or an array listing "verify". */
static bool ops_allow_verify(const json_object *jwk, bool *bad)
{
    json_object *ops;
    size_t i, n;

    if (!json_object_object_get_ex(jwk, "key_ops", &ops))
        return true;
    if (!json_object_is_type(ops, json_type_array)) {
        *bad = true;
        return false;
    }
    n = json_object_array_length(ops);
    for (i = 0; i < n; i++) {
        json_object *op = json_object_array_get_idx(ops, i);
        if (json_object_is_type(op, json_type_string)
            && (size_t)json_object_get_string_len(op) == strlen("verify")
            && strcmp(json_object_get_string(op), "verify") == 0)
            return true;
    }
    return false;
}

/* Decides about one entry of "keys" and, for KEY_USE, fills *out (whose
 * kid and pkey the caller then owns).  *why says why for KEY_REFUSE. */
static enum verdict parse_key(const json_object *jwk, struct jwk *out, const char **why)
{
    const char *kty, *kid = NULL;
    json_object *v;
    bool bad = false, fits;
    enum verdict verdict;

    memset(out, 0, sizeof(*out));
    if (!json_object_is_type(jwk, json_type_object)) {
        *why = "a key is not a JSON object";
        return KEY_REFUSE;
    }
    kty = auth_json_string(jwk, "kty");
    if (kty == NULL) {
        *why = "a key has no kty string";
        return KEY_REFUSE;
    }
    if (json_object_object_get_ex(jwk, "kid", &v)) {
        kid = auth_json_string(jwk, "kid");
        if (kid == NULL) {
            *why = "a key's kid is not a string";
            return KEY_REFUSE;
        }
    }
    if (strcmp(kty, "RSA") == 0) {
        out->alg = JWK_RS256;
        fits = absent_or(jwk, "alg", "RS256", &bad);
    } else if (strcmp(kty, "EC") == 0) {
        out->alg = JWK_ES256;
        fits = absent_or(jwk, "alg", "ES256", &bad);
        if (auth_json_string(jwk, "crv") == NULL)
            bad = true;
        else
            fits = fits && absent_or(jwk, "crv", "P-256", &bad);
    } else {
        return KEY_SKIP; /* oct, OKP, ... */
    }
    fits = absent_or(jwk, "use", "sig", &bad) && fits;
    fits = ops_allow_verify(jwk, &bad) && fits;
    if (bad) {
        *why = "a key member (alg, crv, use, key_ops) has the wrong type";
        return KEY_REFUSE;
    }
    if (!fits)
        return KEY_SKIP; /* another algorithm, curve or use */
    verdict = out->alg == JWK_RS256 ? rsa_key(jwk, &out->pkey, why) : ec_key(jwk, &out->pkey, why);
    if (verdict == KEY_USE && kid != NULL)
        out->kid = xstrdup(kid);
    return verdict;
}

struct jwk_set *jwks_from_json(const json_object *doc, const char **why)
{
    json_object *keys;
    struct jwk_set *set;
    size_t i, count;

    if (doc == NULL || !json_object_is_type(doc, json_type_object)) {
        *why = "JWKS is not a JSON object";
        return NULL;
    }
    if (!json_object_object_get_ex(doc, "keys", &keys)
        || !json_object_is_type(keys, json_type_array)) {
        *why = "JWKS has no \"keys\" array";
        return NULL;
    }
    count = json_object_array_length(keys);
    if (count > JWKS_MAX_KEYS) {
        *why = "JWKS has too many keys";
        return NULL;
    }
    set = xcalloc(1, sizeof(*set));
    set->keys = xcalloc(count > 0 ? count : 1, sizeof(*set->keys));
    for (i = 0; i < count; i++) {
        const char *reason = "unknown";
        const json_object *jwk = json_object_array_get_idx(keys, i);
        switch (parse_key(jwk, &set->keys[set->n], &reason)) {
        case KEY_USE: set->n++; break;
        case KEY_SKIP: set->skipped++; break;
        case KEY_REFUSE:
            set->rejected++;
            LOG_FIELDS(LOG_WARN, "jwks: key refused", LF_INT("index", i),
                       LF_STR("kid", jwk != NULL && json_object_is_type(jwk, json_type_object)
                                         ? auth_json_string(jwk, "kid")
                                         : NULL),
                       LF_STR("reason", reason));
            break;
        }
    }
    if (set->n == 0) {
        *why = "JWKS has no usable RS256 or ES256 key";
        jwks_free(set);
        return NULL;
    }
    return set;
}

struct jwk_set *jwks_parse(const char *text, size_t n, const char **why)
{
    json_object *doc;
    struct jwk_set *set;

    doc = auth_json_parse_object(text, n, why);
    if (doc == NULL)
        return NULL;
    set = jwks_from_json(doc, why);
    json_object_put(doc);
    return set;
}

void jwks_free(struct jwk_set *set)
{
    size_t i;

    if (set == NULL)
        return;
    for (i = 0; i < set->n; i++) {
        free(set->keys[i].kid);
        EVP_PKEY_free(set->keys[i].pkey);
    }
    free(set->keys);
    free(set);
}

enum jwk_find jwks_find(const struct jwk_set *set, const char *kid, enum jwk_alg alg,
                        const struct jwk **out)
{
    size_t i, matches = 0;
    const struct jwk *found = NULL;

    *out = NULL;
    for (i = 0; i < set->n; i++) {
        const struct jwk *k = &set->keys[i];
        if (k->alg != alg)
            continue;
        if (kid != NULL && (k->kid == NULL || strcmp(k->kid, kid) != 0))
            continue;
        found = k;
        matches++;
    }
    if (matches == 0)
        return JWK_NOT_FOUND;
    if (matches > 1)
        return JWK_AMBIGUOUS;
    *out = found;
    return JWK_FOUND;
}
