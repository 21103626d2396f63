/*
 * Growable NUL-terminated buffer; see buf.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/text.h"

/* Makes room for n more bytes plus the NUL. Returns false past the limit. */
static bool reserve(struct buf *b, size_t n)
{
    size_t need;

    if (b->overflow)
        return false;
    if (b->limit != 0 && (n > b->limit || b->len > b->limit - n)) {
        b->overflow = true;
        return false;
    }
    need = b->len + n + 1;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need)
            cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    return true;
}

bool buf_append(struct buf *b, const void *data, size_t n)
{
    if (!reserve(b, n))
        return false;
    if (n > 0)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

bool buf_putc(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

bool buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    size_t room = b->data != NULL && !b->overflow ? b->cap - b->len : 0;
    va_list copy;
    int n;

    /* One pass when the text fits in the room there is (the usual case:
     * the log line's numbers), a second into a grown buffer otherwise. */
    va_copy(copy, ap);
    n = vsnprintf(room > 0 ? b->data + b->len : NULL, room, fmt, copy);
    va_end(copy);
    if (n >= 0 && (size_t)n < room && (b->limit == 0 || b->len + (size_t)n <= b->limit)) {
        b->len += (size_t)n;
        return true;
    }
    if (room > 0)
        b->data[b->len] = '\0';
    if (n < 0 || !reserve(b, (size_t)n))
        return false;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return true;
}

bool buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    bool ok;

    va_start(ap, fmt);
    ok = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return ok;
}

bool buf_md_escape(struct buf *b, const char *s)
{
    static const char special[] = "\\`*_{}[]()<>#+!|~&";
    bool ok = true;

    for (; *s != '\0' && ok; s++) {
        unsigned char c = (unsigned char)*s;

        if (c < 0x20 || c == 0x7f)
            ok = buf_putc(b, ' ');
        else if (strchr(special, c) != NULL)
            ok = buf_putc(b, '\\') && buf_putc(b, (char)c);
        else
            ok = buf_putc(b, (char)c);
    }
    return ok;
}

bool buf_json_escape(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t run;

        if (c >= 0x80) {
            run = utf8_sequence_length(s + i, n - i);
            if (run == 0) {
                if (!buf_puts(b, "\\ufffd"))
                    return false;
                i++;
            } else {
                if (!buf_append(b, s + i, run))
                    return false;
                i += run;
            }
            continue;
        }
        switch (c) {
        case '"': run = buf_puts(b, "\\\""); break;
        case '\\': run = buf_puts(b, "\\\\"); break;
        case '\n': run = buf_puts(b, "\\n"); break;
        case '\r': run = buf_puts(b, "\\r"); break;
        case '\t': run = buf_puts(b, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                run = buf_append(b, esc, sizeof(esc));
            } else {
                run = buf_putc(b, (char)c);
            }
        }
        if (!run)
            return false;
        i++;
    }
    return true;
}

const char *buf_str(const struct buf *b)
{
    return b->data ? b->data : "";
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->overflow = false;
    if (b->data)
        b->data[0] = '\0';
}

char *buf_steal(struct buf *b)
{
    char *p = b->data ? b->data : xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    b->overflow = false;
    return p;
}

void buf_free(struct buf *b)
{
    if (b == NULL)
        return;
    free(b->data);
    *b = (struct buf)BUF_INIT;
}
