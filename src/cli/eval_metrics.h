/*
 * The pure parts of `plccoach eval` (eval/README.md): the percentile
 * bootstrap of ratio metrics, the plain BM25 page baseline, and the
 * key-term rule.  No database, no I/O: the unit tests in t/cli/ drive
 * them with fixed inputs.
 */
#ifndef PLC_CLI_EVAL_METRICS_H
#define PLC_CLI_EVAL_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- bootstrap ------------------------------------------------------------
 * A metric is a ratio over questions: sum of num[i] / sum of den[i]
 * (recall@1: num 1 when the first passage is right, den 1 for every
 * retrieval question; a question a metric does not apply to has den 0).
 * The bootstrap draws n questions with replacement, resamples times, with
 * a seeded generator (splitmix64), and takes the 2.5th and 97.5th
 * percentiles of the ratio over the resamples whose denominator is not 0
 * (the nearest-rank percentile of the sorted values). */

struct eval_ci {
    double value; /* the ratio over all questions (0 when den sums to 0) */
    double lo, hi;
    double den; /* sum of den */
};

/* The next number of a splitmix64 generator whose state is *s. */
uint64_t eval_rand(uint64_t *s) __attribute__((nonnull));

/* Computes value and the 95 % interval of several metrics at once, from
 * the same resamples (so their intervals are comparable): num and den are
 * nmetrics arrays of n values each (num[m][i]).  out has nmetrics
 * entries. */
void eval_bootstrap(const double *const *num, const double *const *den, size_t nmetrics, size_t n,
                    size_t resamples, uint64_t seed, struct eval_ci *out) __attribute__((nonnull));

/* ---- the page baseline ------------------------------------------------------
 * Okapi BM25 over whole printed pages, standard and untuned: k1 1.2, b
 * 0.75, Lucene's idf; words are runs of ASCII letters and digits (bytes
 * >= 0x80 count as letters), lower-cased; one-letter words and the local
 * embedder's stop words dropped; each word stemmed by the local
 * embedder's light stemmer (embed_local_stem).  No acronyms, no headings,
 * no expansion. */

#define EVAL_BASE_K1 1.2
#define EVAL_BASE_B 0.75

struct eval_pages; /* opaque: the pages' term counts */

/* Builds the index of n page texts (copied as term counts; the texts are
 * not kept).  Release with eval_pages_free. */
struct eval_pages *eval_pages_new(const char *const *texts, size_t n)
    __attribute__((warn_unused_result));

void eval_pages_free(struct eval_pages *p);

/* Ranks the pages for question: writes the indexes of the best k pages
 * (score > 0 only; ties by lower index) into out and returns how many. */
size_t eval_pages_rank(const struct eval_pages *p, const char *question, size_t k, size_t *out)
    __attribute__((nonnull));

/* ---- key terms ------------------------------------------------------------
 * A key term is found in an answer when its words, analysed as the page
 * baseline analyses them (lower-cased, light-stemmed; stop words kept so
 * that a phrase stays a phrase), occur in the answer's words in a row.
 * So "common formative assessments" is found in "...the common formative
 * assessment the team wrote...", and "norms" in "Norm-setting" (the
 * hyphen separates words), but "formative assessment" is not in
 * "formative and summative assessment". */

/* Returns how many of terms[0..n) the text holds. */
size_t eval_key_terms_found(const char *text, const char *const *terms, size_t n)
    __attribute__((nonnull(1)));

/* What an answer tells the teacher (sugg37): its text without its blocks
 * headed by one of headings[0..n), each a line that starts with the
 * heading (case-insensitive, after Markdown marks: '#', '*', '_' and
 * blanks), with the lines after it that are blank or list items ("- ",
 * "* ", "+ ", "1. ", "1) "), up to the first line that is neither.
 * Returns a malloc'd copy (the caller's). */
char *eval_answer_without(const char *text, const char *const *headings, size_t n)
    __attribute__((nonnull(1), warn_unused_result));

/* text without its suggested questions (eval_answer_without with the
 * extractive answer's "Suggested follow-up questions", extractive.h, and
 * the model's "You might also ask", prompt.c): a key term found only in
 * a question the answer suggests is not something it told the teacher,
 * so key-term coverage is counted on this.  Malloc'd (the caller's). */
char *eval_answer_told(const char *text) __attribute__((nonnull, warn_unused_result));

#endif
