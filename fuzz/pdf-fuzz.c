/* Fuzz target: the PDF reader (read_pdf: poppler, the spaces and
 * paragraphs it infers, the outline's chapters and sections, the cleanup),
 * followed by the chunker on what it accepted.  Poppler's own parsing is
 * poppler's; what is fuzzed here is ours around it. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "library/chunk.h"
#include "library/read.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct doc d;
    struct chunk_list c = {NULL, 0, 0};
    char err[256];
    size_t i;

    err[0] = '\0';
    if (read_pdf((const char *)data, size, &d, err, sizeof(err))) {
        /* Pages, chapters and headings must be consistent and valid UTF-8. */
        if (d.n_pages == 0)
            __builtin_trap();
        for (i = 0; i < d.n_pages; i++)
            if (!utf8_valid(d.pages[i].text, strlen(d.pages[i].text))
                || d.pages[i].label[0] == '\0')
                __builtin_trap();
        for (i = 0; i < d.n_chapters; i++)
            if (d.chapters[i].page >= d.n_pages
                || d.chapters[i].offset > strlen(d.pages[d.chapters[i].page].text))
                __builtin_trap();
        for (i = 0; i < d.n_headings; i++)
            if (d.headings[i].page >= d.n_pages
                || d.headings[i].offset > strlen(d.pages[d.headings[i].page].text))
                __builtin_trap();
        chunk_doc(&d, NULL, &c);
        for (i = 0; i < c.n; i++)
            if (c.items[i].page_first > c.items[i].page_last || c.items[i].page_last >= d.n_pages
                || c.items[i].text[0] == '\0')
                __builtin_trap();
        chunk_list_free(&c);
        doc_free(&d);
    } else if (d.n_pages != 0 || err[0] == '\0') {
        __builtin_trap();
    }
    return 0;
}
