/*
 * Keyset pagination cursors; see cursor.h.
 */
#include "config.h"

#include <string.h>

#include "util/cursor.h"
#include "util/text.h"

#define CURSOR_VERSION 0x01
#define CURSOR_BYTES 25 /* version, 8 bytes of time, 16 bytes of UUID */

static const char hex[] = "0123456789abcdef";

/* Value of a lower-case hex digit, or -1. */
static int lhex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

bool cursor_encode(int64_t usec, const char *uuid, char out[CURSOR_LEN + 1])
{
    unsigned char raw[CURSOR_BYTES];
    uint64_t u = (uint64_t)usec;
    size_t i, j;

    if (usec < 0 || usec > CURSOR_MAX_USEC || !is_uuid(uuid))
        return false;
    raw[0] = CURSOR_VERSION;
    for (i = 0; i < 8; i++)
        raw[1 + i] = (unsigned char)(u >> (56 - 8 * i));
    for (i = 0, j = 9; uuid[i] != '\0'; i++) {
        int hi, lo;
        if (uuid[i] == '-')
            continue;
        hi = lhex((char)(uuid[i] | 0x20)); /* is_uuid allows upper case */
        lo = lhex((char)(uuid[i + 1] | 0x20));
        raw[j++] = (unsigned char)(hi << 4 | lo);
        i++;
    }
    for (i = 0; i < CURSOR_BYTES; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 0x0f];
    }
    out[CURSOR_LEN] = '\0';
    return true;
}

bool cursor_decode(const char *s, int64_t *usec, char uuid[CURSOR_UUID_LEN + 1])
{
    unsigned char raw[CURSOR_BYTES];
    uint64_t u = 0;
    size_t i, j;

    if (strlen(s) != CURSOR_LEN)
        return false;
    for (i = 0; i < CURSOR_BYTES; i++) {
        int hi = lhex(s[2 * i]), lo = lhex(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        raw[i] = (unsigned char)(hi << 4 | lo);
    }
    if (raw[0] != CURSOR_VERSION)
        return false;
    for (i = 0; i < 8; i++)
        u = u << 8 | raw[1 + i];
    if (u > (uint64_t)CURSOR_MAX_USEC)
        return false;
    for (i = 0, j = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            uuid[j++] = '-';
        uuid[j++] = hex[raw[9 + i] >> 4];
        uuid[j++] = hex[raw[9 + i] & 0x0f];
    }
    uuid[j] = '\0';
    *usec = (int64_t)u;
    return true;
}
