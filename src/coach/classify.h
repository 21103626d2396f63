/*
 * Classification by the language model (issue 12, section 3: "with a
 * model configured: classification by the model, strict JSON, the rules
 * as fallback").
 *
 * The request: a system message holding "TASK: CLASSIFY" that asks for
 * one JSON object {"scope": "in"|"out", "too_broad": true|false,
 * "domains": [names]}, and a user message with the lines "Question: ...",
 * the library's closest sections ("- Book, Chapter N: Title, section:
 * Heading", one per passage), "Evidence: coverage C, best match B,
 * lexicon L" and "Rules say: in scope" (or "out of scope", "too broad"):
 * what the library holds is the model's only way to know what it covers,
 * and the rules' reading is one more piece of evidence.  The answer must
 * be exactly that object (a code fence around it is tolerated): "scope"
 * one of the two words, "too_broad" a boolean, "domains" an array of 0..3
 * known domain names, no other member.  Anything else, a failed call or
 * an open breaker leaves the rules' class (classify_model returns false).
 *
 * Ownership: nothing is retained; *out points to static strings.
 */
#ifndef PLC_COACH_CLASSIFY_H
#define PLC_COACH_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "coach/route.h"

struct config;
struct search_result;

#define CLASSIFY_MAX_TOKENS 80

/* What the model said. */
struct classify_answer {
    bool out_of_scope;
    bool too_broad;
    unsigned domains; /* bit i = domain i */
};

/* Parses the model's answer strictly; false when it is not exactly the
 * object described above.  Exposed for the unit test and the fuzz target. */
bool classify_parse(const char *text, size_t len, struct classify_answer *out)
    __attribute__((nonnull));

/* Asks the model to classify question, given the rules' class and the
 * search's evidence; true and *out filled when it answered usably. */
bool classify_model(const struct config *cfg, const char *question, const struct search_result *sr,
                    const struct route_evidence *ev, const struct coach_class *rules,
                    struct classify_answer *out) __attribute__((nonnull));

#endif
