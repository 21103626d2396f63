/*
 * The statements of retrieval (library/search.c): the HNSW scan's
 * settings, the candidates (the BM25 list's passages and, with a question
 * vector, the vector list's) with everything fusion, the cut,
 * de-duplication and MMR need, and the kept passages' embeddings.
 *
 * The vector type ("vector" or "halfvec") and dimension are type
 * modifiers, which cannot be query parameters: they are formatted into
 * the SQL from the configuration, never from input.
 */
#ifndef PLC_DB_RETRIEVAL_H
#define PLC_DB_RETRIEVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "db/status.h"

struct arena;
struct db;

/* Sets the HNSW scan options once per connection (a larger candidate list
 * and iterative scans, so a domain filter still yields K rows) and
 * silences the text-search notices.  Returns DB_ERROR when the database
 * failed. */
enum db_status retrieval_prepare(struct db *db) __attribute__((nonnull, warn_unused_result));

/* What the candidates are fetched for. */
struct retrieval_query {
    const char *vector;   /* the question's pgvector literal; NULL: the BM25 list's passages
                             only, no cosine */
    const char *type;     /* "vector" or "halfvec" */
    size_t dims;          /* the embeddings' dimension */
    const char *domain;   /* the vector list only in this domain; NULL: any */
    const char *books;    /* the BM25 list: a uuid[] literal of books ... */
    const char *ordinals; /* ... and an int[] literal of their passages' ordinals */
    int limit;            /* the vector list's length (0: none, the cosines only) */
};

/* A candidate passage; strings and arrays in the caller's arena. */
struct passage_row {
    const char *chunk_id, *book_id, *book_title;
    const char **authors; /* nauthors of them */
    size_t nauthors;
    const char *chapter_id, *chapter_number, *chapter_title; /* NULL when none */
    const char *section;                                     /* NULL when none */
    const char *page_start, *page_end;                       /* printed labels */
    int page_index_start, page_index_end, ordinal;
    const char **domains; /* ndomains of them */
    size_t ndomains;
    const char *text;
    bool has_cosine;     /* with a question vector and an embedding */
    double cosine;       /* 1 - cosine distance, when has_cosine (may be NaN) */
    bool in_vector_list; /* among the vector list's limit */
};

/* Fetches the candidates of q into *rows (n of them, in the arena), in
 * no particular order.  Returns DB_ERROR when the database failed
 * (logged). */
enum db_status retrieval_candidates(struct db *db, struct arena *a, const struct retrieval_query *q,
                                    struct passage_row **rows, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* A chunk's embedding: vec (dims floats, in the arena) is NULL when it is
 * not exactly dims finite values. */
struct chunk_vector {
    const char *id;
    float *vec;
};

/* Fetches, in binary (a tenth of the bytes of the text form, and no float
 * parsing), the embeddings of the chunks whose ids the uuid[] literal
 * ids_literal lists and that have one, into *rows (n of them, in the
 * arena).  Returns DB_ERROR when the database failed (logged). */
enum db_status retrieval_vectors(struct db *db, struct arena *a, const char *ids_literal,
                                 size_t dims, struct chunk_vector **rows, size_t *n)
    __attribute__((nonnull, warn_unused_result));

#endif
