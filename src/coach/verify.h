/*
 * The citation verifier (architecture.md, the coach pipeline, step 5).
 *
 * The model's answer is untrusted text.  Every [n] must name one of the k
 * sources that were in the prompt, and every quotation ("..." or “...”)
 * must occur in the source its sentence cites, after normalisation
 * (verify_normalise).  What cannot be verified is removed:
 *   - a marker [n] with n outside 1..k is deleted (from "[1, 9]" only 9);
 *   - a sentence whose quotation is in none of the sources it cites is
 *     deleted whole, and so is a sentence with an uncited quotation of 4
 *     or more words found in no source (shorter uncited quotations are
 *     terms, not claims, and stay);
 *   - a line left with nothing but its list marker goes too.
 * The citations of the result are the distinct n still in the text, in
 * order of n, each with the first verified quotation attributed to it or,
 * when the answer quoted nothing from it, the sentence of the source that
 * shares the most terms with the sentences citing it.  An answer left
 * without citations is not grounded.
 *
 * A "sentence" of the answer: Markdown lines are split at . ! ? outside
 * quotations (see verify.c); the markers right after the punctuation
 * belong to the sentence before them.
 */
#ifndef PLC_COACH_VERIFY_H
#define PLC_COACH_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

#define VERIFY_MAX_SOURCES 64
/* An uncited quotation this many words long or longer is a claim. */
#define VERIFY_CLAIM_WORDS 4

struct verify_citation {
    int n;       /* 1-based source number */
    char *quote; /* malloc'd: the quotation, or the source's best sentence */
    bool quoted; /* the answer itself quoted it (and it verified) */
};

struct verify_result {
    char *text; /* malloc'd: the answer with what failed removed */
    struct verify_citation *cites;
    size_t ncites;
    size_t markers_removed;   /* [n] naming no source */
    size_t quotes_verified;   /* quotations found in their source */
    size_t quotes_failed;     /* quotations found nowhere they should be */
    size_t sentences_dropped; /* sentences deleted for a failed quotation */
};

/* Appends the normal form of n bytes of s to out: ASCII lower-cased;
 * curly and angle quotation marks become ' or "; the Unicode hyphens and
 * dashes (U+2010..U+2015, U+2212) become -; U+2026 becomes "..."; '*'
 * (Markdown emphasis) is dropped; every run of white space (also U+00A0
 * and the Unicode spaces) becomes one space; none leads or trails.
 * Invalid UTF-8 bytes are dropped. */
void verify_normalise(struct buf *out, const char *s, size_t n) __attribute__((nonnull));

/* Returns true when quotation q (n bytes, without its quotation marks)
 * occurs in the normalised source src_norm: leading and trailing
 * punctuation of q is ignored, and an ellipsis inside q splits it into
 * parts that must occur in order.  *empty is set when q holds nothing to
 * check (then false is returned). */
bool verify_quote_in(const char *q, size_t n, const char *src_norm, bool *empty)
    __attribute__((nonnull));

/* Verifies answer against sources[0..k) (passage texts; k <=
 * VERIFY_MAX_SOURCES).  Fills *out (release with verify_result_free). */
void verify_answer(const char *answer, const char *const *sources, size_t k,
                   struct verify_result *out) __attribute__((nonnull(1, 4)));

/* True when nothing was removed and at least one citation remains. */
bool verify_all_ok(const struct verify_result *r) __attribute__((nonnull));

void verify_result_free(struct verify_result *r);

#endif
