/*
 * Books, chapters and chunks; see books.h.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "db/books.h"
#include "db/db.h"
#include "db/rows.h"
#include "db/sql.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/text.h"

#define BOOK_COLUMNS                                                                               \
    "b.id, b.title, array_to_json(b.authors)::text, b.edition, b.isbn, b.sku, b.product_url, "     \
    "b.source_uri, b.sha256, b.format, b.sample, b.page_count, "                                   \
    "(SELECT count(*) FROM chapters c WHERE c.book_id = b.id), "                                   \
    "(SELECT count(*) FROM chunks k WHERE k.book_id = b.id), " SQL_TS("b.created_at")

static int int_value(const PGresult *res, int row, int col)
{
    const char *v = db_value(res, row, col);

    return v ? atoi(v) : 0;
}

/* The authors column (a JSON array, or NULL) into b->authors (in a). */
static void book_authors(struct arena *a, const char *authors, struct book_row *b)
{
    json_object *arr;
    size_t k, m;

    if (authors == NULL)
        return;
    arr = json_tokener_parse(authors);
    m = arr != NULL && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr)
                                                                 : 0;
    b->authors = arena_alloc(a, (m ? m : 1) * sizeof(*b->authors));
    for (k = 0; k < m; k++) {
        const char *s = json_object_get_string(json_object_array_get_idx(arr, k));
        b->authors[b->n_authors++] = arena_strdup(a, s ? s : "");
    }
    json_object_put(arr);
}

/* Row i of books_titles()' result, or the first three columns (id, title,
 * authors) of a BOOK_COLUMNS one, into *row, a struct book_row of which
 * only id, title and authors are set (strings copied into a). */
static void book_title_of(struct arena *a, const PGresult *res, int i, void *row)
{
    const char *authors = db_value(res, i, 2);
    struct book_row *b = row;

    memset(b, 0, sizeof(*b));
    b->id = db_arena_value(a, res, i, 0);
    b->title = db_arena_value(a, res, i, 1);
    book_authors(a, authors, b);
}

/* Row i of a BOOK_COLUMNS result into *row, a struct book_row (strings
 * copied into a). */
static void book_row_of(struct arena *a, const PGresult *res, int i, void *row)
{
    struct book_row *b = row;

    book_title_of(a, res, i, row);
    b->edition = db_arena_value(a, res, i, 3);
    b->isbn = db_arena_value(a, res, i, 4);
    b->sku = db_arena_value(a, res, i, 5);
    b->product_url = db_arena_value(a, res, i, 6);
    b->source_uri = db_arena_value(a, res, i, 7);
    b->sha256 = db_arena_value(a, res, i, 8);
    b->format = db_arena_value(a, res, i, 9);
    b->sample = PQgetvalue(res, i, 10)[0] == 't';
    b->page_count = int_value(res, i, 11);
    b->chapter_count = int_value(res, i, 12);
    b->chunk_count = int_value(res, i, 13);
    b->created_at = db_arena_value(a, res, i, 14);
}

enum db_status books_list(struct db *db, struct arena *a, struct book_row **rows, size_t *n)
{
    *rows =
        db_read_rows(db, a, "SELECT " BOOK_COLUMNS " FROM books b ORDER BY lower(b.title), b.id", 0,
                     NULL, sizeof(**rows), book_row_of, n);
    return *rows != NULL ? DB_OK : DB_ERROR;
}

enum db_status books_titles(struct db *db, struct arena *a, struct book_row **rows, size_t *n)
{
    *rows = db_read_rows(db, a,
                         "SELECT b.id, b.title, array_to_json(b.authors)::text FROM books b"
                         " ORDER BY lower(b.title), b.id",
                         0, NULL, sizeof(**rows), book_title_of, n);
    return *rows != NULL ? DB_OK : DB_ERROR;
}

enum db_status book_find(struct db *db, struct arena *a, const char *id, struct book_row *out)
{
    const char *params[1] = {id};

    return db_read_row(db, a, "SELECT " BOOK_COLUMNS " FROM books b WHERE b.id = $1::uuid", 1,
                       params, book_row_of, out);
}

/* Row i of book_chapters()' result into *row, a struct chapter_row
 * (strings copied into a). */
static void chapter_row_of(struct arena *a, const PGresult *res, int i, void *row)
{
    struct chapter_row *c = row;

    c->ordinal = int_value(res, i, 0);
    c->number = db_arena_value(a, res, i, 1);
    c->title = db_arena_value(a, res, i, 2);
    c->page_start = db_arena_value(a, res, i, 3);
    c->page_end = db_arena_value(a, res, i, 4);
    c->chunk_count = int_value(res, i, 5);
}

enum db_status book_chapters(struct db *db, struct arena *a, const char *id,
                             struct chapter_row **rows, size_t *n)
{
    const char *params[1] = {id};

    *rows = db_read_rows(db, a,
                         "SELECT ch.ordinal, ch.number, ch.title, ch.page_start, ch.page_end,"
                         " (SELECT count(*) FROM chunks c WHERE c.chapter_id = ch.id)"
                         " FROM chapters ch WHERE ch.book_id = $1::uuid ORDER BY ch.ordinal",
                         1, params, sizeof(**rows), chapter_row_of, n);
    return *rows != NULL ? DB_OK : DB_ERROR;
}

