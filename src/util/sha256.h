/*
 * SHA-256 through OpenSSL's EVP interface, as lowercase hex.
 */
#ifndef PLC_UTIL_SHA256_H
#define PLC_UTIL_SHA256_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Writes the hex digest of n bytes at data and a NUL into out.  Returns
 * false only if OpenSSL fails (logged). */
bool sha256_hex(const void *data, size_t n, char out[SHA256_HEX_LEN + 1])
    __attribute__((nonnull(3), warn_unused_result));

#endif
