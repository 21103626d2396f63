/*
 * The extractive composer: the coach's answer without a language model
 * (architecture.md: "an extractive composer that builds the answer from
 * the best sentences of the retrieved passages, every sentence cited";
 * issue 12, section 5).
 *
 * Candidates: every sentence of the retrieved passages (sentences.h),
 * EXTRACT_MIN_WORDS to EXTRACT_MAX_WORDS words long, ending like a
 * sentence and not with a question mark (the book asking, not answering),
 * with a heading glued to its start (a PDF's section heading
 * runs into the first sentence of its section) cut off.  Each is scored
 * against the question: the sum, over the question's terms it contains
 * (stemmed, acronyms expanded), of the term's weight (the library's IDF
 * when the caller gives it, else the IDF among the candidates), twice for
 * the terms of the focus (the follow-up as asked), divided by the
 * sentence's term count to the power EXTRACT_LENGTH_EXPONENT, plus a
 * small prior for the passage's retrieval rank (EXTRACT_RANK_PRIOR /
 * rank).
 *
 * A sentence must share substance with the question: at least one term
 * whose library IDF is at least EXTRACT_SUBSTANCE_IDF (any shared term
 * without IDFs).  A sentence that opens with a pronoun or a connective
 * whose referent is missing ("This", "They", "However", "For example")
 * comes with the sentence before it in its passage, or not at all.
 *
 * The answer, in Markdown:
 *
 *     "The sentence that answers the question most directly." [1]
 *
 *     - "A point, in the order of its passage." [1]
 *     - "Points are grouped by source, source 1 first." [2]
 *
 *     **Key takeaways**
 *
 *     - "The core clause of a cited sentence" [1]
 *
 *     **Suggested follow-up questions**
 *
 *     1. How do we go about ...?
 *
 * The opening is the best sentence; then the best sentences of its own
 * passage until EXTRACT_OPENING_PASSAGE are taken (the passage that
 * answers best is read more fully); then up to EXTRACT_MAX_POINTS in all,
 * best first while they score at least EXTRACT_RELATIVE of the opening,
 * at most EXTRACT_MAX_PER_PASSAGE per passage, none sharing
 * EXTRACT_DUPLICATE_SHARE of its terms with one already taken, within
 * EXTRACT_MAX_WORDS_TOTAL words; listed by passage and, within one, in
 * the passage's order.  When the question asks how ("how do we ...",
 * "steps"), the points are numbered steps.  Key takeaways: up to
 * EXTRACT_TAKEAWAYS of the cited sentences, best first and one per source
 * where possible, each cut to its first clause when that is long enough
 * to stand alone.  The follow-up questions are the caller's (built from
 * neighbouring section headings, phrase.h), at most EXTRACT_FOLLOWUPS.
 * Every sentence is quoted exactly and cited; a sentence that itself holds
 * straight double quotes is quoted with U+201C/U+201D so that the
 * verifier pairs the marks correctly.
 */
#ifndef PLC_COACH_EXTRACTIVE_H
#define PLC_COACH_EXTRACTIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXTRACT_MIN_WORDS 5
#define EXTRACT_MAX_WORDS 70
#define EXTRACT_MAX_POINTS 6
#define EXTRACT_MAX_PER_PASSAGE 5
#define EXTRACT_OPENING_PASSAGE 4 /* sentences of the opening's passage taken first */
#define EXTRACT_LENGTH_EXPONENT 0.25
#define EXTRACT_MAX_WORDS_TOTAL 330
#define EXTRACT_RELATIVE 0.15
#define EXTRACT_DUPLICATE_SHARE 0.7
#define EXTRACT_RANK_PRIOR 0.15
#define EXTRACT_SUBSTANCE_IDF 0.7
#define EXTRACT_TAKEAWAYS 3
#define EXTRACT_FOLLOWUPS 3

/* One retrieved passage. */
struct extract_source {
    const char *text;
    const char *section; /* its section heading, or NULL */
};

/* The library's weight of one of the question's terms (a terms_of() hash
 * of the question's word). */
struct extract_weight {
    uint64_t term;
    double idf;
};

struct extract_request {
    const char *question; /* the standalone question */
    const char *focus;    /* the follow-up as asked (its terms count twice), or NULL */
    const struct extract_source *sources; /* source n is sources[n - 1] */
    size_t k;
    const char *const *headings; /* headings that may be glued to a sentence */
    size_t nheadings;
    const struct extract_weight *weights; /* NULL: IDF among the candidates */
    size_t nweights;
    const char *const *followups; /* suggested questions, already phrased */
    size_t nfollowups;
};

/* Composes the answer.  Returns malloc'd Markdown (caller frees), or NULL
 * when no sentence of the passages shares substance with the question. */
char *extractive_compose(const struct extract_request *rq)
    __attribute__((nonnull, warn_unused_result));

/* True when question asks how to do something ("how do we", "how can I",
 * "how to", "what steps"), not how many, much, often or long. */
bool extractive_asks_how(const char *question) __attribute__((nonnull));

#endif
