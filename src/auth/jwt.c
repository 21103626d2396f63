/*
 * ID token verification; see jwt.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "auth/base64url.h"
#include "auth/jwt.h"
#include "auth/token.h"
#include "util/alloc.h"
#include "util/log.h"

/* Bytes in an ES256 signature: r and s, 32 bytes each, big-endian. */
#define ES256_SIG_LEN 64

/* The largest |now| accepted, so that now +/- skew cannot overflow. */
#define JWT_MAX_NOW ((int64_t)1 << 62)

static const struct {
    const char *name;
    const char *message;
} errors[] = {
    [JWT_OK] = {"ok", "the token is valid"},
    [JWT_ERR_TOO_LARGE] = {"too_large", "the token is too large"},
    [JWT_ERR_MALFORMED] = {"malformed", "the token is malformed"},
    [JWT_ERR_UNSUPPORTED_ALG] = {"unsupported_alg", "the token's signature algorithm is not "
                                                    "accepted"},
    [JWT_ERR_UNSUPPORTED_TYPE] = {"unsupported_type", "the token's type or critical header "
                                                      "is not accepted"},
    [JWT_ERR_UNKNOWN_KID] = {"unknown_kid", "no key in the provider's key set matches the token"},
    [JWT_ERR_AMBIGUOUS_KEY] = {"ambiguous_key", "the token names no key and several could "
                                                "have signed it"},
    [JWT_ERR_BAD_SIGNATURE] = {"bad_signature", "the token's signature is not valid"},
    [JWT_ERR_EXPIRED] = {"expired", "the token has expired"},
    [JWT_ERR_NOT_YET_VALID] = {"not_yet_valid", "the token is not valid yet"},
    [JWT_ERR_ISSUED_IN_FUTURE] = {"issued_in_future", "the token was issued in the future"},
    [JWT_ERR_WRONG_ISSUER] = {"wrong_issuer", "the token comes from another issuer"},
    [JWT_ERR_WRONG_AUDIENCE] = {"wrong_audience", "the token is meant for another client"},
    [JWT_ERR_WRONG_NONCE] = {"wrong_nonce", "the token's nonce does not match the sign-in"},
    [JWT_ERR_MISSING_CLAIM] = {"missing_claim", "the token lacks a required claim"},
    [JWT_ERR_BAD_CLAIM] = {"bad_claim", "a claim in the token has the wrong type"},
    [JWT_ERR_INTERNAL] = {"internal", "the token could not be checked (internal error)"},
};

const char *jwt_strerror(enum jwt_err err)
{
    if ((size_t)err >= sizeof(errors) / sizeof(errors[0]) || errors[err].message == NULL)
        return "unknown error";
    return errors[err].message;
}

const char *jwt_errname(enum jwt_err err)
{
    if ((size_t)err >= sizeof(errors) / sizeof(errors[0]) || errors[err].name == NULL)
        return "unknown";
    return errors[err].name;
}

void jwt_clear(struct jwt *t)
{
    json_object_put(t->claims);
    free(t->kid);
    memset(t, 0, sizeof(*t));
}

/* Sets the detail and returns err, so refusals read as one line. */
static enum jwt_err refuse(struct jwt *out, enum jwt_err err, const char *detail)
{
    out->detail = detail;
    return err;
}

/* How a claim looked. */
enum claim { CLAIM_ABSENT, CLAIM_OK, CLAIM_BAD };

/* Reads string claim key into *s (owned by obj). */
static enum claim claim_string(const json_object *obj, const char *key, const char **s)
{
    json_object *v;

    *s = NULL;
    if (!json_object_object_get_ex(obj, key, &v))
        return CLAIM_ABSENT;
    *s = auth_json_string(obj, key);
    return *s != NULL ? CLAIM_OK : CLAIM_BAD;
}

/* Reads NumericDate claim key (a JSON integer, or a non-integer rounded up
 * when round_up and down otherwise) into *out. */
static enum claim claim_time(const json_object *obj, const char *key, bool round_up, int64_t *out)
{
    json_object *v;
    double d;
    int64_t t;

    *out = 0;
    if (!json_object_object_get_ex(obj, key, &v))
        return CLAIM_ABSENT;
    if (json_object_is_type(v, json_type_int)) {
        *out = json_object_get_int64(v);
        return CLAIM_OK;
    }
    if (!json_object_is_type(v, json_type_double))
        return CLAIM_BAD;
    d = json_object_get_double(v);
    if (!(d > -9.0e18 && d < 9.0e18)) /* also refuses NaN */
        return CLAIM_BAD;
    t = (int64_t)d; /* truncates towards zero */
    if (round_up && (double)t < d)
        t++;
    else if (!round_up && (double)t > d)
        t--;
    *out = t;
    return CLAIM_OK;
}

