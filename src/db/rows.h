/*
 * Copying a result's values out before it is cleared (db modules only:
 * no PGresult leaves src/db).
 */
#ifndef PLC_DB_ROWS_H
#define PLC_DB_ROWS_H

#include <libpq-fe.h>
#include <stddef.h>

#include "db/status.h"

struct arena;
struct db;

/* Returns a copy in a of the value at (row, col), or NULL when it is SQL
 * NULL or out of range. */
const char *db_arena_value(struct arena *a, const PGresult *res, int row, int col)
    __attribute__((nonnull));

/* Decodes row i of res into *row, its strings copied into a. */
typedef void db_row_decoder(struct arena *a, const PGresult *res, int i, void *row);

/* Runs the read sql with its nparams params and decodes every row with
 * decode into a new array of elements of size bytes, in a (*n of them).
 * Returns the array (never NULL when the query ran, even with no row), or
 * NULL when the query failed (logged). */
void *db_read_rows(struct db *db, struct arena *a, const char *sql, int nparams,
                   const char *const *params, size_t size, db_row_decoder *decode, size_t *n)
    __attribute__((nonnull(1, 2, 3, 7, 8)));

/* Runs the read sql with its nparams params and decodes its one row with
 * decode into *out: DB_OK, DB_NOT_FOUND (no row), or DB_ERROR (logged). */
enum db_status db_read_row(struct db *db, struct arena *a, const char *sql, int nparams,
                           const char *const *params, db_row_decoder *decode, void *out)
    __attribute__((nonnull(1, 2, 3, 6, 7)));

/* Decodes row i of res into *row, its strings copied into a: the row of
 * keys[key] (db_read_keyed()). */
typedef void db_keyed_decoder(struct arena *a, const PGresult *res, int i, size_t key, void *row);

/* Runs the read sql for n keys at once: $1 is the text[] of keys[0..n),
 * params[1..nparams) are $2..., and the first column of each row is the
 * 1-based ordinal of its key (unnest($1::text[]) WITH ORDINALITY).  Every
 * row whose ordinal names a key is decoded with decode into a new array of
 * elements of size bytes, in a (*nout of them).  Returns the array (never
 * NULL when it succeeded, even with no row; n 0 runs nothing), or NULL
 * when the query failed (logged).  params[0] is set here. */
void *db_read_keyed(struct db *db, struct arena *a, const char *sql, const char *const *keys,
                    size_t n, int nparams, const char **params, size_t size,
                    db_keyed_decoder *decode, size_t *nout)
    __attribute__((nonnull(1, 2, 3, 7, 9, 10)));

/* A job queue (ingest_jobs, exports): its two claim statements, each
 * with $1 = stale_minutes and $2 = max_attempts.  fail_sql fails the
 * running jobs that ran out of attempts while stale (their process died
 * too often); claim_sql takes the oldest job that is queued, or running
 * but stale with attempts left (FOR UPDATE SKIP LOCKED: no two processes
 * take the same one), and RETURNs its row. */
struct db_queue {
    const char *fail_sql;
    const char *claim_sql;
    int stale_minutes;
    int max_attempts;
};

/* Claims the next job of q: DB_OK with its row in *row (caller
 * PQclear()s), DB_NOT_FOUND when there is none (*row NULL), or DB_ERROR
 * (logged; *row NULL). */
enum db_status db_queue_claim(struct db *db, const struct db_queue *q, PGresult **row)
    __attribute__((nonnull));

#endif
