/*
 * Allocation with a written-down failure policy.
 *
 * PLC Coach never tries to limp on after malloc fails: the x* functions log
 * one line and abort().  In a worker that ends the process, the master
 * respawns it, and the request that was in flight gets a 502 from nginx.
 * This keeps every caller free of NULL checks that would never be tested.
 */
#ifndef PLC_UTIL_ALLOC_H
#define PLC_UTIL_ALLOC_H

#include <stddef.h>

/* Returns n bytes; never NULL.  The caller frees with free(). */
void *xmalloc(size_t n) __attribute__((malloc, warn_unused_result));

/* Returns n zeroed elements of size each; never NULL; caller frees. */
void *xcalloc(size_t n, size_t size) __attribute__((malloc, warn_unused_result));

/* Resizes p to n bytes; never NULL; the caller owns the result. */
void *xrealloc(void *p, size_t n) __attribute__((warn_unused_result));

/* Returns a copy of s; never NULL; caller frees. */
char *xstrdup(const char *s) __attribute__((malloc, nonnull, warn_unused_result));

/* Returns a NUL-terminated copy of the first n bytes of s; caller frees. */
char *xstrndup(const char *s, size_t n) __attribute__((malloc, nonnull, warn_unused_result));

/* Returns a newly allocated formatted string; never NULL; caller frees. */
char *xasprintf(const char *fmt, ...)
    __attribute__((malloc, nonnull(1), format(printf, 1, 2), warn_unused_result));

#endif
