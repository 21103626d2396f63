/* Fuzz target: the model service's event-stream parser (llm_sse_*).
 * The first byte picks where the rest is split into two feeds; the same
 * bytes are also fed whole and (when short) one byte at a time.  Every
 * way must give the same outcome and the same text, and every delta must
 * be valid UTF-8 on its own. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "llm/llm.h"
#include "fuzz/fuzz.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/text.h"

static bool collect(void *ctx, const char *text, size_t len)
{
    struct buf *b = ctx;

    if (len == 0 || !utf8_valid(text, len))
        __builtin_trap();
    buf_append(b, text, len);
    return true;
}

/* Feeds data in the pieces that cuts[0..ncuts) mark; returns the parser's
 * verdict and fills text, res and done. */
static bool run(const char *data, size_t size, const size_t *cuts, size_t ncuts, struct buf *text,
                struct llm_result *res, bool *done)
{
    struct llm_sse *p;
    size_t i, from = 0;
    bool ok = true;

    memset(res, 0, sizeof(*res));
    res->prompt_tokens = res->completion_tokens = -1;
    p = llm_sse_new(collect, text, res);
    for (i = 0; i <= ncuts && ok; i++) {
        size_t to = i < ncuts ? cuts[i] : size;
        ok = llm_sse_feed(p, data + from, to - from);
        from = to;
    }
    *done = llm_sse_done(p);
    llm_sse_free(p);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf whole = BUF_INIT, split = BUF_INIT, bytes = BUF_INIT;
    struct llm_result r1, r2, r3;
    const char *s = (const char *)data + 1;
    size_t n, cut, i, *cuts;
    bool ok1, ok2, ok3, d1, d2, d3;

    if (size == 0)
        return 0;
    n = size - 1;
    cut = n * data[0] / 255;
    ok1 = run(s, n, NULL, 0, &whole, &r1, &d1);
    ok2 = run(s, n, &cut, 1, &split, &r2, &d2);
    if (ok1 != ok2 || d1 != d2 || whole.len != split.len
        || (whole.len && memcmp(whole.data, split.data, whole.len) != 0) || r1.status != r2.status
        || r1.prompt_tokens != r2.prompt_tokens || strcmp(r1.finish_reason, r2.finish_reason) != 0)
        __builtin_trap();
    if (!ok1 && r1.error[0] == '\0')
        __builtin_trap(); /* a refusal must say why */
    if (n <= 4096) {
        cuts = xcalloc(n + 1, sizeof(*cuts));
        for (i = 0; i < n; i++)
            cuts[i] = i + 1;
        ok3 = run(s, n, cuts, n ? n - 1 : 0, &bytes, &r3, &d3);
        free(cuts);
        if (ok3 != ok1 || d3 != d1 || bytes.len != whole.len
            || (whole.len && memcmp(whole.data, bytes.data, whole.len) != 0))
            __builtin_trap();
    }
    buf_free(&whole);
    buf_free(&split);
    buf_free(&bytes);
    return 0;
}