/* Converts a raw ES256 signature (r||s) to a DER ECDSA-Sig-Value.  Returns
 * its length and the buffer in *der (the caller frees it with
 * OPENSSL_free), or 0 when OpenSSL fails. */
static size_t es256_to_der(const unsigned char *sig, unsigned char **der)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, ES256_SIG_LEN / 2, NULL);
    BIGNUM *s = BN_bin2bn(sig + ES256_SIG_LEN / 2, ES256_SIG_LEN / 2, NULL);
    int len;

    *der = NULL;
    if (es == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
        ECDSA_SIG_free(es);
        BN_free(r);
        BN_free(s);
        return 0;
    }
    len = i2d_ECDSA_SIG(es, der); /* es now owns r and s */
    ECDSA_SIG_free(es);
    if (len <= 0) {
        OPENSSL_free(*der);
        *der = NULL;
        return 0;
    }
    return (size_t)len;
}

/* Verifies sig over the n bytes of input with key. */
static enum jwt_err verify_signature(const struct jwk *key, const char *input, size_t n,
                                     const unsigned char *sig, size_t siglen, struct jwt *out)
{
    EVP_MD_CTX *md = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char *der = NULL;
    enum jwt_err err = JWT_ERR_INTERNAL;
    int rc;

    if (key->alg == JWK_ES256) {
        if (siglen != ES256_SIG_LEN)
            return refuse(out, JWT_ERR_BAD_SIGNATURE, "ES256 signature is not 64 bytes");
        siglen = es256_to_der(sig, &der);
        if (siglen == 0) {
            log_error("jwt: cannot encode an ECDSA signature");
            goto done;
        }
        sig = der;
    } else if (siglen != (size_t)EVP_PKEY_get_size(key->pkey)) {
        return refuse(out, JWT_ERR_BAD_SIGNATURE, "RS256 signature length is not the key size");
    }
    md = EVP_MD_CTX_new();
    if (md == NULL || EVP_DigestVerifyInit_ex(md, &pctx, "SHA256", NULL, NULL, key->pkey, NULL) != 1
        || (key->alg == JWK_RS256 && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)) {
        log_error("jwt: cannot set up signature verification");
        goto done;
    }
    rc = EVP_DigestVerify(md, sig, siglen, (const unsigned char *)input, n);
    err = rc == 1 ? JWT_OK : refuse(out, JWT_ERR_BAD_SIGNATURE, "signature does not verify");

done:
    ERR_clear_error(); /* a refused signature leaves errors for the next user of OpenSSL */
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    return err;
}

/* Checks the protected header and finds the key it calls for. */
static enum jwt_err check_header(const json_object *hdr, const struct jwk_set *keys,
                                 struct jwt *out, const struct jwk **key)
{
    const char *alg, *typ, *kid;
    json_object *v;

    switch (claim_string(hdr, "alg", &alg)) {
    case CLAIM_ABSENT: return refuse(out, JWT_ERR_MALFORMED, "header has no alg");
    case CLAIM_BAD: return refuse(out, JWT_ERR_MALFORMED, "header alg is not a string");
    case CLAIM_OK: break;
    }
    if (!jwk_alg_parse(alg, &out->alg))
        return refuse(out, JWT_ERR_UNSUPPORTED_ALG, "alg is not RS256 or ES256");
    switch (claim_string(hdr, "typ", &typ)) {
    case CLAIM_ABSENT: break;
    case CLAIM_BAD: return refuse(out, JWT_ERR_MALFORMED, "header typ is not a string");
    case CLAIM_OK:
        if (strcasecmp(typ, "JWT") != 0)
            return refuse(out, JWT_ERR_UNSUPPORTED_TYPE, "typ is not JWT");
        break;
    }
    if (json_object_object_get_ex(hdr, "crit", &v))
        return refuse(out, JWT_ERR_UNSUPPORTED_TYPE, "header has crit extensions");
    switch (claim_string(hdr, "kid", &kid)) {
    case CLAIM_ABSENT: break;
    case CLAIM_BAD: return refuse(out, JWT_ERR_MALFORMED, "header kid is not a string");
    case CLAIM_OK: out->kid = xstrdup(kid); break;
    }
    switch (jwks_find(keys, kid, out->alg, key)) {
    case JWK_FOUND: return JWT_OK;
    case JWK_NOT_FOUND:
        return refuse(out, JWT_ERR_UNKNOWN_KID,
                      kid != NULL ? "no key with this kid and alg" : "no key for this alg");
    case JWK_AMBIGUOUS: return refuse(out, JWT_ERR_AMBIGUOUS_KEY, "several keys fit the header");
    }
    return refuse(out, JWT_ERR_INTERNAL, "unreachable");
}

