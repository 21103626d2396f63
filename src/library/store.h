/*
 * Writing a prepared book to PostgreSQL (through db/books.h), and
 * removing one.
 */
#ifndef PLC_LIBRARY_STORE_H
#define PLC_LIBRARY_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "db/books.h"
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

/* Removes a book: the one way, for the administration (DELETE
 * /api/admin/books/{id}) and `plccoach books remove` alike.  The book
 * goes with its chapters, chunks, pages and postings, and book.delete is
 * recorded (actor actor_id, address ip; NULL from the command line) in
 * the same transaction (db/books.h); then the uploads its ingestion jobs
 * named that nothing else needs are deleted from storage, and
 * *uploads_deleted counts those gone (a failure is logged and leaves the
 * object: an orphan costs storage, not correctness). */
enum db_status store_remove_book(struct db *db, const char *id, const char *actor_id,
                                 const char *ip, int *uploads_deleted)
    __attribute__((nonnull(1, 2, 5), warn_unused_result));

#endif
