/*
 * Text helpers for untrusted bytes; see text.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"
#include "util/text.h"

size_t utf8_sequence_length(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    uint32_t cp;
    size_t len, i;

    if (n == 0)
        return 0;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2;
        cp = s[0] & 0x1f;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3;
        cp = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff
        || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

size_t utf8_clip(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);

    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

bool utf8_valid(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t len;
        if (s[i] == '\0')
            return false;
        len = utf8_sequence_length(s + i, n - i);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long percent_decode(char *out, const char *s, size_t n, bool plus_is_space)
{
    size_t i, o = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == '%') {
            int hi, lo;
            if (n - i < 3)
                return -1;
            hi = hexval(s[i + 1]);
            lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return -1;
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (s[i] == '+' && plus_is_space) {
            out[o++] = ' ';
        } else if (s[i] == '\0') {
            return -1;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return (long)o;
}

bool parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    long long v;

    if (*s == '\0' || isspace((unsigned char)*s))
        return false;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return false;
    *out = (int64_t)v;
    return true;
}

bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    size_t i;

    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

bool is_uuid(const char *s)
{
    size_t i;

    for (i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (hexval(s[i]) < 0) {
            return false;
        }
    }
    return s[36] == '\0';
}

uint64_t fnv1a64(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool line_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Appends the n bytes of one character at c to out unless it would be
 * character max + 1 (false); *keep becomes where the max-th begins. */
static bool line_put(struct buf *out, const char *c, size_t n, size_t max, size_t *chars,
                     size_t *keep)
{
    if (*chars + 1 == max)
        *keep = out->len;
    if (++*chars > max)
        return false;
    buf_append(out, c, n);
    return true;
}

void text_line(struct buf *out, const char *text, size_t max_chars, unsigned flags)
{
    size_t len = strlen(text), i = 0, chars = 0, start = out->len, keep = start, word = start;
    bool space = false, cut = (flags & TEXT_TRUNCATED) != 0;

    while (i < len) {
        size_t n = utf8_sequence_length(text + i, len - i);
        if (n == 0) {
            i++;
            continue;
        }
        if (n == 1 && line_space(text[i])) {
            space = chars > 0;
            i++;
            continue;
        }
        if (space) {
            if (!line_put(out, " ", 1, max_chars, &chars, &keep)) {
                cut = true;
                break;
            }
            word = out->len - 1;
            space = false;
        }
        if (!line_put(out, text + i, n, max_chars, &chars, &keep)) {
            cut = true;
            break;
        }
        i += n;
    }
    if (!cut)
        return;
    /* Room for the ellipsis: drop the last character when the text filled
     * every place (back to the last space, for a cut at a word), then any
     * space or comma before the ellipsis. */
    if (chars >= max_chars)
        out->len = (flags & TEXT_AT_WORD) && word > start ? word : keep;
    while (out->len > start
           && (out->data[out->len - 1] == ' '
               || ((flags & TEXT_AT_WORD) && out->data[out->len - 1] == ',')))
        out->len--;
    buf_puts(out, "\xe2\x80\xa6"); /* U+2026 */
}
