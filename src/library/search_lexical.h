/*
 * The BM25 side of search_run(), inside src/library only: the question's
 * terms, their expansions (acronyms, typos, RM3), the passes over the
 * lexical index, and the evidence.  See src/library/README.md.  One
 * exception: the coach asks search_translate() whether a question has
 * translations at all (src/coach/pipeline.c, ask_retrieve_answer).
 */
#ifndef PLC_LIBRARY_SEARCH_LEXICAL_H
#define PLC_LIBRARY_SEARCH_LEXICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "library/search.h"

struct db;

/* One passage of the BM25 list. */
struct lexical_ranked {
    const char *book_id; /* in the arena */
    int ordinal;
    double score; /* the whole query's */
    double norm;  /* own terms' score / evidence max_bm25 */
};

/* Ranks the library's passages for question: the best want passages into
 * *out (in the arena), best first, and the evidence into *ev (in the
 * arena).  domains != 0 keeps only passages with one of those domain
 * bits.  Returns false when the database failed. */
bool search_lexical(struct db *db, const char *question, const struct search_tuning *t,
                    unsigned domains, size_t want, struct arena *a, struct lexical_ranked **out,
                    size_t *n, struct search_evidence *ev) __attribute__((nonnull));

/* search_lexical() as search_run() calls it, under t (opts's tuning, or
 * the default, with w_trans 0 for an untranslated search): with
 * opts->pair, an untranslated search also ranks opts->question with
 * translations from the same reading (or, when they add no word, takes
 * its own ranking for it) and keeps that list in the pair; a translated
 * search takes the list kept for its question, if any.  Returns false
 * when the database failed. */
bool search_lexical_run(struct db *db, const struct search_opts *opts,
                        const struct search_tuning *t, unsigned domains, size_t want,
                        struct arena *a, struct lexical_ranked **out, size_t *n,
                        struct search_evidence *ev) __attribute__((nonnull));

struct trans_entry;

/* The translations (trans_model.h) search_lexical() adds to question's
 * terms under t (w_trans, trans_floor; the acronym list and thesaurus as
 * t says), from table (ntable entries sorted as trans_model[]): *out (in
 * the arena) receives the added terms (source SEARCH_TERM_RELATED, word
 * the question word each translates, weight), in the order added, and
 * their number is returned.  No database: WordNet's related words and the
 * library's counts are not consulted. */
size_t search_translate(const char *question, const struct search_tuning *t,
                        const struct trans_entry *table, size_t ntable, struct arena *a,
                        struct search_term **out) __attribute__((nonnull));

#endif
