/*
 * Whether a word names a thing (issue 12 §3, branch scope38): its part of
 * speech by WordNet 3.0's index and exception files (library/wordnet.h),
 * read once per process on first use.
 *
 * A word's base forms are itself, its exception lists' bases and
 * WordNet's suffix rules (morphy: nouns -s, -ses, -xes, -zes, -ches,
 * -shes, -men, -ies; verbs -s, -ies, -es, -ed, -ing; adjectives -er,
 * -est), each looked up in the index of the part of speech the rule is
 * for.  For each part of speech the word has, the largest tagged sense
 * count (tagsense_cnt: how often its senses are used so in WordNet's
 * concordance) of its base forms; the word is a noun when it has a noun
 * sense whose count is above that of every other part of speech it has
 * ("wedding", "union", "zoo"), another word when it has other senses
 * ("tiny", "super", "swap"; "nowhere", noun and adverb alike), and absent
 * when WordNet does not hold it (a misspelling, a coined name).
 *
 * Clippings and contractions (scope38b, wordclass_informal()): WordNet's
 * noun data file is read at the same time, for the synsets that hold a
 * word and a longer one beginning with it.
 *
 * Memory: the table is owned by this module for the life of the process
 * (wordclass_free() releases it, for tests and leak checkers).  Not
 * thread-safe on first use: the coach's processes are single-threaded.
 */
#ifndef PLC_COACH_WORDCLASS_H
#define PLC_COACH_WORDCLASS_H

#include <stdbool.h>
#include <stddef.h>

enum wordclass {
    WORDCLASS_ABSENT, /* not in WordNet (or WordNet could not be read) */
    WORDCLASS_NOUN,   /* a thing: a noun sense used more than any other */
    WORDCLASS_OTHER,  /* a quality, a manner, an action */
};

/* The parts of speech, in WordNet's file order. */
enum { WORDCLASS_N, WORDCLASS_V, WORDCLASS_A, WORDCLASS_R, WORDCLASS_POS };

/* The class from a word's largest tagged sense count in each part of
 * speech (tagged[WORDCLASS_N..R], -1 where it has none). */
enum wordclass wordclass_decide(const long tagged[WORDCLASS_POS]) __attribute__((nonnull));

/* Loads WordNet's files from dir (replacing what was loaded); false, with
 * the reason in err, when an index file cannot be read (then every word
 * is WORDCLASS_ABSENT). */
bool wordclass_load(const char *dir, char *err, size_t errlen) __attribute__((nonnull));

/* The class of word (ASCII letters compared without case).  The first
 * call without wordclass_load() loads WORDNET_DIR_DEFAULT; when WordNet is
 * not installed every word is WORDCLASS_ABSENT. */
enum wordclass wordclass_of(const char *word) __attribute__((nonnull));

/* Whether word, written without its apostrophe or clipped, stands for a
 * word of another spelling (branch scope38b): an English contraction typed
 * without its apostrophe ("cant", "dont", "theyre":
 * words_is_bare_contraction() of coach/words.h, which leaves out the
 * spellings that are words of their own: "well", "were", "shell", "id"); a clipping
 * WordNet records, a noun (or the base of one by the noun suffix rules)
 * none of whose senses is tagged (rare) that shares a noun synset with a
 * longer one-word lemma beginning with it that is tagged ("info" and
 * "information", "exam" and "examination", "prof" and "professor"; not
 * "gym" or "photo", tagged); or a clipping of a small English list
 * WordNet does not record so ("max", "min", "avg", "approx", "admin",
 * "stats", "info").  Such a word names nothing new: evidence_route does
 * not count it among the unheld words (route_unheld_things).  The lists
 * hold without WordNet; the WordNet clippings need data.noun. */
bool wordclass_informal(const char *word) __attribute__((nonnull));

/* Loads WORDNET_DIR_DEFAULT unless a load was tried already, and says
 * whether the tables are loaded: the worker's warm start (server/warm.c)
 * calls it so that no teacher's first question pays for the load. */
bool wordclass_ready(void);

/* Releases the table (the next wordclass_of() loads it again). */
void wordclass_free(void);

#endif
