/*
 * What a search tells the coach (library/search.h's evidence and hits),
 * turned into the inputs of its decisions and of the extractive answer:
 *   - the scope decision's evidence (route.h): coverage counting a term
 *     matched only through a spelling correction as not held, the best
 *     normalised BM25 score, the domain lexicon, the unknown long words;
 *   - the terms the search ran with (the question's and its expansions),
 *     with their library IDF and query weight, for the composer;
 *   - the section headings of the chapters the passages come from (one
 *     query per chapter, library/search.h's search_chapter_sections), to
 *     cut headings glued to sentences and to suggest follow-up questions,
 *   - clarification choices: the chapters and sections the best matches
 *     fall in, as questions (phrase.h), one per chapter, best first;
 *     with each chapter's span of them (the extractive answer's
 *     suggested follow-up questions come from the chapters it cites:
 *     extractive.h, 7, sugg37);
 *
 * Ownership: every string and array is allocated in the arena passed in;
 * the hits' strings stay the search result's.
 */
#ifndef PLC_COACH_EVIDENCE_H
#define PLC_COACH_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "coach/extractive.h"
#include "coach/route.h"
#include "util/arena.h"

struct db;
struct search_result;

/* Words of at least this many letters that the library does not hold
 * count as unknown (route_evidence.unknown_words). */
#define EVIDENCE_UNKNOWN_MIN_LETTERS 5
/* An unheld word shorter than this names no subject (route_unheld_things). */
#define EVIDENCE_UNHELD_MIN_LETTERS 3
#define EVIDENCE_MAX_HEADINGS 256
/* evidence_together(): the passages it reads (the coach's COACH_SOURCES),
 * the question's distinctive words it weighs at most, and the share at
 * or above which the library holds the question's words together, so a
 * question in the asker's own voice is not refused by evidence_own_matter()
 * (scope40: the lowest 0.05 step keeping 9 of scope39's 10 FIT gains). */
#define EVIDENCE_TOGETHER_HITS 5
#define EVIDENCE_TOGETHER_TERMS 16
#define EVIDENCE_TOGETHER_MIN 0.3

/* The headings of the chapters of a result's passages. */
struct evidence_sections {
    const char **headings; /* every section heading and chapter title, in the arena */
    size_t nheadings;
    struct extract_chapter *chapters; /* each chapter's section headings in headings[] (its
                                       * book id and title the hits'), in the arena */
    size_t nchapters;
};

/* Fills ev from the search of question (ev->books: the distinct books of
 * its first ROUTE_SPREAD_HITS passages; ev->own_voice from
 * evidence_own_voice() and, only then (a cost of its own), ev->together
 * from evidence_together(), else 1; ev->unheld_nouns and
 * ev->unheld_other: the question's words the library does not hold, as
 * wordclass.h classes them, a word with a digit, of fewer than
 * EVIDENCE_UNHELD_MIN_LETTERS letters, generic (words.h) or absent from
 * WordNet left out). */
void evidence_route(const struct search_result *sr, const char *question, struct route_evidence *ev)
    __attribute__((nonnull));

/* True when question speaks in the first person singular (I, me, my,
 * mine, myself and I's contractions) and never in the plural (we, us,
 * our, ours, ourselves, we's contractions and let's): the asker alone,
 * not a team (scope39). */
bool evidence_own_voice(const char *question) __attribute__((nonnull));

/* Whether the library holds the question's words together: the largest,
 * over the sentences of the result's first EVIDENCE_TOGETHER_HITS
 * passages, of the share of the question's distinctive word pairs
 * (words.h's words_is_distinctive(); its own words as the library holds
 * them, not corrected, at most EVIDENCE_TOGETHER_TERMS), each pair
 * weighed by the sum of its words' library IDF, that the sentence holds
 * both words of; 0..1, and 1 when fewer than two such words are left
 * (nothing to hold apart).  scope24's co-occurrence at sentence level,
 * route-features' "cohere_s" (scope40).  Memory: each sentence's copy and
 * term counts are freed before the next. */
double evidence_together(const struct search_result *sr) __attribute__((nonnull));

/* The third way out of scope (scope39, scope40): true when ev was
 * searched, is no rewritten follow-up, the question speaks in the first
 * person singular and not the plural (ev->own_voice), the library does
 * not hold its words together (ev->together under EVIDENCE_TOGETHER_MIN)
 * and the scope decision's logit is at least ROUTE_OWN_LOGIT.  The
 * library speaks to teams; a question about the asker's own matter ("my
 * lawn", "my emergency sub plans folder") that the library's evidence
 * already leans against is the asker's, not a team's; one whose words
 * meet in a sentence of the passages is the library's matter in the
 * asker's voice (src/coach/README.md, "Scope", scope39 and scope40).
 * route_classify() applies it to a question it would answer (not to one
 * it clarifies). */
bool evidence_own_matter(const struct route_evidence *ev) __attribute__((nonnull));

/* Writes the terms the search ran with into out (at most max): the
 * question's own, then the expansions (acronyms, thesaurus, spelling
 * corrections, feedback), each with its library IDF and query weight; the
 * strings stay the search result's.  Returns how many. */
size_t evidence_terms(const struct search_result *sr, struct extract_term *out, size_t max)
    __attribute__((nonnull));

/* Writes up to max clarification choices into out; returns how many. */
size_t evidence_choices(const struct search_result *sr, struct arena *a, const char **out,
                        size_t max) __attribute__((nonnull));

/* Loads the headings of the chapters of the result's first k passages:
 * each chapter's title, then its section headings in its order, and the
 * span of the section headings of each.  False when the database failed. */
bool evidence_sections(struct db *db, const struct search_result *sr, size_t k, struct arena *a,
                       struct evidence_sections *out) __attribute__((nonnull));

#endif
