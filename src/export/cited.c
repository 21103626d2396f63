/*
 * The cited page; see cited.h.
 *
 * Cache keys (exports store, indexed in page_cache for the sweep):
 *   pages/<book sha256>/p<index>.json               {"label","text"} of a page
 *   pages/<book sha256>/p<index>-w<width>-<q>.png   the image; q: the quote's
 *                                                   SHA-256, 16 hex digits
 * The book's content hash names the pages, so a re-ingested identical
 * file finds them again and a changed one never does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/citepage.h"
#include "export/cited.h"
#include "export/export.h"
#include "export/make.h"
#include "library/ingest.h"
#include "storage/storage.h"
#include "util/bounded.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/sha256.h"

#define PAGE_JSON_MAX (4u * 1024 * 1024)
#define PNG_MAX (24u * 1024 * 1024)

/* ---- work done in the child ---------------------------------------------- */

struct texts_job {
    const char *data;
    size_t n;
    const char *format;
    int first, last;
};

/* Child: the pages' texts as a JSON array of {"label","text"}. */
static bool texts_child(void *ctx, struct buf *out)
{
    const struct texts_job *j = ctx;
    struct page_text pages[PAGE_MAX_RANGE];
    struct arena a = ARENA_INIT;
    char err[256];
    json_object *arr;
    int i;

    if (!page_texts(j->data, j->n, j->format, j->first, j->last, &a, pages, err, sizeof(err))) {
        buf_puts(out, err);
        return false;
    }
    arr = json_object_new_array();
    for (i = 0; i <= j->last - j->first; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "label", json_object_new_string(pages[i].label));
        json_object_object_add(o, "text", json_object_new_string(pages[i].text));
        json_object_array_add(arr, o);
    }
    buf_puts(out, json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
    return true;
}

struct png_job {
    const char *data; /* a PDF's bytes, or NULL: draw text */
    size_t n;
    int index;
    const char *text, *heading, *label, *quote;
    int width;
};

static bool png_child(void *ctx, struct buf *out)
{
    const struct png_job *j = ctx;
    struct buf png = BUF_INIT;
    char err[256] = "";
    bool found, ok;

    ok = j->data != NULL ? page_png_pdf(j->data, j->n, j->index, j->quote, j->width, &png, &found,
                                        err, sizeof(err))
                         : page_png_text(j->text, j->heading, j->label, j->quote, j->width, &png,
                                         &found, err, sizeof(err));
    if (ok)
        buf_append(out, png.data, png.len);
    else
        buf_puts(out, err);
    buf_free(&png);
    return ok;
}

/* Runs fn in a child with the time budget; maps the outcome. */
static enum cited_status run(const struct config *cfg, bool (*fn)(void *, struct buf *), void *ctx,
                             size_t limit, struct buf *out, const char *what)
{
    size_t start = out->len;

    switch (bounded_run(fn, ctx, (long)cfg->page_render_ms, limit, out)) {
    case BOUNDED_OK: return CITED_OK;
    case BOUNDED_TIMEOUT:
        LOG_FIELDS(LOG_WARN, "cited page: over the time budget", LF_STR("what", what),
                   LF_INT("budget_ms", cfg->page_render_ms));
        return CITED_TIMEOUT;
    case BOUNDED_FAILED:
        LOG_FIELDS(LOG_WARN, "cited page: rendering failed", LF_STR("what", what),
                   LF_STR("error", out->len > start ? out->data + start : "the child died"));
        break;
    case BOUNDED_ERROR: break;
    }
    out->len = start;
    if (out->data != NULL)
        out->data[start] = '\0';
    return CITED_FAILED;
}

/* ---- the book and the cache ------------------------------------------------ */

/* Reads the book's stored file into out; false (the reason logged at
 * debug level: a missing file is an expected state) when it cannot. */
static bool book_bytes(const struct config *cfg, const struct cite_source *src, struct buf *out)
{
    struct storage *st;
    const char *key = NULL;
    enum storage_status s;
    char err[256];

    if (src->source_uri == NULL)
        return false;
    st = storage_open_locator(cfg, src->source_uri, &key, err, sizeof(err));
    if (st == NULL) {
        LOG_FIELDS(LOG_INFO, "cited page: the book's file cannot be named",
                   LF_STR("book_id", src->book_id), LF_STR("error", err));
        return false;
    }
    s = storage_get_buf(st, key, out, INGEST_MAX_BYTES);
    storage_close(st);
    if (s != STORAGE_OK)
        LOG_FIELDS(LOG_INFO, "cited page: the book's file cannot be read",
                   LF_STR("book_id", src->book_id), LF_STR("error", storage_strerror(s)));
    return s == STORAGE_OK;
}

