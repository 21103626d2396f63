/*
 * The local back end: objects are files under one directory (today's
 * behaviour for PLCCOACH_CONTENT_DIR), shared by the processes of one
 * host.  A put writes a hidden temporary file in the same directory,
 * fsyncs it and renames it into place, so a reader sees the old object or
 * the new one, never a part; a failed put removes its temporary file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/backend.h"
#include "util/alloc.h"
#include "util/log.h"

/* Creates dir and the directories of key's parent (like mkdir -p);
 * false (logged) on failure. */
static bool make_parents(const char *dir, const char *key)
{
    char *path = xasprintf("%s/%s", dir, key), *p;
    bool ok = true;

    p = path + strlen(dir);
    *p = '\0';
    if (mkdir(path, 0750) != 0 && errno != EEXIST)
        ok = false;
    *p = '/';
    for (p = strchr(p + 1, '/'); ok && p != NULL; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(path, 0750) != 0 && errno != EEXIST)
            ok = false;
        *p = '/';
    }
    if (!ok)
        log_error("storage: mkdir for %s: %s", path, strerror(errno));
    free(path);
    return ok;
}

enum storage_status local_put_fd(const char *dir, const char *key, int fd, uint64_t length)
{
    char *final = xasprintf("%s/%s", dir, key), *tmp, *slash;
    char chunk[65536];
    uint64_t off = 0;
    enum storage_status st = STORAGE_OK;
    int out;

    if (!make_parents(dir, key)) {
        free(final);
        return STORAGE_IO;
    }
    slash = strrchr(final, '/');
    tmp = xasprintf("%.*s/.put-XXXXXX", (int)(slash - final), final);
    out = mkstemp(tmp);
    if (out < 0) {
        log_error("storage: mkstemp in %s: %s", dir, strerror(errno));
        free(tmp);
        free(final);
        return STORAGE_IO;
    }
    while (st == STORAGE_OK && off < length) {
        size_t want = length - off < sizeof(chunk) ? (size_t)(length - off) : sizeof(chunk);
        ssize_t got = pread(fd, chunk, want, (off_t)off), w = 0, done = 0;
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            log_error("storage: reading the source: %s", got < 0 ? strerror(errno) : "short file");
            st = STORAGE_IO;
            break;
        }
        while (done < got) {
            w = write(out, chunk + done, (size_t)(got - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                log_error("storage: write %s: %s", tmp, strerror(w < 0 ? errno : EIO));
                st = STORAGE_IO;
                break;
            }
            done += w;
        }
        off += (uint64_t)got;
    }
    if (st == STORAGE_OK && (fsync(out) != 0 || fchmod(out, 0640) != 0)) {
        log_error("storage: fsync %s: %s", tmp, strerror(errno));
        st = STORAGE_IO;
    }
    if (close(out) != 0 && st == STORAGE_OK) {
        log_error("storage: close %s: %s", tmp, strerror(errno));
        st = STORAGE_IO;
    }
    if (st == STORAGE_OK && rename(tmp, final) != 0) {
        log_error("storage: rename to %s: %s", final, strerror(errno));
        st = STORAGE_IO;
    }
    if (st != STORAGE_OK)
        unlink(tmp);
    free(tmp);
    free(final);
    return st;
}

enum storage_status local_get(const char *dir, const char *key, struct storage_sink *sink)
{
    char *path = xasprintf("%s/%s", dir, key);
    char chunk[65536];
    enum storage_status st = STORAGE_OK;
    struct stat sb;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

    if (fd < 0) {
        st = errno == ENOENT || errno == ENOTDIR ? STORAGE_NOT_FOUND : STORAGE_IO;
        if (st == STORAGE_IO)
            log_error("storage: open %s: %s", path, strerror(errno));
        free(path);
        return st;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = STORAGE_NOT_FOUND;
    } else if (sink->limit != 0 && (uint64_t)sb.st_size > sink->limit) {
        st = STORAGE_TOO_LARGE;
    }
    while (st == STORAGE_OK) {
        ssize_t got = read(fd, chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            log_error("storage: read %s: %s", path, strerror(errno));
            st = STORAGE_IO;
        }
        if (got <= 0)
            break;
        if (!storage_sink_write(sink, chunk, (size_t)got, &st))
            break;
    }
    close(fd);
    free(path);
    return st;
}

enum storage_status local_delete(const char *dir, const char *key)
{
    char *path = xasprintf("%s/%s", dir, key);
    enum storage_status st = STORAGE_OK;

    if (unlink(path) != 0 && errno != ENOENT) {
        log_error("storage: unlink %s: %s", path, strerror(errno));
        st = STORAGE_IO;
    }
    free(path);
    return st;
}
