/* Fuzz target: the parser of the language model's domain tags
 * (domains_model_parse).  The first byte picks how many passages (1..8)
 * the answer is for; the rest is the model's text.  Whatever it accepts
 * must be a non-empty set of known domains of at most DOMAIN_MAX_TAGS per
 * passage, and what it refuses must leave the sets untouched. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "library/domains.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned sets[DOMAINS_MODEL_BATCH];
    size_t n, i;

    if (size < 1)
        return 0;
    n = (size_t)(data[0] % DOMAINS_MODEL_BATCH) + 1;
    for (i = 0; i < DOMAINS_MODEL_BATCH; i++)
        sets[i] = 0xdead0000u;
    if (domains_model_parse((const char *)data + 1, size - 1, n, sets)) {
        for (i = 0; i < n; i++)
            if (sets[i] == 0 || (sets[i] & ~(unsigned)DOMAIN_ALL) != 0
                || (size_t)__builtin_popcount(sets[i]) > DOMAIN_MAX_TAGS)
                __builtin_trap();
        for (; i < DOMAINS_MODEL_BATCH; i++)
            if (sets[i] != 0xdead0000u)
                __builtin_trap();
    } else {
        for (i = 0; i < DOMAINS_MODEL_BATCH; i++)
            if (sets[i] != 0xdead0000u)
                __builtin_trap();
    }
    return 0;
}
