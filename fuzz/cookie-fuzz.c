/* Fuzz target: Cookie header parsing (parse_cookie_header). */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "http/request.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = ARENA_INIT;
    struct param *p = NULL;
    size_t n = 0, i;
    char *s = xstrndup((const char *)data, size);

    if (parse_cookie_header(&a, s, &p, &n)) {
        for (i = 0; i < n; i++)
            if (p[i].name[0] == '\0' || strpbrk(p[i].name, "=; \t") != NULL
                || strpbrk(p[i].value, "; \t\"") != NULL)
                __builtin_trap();
    }
    free(s);
    arena_free(&a);
    return 0;
}
