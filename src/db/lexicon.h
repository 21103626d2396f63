/*
 * The lexical index's tables (sql/020_lexical.sql): postings by (term,
 * book), each book's collection statistics (books.lex_chunks,
 * books.lex_length), and the vocabulary's trigram lookup.  What the
 * postings hold is src/library/bm25.h's business; this module stores and
 * returns their bytes.  Parameterised SQL only; results are copied into
 * structs, never handed out as PGresults.
 */
#ifndef PLC_DB_LEXICON_H
#define PLC_DB_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/status.h"

struct arena;
struct db;

/* One (book, term) row to write. */
struct lexicon_entry {
    const char *term;
    int df;                    /* postings in data */
    const unsigned char *data; /* df * BM25_POSTING_BYTES bytes */
    size_t len;
};

/* Replaces the book's postings with entries[0..n) and sets its statistics
 * (passages indexed, sum of their lengths) and the version of the text
 * analysis that built them (books.lex_analyzer, sql/074), in the caller's
 * transaction when there is one.  Returns DB_ERROR when the database
 * failed (logged). */
enum db_status lexicon_put_book(struct db *db, const char *book_id,
                                const struct lexicon_entry *entries, size_t n, int64_t chunks,
                                int64_t length, int analyzer)
    __attribute__((nonnull(1, 2), warn_unused_result));

/* The library's statistics. */
struct lexicon_stats {
    int64_t chunks; /* passages indexed */
    int64_t length; /* sum of their body lengths */
    int64_t stale;  /* books whose postings another analysis version built */
};

/* Fills *st and df[i], the number of passages holding terms[i] (0 when
 * the library does not), in one statement; st->stale counts the books
 * whose lex_analyzer is not analyzer.  Returns DB_ERROR when the database
 * failed. */
enum db_status lexicon_df(struct db *db, const char *const *terms, size_t n, int analyzer,
                          struct lexicon_stats *st, int64_t *df)
    __attribute__((nonnull(1, 5), warn_unused_result));

/* One (book, term) postings list as read. */
struct lexicon_list {
    size_t term;               /* index into the terms asked for */
    const char *book_id;       /* in the arena */
    int64_t book_df;           /* postings the book holds for the term */
    const unsigned char *data; /* in the arena; a prefix of the list when capped */
    size_t len;                /* bytes */
};

/* Reads the postings lists of terms[0..n) in every book.  A term whose
 * library df (df[i], from lexicon_df) exceeds cap[i] > 0 is read capped:
 * each book's list only up to ceil(cap * book df / df) postings, its
 * best-impact ones (lists are stored best first).  posting_bytes is the
 * size of one posting.  Fills *out (in the arena) and *nout.  Returns
 * DB_ERROR when the database failed. */
enum db_status lexicon_postings(struct db *db, const char *const *terms, const int64_t *df,
                                const int64_t *cap, size_t n, size_t posting_bytes, struct arena *a,
                                struct lexicon_list **out, size_t *nout)
    __attribute__((nonnull, warn_unused_result));

/* A vocabulary term like an unknown word. */
struct lexicon_similar {
    size_t word;       /* index into the words asked about */
    const char *term;  /* in the arena */
    int64_t df;        /* in the library */
    double similarity; /* pg_trgm similarity, 0..1 */
};

/* Finds, for each of words[0..n), the library's terms whose trigram
 * similarity to it is at least min_similarity (at most per_word each,
 * most similar first).  Fills *out (in the arena).  Returns DB_ERROR when
 * the database failed. */
enum db_status lexicon_similar(struct db *db, const char *const *words, size_t n,
                               double min_similarity, size_t per_word, struct arena *a,
                               struct lexicon_similar **out, size_t *nout)
    __attribute__((nonnull, warn_unused_result));

/* Sets texts[i] (in the arena) to the text of passage (book_ids[i],
 * ordinals[i]); NULL when there is none.  Returns DB_ERROR when the
 * database failed. */
enum db_status lexicon_passage_texts(struct db *db, const char *const *book_ids,
                                     const int *ordinals, size_t n, struct arena *a,
                                     const char **texts)
    __attribute__((nonnull, warn_unused_result));

/* A passage's fields, as the lexical index reads them back to rebuild
 * itself (plccoach reindex). */
struct lexicon_passage {
    int ordinal;
    const char *text, *section, *chapter; /* section, chapter NULL when none */
    const char *domains;                  /* PostgreSQL array literal */
};

/* Lists the ids of every book (in the arena), oldest first. */
enum db_status lexicon_books(struct db *db, struct arena *a, const char ***ids, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* Reads a book's passages in order (into the arena). */
enum db_status lexicon_book_passages(struct db *db, const char *book_id, struct arena *a,
                                     struct lexicon_passage **out, size_t *n)
    __attribute__((nonnull, warn_unused_result));

#endif
