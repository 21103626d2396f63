/* Fuzz target: query-string parsing (parse_query_string). */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "http/request.h"
#include "util/alloc.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = ARENA_INIT;
    struct param *p = NULL;
    size_t n = 0, i;
    char *s = xstrndup((const char *)data, size);

    if (parse_query_string(&a, s, &p, &n)) {
        /* Every decoded key and value must be valid UTF-8 without NUL. */
        for (i = 0; i < n; i++)
            if (!utf8_valid(p[i].name, strlen(p[i].name))
                || !utf8_valid(p[i].value, strlen(p[i].value)))
                __builtin_trap();
    }
    free(s);
    arena_free(&a);
    return 0;
}
