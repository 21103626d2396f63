/*
 * Acronyms the library spells out (src/library/README.md, "Acronyms the
 * library spells out"): a question's capitalised word that neither the
 * acronym list (synonyms.h) nor the library holds is looked up as the
 * initials of a capitalised phrase of the library's text ("CICO" ->
 * "Check-In, Check-Out", "WIN" -> "What I Need").
 *
 * Both sides are here and pure: initials_each() mines a passage's
 * capitalised phrases at ingestion (lexical.c stores them, db/acronyms.c),
 * initials_question() picks the question's words to look up.  Both read
 * untrusted bytes (a book's text, a question): fuzz/analyze-fuzz.c.
 */
#ifndef PLC_LIBRARY_INITIALS_H
#define PLC_LIBRARY_INITIALS_H

#include <stddef.h>

#define INITIALS_MIN 2 /* letters of an acronym looked up */
#define INITIALS_MAX 6
#define INITIALS_CONNECTORS 2   /* lower-case connectors a phrase may hold */
#define INITIALS_QUESTION_MAX 8 /* words of one question looked up */

/* Called for each capitalised phrase: initials (INITIALS_MIN..MAX
 * capitals, NUL-ended) and the phrase (its words lower-cased, hyphens
 * made spaces, one space between words: "check in check out").  Both
 * are the callee's to copy. */
typedef void (*initials_fn)(void *ctx, const char *initials, const char *phrase);

/* Calls fn for every capitalised phrase of text and each of its
 * initials, in text order.  A phrase is a run of whole words, each
 * capitalised (every hyphen part opens with a capital and is not all
 * capitals: "Check-In", "What", "I", "DuFour"; "PLC" is not), separated
 * by spaces or tabs, perhaps after a comma, on one line, that starts
 * and ends with a capitalised word;
 * up to INITIALS_CONNECTORS of the lower-case words "and", "of", "the",
 * "to", "for" may sit between two of its words.  Its initials are the
 * first letters of its words' hyphen parts, each connector counted or
 * not (both are given: "Response to Intervention" -> RTI and RI,
 * "Guaranteed and Viable Curriculum" -> GVC and GAVC).  Any other byte
 * (a line break, a full stop, a colon, a digit, a bracket, a non-ASCII
 * letter) ends a run.  A phrase is given once per distinct initials, even when its
 * connectors give the same letters two ways. */
void initials_each(const char *text, initials_fn fn, void *ctx) __attribute__((nonnull(1, 2)));

/* One question word to look up. */
struct initials_word {
    char initials[INITIALS_MAX + 1]; /* capitals: "CICO" */
    char lower[INITIALS_MAX + 1];    /* the same, lower case: "cico" */
};

/* Fills out[0..max) with the question's words to look up, in question
 * order, each once, and returns their number: a word (analyze.h's
 * words) of INITIALS_MIN..INITIALS_MAX capitals A-Z, perhaps followed by
 * a lower-case "s" (a plural: "ODRs"), that is not on the acronym list
 * nor a word of the thesaurus (synonyms.h), and not a stop word
 * ("NOT", "WHY": analyze_word() drops it).  Whether the library holds
 * the word is the look-up's question (db/acronyms.h). */
size_t initials_question(const char *question, struct initials_word *out, size_t max)
    __attribute__((nonnull(1)));

#endif
