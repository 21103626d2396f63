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

/* The headings of the chapters of a result's passages. */
struct evidence_sections {
    const char **headings; /* every section heading and chapter title, in the arena */
    size_t nheadings;
    struct extract_chapter *chapters; /* each chapter's section headings in headings[] (its
                                       * book id and title the hits'), in the arena */
    size_t nchapters;
};

/* Fills ev from the search of question (ev->books: the distinct books of
 * its first ROUTE_SPREAD_HITS passages; ev->unheld_nouns and
 * ev->unheld_other: the question's words the library does not hold, as
 * wordclass.h classes them, a word with a digit, of fewer than
 * EVIDENCE_UNHELD_MIN_LETTERS letters, generic (words.h) or absent from
 * WordNet left out). */
void evidence_route(const struct search_result *sr, const char *question, struct route_evidence *ev)
    __attribute__((nonnull));

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