enum db_status book_delete(struct db *db, struct arena *a, const char *id, const char *actor_id,
                           const char *ip, const char ***locators, size_t *n)
{
    const char *params[1] = {id};
    json_object *detail;
    PGresult *res;
    int i, m;

    *locators = NULL;
    *n = 0;
    if (!store_tx(db, "BEGIN"))
        return DB_ERROR;
    res = db_exec(db,
                  "WITH j AS (SELECT DISTINCT path FROM ingest_jobs WHERE book_id = $1::uuid), "
                  "d AS (DELETE FROM books WHERE id = $1::uuid RETURNING title) "
                  "SELECT d.title, j.path FROM d LEFT JOIN j ON NOT EXISTS "
                  "  (SELECT 1 FROM ingest_jobs o WHERE o.path = j.path "
                  "   AND o.status IN ('queued', 'running')) "
                  "ORDER BY j.path",
                  1, params, false);
    if (res == NULL || PQntuples(res) == 0)
        return db_rollback(db, res, res == NULL ? DB_ERROR : DB_NOT_FOUND);
    m = PQntuples(res);
    *locators = arena_alloc(a, (size_t)m * sizeof(**locators));
    for (i = 0; i < m; i++)
        if (db_value(res, i, 1) != NULL)
            (*locators)[(*n)++] = db_arena_value(a, res, i, 1);
    detail = json_object_new_object();
    json_object_object_add(detail, "title", json_object_new_string(PQgetvalue(res, 0, 0)));
    json_object_object_add(detail, "uploads_deleted", json_object_new_int((int)*n));
    PQclear(res);
    if (audit_write(db, actor_id, "book.delete", "book", id, ip, detail) == DB_OK
        && store_tx(db, "COMMIT"))
        return DB_OK;
    *locators = NULL;
    *n = 0;
    return db_rollback(db, NULL, DB_ERROR);
}

/* Sets *n to the one count(*) that sql returns.  Returns false (logged;
 * *n 0) when the database failed. */
static enum db_status count_of(struct db *db, const char *sql, size_t *n)
{
    PGresult *r = db_exec(db, sql, 0, NULL, true);

    *n = r ? (size_t)strtoull(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    PQclear(r);
    return r != NULL ? DB_OK : DB_ERROR;
}

enum db_status books_count(struct db *db, size_t *n)
{
    return count_of(db, "SELECT count(*) FROM books", n);
}

enum db_status books_without_pages(struct db *db, size_t *n)
{
    return count_of(db,
                    "SELECT count(*) FROM books b WHERE NOT EXISTS"
                    " (SELECT 1 FROM pages p WHERE p.book_id = b.id)",
                    n);
}

enum db_status book_sha_known(struct db *db, const char *sha256)
{
    PGresult *r = db_exec(db, "SELECT 1 FROM books WHERE sha256 = $1", 1, &sha256, true);
    enum db_status st = r == NULL ? DB_ERROR : PQntuples(r) > 0 ? DB_OK : DB_NOT_FOUND;

    PQclear(r);
    return st;
}

enum db_status book_delete_same(struct db *db, const char *sha256, const char *source_uri,
                                bool *replaced)
{
    const char *params[2] = {sha256, source_uri};
    PGresult *res =
        db_exec(db, "DELETE FROM books WHERE sha256 = $1 OR source_uri = $2 RETURNING id", 2,
                params, false);

    *replaced = false;
    if (res == NULL)
        return DB_ERROR;
    *replaced = PQntuples(res) > 0;
    PQclear(res);
    return DB_OK;
}

enum db_status book_insert(struct db *db, const struct book_in *b, char book_id[37])
{
    char pages[24];
    const char *params[11];
    PGresult *res;

