/*
 * The model client's circuit breaker (see llm.h and src/llm/README.md,
 * "Circuit breaker"): static state per process (each worker has its
 * own, and a worker is single-threaded, so there is exactly one trial
 * call when half-open).  Nothing is allocated.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

#include "llm/llm.h"
#include "llm/llm_int.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/text.h"

static struct {
    enum { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_HALF_OPEN } state;
    int64_t failures; /* consecutive failed calls */
    int64_t open_until;
} breaker;

void llm_breaker_reset(void)
{
    breaker.state = BREAKER_CLOSED;
    breaker.failures = 0;
    breaker.open_until = 0;
}

bool llm_breaker_open(const struct config *cfg)
{
    (void)cfg;
    return breaker.state == BREAKER_OPEN && now_ms() < breaker.open_until;
}

bool llm_breaker_allow(void)
{
    if (breaker.state != BREAKER_OPEN)
        return true;
    if (now_ms() < breaker.open_until)
        return false;
    breaker.state = BREAKER_HALF_OPEN;
    log_info("llm: circuit breaker half-open, trying one call");
    return true;
}

void llm_breaker_record(const struct config *cfg, bool success)
{
    if (success) {
        if (breaker.state != BREAKER_CLOSED)
            log_info("llm: circuit breaker closed");
        llm_breaker_reset();
        return;
    }
    breaker.failures++;
    if (breaker.state == BREAKER_HALF_OPEN || breaker.failures >= cfg->llm_breaker_failures) {
        breaker.state = BREAKER_OPEN;
        breaker.open_until = now_ms() + cfg->llm_breaker_cooldown_ms;
        LOG_FIELDS(LOG_WARN, "llm: circuit breaker open", LF_INT("failures", breaker.failures),
                   LF_INT("cooldown_ms", cfg->llm_breaker_cooldown_ms));
    }
}
