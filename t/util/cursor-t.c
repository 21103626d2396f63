/* Tests for util/cursor: round trips at the edges of the range, the
 * canonical form of what comes back, and strict refusal of anything
 * cursor_encode() could not have produced. */
#include "config.h"

#include <string.h>

#include "tap/basic.h"
#include "util/cursor.h"

static const char *uuid = "0f8e7d6c-5b4a-4938-8271-6a5b4c3d2e1f";

/* Encodes then decodes (usec, id); true when both come back. */
static bool round_trip(int64_t usec, const char *id, const char *want_id)
{
    char c[CURSOR_LEN + 1], back[CURSOR_UUID_LEN + 1];
    int64_t u;

    return cursor_encode(usec, id, c) && strlen(c) == CURSOR_LEN && cursor_decode(c, &u, back)
           && u == usec && strcmp(back, want_id) == 0;
}

int main(void)
{
    char c[CURSOR_LEN + 1], bad[CURSOR_LEN + 2], id[CURSOR_UUID_LEN + 1];
    int64_t usec;
    size_t i;
    bool all_hex = true;

    plan(22);

    ok(round_trip(0, uuid, uuid), "the epoch round-trips");
    ok(round_trip(INT64_C(1732492018123456), uuid, uuid), "a 2024 time with microseconds");
    ok(round_trip(CURSOR_MAX_USEC, uuid, uuid), "the last microsecond of 9999");
    ok(round_trip(1, "00000000-0000-0000-0000-000000000000",
                  "00000000-0000-0000-0000-000000000000"),
       "the nil UUID");
    ok(round_trip(42, "0F8E7D6C-5B4A-4938-8271-6A5B4C3D2E1F", uuid),
       "an upper-case UUID comes back in lower case");

    ok(!cursor_encode(-1, uuid, c), "a negative time is refused");
    ok(!cursor_encode(CURSOR_MAX_USEC + 1, uuid, c), "a time past 9999 is refused");
    ok(!cursor_encode(0, "not-a-uuid", c), "a malformed UUID is refused");

    if (!cursor_encode(INT64_C(1732492018123456), uuid, c))
        bail("cursor_encode failed");
    for (i = 0; c[i] != '\0'; i++)
        if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'a' && c[i] <= 'f')))
            all_hex = false;
    ok(all_hex, "a cursor is lower-case hex (%s)", c);

    ok(!cursor_decode("", &usec, id), "the empty string is not a cursor");
    memcpy(bad, c, CURSOR_LEN - 1);
    bad[CURSOR_LEN - 1] = '\0';
    ok(!cursor_decode(bad, &usec, id), "one digit short");
    memcpy(bad, c, CURSOR_LEN + 1);
    bad[CURSOR_LEN] = '0';
    bad[CURSOR_LEN + 1] = '\0';
    ok(!cursor_decode(bad, &usec, id), "one digit too many");
    memcpy(bad, c, CURSOR_LEN + 1);
    bad[10] = (char)(bad[10] == 'a' ? 'A' : bad[10] >= 'a' ? bad[10] - 32 : 'G');
    ok(!cursor_decode(bad, &usec, id), "upper-case or non-hex digits");
    memcpy(bad, c, CURSOR_LEN + 1);
    bad[1] = '2';
    ok(!cursor_decode(bad, &usec, id), "another version byte");
    memcpy(bad, c, CURSOR_LEN + 1);
    memcpy(bad + 2, "ffffffffffffffff", 16);
    ok(!cursor_decode(bad, &usec, id), "a time beyond 9999 (or negative)");
    memcpy(bad, c, CURSOR_LEN + 1);
    bad[20] = ' ';
    ok(!cursor_decode(bad, &usec, id), "a space inside");
    memcpy(bad, c, CURSOR_LEN + 1);
    bad[CURSOR_LEN - 1] = '%';
    ok(!cursor_decode(bad, &usec, id), "a stray byte at the end");
    ok(!cursor_decode(uuid, &usec, id), "a bare UUID");

    ok(cursor_decode(c, &usec, id), "the cursor decodes");
    is_int(INT64_C(1732492018123456), usec, "to its time");
    is_string(uuid, id, "and its UUID");
    ok(strlen(id) == CURSOR_UUID_LEN, "36 characters");
    return 0;
}
