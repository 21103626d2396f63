/* Tests for the preview of a conversation (db/conversations.c
 * conv_preview): white space, the 160-character limit counted in
 * characters, never cutting a UTF-8 sequence, the ellipsis. The queries
 * themselves are t/integration/conversations.sh. */
#include "config.h"

#include <string.h>

#include "db/conversations.h"
#include "tap/basic.h"
#include "util/buf.h"
#include "util/text.h"

#define ELLIPSIS "\xe2\x80\xa6"

static struct buf out = BUF_INIT;

/* Returns the preview of text (max characters), owned by out. */
static const char *preview(const char *text, size_t max, bool truncated)
{
    buf_reset(&out);
    conv_preview(&out, text, max, truncated);
    return buf_str(&out);
}

/* Counts the characters of valid UTF-8 s; -1 when it is not valid. */
static long chars(const char *s)
{
    size_t len = strlen(s), i = 0;
    long n = 0;

    while (i < len) {
        size_t k = utf8_sequence_length(s + i, len - i);
        if (k == 0)
            return -1;
        i += k;
        n++;
    }
    return n;
}

int main(void)
{
    char long_ascii[400], long_utf8[800], exact[CONV_PREVIEW_CHARS + 1];
    const char *p;
    size_t i;
    bool every_cut_ok = true;

    plan(22);

    is_string("", preview("", 160, false), "empty text: empty preview");
    is_string("", preview(" \n\t ", 160, false), "white space only: empty preview");
    is_string("How do we write common assessments?",
              preview("How do we write common assessments?", 160, false), "short text unchanged");
    is_string("one two three", preview("  one \n\n two\t\tthree \r\n", 160, false),
              "runs of white space become one space, ends trimmed");
    is_string("caf\xc3\xa9 na\xc3\xafve", preview("caf\xc3\xa9  na\xc3\xafve", 160, false),
              "UTF-8 kept");

    memset(exact, 'x', CONV_PREVIEW_CHARS);
    exact[CONV_PREVIEW_CHARS] = '\0';
    is_string(exact, preview(exact, CONV_PREVIEW_CHARS, false), "exactly 160 characters: no cut");

    memset(long_ascii, 'a', sizeof(long_ascii) - 1);
    long_ascii[sizeof(long_ascii) - 1] = '\0';
    p = preview(long_ascii, CONV_PREVIEW_CHARS, false);
    is_int(CONV_PREVIEW_CHARS, chars(p), "a long text is cut to 160 characters");
    ok(strlen(p) >= 3 && strcmp(p + strlen(p) - 3, ELLIPSIS) == 0, "ending in an ellipsis");
    is_int(159 + 3, (long long)strlen(p), "159 letters and the 3-byte ellipsis");

    /* 2-byte characters: 400 of them, so a byte-based cut would split one. */
    for (i = 0; i < 399; i++) {
        long_utf8[2 * i] = '\xc3';
        long_utf8[2 * i + 1] = '\xa9';
    }
    long_utf8[2 * 399] = '\0';
    p = preview(long_utf8, CONV_PREVIEW_CHARS, false);
    ok(utf8_valid(p, strlen(p)), "a cut through 2-byte characters is still valid UTF-8");
    is_int(CONV_PREVIEW_CHARS, chars(p), "and counts characters, not bytes");

    /* 4-byte characters (emoji), cut at every position from 1 to 12. */
    for (i = 1; i <= 12; i++) {
        const char *emoji = "\xf0\x9f\x93\x9a\xf0\x9f\x93\x9a\xf0\x9f\x93\x9a\xf0\x9f\x93\x9a"
                            "\xf0\x9f\x93\x9a\xf0\x9f\x93\x9a\xf0\x9f\x93\x9a\xf0\x9f\x93\x9a"
                            "\xf0\x9f\x93\x9a\xf0\x9f\x93\x9a\xf0\x9f\x93\x9a\xf0\x9f\x93\x9a"
                            "\xf0\x9f\x93\x9a";
        p = preview(emoji, i, false);
        if (!utf8_valid(p, strlen(p)) || chars(p) != (long)i)
            every_cut_ok = false;
    }
    ok(every_cut_ok, "13 emoji cut to 1..12 characters: valid, exact length");

    is_string("word word" ELLIPSIS, preview("word word word", 10, false),
              "a cut after a space drops the space before the ellipsis");
    is_string("abcdefghi" ELLIPSIS, preview("abcdefghijk", 10, false), "9 + ellipsis = 10");
    is_string("abcdefghij", preview("abcdefghij", 10, false), "10 fit in 10");
    is_string("a b c d e" ELLIPSIS, preview("a b c d e f", 10, false),
              "11 characters with spaces: 9 + ellipsis");
    is_string("short" ELLIPSIS, preview("short", 160, true),
              "text the database had cut ends in an ellipsis too");
    is_string("abcdefghi" ELLIPSIS, preview("abcdefghij", 10, true),
              "and still fits the limit when it was already full");
    is_string("ok", preview("o\xff\xfek", 160, false), "invalid bytes are skipped");
    is_string(ELLIPSIS, preview("abc", 1, false), "a limit of 1: only the ellipsis");
    is_string("a", preview("a", 1, false), "one character fits a limit of 1");
    is_string("x", preview("\n\nx\n\n", 160, false), "newlines around a single character");

    buf_free(&out);
    return 0;
}
