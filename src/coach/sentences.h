/*
 * Sentences and terms of library passages and questions, shared by the
 * extractive composer (which scores a passage's sentences against the
 * question) and the verifier (which picks the sentence of a source that a
 * citation without a quote most likely refers to).
 *
 * Nothing here allocates except terms_of(), whose array the caller owns.
 */
#ifndef PLC_COACH_SENTENCES_H
#define PLC_COACH_SENTENCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One sentence of a passage: text + start, len bytes (no leading list
 * marker, no surrounding white space). */
struct sentence_span {
    size_t start, len;
};

/* Splits a passage (paragraphs separated by blank lines, Markdown list
 * items and headings as the chunker keeps them) into sentences.  Heading
 * lines ("# ...") are skipped; list markers ("- ", "1. ") are left out of
 * the span (also a PDF's bullet, U+2022).  A sentence ends at . ! or ? (plus closing quotes and
 * brackets) before white space and an upper-case letter, a digit, a
 * quote, an opening bracket or a non-ASCII byte, and never after the
 * abbreviations e.g., i.e., etc., vs., Dr., Mr., Mrs., Ms., pp., p., No.
 * Fills at most max spans; returns how many there are in all. */
size_t sentence_split(const char *text, struct sentence_span *out, size_t max)
    __attribute__((nonnull(1)));

/* Splits text[from..to), one line of a paragraph, into sentences by the
 * same rules (no list marker or heading is looked for); the spans are
 * offsets into text.  Fills at most max spans (out may be NULL); returns
 * how many there are in all. */
size_t sentence_split_range(const char *text, size_t from, size_t to, struct sentence_span *out,
                            size_t max) __attribute__((nonnull(1)));

/* Returns the length of the list marker at the start of line s (n
 * bytes): "- ", "* ", "+ ", "> ", "12. ", "3) " or a bullet (U+2022) and
 * a space; 0 when there is none. */
size_t sentence_list_marker(const char *s, size_t n) __attribute__((nonnull));

/* Returns the number of words (runs of non-space bytes) in n bytes of s. */
size_t sentence_words(const char *s, size_t n) __attribute__((nonnull));

/* The terms of a text: words (runs of ASCII letters and digits and bytes
 * >= 0x80), lower-cased, stop words and one-letter words (not digits)
 * dropped, stemmed
 * (embed_local_stem), each hashed to 64 bits; sorted, duplicates removed.
 * With expand, PLC acronyms also contribute their phrase ("CFA" adds
 * common, formative, assessment).  Returns a malloc'd array (caller
 * frees; NULL when there are no terms) and its length in *n. */
uint64_t *terms_of(const char *s, size_t len, bool expand, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* Returns true when the sorted term set a holds h. */
bool terms_has(const uint64_t *a, size_t n, uint64_t h);

/* Returns how many terms two sorted sets share. */
size_t terms_overlap(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

#endif
