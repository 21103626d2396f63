/*
 * Result values copied out; see rows.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/db.h"
#include "db/rows.h"
#include "util/arena.h"
#include "util/buf.h"

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

void *db_read_keyed(struct db *db, struct arena *a, const char *sql, const char *const *keys,
                    size_t n, int nparams, const char **params, size_t size,
                    db_keyed_decoder *decode, size_t *nout)
{
    struct buf arr = BUF_INIT;
    PGresult *res;
    char *rows;
    int i, m;

    *nout = 0;
    if (n == 0)
        return arena_alloc(a, size);
    db_text_array(&arr, keys, n);
    params[0] = buf_str(&arr);
    res = db_exec(db, sql, nparams, params, true);
    buf_free(&arr);
    if (res == NULL)
        return NULL;
    m = PQntuples(res);
    rows = arena_alloc(a, (m ? (size_t)m : 1) * size);
    for (i = 0; i < m; i++) {
        long long key = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        if (key >= 1 && (size_t)key <= n)
            decode(a, res, i, (size_t)key - 1, rows + (*nout)++ * size);
    }
    PQclear(res);
    return rows;
}

enum db_status db_queue_claim(struct db *db, const struct db_queue *q, PGresult **row)
{
    char stale[16], attempts[16];
    const char *params[2] = {stale, attempts};
    enum db_status st;

    *row = NULL;
    snprintf(stale, sizeof(stale), "%d", q->stale_minutes);
    snprintf(attempts, sizeof(attempts), "%d", q->max_attempts);
    if (!db_command(db, q->fail_sql, 2, params))
        return DB_ERROR;
    *row = db_exec(db, q->claim_sql, 2, params, false);
    st = db_one_row(*row);
    if (st != DB_OK) {
        PQclear(*row);
        *row = NULL;
    }
    return st;
}
