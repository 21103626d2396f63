/*
 * The translation table's look-up; see trans.h and src/library/README.md,
 * "Translations".
 */
#include "config.h"

#include <string.h>

#include "library/trans.h"

const struct trans_entry *trans_lookup(const struct trans_entry *table, size_t n, const char *q,
                                       size_t *count)
{
    size_t lo = 0, hi = n, end;

    while (lo < hi) { /* the first entry whose q is not below q */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(table[mid].q, q) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (end = lo; end < n && strcmp(table[end].q, q) == 0; end++)
        ;
    *count = end - lo;
    return end > lo ? &table[lo] : NULL;
}
