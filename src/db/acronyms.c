/*
 * The capitalised phrases each book spells out; see acronyms.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/acronyms.h"
#include "db/db.h"
#include "db/rows.h"
#include "util/arena.h"
#include "util/buf.h"

#define ACRONYMS_BATCH 2000 /* rows per INSERT */

enum db_status acronyms_put_book(struct db *db, const char *book_id, const struct acronym_row *rows,
                                 size_t n)
{
    const char *params[4] = {book_id};
    size_t i, j;

    if (!db_command(db, "DELETE FROM acronym_phrases WHERE book_id = $1::uuid", 1, params))
        return DB_ERROR;
    for (i = 0; i < n; i += ACRONYMS_BATCH) {
        size_t m = n - i < ACRONYMS_BATCH ? n - i : ACRONYMS_BATCH;
        struct buf in = BUF_INIT, ph = BUF_INIT, ps = BUF_INIT;
        bool ok;

        buf_putc(&in, '{');
        buf_putc(&ph, '{');
        buf_putc(&ps, '{');
        for (j = i; j < i + m; j++) {
            char num[24];
            db_array_elem(&in, rows[j].initials);
            db_array_elem(&ph, rows[j].phrase);
            snprintf(num, sizeof(num), "%d", rows[j].passages);
            db_array_elem(&ps, num);
        }
        buf_putc(&in, '}');
        buf_putc(&ph, '}');
        buf_putc(&ps, '}');
        params[1] = buf_str(&in);
        params[2] = buf_str(&ph);
        params[3] = buf_str(&ps);
        ok = db_command(db,
                        "INSERT INTO acronym_phrases (initials, phrase, book_id, passages)"
                        " SELECT u.i, u.p, $1::uuid, u.n"
                        " FROM unnest($2::text[], $3::text[], $4::int[]) AS u(i, p, n)",
                        4, params);
        buf_free(&in);
        buf_free(&ph);
        buf_free(&ps);
        if (!ok)
            return DB_ERROR;
    }
    return DB_OK;
}

/* A row of acronyms_lookup()'s statement: (ordinal, phrase, passages). */
static void hit_row(struct arena *a, const PGresult *r, int i, size_t word, void *row)
{
    struct acronym_hit *h = row;

    h->word = word;
    h->phrase = arena_strdup(a, PQgetvalue(r, i, 1));
    h->passages = strtoll(PQgetvalue(r, i, 2), NULL, 10);
}

enum db_status acronyms_lookup(struct db *db, const char *const *initials, const char *const *terms,
                               size_t n, size_t per_word, struct arena *a, struct acronym_hit **out,
                               size_t *nout)
{
    struct buf t = BUF_INIT;
    char pw[24];
    const char *params[3] = {NULL, NULL, pw};

    db_text_array(&t, terms, n);
    params[1] = buf_str(&t);
    snprintf(pw, sizeof(pw), "%zu", per_word);
    *out = db_read_keyed(db, a,
                         "SELECT u.i::text, h.phrase, h.n::text"
                         " FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(w, t, i)"
                         " CROSS JOIN LATERAL (SELECT x.phrase, sum(x.passages) AS n"
                         "   FROM acronym_phrases x WHERE x.initials = u.w"
                         "   GROUP BY x.phrase ORDER BY n DESC, x.phrase LIMIT $3::int) h"
                         " WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.term = u.t)"
                         " ORDER BY u.i, h.n DESC, h.phrase",
                         initials, n, 3, params, sizeof(**out), hit_row, nout);
    buf_free(&t);
    return *out != NULL ? DB_OK : DB_ERROR;
}
