/* Fuzz target: whether a question names a book (booktitle_named, which
 * reads the teacher's bytes for capitalised runs, quotes straight and
 * curly, and "the X book"), whether it is held by a library made of the
 * same bytes (the second half as a title, the first as an author), and
 * the refusal's text.  A name found is never empty, has 1 to
 * BOOKTITLE_WORDS content words, and (when not cut: b.cut) is held by a library
 * whose title is the name itself; the refusal holds the name, Markdown-
 * escaped (buf_md_escape). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coach/booktitle.h"
#include "fuzz/fuzz.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *q = strndup((const char *)data, size), *title, *text;
    struct book_named b;
    const char *authors[1];
    struct booktitle_book lib[2];
    struct buf esc = BUF_INIT;

    if (q == NULL)
        return 0;
    title = strdup(q + strlen(q) / 2);
    authors[0] = q;
    lib[0] = (struct booktitle_book){.title = title, .authors = authors, .nauthors = 1};
    if (booktitle_named(q, &b)) {
        if (b.nwords == 0 || b.nwords > BOOKTITLE_WORDS || b.name[0] == '\0')
            __builtin_trap();
        lib[1] = (struct booktitle_book){.title = b.name, .authors = NULL, .nauthors = 0};
        if (!b.cut && !booktitle_held(&b, lib + 1, 1))
            __builtin_trap(); /* a library holding the name as its title holds it */
        (void)booktitle_held(&b, lib, 1);
        text = booktitle_refusal(&b, lib, 2, size % 2 == 0);
        buf_md_escape(&esc, b.name);
        if (strstr(text, buf_str(&esc)) == NULL)
            __builtin_trap();
        buf_free(&esc);
        free(text);
    } else if (b.name[0] != '\0' || b.nwords != 0) {
        __builtin_trap();
    }
    free(title);
    free(q);
    return 0;
}
