/* Fuzz target: ID tokens (jwt_verify), JWKS documents (jwks_parse) and
 * base64url.  The first byte picks what the rest is:
 *
 *   & 3 == 0  a token, verified against a key set made once per process;
 *             success would be a forged signature
 *   & 3 == 1  "HEADER\nPAYLOAD": signed here with that key set's private
 *             keys (RS256 when bit 2 is set, else ES256) and verified, so
 *             the header and claim checks see arbitrary, validly signed
 *             JSON; success must mean every claim check really held
 *   & 3 == 2  a JWKS document; every key kept must be usable and strong
 *   & 3 == 3  base64url: decoding must be canonical (re-encoding gives the
 *             input back) and encoding must round-trip
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth/base64url.h"
#include "auth/jwk.h"
#include "auth/jwt.h"
#include "fuzz/fuzz.h"
#include "t/auth/jwt-sign.h"
#include "util/alloc.h"
#include "util/log.h"

#define ISS "https://issuer.example"
#define CLIENT "fuzz-client"
#define NONCE "fuzz-nonce"
#define NOW ((int64_t)1700000000)
#define SKEW ((int64_t)60)

static EVP_PKEY *rsa, *ec;
static struct jwk_set *keys;
static const struct jwt_expect expect = {ISS, CLIENT, NONCE, NOW, SKEW};

/* Makes the key pair and key set once (kids "fuzz-rsa" and "fuzz-ec"). */
static void setup(void)
{
    char *j_rsa, *j_ec, *text;
    const char *why;

    if (keys != NULL)
        return;
    log_init("fuzz", LOG_ERROR);
    rsa = tsign_rsa_key(2048);
    ec = tsign_ec_key("P-256");
    j_rsa = tsign_jwk(rsa, "fuzz-rsa", "\"alg\":\"RS256\"");
    j_ec = tsign_jwk(ec, "fuzz-ec", "\"use\":\"sig\"");
    text = xasprintf("{\"keys\":[%s,%s]}", j_rsa, j_ec);
    keys = jwks_parse(text, strlen(text), &why);
    if (keys == NULL || keys->n != 2)
        abort();
    free(text);
    free(j_rsa);
    free(j_ec);
}

/* Returns string member key of obj, or NULL. */
static const char *str(json_object *obj, const char *key)
{
    json_object *v;

    if (obj == NULL || !json_object_object_get_ex(obj, key, &v)
        || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* Returns integer member key of obj, or def when it is not an integer. */
static int64_t num(json_object *obj, const char *key, int64_t def)
{
    json_object *v;

    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_int))
        return def;
    return json_object_get_int64(v);
}

/* Returns true when the verified claims name CLIENT as the audience the
 * way jwt.h promises: aud is CLIENT, or an array holding it and, when it
 * holds more than one entry, azp is CLIENT; azp, when present, is CLIENT. */
static bool audience_holds(json_object *claims)
{
    json_object *aud;
    const char *azp = str(claims, "azp");
    size_t i, n;
    bool found = false;

    if (!json_object_object_get_ex(claims, "aud", &aud))
        return false;
    if (json_object_is_type(aud, json_type_string))
        return strcmp(json_object_get_string(aud), CLIENT) == 0
               && (azp == NULL || strcmp(azp, CLIENT) == 0);
    if (!json_object_is_type(aud, json_type_array))
        return false;
    n = json_object_array_length(aud);
    for (i = 0; i < n; i++) {
        json_object *a = json_object_array_get_idx(aud, i);
        found = found
                || (json_object_is_type(a, json_type_string)
                    && strcmp(json_object_get_string(a), CLIENT) == 0);
    }
    if (n > 1 && azp == NULL)
        return false;
    return found && (azp == NULL || strcmp(azp, CLIENT) == 0);
}

/* After jwt_verify accepted a token we signed with alg: re-checks what it
 * must have checked, with plain json-c, and traps on any disagreement. */
