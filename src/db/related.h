/*
 * The related-words table (sql/022_related_terms.sql): general English
 * relations between analysed terms, read from WordNet by
 * src/library/related.c and used by search to expand a question.
 * Parameterised SQL only; results are copied into structs.
 */
#ifndef PLC_DB_RELATED_H
#define PLC_DB_RELATED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/status.h"

struct arena;
struct db;

/* One relation: word (one stem, or two joined by a space) to term (one
 * stem), rel 1 synonym, 2 hypernym, 3 hyponym. */
struct related_row {
    const char *word, *term;
    int rel;
};

/* Replaces the whole table with rows[0..n) in one transaction.  Returns
 * DB_ERROR when the database failed (logged; the table is unchanged). */
enum db_status related_replace(struct db *db, const struct related_row *rows, size_t n)
    __attribute__((nonnull(1), warn_unused_result));

/* Sets *n to the number of relations stored.  Returns DB_ERROR when the
 * database failed. */
enum db_status related_count(struct db *db, int64_t *n)
    __attribute__((nonnull, warn_unused_result));

/* A related term found for a key, with its document frequency. */
struct related_hit {
    size_t key;       /* index into the keys asked about */
    const char *term; /* in the arena */
    int rel;
    int64_t df; /* passages holding it; always > 0 */
};

/* For each of keys[0..n), the related terms of relation <= max_rel that
 * some passage of the library holds, at most per_key of them (synonyms
 * first, then by term), in one statement.  Fills *out (in the arena).
 * Returns DB_ERROR when the database failed. */
enum db_status related_lookup(struct db *db, const char *const *keys, size_t n, int max_rel,
                              size_t per_key, struct arena *a, struct related_hit **out,
                              size_t *nout) __attribute__((nonnull, warn_unused_result));

#endif
