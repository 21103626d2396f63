/*
 * Random tokens and their digests; see token.h.
 */
#include "config.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <string.h>

#include "auth/token.h"
#include "util/log.h"

bool token_new(char out[TOKEN_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[TOKEN_BYTES];
    size_t i;

    if (RAND_bytes(raw, sizeof(raw)) != 1) {
        log_error("RAND_bytes failed");
        out[0] = '\0';
        return false;
    }
    for (i = 0; i < TOKEN_BYTES; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[TOKEN_LEN] = '\0';
    OPENSSL_cleanse(raw, sizeof(raw));
    return true;
}

bool token_well_formed(const char *s)
{
    size_t i;

    for (i = 0; i < TOKEN_LEN; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[TOKEN_LEN] == '\0';
}

bool token_digest(const char *token, char out[SHA256_HEX_LEN + 1])
{
    return sha256_hex(token, strlen(token), out);
}

bool token_equal(const char *a, const char *b)
{
    size_t n = strlen(a);

    return n == strlen(b) && CRYPTO_memcmp(a, b, n) == 0;
}
