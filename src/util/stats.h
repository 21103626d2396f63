/*
 * Small statistics for reports: percentiles of a list of counts, and of a
 * histogram whose buckets have known bounds (the analytics timings,
 * sql/055_usage.sql).  Pure functions; no allocation.
 */
#ifndef PLC_UTIL_STATS_H
#define PLC_UTIL_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sorts v (n values) in place, ascending. */
void stats_sort(int64_t *v, size_t n);

/* The p-quantile (0 <= p <= 1) of the ascending values v[0..n-1] by
 * linear interpolation between the closest ranks (the method of
 * PostgreSQL's percentile_cont and of R's type 7): rank h = (n - 1) * p,
 * result v[floor h] + (h - floor h) * (v[floor h + 1] - v[floor h]).
 * Returns false when n is 0. */
bool stats_percentile(const int64_t *v, size_t n, double p, double *out)
    __attribute__((nonnull(4), warn_unused_result));

/* The p-quantile (0 < p <= 1) of the values a histogram counts.  counts
 * has nbounds + 1 buckets: bucket 0 holds values below bounds[0], bucket
 * i values in [bounds[i-1], bounds[i]), the last one values from
 * bounds[nbounds-1] up to max (the largest value seen).  The quantile's
 * rank r = p * total falls in some bucket; the result is interpolated
 * linearly across that bucket's range ([0, bounds[0]) for the first,
 * [bounds[nbounds-1], max] for the last) by how far into the bucket's
 * count r lies.  The error is at most the bucket's width.  Returns false
 * when the histogram is empty. */
bool stats_hist_percentile(const int64_t *counts, const int64_t *bounds, size_t nbounds,
                           int64_t max, double p, double *out)
    __attribute__((nonnull(1, 2, 6), warn_unused_result));

#endif
