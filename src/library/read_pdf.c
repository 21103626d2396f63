/*
 * PDF books through poppler-glib; see read.h.
 *
 * Text comes per page from poppler_page_get_text (reading order, one line
 * per text line).  Paragraph breaks are inferred: a line that ends a
 * sentence and is clearly shorter than the page's full lines ends a
 * paragraph.  Labels come from the page-label tree (so front matter
 * i, ii, ... does not shift the body's numbers); a page without one is
 * labelled by its 1-based position.  Chapters are the outline's top-level
 * entries that point at a page.
 */
#include "config.h"

#include <ctype.h>
#include <glib.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library/clean.h"
#include "library/read.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/text.h"

char *read_pdf_space_gaps(const char *text, const struct pdf_box *box, size_t n)
{
    struct buf out = BUF_INIT;
    const char *p = text;
    unsigned prev = 0;
    size_t i = 0;

    while (*p != '\0') {
        size_t len = utf8_sequence_length(p, strlen(p));
        unsigned c = (unsigned char)*p;

        if (len == 0)
            len = 1;
        if (i > 0 && i < n && prev != 0 && !isspace((int)prev) && !isspace((int)c)) {
            double gap = box[i].x1 - box[i - 1].x2, w = box[i - 1].x2 - box[i - 1].x1;
            bool same_line = box[i].y1 < box[i - 1].y2 && box[i - 1].y1 < box[i].y2;
            if (same_line && gap > 2.0 && gap > 0.6 * w)
                buf_putc(&out, ' ');
        }
        buf_append(&out, p, len);
        prev = c;
        p += len;
        i++;
    }
    return buf_steal(&out);
}

/* The page's text with read_pdf_space_gaps() applied (g_malloc'd; text,
 * which poppler_page_get_text() returned, is freed). */
static char *space_gaps(PopplerPage *pg, char *text)
{
    PopplerRectangle *r = NULL;
    struct pdf_box *box;
    guint n = 0, i;
    char *spaced, *out;

    if (text == NULL || !poppler_page_get_text_layout(pg, &r, &n)
        || (glong)n != g_utf8_strlen(text, -1)) {
        g_free(r);
        return text;
    }
    box = xmalloc((n ? n : 1) * sizeof(*box));
    for (i = 0; i < n; i++)
        box[i] = (struct pdf_box){r[i].x1, r[i].y1, r[i].x2, r[i].y2};
    spaced = read_pdf_space_gaps(text, box, n);
    out = g_strdup(spaced);
    free(spaced);
    free(box);
    g_free(r);
    g_free(text);
    return out;
}

/* Rewrites poppler's page text with blank lines between paragraphs. */
static char *paragraphs(const char *text)
{
    struct buf b = BUF_INIT;
    size_t lens[4096], nlines = 0, full = 0, i;
    const char *s = text;

    /* The page's full line length: the longest of its lines, ignoring
     * extreme outliers by taking the second longest when there are many. */
    while (*s != '\0' && nlines < sizeof(lens) / sizeof(lens[0])) {
        const char *nl = strchr(s, '\n');
        size_t l = nl ? (size_t)(nl - s) : strlen(s);

        lens[nlines++] = l;
        s += l + (nl ? 1 : 0);
    }
    for (i = 0; i < nlines; i++)
        if (lens[i] > full)
            full = lens[i];
    s = text;
    for (i = 0; *s != '\0'; i++) {
        const char *nl = strchr(s, '\n');
        size_t l = nl ? (size_t)(nl - s) : strlen(s), t = l;

        buf_append(&b, s, l);
        while (t > 0 && (s[t - 1] == ' ' || s[t - 1] == '\r'))
            t--;
        if (nl != NULL) {
            bool ends = t > 0 && strchr(".!?:\"", s[t - 1]) != NULL;
            /* UTF-8 right double quote. */
            if (t >= 3 && memcmp(s + t - 3, "\xe2\x80\x9d", 3) == 0)
                ends = true;
            buf_puts(&b, ends && full > 40 && t * 10 < full * 8 ? "\n\n" : "\n");
        }
        s += l + (nl ? 1 : 0);
    }
    return buf_steal(&b);
}

/* An outline entry that leads to a page: its title (g_malloc'd) and
 * 1-based page, or NULL. */
static char *outline_entry(PopplerDocument *pd, PopplerIndexIter *it, int *page)
{
    PopplerAction *a = poppler_index_iter_get_action(it);
    PopplerDest *found = NULL;
    char *title = NULL;

    *page = -1;
    if (a != NULL && a->type == POPPLER_ACTION_GOTO_DEST && a->goto_dest.dest != NULL) {
        PopplerDest *dest = a->goto_dest.dest;
        if (dest->type == POPPLER_DEST_NAMED) {
            found = poppler_document_find_dest(pd, dest->named_dest);
            if (found != NULL)
                *page = found->page_num;
        } else {
            *page = dest->page_num;
        }
    }
    if (a != NULL && *page >= 1 && a->any.title != NULL && a->any.title[0] != '\0'
        && utf8_valid(a->any.title, strlen(a->any.title)))
        title = g_strdup(a->any.title);
    if (found != NULL)
        poppler_dest_free(found);
    if (a != NULL)
        poppler_action_free(a);
    return title;
}

