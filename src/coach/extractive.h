/*
 * The extractive composer: the coach's answer without a language model
 * (architecture.md: "an extractive composer that builds the answer from
 * the best sentences of the retrieved passages, every sentence cited").
 *
 * Each sentence of the retrieved passages (EXTRACT_MIN_WORDS to
 * EXTRACT_MAX_WORDS words long) is scored against the question: the sum,
 * over the question's terms it contains (stemmed, acronyms expanded), of
 * ln(1 + N / df), where N is the number of candidate sentences and df the
 * number containing the term; divided by sqrt of the sentence's term
 * count (long sentences do not win by size), plus a small prior for the
 * passage's retrieval rank (0.15 / rank).  Terms of the focus (the
 * follow-up as asked, when the question is its standalone rewrite) count
 * twice.  The best are taken greedily: at most EXTRACT_MAX_SENTENCES, at
 * most 2 per passage, at most EXTRACT_MAX_WORDS_TOTAL words, none sharing
 * 70 % of its terms with one already taken.  When no sentence shares a
 * term with the question there is no answer (NULL): the pipeline then
 * says the library has nothing on it rather than quote passages that
 * only the retrieval's hashing found similar.  The sentences are listed
 * in passage order, each quoted exactly
 * and cited:
 *
 *     Here is what the library says:
 *
 *     - "First sentence." [1]
 *     - "Second sentence." [2]
 *
 * A sentence that itself holds straight double quotes is quoted with
 * U+201C/U+201D so that the verifier pairs the marks correctly.
 */
#ifndef PLC_COACH_EXTRACTIVE_H
#define PLC_COACH_EXTRACTIVE_H

#include <stddef.h>

#define EXTRACT_MIN_WORDS 5
#define EXTRACT_MAX_WORDS 70
#define EXTRACT_MAX_SENTENCES 4
#define EXTRACT_MAX_WORDS_TOTAL 180

#define EXTRACT_LEAD "Here is what the library says:"

/* Composes the answer to question (focus: NULL or the words that matter
 * most) from passages[0..k) (source n is passages[n - 1]).  Returns
 * malloc'd Markdown (caller frees), or NULL when no passage has a usable
 * sentence sharing a term with the question. */
char *extractive_compose(const char *question, const char *focus, const char *const *passages,
                         size_t k) __attribute__((nonnull(1, 3), warn_unused_result));

#endif
