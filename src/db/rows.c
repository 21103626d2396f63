/*
 * Result values copied out; see rows.h.
 */
#include "config.h"

#include "db/db.h"
#include "db/rows.h"
#include "util/arena.h"

const char *db_arena_value(struct arena *a, const PGresult *res, int row, int col)
{
    const char *v = db_value(res, row, col);

    return v ? arena_strdup(a, v) : NULL;
}
