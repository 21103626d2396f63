/*
 * The checks the reader fuzz targets (markdown-fuzz, pdf-fuzz) make of a
 * document a reader accepted: its pages, and the chunks the chunker makes
 * of it.  Each aborts (__builtin_trap) on the first inconsistency.
 */
#ifndef PLC_FUZZ_DOC_CHECK_H
#define PLC_FUZZ_DOC_CHECK_H

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
