/* Fuzz target: the parser of the language model's follow-up rewrite
 * (rewrite_parse).  What it accepts must be one line of at most
 * REWRITE_MAX_BYTES bytes, not empty; what it refuses must leave its
 * outputs untouched. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coach/rewrite.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char mark = 0, *q = &mark;
    bool follows = true;
    size_t n;

    if (rewrite_parse((const char *)data, size, &q, &follows)) {
        n = strlen(q);
        if (n == 0 || n > REWRITE_MAX_BYTES || strpbrk(q, "\r\n") != NULL)
            __builtin_trap();
        free(q);
    } else if (q != &mark || !follows) {
        __builtin_trap();
    }
    return 0;
}
