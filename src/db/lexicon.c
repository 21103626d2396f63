/*
 * The lexical index's tables; see lexicon.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/lexicon.h"
#include "db/rows.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"

#define LEXICON_BATCH 2000 /* rows per INSERT */

/* Appends "\\x<hex>" (an array element of type bytea) to b. */
static void bytea_elem(struct buf *b, const unsigned char *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;

    if (b->len > 1)
        buf_putc(b, ',');
    buf_puts(b, "\"\\\\x");
    for (i = 0; i < len; i++) {
        buf_putc(b, hex[data[i] >> 4]);
        buf_putc(b, hex[data[i] & 15]);
    }
    buf_putc(b, '"');
}

enum db_status lexicon_put_book(struct db *db, const char *book_id,
                                const struct lexicon_entry *entries, size_t n, int64_t chunks,
                                int64_t length, int analyzer)
{
    const char *params[4] = {book_id};
    char c[24], l[24], v[16];
    size_t i, j;

    if (!db_command(db, "DELETE FROM postings WHERE book_id = $1::uuid", 1, params))
        return DB_ERROR;
    for (i = 0; i < n; i += LEXICON_BATCH) {
        size_t m = n - i < LEXICON_BATCH ? n - i : LEXICON_BATCH;
        struct buf terms = BUF_INIT, dfs = BUF_INIT, data = BUF_INIT;
        bool ok;

        buf_putc(&terms, '{');
        buf_putc(&dfs, '{');
        buf_putc(&data, '{');
        for (j = i; j < i + m; j++) {
            char num[24];
            db_array_elem(&terms, entries[j].term);
            snprintf(num, sizeof(num), "%d", entries[j].df);
            db_array_elem(&dfs, num);
            bytea_elem(&data, entries[j].data, entries[j].len);
        }
        buf_putc(&terms, '}');
        buf_putc(&dfs, '}');
        buf_putc(&data, '}');
        params[1] = buf_str(&terms);
        params[2] = buf_str(&dfs);
        params[3] = buf_str(&data);
        ok = db_command(
            db,
            "INSERT INTO postings (term, book_id, df, data)"
            " SELECT u.t, $1::uuid, u.d, u.p FROM unnest($2::text[], $3::int[], $4::bytea[])"
            " AS u(t, d, p)",
            4, params);
        buf_free(&terms);
        buf_free(&dfs);
        buf_free(&data);
        if (!ok)
            return DB_ERROR;
    }
    snprintf(c, sizeof(c), "%lld", (long long)chunks);
    snprintf(l, sizeof(l), "%lld", (long long)length);
    snprintf(v, sizeof(v), "%d", analyzer);
    params[1] = c;
    params[2] = l;
    params[3] = v;
    return db_command(db,
                      "UPDATE books SET lex_chunks = $2::int, lex_length = $3::bigint,"
                      " lex_analyzer = $4::int WHERE id = $1",
                      4, params)
               ? DB_OK
               : DB_ERROR;
}

/* Appends v[0..n) as a bigint[] literal to b (empty). */
static void int64_array(struct buf *b, const int64_t *v, size_t n)
{
    size_t i;

    buf_putc(b, '{');
    for (i = 0; i < n; i++)
        buf_printf(b, "%s%lld", i ? "," : "", (long long)v[i]);
    buf_putc(b, '}');
}

enum db_status lexicon_df(struct db *db, const char *const *terms, size_t n, int analyzer,
                          struct lexicon_stats *st, int64_t *df)
{
    struct buf arr = BUF_INIT;
    const char *params[2];
    char v[16];
    PGresult *r;
    int row;

