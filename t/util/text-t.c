/* Tests for util/text: UTF-8, percent-decoding, integers, booleans, UUIDs. */
#include "config.h"

#include <string.h>

#include "tap/basic.h"
#include "util/text.h"

static bool valid(const char *s)
{
    return utf8_valid(s, strlen(s));
}

int main(void)
{
    char out[64];
    int64_t v = 0;
    bool b = false;

    plan(41);

    ok(valid("plain ascii"), "ASCII is valid UTF-8");
    ok(valid("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), "2, 3 and 4 byte sequences are valid");
    ok(!valid("\xc0\xaf"), "overlong encoding is refused");
    ok(!valid("\xe0\x80\xaf"), "overlong 3-byte encoding is refused");
    ok(!valid("\xed\xa0\x80"), "UTF-16 surrogate is refused");
    ok(!valid("\xf4\x90\x80\x80"), "code point above U+10FFFF is refused");
    ok(!valid("\xe2\x82"), "truncated sequence is refused");
    ok(!valid("\x80"), "stray continuation byte is refused");
    ok(!utf8_valid("a\0b", 3), "an embedded NUL is refused");
    is_int(3, (long)utf8_clip("abc", 5), "utf8_clip: what fits is kept whole");
    is_int(2, (long)utf8_clip("ab\xc3\xa9", 3),
           "utf8_clip: a cut inside \xc3\xa9 keeps none of it");
    is_int(4, (long)utf8_clip("ab\xc3\xa9z", 4), "utf8_clip: a cut after a character keeps it");

    is_int(4, percent_decode(out, "a%20b+", 6, false), "decoded length without plus");
    is_string("a b+", out, "escaped space decodes, + kept in paths");
    is_int(4, percent_decode(out, "a+b%2B", 6, true), "decoded length with plus");
    is_string("a b+", out, "+ is space in forms, escaped plus is plus");
    is_int(-1, percent_decode(out, "%zz", 3, false), "non-hex escape refused");
    is_int(-1, percent_decode(out, "ab%2", 4, false), "truncated escape refused");
    is_int(-1, percent_decode(out, "ab%", 3, false), "lone percent refused");
    is_int(-1, percent_decode(out, "%00", 3, false), "escaped NUL refused");
    is_int(3, percent_decode(out, "%C3%A9x", 7, false), "multi-byte escapes decode");
    is_string("\xc3\xa9x", out, "multi-byte escape result");

    ok(parse_int64("42", 0, 100, &v) && v == 42, "integer in range parses");
    ok(parse_int64("-5", -10, 10, &v) && v == -5, "negative integer parses");
    ok(!parse_int64("101", 0, 100, &v), "above max refused");
    ok(!parse_int64("12abc", 0, 100, &v), "trailing bytes refused");
    ok(!parse_int64("", 0, 100, &v), "empty refused");
    ok(!parse_int64(" 1", 0, 100, &v), "leading space refused");
    ok(!parse_int64("99999999999999999999", 0, INT64_MAX, &v), "overflow refused");

    ok(parse_bool("TRUE", &b) && b, "TRUE parses as true");
    ok(parse_bool("off", &b) && !b, "off parses as false");
    ok(!parse_bool("maybe", &b), "other words refused");

    ok(is_uuid("123e4567-e89b-12d3-a456-426614174000"), "canonical UUID accepted");
    ok(!is_uuid("123e4567e89b12d3a456426614174000"), "UUID without dashes refused");
    ok(!is_uuid("123e4567-e89b-12d3-a456-42661417400g"), "non-hex digit refused");
    ok(!is_uuid("123e4567-e89b-12d3-a456-4266141740000"), "too long refused");
    ok(!is_uuid("123e4567-e89b-12d3-a456-42661417400"), "too short refused");
    {
        int64_t t1 = now_ms(), t2 = now_ms();
        ok(t2 >= t1 && t1 > 0, "monotonic clock does not go backwards");
    }
    /* The FNV-1a reference vectors (the offset basis, "a", "foobar"). */
    ok(fnv1a64("", 0) == 0xcbf29ce484222325ULL, "FNV-1a of nothing: the offset basis");
    ok(fnv1a64("a", 1) == 0xaf63dc4c8601ec8cULL, "FNV-1a of a");
    ok(fnv1a64("foobarX", 6) == 0x85944171f73967e8ULL, "FNV-1a of foobar (n bytes only)");
    return 0;
}
