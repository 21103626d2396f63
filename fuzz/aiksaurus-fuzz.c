/* Fuzz target: the Aiksaurus reader (src/library/aiksaurus.c).  The
 * input's first two bytes (big-endian) are the length of words.dat's
 * bytes, which follow; meanings.dat's bytes are the rest. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "library/aiksaurus.h"

static void check_pair(void *ctx, const char *word, const char *related)
{
    size_t a = strlen(word), b = strlen(related), i;

    (void)ctx;
    if (a == 0 || b == 0 || a >= AIKSAURUS_WORD_MAX || b >= AIKSAURUS_WORD_MAX
        || strcmp(word, related) == 0)
        __builtin_trap();
    for (i = 0; i < a; i++)
        if ((unsigned char)word[i] < 0x20 || (unsigned char)word[i] >= 0x7f
            || (word[i] >= 'A' && word[i] <= 'Z') || word[i] == ':')
            __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t wlen;

    if (size < 2)
        return 0;
    wlen = (size_t)data[0] << 8 | data[1];
    if (wlen > size - 2)
        wlen = size - 2;
    aiksaurus_parse(data + 2, wlen, data + 2 + wlen, size - 2 - wlen, check_pair, NULL);
    return 0;
}
