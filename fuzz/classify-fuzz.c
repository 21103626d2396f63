/* Fuzz target: the parser of the language model's classification
 * (classify_parse).  Whatever it accepts must name at most three known
 * domains; what it refuses must leave the answer untouched. */
#include "config.h"

#include <string.h>

#include "coach/classify.h"
#include "fuzz/fuzz.h"
#include "library/domains.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct classify_answer a, before;

    memset(&a, 0x5a, sizeof(a));
    before = a;
    if (classify_parse((const char *)data, size, &a)) {
        if ((a.domains & ~(unsigned)DOMAIN_ALL) != 0
            || __builtin_popcount(a.domains) > DOMAIN_MAX_TAGS)
            __builtin_trap();
    } else if (memcmp(&a, &before, sizeof(a)) != 0) {
        __builtin_trap();
    }
    return 0;
}
