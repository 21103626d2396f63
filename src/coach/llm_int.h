/*
 * What the three parts of the model client share (llm.h is the interface):
 * llm_sse.c, the event-stream parser; llm_breaker.c, the circuit breaker;
 * llm.c, the transport (libcurl) and llm_chat().  Not for other modules.
 */
#ifndef PLC_COACH_LLM_INT_H
#define PLC_COACH_LLM_INT_H

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
