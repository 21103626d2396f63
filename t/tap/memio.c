/*
 * In-memory request I/O for tests; see memio.h.
 */
#include "config.h"

#include <string.h>

#include "tap/memio.h"

static long mem_read(void *ctx, char *dst, size_t n)
{
    struct memio *m = ctx;
    size_t left = m->in_len - m->pos;

    if (n > left)
        n = left;
    memcpy(dst, m->in + m->pos, n);
    m->pos += n;
    return (long)n;
}

static bool mem_write(void *ctx, const char *src, size_t n)
{
    struct memio *m = ctx;

    if (m->fail_writes)
        return false;
    buf_append(&m->out, src, n);
    return true;
}

static bool mem_flush(void *ctx)
{
    struct memio *m = ctx;

    m->flushes++;
    return !m->fail_writes;
}

void memio_init(struct memio *m, const char *body, struct req_io *io)
{
    memset(m, 0, sizeof(*m));
    m->in = body ? body : "";
    m->in_len = strlen(m->in);
    io->read = mem_read;
    io->write = mem_write;
    io->flush = mem_flush;
    io->ctx = m;
}

void memio_free(struct memio *m)
{
    buf_free(&m->out);
}

const char *memio_body(const struct memio *m)
{
    const char *sep = strstr(buf_str(&m->out), "\r\n\r\n");

    return sep ? sep + 4 : "";
}
