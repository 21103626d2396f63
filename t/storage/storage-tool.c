/* A command-line driver of the storage interface (storage/storage.h) for
 * t/integration/storage.sh and books-s3.sh.  Configuration comes from the
 * environment, as for the servers (PLCCOACH_STORAGE, PLCCOACH_S3_*, the AWS
 * credential chain).
 *
 *   storage-tool [--exports] put KEY FILE       store FILE under KEY
 *   storage-tool [--exports] get KEY FILE [MAX] write the object to FILE
 *   storage-tool [--exports] cat KEY MAX        print it (read into memory)
 *   storage-tool [--exports] delete KEY
 *   storage-tool [--exports] presign KEY SECONDS
 *   storage-tool [--exports] presign-download KEY SECONDS FILENAME TYPE
 *   storage-tool [--exports] locator KEY
 *   storage-tool cat-locator LOCATOR MAX        print what a locator names
 *
 * Exit status: 0 done, 2 usage or configuration, 3 not found, 4 too large,
 * 5 denied, 6 unavailable, 7 any other failure. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/storage.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/text.h"

static int exit_of(enum storage_status s)
{
    switch (s) {
    case STORAGE_OK: return 0;
    case STORAGE_NOT_FOUND: return 3;
    case STORAGE_TOO_LARGE: return 4;
    case STORAGE_DENIED: return 5;
    case STORAGE_UNAVAILABLE: return 6;
    default: return 7;
    }
}

static int usage(void)
{
    fprintf(
        stderr,
        "usage: storage-tool [--exports] put|get|cat|delete|presign|presign-download|locator KEY "
        "[ARG...] | cat-locator LOCATOR MAX\n");
    return 2;
}

static int64_t number(const char *s)
{
    int64_t v;

    return parse_int64(s, 0, INT64_C(1) << 40, &v) ? v : -1;
}

int main(int argc, char **argv)
{
    struct config cfg;
    struct storage *st = NULL;
    enum storage_status s = STORAGE_INVALID;
    enum storage_store which = STORAGE_CONTENT;
    char err[256];
    const char *cmd, *key;
    int i = 1, rc;

    log_init("cli", LOG_INFO);
    if (!config_load(&cfg, err, sizeof(err))) {
        fprintf(stderr, "storage-tool: %s\n", err);
        return 2;
    }
    if (i < argc && strcmp(argv[i], "--exports") == 0) {
        which = STORAGE_EXPORTS;
        i++;
    }
    if (argc - i < 2) {
        config_free(&cfg);
        return usage();
    }
    cmd = argv[i];
    key = argv[i + 1];
    if (strcmp(cmd, "cat-locator") == 0)
        st = storage_open_locator(&cfg, argv[i + 1], &key, err, sizeof(err));
    else
        st = storage_open(&cfg, which, err, sizeof(err));
    if (st == NULL) {
        fprintf(stderr, "storage-tool: %s\n", err);
        config_free(&cfg);
        return 2;
    }
    if (strcmp(cmd, "put") == 0 && argc - i == 3) {
        int fd = open(argv[i + 2], O_RDONLY);
        struct stat sb;
        if (fd >= 0 && fstat(fd, &sb) == 0)
            s = storage_put_fd(st, key, fd, (uint64_t)sb.st_size, NULL, NULL);
        else
            s = STORAGE_IO;
        if (fd >= 0)
            close(fd);
    } else if (strcmp(cmd, "get") == 0 && (argc - i == 3 || argc - i == 4)) {
        int fd = open(argv[i + 2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int64_t max = argc - i == 4 ? number(argv[i + 3]) : 0;
        s = fd < 0 || max < 0 ? STORAGE_IO : storage_get_fd(st, key, fd, (uint64_t)max);
        if (fd >= 0)
            close(fd);
    } else if ((strcmp(cmd, "cat") == 0 || strcmp(cmd, "cat-locator") == 0) && argc - i == 3) {
        struct buf b = BUF_INIT;
        int64_t max = number(argv[i + 2]);
        s = max <= 0 ? STORAGE_INVALID : storage_get_buf(st, key, &b, (size_t)max);
        if (s == STORAGE_OK)
            fwrite(b.data ? b.data : "", 1, b.len, stdout);
        buf_free(&b);
    } else if (strcmp(cmd, "delete") == 0 && argc - i == 2) {
        s = storage_delete(st, key);
    } else if (strcmp(cmd, "presign") == 0 && argc - i == 3) {
        char *url = NULL;
        s = storage_presign_get(st, key, number(argv[i + 2]), &url);
        if (s == STORAGE_OK)
            printf("%s\n", url);
        free(url);
    } else if (strcmp(cmd, "presign-download") == 0 && argc - i == 5) {
        char *url = NULL, disposition[512];
        snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s\"", argv[i + 3]);
        s = storage_presign_download(st, key, number(argv[i + 2]), disposition, argv[i + 4], &url);
        if (s == STORAGE_OK)
            printf("%s\n", url);
        free(url);
    } else if (strcmp(cmd, "locator") == 0 && argc - i == 2) {
        char *loc = storage_locator(st, key);
        printf("%s\n", loc);
        free(loc);
        s = STORAGE_OK;
    } else {
        storage_close(st);
        config_free(&cfg);
        return usage();
    }
    rc = exit_of(s);
    if (rc != 0)
        fprintf(stderr, "storage-tool: %s: %s\n", cmd, storage_strerror(s));
    storage_close(st);
    config_free(&cfg);
    return rc;
}
