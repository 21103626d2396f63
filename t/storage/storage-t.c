/* Tests for the storage interface (storage/storage.h) without a network:
 * key rules, the local back end (put from a file descriptor with pread,
 * get into a buffer with a limit or into a file, delete, no temporary file
 * left, presigning unsupported), locators that reopen the same store,
 * the S3 configuration checks (bucket, endpoint, path-style and
 * virtual-hosted locators) and the S3 error document parser.  The S3 back
 * end itself runs against a real server in t/integration/storage.sh. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/backend.h"
#include "storage/storage.h"
#include "tap/basic.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"

static char dir[] = "/tmp/storage-t-XXXXXX";

/* Loads the defaults, then sets the given key (bail on a refusal). */
static void set(struct config *cfg, const char *name, const char *value)
{
    char err[256];

    if (!config_set(cfg, name, value, err, sizeof(err)))
        bail("%s", err);
}

static void defaults(struct config *cfg)
{
    char err[256];

    if (!config_load(cfg, err, sizeof(err)))
        bail("%s", err);
    set(cfg, "PLCCOACH_CONTENT_DIR", dir);
}

static void test_keys(void)
{
    static const char *const good[] = {"abc.pdf", "books/0123abcd.md", "a-b_c.txt", NULL};
    static const char *const bad[] = {"",     "/abs", "a/../b", "..",  ".hidden", "a/.x",
                                      "a//b", "a/",   "sp ace", "q?x", "%2e",     NULL};
    size_t i;

    for (i = 0; good[i]; i++)
        ok(storage_key_valid(good[i]), "key \"%s\" is valid", good[i]);
    for (i = 0; bad[i]; i++)
        ok(!storage_key_valid(bad[i]), "key \"%s\" is refused", bad[i]);
}

