/*
 * A region allocator: many small allocations, one free.
 *
 * A struct request owns one arena; everything parsed from the request
 * (decoded query parameters, cookies, header copies, route parameters)
 * lives in it and is released by arena_free() when the request ends.
 * Allocation failure follows alloc.h (abort).
 */
#ifndef PLC_UTIL_ARENA_H
#define PLC_UTIL_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head; /* newest block first */
    size_t total;             /* bytes handed out, for diagnostics */
};

#define ARENA_INIT                                                                                 \
    {                                                                                              \
        NULL, 0                                                                                    \
    }

/* Returns n bytes aligned for any type, owned by a; never NULL. */
void *arena_alloc(struct arena *a, size_t n) __attribute__((nonnull, malloc, warn_unused_result));

/* Returns a copy of the first n bytes of s plus a NUL, owned by a. */
char *arena_strndup(struct arena *a, const char *s, size_t n)
    __attribute__((nonnull, warn_unused_result));

/* Returns a copy of s owned by a. */
char *arena_strdup(struct arena *a, const char *s) __attribute__((nonnull, warn_unused_result));

/* Returns a formatted string owned by a. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((nonnull(1, 2), format(printf, 2, 3), warn_unused_result));

/* Releases every allocation made from a; a may be reused afterwards. */
void arena_free(struct arena *a);

#endif
