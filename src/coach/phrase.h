/*
 * A library heading turned into a question a teacher would ask: the
 * choices of a clarifying question and the suggested follow-up questions
 * of an answer are built from the library's own chapter and section
 * headings (src/coach/README.md, "Clarification" and "The extractive
 * answer").
 *
 * The heading is cleaned first: a leading "Chapter 3:", "Step 2:", "Part
 * II." or "4." goes, and so does trailing punctuation.  A heading with a
 * pronoun that stands for something said before it ("Who belongs on it",
 * "Making them stick": it, its, they, them, their, these, those) makes no
 * question: on its own it asks about nothing.  Then, by its first word:
 *   - a question word (what, how, why, who, which, is, are, do, does,
 *     can, should) followed by an auxiliary or a verb ("What makes a goal
 *     SMART", "Who decides"): the heading itself, ending in "?";
 *   - "when" or "if": "What should we do when ...?";
 *   - a gerund ("Building a common ..."): "How do we go about building
 *     a common ...?";
 *   - an imperative verb of the list in phrase.c ("Choose the targets"):
 *     "How do we choose the targets?";
 *   - a statement (a verb mark such as " is ", " are ", " does not ",
 *     " means " within the first three words and no article or relative
 *     word before it: "Resistance is normal"): "Why does the library say
 *     that resistance is normal?";
 *   - anything else, a noun phrase or an embedded question ("Norms that
 *     work", "What the principal does"): "What should our team know about
 *     norms that work?".
 * Words in Title Case are lower-cased (not acronyms such as RTI, names of
 * months and days, nor a word before a number: "Tier 2"), so the question
 * reads as a sentence.
 *
 * Ownership: phrase_question() returns a malloc'd string the caller frees.
 */
#ifndef PLC_COACH_PHRASE_H
#define PLC_COACH_PHRASE_H

#include <stdbool.h>
#include <stddef.h>

/* Headings shorter or longer than this (in words, after cleaning) make
 * no question. */
#define PHRASE_MIN_WORDS 1
#define PHRASE_MAX_WORDS 12

/* Returns the question for heading, or NULL when the heading makes none
 * (empty, too long, or a heading of the book's apparatus such as
 * "Introduction", "Summary", "References", "Notes", "Appendix"). */
char *phrase_question(const char *heading) __attribute__((nonnull, warn_unused_result));

/* Returns true when two headings name the same thing (equal once cleaned,
 * ignoring case), so that the same choice is not offered twice. */
bool phrase_same(const char *a, const char *b) __attribute__((nonnull));

#endif
