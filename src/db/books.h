/*
 * Books, their chapters and chunks (books, chapters, chunks): written by
 * ingestion in one transaction per book (library/store.c drives it), read
 * for the administration and `plccoach books`, and deleted with their
 * uploads' release and the audit row in one transaction.  Parameterised
 * SQL only; results are copied into structs in the caller's arena.
 */
#ifndef PLC_DB_BOOKS_H
#define PLC_DB_BOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "db/status.h"

struct arena;
struct db;

/* A book as listed and shown; strings in the caller's arena, NULL for
 * what the book lacks. */
struct book_row {
    const char *id, *title, *edition, *isbn, *sku, *product_url, *source_uri, *sha256, *format;
    const char *created_at; /* ISO 8601 UTC */
    const char **authors;   /* n_authors of them; NULL when the column is NULL */
    size_t n_authors;
    bool sample;
    int page_count, chapter_count, chunk_count;
};

/* Lists every book by title (case-insensitive), then id, into *rows (n of
 * them, in a).  Returns DB_OK, or DB_ERROR on a database error (logged). */
enum db_status books_list(struct db *db, struct arena *a, struct book_row **rows, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* Lists every book's id, title and authors (the rest of each row unset),
 * by title as books_list does, into *rows (n of them, in a): the titles a
 * question naming a book is checked against (coach/booktitle.h), read
 * once per ask that names one, never cached (so nothing to invalidate).
 * Returns DB_OK, or DB_ERROR on a database error (logged). */
enum db_status books_titles(struct db *db, struct arena *a, struct book_row **rows, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* Reads book id into *out: DB_OK, DB_NOT_FOUND, or DB_ERROR (logged). */
enum db_status book_find(struct db *db, struct arena *a, const char *id, struct book_row *out)
    __attribute__((nonnull, warn_unused_result));

/* A chapter as `plccoach books show` lists it (strings in the arena). */
struct chapter_row {
    int ordinal;
    const char *number; /* NULL when unnumbered */
    const char *title, *page_start, *page_end;
    int chunk_count;
};

/* Lists book id's chapters in order into *rows (n of them, in a).
 * Returns DB_OK, or DB_ERROR on a database error (logged). */
enum db_status book_chapters(struct db *db, struct arena *a, const char *id,
                             struct chapter_row **rows, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* Deletes book id (chapters, chunks, pages and postings go by ON DELETE
 * CASCADE) and records book.delete (actor actor_id, address ip: either
 * may be NULL, as from the command line; detail the title and how many
 * uploads are released) in the same transaction.  On DB_OK,
 * *locators (*n of them, in a) are the stored uploads its ingestion jobs
 * named that nothing else needs (no job queued or running on the same
 * file): the caller deletes them from storage.  Books ingested from the
 * command line have no job, hence none. */
enum db_status book_delete(struct db *db, struct arena *a, const char *id, const char *actor_id,
                           const char *ip, const char ***locators, size_t *n)
    __attribute__((nonnull(1, 2, 3, 6, 7), warn_unused_result));

/* Counts the books into *n.  Returns DB_OK, or DB_ERROR (logged; *n 0). */
enum db_status books_count(struct db *db, size_t *n) __attribute__((nonnull, warn_unused_result));

/* Counts the books that have no page text into *n.  Returns DB_OK, or
 * DB_ERROR (logged; *n 0). */
enum db_status books_without_pages(struct db *db, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* DB_OK when a book with this SHA-256 is stored, DB_NOT_FOUND when none
 * is, DB_ERROR (logged) when the database cannot say. */
enum db_status book_sha_known(struct db *db, const char *sha256)
    __attribute__((nonnull, warn_unused_result));

/* ---- ingestion: the caller holds the transaction (store_tx) ---------------------- */

/* Deletes the books with this sha256 or this source_uri (a --replace);
 * *replaced says whether there was one.  Returns DB_OK, or DB_ERROR
 * (logged). */
enum db_status book_delete_same(struct db *db, const char *sha256, const char *source_uri,
                                bool *replaced)
    __attribute__((nonnull(1, 2, 4), warn_unused_result));

/* A book to insert; authors_literal is a PostgreSQL text[] literal. */
struct book_in {
    const char *title, *authors_literal, *edition, *isbn, *sku, *product_url, *source_uri, *sha256,
        *format;
    bool sample;
    size_t page_count;
};

/* Inserts b: DB_OK; DB_CONFLICT when a book with the same sha256 is
 * stored (nothing written); either way book_id receives the book's id.
 * DB_ERROR on a database error. */
enum db_status book_insert(struct db *db, const struct book_in *b, char book_id[37])
    __attribute__((nonnull, warn_unused_result));

/* A chapter to insert. */
struct chapter_in {
    size_t ordinal;
    const char *number; /* may be NULL */
    const char *title, *page_start, *page_end;
    size_t page_index_start, page_index_end;
};

/* Inserts one chapter of book_id; id receives its id.  Returns DB_OK, or
 * DB_ERROR (logged). */
enum db_status chapter_insert(struct db *db, const char *book_id, const struct chapter_in *c,
                              char id[37]) __attribute__((nonnull(1, 2, 3, 4), warn_unused_result));

/* A chunk to insert; domains and embedding are a text[] literal and a
 * pgvector literal. */
struct chunk_in {
    size_t ordinal;
    const char *chapter_id, *section_id; /* may be NULL */
    const char *text, *page_start, *page_end;
    size_t page_index_start, page_index_end, tokens;
    const char *domains, *embedding;
};

/* Inserts n chunks of book_id in one statement over unnest()ed arrays: a
 * row is written once, its tsvector computed once, the GIN index touched
 * once.  Returns DB_OK, or DB_ERROR (logged). */
enum db_status chunks_insert(struct db *db, const char *book_id, const struct chunk_in *c, size_t n)
    __attribute__((nonnull(1, 2), warn_unused_result));

/* Where a chunk is: its book, chapter (NULL when none) and page indexes. */
struct chunk_place {
    const char *chunk_id, *book_id, *chapter_id;
    int page_index_start, page_index_end;
};

/* Finds the chunks of ids (n of them; what is not a UUID is skipped, a
 * chunk removed since is missing) in one statement, into *out (*nout of
 * them, in no particular order; array and strings in a).  For a
 * follow-up's prior from the previous answer's saved citations
 * (coach/history.h).  Returns DB_OK or DB_ERROR. */
enum db_status chunk_places(struct db *db, struct arena *a, const char *const *ids, size_t n,
                            struct chunk_place **out, size_t *nout)
    __attribute__((nonnull(1, 2, 5, 6), warn_unused_result));

#endif
