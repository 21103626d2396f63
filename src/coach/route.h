/*
 * Classification of a (standalone) question (architecture.md, the coach
 * pipeline, step 2; issue 12, section 3): out of scope -> a fixed refusal;
 * too broad to answer well -> one clarifying question with 2-4 choices;
 * otherwise an answer, routed to zero or more of the seven domains.
 *
 * Out of scope means the library does not cover the question.  One
 * decision combines the evidence of the question's search (route_evidence,
 * filled by the pipeline from library/search.h's evidence) into a logistic
 * score (route_scope_logit): the IDF-weighted share of the question's
 * content terms the library holds as they are written (a term the search
 * matched only through a spelling correction does not count; an acronym
 * whose phrase the library holds does), the best passage's normalised
 * BM25 score, the domain lexicon's best score (library/domains.c, capped
 * at ROUTE_LEXICON_CAP), how many words of five letters or more the
 * library does not hold at all (capped at 3), and how little the library
 * uses the question's words (route_specificity: their mean IDF).  The
 * weights were fitted by logistic regression on eval/holdout/tune.jsonl,
 * eval/dev.jsonl and eval/coach.jsonl (t/coach/route-fit.py), and the cut
 * ROUTE_OUT_LOGIT is the lowest one that wrongly refuses at most 1 % of
 * tune's in-scope questions, half the 2 % promised, as margin
 * (src/coach/README.md, "Scope").  A too-broad question in the lexicon's
 * words is clarified rather than refused by the decision.  An extra rule, documented as such:
 * three safety topics the product promises to refuse whatever the
 * library holds (legal advice, medical advice, writing one student's 504
 * plan or IEP) are refused by phrase.
 *
 * Too broad: at most ROUTE_BROAD_MAX_DISTINCTIVE distinctive words
 * (words.h: not stop words, not generic words such as "PLC", "team",
 * "start", "fix", "improve", "steps"), and not a definition or a quantity
 * of a subject ("what is a PLC?", "how many norms?"; one made of vague
 * words alone, "what's the most important thing", asks for a priority
 * and is too broad); or one distinctive word more
 * when the question's best ROUTE_SPREAD_HITS matches come from at least
 * ROUTE_SPREAD_BOOKS different books (route_too_broad_spread: the
 * library answers it everywhere, so in no one place; fitted on tune,
 * src/coach/README.md, "Too broad"); or, ending in a bare plea for help
 * ("..., advice?", "... what do we do") after words that weigh at most
 * ROUTE_PLEA_IDF unseen words (route_too_broad_plea).  "What is X" defines
 * only when X follows it ("what's the best way to ..." does not), and
 * evaluative words ("useful") are not distinctive (branch clarify26).
 * The pipeline replaces the
 * general choices with the chapters and sections the question's best
 * matches fall in (route_set_choices).  Never clarifies twice in a row.
 *
 * Domains: src/library/domains.c's lexicon scores the question; the
 * domains scoring >= ROUTE_DOMAIN_MIN and >= half the best, at most 3.
 *
 * Everything returned points to static strings or to the choices the
 * caller passed; nothing is allocated.
 */
#ifndef PLC_COACH_ROUTE_H
#define PLC_COACH_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#define ROUTE_MAX_CHOICES 4
#define ROUTE_DOMAIN_MIN 2.0
#define ROUTE_BROAD_MAX_DISTINCTIVE 1
#define ROUTE_SPREAD_HITS 5  /* the passages whose books route_evidence counts */
#define ROUTE_SPREAD_BOOKS 4 /* ... from this many books or more: spread across the library */
#define ROUTE_PLEA_IDF 1.0   /* a plea's situation weighs at most one unseen word (clarify26) */

/* The scope decision's weights and cut, fitted on tune, dev and coach by
 *   t/coach/route-features eval/holdout/tune.jsonl eval/dev.jsonl \
 *       eval/coach.jsonl > f.jsonl && t/coach/route-fit.py f.jsonl
 * against the starter and evaluation libraries (src/coach/README.md). */
#define ROUTE_W0 1.34
#define ROUTE_W_COVERAGE (-3.53)
#define ROUTE_W_BEST (-3.05)
#define ROUTE_W_LEXICON (-3.69)
#define ROUTE_W_UNKNOWN 1.10
#define ROUTE_W_SPECIFICITY 5.32
#define ROUTE_LEXICON_CAP 4.0
#define ROUTE_OUT_LOGIT 2.07 /* p >= 0.89; <= 1 % of tune's in-scope refused */

/* A second way out of scope (branch scope38, route_unheld_things): the
 * logit at least ROUTE_NOUN_LOGIT and the question's words the library
 * does not hold all name things (nouns, wordclass.h), one or more.  The
 * bound: the lowest on a 0.1 grid refusing no answerable line of the FIT
 * files, plus 0.1 (t/coach/route-noun-fit.py; src/coach/README.md,
 * "Scope", scope38); the same on scope38b's counts, which leave out
 * contractions and clippings (wordclass_informal()). */
#define ROUTE_NOUN_LOGIT 1.3

/* What the library says about a question (filled from its search). */
struct route_evidence {
    bool searched;        /* false: no evidence, never out of scope by it */
    double coverage;      /* 0..1, as above */
    double best;          /* the best passage's normalised BM25 score, 0..1 */
    double lexicon;       /* the domain lexicon's best score */
    size_t unknown_words; /* words of 5+ letters the library does not hold */
    double specificity;   /* route_specificity(), 0..1 */
    size_t books;         /* how many books the best ROUTE_SPREAD_HITS passages come from */
    bool followup;        /* a follow-up rewritten with the conversation's words */
    double distinct_idf;  /* route_distinct_idf(): too broad's evidence (branch clarify26) */
    size_t unheld_nouns;  /* words the library lacks that name things (scope38) */
    size_t unheld_other;  /* ... and the ones that do not (qualities, manners, actions) */
};

