/*
 * A per-process cache of analyze_word()'s answers, keyed by the word.
 *
 * Retrieval re-analyses the text of every BM25 candidate to find where the
 * question's terms sit (search_proximity()): some 40 passages of 300 words
 * per question, each word through the stop-word list and the Snowball
 * stemmer.  A word's analysis depends on its bytes alone, so it is kept:
 * the second time a word is seen its stem is a hash lookup.  The cache has
 * STEM_CACHE_SLOTS slots (open addressing); when three quarters are used
 * it is emptied and fills again, so a worker's memory stays bounded
 * (about 1.4 MB) whatever the library's vocabulary.  Workers are
 * single-threaded; the table is allocated on first use and released at
 * exit (atexit).
 */
#ifndef PLC_LIBRARY_STEM_CACHE_H
#define PLC_LIBRARY_STEM_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "library/analyze.h"

#define STEM_CACHE_SLOTS 16384 /* a power of two */

/* Looks the lower-case word w (2..ANALYZE_WORD_MAX bytes) up: true when it
 * is cached, with its stem in out (NUL-ended) and its length in *n (0: the
 * word is dropped, a stop word). */
bool stem_cache_get(const char *w, size_t len, char out[ANALYZE_TERM_MAX], size_t *n)
    __attribute__((nonnull));

/* Records that w (len bytes) analyses to stem (n bytes; n 0 and stem
 * ignored: dropped). */
void stem_cache_put(const char *w, size_t len, const char *stem, size_t n)
    __attribute__((nonnull(1)));

/* Lookups answered from the cache and words added since the process
 * started, and slots in use now (for tests). */
void stem_cache_counts(unsigned long *hits, unsigned long *added, size_t *in_use);

/* Turns the cache off (get answers nothing, put keeps nothing) or on
 * again; on by default.  For tests that compare with the stemmer. */
void stem_cache_enable(bool on);

#endif
