/*
 * Running work that may take too long in a child process, with a
 * deadline: the cited page's renderers (src/export/cited.c) call
 * poppler and pango, which cannot be interrupted, so the work is done by
 * a forked child that is killed when its time is up.  The child shares
 * nothing back but the bytes it writes; it ends with _exit, so it never
 * runs the parent's exit handlers or flushes its stdio buffers.
 */
#ifndef PLC_UTIL_BOUNDED_H
#define PLC_UTIL_BOUNDED_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

enum bounded_status {
    BOUNDED_OK,      /* fn returned true; its output is in out */
    BOUNDED_FAILED,  /* fn returned false (its output, a reason, is in out), or the child died */
    BOUNDED_TIMEOUT, /* killed at the deadline */
    BOUNDED_ERROR    /* fork or pipe failed (logged) */
};

/* Runs fn(ctx, out) in a child with at most timeout_ms of wall-clock
 * time, and appends what it wrote to out (at most limit bytes: more is a
 * failure).  The child is killed when the parent dies too. */
enum bounded_status bounded_run(bool (*fn)(void *ctx, struct buf *out), void *ctx, long timeout_ms,
                                size_t limit, struct buf *out) __attribute__((nonnull(1, 5)));

#endif
