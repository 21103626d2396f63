/*
 * SHA-256 hex digests; see sha256.h.
 */
#include "config.h"

#include <openssl/evp.h>

#include "util/log.h"
#include "util/sha256.h"

bool sha256_hex(const void *data, size_t n, char out[SHA256_HEX_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0, i;

    if (!EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
        log_error("sha256: EVP_Digest failed");
        out[0] = '\0';
        return false;
    }
    for (i = 0; i < mdlen; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * mdlen] = '\0';
    return true;
}
