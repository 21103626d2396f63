/*
 * The previous answer as a follow-up sees it (issue 12, section 4): the
 * passages that answer cited, read from its saved citations
 * (messages.citations: the chunk ids of exactly what the teacher saw),
 * located in the library now (db/books.h chunk_places), as the prior of
 * the follow-up's retrieval (rewrite_prior: their chapters and the pages
 * next to theirs are boosted); and the point of its saved text that a
 * follow-up names by its place ("the second one": history_answer_item),
 * or, after a clarification, the choice it names by its subject
 * (history_clarify_choice).
 *
 * Ownership: everything returned is allocated in the caller's arena.
 */
#ifndef PLC_COACH_HISTORY_H
#define PLC_COACH_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct db;
struct search_hit;

#define HISTORY_MAX_CITED 16 /* citations of one answer read for the prior */

/* Returns how many chunk ids citations (a JSON array of citation
 * objects, as saved with an answer; may be NULL or malformed: none) holds,
 * at most max, each once, in order, into ids (strings in a). */
size_t history_cited_ids(const char *citations, struct arena *a, const char **ids, size_t max)
    __attribute__((nonnull(2, 3)));

/* Sets *hits to the passages citations cites, as the library holds them
 * now (book, chapter, page indexes; nothing else is filled), *n of them
 * (0: nothing cited, or all of it removed since).  Returns false when the
 * database failed. */
bool history_cited(struct db *db, struct arena *a, const char *citations, struct search_hit **hits,
                   size_t *n) __attribute__((nonnull(1, 2, 4, 5)));

/* Returns, of answer before its closing blocks (the first line that heads
 * one: "Key takeaways", which repeat its points, "Suggested follow-up
 * questions" (coach/extractive.c) or the model's "You might also ask"
 * (coach/prompt.c), case ignored, in Markdown marks or not, a colon
 * after it or not: their items are not points of the answer), the text of
 * the point a follow-up calls the nth (in a): the first item numbered n
 * ("2. ..." or "2) ...": the number the teacher saw; an extractive answer
 * numbers each section's points from 1 again), or for n < 0
 * (REWRITE_LAST) the last numbered item; when the answer has no numbered
 * items, its nth (or last) bullet ("- ", "* ", "\u2022 ").  NULL when
 * there is no such point or n is 0. */
const char *history_answer_item(const char *answer, int n, struct arena *a)
    __attribute__((nonnull));

/* Returns, of a clarification's choices (answer's bullets: what the
 * coach offered when it asked which part was meant), the one a
 * follow-up's standalone question names by its subject: the choice
 * sharing the most distinctive words (words.h) with text, in a; NULL when
 * none shares one, or when two share as many ("how often do we go back to
 * team charter" names "What should our team know about the one-page team
 * charter?"). */
const char *history_clarify_choice(const char *answer, const char *text, struct arena *a)
    __attribute__((nonnull));

#endif