/* Checks aud and azp. */
static enum jwt_err check_audience(const json_object *claims, const char *client_id,
                                   struct jwt *out)
{
    json_object *aud;
    const char *s;
    size_t i, n = 1;
    bool found = false;

    if (!json_object_object_get_ex(claims, "aud", &aud))
        return refuse(out, JWT_ERR_MISSING_CLAIM, "no aud");
    if (json_object_is_type(aud, json_type_string)) {
        if (claim_string(claims, "aud", &s) != CLAIM_OK)
            return refuse(out, JWT_ERR_BAD_CLAIM, "aud holds a NUL");
        found = strcmp(s, client_id) == 0;
    } else if (json_object_is_type(aud, json_type_array)) {
        n = json_object_array_length(aud);
        for (i = 0; i < n; i++) {
            json_object *a = json_object_array_get_idx(aud, i);
            if (!json_object_is_type(a, json_type_string))
                return refuse(out, JWT_ERR_BAD_CLAIM, "aud array holds a non-string");
            s = json_object_get_string(a);
            if (strlen(s) != (size_t)json_object_get_string_len(a))
                return refuse(out, JWT_ERR_BAD_CLAIM, "aud holds a NUL");
            found = found || strcmp(s, client_id) == 0;
        }
    } else {
        return refuse(out, JWT_ERR_BAD_CLAIM, "aud is neither a string nor an array");
    }
    if (!found)
        return refuse(out, JWT_ERR_WRONG_AUDIENCE, "aud does not name this client");
    switch (claim_string(claims, "azp", &s)) {
    case CLAIM_ABSENT:
        if (n > 1)
            return refuse(out, JWT_ERR_WRONG_AUDIENCE, "several audiences and no azp");
        return JWT_OK;
    case CLAIM_BAD: return refuse(out, JWT_ERR_BAD_CLAIM, "azp is not a string");
    case CLAIM_OK: break;
    }
    if (strcmp(s, client_id) != 0)
        return refuse(out, JWT_ERR_WRONG_AUDIENCE, "azp is another client");
    return JWT_OK;
}

/* Checks exp, iat and nbf against now and skew. */
static enum jwt_err check_times(const json_object *claims, const struct jwt_expect *expect,
                                struct jwt *out)
{
    int64_t nbf;

    switch (claim_time(claims, "exp", false, &out->exp)) {
    case CLAIM_ABSENT: return refuse(out, JWT_ERR_MISSING_CLAIM, "no exp");
    case CLAIM_BAD: return refuse(out, JWT_ERR_BAD_CLAIM, "exp is not a number");
    case CLAIM_OK: break;
    }
    if (out->exp <= expect->now - expect->skew)
        return refuse(out, JWT_ERR_EXPIRED, "exp is past");
    switch (claim_time(claims, "iat", true, &out->iat)) {
    case CLAIM_ABSENT: return refuse(out, JWT_ERR_MISSING_CLAIM, "no iat");
    case CLAIM_BAD: return refuse(out, JWT_ERR_BAD_CLAIM, "iat is not a number");
    case CLAIM_OK: break;
    }
    if (out->iat > expect->now + expect->skew)
        return refuse(out, JWT_ERR_ISSUED_IN_FUTURE, "iat is in the future");
    switch (claim_time(claims, "nbf", true, &nbf)) {
    case CLAIM_ABSENT: break;
    case CLAIM_BAD: return refuse(out, JWT_ERR_BAD_CLAIM, "nbf is not a number");
    case CLAIM_OK:
        if (nbf > expect->now + expect->skew)
            return refuse(out, JWT_ERR_NOT_YET_VALID, "nbf is in the future");
        break;
    }
    return JWT_OK;
}

/* Checks the claims of a token whose signature verified, and fills the
 * convenience fields of out. */
static enum jwt_err check_claims(const json_object *claims, const struct jwt_expect *expect,
                                 struct jwt *out)
{
    const char *s;
    json_object *v;
    enum jwt_err err;

