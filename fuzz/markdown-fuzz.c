/* Fuzz target: the Markdown/plain-text reader and its front matter
 * (read_markdown), followed by the chunker on what it accepted. */
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
    enum doc_format f = size > 0 && (data[0] & 1) ? DOC_TEXT : DOC_MARKDOWN;

    if (read_markdown((const char *)data, size, f, &d, err, sizeof(err))) {
        /* Pages and chapters must be consistent and valid UTF-8. */
        if (d.n_pages == 0)
            __builtin_trap();
        for (i = 0; i < d.n_pages; i++)
            if (!utf8_valid(d.pages[i].text, strlen(d.pages[i].text))
                || d.pages[i].label[0] == '\0')
                __builtin_trap();
        for (i = 0; i < d.n_chapters; i++)
            if (d.chapters[i].page >= d.n_pages
                || d.chapters[i].offset > strlen(d.pages[d.chapters[i].page].text) + 2)
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