    memset(st, 0, sizeof(*st));
    db_text_array(&arr, terms, n);
    snprintf(v, sizeof(v), "%d", analyzer);
    params[0] = buf_str(&arr);
    params[1] = v;
    r = db_exec(
        db,
        "SELECT NULL, coalesce(sum(lex_chunks), 0)::text, coalesce(sum(lex_length), 0)::text,"
        "  (count(*) FILTER (WHERE lex_analyzer <> $2::int))::text"
        " FROM books"
        " UNION ALL SELECT u.i::text,"
        "  coalesce((SELECT sum(p.df) FROM postings p WHERE p.term = u.t), 0)::text, NULL, NULL"
        " FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i)",
        2, params, true);
    buf_free(&arr);
    if (r == NULL)
        return DB_ERROR;
    for (row = 0; row < PQntuples(r); row++) {
        const char *i = db_value(r, row, 0);
        if (i == NULL) {
            st->chunks = strtoll(PQgetvalue(r, row, 1), NULL, 10);
            st->length = strtoll(PQgetvalue(r, row, 2), NULL, 10);
            st->stale = strtoll(PQgetvalue(r, row, 3), NULL, 10);
        } else {
            long long k = strtoll(i, NULL, 10);
            if (k >= 1 && (size_t)k <= n)
                df[k - 1] = strtoll(PQgetvalue(r, row, 1), NULL, 10);
        }
    }
    PQclear(r);
    return DB_OK;
}

enum db_status lexicon_postings(struct db *db, const char *const *terms, const int64_t *df,
                                const int64_t *cap, size_t n, size_t posting_bytes, struct arena *a,
                                struct lexicon_list **out, size_t *nout)
{
    struct buf t = BUF_INIT, d = BUF_INIT, c = BUF_INIT;
    const char *params[4];
    char pb[24];
    PGresult *r;
    size_t rows, i, k = 0;

    *out = NULL;
    *nout = 0;
    if (n == 0)
        return DB_OK;
    db_text_array(&t, terms, n);
    int64_array(&d, df, n);
    int64_array(&c, cap, n);
    snprintf(pb, sizeof(pb), "%zu", posting_bytes);
    params[0] = buf_str(&t);
    params[1] = buf_str(&d);
    params[2] = buf_str(&c);
    params[3] = pb;
    /* Binary results: the postings come as their bytes. */
    r = db_exec_binary(
        db,
        "SELECT u.i::text, p.book_id::text, p.df::text,"
        "  CASE WHEN u.cap > 0 AND u.dft > u.cap"
        "   THEN substring(p.data FROM 1 FOR $4::int * least(p.df,"
        "     ceil(u.cap::float8 * p.df / u.dft)::int))"
        "   ELSE p.data END"
        " FROM unnest($1::text[], $2::int8[], $3::int8[]) WITH ORDINALITY AS u(term, dft, cap, i)"
        " JOIN postings p ON p.term = u.term",
        4, params, true);
    buf_free(&t);
    buf_free(&d);
    buf_free(&c);
    if (r == NULL)
        return DB_ERROR;
    rows = (size_t)PQntuples(r);
    *out = arena_alloc(a, (rows ? rows : 1) * sizeof(**out));
    for (i = 0; i < rows; i++) {
        struct lexicon_list *l = &(*out)[k];
        long long term = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
        size_t len = (size_t)PQgetlength(r, (int)i, 3);
        unsigned char *data;

        if (term < 1 || (size_t)term > n)
            continue;
        l->term = (size_t)term - 1;
        l->book_id = arena_strndup(a, PQgetvalue(r, (int)i, 1), (size_t)PQgetlength(r, (int)i, 1));
        l->book_df = strtoll(PQgetvalue(r, (int)i, 2), NULL, 10);
        data = arena_alloc(a, len ? len : 1);
        memcpy(data, PQgetvalue(r, (int)i, 3), len);
        l->data = data;
        l->len = len;
        k++;
    }
    *nout = k;
    PQclear(r);
    return DB_OK;
}

/* A row of lexicon_similar()'s statement: (ordinal, term, df, sim). */
static void similar_row(struct arena *a, const PGresult *r, int i, size_t word, void *row)
{
    struct lexicon_similar *s = row;

    s->word = word;
    s->term = arena_strdup(a, PQgetvalue(r, i, 1));
    s->df = strtoll(PQgetvalue(r, i, 2), NULL, 10);
    s->similarity = strtod(PQgetvalue(r, i, 3), NULL);
}

enum db_status lexicon_similar(struct db *db, const char *const *words, size_t n,
                               double min_similarity, size_t per_word, struct arena *a,
                               struct lexicon_similar **out, size_t *nout)
{
    char ms[32], pw[24];
    const char *params[3] = {NULL, ms, pw};

