/*
 * Small text helpers for untrusted bytes: UTF-8 validation,
 * percent-decoding, bounded integer parsing, case-insensitive compare,
 * a text on one line cut to a length.
 */
#ifndef PLC_UTIL_TEXT_H
#define PLC_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* Returns the length (1-4) of the valid UTF-8 sequence at s (n bytes
 * available), or 0 when it is invalid (overlong, surrogate, > U+10FFFF,
 * truncated). */
size_t utf8_sequence_length(const char *s, size_t n) __attribute__((nonnull));

/* Returns how many bytes of s to keep to cut it to at most max bytes
 * without splitting a UTF-8 sequence: strlen(s) when it fits, else max
 * moved back to the start of the character it falls in. */
size_t utf8_clip(const char *s, size_t max) __attribute__((nonnull));

/* Returns true when the n bytes at s are valid UTF-8 with no NUL byte. */
bool utf8_valid(const char *s, size_t n) __attribute__((nonnull));

/* Percent-decodes n bytes of s into out (which must hold n + 1 bytes); when
 * plus_is_space, '+' becomes ' ' (form encoding).  Returns the decoded
 * length, or -1 when a %XX escape is malformed or decodes to NUL. */
long percent_decode(char *out, const char *s, size_t n, bool plus_is_space)
    __attribute__((nonnull, warn_unused_result));

/* Parses a whole decimal string into *out within [min, max].  Returns false
 * on empty input, trailing bytes, sign errors or out-of-range values. */
bool parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
    __attribute__((nonnull, warn_unused_result));

/* Parses true/false/1/0/yes/no/on/off (any case). */
bool parse_bool(const char *s, bool *out) __attribute__((nonnull, warn_unused_result));

/* Returns true when s is a canonical UUID (8-4-4-4-12 hex). */
bool is_uuid(const char *s) __attribute__((nonnull));

/* Returns the monotonic clock in milliseconds. */
int64_t now_ms(void);

/* Returns the 64-bit FNV-1a hash of s[0..n) (not for anything an attacker
 * may choose to collide: hash tables of the library's own words). */
uint64_t fnv1a64(const char *s, size_t n) __attribute__((nonnull));

/* text_line()'s flags. */
#define TEXT_TRUNCATED 1u /* the text was already cut: end in "…" anyway */
#define TEXT_AT_WORD 2u   /* cut after the last whole word, not mid-word */

/* Appends text to out on one line of at most max_chars characters: runs
 * of white space become one space, leading and trailing space go, invalid
 * UTF-8 bytes are skipped, and a UTF-8 sequence is never split.  A text
 * that does not fit (or any, with TEXT_TRUNCATED) is cut and ends in "…",
 * counted in max_chars, with no space before it; with TEXT_AT_WORD the
 * cut is at the last space that fits (when there is one) and a comma
 * before the "…" goes too.  max_chars must be >= 1.  A conversation's
 * preview and a question's title. */
void text_line(struct buf *out, const char *text, size_t max_chars, unsigned flags)
    __attribute__((nonnull));

#endif
