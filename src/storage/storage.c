/*
 * The storage interface: configuration, keys, locators, and the dispatch
 * to a back end; see storage.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/backend.h"
#include "storage/sigv4.h"
#include "storage/storage.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"

struct storage {
    bool is_s3;
    char *dir;    /* local: the directory, no trailing '/'; owned */
    struct s3 *s; /* s3: owned */
};

bool storage_key_valid(const char *key)
{
    size_t n = strlen(key), i;

    if (n == 0 || n > 512 || key[0] == '/' || key[n - 1] == '/' || strstr(key, "//") != NULL)
        return false;
    for (i = 0; i < n; i++) {
        char c = key[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
              || c == '_' || c == '-' || c == '/'))
            return false;
        /* no "." or ".." segment, no hidden (".name") segment */
        if (c == '.' && (i == 0 || key[i - 1] == '/'))
            return false;
    }
    return true;
}

const char *storage_strerror(enum storage_status s)
{
    switch (s) {
    case STORAGE_OK: return "success";
    case STORAGE_NOT_FOUND: return "the stored object does not exist";
    case STORAGE_TOO_LARGE: return "the stored object is larger than allowed";
    case STORAGE_DENIED: return "storage refused the credentials (missing, wrong or expired)";
    case STORAGE_UNAVAILABLE: return "storage is unavailable";
    case STORAGE_INVALID: return "invalid storage request";
    case STORAGE_IO: return "a local file could not be read or written";
    case STORAGE_UNSUPPORTED: return "not supported by this storage back end";
    }
    return "unknown storage error";
}

/* The region: PLCCOACH_S3_REGION, else AWS_REGION, else
 * AWS_DEFAULT_REGION, else us-east-1. */
static const char *region_of(const struct config *cfg)
{
    const char *r = cfg->s3_region;

    if (r == NULL || r[0] == '\0')
        r = getenv("AWS_REGION");
    if (r == NULL || r[0] == '\0')
        r = getenv("AWS_DEFAULT_REGION");
    return r != NULL && r[0] != '\0' ? r : "us-east-1";
}

static struct storage *open_s3(const struct config *cfg, const char *bucket, char *err,
                               size_t errlen)
{
    struct s3 *s =
        s3_open(bucket, region_of(cfg), cfg->s3_endpoint ? cfg->s3_endpoint : "", err, errlen);
    struct storage *st;

    if (s == NULL)
        return NULL;
    st = xcalloc(1, sizeof(*st));
    st->is_s3 = true;
    st->s = s;
    return st;
}

static struct storage *open_local(const char *dir)
{
    struct storage *st = xcalloc(1, sizeof(*st));
    size_t n = strlen(dir);

    while (n > 1 && dir[n - 1] == '/')
        n--;
    st->dir = xstrndup(dir, n);
    return st;
}

struct storage *storage_open(const struct config *cfg, enum storage_store which, char *err,
                             size_t errlen)
{
    const char *bucket;

    if (cfg->storage == NULL || strcmp(cfg->storage, "s3") != 0) {
        if (which == STORAGE_EXPORTS) {
            /* exports live beside the content directory on one host */
            char *d = xasprintf("%s/exports", cfg->content_dir);
            struct storage *st = open_local(d);
            free(d);
            return st;
        }
        return open_local(cfg->content_dir);
    }
    bucket = which == STORAGE_CONTENT ? cfg->s3_content_bucket : cfg->s3_exports_bucket;
    if (bucket == NULL || bucket[0] == '\0') {
        snprintf(err, errlen, "PLCCOACH_STORAGE=s3 needs %s",
                 which == STORAGE_CONTENT ? "PLCCOACH_S3_CONTENT_BUCKET"
                                          : "PLCCOACH_S3_EXPORTS_BUCKET");
        return NULL;
    }
    return open_s3(cfg, bucket, err, errlen);
}

struct storage *storage_open_locator(const struct config *cfg, const char *locator,
                                     const char **key, char *err, size_t errlen)
{
    if (strncmp(locator, "s3://", 5) == 0) {
        const char *b = locator + 5, *slash = strchr(b, '/');
        struct storage *st;
        char *bucket;

        if (slash == NULL || slash == b || !storage_key_valid(slash + 1)) {
            snprintf(err, errlen, "not an s3://BUCKET/KEY locator");
            return NULL;
        }
        bucket = xstrndup(b, (size_t)(slash - b));
        st = open_s3(cfg, bucket, err, errlen);
        free(bucket);
        *key = slash + 1;
        return st;
    }
    if (locator[0] == '/') {
        const char *slash = strrchr(locator, '/');
        char *dir = xstrndup(locator, slash == locator ? 1 : (size_t)(slash - locator));
        struct storage *st;

        if (!storage_key_valid(slash + 1)) {
            free(dir);
            snprintf(err, errlen, "the stored file's name is not valid");
            return NULL;
        }
        st = open_local(dir);
        free(dir);
        *key = slash + 1;
        return st;
    }
    snprintf(err, errlen, "unknown storage locator");
    return NULL;
}

void storage_close(struct storage *st)
{
    if (st == NULL)
        return;
    free(st->dir);
    s3_close(st->s);
    free(st);
}

