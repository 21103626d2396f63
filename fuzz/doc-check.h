/*
 * The checks the reader fuzz targets (markdown-fuzz, pdf-fuzz) make of a
 * document a reader accepted: its pages, and the chunks the chunker makes
 * of it.  Each aborts (__builtin_trap) on the first inconsistency.
 */
#ifndef PLC_FUZZ_DOC_CHECK_H
#define PLC_FUZZ_DOC_CHECK_H

#include <stdbool.h>
#include <string.h>

#include "library/chunk.h"
#include "library/read.h"
#include "util/text.h"

/* At least one page; every page valid UTF-8 with a printed label. */
static inline void fuzz_check_pages(const struct doc *d)
{
    size_t i;

    if (d->n_pages == 0)
        __builtin_trap();
    for (i = 0; i < d->n_pages; i++)
        if (!utf8_valid(d->pages[i].text, strlen(d->pages[i].text)) || d->pages[i].label[0] == '\0')
            __builtin_trap();
}

/* Every chapter (and, with headings, every heading) on one of d's pages,
 * its offset within that page's text or up to slack bytes past its end. */
static inline void fuzz_check_marks(const struct doc *d, size_t slack, bool headings)
{
    size_t i;

    for (i = 0; i < d->n_chapters; i++)
        if (d->chapters[i].page >= d->n_pages
            || d->chapters[i].offset > strlen(d->pages[d->chapters[i].page].text) + slack)
            __builtin_trap();
    for (i = 0; headings && i < d->n_headings; i++)
        if (d->headings[i].page >= d->n_pages
            || d->headings[i].offset > strlen(d->pages[d->headings[i].page].text) + slack)
            __builtin_trap();
}

/* Chunks d; every chunk non-empty and within d's pages.  The chunks are
 * freed here; d stays the caller's. */
static inline void fuzz_check_chunks(const struct doc *d)
{
    struct chunk_list c = {NULL, 0, 0};
    size_t i;

    chunk_doc(d, NULL, &c);
    for (i = 0; i < c.n; i++)
        if (c.items[i].page_first > c.items[i].page_last || c.items[i].page_last >= d->n_pages
            || c.items[i].text[0] == '\0')
            __builtin_trap();
    chunk_list_free(&c);
}

#endif
