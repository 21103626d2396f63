/*
 * Text analysis for the lexical index (BM25): the same rules for the
 * passages when they are indexed and for the question when it is asked.
 *
 *   1. Words: runs of ASCII letters and digits and of non-ASCII letters;
 *      everything else separates words, including the apostrophe (so
 *      "teacher's" gives "teacher" and "s"), the typographic quotes,
 *      dashes and spaces of U+2000..U+206F and the Latin-1 signs
 *      U+00A0..U+00BF.  ASCII letters are lower-cased.
 *   2. Dropped: words of one byte, words longer than ANALYZE_WORD_MAX
 *      bytes, and stop words (the local embedder's list,
 *      embed_local_stop_word(): English function words and question
 *      filler such as "tips", "help", "really").
 *   3. Stemmed with the Snowball English (Porter2) stemmer of libstemmer:
 *      "assessments", "assessing" and "assessed" all become "assess".  An
 *      acronym's plural loses its s first ("CFAs", "PLCs": capitals and
 *      a final s; "cfas": an acronym of synonyms.c and an s), which
 *      Porter2 would keep.
 *
 * A process keeps one stemmer (workers are single-threaded); it is created
 * on first use and released at exit (atexit).
 */
#ifndef PLC_LIBRARY_ANALYZE_H
#define PLC_LIBRARY_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>

/* The analysis's version, stamped on every book's postings
 * (books.lex_analyzer, sql/074_lex_analyzer.sql): 1, Porter2 with the
 * acronym plurals.  Raise it whenever a word can analyse differently, so
 * that an index built by an older analysis is found (search logs it) and
 * rebuilt (`plccoach reindex --lexical`, docs/operations.md).  (Branch
 * morph26 measured a version 2 with WordNet's irregular forms, not kept:
 * docs/performance.md.) */
#define ANALYZE_VERSION 1

#define ANALYZE_WORD_MAX 40 /* bytes; longer words (URLs, noise) are dropped */
#define ANALYZE_TERM_MAX (ANALYZE_WORD_MAX + 1)

/* Called for each analysed term of a text, in order: term (NUL-ended,
 * len bytes) is the stem, word (wlen bytes, not NUL-ended) the word as
 * written in the text. */
typedef void (*analyze_fn)(void *ctx, const char *term, size_t len, const char *word, size_t wlen);

/* Runs the analysis over text (UTF-8; invalid bytes are treated as
 * letters) and calls fn for each term.  Returns the number of terms. */
size_t analyze_each(const char *text, analyze_fn fn, void *ctx) __attribute__((nonnull(1)));

/* Stems the lower-case word w (len bytes) into out (ANALYZE_TERM_MAX
 * bytes) and returns the stem's length; 0 when the word is dropped (one
 * byte, too long, or a stop word). */
size_t analyze_word(const char *w, size_t len, char out[ANALYZE_TERM_MAX]) __attribute__((nonnull));

/* One distinct term and how often it occurs. */
struct analyze_count {
    char term[ANALYZE_TERM_MAX];
    unsigned tf;
};

/* The distinct terms of a text, sorted by term (strcmp). */
struct analyze_counts {
    struct analyze_count *v; /* owned; analyze_counts_free() */
    size_t n, cap;
    size_t length; /* terms in the text, repeats counted */
};

/* Adds the terms of text to c (which starts zeroed, or holds an earlier
 * text's terms: the counts add up).  Keeps c sorted. */
void analyze_count_text(struct analyze_counts *c, const char *text) __attribute__((nonnull));

/* Returns the count of term in c (0 when absent). */
unsigned analyze_counts_get(const struct analyze_counts *c, const char *term)
    __attribute__((nonnull));

void analyze_counts_free(struct analyze_counts *c);

#endif
