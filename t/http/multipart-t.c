/* Tests for http/multipart: boundaries, fields and files, every way of
 * splitting the input into feeds, and malformed bodies. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "http/multipart.h"
#include "tap/basic.h"
#include "util/buf.h"

struct seen {
    struct buf log; /* "begin name filename|" "data..." "end|" */
    bool refuse_file;
};

static bool on_begin(void *ctx, const char *name, const char *filename, const char *ctype)
{
    struct seen *s = ctx;

    if (filename != NULL && s->refuse_file)
        return false;
    buf_printf(&s->log, "[%s:%s:%s]", name, filename ? filename : "-", ctype ? ctype : "-");
    return true;
}

static bool on_data(void *ctx, const char *data, size_t n)
{
    struct seen *s = ctx;

    buf_append(&s->log, data, n);
    return true;
}

static bool on_end(void *ctx)
{
    struct seen *s = ctx;

    buf_puts(&s->log, "[end]");
    return true;
}

/* Parses body (len bytes, or all of it when len is (size_t)-1) fed in
 * pieces of `step` bytes; returns the log, or "ERROR:
 * why" (in a static buffer). */
static const char *parse(const char *ctype, const char *body, size_t len, size_t step,
                         bool refuse_file)
{
    static char out[4096];
    struct seen s = {BUF_INIT, refuse_file};
    const struct multipart_cb cb = {on_begin, on_data, on_end, &s};
    struct multipart mp;
    size_t i;
    bool ok = true;

    if (len == (size_t)-1)
        len = strlen(body);
    if (!multipart_init(&mp, ctype, &cb)) {
        multipart_free(&mp);
        return "ERROR: init";
    }
    for (i = 0; i < len && ok; i += step)
        ok = multipart_feed(&mp, body + i, len - i < step ? len - i : step);
    if (!ok)
        snprintf(out, sizeof(out), "ERROR: %s", mp.error ? mp.error : "?");
    else if (!multipart_done(&mp))
        snprintf(out, sizeof(out), "INCOMPLETE: %s", buf_str(&s.log));
    else
        snprintf(out, sizeof(out), "%s", buf_str(&s.log));
    multipart_free(&mp);
    buf_free(&s.log);
    return out;
}

int main(void)
{
    static const char ct[] = "multipart/form-data; boundary=XyZ--42";
    static const char body[] =
        "preamble to ignore\r\n"
        "--XyZ--42\r\n"
        "Content-Disposition: form-data; name=\"title\"\r\n"
        "\r\n"
        "My Book\r\n"
        "--XyZ--42\r\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"a b.md\"\r\n"
        "Content-Type: text/markdown\r\n"
        "\r\n"
        "line one\r\n--XyZ--4 not the end\r\n\r\nlast\r\n"
        "--XyZ--42--\r\n"
        "epilogue";
    static const char want[] = "[title:-:-]My Book[end]"
                               "[file:a b.md:text/markdown]line one\r\n--XyZ--4 not the end\r\n\r\n"
                               "last[end]";
    size_t step;
    bool all_splits = true;

    plan(15);
    is_string(want, parse(ct, body, sizeof(body) - 1, 4096, false), "fields and a file, one feed");
    for (step = 1; step < sizeof(body); step++) {
        if (strcmp(parse(ct, body, sizeof(body) - 1, step, false), want) != 0) {
            diag("fed %zu bytes at a time: %s", step,
                 parse(ct, body, sizeof(body) - 1, step, false));
            all_splits = false;
        }
    }
    ok(all_splits, "the same parts however the input is split into feeds (1 to %zu bytes)",
       sizeof(body) - 1);
    is_string("[a:-:-][end]",
              parse("multipart/form-data; boundary=\"q\"",
                    "--q\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--q--", (size_t)-1, 7,
                    false),
              "a quoted boundary and an empty part");
    is_string("ERROR: init", parse("text/plain", body, sizeof(body) - 1, 10, false),
              "not multipart: refused");
    is_string("ERROR: init", parse("multipart/form-data", body, sizeof(body) - 1, 10, false),
              "no boundary: refused");
    is_string("ERROR: init",
              parse("multipart/form-data; boundary=0123456789012345678901234567890123456789"
                    "0123456789012345678901234567890123456789",
                    body, 10, 10, false),
              "a boundary over 70 bytes: refused");
    is_string("ERROR: init", parse("multipart/form-data; boundary=a\x01z", body, 10, 10, false),
              "a boundary with a control character: refused");
    ok(strncmp(
           parse(ct, "--XyZ--42\r\nno colon here\r\n\r\nx\r\n--XyZ--42--", (size_t)-1, 5, false),
           "ERROR: a part header without a colon", 36)
           == 0,
       "a header line without a colon is malformed");
    ok(strncmp(
           parse(ct,
                 "--XyZ--42\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nx\r\n--XyZ--42--",
                 (size_t)-1, 9, false),
           "ERROR: a part that is not form-data", 35)
           == 0,
       "a part that is not form-data is malformed");
    ok(strncmp(parse(ct, "--XyZ--42\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--42--",
                     (size_t)-1, 9, false),
               "ERROR: a part without a name", 28)
           == 0,
       "a part without a name is malformed");
    ok(strncmp(parse(ct,
                     "--XyZ--42\r\nContent-Disposition: form-data; name=a\r\n"
                     "Content-Disposition: form-data; name=b\r\n\r\nx\r\n--XyZ--42--",
                     (size_t)-1, 11, false),
               "ERROR: a part with two Content-Disposition headers", 49)
           == 0,
       "two Content-Disposition headers are malformed");
    ok(strncmp(parse(ct, "--XyZ--42xx", 11, 3, false), "ERROR: garbage after a boundary", 31) == 0,
       "bytes other than CRLF or -- after a boundary are malformed");
    ok(strncmp(parse(ct, body, 120, 16, false), "INCOMPLETE", 10) == 0,
       "a body cut short is reported incomplete, not done");
    ok(strncmp(parse(ct, body, sizeof(body) - 1, 32, true), "ERROR: refused", 14) == 0,
       "a callback can refuse a part");
    {
        struct buf big = BUF_INIT;
        size_t i;
        buf_puts(&big, "--XyZ--42\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: ");
        for (i = 0; i < 9000; i++)
            buf_putc(&big, 'p');
        buf_puts(&big, "\r\n\r\nx\r\n--XyZ--42--");
        ok(strncmp(parse(ct, big.data, big.len, 1000, false), "ERROR: part headers too long", 28)
               == 0,
           "part headers are bounded");
        buf_free(&big);
    }
    return 0;
}