static bool cache_get(const struct config *cfg, const char *key, struct buf *out, size_t limit)
{
    struct storage *st = export_store(cfg);

    return st != NULL && storage_get_buf(st, key, out, limit) == STORAGE_OK;
}

static void cache_put(struct db *db, const struct config *cfg, const char *key, const char *book_id,
                      const void *data, size_t n, const char *type)
{
    struct storage *st = export_store(cfg);
    enum storage_status s;

    if (st == NULL)
        return;
    /* the index first: an object never exists unknown to the sweep */
    if (pcache_note(db, key, book_id) != DB_OK)
        return;
    s = storage_put_mem(st, key, data, n, type);
    if (s != STORAGE_OK)
        log_warn("cited page: could not cache %s: %s", key, storage_strerror(s));
}

/* ---- opening a citation -------------------------------------------------------- */

static const char *str_member(json_object *o, const char *key)
{
    json_object *v;

    if (o == NULL || !json_object_object_get_ex(o, key, &v))
        return NULL;
    if (json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    if (json_object_is_type(v, json_type_int))
        return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
    return NULL;
}

/* The passage stands in for the pages. */
static void as_passage(struct cited *c, json_object *cit, struct arena *a, const char *notice)
{
    json_object *pages = NULL;
    const char *start, *end, *context = str_member(cit, "context");

    json_object_object_get_ex(cit, "pages", &pages);
    start = str_member(pages, "start");
    end = str_member(pages, "end");
    c->source = "passage";
    c->notice = notice;
    c->pages = arena_alloc(a, sizeof(*c->pages));
    c->npages = 1;
    c->pages[0].label = start == NULL ? ""
                        : end != NULL && strcmp(start, end) != 0
                            ? arena_printf(a, "%s-%s", start, end)
                            : arena_strdup(a, start);
    c->pages[0].text = arena_strdup(a, context != NULL && context[0] ? context : c->quote);
}

/* Reads the page texts from the cache; true when every page was there. */
static bool texts_from_cache(const struct config *cfg, struct cited *c, struct arena *a)
{
    int i, count = c->src.page_last - c->src.page_first + 1;

    c->pages = arena_alloc(a, (size_t)count * sizeof(*c->pages));
    for (i = 0; i < count; i++) {
        struct buf b = BUF_INIT;
        char key[128];
        json_object *o;
        const char *label, *text;

        snprintf(key, sizeof(key), "pages/%s/p%d.json", c->src.sha256, c->src.page_first + i);
        if (!cache_get(cfg, key, &b, PAGE_JSON_MAX)) {
            buf_free(&b);
            return false;
        }
        o = json_tokener_parse(buf_str(&b));
        buf_free(&b);
        label = str_member(o, "label");
        text = str_member(o, "text");
        if (label == NULL || text == NULL) {
            json_object_put(o);
            return false;
        }
        c->pages[i].label = arena_strdup(a, label);
        c->pages[i].text = arena_strdup(a, text);
        json_object_put(o);
    }
    c->npages = (size_t)count;
    return true;
}

/* Reads the page texts from the book's file (and caches them). */
static enum cited_status texts_from_book(struct db *db, const struct config *cfg, struct cited *c,
                                         struct arena *a, bool *missing)
{
    struct buf bytes = BUF_INIT, out = BUF_INIT;
    struct texts_job j;
    enum cited_status st;
    json_object *arr;
    size_t i, count;

    *missing = false;
    if (!book_bytes(cfg, &c->src, &bytes)) {
        buf_free(&bytes);
        *missing = true;
        return CITED_FAILED;
    }
    j.data = bytes.data;
    j.n = bytes.len;
    j.format = c->src.format;
    j.first = c->src.page_first;
    j.last = c->src.page_last;
    st = run(cfg, texts_child, &j, PAGE_JSON_MAX * PAGE_MAX_RANGE, &out, "page texts");
    buf_free(&bytes);
    if (st != CITED_OK) {
        buf_free(&out);
        *missing = st == CITED_FAILED; /* a file the readers refuse is as good as gone */
        return st;
    }
    arr = json_tokener_parse(buf_str(&out));
    buf_free(&out);
    count = arr != NULL && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr)
                                                                     : 0;
    if (count == 0) {
        json_object_put(arr);
        return CITED_FAILED;
    }
    c->pages = arena_alloc(a, count * sizeof(*c->pages));
    for (i = 0; i < count; i++) {
        json_object *o = json_object_array_get_idx(arr, i);
        char key[128];
        const char *label = str_member(o, "label"), *text = str_member(o, "text"), *one;

        c->pages[i].label = arena_strdup(a, label ? label : "");
        c->pages[i].text = arena_strdup(a, text ? text : "");
        one = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        snprintf(key, sizeof(key), "pages/%s/p%d.json", c->src.sha256, c->src.page_first + (int)i);
        cache_put(db, cfg, key, c->src.book_id, one, strlen(one), "application/json");
    }
    c->npages = count;
    json_object_put(arr);
    return CITED_OK;
}