const char *storage_kind(const struct storage *st)
{
    return st->is_s3 ? "s3" : "local";
}

char *storage_locator(const struct storage *st, const char *key)
{
    if (st->is_s3)
        return xasprintf("s3://%s/%s", s3_bucket(st->s), key);
    return xasprintf("%s/%s", strcmp(st->dir, "/") == 0 ? "" : st->dir, key);
}

bool storage_sink_write(struct storage_sink *sink, const char *data, size_t n,
                        enum storage_status *status)
{
    if (sink->limit != 0 && (n > sink->limit || sink->written > sink->limit - n)) {
        *status = STORAGE_TOO_LARGE;
        return false;
    }
    if (sink->buf != NULL) {
        if (!buf_append(sink->buf, data, n)) {
            *status = STORAGE_TOO_LARGE;
            return false;
        }
    } else {
        size_t done = 0;
        while (done < n) {
            ssize_t w = write(sink->fd, data + done, n - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                log_error("storage: write: %s", strerror(w < 0 ? errno : EIO));
                *status = STORAGE_IO;
                return false;
            }
            done += (size_t)w;
        }
    }
    sink->written += n;
    return true;
}

enum storage_status storage_put_fd(struct storage *st, const char *key, int fd, uint64_t length,
                                   const char *content_type, const char *sha256)
{
    if (!storage_key_valid(key) || fd < 0)
        return STORAGE_INVALID;
    if (st->is_s3)
        return s3_put_fd(st->s, key, fd, length, content_type, sha256);
    return local_put_fd(st->dir, key, fd, length);
}

enum storage_status storage_put_mem(struct storage *st, const char *key, const void *data, size_t n,
                                    const char *content_type)
{
    char hash[65];
    enum storage_status s;
    size_t done = 0;
    int fd;

    if (!storage_key_valid(key))
        return STORAGE_INVALID;
    fd = memfd_create("plccoach-put", MFD_CLOEXEC);
    if (fd < 0) {
        log_error("storage: memfd_create: %s", strerror(errno));
        return STORAGE_IO;
    }
    while (done < n) {
        ssize_t w = write(fd, (const char *)data + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            log_error("storage: write to a memory file: %s", strerror(w < 0 ? errno : EIO));
            close(fd);
            return STORAGE_IO;
        }
        done += (size_t)w;
    }
    sigv4_sha256_hex(data, n, hash);
    s = storage_put_fd(st, key, fd, n, content_type, hash);
    close(fd);
    return s;
}

enum storage_status storage_get_buf(struct storage *st, const char *key, struct buf *out,
                                    size_t limit)
{
    struct storage_sink sink = {out, -1, limit, 0};
    size_t start = out->len;
    enum storage_status s;

    if (!storage_key_valid(key))
        return STORAGE_INVALID;
    out->limit = 0; /* the sink enforces limit, relative to the start */
    out->overflow = false;
    s = st->is_s3 ? s3_get(st->s, key, &sink) : local_get(st->dir, key, &sink);
    if (s != STORAGE_OK && out->data != NULL) {
        out->len = start;
        out->data[start] = '\0';
    }
    return s;
}

enum storage_status storage_get_fd(struct storage *st, const char *key, int fd, uint64_t limit)
{
    struct storage_sink sink = {NULL, fd, limit, 0};

    if (!storage_key_valid(key) || fd < 0)
        return STORAGE_INVALID;
    return st->is_s3 ? s3_get(st->s, key, &sink) : local_get(st->dir, key, &sink);
}

enum storage_status storage_delete(struct storage *st, const char *key)
{
    if (!storage_key_valid(key))
        return STORAGE_INVALID;
    return st->is_s3 ? s3_delete(st->s, key) : local_delete(st->dir, key);
}

enum storage_status storage_presign_get(struct storage *st, const char *key, int64_t expires_s,
                                        char **url)
{
    *url = NULL;
    if (!storage_key_valid(key) || expires_s < 1 || expires_s > 604800)
        return STORAGE_INVALID;
    if (!st->is_s3)
        return STORAGE_UNSUPPORTED;
    return s3_presign_get(st->s, key, expires_s, NULL, NULL, url);
}

enum storage_status storage_presign_download(struct storage *st, const char *key, int64_t expires_s,
                                             const char *disposition, const char *content_type,
                                             char **url)
{
    *url = NULL;
    if (!storage_key_valid(key) || expires_s < 1 || expires_s > 604800)
        return STORAGE_INVALID;
    if (!st->is_s3)
        return STORAGE_UNSUPPORTED;
    return s3_presign_get(st->s, key, expires_s, disposition, content_type, url);
}

enum storage_status storage_delete_locator(const struct config *cfg, const char *locator, char *err,
                                           size_t errlen)
{
    const char *key;
    struct storage *st = storage_open_locator(cfg, locator, &key, err, errlen);
    enum storage_status rc;

    if (st == NULL)
        return STORAGE_INVALID;
    rc = storage_delete(st, key);
    storage_close(st);
    snprintf(err, errlen, "%s", storage_strerror(rc));
    return rc;
}
