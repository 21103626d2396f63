/*
 * Percentiles; see stats.h.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "util/stats.h"

static int cmp_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

void stats_sort(int64_t *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof(*v), cmp_int64);
}

bool stats_percentile(const int64_t *v, size_t n, double p, double *out)
{
    double h, lo;
    size_t i;

    if (n == 0 || v == NULL)
        return false;
    if (p < 0)
        p = 0;
    if (p > 1)
        p = 1;
    h = (double)(n - 1) * p;
    lo = floor(h);
    i = (size_t)lo;
    if (i + 1 >= n) {
        *out = (double)v[n - 1];
        return true;
    }
    *out = (double)v[i] + (h - lo) * (double)(v[i + 1] - v[i]);
    return true;
}

bool stats_hist_percentile(const int64_t *counts, const int64_t *bounds, size_t nbounds,
                           int64_t max, double p, double *out)
{
    int64_t total = 0, seen = 0;
    double rank;
    size_t i;

    for (i = 0; i <= nbounds; i++)
        total += counts[i] > 0 ? counts[i] : 0;
    if (total == 0)
        return false;
    if (p <= 0)
        p = 1e-9;
    if (p > 1)
        p = 1;
    rank = p * (double)total;
    for (i = 0; i <= nbounds; i++) {
        int64_t c = counts[i] > 0 ? counts[i] : 0;
        double lo, hi;
        if (c == 0 || (double)(seen + c) < rank) {
            seen += c;
            continue;
        }
        lo = i == 0 ? 0 : (double)bounds[i - 1];
        hi = i < nbounds ? (double)bounds[i]
                         : (double)(max > bounds[nbounds - 1] ? max : bounds[nbounds - 1]);
        *out = lo + (hi - lo) * ((rank - (double)seen) / (double)c);
        return true;
    }
    /* Only rounding can get here: the answer is the top of the range. */
    *out = (double)(max > bounds[nbounds - 1] ? max : bounds[nbounds - 1]);
    return true;
}
