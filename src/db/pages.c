/*
 * Pages and section headings of books; see pages.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/pages.h"
#include "util/arena.h"
#include "util/buf.h"

#define PAGES_BATCH 200 /* rows per INSERT */

enum db_status pages_put_book(struct db *db, const char *book_id, const char *const *labels,
                              const char *const *texts, size_t n)
{
    size_t i, j;

    for (i = 0; i < n; i += PAGES_BATCH) {
        size_t m = n - i < PAGES_BATCH ? n - i : PAGES_BATCH;
        struct buf idx = BUF_INIT, lab = BUF_INIT, txt = BUF_INIT;
        const char *params[4];
        PGresult *r;

        buf_putc(&idx, '{');
        buf_putc(&lab, '{');
        buf_putc(&txt, '{');
        for (j = i; j < i + m; j++) {
            char num[24];
            snprintf(num, sizeof(num), "%zu", j);
            db_array_elem(&idx, num);
            db_array_elem(&lab, labels[j]);
            db_array_elem(&txt, texts[j]);
        }
        buf_putc(&idx, '}');
        buf_putc(&lab, '}');
        buf_putc(&txt, '}');
        params[0] = book_id;
        params[1] = buf_str(&idx);
        params[2] = buf_str(&lab);
        params[3] = buf_str(&txt);
        r = db_exec(db,
                    "INSERT INTO pages (book_id, page_index, label, text)"
                    " SELECT $1::uuid, u.i, u.l, u.t"
                    " FROM unnest($2::int[], $3::text[], $4::text[]) AS u(i, l, t)",
                    4, params, false);
        buf_free(&idx);
        buf_free(&lab);
        buf_free(&txt);
        if (r == NULL)
            return DB_ERROR;
        PQclear(r);
    }
    return DB_OK;
}

enum db_status sections_put_book(struct db *db, const char *book_id, const struct section_in *s,
                                 size_t n, char (*ids)[37])
{
    struct buf ch = BUF_INIT, ord = BUF_INIT, tit = BUF_INIT, lvl = BUF_INIT, lab = BUF_INIT,
               pix = BUF_INIT;
    struct buf *cols[] = {&ch, &ord, &tit, &lvl, &lab, &pix};
    const char *params[7];
    PGresult *r;
    size_t i;
    bool ok = true;

    if (n == 0)
        return DB_OK;
    for (i = 0; i < 6; i++)
        buf_putc(cols[i], '{');
    for (i = 0; i < n; i++) {
        char num[24];
        db_array_elem(&ch, s[i].chapter_id);
        snprintf(num, sizeof(num), "%zu", i);
        db_array_elem(&ord, num);
        db_array_elem(&tit, s[i].title);
        snprintf(num, sizeof(num), "%d", s[i].level);
        db_array_elem(&lvl, num);
        db_array_elem(&lab, s[i].page_label);
        snprintf(num, sizeof(num), "%d", s[i].page_index);
        db_array_elem(&pix, num);
    }
    params[0] = book_id;
    for (i = 0; i < 6; i++) {
        buf_putc(cols[i], '}');
        params[i + 1] = buf_str(cols[i]);
    }
    r = db_exec(db,
                "INSERT INTO sections (book_id, chapter_id, ordinal, title, level, page_start,"
                " page_index)"
                " SELECT $1::uuid, u.c, u.o, u.t, u.l, u.p, u.x"
                " FROM unnest($2::uuid[], $3::int[], $4::text[], $5::int[], $6::text[], $7::int[])"
                " AS u(c, o, t, l, p, x) ORDER BY u.o RETURNING ordinal, id::text",
                7, params, false);
    for (i = 0; i < 6; i++)
        buf_free(cols[i]);
    if (r == NULL)
        return DB_ERROR;
    if ((size_t)PQntuples(r) != n)
        ok = false;
    for (i = 0; ok && i < n; i++) {
        long o = strtol(PQgetvalue(r, (int)i, 0), NULL, 10);
        if (o < 0 || (size_t)o >= n)
            ok = false;
        else
            snprintf(ids[o], 37, "%s", PQgetvalue(r, (int)i, 1));
    }
    PQclear(r);
    return ok ? DB_OK : DB_ERROR;
}

enum db_status sections_of_chapter(struct db *db, const char *chapter_id, struct arena *a,
                                   struct section_row **out, size_t *n)
{
    const char *params[1] = {chapter_id};
    PGresult *r;
    size_t i;

