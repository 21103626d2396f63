/*
 * Keyset pagination cursors.
 *
 * A page of a list ordered by (timestamp DESC, uuid DESC) ends with a
 * cursor naming its last row; the next page is the rows strictly after
 * it.  To clients the cursor is an opaque string; it is in fact a version
 * byte, the timestamp in microseconds since the Unix epoch and the UUID,
 * as 50 lowercase hex digits.  Decoding is strict: anything that
 * cursor_encode() could not have produced is refused.
 */
#ifndef PLC_UTIL_CURSOR_H
#define PLC_UTIL_CURSOR_H

#include <stdbool.h>
#include <stdint.h>

#define CURSOR_LEN 50
#define CURSOR_UUID_LEN 36

/* Latest time a cursor may carry: 9999-12-31T23:59:59.999999Z. */
#define CURSOR_MAX_USEC INT64_C(253402300799999999)

/* Writes the cursor for (usec, uuid) and a NUL into out.  Returns false
 * when usec is outside 0..CURSOR_MAX_USEC or uuid is not a UUID. */
bool cursor_encode(int64_t usec, const char *uuid, char out[CURSOR_LEN + 1])
    __attribute__((nonnull, warn_unused_result));

/* Parses a cursor into *usec and the canonical lower-case UUID (uuid
 * receives 36 characters and a NUL).  Returns false when s is not a
 * cursor. */
bool cursor_decode(const char *s, int64_t *usec, char uuid[CURSOR_UUID_LEN + 1])
    __attribute__((nonnull, warn_unused_result));

#endif
