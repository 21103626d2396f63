/* Fuzz target: the PDF reader (read_pdf: poppler, the spaces and
 * paragraphs it infers, the outline's chapters and sections, the cleanup),
 * followed by the chunker on what it accepted.  Poppler's own parsing is
 * poppler's; what is fuzzed here is ours around it. */
#include "config.h"

#include "fuzz/doc-check.h"
#include "fuzz/fuzz.h"
#include "library/read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct doc d;
    char err[256];

    err[0] = '\0';
    if (read_pdf((const char *)data, size, &d, err, sizeof(err))) {
        /* Pages, chapters and headings must be consistent and valid UTF-8. */
        fuzz_check_pages(&d);
        fuzz_check_marks(&d, 0, true);
        fuzz_check_chunks(&d);
        doc_free(&d);
    } else if (d.n_pages != 0 || err[0] == '\0') {
        __builtin_trap();
    }
    return 0;
}
