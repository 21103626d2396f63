/*
 * Writing a prepared book to PostgreSQL, and the book queries behind
 * `plccoach books`.  Parameterised SQL only.
 */
#ifndef PLC_LIBRARY_STORE_H
#define PLC_LIBRARY_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "library/chunk.h"
#include "library/doc.h"
#include "library/ingest.h"

struct db;

/* Stores d and its chunks in one transaction, then calls
 * library_embed_book() before committing.  The same sha256 already stored
 * gives INGEST_UNCHANGED (and its id) unless replace, which deletes it (and
 * any book with the same source_uri) first and gives INGEST_REPLACED.  On
 * any failure everything is rolled back and INGEST_FAILED returned with the
 * reason in err.  book_id receives the book's id. */
enum ingest_outcome store_book(struct db *db, const struct doc *d, const struct chunk_list *c,
                               const char *sha256, const char *source_uri, bool replace,
                               char book_id[37], char *err, size_t errlen)
    __attribute__((nonnull(1, 2, 3, 4, 7, 8)));

/* Deletes a book with its chapters and chunks.  Returns 1 when deleted,
 * 0 when there was no such book, -1 on a database error (logged). */
int store_remove_book(struct db *db, const char *id) __attribute__((nonnull));

#endif
