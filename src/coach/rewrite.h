/*
 * Follow-up questions rewritten into standalone ones for retrieval and
 * classification (architecture.md, the coach pipeline, step 1).
 *
 * A question is a follow-up when it opens like one ("what about", "how
 * about", "and", "also", "what if", "same for", "then", "but", "so",
 * "how come", "ok") or, in at most REWRITE_SHORT_WORDS words,
 * points back ("it", "that", "this", "they", "them", "those", "these",
 * "there", "one", "ones", "instead", "else", "more").
 *
 * By rules: the follow-up, without its opening ("what about Tier 3?" ->
 * "Tier 3?"), then the previous (standalone) question in parentheses:
 * "Tier 3? (follow-up to: How do the tiers of RTI work?)", so that both
 * sets of words reach retrieval and the router.  By the model (when one is
 * configured): a request whose system message holds "TASK: REWRITE" and
 * whose user message has the lines "Previous question: ..." and
 * "Follow-up: ..."; its answer (one line, at most REWRITE_MAX_BYTES) is
 * the question, and the rules are used whenever the call fails.
 */
#ifndef PLC_COACH_REWRITE_H
#define PLC_COACH_REWRITE_H

#include <stdbool.h>

struct config;

#define REWRITE_SHORT_WORDS 8
#define REWRITE_MAX_BYTES 600

/* True when question reads as a follow-up of an earlier one. */
bool rewrite_is_followup(const char *question) __attribute__((nonnull));

/* Returns the standalone question by rules (malloc'd, caller frees). */
char *rewrite_rules(const char *previous, const char *followup)
    __attribute__((nonnull, warn_unused_result));

/* Returns the standalone question written by the model (malloc'd, caller
 * frees), or NULL when the call failed or answered nothing usable. */
char *rewrite_model(const struct config *cfg, const char *previous, const char *followup)
    __attribute__((nonnull, warn_unused_result));

#endif
