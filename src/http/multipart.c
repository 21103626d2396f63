/*
 * Streaming multipart/form-data; see multipart.h.
 *
 * All input goes into one pending buffer.  In the body of a part, every
 * byte that cannot be the start of the delimiter ("\r\n--boundary") is
 * handed on at once; at most delim_len - 1 bytes wait for the next feed.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/multipart.h"
#include "util/alloc.h"

static bool boundary_char(unsigned char c)
{
    return isalnum(c) || strchr("'()+_,-./:=? ", c) != NULL;
}

bool multipart_init(struct multipart *mp, const char *content_type, const struct multipart_cb *cb)
{
    const char *p;
    size_t n = 0, i;

    memset(mp, 0, sizeof(*mp));
    mp->cb = *cb;
    mp->state = MP_ERROR;
    mp->error = "not multipart/form-data with a boundary";
    if (strncasecmp(content_type, "multipart/form-data", 19) != 0)
        return false;
    for (p = content_type + 19; (p = strchr(p, ';')) != NULL;) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, "boundary=", 9) == 0)
            break;
    }
    if (p == NULL)
        return false;
    p += 9;
    if (*p == '"') {
        const char *end = strchr(++p, '"');
        if (end == NULL)
            return false;
        n = (size_t)(end - p);
    } else {
        n = strcspn(p, "; \t");
    }
    if (n == 0 || n > MULTIPART_MAX_BOUNDARY || p[n - 1] == ' ')
        return false;
    for (i = 0; i < n; i++)
        if (!boundary_char((unsigned char)p[i]))
            return false;
    memcpy(mp->delim, "\r\n--", 4);
    memcpy(mp->delim + 4, p, n);
    mp->delim_len = n + 4;
    mp->delim[mp->delim_len] = '\0';
    /* The first boundary has no CRLF before it: pretend one arrived. */
    buf_append(&mp->pending, "\r\n", 2);
    mp->state = MP_PREAMBLE;
    mp->error = NULL;
    return true;
}

static bool fail(struct multipart *mp, const char *why)
{
    mp->state = MP_ERROR;
    mp->error = why;
    return false;
}

/* Drops the first n pending bytes. */
static void consume(struct multipart *mp, size_t n)
{
    memmove(mp->pending.data, mp->pending.data + n, mp->pending.len - n);
    mp->pending.len -= n;
    mp->pending.data[mp->pending.len] = '\0';
}

static void clear_part(struct multipart *mp)
{
    free(mp->name);
    free(mp->filename);
    free(mp->content_type);
    mp->name = mp->filename = mp->content_type = NULL;
}

/* Extracts param="value" (or param=value) from a Content-Disposition. */
static char *disposition_param(const char *value, const char *param)
{
    size_t plen = strlen(param);
    const char *p = value;

    while ((p = strchr(p, ';')) != NULL) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, param, plen) == 0 && p[plen] == '=') {
            p += plen + 1;
            if (*p == '"') {
                const char *end = strchr(++p, '"');
                return end ? xstrndup(p, (size_t)(end - p)) : NULL;
            }
            return xstrndup(p, strcspn(p, "; \t"));
        }
    }
    return NULL;
}

/* Parses the header block (without its final blank line). */
static bool parse_headers(struct multipart *mp, const char *h, size_t n)
{
    char *block = xstrndup(h, n), *line, *save = NULL;
    bool disposition = false;

    for (line = strtok_r(block, "\r\n", &save); line != NULL;
         line = strtok_r(NULL, "\r\n", &save)) {
        char *colon = strchr(line, ':');
        char *value;
        if (colon == NULL) {
            free(block);
            return fail(mp, "a part header without a colon");
        }
        *colon = '\0';
        for (value = colon + 1; *value == ' ' || *value == '\t'; value++)
            ;
        if (strcasecmp(line, "Content-Disposition") == 0) {
            if (strncasecmp(value, "form-data", 9) != 0 || disposition) {
                free(block);
                return fail(mp, disposition ? "a part with two Content-Disposition headers"
                                            : "a part that is not form-data");
            }
            mp->name = disposition_param(value, "name");
            mp->filename = disposition_param(value, "filename");
            disposition = true;
        } else if (strcasecmp(line, "Content-Type") == 0) {
            free(mp->content_type);
            mp->content_type = xstrdup(value);
        }
    }
    free(block);
    if (!disposition || mp->name == NULL || mp->name[0] == '\0')
        return fail(mp, "a part without a name");
    return true;
}

/* What a step of the state machine leaves run() to do. */
enum step {
    STEP_NEXT, /* the state moved on: run the next step */
    STEP_WAIT, /* everything pending is used: wait for the next feed */
    STEP_FAIL  /* mp->state is MP_ERROR */
};

