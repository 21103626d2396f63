/*
 * A streaming multipart/form-data parser (RFC 7578), for uploads that must
 * never be held in memory whole: bytes are fed as they arrive and part data
 * is handed to a callback in pieces.  Part headers are bounded; anything
 * malformed stops the parse.
 */
#ifndef PLC_HTTP_MULTIPART_H
#define PLC_HTTP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define MULTIPART_MAX_BOUNDARY 70
#define MULTIPART_MAX_HEADERS 8192

struct multipart_cb {
    /* A part starts; filename is NULL for a plain field, content_type NULL
     * when absent.  The strings live until part_end.  False aborts. */
    bool (*part_begin)(void *ctx, const char *name, const char *filename, const char *content_type);
    /* Some of the part's bytes. False aborts. */
    bool (*part_data)(void *ctx, const char *data, size_t n);
    /* The part is complete. False aborts. */
    bool (*part_end)(void *ctx);
    void *ctx;
};

enum multipart_state { MP_PREAMBLE, MP_HEADERS, MP_BODY, MP_AFTER_BOUNDARY, MP_DONE, MP_ERROR };

struct multipart {
    char delim[MULTIPART_MAX_BOUNDARY + 5]; /* "\r\n--" boundary */
    size_t delim_len;
    enum multipart_state state;
    struct buf pending;                   /* bytes not yet consumed; owned */
    char *name, *filename, *content_type; /* current part; owned */
    struct multipart_cb cb;
    const char *error; /* static reason once state is MP_ERROR */
};

/* Reads the boundary from a Content-Type header value
 * ("multipart/form-data; boundary=..."), quoted or not.  Returns false
 * when the header is not multipart/form-data or the boundary is missing,
 * longer than 70 bytes or holds characters RFC 2046 does not allow. */
bool multipart_init(struct multipart *mp, const char *content_type, const struct multipart_cb *cb)
    __attribute__((nonnull, warn_unused_result));

/* Feeds n more bytes.  Returns false (and stays failed) on malformed input
 * or when a callback aborted; mp->error says why. */
bool multipart_feed(struct multipart *mp, const char *data, size_t n) __attribute__((nonnull(1)));

/* Returns true when the closing boundary was seen. */
bool multipart_done(const struct multipart *mp) __attribute__((nonnull));

/* Releases what the parser owns. */
void multipart_free(struct multipart *mp);

#endif
