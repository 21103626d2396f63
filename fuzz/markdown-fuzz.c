/* Fuzz target: the Markdown/plain-text reader and its front matter
 * (read_markdown), followed by the chunker on what it accepted. */
#include "config.h"

#include "fuzz/doc-check.h"
#include "fuzz/fuzz.h"
#include "library/read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct doc d;
    char err[256];
    enum doc_format f = size > 0 && (data[0] & 1) ? DOC_TEXT : DOC_MARKDOWN;

    if (read_markdown((const char *)data, size, f, &d, err, sizeof(err))) {
        /* Pages and chapters must be consistent and valid UTF-8. */
        fuzz_check_pages(&d);
        fuzz_check_marks(&d, 2, false);
        fuzz_check_chunks(&d);
        doc_free(&d);
    } else if (d.n_pages != 0 || err[0] == '\0') {
        __builtin_trap();
    }
    return 0;
}