    snprintf(ms, sizeof(ms), "%.4f", min_similarity);
    snprintf(pw, sizeof(pw), "%zu", per_word);
    /* % is pg_trgm's similarity operator (threshold 0.3 by default), which
     * the trigram index answers; the stricter bound is checked after. */
    *out = db_read_keyed(db, a,
                         "SELECT u.i::text, s.term, s.df::text, s.sim::text"
                         " FROM unnest($1::text[]) WITH ORDINALITY AS u(w, i)"
                         " CROSS JOIN LATERAL (SELECT p.term, sum(p.df) AS df,"
                         "   similarity(p.term, u.w) AS sim FROM postings p"
                         "   WHERE p.term % u.w AND similarity(p.term, u.w) >= $2::float8"
                         "   GROUP BY p.term ORDER BY sim DESC, df DESC, p.term LIMIT $3::int) s",
                         words, n, 3, params, sizeof(**out), similar_row, nout);
    return *out != NULL ? DB_OK : DB_ERROR;
}

enum db_status lexicon_passage_texts(struct db *db, const char *const *book_ids,
                                     const int *ordinals, size_t n, struct arena *a,
                                     const char **texts)
{
    struct buf b = BUF_INIT, o = BUF_INIT;
    const char *params[2];
    PGresult *r;
    size_t i;

    for (i = 0; i < n; i++)
        texts[i] = NULL;
    if (n == 0)
        return DB_OK;
    db_text_array(&b, book_ids, n);
    buf_putc(&o, '{');
    for (i = 0; i < n; i++)
        buf_printf(&o, "%s%d", i ? "," : "", ordinals[i]);
    buf_putc(&o, '}');
    params[0] = buf_str(&b);
    params[1] = buf_str(&o);
    r = db_exec(db,
                "SELECT u.i::text, c.text FROM unnest($1::uuid[], $2::int[]) WITH ORDINALITY"
                " AS u(b, o, i) JOIN chunks c ON c.book_id = u.b AND c.ordinal = u.o",
                2, params, true);
    buf_free(&b);
    buf_free(&o);
    if (r == NULL)
        return DB_ERROR;
    for (i = 0; i < (size_t)PQntuples(r); i++) {
        long long k = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
        if (k >= 1 && (size_t)k <= n)
            texts[k - 1] = arena_strdup(a, PQgetvalue(r, (int)i, 1));
    }
    PQclear(r);
    return DB_OK;
}

enum db_status lexicon_books(struct db *db, struct arena *a, const char ***ids, size_t *n)
{
    PGresult *r = db_exec(db, "SELECT id::text FROM books ORDER BY created_at, id", 0, NULL, true);
    size_t i;

    *ids = NULL;
    *n = 0;
    if (r == NULL)
        return DB_ERROR;
    *n = (size_t)PQntuples(r);
    *ids = arena_alloc(a, (*n ? *n : 1) * sizeof(**ids));
    for (i = 0; i < *n; i++)
        (*ids)[i] = arena_strdup(a, PQgetvalue(r, (int)i, 0));
    PQclear(r);
    return DB_OK;
}

enum db_status lexicon_book_passages(struct db *db, const char *book_id, struct arena *a,
                                     struct lexicon_passage **out, size_t *n)
{
    const char *params[1] = {book_id};
    PGresult *r = db_exec(db,
                          "SELECT c.ordinal, c.text, s.title, ch.title, c.domains::text"
                          " FROM chunks c LEFT JOIN sections s ON s.id = c.section_id"
                          " LEFT JOIN chapters ch ON ch.id = c.chapter_id"
                          " WHERE c.book_id = $1::uuid ORDER BY c.ordinal",
                          1, params, true);
    size_t i;

    *out = NULL;
    *n = 0;
    if (r == NULL)
        return DB_ERROR;
    *n = (size_t)PQntuples(r);
    *out = arena_alloc(a, (*n ? *n : 1) * sizeof(**out));
    for (i = 0; i < *n; i++) {
        struct lexicon_passage *p = &(*out)[i];
        const char *v;
        p->ordinal = atoi(PQgetvalue(r, (int)i, 0));
        p->text = arena_strdup(a, PQgetvalue(r, (int)i, 1));
        p->section = (v = db_value(r, (int)i, 2)) ? arena_strdup(a, v) : NULL;
        p->chapter = (v = db_value(r, (int)i, 3)) ? arena_strdup(a, v) : NULL;
        p->domains = arena_strdup(a, PQgetvalue(r, (int)i, 4));
    }
    PQclear(r);
    return DB_OK;
}
