/*
 * Embeddings: one interface, two providers.
 *
 *   local  - built in, deterministic, no network, no model files: signed
 *            feature hashing of stemmed words, word bigrams and character
 *            trigrams (see src/library/README.md for exactly what it is).
 *   openai - any OpenAI-compatible POST {url}/v1/embeddings endpoint.
 *
 * Vectors are float arrays of cfg->embeddings_dimensions values, L2
 * normalised by the local provider (OpenAI-compatible services normalise
 * their own).  chunks.embedding is an untyped pgvector column; the HNSW
 * index is an expression index on embedding::vector(N) (::halfvec(N)
 * above 2000 dimensions) created by library_embed_ensure_index().
 */
#ifndef PLC_LIBRARY_EMBED_H
#define PLC_LIBRARY_EMBED_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct db;
struct buf;

/* The largest batch sent to a provider in one request. */
#define EMBED_BATCH_MAX 64
/* Above this many dimensions the index uses halfvec (pgvector limit). */
#define EMBED_HALFVEC_ABOVE 2000

/* Embeds n texts into out (n * dims floats, caller-owned, dims =
 * cfg->embeddings_dimensions) with the configured provider, batching by
 * EMBED_BATCH_MAX.  Returns true on success; on failure logs why and
 * returns false (out is then unspecified). */
bool embed_texts(const struct config *cfg, const char *const *texts, size_t n, float *out)
    __attribute__((nonnull, warn_unused_result));

/* The local provider: embeds one text into out (dims floats, caller-owned,
 * L2-normalised; all zeros when the text has no features).  Deterministic:
 * the same text and dims always give the same bits. */
void embed_local(const char *text, size_t dims, float *out) __attribute__((nonnull));

/* The OpenAI-compatible provider: one request per at most EMBED_BATCH_MAX
 * texts with retries (see embed_openai.c).  out as for embed_texts. */
bool embed_openai(const struct config *cfg, const char *const *texts, size_t n, float *out)
    __attribute__((nonnull, warn_unused_result));

/* Returns the model name recorded in library_settings for cfg: the
 * configured model, or "local-hash-v1" for the local provider.  The string
 * belongs to cfg (or is static). */
const char *embed_model_name(const struct config *cfg) __attribute__((nonnull));

/* Appends a pgvector text literal "[x,y,...]" for v (dims floats) to b. */
void embed_vector_literal(struct buf *b, const float *v, size_t dims) __attribute__((nonnull));

/* Parses a pgvector text literal into out (dims floats).  Returns false
 * when the text is not a vector of exactly dims finite numbers. */
bool embed_vector_parse(const char *text, size_t dims, float *out)
    __attribute__((nonnull, warn_unused_result));

/* Fills chunks.embedding for every chunk of book_id (in batches), using
 * the configured provider, inside the caller's connection (db).  Returns
 * true when every chunk of the book has an embedding; otherwise logs why
 * and returns false.  Does not create the index (library_embed_ensure_index). */
bool library_embed_book(struct db *db, const struct config *cfg, const char *book_id)
    __attribute__((nonnull, warn_unused_result));

/* Re-embeds every chunk (all books), then (re)creates the HNSW expression
 * index for the configured dimension and records model and dimensions in
 * library_settings.  progress (may be NULL) receives "done of total"
 * updates.  Returns true on success. */
bool library_reindex(struct db *db, const struct config *cfg,
                     void (*progress)(size_t done, size_t total))
    __attribute__((nonnull(1, 2), warn_unused_result));

/* Creates the HNSW expression index chunks_embedding_hnsw for the
 * configured dimension when it is missing or for another dimension, and
 * records model and dimensions in library_settings.  Returns true on
 * success. */
bool library_embed_ensure_index(struct db *db, const struct config *cfg)
    __attribute__((nonnull, warn_unused_result));

/* For a first load of many books in one run (`plccoach ingest DIR`): with
 * on, a book stored into a library that has no index yet (no
 * library_settings row) does not create it; library_finish_deferred_index()
 * then builds it once over everything, which is much cheaper than growing
 * the HNSW graph book by book.  A library that already has its index is
 * not affected.  Per process. */
void library_defer_index(bool on);

/* Builds the index (and records the model) when a deferred book is waiting
 * for it, then refreshes the statistics.  Returns false on a database
 * error; true when there was nothing to do. */
bool library_finish_deferred_index(struct db *db, const struct config *cfg)
    __attribute__((nonnull, warn_unused_result));

/* Refreshes the planner's statistics of chunks (after a reindex, and after
 * a book is stored), so that searches use the HNSW index.  Returns false
 * on a database error. */
bool library_analyze(struct db *db) __attribute__((nonnull));

#endif
