/* Tests for util/bounded: a child's output comes back, a failure says
 * so, the deadline kills a child that runs too long, and output past the
 * limit is refused. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "tap/basic.h"
#include "util/bounded.h"
#include "util/buf.h"
#include "util/text.h"

static bool say(void *ctx, struct buf *out)
{
    buf_puts(out, ctx);
    return true;
}

static bool refuse(void *ctx, struct buf *out)
{
    (void)ctx;
    buf_puts(out, "no");
    return false;
}

static bool spin(void *ctx, struct buf *out)
{
    (void)ctx;
    (void)out;
    for (;;)
        pause();
    return true;
}

static bool crash(void *ctx, struct buf *out)
{
    (void)ctx;
    (void)out;
    _exit(3);
}

int main(void)
{
    struct buf out = BUF_INIT;
    int64_t t0;
    char big[5000], hello[] = "hello";

    plan(9);
    is_int(BOUNDED_OK, bounded_run(say, hello, 5000, 100, &out), "a child's work succeeds");
    is_string("hello", buf_str(&out), "and its output comes back");
    buf_reset(&out);
    is_int(BOUNDED_FAILED, bounded_run(refuse, NULL, 5000, 100, &out), "a refusal is a failure");
    is_string("no", buf_str(&out), "with its reason");
    buf_reset(&out);
    t0 = now_ms();
    is_int(BOUNDED_TIMEOUT, bounded_run(spin, NULL, 300, 100, &out),
           "a child past its deadline is killed");
    ok(now_ms() - t0 < 3000, "soon after the deadline (%lld ms)", (long long)(now_ms() - t0));
    is_int(BOUNDED_FAILED, bounded_run(crash, NULL, 5000, 100, &out), "a child that dies fails");
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    is_int(BOUNDED_FAILED, bounded_run(say, big, 5000, 1000, &out), "output past the limit fails");
    is_int(0, (long long)out.len, "and nothing is kept");
    buf_free(&out);
    return 0;
}
