/*
 * scrypt password hashes; see password.h.
 */
#include "config.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "util/alloc.h"
#include "util/log.h"
#include "util/text.h"

#define SALT_LEN 16
#define HASH_LEN 32

/* Derives HASH_LEN bytes of scrypt(password, salt, 2^log2n, r, p). */
static bool derive(const char *password, const unsigned char *salt, size_t saltlen, int log2n,
                   int r, int p, unsigned char *out)
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL);
    EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    uint64_t n = UINT64_C(1) << log2n;
    uint32_t rr = (uint32_t)r, pp = (uint32_t)p;
    uint64_t maxmem = (uint64_t)128 * rr * n + (UINT64_C(1) << 20) + (uint64_t)128 * rr * pp;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, (void *)(uintptr_t)password,
                                          strlen(password)),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)(uintptr_t)salt, saltlen),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &rr),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &pp),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
        OSSL_PARAM_construct_end(),
    };
    bool ok = ctx != NULL && EVP_KDF_derive(ctx, out, HASH_LEN, params) == 1;

    if (!ok)
        log_error("scrypt derivation failed");
    EVP_KDF_CTX_free(ctx);
    EVP_KDF_free(kdf);
    return ok;
}

static void to_hex(const unsigned char *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Decodes exactly n bytes from 2n hex digits; false on anything else. */
static bool from_hex(const char *s, size_t slen, unsigned char *out, size_t n)
{
    size_t i;

    if (slen != 2 * n)
        return false;
    for (i = 0; i < n; i++) {
        unsigned int v;
        char pair[3] = {s[2 * i], s[2 * i + 1], '\0'};
        char *end;
        v = (unsigned int)strtoul(pair, &end, 16);
        if (*end != '\0' || pair[0] == '+' || pair[0] == '-' || pair[0] == ' ')
            return false;
        out[i] = (unsigned char)v;
    }
    return true;
}

char *password_hash(const char *password, int log2n)
{
    unsigned char salt[SALT_LEN], hash[HASH_LEN];
    char salthex[2 * SALT_LEN + 1], hashhex[2 * HASH_LEN + 1];

    if (RAND_bytes(salt, sizeof(salt)) != 1) {
        log_error("RAND_bytes failed");
        return NULL;
    }
    if (!derive(password, salt, sizeof(salt), log2n, 8, 1, hash))
        return NULL;
    to_hex(salt, sizeof(salt), salthex);
    to_hex(hash, sizeof(hash), hashhex);
    OPENSSL_cleanse(hash, sizeof(hash));
    return xasprintf("$scrypt$ln=%d,r=8,p=1$%s$%s", log2n, salthex, hashhex);
}

bool password_verify(const char *password, const char *stored)
{
    unsigned char salt[SALT_LEN], want[HASH_LEN], got[HASH_LEN];
    int log2n, r, p, used = 0;
    const char *salthex, *hashhex;
    bool match;

    if (strlen(password) > PASSWORD_MAX)
        return false;
    if (sscanf(stored, "$scrypt$ln=%d,r=%d,p=%d$%n", &log2n, &r, &p, &used) != 3 || used == 0)
        return false;
    if (log2n < 10 || log2n > 20 || r < 1 || r > 16 || p < 1 || p > 4)
        return false;
    salthex = stored + used;
    hashhex = strchr(salthex, '$');
    if (hashhex == NULL || !from_hex(salthex, (size_t)(hashhex - salthex), salt, sizeof(salt))
        || !from_hex(hashhex + 1, strlen(hashhex + 1), want, sizeof(want)))
        return false;
    if (!derive(password, salt, sizeof(salt), log2n, r, p, got))
        return false;
    match = CRYPTO_memcmp(got, want, sizeof(got)) == 0;
    OPENSSL_cleanse(got, sizeof(got));
    return match;
}

const char *password_policy(const char *password, size_t len)
{
    if (len < PASSWORD_MIN)
        return "the password must be at least 10 characters long";
    if (len > PASSWORD_MAX)
        return "the password must be at most 1024 bytes long";
    if (!utf8_valid(password, len))
        return "the password must be valid UTF-8 without NUL bytes";
    return NULL;
}

static char *dummy; /* password_dummy_init(): lives as long as the process */

bool password_dummy_init(void)
{
    if (dummy == NULL)
        dummy = password_hash("not a real password", PASSWORD_LOG2_N);
    return dummy != NULL;
}

const char *password_dummy_hash(void)
{
    return password_dummy_init() ? dummy : "";
}
