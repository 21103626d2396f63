/*
 * The seven knowledge domains (src/library/README.md; their names are
 * util/domain.h) and the rule-based tagger:
 * a weighted lexicon of stems and phrases matched against a chunk's words.
 * See src/library/README.md for the rules.
 */
#ifndef PLC_LIBRARY_DOMAINS_H
#define PLC_LIBRARY_DOMAINS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/domain.h"

/* A domain is tagged when it scores at least this much and at least
 * DOMAIN_RELATIVE of the best score; at most DOMAIN_MAX_TAGS are kept. */
#define DOMAIN_MIN_SCORE 3.0
#define DOMAIN_RELATIVE 0.5
#define DOMAIN_MAX_TAGS 3

/* Fills scores[i] with domain i's lexicon score for text. */
void domains_score(const char *text, double scores[DOMAIN_COUNT]) __attribute__((nonnull));

/* Returns the domains of text as a bit set (bit i = domain i); never 0:
 * when no domain clears DOMAIN_MIN_SCORE the best-scoring one is used, and
 * when nothing scores at all, fallback (itself non-zero). */
unsigned domains_tag(const char *text, unsigned fallback) __attribute__((nonnull));

/* Returns the best-scoring domain of summed scores as a one-bit set, or
 * the collaboration domain when all are zero. */
unsigned domains_best(const double scores[DOMAIN_COUNT]) __attribute__((nonnull));

/* ---- tagging by the language model (domains_model.c) ---------------- */

struct config;
struct chunk_list;

#define DOMAINS_MODEL_BATCH 8            /* passages per request */
#define DOMAINS_MODEL_PASSAGE_BYTES 1600 /* each cut to this on a UTF-8 boundary */

/* True when chunks should be tagged by the model: PLCCOACH_DOMAIN_TAGGER is
 * "auto" and a model service is configured (llm/llm.h). */
bool domains_model_wanted(const struct config *cfg) __attribute__((nonnull));

/* Re-tags c's chunks (already tagged by the lexicon) with the model's
 * answers, batch by batch; a batch whose call or answer fails keeps the
 * lexicon's tags.  Returns the number of chunks the model tagged. */
size_t domains_tag_model(const struct config *cfg, struct chunk_list *c) __attribute__((nonnull));

/* Parses a model answer {"tags":[[names...],...]} for n passages (1..
 * DOMAINS_MODEL_BATCH) into sets (bit i = domain i).  Returns false and
 * leaves sets untouched unless it is valid JSON with exactly n arrays of
 * 1..DOMAIN_MAX_TAGS known names.  text may hold a code fence around the
 * object.  Exposed for the unit test and the fuzz target. */
bool domains_model_parse(const char *text, size_t len, size_t n, unsigned *sets)
    __attribute__((nonnull));

#endif
