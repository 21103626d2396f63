/*
 * The capitalised phrases each book spells out, by their initials
 * (sql/075_acronym_phrases.sql; src/library/initials.h mines them,
 * src/library/lexical.c stores them with the book's postings).
 * Parameterised SQL only; results are copied into structs.
 */
#ifndef PLC_DB_ACRONYMS_H
#define PLC_DB_ACRONYMS_H

#include <stddef.h>

#include "db/status.h"

struct arena;
struct db;

/* One (initials, phrase) of a book and the passages holding it. */
struct acronym_row {
    const char *initials; /* "CICO" */
    const char *phrase;   /* "check in check out" */
    int passages;
};

/* Replaces the book's phrases with rows[0..n) (distinct initials and
 * phrase), in the caller's transaction when there is one.  Returns
 * DB_ERROR when the database failed (logged). */
enum db_status acronyms_put_book(struct db *db, const char *book_id, const struct acronym_row *rows,
                                 size_t n) __attribute__((nonnull(1, 2), warn_unused_result));

/* A phrase a looked-up word may stand for. */
struct acronym_hit {
    size_t word;        /* index into the words asked about */
    const char *phrase; /* in the arena */
    long long passages; /* holding it, over the library's books */
};

/* For each initials[i] whose term terms[i] (its analysed form: "cico")
 * no book's postings hold, the per_word phrases with those initials
 * that the most passages hold (most first, then by phrase), in one
 * statement: an index scan of the initials and one of the postings'
 * key per word.  Fills *out (in a) and *nout.  Returns DB_ERROR when the
 * database failed. */
enum db_status acronyms_lookup(struct db *db, const char *const *initials, const char *const *terms,
                               size_t n, size_t per_word, struct arena *a, struct acronym_hit **out,
                               size_t *nout) __attribute__((nonnull, warn_unused_result));

#endif