enum coach_route { COACH_ANSWER, COACH_CLARIFY, COACH_REFUSE };

struct coach_class {
    enum coach_route route;
    bool safety;         /* COACH_REFUSE: one of the safety topics */
    unsigned domains;    /* bit i = domain i (library/domains.h) */
    const char *topic;   /* COACH_REFUSE: what is out of scope */
    const char *refusal; /* COACH_REFUSE: the fixed answer */
    const char *clarify; /* COACH_CLARIFY: the question */
    const char *choices[ROUTE_MAX_CHOICES];
    size_t nchoices;
};

/* Classifies question with the library's evidence (NULL: none).  With
 * allow_clarify false (the question answers an earlier clarifying
 * question) it is never sent back for clarification. */
void route_classify(const char *question, bool allow_clarify, const struct route_evidence *ev,
                    struct coach_class *out) __attribute__((nonnull(1, 4)));

/* The domains of question by the lexicon (bit i = domain i). */
unsigned route_domains(const char *question) __attribute__((nonnull));

struct search_evidence;

/* How specific to this library the question's words are not: the mean,
 * over the question's content terms (a word with a digit left out), of
 * each term's library IDF over the largest IDF the library can give (a
 * term the library lacks), 0..1; a spelling correction or an expanded
 * acronym counts with the IDF that stands in for it (search.h's
 * held_idf), so a typo is not counted twice against a question (coverage
 * already counts it as not held).  Words the library uses often (norm,
 * assessment, team) score low; words it uses once or never (series,
 * mortgage) high.  1 when no term is left; 0 for an empty library. */
double route_specificity(const struct search_evidence *e) __attribute__((nonnull));

/* The scope decision's logit, and whether it says out of scope. */
double route_scope_logit(const struct route_evidence *ev) __attribute__((nonnull));
bool route_out_of_scope(const struct route_evidence *ev) __attribute__((nonnull));

/* The second way out (scope38): true when ev was searched, is no
 * rewritten follow-up, its logit is at least ROUTE_NOUN_LOGIT, and the
 * question's words the library does not hold are one or more nouns and
 * nothing else ("a wedding gift for a coworker", "our union contract":
 * what the question is about is missing; not "kids who finish super
 * fast", whose missing words are manners of a subject the library
 * treats).  route_classify() applies it to a question it would answer
 * (not to one it clarifies). */
bool route_unheld_things(const struct route_evidence *ev) __attribute__((nonnull));

/* A second turn of a conversation scored on its own words alone (own:
 * the evidence of its own search, not the conversation's words): true
 * when the scope decision says they leave the library's field
 * (route_out_of_scope) and the turn does not point back to the earlier
 * one (points_back, rewrite.h's rewrite_points_back): "and what about my
 * car insurance?" after a question on norms is refused; "and what about
 * when someone breaks them?" is not (src/coach/README.md, "Follow-ups
 * that leave the field (follow28)"). */
bool route_followup_out_of_scope(const struct route_evidence *own, bool points_back)
    __attribute__((nonnull));

/* True when question is too broad to answer without a clarifying question. */
bool route_too_broad(const char *question) __attribute__((nonnull));

/* True when question has exactly ROUTE_BROAD_MAX_DISTINCTIVE + 1
 * distinctive words, is not a definition or a quantity, and its best
 * matches come from at least ROUTE_SPREAD_BOOKS books (ev->books); never
 * for a rewritten follow-up (ev->followup), whose subject the
 * conversation gave ("what about grading?" after reassessment). */
bool route_too_broad_spread(const char *question, const struct route_evidence *ev)
    __attribute__((nonnull));

/* The question's distinctive words (as too broad counts them: not
 * evaluative words such as "useful") weighed by their library IDF (a correction or an expanded
 * acronym by the IDF that stands in for it), summed once per term, over
 * the IDF of a word the library lacks: 1.0 weighs as much as one unseen
 * word.  0 for an empty library. */
double route_distinct_idf(const struct search_evidence *e, const char *question)
    __attribute__((nonnull));

/* True when question ends in a bare request for help ("..., advice?",
 * "... help", "... what do we do") after a situation whose distinctive
 * words weigh at most ROUTE_PLEA_IDF (ev->distinct_idf), and is not a
 * definition or a quantity; never for a rewritten follow-up or without
 * a search. */
bool route_too_broad_plea(const char *question, const struct route_evidence *ev)
    __attribute__((nonnull));

/* route_too_broad_spread or route_too_broad_plea: too broad by the
 * library's evidence. */
bool route_too_broad_evidence(const char *question, const struct route_evidence *ev)
    __attribute__((nonnull));

/* Makes out a clarification with the general choices (keeps domains). */
void route_clarify_general(struct coach_class *out) __attribute__((nonnull));

/* Makes out the refusal of a question the library does not cover. */
void route_refuse_uncovered(struct coach_class *out) __attribute__((nonnull));

/* Makes out the refusal of a question naming a book the library does
 * not hold (coach/booktitle.h), text its answer (the caller's, kept). */
void route_refuse_book(struct coach_class *out, const char *text) __attribute__((nonnull));

/* Makes out a clarification with these choices (n of them, 2..
 * ROUTE_MAX_CHOICES; the strings stay the caller's). */
void route_set_choices(struct coach_class *out, const char *const *choices, size_t n)
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
