/*
 * Test-side JOSE helpers; see jwt-sign.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>

#include "auth/base64url.h"
#include "t/auth/jwt-sign.h"
#include "util/alloc.h"
#include "util/buf.h"

static void __attribute__((noreturn)) die(const char *what)
{
    fprintf(stderr, "jwt-sign: %s failed\n", what);
    abort();
}

EVP_PKEY *tsign_rsa_key(unsigned bits)
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);

    if (key == NULL)
        die("RSA key generation");
    return key;
}

EVP_PKEY *tsign_ec_key(const char *curve)
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);

    if (key == NULL)
        die("EC key generation");
    return key;
}

/* Appends ,"name":"B64(bn padded to pad bytes)" to b. */
static void put_bn(struct buf *b, const char *name, const EVP_PKEY *key, const char *param,
                   size_t pad)
{
    BIGNUM *bn = NULL;
    unsigned char *bytes;
    size_t n;
    char *enc;

    if (EVP_PKEY_get_bn_param(key, param, &bn) != 1)
        die(param);
    n = pad > 0 ? pad : (size_t)BN_num_bytes(bn);
    bytes = xmalloc(n + 1);
    if (BN_bn2binpad(bn, bytes, (int)n) < 0)
        die("BN_bn2binpad");
    enc = base64url_encode(bytes, n);
    buf_printf(b, ",\"%s\":\"%s\"", name, enc);
    free(enc);
    free(bytes);
    BN_free(bn);
}

char *tsign_jwk(const EVP_PKEY *key, const char *kid, const char *extra)
{
    struct buf b = BUF_INIT;

    if (EVP_PKEY_is_a(key, "RSA")) {
        buf_puts(&b, "{\"kty\":\"RSA\"");
        put_bn(&b, "n", key, OSSL_PKEY_PARAM_RSA_N, 0);
        put_bn(&b, "e", key, OSSL_PKEY_PARAM_RSA_E, 0);
    } else if (EVP_PKEY_is_a(key, "EC")) {
        char group[64];
        size_t coord = ((size_t)EVP_PKEY_get_bits(key) + 7) / 8;
        int got = EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                                 sizeof(group), NULL);
        if (got != 1)
            die("EC group name");
        buf_printf(&b, "{\"kty\":\"EC\",\"crv\":\"%s\"",
                   strcmp(group, "prime256v1") == 0  ? "P-256"
                   : strcmp(group, "secp384r1") == 0 ? "P-384"
                                                     : group);
        put_bn(&b, "x", key, OSSL_PKEY_PARAM_EC_PUB_X, coord);
        put_bn(&b, "y", key, OSSL_PKEY_PARAM_EC_PUB_Y, coord);
    } else {
        die("tsign_jwk on an unknown key type");
    }
    if (kid != NULL)
        buf_printf(&b, ",\"kid\":\"%s\"", kid);
    if (extra != NULL)
        buf_printf(&b, ",%s", extra);
    buf_putc(&b, '}');
    return buf_steal(&b);
}

/* Converts OpenSSL's DER ECDSA signature to r||s of 32 bytes each. */
static unsigned char *der_to_raw(const unsigned char *der, size_t n, size_t *siglen)
{
    const unsigned char *p = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)n);
    const BIGNUM *r, *s;
    unsigned char *raw = xmalloc(64);

    if (es == NULL)
        die("d2i_ECDSA_SIG");
    ECDSA_SIG_get0(es, &r, &s);
    if (BN_bn2binpad(r, raw, 32) != 32 || BN_bn2binpad(s, raw + 32, 32) != 32)
        die("BN_bn2binpad");
    ECDSA_SIG_free(es);
    *siglen = 64;
    return raw;
}

unsigned char *tsign_sign(EVP_PKEY *key, const char *alg, const void *data, size_t n,
                          size_t *siglen)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *sig;
    size_t len = 0;

    if (md == NULL || EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, key, NULL) != 1
        || EVP_DigestSign(md, NULL, &len, data, n) != 1)
        die("EVP_DigestSignInit");
    sig = xmalloc(len);
    if (EVP_DigestSign(md, sig, &len, data, n) != 1)
        die("EVP_DigestSign");
    EVP_MD_CTX_free(md);
    if (strcmp(alg, "ES256") == 0) {
        unsigned char *raw = der_to_raw(sig, len, siglen);
        free(sig);
        return raw;
    }
    *siglen = len;
    return sig;
}

char *tsign_assemble(const void *header, size_t hn, const void *payload, size_t pn, const void *sig,
                     size_t sn)
{
    char *h = base64url_encode(header, hn), *p = base64url_encode(payload, pn);
    char *s = base64url_encode(sig, sn);
    char *out = xasprintf("%s.%s.%s", h, p, s);

    free(h);
    free(p);
    free(s);
    return out;
}

char *tsign_token_n(EVP_PKEY *key, const char *alg, const void *header, size_t hn,
                    const void *payload, size_t pn)
{
    char *h = base64url_encode(header, hn), *p = base64url_encode(payload, pn);
    char *input = xasprintf("%s.%s", h, p), *sigb64, *out;
    size_t siglen;
    unsigned char *sig = tsign_sign(key, alg, input, strlen(input), &siglen);

    sigb64 = base64url_encode(sig, siglen);
    out = xasprintf("%s.%s", input, sigb64);
    free(h);
    free(p);
    free(input);
    free(sig);
    free(sigb64);
    return out;
}

char *tsign_token(EVP_PKEY *key, const char *alg, const char *header, const char *payload)
{
    return tsign_token_n(key, alg, header, strlen(header), payload, strlen(payload));
}
