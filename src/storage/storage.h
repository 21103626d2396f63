/*
 * Object storage: one interface, two back ends.
 *
 *   local  a directory (PLCCOACH_CONTENT_DIR), shared by the processes of
 *          one host: dev machines, the local stack, the tests;
 *   s3     an S3 bucket (or an S3-compatible server at PLCCOACH_S3_ENDPOINT),
 *          requests signed with SigV4 (sigv4.h) using the credential chain
 *          of creds.h; the bucket's default encryption (SSE-KMS) applies.
 *
 * Two stores exist: the content store (uploaded books) and the exports
 * store (generated files; the bucket expires them after 30 days).  A
 * struct storage is opened once per process and kept for its lifetime (it
 * owns a libcurl handle that keeps connections alive).
 *
 * Keys are relative names such as "books/<sha256>.pdf": 1 to 512 bytes of
 * letters, digits and "._-/", no leading "/", no "..", no "//".
 *
 * A stored object is also named by a locator, a string that any process
 * of any task can open again whatever its own PLCCOACH_STORAGE says:
 * "s3://BUCKET/KEY" for S3, the absolute path of the file for a local
 * directory.  Ingestion jobs record locators (src/db/ingest_jobs.h).
 */
#ifndef PLC_STORAGE_STORAGE_H
#define PLC_STORAGE_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct config;
struct storage;

enum storage_store { STORAGE_CONTENT, STORAGE_EXPORTS };

enum storage_status {
    STORAGE_OK,
    STORAGE_NOT_FOUND,   /* no such object */
    STORAGE_TOO_LARGE,   /* larger than the caller's limit */
    STORAGE_DENIED,      /* credentials missing, refused or expired */
    STORAGE_UNAVAILABLE, /* the service failed or could not be reached (after retries) */
    STORAGE_INVALID,     /* a bad key or argument; a bug in the caller */
    STORAGE_IO,          /* a local read or write failed (disk full, ...) */
    STORAGE_UNSUPPORTED  /* the back end cannot do this (presigning a local file) */
};

/* Opens the content or exports store that cfg describes.  Returns NULL
 * with a message in err when the configuration is incomplete (s3 without
 * a bucket).  The caller releases it with storage_close(). */
struct storage *storage_open(const struct config *cfg, enum storage_store which, char *err,
                             size_t errlen) __attribute__((nonnull, warn_unused_result));

/* Opens the store a locator names and writes a pointer to the object's key
 * (inside locator) into *key.  S3 settings other than the bucket (region,
 * endpoint) come from cfg.  NULL with a message in err when the locator is
 * neither s3://BUCKET/KEY nor an absolute path.  Caller: storage_close(). */
struct storage *storage_open_locator(const struct config *cfg, const char *locator,
                                     const char **key, char *err, size_t errlen)
    __attribute__((nonnull, warn_unused_result));

/* Releases a store (NULL is fine). */
void storage_close(struct storage *st);

/* Returns the locator of key in st; the caller frees it. */
char *storage_locator(const struct storage *st, const char *key)
    __attribute__((nonnull, warn_unused_result, malloc));

/* Returns "local" or "s3". */
const char *storage_kind(const struct storage *st) __attribute__((nonnull));

/* Stores length bytes read from fd (from offset 0, with pread, so the fd's
 * position is unchanged) under key, replacing any object there.  The
 * object appears whole or not at all.  content_type may be NULL; sha256
 * (64 hex digits, may be NULL) is the content's hash when the caller knows
 * it: S3 then signs it instead of UNSIGNED-PAYLOAD. */
enum storage_status storage_put_fd(struct storage *st, const char *key, int fd, uint64_t length,
                                   const char *content_type, const char *sha256)
    __attribute__((nonnull(1, 2), warn_unused_result));

/* Stores n bytes from memory under key, like storage_put_fd (through an
 * anonymous memory file; the content's SHA-256 is signed on S3). */
enum storage_status storage_put_mem(struct storage *st, const char *key, const void *data, size_t n,
                                    const char *content_type)
    __attribute__((nonnull(1, 2), warn_unused_result));

/* Reads the object into out (appended; out's own limit is replaced by
 * limit).  STORAGE_TOO_LARGE when it holds more than limit bytes; out is
 * then left empty. */
enum storage_status storage_get_buf(struct storage *st, const char *key, struct buf *out,
                                    size_t limit) __attribute__((nonnull, warn_unused_result));

/* Writes the object to fd (from its current position); at most limit
 * bytes (0 = no limit). */
enum storage_status storage_get_fd(struct storage *st, const char *key, int fd, uint64_t limit)
    __attribute__((nonnull, warn_unused_result));

/* Deletes the object; deleting what is not there is STORAGE_OK. */
enum storage_status storage_delete(struct storage *st, const char *key)
    __attribute__((nonnull, warn_unused_result));

/* Deletes the object a locator names (storage_open_locator, then
 * storage_delete).  On an unusable locator returns STORAGE_INVALID with a
 * message in err; otherwise err holds storage_strerror() of the result. */
enum storage_status storage_delete_locator(const struct config *cfg, const char *locator, char *err,
                                           size_t errlen)
    __attribute__((nonnull, warn_unused_result));

/* Writes into *url a presigned GET URL for key valid for expires_s seconds
 * (1 to 604800); the caller frees it.  STORAGE_UNSUPPORTED for a local
 * directory. */
enum storage_status storage_presign_get(struct storage *st, const char *key, int64_t expires_s,
                                        char **url) __attribute__((nonnull, warn_unused_result));

/* storage_presign_get() whose response carries the headers a download
 * needs: Content-Disposition (disposition, e.g. `attachment;
 * filename="x.pdf"`) and Content-Type, through S3's response-* query
 * parameters (signed with the rest).  Either may be NULL. */
enum storage_status storage_presign_download(struct storage *st, const char *key, int64_t expires_s,
                                             const char *disposition, const char *content_type,
                                             char **url)
    __attribute__((nonnull(1, 2, 6), warn_unused_result));

/* A short English description of a status, for logs and job errors. */
const char *storage_strerror(enum storage_status s);

/* Returns true when key is acceptable (see above). */
bool storage_key_valid(const char *key) __attribute__((nonnull));

#endif
