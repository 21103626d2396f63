/*
 * The words of a question, for the rules of the router (route.c) and the
 * follow-up rewrite (rewrite.c): runs of ASCII letters and digits (an
 * apostrophe inside a word is kept: "what's"), lower-cased, with their
 * place in the text; phrase patterns of lower-case words in which a word
 * ending in '*' matches any word it starts; and two shared word lists:
 *   - stop words: function words ("the", "how", "we", "should");
 *   - generic words: words that say nothing about which part of PLC work
 *     a question is about ("PLC", "team", "work", "start", "improve",
 *     "steps", "tips", ...): generic verbs of asking for help with
 *     anything, and the words every page of the library uses.
 * A distinctive word is neither, and not a single letter.
 * A third list, of bare contractions, serves the follow-up rewrite and
 * the scope rule (words_is_bare_contraction()).
 *
 * Nothing here allocates.
 */
#ifndef PLC_COACH_WORDS_H
#define PLC_COACH_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#define WORDS_MAX 64
#define WORDS_BYTES 32

struct words {
    char w[WORDS_MAX][WORDS_BYTES];          /* lower-cased, NUL-terminated */
    size_t start[WORDS_MAX], len[WORDS_MAX]; /* where in the text */
    size_t n;
};

/* Splits s into at most WORDS_MAX words. */
void words_split(const char *s, struct words *out) __attribute__((nonnull));

/* True when word w matches pattern word p (plen bytes; p may end in '*'). */
bool words_match(const char *w, const char *p, size_t plen) __attribute__((nonnull));

/* True when the phrase (pattern words separated by one space) occurs in ws. */
bool words_has_phrase(const struct words *ws, const char *phrase) __attribute__((nonnull));

/* True when one of the NULL-terminated phrases occurs in ws. */
bool words_has_any(const struct words *ws, const char *const *phrases) __attribute__((nonnull));

/* True when w matches one of the NULL-terminated patterns. */
bool words_in_list(const char *w, const char *const *list) __attribute__((nonnull));

/* True when the n bytes at w (not NUL-terminated: a word inside a text)
 * are one of the NULL-terminated words of list, ASCII case ignored; no
 * patterns. */
bool words_in_list_n(const char *w, size_t n, const char *const *list) __attribute__((nonnull));

bool words_is_stop(const char *w) __attribute__((nonnull));
bool words_is_generic(const char *w) __attribute__((nonnull));

/* True when w (lower-case) is an English contraction typed without its
 * apostrophe: the negatives with n't ("dont", "shouldnt") and the pronoun
 * forms ("theyre", "youd", "theres"). Such a word names nothing: it is no
 * new subject of a follow-up (rewrite.c) nor an unheld word the library
 * lacks (wordclass_informal(), evidence.c). The spellings that are
 * English words of their own are left out: "ill", "well", "were", "wed",
 * "shell", "hell", "shed", "its", "lets", and "id" (I'd; WordNet's noun,
 * a student ID), which rewrite.c alone reads as I'd. */
bool words_is_bare_contraction(const char *w) __attribute__((nonnull));

/* True when w is neither a stop word nor a generic word, and is a digit
 * or at least two letters long. */
bool words_is_distinctive(const char *w) __attribute__((nonnull));

/* Returns how many of ws's words are distinctive. */
size_t words_distinctive(const struct words *ws) __attribute__((nonnull));

#endif