static enum step step_fail(struct multipart *mp, const char *why)
{
    fail(mp, why);
    return STEP_FAIL;
}

/* Before the first boundary: skips the preamble. */
static enum step preamble(struct multipart *mp)
{
    size_t avail = mp->pending.len;
    char *found = memmem(mp->pending.data, avail, mp->delim, mp->delim_len);

    if (found == NULL) {
        if (avail >= mp->delim_len)
            consume(mp, avail - (mp->delim_len - 1));
        return STEP_WAIT;
    }
    consume(mp, (size_t)(found - mp->pending.data) + mp->delim_len);
    mp->state = MP_AFTER_BOUNDARY;
    return STEP_NEXT;
}

/* After a boundary: "--" ends the body, CRLF starts a part. */
static enum step after_boundary(struct multipart *mp)
{
    size_t avail = mp->pending.len;

    if (avail < 2)
        return STEP_WAIT;
    if (memcmp(mp->pending.data, "--", 2) == 0) {
        mp->state = MP_DONE;
        consume(mp, avail); /* the epilogue is ignored */
        return STEP_WAIT;
    }
    if (memcmp(mp->pending.data, "\r\n", 2) != 0)
        return step_fail(mp, "garbage after a boundary");
    consume(mp, 2);
    mp->state = MP_HEADERS;
    return STEP_NEXT;
}

/* A part's headers, once all have come: parsed, then part_begin(). */
static enum step headers(struct multipart *mp)
{
    size_t avail = mp->pending.len;
    char *found = memmem(mp->pending.data, avail, "\r\n\r\n", 4);

    if (found == NULL) {
        if (avail > MULTIPART_MAX_HEADERS)
            return step_fail(mp, "part headers too long");
        return STEP_WAIT;
    }
    if ((size_t)(found - mp->pending.data) > MULTIPART_MAX_HEADERS)
        return step_fail(mp, "part headers too long");
    clear_part(mp);
    if (!parse_headers(mp, mp->pending.data, (size_t)(found - mp->pending.data)))
        return STEP_FAIL;
    consume(mp, (size_t)(found - mp->pending.data) + 4);
    if (!mp->cb.part_begin(mp->cb.ctx, mp->name, mp->filename, mp->content_type))
        return step_fail(mp, "refused");
    /* The body's end is "\r\n--boundary": keep the CRLF searchable. */
    mp->state = MP_BODY;
    return STEP_NEXT;
}

/* A part's body: every byte that cannot start the delimiter goes to
 * part_data(), and the delimiter ends the part (part_end()). */
static enum step body(struct multipart *mp)
{
    size_t avail = mp->pending.len;
    char *found = memmem(mp->pending.data, avail, mp->delim, mp->delim_len);

    if (found == NULL) {
        size_t keep = mp->delim_len - 1;
        if (avail > keep) {
            if (!mp->cb.part_data(mp->cb.ctx, mp->pending.data, avail - keep))
                return step_fail(mp, "refused");
            consume(mp, avail - keep);
        }
        return STEP_WAIT;
    }
    if (found > mp->pending.data
        && !mp->cb.part_data(mp->cb.ctx, mp->pending.data, (size_t)(found - mp->pending.data)))
        return step_fail(mp, "refused");
    if (!mp->cb.part_end(mp->cb.ctx))
        return step_fail(mp, "refused");
    consume(mp, (size_t)(found - mp->pending.data) + mp->delim_len);
    mp->state = MP_AFTER_BOUNDARY;
    return STEP_NEXT;
}

/* Runs the state machine over what is pending. */
static bool run(struct multipart *mp)
{
    for (;;) {
        enum step next = STEP_NEXT;

        switch (mp->state) {
        case MP_PREAMBLE: next = preamble(mp); break;
        case MP_AFTER_BOUNDARY: next = after_boundary(mp); break;
        case MP_HEADERS: next = headers(mp); break;
        case MP_BODY: next = body(mp); break;
        case MP_DONE: mp->pending.len = 0; return true;
        case MP_ERROR: return false;
        }
        if (next != STEP_NEXT)
            return next == STEP_WAIT;
    }
}

bool multipart_feed(struct multipart *mp, const char *data, size_t n)
{
    if (mp->state == MP_ERROR)
        return false;
    if (mp->state == MP_DONE)
        return true;
    if (n > 0)
        buf_append(&mp->pending, data, n);
    return run(mp);
}

bool multipart_done(const struct multipart *mp)
{
    return mp->state == MP_DONE;
}

void multipart_free(struct multipart *mp)
{
    if (mp == NULL)
        return;
    clear_part(mp);
    buf_free(&mp->pending);
}