static void recheck(const struct jwt *t, enum jwk_alg alg, const char *header, size_t hlen)
{
    char *text = xstrndup(header, hlen);
    json_object *hdr = json_tokener_parse(text);
    const char *halg = str(hdr, "alg");

    if (t->claims == NULL || t->sub == NULL || t->sub[0] == '\0')
        __builtin_trap();
    if (t->alg != alg || halg == NULL || strcmp(halg, jwk_alg_name(alg)) != 0)
        __builtin_trap(); /* accepted an alg we did not sign with */
    if (str(t->claims, "iss") == NULL || strcmp(str(t->claims, "iss"), ISS) != 0)
        __builtin_trap();
    if (str(t->claims, "nonce") == NULL || strcmp(str(t->claims, "nonce"), NONCE) != 0)
        __builtin_trap();
    if (!audience_holds(t->claims))
        __builtin_trap();
    if (t->exp <= NOW - SKEW || t->iat > NOW + SKEW)
        __builtin_trap();
    if (num(t->claims, "exp", INT64_MAX) <= NOW - SKEW || num(t->claims, "iat", 0) > NOW + SKEW
        || num(t->claims, "nbf", 0) > NOW + SKEW)
        __builtin_trap();
    json_object_put(hdr);
    free(text);
}

/* Mode 0: an arbitrary token. */
static void fuzz_token(const char *s, size_t n)
{
    struct jwt t;
    enum jwt_err err = jwt_verify(s, n, keys, &expect, &t);

    if (err == JWT_OK || err > JWT_ERR_INTERNAL)
        __builtin_trap(); /* a forgery, or an error outside the enum */
    if (t.claims != NULL || t.sub != NULL)
        __builtin_trap();
    jwt_clear(&t);
}

/* Mode 1: header and payload signed with the real keys. */
static void fuzz_signed(const char *s, size_t n, bool use_rsa)
{
    const char *nl = memchr(s, '\n', n);
    size_t hlen = nl != NULL ? (size_t)(nl - s) : n;
    const char *payload = nl != NULL ? nl + 1 : "";
    size_t plen = nl != NULL ? n - hlen - 1 : 0;
    char *tok =
        tsign_token_n(use_rsa ? rsa : ec, use_rsa ? "RS256" : "ES256", s, hlen, payload, plen);
    struct jwt t;
    enum jwt_err err = jwt_verify(tok, strlen(tok), keys, &expect, &t);

    if (err == JWT_OK)
        recheck(&t, use_rsa ? JWK_RS256 : JWK_ES256, s, hlen);
    else if (t.claims != NULL || t.sub != NULL || err > JWT_ERR_INTERNAL)
        __builtin_trap();
    jwt_clear(&t);
    free(tok);
}

/* Mode 2: a JWKS document. */
static void fuzz_jwks(const char *s, size_t n)
{
    const char *why = NULL;
    struct jwk_set *set = jwks_parse(s, n, &why);
    size_t i;

    if (set == NULL) {
        if (why == NULL)
            __builtin_trap(); /* a refusal must say why */
        return;
    }
    if (set->n == 0)
        __builtin_trap();
    for (i = 0; i < set->n; i++) {
        const struct jwk *k = &set->keys[i];
        bool strong;
        if (k->pkey == NULL)
            __builtin_trap();
        if (k->alg == JWK_RS256)
            strong =
                EVP_PKEY_is_a(k->pkey, "RSA") && EVP_PKEY_get_bits(k->pkey) >= JWK_RSA_MIN_BITS;
        else
            strong = EVP_PKEY_is_a(k->pkey, "EC") && EVP_PKEY_get_bits(k->pkey) == 256;
        if (!strong)
            __builtin_trap();
    }
    jwks_free(set);
}

/* Mode 3: base64url round trips. */
static void fuzz_base64url(const char *s, size_t n)
{
    size_t len, len2;
    unsigned char *dec = base64url_decode(s, n, &len);
    char *enc;

    if (dec != NULL) {
        enc = base64url_encode(dec, len);
        if (strlen(enc) != n || memcmp(enc, s, n) != 0)
            __builtin_trap(); /* two encodings decode to the same bytes */
        free(enc);
        free(dec);
    }
    enc = base64url_encode(s, n);
    dec = base64url_decode(enc, strlen(enc), &len2);
    if (dec == NULL || len2 != n || memcmp(dec, s, n) != 0)
        __builtin_trap();
    free(dec);
    free(enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data + 1;

    if (size == 0)
        return 0;
    setup();
    switch (data[0] & 3) {
    case 0: fuzz_token(s, size - 1); break;
    case 1: fuzz_signed(s, size - 1, (data[0] & 4) != 0); break;
    case 2: fuzz_jwks(s, size - 1); break;
    default: fuzz_base64url(s, size - 1); break;
    }
    return 0;
}
