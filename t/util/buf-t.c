/* Tests for util/buf: growth, printf, limits, JSON and Markdown escaping,
 * ownership. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tap/basic.h"
#include "util/buf.h"

int main(void)
{
    struct buf b = BUF_INIT;
    char *stolen;
    int i;

    plan(21);

    is_string("", buf_str(&b), "an empty buffer reads as the empty string");
    ok(buf_puts(&b, "hello") && buf_putc(&b, ' ') && buf_printf(&b, "%d-%s", 42, "x"),
       "appends succeed");
    is_string("hello 42-x", buf_str(&b), "appends accumulate in order");
    is_int(10, (long long)b.len, "length counts the bytes");

    for (i = 0; i < 1000; i++)
        buf_puts(&b, "0123456789");
    is_int(10010, (long long)b.len, "buffer grows past its first allocation");
    ok(b.data[b.len] == '\0', "contents stay NUL-terminated after growth");

    buf_reset(&b);
    is_int(0, (long long)b.len, "reset empties");
    is_string("", buf_str(&b), "reset contents read empty");

    b.limit = 8;
    ok(buf_puts(&b, "12345678"), "append up to the limit succeeds");
    ok(!buf_putc(&b, '9'), "append past the limit fails");
    ok(b.overflow, "overflow flag is set");
    ok(!buf_puts(&b, ""), "overflow is sticky: even an empty append fails");
    is_string("12345678", buf_str(&b), "refused bytes were not added");
    buf_free(&b);

    buf_json_escape(&b, "a\"b\\c\n\t\x01", 8);
    is_string("a\\\"b\\\\c\\n\\t\\u0001", buf_str(&b), "quote, backslash and controls escaped");
    buf_reset(&b);
    buf_json_escape(&b, "caf\xc3\xa9 \xff!", 8);
    is_string("caf\xc3\xa9 \\ufffd!", buf_str(&b), "valid UTF-8 kept, invalid byte replaced");
    buf_reset(&b);
    buf_json_escape(&b, "\xe2\x82", 2);
    is_string("\\ufffd\\ufffd", buf_str(&b), "a truncated sequence is replaced byte by byte");

    buf_reset(&b);
    buf_md_escape(&b, "[Norms](javascript:x) *a* _b_ <i>&amp; `c` #1 ~d~ \\");
    is_string(
        "\\[Norms\\]\\(javascript:x\\) \\*a\\* \\_b\\_ \\<i\\>\\&amp; \\`c\\` \\#1 \\~d\\~ \\\\",
        buf_str(&b), "Markdown's inline marks are backslash-escaped");
    buf_reset(&b);
    buf_md_escape(&b, "Team's \"Guide\", v2.0 -\nnext\t\x7f");
    is_string("Team's \"Guide\", v2.0 - next  ", buf_str(&b),
              "other punctuation kept; control characters become spaces");

    buf_reset(&b);
    buf_puts(&b, "owned");
    stolen = buf_steal(&b);
    is_string("owned", stolen, "steal hands over the contents");
    ok(b.data == NULL && b.len == 0, "steal leaves the buffer empty");
    free(stolen);
    stolen = buf_steal(&b);
    is_string("", stolen, "stealing an empty buffer gives an allocated empty string");
    free(stolen);
    buf_free(&b);
    return 0;
}