    switch (claim_string(claims, "iss", &s)) {
    case CLAIM_ABSENT: return refuse(out, JWT_ERR_MISSING_CLAIM, "no iss");
    case CLAIM_BAD: return refuse(out, JWT_ERR_BAD_CLAIM, "iss is not a string");
    case CLAIM_OK: break;
    }
    if (strcmp(s, expect->issuer) != 0)
        return refuse(out, JWT_ERR_WRONG_ISSUER, "iss is another issuer");
    err = check_audience(claims, expect->client_id, out);
    if (err != JWT_OK)
        return err;
    err = check_times(claims, expect, out);
    if (err != JWT_OK)
        return err;
    if (expect->nonce != NULL) {
        switch (claim_string(claims, "nonce", &s)) {
        case CLAIM_ABSENT: return refuse(out, JWT_ERR_MISSING_CLAIM, "no nonce");
        case CLAIM_BAD: return refuse(out, JWT_ERR_BAD_CLAIM, "nonce is not a string");
        case CLAIM_OK: break;
        }
        if (!token_equal(s, expect->nonce))
            return refuse(out, JWT_ERR_WRONG_NONCE, "nonce differs");
    }
    switch (claim_string(claims, "sub", &out->sub)) {
    case CLAIM_ABSENT: return refuse(out, JWT_ERR_MISSING_CLAIM, "no sub");
    case CLAIM_BAD: return refuse(out, JWT_ERR_BAD_CLAIM, "sub is not a string");
    case CLAIM_OK: break;
    }
    if (out->sub[0] == '\0')
        return refuse(out, JWT_ERR_MISSING_CLAIM, "sub is empty");
    out->email = auth_json_string(claims, "email");
    out->name = auth_json_string(claims, "name");
    if (json_object_object_get_ex(claims, "email_verified", &v)) {
        if (json_object_is_type(v, json_type_boolean))
            out->email_verified = json_object_get_boolean(v);
        else
            out->email_verified =
                (s = auth_json_string(claims, "email_verified")) != NULL && strcmp(s, "true") == 0;
    }
    return JWT_OK;
}

enum jwt_err jwt_verify(const char *token, size_t len, const struct jwk_set *keys,
                        const struct jwt_expect *expect, struct jwt *out)
{
    const char *dot1, *dot2, *why = NULL;
    unsigned char *hdr = NULL, *payload = NULL, *sig = NULL;
    size_t hlen, plen, slen;
    json_object *header = NULL, *claims = NULL;
    const struct jwk *key = NULL;
    enum jwt_err err;

    memset(out, 0, sizeof(*out));
    if (expect->issuer == NULL || expect->client_id == NULL || expect->skew < 0
        || expect->skew > JWT_MAX_SKEW || expect->now < 0 || expect->now > JWT_MAX_NOW) {
        log_error("jwt: jwt_verify called without an issuer or client id, or with a bad clock");
        return refuse(out, JWT_ERR_INTERNAL, "bad expectations");
    }
    if (len > JWT_MAX_BYTES)
        return refuse(out, JWT_ERR_TOO_LARGE, "token too large");
    if (token == NULL || (dot1 = memchr(token, '.', len)) == NULL
        || (dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token))) == NULL
        || memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - token)) != NULL)
        return refuse(out, JWT_ERR_MALFORMED, "not three dot-separated parts");
    hdr = base64url_decode(token, (size_t)(dot1 - token), &hlen);
    payload = base64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), &plen);
    sig = base64url_decode(dot2 + 1, len - (size_t)(dot2 + 1 - token), &slen);
    if (hdr == NULL || payload == NULL || sig == NULL) {
        err = refuse(out, JWT_ERR_MALFORMED, "a part is not base64url");
        goto done;
    }
    header = auth_json_parse_object((const char *)hdr, hlen, &why);
    if (header == NULL) {
        err = refuse(out, JWT_ERR_MALFORMED, "header is not a JSON object");
        goto done;
    }
    err = check_header(header, keys, out, &key);
    if (err != JWT_OK)
        goto done;
    err = verify_signature(key, token, (size_t)(dot2 - token), sig, slen, out);
    if (err != JWT_OK)
        goto done;
    claims = auth_json_parse_object((const char *)payload, plen, &why);
    if (claims == NULL) {
        err = refuse(out, JWT_ERR_MALFORMED, "payload is not a JSON object");
        goto done;
    }
    err = check_claims(claims, expect, out);
    if (err == JWT_OK) {
        out->claims = claims;
        claims = NULL;
    } else {
        out->sub = out->email = out->name = NULL; /* they pointed into claims */
        out->email_verified = false;
    }

done:
    json_object_put(claims);
    json_object_put(header);
    free(hdr);
    free(payload);
    free(sig);
    return err;
}
