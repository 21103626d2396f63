/*
 * Looking up an irregular form; see irregular.h.
 */
#include "config.h"

#include <string.h>

#include "library/irregular.h"

/* strcmp's order between w (len bytes) and the NUL-ended s. */
static int cmp_word(const char *w, size_t len, const char *s)
{
    size_t n = strlen(s);
    int d = memcmp(w, s, len < n ? len : n);

    if (d != 0)
        return d;
    return len < n ? -1 : len > n ? 1 : 0;
}

const char *irregular_base(const char *w, size_t len)
{
    size_t lo = 0, hi = irregular_forms_count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = cmp_word(w, len, irregular_forms[mid].form);
        if (d == 0)
            return irregular_forms[mid].base;
        if (d < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