    book_id[0] = '\0';
    snprintf(pages, sizeof(pages), "%zu", b->page_count);
    params[0] = b->title;
    params[1] = b->authors_literal;
    params[2] = b->edition;
    params[3] = b->isbn;
    params[4] = b->sku;
    params[5] = b->product_url;
    params[6] = b->source_uri;
    params[7] = b->sha256;
    params[8] = b->format;
    params[9] = b->sample ? "true" : "false";
    params[10] = pages;
    res = db_exec(db,
                  "INSERT INTO books (title, authors, edition, isbn, sku, product_url, source_uri,"
                  " sha256, format, sample, page_count)"
                  " VALUES ($1, $2::text[], $3, $4, $5, $6, $7, $8, $9, $10::boolean, $11::int)"
                  " ON CONFLICT (sha256) DO NOTHING RETURNING id",
                  11, params, false);
    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) == 1) {
        snprintf(book_id, 37, "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
        return DB_OK;
    }
    /* The same bytes are already stored. */
    PQclear(res);
    res = db_exec(db, "SELECT id FROM books WHERE sha256 = $1", 1, params + 7, false);
    if (res == NULL || PQntuples(res) != 1) {
        PQclear(res);
        return DB_ERROR;
    }
    snprintf(book_id, 37, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_CONFLICT;
}

enum db_status chapter_insert(struct db *db, const char *book_id, const struct chapter_in *c,
                              char id[37])
{
    char ord[24], ps[24], pe[24];
    const char *params[8] = {book_id, ord, c->number, c->title, c->page_start, c->page_end, ps, pe};
    PGresult *res;

    snprintf(ord, sizeof(ord), "%zu", c->ordinal);
    snprintf(ps, sizeof(ps), "%zu", c->page_index_start);
    snprintf(pe, sizeof(pe), "%zu", c->page_index_end);
    res = db_exec(db,
                  "INSERT INTO chapters (book_id, ordinal, number, title, page_start, page_end,"
                  " page_index_start, page_index_end)"
                  " VALUES ($1, $2::int, $3, $4, $5, $6, $7::int, $8::int) RETURNING id",
                  8, params, false);
    if (res == NULL)
        return DB_ERROR;
    snprintf(id, 37, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return DB_OK;
}

/* Appends a number to an array literal (db_array_elem). */
static void array_num(struct buf *b, size_t v)
{
    char num[24];

    snprintf(num, sizeof(num), "%zu", v);
    db_array_elem(b, num);
}

enum db_status chunks_insert(struct db *db, const char *book_id, const struct chunk_in *c, size_t n)
{
    struct buf cols[11];
    const char *params[12];
    size_t i;
    bool ok;

    for (i = 0; i < 11; i++) {
        cols[i] = (struct buf)BUF_INIT;
        buf_putc(&cols[i], '{');
    }
    for (i = 0; i < n; i++) {
        array_num(&cols[0], c[i].ordinal);
        db_array_elem(&cols[1], c[i].chapter_id);
        db_array_elem(&cols[2], c[i].text);
        db_array_elem(&cols[3], c[i].page_start);
        db_array_elem(&cols[4], c[i].page_end);
        array_num(&cols[5], c[i].page_index_start);
        array_num(&cols[6], c[i].page_index_end);
        array_num(&cols[7], c[i].tokens);
        db_array_elem(&cols[8], c[i].domains);
        db_array_elem(&cols[9], c[i].embedding);
        db_array_elem(&cols[10], c[i].section_id);
    }
    params[0] = book_id;
    for (i = 0; i < 11; i++) {
        buf_putc(&cols[i], '}');
        params[i + 1] = buf_str(&cols[i]);
    }
    ok =
        db_command(db,
                   "INSERT INTO chunks (book_id, ordinal, chapter_id, text, page_start, page_end,"
                   " page_index_start, page_index_end, token_count, domains, embedding, section_id)"
                   " SELECT $1, u.o, u.ch, u.t, u.ps, u.pe, u.pis, u.pie, u.tok, u.d::text[],"
                   "   u.e::vector, u.s"
                   " FROM unnest($2::int[], $3::uuid[], $4::text[], $5::text[], $6::text[],"
                   "   $7::int[], $8::int[], $9::int[], $10::text[], $11::text[], $12::uuid[])"
                   "   AS u(o, ch, t, ps, pe, pis, pie, tok, d, e, s)",
                   12, params);
    for (i = 0; i < 11; i++)
        buf_free(&cols[i]);
    return ok ? DB_OK : DB_ERROR;
}

#define CHUNK_PLACES_SQL                                                                           \
    "SELECT id, book_id, chapter_id, page_index_start, page_index_end FROM chunks "                \
    "WHERE id = ANY($1::uuid[])"

enum db_status chunk_places(struct db *db, struct arena *a, const char *const *ids, size_t n,
                            struct chunk_place **out, size_t *nout)
{
    struct buf arr = BUF_INIT;
    const char *params[1];
    PGresult *res;
    size_t i, valid = 0;
    int r, rows;

    *out = NULL;
    *nout = 0;
    buf_putc(&arr, '{');
    for (i = 0; i < n; i++)
        if (ids[i] != NULL && is_uuid(ids[i])) {
            db_array_elem(&arr, ids[i]);
            valid++;
        }
    buf_putc(&arr, '}');
    if (valid == 0) {
        buf_free(&arr);
        return DB_OK;
    }
    params[0] = buf_str(&arr);
    res = db_exec(db, CHUNK_PLACES_SQL, 1, params, true);
    buf_free(&arr);
    if (res == NULL)
        return DB_ERROR;
    rows = PQntuples(res);
    *out = arena_alloc(a, (size_t)(rows > 0 ? rows : 1) * sizeof(**out));
    for (r = 0; r < rows; r++)
        (*out)[r] = (struct chunk_place){
            .chunk_id = db_arena_value(a, res, r, 0),
            .book_id = db_arena_value(a, res, r, 1),
            .chapter_id = db_arena_value(a, res, r, 2),
            .page_index_start = atoi(PQgetvalue(res, r, 3)),
            .page_index_end = atoi(PQgetvalue(res, r, 4)),
        };
    *nout = (size_t)rows;
    PQclear(res);
    return DB_OK;
}
