/*
 * A library heading turned into a question a teacher would ask: the
 * choices of a clarifying question and the suggested follow-up questions
 * of an answer are built from the library's own chapter and section
 * headings (src/coach/README.md, "Clarification" and "The extractive
 * answer").
 *
 * The heading is cleaned first: a leading "Chapter 3:", "Step 2:", "Part
 * II." or "4." goes, and so does trailing punctuation (not a question
 * mark).  A heading with a pronoun that stands for something said before
 * it ("Who belongs on it", "Making them stick": it, its, they, them,
 * their, these, those) makes no question: on its own it asks about
 * nothing; nor does the apparatus of a book ("Introduction", "A closing
 * word", "Questions for your team") or an aside to the section before it
 * ("An example with numbers", "A note on time").  A label before a
 * colon: "Sidebar:" goes; a time named by months ("August and
 * September: foundations", "October: the first common assessment")
 * moves to the end of the question the rest makes ("What should our team
 * know about foundations in August and September?").  A heading that
 * does not read as a topic a teacher would ask about makes no question
 * (compose29): a numbered time ("Week 3: response", "Day 1"), a number
 * anywhere but after a level ("Tier 2", "Grade 4": "The 4 critical
 * questions", "1990s"), a figure, table or handout ("Figure 4: The data
 * wall").  Then, by its first word:
 *   - a heading that ends in "?" ("Is the curriculum viable?",
 *     "Selected response or constructed response?"), or a question word
 *     (what, how, why, who, which, is, are, do, does, can, should)
 *     followed by an auxiliary or a verb ("What makes a goal SMART"): the
 *     heading itself, ending in one "?"; but none when it has at most
 *     PHRASE_MIN_QUESTION_WORDS words ("Who decides", "Why now": they ask
 *     about the section before them);
 *   - a heading whose every word is a stop word (words.h) or a word
 *     naming the asker's own group or setting (team, teams, PLC, school,
 *     staff, teachers, group, learning, community...: "The team", "Our
 *     school", "The PLC"): none, for every question below names the
 *     asker's team already ("What should our team know about the team?"
 *     says nothing; small38); a clarification's choice then comes from
 *     the chapter's title (coach/evidence.c), and the suggested
 *     follow-ups from the other headings (coach/extractive.c);
 *   - "when" or "if": "What should we do when ...?";
 *   - a statement (a verb mark such as " is ", " are ", " does not ",
 *     " means " within the first PHRASE_STATEMENT_WORDS words and no
 *     article, relative or question word after the first word before it:
 *     "Resistance is normal", "The time is for teams", "Team leader and
 *     facilitator are not the same job", not "Signs a team is on track"
 *     nor "Choosing what is essential"): "Why does the library say that
 *     resistance is normal?";
 *   - a gerund ("Building a common ..."): "How do we go about building
 *     a common ...?";
 *   - an imperative verb: of the list in phrase.c ("Choose the targets"),
 *     or any word before a determiner (the, a, an, your, our, their,
 *     each, every) that is not a plural noun, a preposition or a question
 *     word ("Audit the meetings", "Include a respected skeptic"): "How do
 *     we choose the targets?";
 *   - "from" or "beyond", a move ("From weak to strong", "Beyond one
 *     principal"): "What should our team know about going from weak to
 *     strong?";
 *   - anything else, a noun phrase or an embedded question ("Norms that
 *     work", "What the principal does"): "What should our team know about
 *     norms that work?".
 * A heading asking a quantity of nothing it names ("How many is right?",
 * "How much is too much?", "How long is enough": "how many" or "how
 * much" right before a verb, "how long" or "how often" right before "is"
 * or "are") makes no question either: the thing counted is named by the
 * section before it.
 * Words in Title Case are lower-cased (not acronyms such as RTI, names of
 * months and days, nor a word before a number: "Tier 2"), so the question
 * reads as a sentence.  "You" and "your" are the asker's team, as the
 * question's own "we" and "our" are: "your" becomes "our", "yourself"
 * "ourselves", and "you" "we" when it opens the words or follows a
 * conjunction or an auxiliary ("Learn before you decide" -> "How do we
 * learn before we decide?", "What do you do when ..." -> "What do we do
 * when ...?"), else "us" ("items that teach you something", "what
 * families need from you").
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
/* A heading that is a question of this many words or fewer ("Who
 * decides", "Why now") asks about the section before it: no question. */
#define PHRASE_MIN_QUESTION_WORDS 2
/* A statement's verb mark comes within this many words of its start. */
#define PHRASE_STATEMENT_WORDS 4

/* Returns the question for heading, or NULL when the heading makes none
 * (empty, too long, or a heading of the book's apparatus such as
 * "Introduction", "Summary", "References", "Notes", "Appendix"). */
char *phrase_question(const char *heading) __attribute__((nonnull, warn_unused_result));

/* Returns true when two headings name the same thing (equal once cleaned,
 * ignoring case), so that the same choice is not offered twice. */
bool phrase_same(const char *a, const char *b) __attribute__((nonnull));

#endif
