/*
 * The one retry policy of the HTTP clients (the model, the embeddings
 * service, S3): how many attempts, and the pause before the next one,
 * growing geometrically from a base, optionally jittered, never shorter
 * than the server's Retry-After.  And the one way to sleep.
 */
#ifndef PLC_UTIL_RETRY_H
#define PLC_UTIL_RETRY_H

#include <stdbool.h>

struct retry_policy {
    int attempts; /* in all, the first included */
    long base_ms; /* the pause after the first attempt */
    int shift;    /* each later pause is the last one << shift (1: doubles, 2: times 4) */
    long max_ms;  /* no pause longer than this (before jitter), 0 = no cap */
    bool jitter;  /* half the pause fixed, half random (clients that retry together spread) */
};

/* The pause in milliseconds after attempt number done (1, 2, ...) failed:
 * base_ms << shift * (done - 1), capped at max_ms, jittered when asked,
 * and at least retry_after_ms (the server's Retry-After; -1 = none). */
long retry_delay_ms(const struct retry_policy *p, int done, long retry_after_ms)
    __attribute__((nonnull));

/* True when another attempt follows attempt number done. */
bool retry_more(const struct retry_policy *p, int done) __attribute__((nonnull));

/* Sleeps ms milliseconds, resuming after a signal interrupts the sleep. */
void sleep_ms(long ms);

#endif
