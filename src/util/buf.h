/*
 * The one growable byte buffer: append, printf, always NUL-terminated.
 *
 * A struct buf owns its data; buf_free() releases it.  Allocation failure
 * follows alloc.h (abort).  An optional limit makes appends past it fail
 * with a sticky flag, so a caller reading untrusted input checks once.
 */
#ifndef PLC_UTIL_BUF_H
#define PLC_UTIL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data;    /* NUL-terminated; NULL until the first append */
    size_t len;    /* bytes used, not counting the NUL */
    size_t cap;    /* bytes allocated */
    size_t limit;  /* 0 = unlimited; otherwise len never exceeds it */
    bool overflow; /* sticky: an append was refused by the limit */
};

#define BUF_INIT                                                                                   \
    {                                                                                              \
        NULL, 0, 0, 0, false                                                                       \
    }

/* Appends n bytes; returns false (and sets overflow) past the limit. */
bool buf_append(struct buf *b, const void *data, size_t n) __attribute__((nonnull(1)));

/* Appends a NUL-terminated string; same return as buf_append. */
bool buf_puts(struct buf *b, const char *s) __attribute__((nonnull));

/* Appends one byte. */
bool buf_putc(struct buf *b, char c) __attribute__((nonnull));

/* Appends formatted text. */
bool buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((nonnull(1, 2), format(printf, 2, 3)));
bool buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((nonnull(1, 2), format(printf, 2, 0)));

/* Appends s as the inside of a JSON string (quotes not included), escaping
 * control characters, quote, backslash and invalid UTF-8 (as U+FFFD). */
bool buf_json_escape(struct buf *b, const char *s, size_t n) __attribute__((nonnull(1)));

/* Appends the NUL-terminated s as Markdown text that reads as itself: a
 * backslash before every ASCII punctuation mark CommonMark gives a
 * meaning inline (\\ ` * _ { } [ ] ( ) < > # + ! | ~ &), and a space for
 * each control character, so untrusted words echoed into an answer can't
 * become a link, emphasis, HTML or a new block.  Same return as
 * buf_append. */
bool buf_md_escape(struct buf *b, const char *s) __attribute__((nonnull));

/* Returns the contents as a string ("" when empty); owned by b. */
const char *buf_str(const struct buf *b) __attribute__((nonnull));

/* Empties the buffer, keeping its memory and limit. */
void buf_reset(struct buf *b) __attribute__((nonnull));

/* Hands the data to the caller (who frees it) and resets b. Never NULL. */
char *buf_steal(struct buf *b) __attribute__((nonnull, warn_unused_result));

/* Releases the buffer's memory and clears it, limit included. */
void buf_free(struct buf *b);

#endif
