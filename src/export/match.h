/*
 * Finding a quoted passage on a page's text, for the highlight of the
 * cited page (page.c).
 *
 * The quote was taken from the chunk the library stored, which is the
 * page's text after cleanup (hyphenation joined, running headers gone,
 * white space collapsed), and it may run onto the next page.  So both
 * texts are compared as their letters and digits only, folded to lower
 * case and decomposed (ligatures and accents: "ﬁ" is "fi", "é" is "e"),
 * and a quote that is not on the page whole is looked for as its longest
 * beginning (it starts on this page) or its longest end (it ends here),
 * at least MATCH_MIN_CHARS of them.  A quote cut with "…" or "..." is
 * looked for piece by piece.
 */
#ifndef PLC_EXPORT_MATCH_H
#define PLC_EXPORT_MATCH_H

#include <stddef.h>

#define MATCH_MIN_CHARS 12 /* letters and digits */
#define MATCH_MAX_RANGES 8

/* A found piece of text: byte offsets and character (code point)
 * offsets, both [start, end), into the page's text. */
struct match_range {
    size_t byte_start, byte_end;
    size_t char_start, char_end;
};

/* Looks for quote in text (n bytes, UTF-8; invalid bytes count as
 * nothing).  Writes at most max ranges, in the order of the quote's
 * pieces, and returns how many. */
size_t match_passage(const char *text, size_t n, const char *quote, struct match_range *out,
                     size_t max) __attribute__((nonnull));

#endif