/* One outline heading below the top level, to place after cleanup. */
struct pending_heading {
    char *title; /* g_malloc'd */
    size_t page; /* index */
};

struct pending {
    struct pending_heading *v;
    size_t n, cap;
};

/* Adds the outline's top-level entries that lead to a page as chapters,
 * and collects their children (the sections) into sections. */
static void outline_chapters(PopplerDocument *pd, struct doc *d, struct pending *sections)
{
    PopplerIndexIter *it = poppler_index_iter_new(pd);

    if (it == NULL)
        return;
    do {
        int page;
        char *t = outline_entry(pd, it, &page);
        PopplerIndexIter *child;

        if (t != NULL && (size_t)page <= d->n_pages) {
            char *number = NULL, *title = NULL;

            (void)doc_parse_heading(t, &number, &title);
            doc_add_chapter(d, number, title, (size_t)page - 1, 0);
            free(number);
            free(title);
        }
        g_free(t);
        child = poppler_index_iter_get_child(it);
        if (child != NULL) {
            do {
                char *ct = outline_entry(pd, child, &page);
                if (ct != NULL && (size_t)page <= d->n_pages) {
                    if (sections->n == sections->cap) {
                        sections->cap = sections->cap ? sections->cap * 2 : 32;
                        sections->v = xrealloc(sections->v, sections->cap * sizeof(*sections->v));
                    }
                    sections->v[sections->n].title = ct;
                    sections->v[sections->n++].page = (size_t)page - 1;
                } else {
                    g_free(ct);
                }
            } while (poppler_index_iter_next(child));
            poppler_index_iter_free(child);
        }
    } while (poppler_index_iter_next(it));
    poppler_index_iter_free(it);
}

/* Returns the length of the match of title at text + at, a line start:
 * the title's words in order, any run of white space in either matching
 * any run (a heading may wrap), ASCII case ignored, the match ending at
 * the end of a line; 0 when it does not match. */
