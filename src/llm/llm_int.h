/*
 * What the three parts of the model client share (llm.h is the interface):
 * sse.c, the event-stream parser; breaker.c, the circuit breaker;
 * transport.c, the transport (libcurl) and llm_chat().  Not for other modules.
 */
#ifndef PLC_LLM_LLM_INT_H
#define PLC_LLM_LLM_INT_H

#include <stdbool.h>

struct config;

/* Nesting depth accepted in the service's JSON (events, error bodies). */
#define LLM_JSON_DEPTH 16

/* Returns false when the breaker refuses a call now; an open breaker past
 * its cooldown lets this one call through (half-open). */
bool llm_breaker_allow(void);

/* Records the outcome of a call the breaker let through. */
void llm_breaker_record(const struct config *cfg, bool success) __attribute__((nonnull));

#endif
