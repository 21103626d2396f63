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

void *db_read_rows(struct db *db, struct arena *a, const char *sql, int nparams,
                   const char *const *params, size_t size, db_row_decoder *decode, size_t *n)
{
    PGresult *res = db_exec(db, sql, nparams, params, true);
    char *rows;
    int i, m;

    *n = 0;
    if (res == NULL)
        return NULL;
    m = PQntuples(res);
    rows = arena_alloc(a, (m ? (size_t)m : 1) * size);
    for (i = 0; i < m; i++)
        decode(a, res, i, rows + (size_t)i * size);
    *n = (size_t)m;
    PQclear(res);
    return rows;
}

enum db_status db_read_row(struct db *db, struct arena *a, const char *sql, int nparams,
                           const char *const *params, db_row_decoder *decode, void *out)
{
    PGresult *res = db_exec(db, sql, nparams, params, true);
    enum db_status st;

    if (res == NULL)
        return DB_ERROR;
    st = PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
    if (st == DB_OK)
        decode(a, res, 0, out);
    PQclear(res);
    return st;
}
