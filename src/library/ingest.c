/*
 * The ingestion pipeline; see ingest.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/books.h"
#include "db/db.h"
#include "library/domains.h"
#include "library/ingest.h"
#include "library/read.h"
#include "library/store.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/sha256.h"
#include "util/text.h"

#define MAX_TITLE_BYTES 500

const char *ingest_outcome_name(enum ingest_outcome o)
{
    switch (o) {
    case INGEST_NEW: return "ingested";
    case INGEST_UNCHANGED: return "unchanged";
    case INGEST_REPLACED: return "replaced";
    case INGEST_REFUSED: return "refused";
    case INGEST_FAILED: return "failed";
    }
    return "failed";
}

bool ingest_format_of(const char *name, enum doc_format *out)
{
    const char *dot = strrchr(name, '.');

    if (dot == NULL || strchr(dot, '/') != NULL)
        return false;
    if (strcasecmp(dot, ".pdf") == 0)
        *out = DOC_PDF;
    else if (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0)
        *out = DOC_MARKDOWN;
    else if (strcasecmp(dot, ".txt") == 0)
        *out = DOC_TEXT;
    else
        return false;
    return true;
}

/* Cuts *title to at most MAX_TITLE_BYTES on a UTF-8 boundary. */
static void clip_title(char *title)
{
    title[utf8_clip(title, MAX_TITLE_BYTES)] = '\0';
}

/* True when no PDF page of d holds more than max characters of text (0:
 * no limit); otherwise says which page does in err.  A printed page holds
 * a few thousand: tens of thousands on one page is a file built to make
 * thousands of chunks, not a book. */
static bool pages_fit(const struct doc *d, size_t max, char *err, size_t errlen)
{
    size_t i;

    if (max == 0 || d->format != DOC_PDF)
        return true;
    for (i = 0; i < d->n_pages; i++) {
        const char *t = d->pages[i].text;
        size_t k, chars = 0;
        for (k = 0; t[k] != '\0'; k++)
            chars += ((unsigned char)t[k] & 0xc0) != 0x80;
        if (chars > max) {
            snprintf(err, errlen,
                     "page %s holds %zu characters of text, more than a printed page can (%zu): "
                     "the file is probably not a book; nothing was stored",
                     d->pages[i].label, chars, max);
            return false;
        }
    }
    return true;
}

bool ingest_prepare(const char *data, size_t n, enum doc_format format,
                    const struct ingest_options *o, const char *fallback_title, struct doc *d,
                    struct chunk_list *c, char *err, size_t errlen)
{
    double sums[DOMAIN_COUNT] = {0}, s[DOMAIN_COUNT];
    unsigned fallback;
    size_t i, j;
    bool ok;

    memset(c, 0, sizeof(*c));
    ok = format == DOC_PDF ? read_pdf(data, n, d, err, errlen)
                           : read_markdown(data, n, format, d, err, errlen);
    if (!ok)
        return false;
    if (!pages_fit(d, o->max_page_chars, err, errlen)) {
        doc_free(d);
        return false;
    }
    if (o->title != NULL)
        doc_set(&d->title, o->title);
    if (d->title == NULL)
        doc_set(&d->title, fallback_title);
    if (d->title == NULL)
        d->title = xstrdup("Untitled");
    clip_title(d->title);
    if (o->authors != NULL)
        doc_set_authors(d, o->authors);
    if (o->isbn != NULL)
        doc_set(&d->isbn, o->isbn);
    if (o->sku != NULL)
        doc_set(&d->sku, o->sku);
    if (o->product_url != NULL)
        doc_set(&d->product_url, o->product_url);

    chunk_doc(d, NULL, c);
    if (c->n == 0) {
        snprintf(err, errlen, "no text to index after cleaning");
        doc_free(d);
        chunk_list_free(c);
        return false;
    }
    /* Chunks no lexicon term touches get the book's dominant domain. */
    for (i = 0; i < c->n; i++) {
        domains_score(c->items[i].text, s);
        for (j = 0; j < DOMAIN_COUNT; j++)
            sums[j] += s[j];
    }
    fallback = domains_best(sums);
    for (i = 0; i < c->n; i++)
        c->items[i].domains = domains_tag(c->items[i].text, fallback);
    return true;
}

enum ingest_outcome ingest_bytes(struct db *db, const char *data, size_t n, enum doc_format format,
                                 const char *name, const char *source_uri,
                                 const struct ingest_options *o, struct ingest_result *r)
{
    char sha[SHA256_HEX_LEN + 1], *stem;
    const char *base = strrchr(name, '/');
    struct doc d;
    struct chunk_list c;
    char *dot;

    memset(r, 0, sizeof(*r));
    if (!sha256_hex(data, n, sha)) {
        snprintf(r->error, sizeof(r->error), "could not hash the file");
        return r->outcome = INGEST_FAILED;
    }
    stem = xstrdup(base ? base + 1 : name);
    dot = strrchr(stem, '.');
    if (dot != NULL && dot != stem)
        *dot = '\0';
    if (!utf8_valid(stem, strlen(stem)))
        stem[0] = '\0';
    if (!ingest_prepare(data, n, format, o, stem, &d, &c, r->error, sizeof(r->error))) {
        free(stem);
        return r->outcome = INGEST_REFUSED;
    }
    free(stem);
    /* Domains by the model when one is configured (the lexicon's tags stay
     * for any batch it fails), but not for a file that is already in the
     * library and will not be replaced. */
    if (domains_model_wanted(db->cfg) && (o->replace || book_sha_known(db, sha) != DB_OK))
        r->model_tagged = domains_tag_model(db->cfg, &c);
    r->pages = d.n_pages;
    r->chapters = d.n_chapters;
    r->chunks = c.n;
    r->outcome =
        store_book(db, &d, &c, sha, source_uri, o->replace, r->book_id, r->error, sizeof(r->error));
    doc_free(&d);
    chunk_list_free(&c);
    return r->outcome;
}

enum ingest_outcome ingest_file(struct db *db, const char *path, const struct ingest_options *o,
                                struct ingest_result *r)
{
    struct buf b = BUF_INIT;
    char chunk[65536], *abs;
    enum doc_format format;
    enum ingest_outcome out;
    struct stat st;
    ssize_t got;
    int fd;

    memset(r, 0, sizeof(*r));
    if (!ingest_format_of(path, &format)) {
        snprintf(r->error, sizeof(r->error), "not a .pdf, .md, .markdown or .txt file");
        return r->outcome = INGEST_REFUSED;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(r->error, sizeof(r->error), "cannot read it: %s",
                 fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        return r->outcome = INGEST_REFUSED;
    }
    if ((uintmax_t)st.st_size > INGEST_MAX_BYTES) {
        close(fd);
        snprintf(r->error, sizeof(r->error), "larger than %u MiB", INGEST_MAX_BYTES >> 20);
        return r->outcome = INGEST_REFUSED;
    }
    while ((got = read(fd, chunk, sizeof(chunk))) > 0)
        buf_append(&b, chunk, (size_t)got);
    if (got < 0) {
        snprintf(r->error, sizeof(r->error), "cannot read it: %s", strerror(errno));
        close(fd);
        buf_free(&b);
        return r->outcome = INGEST_REFUSED;
    }
    close(fd);
    if (b.len == 0) {
        buf_free(&b);
        snprintf(r->error, sizeof(r->error), "the file is empty");
        return r->outcome = INGEST_REFUSED;
    }
    abs = realpath(path, NULL);
    out = ingest_bytes(db, b.data, b.len, format, path, abs ? abs : path, o, r);
    free(abs);
    buf_free(&b);
    return out;
}