    *out = NULL;
    *n = 0;
    r = db_exec(db,
                "SELECT id::text, title, page_start, level, page_index FROM sections"
                " WHERE chapter_id = $1::uuid ORDER BY ordinal",
                1, params, true);
    if (r == NULL)
        return DB_ERROR;
    *n = (size_t)PQntuples(r);
    *out = arena_alloc(a, (*n ? *n : 1) * sizeof(**out));
    for (i = 0; i < *n; i++) {
        struct section_row *s = &(*out)[i];
        s->id = arena_strdup(a, PQgetvalue(r, (int)i, 0));
        s->title = arena_strdup(a, PQgetvalue(r, (int)i, 1));
        s->page_start = arena_strdup(a, PQgetvalue(r, (int)i, 2));
        s->level = atoi(PQgetvalue(r, (int)i, 3));
        s->page_index = atoi(PQgetvalue(r, (int)i, 4));
    }
    PQclear(r);
    return DB_OK;
}

enum db_status pages_all(struct db *db, struct arena *a, struct page_row **out, size_t *n)
{
    PGresult *r = db_exec(db,
                          "SELECT p.book_id::text, b.title, p.label, p.text, p.page_index"
                          " FROM pages p JOIN books b ON b.id = p.book_id"
                          " ORDER BY b.created_at, b.id, p.page_index",
                          0, NULL, true);
    size_t i;

    *out = NULL;
    *n = 0;
    if (r == NULL)
        return DB_ERROR;
    *n = (size_t)PQntuples(r);
    *out = arena_alloc(a, (*n ? *n : 1) * sizeof(**out));
    for (i = 0; i < *n; i++) {
        struct page_row *p = &(*out)[i];
        p->book_id = arena_strdup(a, PQgetvalue(r, (int)i, 0));
        p->book_title = arena_strdup(a, PQgetvalue(r, (int)i, 1));
        p->label = arena_strdup(a, PQgetvalue(r, (int)i, 2));
        p->text = arena_strdup(a, PQgetvalue(r, (int)i, 3));
        p->page_index = atoi(PQgetvalue(r, (int)i, 4));
    }
    PQclear(r);
    return DB_OK;
}

enum db_status pages_by_label(struct db *db, struct arena *a, const char *title, const char *label,
                              struct page_place **out, size_t *n)
{
    static const char *const sql =
        "SELECT b.id, x.i FROM books b CROSS JOIN LATERAL ("
        "  SELECT page_index_start AS i FROM chunks WHERE book_id = b.id AND page_start = $2"
        "  UNION SELECT page_index_end FROM chunks WHERE book_id = b.id AND page_end = $2"
        "  UNION SELECT CASE WHEN $2 ~ '^[0-9]{1,6}$' AND page_start ~ '^[0-9]{1,6}$'"
        "   THEN page_index_start + ($2::int - page_start::int) END FROM chunks"
        "   WHERE book_id = b.id AND CASE WHEN $2 ~ '^[0-9]{1,6}$' AND page_start ~ '^[0-9]{1,6}$'"
        "   AND page_end ~ '^[0-9]{1,6}$' THEN $2::int BETWEEN page_start::int AND page_end::int"
        "   AND page_end::int - page_start::int = page_index_end - page_index_start"
        "   ELSE false END) x WHERE b.title = $1 AND x.i IS NOT NULL";
    const char *params[2] = {title, label};
    PGresult *r = db_exec(db, sql, 2, params, true);
    size_t i;

    *out = NULL;
    *n = 0;
    if (r == NULL)
        return DB_ERROR;
    *n = (size_t)PQntuples(r);
    *out = arena_alloc(a, (*n ? *n : 1) * sizeof(**out));
    for (i = 0; i < *n; i++) {
        (*out)[i].book_id = arena_strdup(a, PQgetvalue(r, (int)i, 0));
        (*out)[i].index = atoi(PQgetvalue(r, (int)i, 1));
    }
    PQclear(r);
    return DB_OK;
}

