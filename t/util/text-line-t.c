/* Tests for a text on one line cut to a length (util/text.c text_line),
 * what a conversation's preview (160 characters) and a question's title
 * (80, at a word) are: white space, the limit counted in characters,
 * never cutting a UTF-8 sequence, the ellipsis, the cut at a word. The
 * queries are t/integration/conversations.sh. */
#include "config.h"

#include <string.h>

#include "tap/basic.h"
#include "util/buf.h"
#include "util/text.h"

#define ELLIPSIS "\xe2\x80\xa6"

static struct buf out = BUF_INIT;

#define CONV_PREVIEW_CHARS 160 /* db/conversations.h's */

/* Returns text_line() of text (max characters, cut mid-word; truncated:
 * already cut), owned by out. */
static const char *preview(const char *text, size_t max, bool truncated)
{
    buf_reset(&out);
    text_line(&out, text, max, truncated ? TEXT_TRUNCATED : 0);
    return buf_str(&out);
}

/* Returns text_line() of text cut at a word (max characters), owned by
 * out, after prefix (which stays). */
static const char *title(const char *prefix, const char *text, size_t max)
{
    buf_reset(&out);
    buf_puts(&out, prefix);
    text_line(&out, text, max, TEXT_AT_WORD);
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

    plan(32);

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

    /* Cut at a word (a question's title). */
    is_string("How do we write" ELLIPSIS, title("", "How do we write common assessments?", 20),
              "at a word: cut at the last space that fits");
    is_string("How do we write", title("", "How do we write", 20), "at a word: what fits stays");
    is_string("How do we write", title("", "  How\n\ndo   we\twrite  ", 20),
              "at a word: white space collapsed, ends trimmed");
    is_string("First" ELLIPSIS, title("", "First, second third fourth", 10),
              "at a word: a comma before the ellipsis goes");
    is_string("abcdefghi" ELLIPSIS, title("", "abcdefghijklmnopqrstuvwxyz", 10),
              "at a word: one long word is cut inside it");
    is_string("abcdefghi" ELLIPSIS, title("", "abcdefghi jklmno", 10),
              "at a word: a space as the last character that fits");
    is_string("aaaa bbbb c", title("", "aaaa bbbb c", 11), "at a word: exactly the limit fits");
    is_string("Re: one two" ELLIPSIS, title("Re: ", "one two three four", 10),
              "appended after what out holds, counted alone");
    is_string("Re: abcd" ELLIPSIS, title("Re: ", "abcdefghijkl", 5),
              "a space of what out held is no word boundary");
    is_string("caf\xc3\xa9 cr\xc3\xa8me" ELLIPSIS,
              title("", "caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9\x65", 12),
              "at a word, counted in characters");
    buf_free(&out);
    return 0;
}
