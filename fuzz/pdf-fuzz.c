/* Fuzz target: the PDF reader (read_pdf: poppler, the spaces and
 * paragraphs it infers, the outline's chapters and sections, the cleanup),
 * followed by the chunker on what it accepted.  Poppler's own parsing is
 * poppler's; what is fuzzed here is ours around it. */
#include "config.h"

#include <string.h>

#include "fuzz/doc-check.h"
#include "fuzz/fuzz.h"
#include "library/read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct doc d;
    char err[256];
    size_t i;

    err[0] = '\0';
    if (read_pdf((const char *)data, size, &d, err, sizeof(err))) {
        /* Pages, chapters and headings must be consistent and valid UTF-8. */
        fuzz_check_pages(&d);
        for (i = 0; i < d.n_chapters; i++)
            if (d.chapters[i].page >= d.n_pages
                || d.chapters[i].offset > strlen(d.pages[d.chapters[i].page].text))
                __builtin_trap();
        for (i = 0; i < d.n_headings; i++)
            if (d.headings[i].page >= d.n_pages
                || d.headings[i].offset > strlen(d.pages[d.headings[i].page].text))
                __builtin_trap();
        fuzz_check_chunks(&d);
        doc_free(&d);
    } else if (d.n_pages != 0 || err[0] == '\0') {
        __builtin_trap();
    }
    return 0;
}
