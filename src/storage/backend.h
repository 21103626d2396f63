/*
 * The two back ends behind storage.h (internal to src/storage).
 */
#ifndef PLC_STORAGE_BACKEND_H
#define PLC_STORAGE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/storage.h"

struct buf;
struct s3;

/* Where a GET's bytes go: a buffer or a file descriptor, at most limit
 * bytes (0 = no limit). */
struct storage_sink {
    struct buf *buf; /* when not NULL */
    int fd;          /* otherwise */
    uint64_t limit;
    uint64_t written;
};

/* ---- local.c: a directory ---- */

enum storage_status local_put_fd(const char *dir, const char *key, int fd, uint64_t length)
    __attribute__((nonnull, warn_unused_result));
enum storage_status local_get(const char *dir, const char *key, struct storage_sink *sink)
    __attribute__((nonnull, warn_unused_result));
enum storage_status local_delete(const char *dir, const char *key)
    __attribute__((nonnull, warn_unused_result));

/* Appends to a sink; false when past its limit or the write failed
 * (*status says which). */
bool storage_sink_write(struct storage_sink *sink, const char *data, size_t n,
                        enum storage_status *status) __attribute__((nonnull, warn_unused_result));

/* ---- s3.c: a bucket ---- */

/* Opens a bucket: region (non-empty) and endpoint ("" = AWS, otherwise
 * scheme://host[:port] of an S3-compatible server, path-style).  NULL with
 * err on a bad endpoint.  Caller: s3_close. */
struct s3 *s3_open(const char *bucket, const char *region, const char *endpoint, char *err,
                   size_t errlen) __attribute__((nonnull, warn_unused_result));
void s3_close(struct s3 *s);
const char *s3_bucket(const struct s3 *s) __attribute__((nonnull));

enum storage_status s3_put_fd(struct s3 *s, const char *key, int fd, uint64_t length,
                              const char *content_type, const char *sha256)
    __attribute__((nonnull(1, 2), warn_unused_result));
enum storage_status s3_get(struct s3 *s, const char *key, struct storage_sink *sink)
    __attribute__((nonnull, warn_unused_result));
enum storage_status s3_delete(struct s3 *s, const char *key)
    __attribute__((nonnull, warn_unused_result));
/* disposition and content_type (may be NULL): the response-content-*
 * overrides a download needs. */
enum storage_status s3_presign_get(struct s3 *s, const char *key, int64_t expires_s,
                                   const char *disposition, const char *content_type, char **url)
    __attribute__((nonnull(1, 2, 6), warn_unused_result));

/* Finds <Code> and <Message> in an S3 XML error document (n bytes,
 * untrusted, not NUL-terminated).  Writes them, printable ASCII only
 * (anything else as '?'), truncated to fit, into code and message ("" when
 * absent).  Returns true when a Code was found. */
bool s3_parse_error(const char *xml, size_t n, char code[64], char message[256])
    __attribute__((nonnull));

#endif