/* Counts the entries of path whose name starts with '.' (temporaries). */
static int hidden_files(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void test_local(void)
{
    struct config cfg;
    struct storage *st, *again;
    struct buf b = BUF_INIT;
    char err[256], src[64], *loc, x[] = "x", *url = x;
    const char *key = NULL;
    int fd, out;
    off_t pos;

    defaults(&cfg);
    st = storage_open(&cfg, STORAGE_CONTENT, err, sizeof(err));
    ok(st != NULL, "the local store opens");
    is_string("local", storage_kind(st), "of kind local");

    snprintf(src, sizeof(src), "%s/src-XXXXXX", dir);
    fd = mkstemp(src);
    if (fd < 0 || write(fd, "hello, storage", 14) != 14)
        bail("cannot write the source file");
    pos = lseek(fd, 5, SEEK_SET);
    is_int(STORAGE_OK, storage_put_fd(st, "books/abc.md", fd, 14, NULL, NULL), "put");
    is_int(pos, lseek(fd, 0, SEEK_CUR), "put reads with pread: the fd's position is unchanged");
    is_int(0, hidden_files(dir), "no temporary file in the directory");
    is_int(STORAGE_OK, storage_get_buf(st, "books/abc.md", &b, 100), "get into a buffer");
    is_string("hello, storage", buf_str(&b), "the same bytes");
    buf_reset(&b);
    buf_puts(&b, "kept:");
    is_int(STORAGE_TOO_LARGE, storage_get_buf(st, "books/abc.md", &b, 10),
           "more than the limit: too large");
    is_string("kept:", buf_str(&b), "and the buffer is left as it was");
    is_int(STORAGE_NOT_FOUND, storage_get_buf(st, "books/none.md", &b, 10), "a missing object");
    is_int(STORAGE_INVALID, storage_get_buf(st, "../etc/passwd", &b, 10), "a bad key");
    buf_free(&b);

    out = open("/dev/null", O_WRONLY);
    is_int(STORAGE_OK, storage_get_fd(st, "books/abc.md", out, 0), "get into a file");
    close(out);
    is_int(STORAGE_IO, storage_put_fd(st, "short.md", fd, 99, NULL, NULL),
           "a put from a file shorter than said fails");
    ok(access("short.md", F_OK) != 0 && hidden_files(dir) == 0, "leaving nothing behind");
    close(fd);
    unlink(src);

    loc = storage_locator(st, "books/abc.md");
    ok(strncmp(loc, dir, strlen(dir)) == 0 && strstr(loc, "/books/abc.md") != NULL,
       "the locator is the file's path");
    again = storage_open_locator(&cfg, loc, &key, err, sizeof(err));
    ok(again != NULL, "a locator reopens the store");
    is_string("abc.md", key, "naming the key in its directory");
    b.limit = 0;
    is_int(STORAGE_OK, again ? storage_get_buf(again, key, &b, 100) : STORAGE_INVALID,
           "which reads the same object");
    is_string("hello, storage", buf_str(&b), "byte for byte");
    buf_free(&b);
    storage_close(again);
    free(loc);

    is_int(STORAGE_UNSUPPORTED, storage_presign_get(st, "books/abc.md", 60, &url),
           "no presigned URLs for a directory");
    ok(url == NULL, "and no URL");
    is_int(STORAGE_OK, storage_delete(st, "books/abc.md"), "delete");
    is_int(STORAGE_NOT_FOUND, storage_get_buf(st, "books/abc.md", &b, 10), "it is gone");
    is_int(STORAGE_OK, storage_delete(st, "books/abc.md"), "deleting it again is fine");
    buf_free(&b);
    storage_close(st);
    config_free(&cfg);
}

static void test_s3_config(void)
{
    struct config cfg;
    struct storage *st;
    char err[256], *loc;
    const char *key = NULL;

    defaults(&cfg);
    set(&cfg, "PLCCOACH_STORAGE", "s3");
    set(&cfg, "PLCCOACH_S3_REGION", "eu-west-1");
    ok(storage_open(&cfg, STORAGE_CONTENT, err, sizeof(err)) == NULL, "s3 without a bucket");
    ok(strstr(err, "PLCCOACH_S3_CONTENT_BUCKET") != NULL, "names the missing key");
    set(&cfg, "PLCCOACH_S3_CONTENT_BUCKET", "Bad_Bucket");
    ok(storage_open(&cfg, STORAGE_CONTENT, err, sizeof(err)) == NULL, "a bad bucket name");
    set(&cfg, "PLCCOACH_S3_CONTENT_BUCKET", "plc-content");
    ok(!config_set(&cfg, "PLCCOACH_S3_ENDPOINT", "http://192.0.2.1:9000", err, sizeof(err)),
       "a plain-http endpoint off loopback is refused");
    set(&cfg, "PLCCOACH_S3_ENDPOINT", "http://127.0.0.1:9000/some/path");
    ok(storage_open(&cfg, STORAGE_CONTENT, err, sizeof(err)) == NULL,
       "an endpoint with a path is refused");
    set(&cfg, "PLCCOACH_S3_ENDPOINT", "http://127.0.0.1:9000/");
    st = storage_open(&cfg, STORAGE_CONTENT, err, sizeof(err));
    ok(st != NULL, "a loopback endpoint is accepted");
    is_string("s3", st ? storage_kind(st) : "", "of kind s3");
    loc = st ? storage_locator(st, "abc.pdf") : xstrdup("");
    is_string("s3://plc-content/abc.pdf", loc, "the locator names bucket and key");
    storage_close(st);
    set(&cfg, "PLCCOACH_STORAGE", "local"); /* a locator wins over this task's setting */
    st = storage_open_locator(&cfg, loc, &key, err, sizeof(err));
    ok(st != NULL && strcmp(storage_kind(st), "s3") == 0, "an s3 locator opens S3 anyway");
    is_string("abc.pdf", key, "with its key");
    storage_close(st);
    free(loc);
    ok(storage_open_locator(&cfg, "s3://bucket-only", &key, err, sizeof(err)) == NULL,
       "a locator without a key is refused");
    ok(storage_open_locator(&cfg, "s3://b/../x", &key, err, sizeof(err)) == NULL,
       "a locator with .. is refused");
    ok(storage_open_locator(&cfg, "relative/x.pdf", &key, err, sizeof(err)) == NULL,
       "a relative path is refused");
    config_free(&cfg);
}

static void test_errors(void)
{
    char code[64], msg[256];
    const char *doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                      "<Message>The specified key does not exist.\x01</Message></Error>";

    ok(s3_parse_error(doc, strlen(doc), code, msg), "an S3 error document");
    is_string("NoSuchKey", code, "its Code");
    is_string("The specified key does not exist.?", msg, "its Message, control bytes replaced");
    ok(!s3_parse_error("<Error><Code>Slow", 17, code, msg), "an unterminated Code: none");
    is_string("", code, "left empty");
    ok(!s3_parse_error("", 0, code, msg), "an empty body: none");
}

int main(void)
{
    log_init("test", LOG_ERROR);
    if (mkdtemp(dir) == NULL)
        bail("mkdtemp");
    plan(57);
    test_keys();
    test_local();
    test_s3_config();
    test_errors();
    if (system("rm -rf /tmp/storage-t-??????") != 0)
        diag("could not remove the temporary directory");
    return 0;
}
