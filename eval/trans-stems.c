/*
 * eval/trans-stems: reads lines on stdin and writes each line's analysed
 * terms (library/analyze.h, the lexical index's analysis), separated by
 * spaces, one output line per input line.  Built and run by
 * eval/trans_model.py (src/library/README.md, "Translations"), linked
 * against the build's libplccoach.a; not part of the product.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "library/analyze.h"

static void put_term(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    (void)ctx;
    (void)word;
    (void)wlen;
    fwrite(term, 1, len, stdout);
    fputc(' ', stdout);
}

int main(void)
{
    static char line[1 << 20];

    while (fgets(line, sizeof(line), stdin) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        analyze_each(line, put_term, NULL);
        fputc('\n', stdout);
    }
    return ferror(stdout) ? 1 : 0;
}
