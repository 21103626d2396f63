/*
 * Irregular word forms for the analyser (analyze.h, step 3): an inflected
 * form that the Snowball stemmer does not bring to its base ("broken",
 * "broke" and "break"; "taught" and "teach"; "children" and "child") is
 * replaced by its base form before stemming, on the passages' side and on
 * the question's alike.
 *
 * The table (irregular_forms.c) is generated from Princeton WordNet 3.0's
 * exception lists (verb.exc, noun.exc, adj.exc, adv.exc) by
 * irregular_gen.c, and committed with WordNet's licence notice: it is in
 * the binary, so that every process (workers, the job process, the
 * command line, tests) analyses alike with no WordNet files and no
 * database row to load.  src/library/README.md ("Irregular forms") gives
 * the rules that keep a form out (a form that is a word of its own, a
 * form with two bases, ...).
 */
#ifndef PLC_LIBRARY_IRREGULAR_H
#define PLC_LIBRARY_IRREGULAR_H

#include <stddef.h>

/* One irregular form and its base form, both lower-case ASCII. */
struct irregular_form {
    const char *form, *base;
};

/* The table, sorted by form (strcmp); static data of irregular_forms.c. */
extern const struct irregular_form irregular_forms[];
extern const size_t irregular_forms_count;

/* The base form of the lower-case word w (len bytes, not NUL-ended), or
 * NULL when w is not on the table.  The string is static. */
const char *irregular_base(const char *w, size_t len) __attribute__((nonnull));

#endif
