/*
 * ZIP writing through libarchive; see zipw.h.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/zipw.h"

struct zipw {
    struct archive *a; /* owned */
    struct buf *out;   /* borrowed */
    bool failed;
};

/* libarchive's write callback: appends to the buffer. */
static la_ssize_t write_cb(struct archive *a, void *ctx, const void *data, size_t n)
{
    struct zipw *z = ctx;

    (void)a;
    if (!buf_append(z->out, data, n) || z->out->overflow) {
        z->failed = true;
        return -1;
    }
    return (la_ssize_t)n;
}

struct zipw *zipw_open(struct buf *out)
{
    struct zipw *z = xcalloc(1, sizeof(*z));

    z->out = out;
    z->a = archive_write_new();
    if (z->a == NULL || archive_write_set_format_zip(z->a) != ARCHIVE_OK
        || archive_write_zip_set_compression_deflate(z->a) != ARCHIVE_OK
        || archive_write_set_bytes_per_block(z->a, 0) != ARCHIVE_OK
        || archive_write_open2(z->a, z, NULL, write_cb, NULL, NULL) != ARCHIVE_OK) {
        log_error("zip: cannot start an archive: %s",
                  z->a ? archive_error_string(z->a) : "out of memory");
        if (z->a != NULL)
            archive_write_free(z->a);
        free(z);
        return NULL;
    }
    return z;
}

/* Whether name is a relative path without empty, "." or ".." parts. */
static bool name_ok(const char *name)
{
    const char *p = name;

    if (*p == '\0' || *p == '/')
        return false;
    while (*p != '\0') {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        p += n;
        if (*p == '/')
            p++;
        else
            break;
    }
    return name[strlen(name) - 1] != '/';
}

bool zipw_add(struct zipw *z, const char *name, const void *data, size_t len, time_t mtime)
{
    struct archive_entry *e;
    bool ok;

    if (z->failed || !name_ok(name)) {
        log_error("zip: refused entry %s", name);
        return false;
    }
    e = archive_entry_new();
    archive_entry_set_pathname_utf8(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)len);
    archive_entry_set_mtime(e, mtime, 0);
    ok = archive_write_header(z->a, e) == ARCHIVE_OK
         && (len == 0 || archive_write_data(z->a, data, len) == (la_ssize_t)len) && !z->failed;
    archive_entry_free(e);
    if (!ok) {
        log_error("zip: cannot add %s: %s", name,
                  z->failed ? "the archive is too large" : archive_error_string(z->a));
        z->failed = true;
    }
    return ok;
}

bool zipw_close(struct zipw *z)
{
    bool ok;

    if (z == NULL)
        return true;
    ok = archive_write_close(z->a) == ARCHIVE_OK && !z->failed;
    if (!ok)
        log_error("zip: cannot finish the archive: %s",
                  z->failed ? "it failed earlier" : archive_error_string(z->a));
    archive_write_free(z->a);
    free(z);
    return ok;
}
