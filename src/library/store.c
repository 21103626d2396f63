/*
 * One transaction per book; see store.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/books.h"
#include "db/db.h"
#include "db/pages.h"
#include "library/domains.h"
#include "library/embed.h"
#include "library/lexical.h"
#include "library/store.h"
#include "storage/storage.h"
#include "util/arena.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"

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
        struct chapter_in in;

        if (last < first)
            last = first;
        in.ordinal = i;
        in.number = ch->number;
        in.title = ch->title;
        in.page_start = d->pages[first].label;
        in.page_end = d->pages[last].label;
        in.page_index_start = first;
        in.page_index_end = last;
        if (chapter_insert(db, book_id, &in, ids[i]) != DB_OK)
            return false;
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
    ok = sections_put_book(db, book_id, s, d->n_headings, ids) == DB_OK;
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
    ok = pages_put_book(db, book_id, labels, texts, d->n_pages) == DB_OK
         && lexical_index_book(db, book_id, p, c->n);
    free(labels);
    free(texts);
    free(p);
    return ok;
}

/* Inserts the chunks EMBED_BATCH_MAX at a time, each batch one statement
 * (chunks_insert) already carrying its embeddings. */
static bool insert_chunks(struct db *db, const struct doc *d, const struct chunk_list *c,
                          const char *book_id, char (*chapter_ids)[37], char (*section_ids)[37])
{
    size_t dims = (size_t)db->cfg->embeddings_dimensions, i, j;
    float *vecs = xmalloc(EMBED_BATCH_MAX * dims * sizeof(*vecs));
    const char *texts[EMBED_BATCH_MAX];
    struct chunk_in rows[EMBED_BATCH_MAX];
    struct buf vec[EMBED_BATCH_MAX];
    char doms[EMBED_BATCH_MAX][160];
    bool ok = true;

    for (i = 0; i < c->n && ok; i += EMBED_BATCH_MAX) {
        size_t m = c->n - i < EMBED_BATCH_MAX ? c->n - i : EMBED_BATCH_MAX;

        for (j = 0; j < m; j++)
            texts[j] = c->items[i + j].text;
        if (!embed_texts(db->cfg, texts, m, vecs)) {
            ok = false;
            break;
        }
        for (j = 0; j < m; j++) {
            const struct chunk *k = &c->items[i + j];

            vec[j] = (struct buf)BUF_INIT;
            embed_vector_literal(&vec[j], vecs + j * dims, dims);
            domains_pg_array(k->domains, doms[j], sizeof(doms[j]));
            rows[j].ordinal = i + j;
            rows[j].chapter_id = k->chapter == CHUNK_NO_CHAPTER ? NULL : chapter_ids[k->chapter];
            rows[j].section_id = k->section == CHUNK_NO_SECTION ? NULL : section_ids[k->section];
            rows[j].text = k->text;
            rows[j].page_start = d->pages[k->page_first].label;
            rows[j].page_end = d->pages[k->page_last].label;
            rows[j].page_index_start = k->page_first;
            rows[j].page_index_end = k->page_last;
            rows[j].tokens = k->tokens;
            rows[j].domains = doms[j];
            rows[j].embedding = buf_str(&vec[j]);
        }
        ok = chunks_insert(db, book_id, rows, m) == DB_OK;
        for (j = 0; j < m; j++)
            buf_free(&vec[j]);
    }
    free(vecs);
    return ok;
}

enum ingest_outcome store_book(struct db *db, const struct doc *d, const struct chunk_list *c,
                               const char *sha256, const char *source_uri, bool replace,
                               char book_id[37], char *err, size_t errlen)
{
    struct buf authors = BUF_INIT;
    char(*chapter_ids)[37] = NULL, (*section_ids)[37] = NULL;
    struct book_in in;
    bool replaced = false;

    book_id[0] = '\0';
    if (!store_tx(db, "BEGIN"))
        goto failed;
    if (replace && book_delete_same(db, sha256, source_uri, &replaced) != DB_OK)
        goto rollback;
    db_text_array(&authors, (const char *const *)d->authors, d->n_authors);
    in.title = d->title;
    in.authors_literal = buf_str(&authors);
    in.edition = d->edition;
    in.isbn = d->isbn;
    in.sku = d->sku;
    in.product_url = d->product_url;
    in.source_uri = source_uri;
    in.sha256 = sha256;
    in.format = format_name(d->format);
    in.sample = d->sample;
    in.page_count = d->n_pages;
    switch (book_insert(db, &in, book_id)) {
    case DB_OK: break;
    case DB_CONFLICT: /* the same bytes are already stored */
        (void)store_tx(db, "ROLLBACK");
        buf_free(&authors);
        return INGEST_UNCHANGED;
    default: goto rollback;
    }
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
    if (!store_tx(db, "COMMIT"))
        goto failed;
    (void)library_analyze(db); /* statistics only: the book is stored */
    free(chapter_ids);
    free(section_ids);
    buf_free(&authors);
    return replaced ? INGEST_REPLACED : INGEST_NEW;

rollback:
    snprintf(err, errlen, "database error: %s", db->last_error);
rollback_keep_err:
    (void)store_tx(db, "ROLLBACK");
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

enum db_status store_remove_book(struct db *db, const char *id, const char *actor_id,
                                 const char *ip, int *uploads_deleted)
{
    struct arena a = ARENA_INIT;
    const char **locators;
    size_t n, i;
    enum db_status st = book_delete(db, &a, id, actor_id, ip, &locators, &n);

    *uploads_deleted = 0;
    for (i = 0; i < n; i++) {
        char why[256];

        if (storage_delete_locator(db->cfg, locators[i], why, sizeof(why)) == STORAGE_OK)
            (*uploads_deleted)++;
        else
            LOG_FIELDS(LOG_WARN, "book's upload not deleted", LF_STR("locator", locators[i]),
                       LF_STR("error", why));
    }
    arena_free(&a);
    return st;
}
