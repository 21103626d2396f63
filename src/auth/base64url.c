/*
 * Strict unpadded base64url; see base64url.h.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "auth/base64url.h"
#include "util/alloc.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Returns the 6-bit value of base64url character c, or -1. */
static int sextet(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

size_t base64url_decoded_len(size_t n)
{
    return n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
}

unsigned char *base64url_decode(const char *s, size_t n, size_t *outlen)
{
    const unsigned char *in = (const unsigned char *)s;
    unsigned char *out;
    size_t i, o = 0, rest = n % 4;
    uint32_t acc = 0;
    int bits = 0;

    *outlen = 0;
    if (rest == 1)
        return NULL; /* one character carries only 6 bits: never a whole byte */
    if (n > 0 && s == NULL)
        return NULL;
    out = xmalloc(base64url_decoded_len(n) + 1);
    for (i = 0; i < n; i++) {
        int v = sextet(in[i]);
        if (v < 0) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    /* The bits left over (2 or 4) must be zero for the encoding to be the
     * canonical one. */
    if (acc != 0) {
        free(out);
        return NULL;
    }
    out[o] = '\0';
    *outlen = o;
    return out;
}

char *base64url_encode(const void *data, size_t n)
{
    const unsigned char *in = data;
    char *out = xmalloc(n / 3 * 4 + 4 + 1);
    size_t i, o = 0;

    for (i = 0; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        out[o++] = alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
    }
    out[o] = '\0';
    return out;
}