enum db_status pages_text(struct db *db, const char *book_id, int from, int to, struct arena *a,
                          const char **text)
{
    char f[24], t[24];
    const char *params[3] = {book_id, f, t};
    PGresult *r;

    *text = "";
    snprintf(f, sizeof(f), "%d", from);
    snprintf(t, sizeof(t), "%d", to);
    r = db_exec(db,
                "SELECT coalesce(string_agg(text, E'\\n\\n' ORDER BY page_index), '') FROM pages"
                " WHERE book_id = $1::uuid AND page_index BETWEEN $2::int AND $3::int",
                3, params, true);
    if (r == NULL)
        return DB_ERROR;
    *text = arena_strdup(a, PQgetvalue(r, 0, 0));
    PQclear(r);
    return DB_OK;
}

enum db_status pages_chunk_span(struct db *db, const char *chunk_id, struct arena *a,
                                const char **book_id, int *from, int *to)
{
    const char *params[1] = {chunk_id};
    PGresult *r;

    *book_id = NULL;
    *from = *to = 0;
    r = db_exec(db,
                "SELECT book_id::text, page_index_start, page_index_end FROM chunks"
                " WHERE id = $1::uuid",
                1, params, true);
    if (r == NULL)
        return DB_ERROR;
    if (PQntuples(r) == 1) {
        *book_id = arena_strdup(a, PQgetvalue(r, 0, 0));
        *from = atoi(PQgetvalue(r, 0, 1));
        *to = atoi(PQgetvalue(r, 0, 2));
    }
    PQclear(r);
    return DB_OK;
}

/* One row per (passage asked for, passage on its pages): the asked
 * passage's place in $1, whether the row is that passage, its text, and
 * on the passage's own row the text of its pages. */
static const char *const around_sql =
    "WITH h AS (SELECT u.i, c.id, c.book_id, c.chapter_id, c.ordinal, c.page_index_start AS s,"
    "  c.page_index_end AS e FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, i)"
    "  JOIN chunks c ON c.id = u.id)"
    " SELECT h.i, n.id = h.id, n.text, CASE WHEN n.id = h.id THEN"
    "  (SELECT coalesce(string_agg(p.text, E'\\n\\n' ORDER BY p.page_index), '') FROM pages p"
    "   WHERE p.book_id = h.book_id AND p.page_index BETWEEN h.s AND h.e) END"
    " FROM h JOIN chunks n ON n.book_id = h.book_id"
    "  AND n.ordinal BETWEEN h.ordinal - $2::int AND h.ordinal + $2::int"
    "  AND n.page_index_start <= h.e AND n.page_index_end >= h.s"
    "  AND n.chapter_id IS NOT DISTINCT FROM h.chapter_id"
    " ORDER BY h.i, n.ordinal";

enum db_status pages_around(struct db *db, const char *const *chunk_ids, size_t n, struct arena *a,
                            struct page_around *out)
{
    struct buf ids = BUF_INIT;
    char around[24];
    const char *params[2];
    PGresult *r;
    size_t i, rows, first;

    memset(out, 0, n * sizeof(*out));
    if (n == 0)
        return DB_OK;
    buf_putc(&ids, '{');
    for (i = 0; i < n; i++)
        db_array_elem(&ids, chunk_ids[i]);
    buf_putc(&ids, '}');
    snprintf(around, sizeof(around), "%d", PAGES_AROUND);
    params[0] = buf_str(&ids);
    params[1] = around;
    r = db_exec(db, around_sql, 2, params, true);
    buf_free(&ids);
    if (r == NULL)
        return DB_ERROR;
    rows = (size_t)PQntuples(r);
    for (first = 0; first < rows;) {
        long at = strtol(PQgetvalue(r, (int)first, 0), NULL, 10) - 1;
        size_t end = first, j;
        struct page_around *p;
        while (end < rows && strcmp(PQgetvalue(r, (int)end, 0), PQgetvalue(r, (int)first, 0)) == 0)
            end++;
        if (at >= 0 && (size_t)at < n && out[at].texts == NULL) {
            p = &out[at];
            p->texts = arena_alloc(a, (end - first) * sizeof(*p->texts));
            p->page = "";
            for (j = first; j < end; j++) {
                p->texts[p->n] = arena_strdup(a, PQgetvalue(r, (int)j, 2));
                if (PQgetvalue(r, (int)j, 1)[0] == 't') {
                    p->self = p->n;
                    p->page = arena_strdup(a, PQgetvalue(r, (int)j, 3));
                }
                p->n++;
            }
        }
        first = end;
    }
    PQclear(r);
    return DB_OK;
}
