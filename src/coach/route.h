/*
 * Rule-based classification of a (standalone) question (architecture.md,
 * the coach pipeline, step 2): out of scope -> a fixed refusal; too broad
 * to answer well -> one clarifying question with 2-4 choices; otherwise an
 * answer, routed to zero or more of the seven domains.
 *
 * Out of scope: a phrase list per topic (weather, legal and medical
 * advice, writing an individual student's 504 plan or IEP, technology
 * support, purchases, employment and contracts, transport and district
 * logistics, everyday topics such as recipes or sports); see route.c.
 * Too broad: once stop words and generic words ("PLC", "do", "work",
 * "tell", "about", ...) are set aside, nothing is left but at most one
 * domain's headline word ("assessment", "data", ...), the question is at
 * most 8 words long and it does not ask what something is ("what is a
 * PLC?" is answerable).  The choices are questions the library answers,
 * for that domain or, with none, across PLC work.
 * Domains: src/library/domains.c's lexicon scores the question; the
 * domains scoring >= ROUTE_DOMAIN_MIN and >= half the best, at most 3.
 *
 * Everything returned points to static strings; nothing is allocated.
 */
#ifndef PLC_COACH_ROUTE_H
#define PLC_COACH_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#define ROUTE_MAX_CHOICES 4
#define ROUTE_DOMAIN_MIN 2.0
#define ROUTE_BROAD_MAX_WORDS 8

enum coach_route { COACH_ANSWER, COACH_CLARIFY, COACH_REFUSE };

struct coach_class {
    enum coach_route route;
    unsigned domains;    /* bit i = domain i (library/domains.h) */
    const char *topic;   /* COACH_REFUSE: what is out of scope */
    const char *refusal; /* COACH_REFUSE: the fixed answer */
    const char *clarify; /* COACH_CLARIFY: the question */
    const char *choices[ROUTE_MAX_CHOICES];
    size_t nchoices;
};

/* Classifies question.  With allow_clarify false (the question answers an
 * earlier clarifying question) it is never sent back for clarification. */
void route_classify(const char *question, bool allow_clarify, struct coach_class *out)
    __attribute__((nonnull));

/* "answer", "clarification" or "refusal" (the API's "type"). */
const char *route_type_name(enum coach_route r);

/* "answer", "clarify" or "refuse" (eval/coach.jsonl's "route"); parses
 * those too. */
const char *route_name(enum coach_route r);
bool route_parse(const char *name, enum coach_route *out) __attribute__((nonnull));

/* True when text starts with one of the clarifying questions this module
 * asks (a saved answer that was a clarification). */
bool route_is_clarification(const char *text) __attribute__((nonnull));

#endif
