/*
 * The BM25 side of search_run(), inside src/library only: the question's
 * terms, their expansions (acronyms, typos, RM3), the passes over the
 * lexical index, and the evidence.  See src/library/README.md.
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

#endif
