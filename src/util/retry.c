/*
 * The HTTP clients' retry policy; see retry.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "util/retry.h"

long retry_delay_ms(const struct retry_policy *p, int done, long retry_after_ms)
{
    long d = p->base_ms;
    int i;

    for (i = 1; i < done; i++) {
        if (p->max_ms > 0 && d >= p->max_ms)
            break;
        if (d > (1L << 40)) /* far past any pause worth waiting */
            break;
        d <<= p->shift;
    }
    if (p->max_ms > 0 && d > p->max_ms)
        d = p->max_ms;
    if (p->jitter)
        d = d / 2 + (long)(random() % (d / 2 + 1));
    return retry_after_ms > d ? retry_after_ms : d;
}

bool retry_more(const struct retry_policy *p, int done)
{
    return done < p->attempts;
}

void sleep_ms(long ms)
{
    struct timespec ts;

    if (ms <= 0)
        return;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}
