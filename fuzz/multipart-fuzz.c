/* Fuzz target: streaming multipart/form-data (http/multipart.c).  The
 * first byte chooses the feed size, so chunk boundaries are explored too;
 * the boundary is fixed. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "http/multipart.h"

static bool in_part;

static bool begin(void *ctx, const char *name, const char *filename, const char *ctype)
{
    (void)ctx;
    (void)filename;
    (void)ctype;
    if (in_part || name == NULL || name[0] == '\0')
        __builtin_trap(); /* parts never nest; every part has a name */
    in_part = true;
    return true;
}

static bool data(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    (void)p;
    if (!in_part || n == 0)
        __builtin_trap();
    return true;
}

static bool end(void *ctx)
{
    (void)ctx;
    if (!in_part)
        __builtin_trap();
    in_part = false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
    const struct multipart_cb cb = {begin, data, end, NULL};
    struct multipart mp;
    size_t step, i;

    if (size == 0)
        return 0;
    step = (size_t)input[0] % 64 + 1;
    in_part = false;
    if (!multipart_init(&mp, "multipart/form-data; boundary=b0undary", &cb))
        __builtin_trap();
    for (i = 1; i < size; i += step)
        if (!multipart_feed(&mp, (const char *)input + i, size - i < step ? size - i : step))
            break;
    multipart_free(&mp);
    return 0;
}
