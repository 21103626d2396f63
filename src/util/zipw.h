/*
 * Writing a ZIP archive into memory, one file at a time, with libarchive
 * (each entry is deflated and appended as it is added, so only the
 * archive itself is held, never all of its sources).  Used for a
 * person's data export (GET /api/me/export, docs/privacy.md).
 */
#ifndef PLC_UTIL_ZIPW_H
#define PLC_UTIL_ZIPW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct buf;
struct zipw;

/* Starts an archive whose bytes are appended to out (which must outlive
 * the writer; its limit bounds the archive: an entry that would pass it
 * fails).  Returns NULL (logged) when libarchive cannot start one.  Free
 * with zipw_close(). */
struct zipw *zipw_open(struct buf *out) __attribute__((nonnull, warn_unused_result));

/* Adds a file named name ("conversations/x.json": '/'-separated, no
 * leading '/', no "..") holding len bytes of data, dated mtime.  Returns
 * false (logged) on a bad name or when the archive could not be written. */
bool zipw_add(struct zipw *z, const char *name, const void *data, size_t len, time_t mtime)
    __attribute__((nonnull(1, 2), warn_unused_result));

/* Writes the archive's central directory and frees z (NULL is fine).
 * Returns false (logged) when the archive could not be finished; out is
 * then not a valid archive. */
bool zipw_close(struct zipw *z);

#endif
