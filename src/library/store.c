/*
 * One transaction per book; see store.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/pages.h"
#include "library/domains.h"
#include "library/embed.h"
#include "library/lexical.h"
#include "library/store.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"

/* Appends a PostgreSQL array literal of strings (quoted, escaped) to b,
 * which must be empty. */
static void pg_text_array(struct buf *b, char *const *v, size_t n)
{
    size_t i;

    buf_putc(b, '{');
    for (i = 0; i < n; i++)
        db_array_elem(b, v[i]);
    buf_putc(b, '}');
}

static const char *format_name(enum doc_format f)
{
    return f == DOC_PDF ? "pdf" : f == DOC_MARKDOWN ? "markdown" : "text";
}

/* Inserts the chapters; ids[i] receives chapter i's id (37 bytes each). */
static bool insert_chapters(struct db *db, const struct doc *d, const char *book_id,
                            char (*ids)[37])
{
    size_t i;

    for (i = 0; i < d->n_chapters; i++) {
        const struct doc_chapter *ch = &d->chapters[i];
        size_t first = ch->page < d->n_pages ? ch->page : d->n_pages - 1;
        size_t last = doc_chapter_last_page(d, i);
        char ord[24], ps[24], pe[24];
        const char *params[8];
        PGresult *res;

        if (last < first)
            last = first;
        snprintf(ord, sizeof(ord), "%zu", i);
        snprintf(ps, sizeof(ps), "%zu", first);
        snprintf(pe, sizeof(pe), "%zu", last);
        params[0] = book_id;
        params[1] = ord;
        params[2] = ch->number;
        params[3] = ch->title;
        params[4] = d->pages[first].label;
        params[5] = d->pages[last].label;
        params[6] = ps;
        params[7] = pe;
        res = db_exec(db,
                      "INSERT INTO chapters (book_id, ordinal, number, title, page_start, page_end,"
                      " page_index_start, page_index_end)"
                      " VALUES ($1, $2::int, $3, $4, $5, $6, $7::int, $8::int) RETURNING id",
                      8, params, false);
        if (res == NULL)
            return false;
        snprintf(ids[i], 37, "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    return true;
}

/* Returns the index of the chapter holding (page, offset), or
 * CHUNK_NO_CHAPTER when it comes before the first chapter. */
static size_t chapter_at(const struct doc *d, size_t page, size_t offset)
{
    size_t i, found = CHUNK_NO_CHAPTER;

    for (i = 0; i < d->n_chapters; i++)
        if (d->chapters[i].page < page
            || (d->chapters[i].page == page && d->chapters[i].offset <= offset))
            found = i;
    return found;
}

/* Inserts the section headings; ids[i] receives heading i's id. */
static bool insert_sections(struct db *db, const struct doc *d, const char *book_id,
                            char (*chapter_ids)[37], char (*ids)[37])
{
    struct section_in *s = xcalloc(d->n_headings ? d->n_headings : 1, sizeof(*s));
    size_t i;
    bool ok;

    for (i = 0; i < d->n_headings; i++) {
        const struct doc_heading *h = &d->headings[i];
        size_t ch = chapter_at(d, h->page, h->offset);
        size_t page = h->page < d->n_pages ? h->page : d->n_pages - 1;
        s[i].chapter_id = ch == CHUNK_NO_CHAPTER ? NULL : chapter_ids[ch];
        s[i].title = h->title;
        s[i].level = h->level;
        s[i].page_label = d->pages[page].label;
        s[i].page_index = (int)page;
    }
    ok = sections_put_book(db, book_id, s, d->n_headings, ids);
    free(s);
    return ok;
}

/* Writes the printed pages and the lexical index of the book. */
static bool insert_pages_and_postings(struct db *db, const struct doc *d,
                                      const struct chunk_list *c, const char *book_id)
{
    const char **labels = xcalloc(d->n_pages ? d->n_pages : 1, sizeof(*labels));
    const char **texts = xcalloc(d->n_pages ? d->n_pages : 1, sizeof(*texts));
    struct lexical_passage *p = xcalloc(c->n ? c->n : 1, sizeof(*p));
    size_t i;
    bool ok;

    for (i = 0; i < d->n_pages; i++) {
        labels[i] = d->pages[i].label;
        texts[i] = d->pages[i].text;
    }
    for (i = 0; i < c->n; i++) {
        const struct chunk *k = &c->items[i];
        p[i].ordinal = (uint32_t)i;
        p[i].text = k->text;
        p[i].section = k->section == CHUNK_NO_SECTION ? NULL : d->headings[k->section].title;
        p[i].chapter = k->chapter == CHUNK_NO_CHAPTER ? NULL : d->chapters[k->chapter].title;
        p[i].domains = k->domains;
    }
    ok = pages_put_book(db, book_id, labels, texts, d->n_pages)
         && lexical_index_book(db, book_id, p, c->n);
    free(labels);
    free(texts);
    free(p);
    return ok;
}

/* Inserts the chunks EMBED_BATCH_MAX at a time, each batch one statement
 * over unnest()ed arrays and already carrying its embeddings: a row is
 * written once, its tsvector computed once, the GIN index touched once. */
static bool insert_chunks(struct db *db, const struct doc *d, const struct chunk_list *c,
                          const char *book_id, char (*chapter_ids)[37], char (*section_ids)[37])
{
    size_t dims = (size_t)db->cfg->embeddings_dimensions, i, j;
    float *vecs = xmalloc(EMBED_BATCH_MAX * dims * sizeof(*vecs));
    const char *texts[EMBED_BATCH_MAX];
    bool ok = true;

    for (i = 0; i < c->n && ok; i += EMBED_BATCH_MAX) {
        size_t m = c->n - i < EMBED_BATCH_MAX ? c->n - i : EMBED_BATCH_MAX;
        struct buf cols[11];
        const char *params[12];

        for (j = 0; j < m; j++)
            texts[j] = c->items[i + j].text;
        if (!embed_texts(db->cfg, texts, m, vecs)) {
            ok = false;
            break;
        }
        for (j = 0; j < 11; j++) {
            cols[j] = (struct buf)BUF_INIT;
            buf_putc(&cols[j], '{');
        }
        for (j = 0; j < m; j++) {
            const struct chunk *k = &c->items[i + j];
            char num[24], doms[160];
            struct buf vec = BUF_INIT;

            snprintf(num, sizeof(num), "%zu", i + j);
            db_array_elem(&cols[0], num);
            db_array_elem(&cols[1],
                          k->chapter == CHUNK_NO_CHAPTER ? NULL : chapter_ids[k->chapter]);
            db_array_elem(&cols[2], k->text);
            db_array_elem(&cols[3], d->pages[k->page_first].label);
            db_array_elem(&cols[4], d->pages[k->page_last].label);
            snprintf(num, sizeof(num), "%zu", k->page_first);
            db_array_elem(&cols[5], num);
            snprintf(num, sizeof(num), "%zu", k->page_last);
            db_array_elem(&cols[6], num);
            snprintf(num, sizeof(num), "%zu", k->tokens);
            db_array_elem(&cols[7], num);
            domains_pg_array(k->domains, doms, sizeof(doms));
            db_array_elem(&cols[8], doms);
            embed_vector_literal(&vec, vecs + j * dims, dims);
            db_array_elem(&cols[9], buf_str(&vec));
            db_array_elem(&cols[10],
                          k->section == CHUNK_NO_SECTION ? NULL : section_ids[k->section]);
            buf_free(&vec);
        }
        params[0] = book_id;
        for (j = 0; j < 11; j++) {
            buf_putc(&cols[j], '}');
            params[j + 1] = buf_str(&cols[j]);
        }
        ok = db_command(
            db,
            "INSERT INTO chunks (book_id, ordinal, chapter_id, text, page_start, page_end,"
            " page_index_start, page_index_end, token_count, domains, embedding, section_id)"
            " SELECT $1, u.o, u.ch, u.t, u.ps, u.pe, u.pis, u.pie, u.tok, u.d::text[],"
            "   u.e::vector, u.s"
            " FROM unnest($2::int[], $3::uuid[], $4::text[], $5::text[], $6::text[],"
            "   $7::int[], $8::int[], $9::int[], $10::text[], $11::text[], $12::uuid[])"
            "   AS u(o, ch, t, ps, pe, pis, pie, tok, d, e, s)",
            12, params);
        for (j = 0; j < 11; j++)
            buf_free(&cols[j]);
    }
    free(vecs);
    return ok;
}

enum ingest_outcome store_book(struct db *db, const struct doc *d, const struct chunk_list *c,
                               const char *sha256, const char *source_uri, bool replace,
                               char book_id[37], char *err, size_t errlen)
{
    struct buf authors = BUF_INIT;
    char pages[24], (*chapter_ids)[37] = NULL, (*section_ids)[37] = NULL;
    const char *params[11];
    PGresult *res;
    bool replaced = false;

    book_id[0] = '\0';
    if (!db_command(db, "BEGIN", 0, NULL))
        goto failed;
    if (replace) {
        params[0] = sha256;
        params[1] = source_uri;
        res = db_exec(db, "DELETE FROM books WHERE sha256 = $1 OR source_uri = $2 RETURNING id", 2,
                      params, false);
        if (res == NULL)
            goto rollback;
        replaced = PQntuples(res) > 0;
        PQclear(res);
    }
    pg_text_array(&authors, d->authors, d->n_authors);
    snprintf(pages, sizeof(pages), "%zu", d->n_pages);
    params[0] = d->title;
    params[1] = buf_str(&authors);
    params[2] = d->edition;
    params[3] = d->isbn;
    params[4] = d->sku;
    params[5] = d->product_url;
    params[6] = source_uri;
    params[7] = sha256;
    params[8] = format_name(d->format);
    params[9] = d->sample ? "true" : "false";
    params[10] = pages;
    res = db_exec(db,
                  "INSERT INTO books (title, authors, edition, isbn, sku, product_url, source_uri,"
                  " sha256, format, sample, page_count)"
                  " VALUES ($1, $2::text[], $3, $4, $5, $6, $7, $8, $9, $10::boolean, $11::int)"
                  " ON CONFLICT (sha256) DO NOTHING RETURNING id",
                  11, params, false);
    if (res == NULL)
        goto rollback;
    if (PQntuples(res) == 0) {
        /* The same bytes are already stored. */
        PQclear(res);
        res = db_exec(db, "SELECT id FROM books WHERE sha256 = $1", 1, params + 7, false);
        if (res == NULL || PQntuples(res) != 1) {
            PQclear(res);
            goto rollback;
        }
        snprintf(book_id, 37, "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
        (void)db_command(db, "ROLLBACK", 0, NULL);
        buf_free(&authors);
        return INGEST_UNCHANGED;
    }
    snprintf(book_id, 37, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    chapter_ids = xcalloc(d->n_chapters ? d->n_chapters : 1, sizeof(*chapter_ids));
    section_ids = xcalloc(d->n_headings ? d->n_headings : 1, sizeof(*section_ids));
    if (!insert_chapters(db, d, book_id, chapter_ids)
        || !insert_sections(db, d, book_id, chapter_ids, section_ids)
        || !insert_chunks(db, d, c, book_id, chapter_ids, section_ids)
        || !insert_pages_and_postings(db, d, c, book_id))
        goto rollback;
    if (!library_embed_book(db, db->cfg, book_id)) {
        snprintf(err, errlen, "computing the embeddings failed (see the log)");
        goto rollback_keep_err;
    }
    if (!db_command(db, "COMMIT", 0, NULL))
        goto failed;
    (void)library_analyze(db); /* statistics only: the book is stored */
    free(chapter_ids);
    free(section_ids);
    buf_free(&authors);
    return replaced ? INGEST_REPLACED : INGEST_NEW;

rollback:
    snprintf(err, errlen, "database error: %s", db->last_error);
rollback_keep_err:
    (void)db_command(db, "ROLLBACK", 0, NULL);
    free(chapter_ids);
    free(section_ids);
    buf_free(&authors);
    book_id[0] = '\0';
    return INGEST_FAILED;
failed:
    snprintf(err, errlen, "database error: %s", db->last_error);
    free(chapter_ids);
    free(section_ids);
    buf_free(&authors);
    book_id[0] = '\0';
    return INGEST_FAILED;
}

int store_remove_book(struct db *db, const char *id)
{
    const char *params[1] = {id};
    PGresult *res =
        db_exec(db, "DELETE FROM books WHERE id = $1::uuid RETURNING id", 1, params, false);
    int n;

    if (res == NULL)
        return -1;
    n = PQntuples(res);
    PQclear(res);
    return n > 0 ? 1 : 0;
}