enum cited_status cited_open(struct db *db, const struct config *cfg, const char *message_id, int n,
                             const struct exp_viewer *v, struct arena *a, struct cited *out)
{
    json_object *cit, *book = NULL;
    struct buf label = BUF_INIT;
    const char *quote, *title;
    enum cited_status st = CITED_OK;
    bool missing = false;

    memset(out, 0, sizeof(*out));
    switch (cite_find(db, message_id, n, v, a, &out->src)) {
    case DB_OK: break;
    case DB_NOT_FOUND: return CITED_NOT_FOUND;
    default: return CITED_DB_ERROR;
    }
    cit = json_tokener_parse(out->src.citation_json);
    if (cit == NULL || !json_object_is_type(cit, json_type_object)) {
        json_object_put(cit);
        return CITED_NOT_FOUND;
    }
    out->n = n;
    export_citation_label(&label, cit);
    out->label = arena_strdup(a, buf_str(&label));
    buf_free(&label);
    quote = str_member(cit, "quote");
    out->quote = arena_strdup(a, quote ? quote : "");
    json_object_object_get_ex(cit, "book", &book);
    title = out->src.has_book ? out->src.book_title : str_member(book, "title");
    out->book_title = arena_strdup(a, title ? title : "");

    if (!out->src.has_book) {
        as_passage(out, cit, a,
                   "This book is no longer in the library, so the quoted passage "
                   "is shown as the answer saved it.");
    } else if (out->src.page_first < 0 || out->src.page_last < out->src.page_first
               || out->src.page_last - out->src.page_first >= PAGE_MAX_RANGE) {
        as_passage(out, cit, a,
                   "The cited pages could not be told apart, so the quoted passage "
                   "is shown instead.");
    } else {
        out->source = strcmp(out->src.format, "pdf") == 0 ? "pdf" : "text";
        if (!texts_from_cache(cfg, out, a)) {
            st = texts_from_book(db, cfg, out, a, &missing);
            if (missing) {
                as_passage(out, cit, a,
                           "The book's file is no longer available, so the quoted "
                           "passage is shown as the answer saved it.");
                st = CITED_OK;
            }
        }
    }
    json_object_put(cit);
    return st;
}

/* ---- drawing a page ---------------------------------------------------------------- */

enum cited_status cited_png(struct db *db, const struct config *cfg, const struct cited *c,
                            size_t k, int width, struct buf *png)
{
    struct png_job j;
    struct buf bytes = BUF_INIT;
    char key[160], qhash[SHA256_HEX_LEN + 1], label[96];
    bool pdf = strcmp(c->source, "pdf") == 0, passage = strcmp(c->source, "passage") == 0;
    enum cited_status st;
    size_t start = png->len;

    if (k >= c->npages)
        return CITED_BAD_PAGE;
    if (width < PAGE_MIN_WIDTH || width > PAGE_MAX_WIDTH
        || !sha256_hex(c->quote, strlen(c->quote), qhash))
        return CITED_FAILED;
    snprintf(key, sizeof(key), "pages/%s/p%d-w%d-%.16s.png", c->src.sha256,
             c->src.page_first + (int)k, width, qhash);
    if (!passage && cache_get(cfg, key, png, PNG_MAX))
        return CITED_OK;
    png->len = start;
    memset(&j, 0, sizeof(j));
    j.width = width;
    j.quote = c->quote;
    j.index = c->src.page_first + (int)k;
    j.text = c->pages[k].text;
    j.heading = c->book_title;
    snprintf(label, sizeof(label), "%s%.80s", passage ? "Pages " : "Page ", c->pages[k].label);
    if (passage && strchr(c->pages[k].label, '-') == NULL)
        snprintf(label, sizeof(label), "Page %.80s", c->pages[k].label);
    j.label = c->pages[k].label[0] ? label : NULL;
    if (pdf && book_bytes(cfg, &c->src, &bytes)) {
        j.data = bytes.data;
        j.n = bytes.len;
    } else if (pdf) {
        /* the file went since the texts were cached: draw the page's text */
        passage = true;
    }
    st = run(cfg, png_child, &j, PNG_MAX, png, pdf && !passage ? "pdf page" : "text page");
    buf_free(&bytes);
    if (st == CITED_OK && !passage)
        cache_put(db, cfg, key, c->src.book_id, png->data + start, png->len - start, "image/png");
    return st;
}
