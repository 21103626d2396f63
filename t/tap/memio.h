/*
 * In-memory struct req_io for tests: the body comes from a string, the
 * response goes to a buffer.
 */
#ifndef PLC_TAP_MEMIO_H
#define PLC_TAP_MEMIO_H

#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"
#include "util/buf.h"

struct memio {
    const char *in;
    size_t in_len;
    size_t pos;
    struct buf out; /* everything written; owned, freed by memio_free */
    int flushes;
    bool fail_writes;
};

/* Sets up m to serve body (may be NULL) and fills io to use it. */
void memio_init(struct memio *m, const char *body, struct req_io *io);

void memio_free(struct memio *m);

/* Returns the body part of what was written (after the blank line). */
const char *memio_body(const struct memio *m);

#endif
