/* Tests for util/stats: percentiles of lists and of histograms. */
#include "config.h"

#include <math.h>

#include "tap/basic.h"
#include "util/stats.h"

static bool near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

int main(void)
{
    int64_t v[] = {7, 1, 3, 3, 9, 2};
    int64_t one[] = {42};
    int64_t even[] = {1, 2, 3, 4};
    /* bounds 10, 20, 40: buckets [0,10) [10,20) [20,40) [40,max] */
    const int64_t bounds[] = {10, 20, 40};
    int64_t h[] = {0, 4, 4, 2};
    int64_t empty[] = {0, 0, 0, 0};
    int64_t last[] = {0, 0, 0, 1};
    double d = -1;

    plan(19);

    stats_sort(v, 6);
    ok(v[0] == 1 && v[1] == 2 && v[2] == 3 && v[3] == 3 && v[4] == 7 && v[5] == 9,
       "sorted ascending");
    ok(stats_percentile(v, 6, 0.5, &d) && near(d, 3), "median of 1 2 3 3 7 9 is 3");
    ok(stats_percentile(even, 4, 0.5, &d) && near(d, 2.5),
       "median of 1 2 3 4 is 2.5 (interpolated)");
    /* rank (4-1) * 0.9 = 2.7: 3 + 0.7 * (4 - 3) */
    ok(stats_percentile(even, 4, 0.9, &d) && near(d, 3.7), "p90 of 1 2 3 4 is 3.7");
    ok(stats_percentile(v, 6, 0, &d) && near(d, 1), "p0 is the least");
    ok(stats_percentile(v, 6, 1, &d) && near(d, 9), "p100 is the most");
    ok(stats_percentile(one, 1, 0.9, &d) && near(d, 42), "one value is every percentile");
    ok(!stats_percentile(v, 0, 0.5, &d), "no values: no percentile");
    ok(stats_percentile(v, 6, 7, &d) && near(d, 9), "p above 1 is clamped");

    /* 10 values; rank 0.5 * 10 = 5 lies in [10,20) (4 values, 1 before
     * reaching the bucket... ): seen 0 then 4 in [10,20): 5 > 4, so the
     * next bucket [20,40): (5 - 4) / 4 = 0.25 of the way: 25. */
    ok(stats_hist_percentile(h, bounds, 3, 60, 0.5, &d) && near(d, 25), "histogram median 25");
    /* rank 9.5: after 8, in [40, 60] holding 2: 40 + 0.75 * 20 = 55 */
    ok(stats_hist_percentile(h, bounds, 3, 60, 0.95, &d) && near(d, 55),
       "histogram p95 in the open bucket uses the largest value: 55");
    /* rank 4 ends exactly at the top of [10,20): 20 */
    ok(stats_hist_percentile(h, bounds, 3, 60, 0.4, &d) && near(d, 20), "a rank at a bucket's end");
    ok(stats_hist_percentile(h, bounds, 3, 60, 1, &d) && near(d, 60), "p100 is the largest value");
    ok(!stats_hist_percentile(empty, bounds, 3, 0, 0.95, &d), "an empty histogram: none");
    /* the largest value below the last bound (it never is, but max may be
     * smaller than the bound after counts were taken out) */
    ok(stats_hist_percentile(last, bounds, 3, 5, 0.95, &d) && near(d, 40),
       "the open bucket never interpolates below its bound");
    {
        int64_t first[] = {2, 0, 0, 0};
        ok(stats_hist_percentile(first, bounds, 3, 9, 0.5, &d) && near(d, 5),
           "the first bucket starts at 0: median of two in [0,10) is 5");
    }
    {
        int64_t neg[] = {0, -3, 2, 0};
        ok(stats_hist_percentile(neg, bounds, 3, 30, 0.5, &d) && near(d, 30),
           "negative counts (a bug upstream) count as none");
    }
    {
        /* The team of t/integration/analytics.sh: 12 answer times. */
        const int64_t b[] = {500,  1000, 1500,  2000,  2500,  3000,  4000, 5000,
                             6000, 8000, 10000, 15000, 20000, 30000, 60000};
        int64_t c[16] = {0, 0, 1, 0, 6, 0, 1, 2, 1, 1, 0, 0, 0, 0, 0, 0};
        ok(stats_hist_percentile(c, b, 15, 6000, 0.95, &d) && near(d, 6800),
           "12 answer times: p95 6800 (rank 11.4 in [6000, 8000))");
        ok(stats_hist_percentile(c, b, 15, 6000, 0.5, &d) && near(d, 2000 + 500 * (6.0 - 1) / 6),
           "and the median, interpolated in [2000, 2500)");
    }
    return 0;
}
