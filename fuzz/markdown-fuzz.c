/* Fuzz target: the Markdown/plain-text reader and its front matter
 * (read_markdown), followed by the chunker on what it accepted. */
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
    enum doc_format f = size > 0 && (data[0] & 1) ? DOC_TEXT : DOC_MARKDOWN;

    if (read_markdown((const char *)data, size, f, &d, err, sizeof(err))) {
        /* Pages and chapters must be consistent and valid UTF-8. */
        fuzz_check_pages(&d);
        for (i = 0; i < d.n_chapters; i++)
            if (d.chapters[i].page >= d.n_pages
                || d.chapters[i].offset > strlen(d.pages[d.chapters[i].page].text) + 2)
                __builtin_trap();
        fuzz_check_chunks(&d);
        doc_free(&d);
    } else if (d.n_pages != 0 || err[0] == '\0') {
        __builtin_trap();
    }
    return 0;
}
