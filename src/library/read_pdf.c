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

/* Adds the outline's top-level entries that lead to a page as chapters. */
static void outline_chapters(PopplerDocument *pd, struct doc *d)
{
    PopplerIndexIter *it = poppler_index_iter_new(pd);

    if (it == NULL)
        return;
    do {
        PopplerAction *a = poppler_index_iter_get_action(it);
        PopplerDest *dest = NULL, *found = NULL;
        int page = -1;

        if (a != NULL && a->type == POPPLER_ACTION_GOTO_DEST && a->goto_dest.dest != NULL) {
            dest = a->goto_dest.dest;
            if (dest->type == POPPLER_DEST_NAMED) {
                found = poppler_document_find_dest(pd, dest->named_dest);
                if (found != NULL)
                    page = found->page_num;
            } else {
                page = dest->page_num;
            }
        }
        if (a != NULL && page >= 1 && (size_t)page <= d->n_pages && a->any.title != NULL
            && a->any.title[0] != '\0') {
            char *number = NULL, *title = NULL;

            (void)doc_parse_heading(a->any.title, &number, &title);
            doc_add_chapter(d, number, title, (size_t)page - 1, 0);
            free(number);
            free(title);
        }
        if (found != NULL)
            poppler_dest_free(found);
        if (a != NULL)
            poppler_action_free(a);
    } while (poppler_index_iter_next(it));
    poppler_index_iter_free(it);
}

bool read_pdf(const char *data, size_t n, struct doc *d, char *err, size_t errlen)
{
    GBytes *bytes;
    GError *gerr = NULL;
    PopplerDocument *pd;
    int pages, i;
    bool any_text = false;
    char *meta;

    doc_init(d, DOC_PDF);
    if (n < 5 || memcmp(data, "%PDF-", 5) != 0) {
        snprintf(err, errlen, "not a PDF file (no %%PDF- header)");
        return false;
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
        return false;
    }
    pages = poppler_document_get_n_pages(pd);
    if (pages <= 0) {
        snprintf(err, errlen, "the PDF has no pages");
        g_object_unref(pd);
        return false;
    }
    for (i = 0; i < pages; i++) {
        PopplerPage *pg = poppler_document_get_page(pd, i);
        char *text = pg ? poppler_page_get_text(pg) : NULL;
        char *label = pg ? poppler_page_get_label(pg) : NULL;
        char fallback[24], *para;
        const char *lab = label;
        size_t k;

        if (lab == NULL || lab[0] == '\0' || strlen(lab) > 32) {
            snprintf(fallback, sizeof(fallback), "%d", i + 1);
            lab = fallback;
        }
        if (text != NULL && !utf8_valid(text, strlen(text)))
            text[0] = '\0';
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
    }
    if (!any_text) {
        snprintf(err, errlen,
                 "the PDF has no text layer (scanned or image-only); "
                 "run it through OCR first");
        g_object_unref(pd);
        doc_free(d);
        return false;
    }
    meta = poppler_document_get_title(pd);
    if (meta != NULL && utf8_valid(meta, strlen(meta)))
        doc_set(&d->title, meta);
    g_free(meta);
    meta = poppler_document_get_author(pd);
    if (meta != NULL && utf8_valid(meta, strlen(meta)))
        doc_set_authors(d, meta);
    g_free(meta);
    outline_chapters(pd, d);
    g_object_unref(pd);
    clean_doc(d);
    (void)clean_detect_chapters(d);
    return true;
}
