/*
 * The PLC acronym and synonym list, shared by the local embedder (which
 * expands acronyms before hashing) and BM25 (which adds each acronym's
 * phrase to the query), and the thesaurus of teachers' words (BM25).
 */
#ifndef PLC_LIBRARY_SYNONYMS_H
#define PLC_LIBRARY_SYNONYMS_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

struct synonym {
    const char *abbrev; /* lower case, one word: "cfa" */
    const char *phrase; /* lower case words separated by one space */
};

/* The maintained list; synonyms_count entries. */
extern const struct synonym synonyms[];
extern const size_t synonyms_count;

/* Returns the entry whose abbrev is the n-byte word w (any case), or NULL. */
const struct synonym *synonym_by_abbrev(const char *w, size_t n) __attribute__((nonnull));

/* Called for each expansion: an acronym's phrase (source the acronym) or
 * a phrase's acronym (source the phrase), both lower case. */
typedef void (*synonyms_fn)(void *ctx, const char *expansion, const char *source);

/* Calls fn, in list order, for each acronym of the list that text holds
 * as a word (with its phrase) and, for the others, each phrase it holds
 * on word boundaries (with its acronym). */
void synonyms_each(const char *text, synonyms_fn fn, void *ctx) __attribute__((nonnull(1, 2)));

/* The thesaurus: teachers' words (abbrev: a lower-case word or phrase)
 * and the books' words for them (phrase), one way; thesaurus_count
 * entries. */
extern const struct synonym thesaurus[];
extern const size_t thesaurus_count;

/* Calls fn (expansion: the books' words; source: the teacher's word) for
 * each thesaurus entry whose word or phrase text holds on word
 * boundaries. */
void synonyms_thesaurus_each(const char *text, synonyms_fn fn, void *ctx)
    __attribute__((nonnull(1, 2)));

/* Appends to out (space-separated, lower case) the words of text followed
 * by, for each acronym found, its phrase and, for each phrase found, its
 * acronym: "What is a CFA?" -> "what is a cfa common formative assessment".
 * Words are runs of ASCII letters and digits and of bytes >= 0x80. */
void synonyms_expand_text(const char *text, struct buf *out) __attribute__((nonnull));

#endif
