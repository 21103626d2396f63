/*
 * The lexical index: building a book's postings (at ingestion, in the
 * book's transaction, and by `plccoach reindex` from the stored passages)
 * and scoring a weighted query against it with BM25 (bm25.h).  The
 * tables are db/lexicon.h's; the rules are in src/library/README.md,
 * "Lexical retrieval, exactly".
 */
#ifndef PLC_LIBRARY_LEXICAL_H
#define PLC_LIBRARY_LEXICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/lexicon.h"
#include "library/bm25.h"
#include "util/arena.h"

struct db;

/* The field weights and BM25 parameters the stored postings are sorted
 * with (their impact order); queries may use others. */
extern const struct bm25_params lexical_index_params;

/* One passage to index. */
struct lexical_passage {
    uint32_t ordinal;    /* chunks.ordinal */
    const char *text;    /* the body */
    const char *section; /* its section heading, NULL when none */
    const char *chapter; /* its chapter title, NULL when none */
    unsigned domains;    /* bit i = domain i (domains.h) */
};

/* Builds and stores the postings of a book's passages, replacing any it
 * had, with the book's statistics.  Runs in the caller's transaction.
 * Returns false when the database failed (logged). */
bool lexical_index_book(struct db *db, const char *book_id, const struct lexical_passage *p,
                        size_t n) __attribute__((nonnull(1, 2)));

/* Rebuilds the postings of every book from its stored passages, one
 * transaction per book; progress (may be NULL) after each book.
 * Returns false when the database failed. */
bool lexical_reindex(struct db *db, void (*progress)(size_t done, size_t total))
    __attribute__((nonnull(1)));

/* ---- scoring ------------------------------------------------------------ */

/* A query term with its weight and library statistics. */
struct lexical_term {
    const char *term; /* analysed */
    double weight;    /* q(t) */
    double own;       /* its weight in the own score (the evidence's); 0 = none */
    int64_t df;       /* in the library (lexicon_df) */
    double idf;
};

/* The postings read so far, kept across the passes of one search (the
 * feedback pass reads only the terms the first pass did not). */
struct lexical_cache {
    struct arena arena;
    const char **terms; /* read terms; the lists below index into this */
    size_t nterms;
    struct lexicon_list *lists;
    size_t nlists;
    const char **books; /* book ids; a hit's book number indexes this */
    size_t nbooks;
};

/* Scores the passages against terms[0..n) (weights, df and idf filled)
 * into acc: reads the postings of the terms the cache lacks (capped at
 * cap postings per term when cap > 0), then adds weight * s(t,d) for
 * each posting of every term, and own * s(t,d) to the own sum.
 * domains != 0 keeps only passages tagged with one of those bits.
 * Returns false when the database failed. */
bool lexical_score(struct db *db, struct lexical_cache *cache, const struct lexical_term *terms,
                   size_t n, const struct bm25_params *p, double avglen, int64_t cap,
                   unsigned domains, struct bm25_acc *acc) __attribute__((nonnull));

void lexical_cache_free(struct lexical_cache *c);

#endif
