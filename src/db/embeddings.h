/*
 * Chunks' embeddings (chunks.embedding), their HNSW index and the
 * library's record of the model (library_settings), for
 * library/embed.c: which chunks to embed, the vectors written back, the
 * index checked, dropped and built, the planner's statistics refreshed.
 *
 * The vector type ("vector" or "halfvec") and dimension are type
 * modifiers, which cannot be query parameters: they are formatted into
 * the SQL from the configuration (an integer bounded 1..16000 by cfg.c,
 * and a type name chosen by the caller's code), never from input.
 */
#ifndef PLC_DB_EMBEDDINGS_H
#define PLC_DB_EMBEDDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "db/status.h"

struct arena;
struct db;

/* A chunk to embed: its id and text, in the caller's arena. */
struct chunk_text {
    const char *id, *text;
};

/* Sets *rows (n of them, in the arena) to book_id's chunks that have no
 * embedding yet, by ordinal.  Returns DB_ERROR when the database failed
 * (logged). */
enum db_status embeddings_missing(struct db *db, struct arena *a, const char *book_id,
                                  struct chunk_text **rows, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* Sets *rows (at most limit, in the arena) to the chunks whose id comes
 * after after_id, by id (the reindex's pages).  Returns DB_ERROR when the
 * database failed (logged). */
enum db_status embeddings_page(struct db *db, struct arena *a, const char *after_id, int limit,
                               struct chunk_text **rows, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* Writes the embeddings of chunks in one statement: ids_literal is a
 * uuid[] literal and vectors_literal a text[] literal of pgvector texts,
 * in the same order.  Returns DB_OK, or DB_ERROR when the database failed (logged). */
enum db_status embeddings_store(struct db *db, const char *ids_literal, const char *vectors_literal)
    __attribute__((nonnull, warn_unused_result));

/* Reads library_settings: *found false when it has no row, else *model
 * (in the arena) and *dims.  Returns DB_OK, or DB_ERROR when the database failed (logged). */
enum db_status embeddings_settings(struct db *db, struct arena *a, bool *found, const char **model,
                                   long long *dims) __attribute__((nonnull, warn_unused_result));

/* Records the model and dimension in library_settings.  Returns DB_ERROR
 * when the database failed. */
enum db_status embeddings_record_settings(struct db *db, const char *model, long long dims)
    __attribute__((nonnull, warn_unused_result));

/* Counts the chunks into *n.  Returns DB_OK, or DB_ERROR when the database failed (logged). */
enum db_status embeddings_chunk_count(struct db *db, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* True in *present when the index chunks_embedding_hnsw exists and is
 * built over embedding::type(dims).  Returns DB_ERROR when the database
 * failed. */
enum db_status embeddings_index_is(struct db *db, const char *type, long long dims, bool *present)
    __attribute__((nonnull, warn_unused_result));

/* Drops the index chunks_embedding_hnsw when it exists.  Returns DB_ERROR
 * when the database failed. */
enum db_status embeddings_drop_index(struct db *db) __attribute__((nonnull, warn_unused_result));

/* Creates the index chunks_embedding_hnsw over embedding::type(dims)
 * with cosine distance, without the connection's statement timeout
 * (PLCCOACH_DB_STATEMENT_TIMEOUT is for requests; building the graph over
 * a large library takes minutes) and with room to build the graph in
 * memory (pgvector slows down sharply once the graph no longer fits in
 * maintenance_work_mem).  SET LOCAL lasts to the end of the transaction:
 * the caller's when there is one (a book's), else one of its own.
 * Returns DB_OK, or DB_ERROR when the database failed (logged; its own transaction rolled
 * back). */
enum db_status embeddings_build_index(struct db *db, const char *type, long long dims)
    __attribute__((nonnull, warn_unused_result));

/* Refreshes the planner's statistics of chunks.  Returns DB_ERROR when the
 * database failed. */
enum db_status embeddings_analyze(struct db *db) __attribute__((nonnull, warn_unused_result));

#endif
