/*
 * Copying a result's values out before it is cleared (db modules only:
 * no PGresult leaves src/db).
 */
#ifndef PLC_DB_ROWS_H
#define PLC_DB_ROWS_H

#include <libpq-fe.h>

struct arena;

/* Returns a copy in a of the value at (row, col), or NULL when it is SQL
 * NULL or out of range. */
const char *db_arena_value(struct arena *a, const PGresult *res, int row, int col)
    __attribute__((nonnull));

#endif