static size_t heading_match(const char *text, size_t at, const char *title)
{
    const char *p = text + at, *t = title;

    while (*t == ' ')
        t++;
    while (*t != '\0') {
        if (*t == ' ' || *t == '\t') {
            if (*p != ' ' && *p != '\n' && *p != '\t')
                return 0;
            while (*t == ' ' || *t == '\t')
                t++;
            while (*p == ' ' || *p == '\n' || *p == '\t')
                p++;
            continue;
        }
        if (tolower((unsigned char)*p) != tolower((unsigned char)*t))
            return 0;
        p++;
        t++;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    return *p == '\n' || *p == '\0' ? (size_t)(p - (text + at)) : 0;
}

/* Inserts s at offset at of a page's text. */
static void page_insert(struct doc_page *pg, size_t at, const char *s)
{
    size_t len = strlen(pg->text), n = strlen(s);

    pg->text = xrealloc(pg->text, len + n + 1);
    memmove(pg->text + at + n, pg->text + at, len - at + 1);
    memcpy(pg->text + at, s, n);
}

/* Makes the line at [at, at + n) of page pg its own paragraph (a blank
 * line before and after it, so it is never glued to a sentence) and
 * returns its new offset. */
static size_t own_paragraph(struct doc_page *pg, size_t at, size_t n)
{
    const char *t = pg->text;

    if (t[at + n] == '\n' && t[at + n + 1] != '\n' && t[at + n + 1] != '\0')
        page_insert(pg, at + n + 1, "\n");
    if (at >= 1 && (at < 2 || pg->text[at - 2] != '\n')) {
        page_insert(pg, at, "\n");
        at++;
    }
    return at;
}

/* Finds title on page index page (the first line that matches at or after
 * from), makes it its own paragraph and returns its offset; (size_t)-1
 * when it is not on the page. */
static size_t place_heading(struct doc *d, size_t page, const char *title, size_t from)
{
    struct doc_page *pg = &d->pages[page];
    size_t at = from, n;

    while (pg->text[at] != '\0') {
        if ((at == 0 || pg->text[at - 1] == '\n') && (n = heading_match(pg->text, at, title)) > 0)
            return own_paragraph(pg, at, n);
        at++;
    }
    return (size_t)-1;
}

/* After cleanup: the outline's sections become the doc's headings, each
 * where its line is on its page (the page start when it cannot be found),
 * and chapter titles found on their first page become paragraphs of their
 * own too. */
static void place_headings(struct doc *d, struct pending *sections)
{
    size_t i, last_page = (size_t)-1, last_at = 0;

    for (i = 0; i < d->n_chapters; i++)
        if (d->chapters[i].offset == 0)
            (void)place_heading(d, d->chapters[i].page, d->chapters[i].title, 0);
    for (i = 0; i < sections->n; i++) {
        const struct pending_heading *h = &sections->v[i];
        size_t from = h->page == last_page ? last_at : 0, at;

        at = place_heading(d, h->page, h->title, from);
        if (at == (size_t)-1)
            at = from;
        doc_add_heading(d, h->title, 2, h->page, at);
        last_page = h->page;
        last_at = at;
        g_free(h->title);
    }
    free(sections->v);
}

/* Opens data (n bytes) as a PDF with at least one page: the document
 * (owned by the caller, g_object_unref) and its page count in *pages, or
 * NULL with err set. */
static PopplerDocument *open_pdf(const char *data, size_t n, int *pages, char *err, size_t errlen)
{
    GBytes *bytes;
    GError *gerr = NULL;
    PopplerDocument *pd;

    if (n < 5 || memcmp(data, "%PDF-", 5) != 0) {
        snprintf(err, errlen, "not a PDF file (no %%PDF- header)");
        return NULL;
    }
    bytes = g_bytes_new(data, n);
    pd = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    g_bytes_unref(bytes);
    if (pd == NULL) {
        if (gerr != NULL && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
            snprintf(err, errlen,
                     "the PDF is encrypted (password-protected); "
                     "give us an unprotected copy");
        else
            snprintf(err, errlen, "the PDF is damaged or unreadable (%s)",
                     gerr && gerr->message ? gerr->message : "poppler could not open it");
        if (gerr != NULL)
            g_error_free(gerr);
        return NULL;
    }
    if ((*pages = poppler_document_get_n_pages(pd)) <= 0) {
        snprintf(err, errlen, "the PDF has no pages");
        g_object_unref(pd);
        return NULL;
    }
    return pd;
}

/* Adds page i of pd to d, labelled from the page-label tree (else i + 1);
 * returns true when its text is not blank. */
static bool read_page(PopplerDocument *pd, int i, struct doc *d)
{
    PopplerPage *pg = poppler_document_get_page(pd, i);
    char *text = pg ? poppler_page_get_text(pg) : NULL;   /* g_malloc'd, freed here */
    char *label = pg ? poppler_page_get_label(pg) : NULL; /* g_malloc'd, freed here */
    char fallback[24], *para;
    const char *lab = label;
    bool any_text = false;
    size_t k;

    if (lab == NULL || lab[0] == '\0' || strlen(lab) > 32) {
        snprintf(fallback, sizeof(fallback), "%d", i + 1);
        lab = fallback;
    }
    if (text != NULL && !utf8_valid(text, strlen(text)))
        text[0] = '\0';
    else if (pg != NULL)
        text = space_gaps(pg, text);
    para = paragraphs(text ? text : "");
    for (k = 0; para[k] != '\0'; k++)
        if (!isspace((unsigned char)para[k]))
            any_text = true;
    (void)doc_add_page(d, lab, para);
    free(para);
    g_free(text);
    g_free(label);
    if (pg != NULL)
        g_object_unref(pg);
    return any_text;
}

/* Sets d's title and authors from the PDF's metadata where it is UTF-8. */
static void read_metadata(PopplerDocument *pd, struct doc *d)
{
    char *meta = poppler_document_get_title(pd);

    if (meta != NULL && utf8_valid(meta, strlen(meta)))
        doc_set(&d->title, meta);
    g_free(meta);
    meta = poppler_document_get_author(pd);
    if (meta != NULL && utf8_valid(meta, strlen(meta)))
        doc_set_authors(d, meta);
    g_free(meta);
}

bool read_pdf(const char *data, size_t n, struct doc *d, char *err, size_t errlen)
{
    PopplerDocument *pd; /* owned here: g_object_unref before returning */
    struct pending sections = {.v = NULL, .n = 0, .cap = 0}; /* freed by place_headings */
    int pages, i;
    bool any_text = false;

    doc_init(d, DOC_PDF);
    pd = open_pdf(data, n, &pages, err, errlen);
    if (pd == NULL)
        return false;
    for (i = 0; i < pages; i++)
        if (read_page(pd, i, d))
            any_text = true;
    if (!any_text) {
        snprintf(err, errlen,
                 "the PDF has no text layer (scanned or image-only); "
                 "run it through OCR first");
        g_object_unref(pd);
        doc_free(d);
        return false;
    }
    read_metadata(pd, d);
    outline_chapters(pd, d, &sections);
    g_object_unref(pd);
    clean_doc(d);
    (void)clean_detect_chapters(d);
    place_headings(d, &sections);
    return true;
}
