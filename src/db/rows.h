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

#endif
