/*
 * The related-words table; see related.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/related.h"
#include "db/rows.h"
#include "util/arena.h"
#include "util/buf.h"

#define RELATED_BATCH 5000 /* rows per INSERT */

enum db_status related_replace(struct db *db, const struct related_row *rows, size_t n)
{
    size_t i, j;
    bool ok =
        db_command(db, "BEGIN", 0, NULL) && db_command(db, "DELETE FROM related_terms", 0, NULL);

    for (i = 0; ok && i < n; i += RELATED_BATCH) {
        size_t m = n - i < RELATED_BATCH ? n - i : RELATED_BATCH;
        struct buf w = BUF_INIT, t = BUF_INIT, r = BUF_INIT;
        const char *params[3];

        buf_putc(&w, '{');
        buf_putc(&t, '{');
        buf_putc(&r, '{');
        for (j = i; j < i + m; j++) {
            db_array_elem(&w, rows[j].word);
            db_array_elem(&t, rows[j].term);
            buf_printf(&r, "%s%d", j > i ? "," : "", rows[j].rel);
        }
        buf_putc(&w, '}');
        buf_putc(&t, '}');
        buf_putc(&r, '}');
        params[0] = buf_str(&w);
        params[1] = buf_str(&t);
        params[2] = buf_str(&r);
        ok = db_command(db,
                        "INSERT INTO related_terms (word, term, rel)"
                        " SELECT u.w, u.t, u.r FROM unnest($1::text[], $2::text[], $3::int2[])"
                        " AS u(w, t, r) ON CONFLICT (word, term) DO NOTHING",
                        3, params);
        buf_free(&w);
        buf_free(&t);
        buf_free(&r);
    }
    if (ok)
        ok = db_command(db, "COMMIT", 0, NULL);
    if (!ok)
        (void)db_rollback(db, NULL, DB_ERROR);
    return ok ? DB_OK : DB_ERROR;
}

enum db_status related_count(struct db *db, int64_t *n)
{
    PGresult *r = db_exec(db, "SELECT count(*)::text FROM related_terms", 0, NULL, true);

    *n = 0;
    if (r == NULL)
        return DB_ERROR;
    *n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return DB_OK;
}

/* A row of related_lookup()'s statement: (ordinal, term, rel, df). */
static void hit_row(struct arena *a, const PGresult *r, int i, size_t key, void *row)
{
    struct related_hit *h = row;

    h->key = key;
    h->term = arena_strdup(a, PQgetvalue(r, i, 1));
    h->rel = atoi(PQgetvalue(r, i, 2));
    h->df = strtoll(PQgetvalue(r, i, 3), NULL, 10);
}

enum db_status related_lookup(struct db *db, const char *const *keys, size_t n, int max_rel,
                              size_t per_key, struct arena *a, struct related_hit **out,
                              size_t *nout)
{
    char mr[16], pk[24];
    const char *params[3] = {NULL, mr, pk};

    snprintf(mr, sizeof(mr), "%d", max_rel);
    snprintf(pk, sizeof(pk), "%zu", per_key);
    *out =
        db_read_keyed(db, a,
                      "SELECT u.i::text, x.term, x.rel::text, x.df::text"
                      " FROM unnest($1::text[]) WITH ORDINALITY AS u(k, i)"
                      " CROSS JOIN LATERAL (SELECT rt.term, rt.rel, d.df FROM related_terms rt"
                      "   CROSS JOIN LATERAL (SELECT coalesce(sum(p.df), 0) AS df FROM postings p"
                      "     WHERE p.term = rt.term) d"
                      "   WHERE rt.word = u.k AND rt.rel <= $2::int AND d.df > 0"
                      "   ORDER BY rt.rel, rt.term LIMIT $3::int) x",
                      keys, n, 3, params, sizeof(**out), hit_row, nout);
    return *out != NULL ? DB_OK : DB_ERROR;
}
