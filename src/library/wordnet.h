/*
 * A reader of Princeton WordNet 3.0's database files (Debian's
 * wordnet-base: /usr/share/wordnet/index.{noun,verb,adj,adv} and
 * data.{noun,verb,adj,adv}; the format is WordNet's wndb(5WN)), for the
 * general English query expansion of retrieval (src/library/README.md,
 * "Related words").  Only what expansion needs: each lemma's most
 * frequent sense in each part of speech (the first synset its index
 * line lists) and, in that synset, the other words (synonyms), the words
 * of its hypernyms and of its hyponyms (one level, instances included).
 *
 * The files come from a package, but the parsers check every field and
 * length anyway (fuzz/wordnet-fuzz.c): a malformed line is skipped.
 */
#ifndef PLC_LIBRARY_WORDNET_H
#define PLC_LIBRARY_WORDNET_H

#include <stdbool.h>
#include <stddef.h>

#define WORDNET_DIR_DEFAULT "/usr/share/wordnet"
#define WORDNET_WORD_MAX 80 /* bytes of a lemma, NUL included; longer ones are skipped */

enum wordnet_rel {
    WORDNET_SYNONYM = 1,  /* another word of the same synset */
    WORDNET_HYPERNYM = 2, /* a word of a hypernym synset (@, @i) */
    WORDNET_HYPONYM = 3,  /* a word of a hyponym synset (~, ~i) */
};

/* One index line: the lemma (lower case, '_' between words as in the
 * file), how many of its senses in this part of speech are tagged in
 * WordNet's semantic concordance (tagsense_cnt: how often it is used so,
 * src/coach/wordclass.h), and the byte offset of its first (most
 * frequent) synset in the data file of the same part of speech. */
struct wordnet_index_entry {
    char lemma[WORDNET_WORD_MAX];
    char pos; /* n, v, a or r */
    long tagged;
    long first_offset;
};

/* Parses one line of an index file (len bytes, no newline needed).
 * Returns false for the licence lines (they start with a space) and for
 * any malformed line. */
bool wordnet_parse_index(const char *line, size_t len, struct wordnet_index_entry *e)
    __attribute__((nonnull));

/* One pointer of a synset. */
struct wordnet_pointer {
    enum wordnet_rel rel; /* only hypernyms and hyponyms are kept */
    long offset;
    char pos; /* n, v, a or r ("s", a satellite adjective, reads as a) */
};

/* A synset as parsed. */
struct wordnet_synset {
    char (*words)[WORDNET_WORD_MAX]; /* nwords, '_' kept, adjective markers "(a)" cut */
    size_t nwords;
    struct wordnet_pointer *ptrs; /* nptrs hypernym and hyponym pointers */
    size_t nptrs;
};

/* Parses the data line at line (len bytes, up to its newline or the end)
 * into *s, whose arrays it allocates (wordnet_synset_free()).  Returns
 * false (s empty) for a malformed line. */
bool wordnet_parse_synset(const char *line, size_t len, struct wordnet_synset *s)
    __attribute__((nonnull));

void wordnet_synset_free(struct wordnet_synset *s);

/* Called for each (lemma, related word, relation) of a lemma's first
 * sense in one part of speech; both in WordNet's spelling ('_' between
 * words), lower case.  The same pair may come more than once. */
typedef void (*wordnet_fn)(void *ctx, const char *lemma, const char *related, enum wordnet_rel rel);

/* Reads the four index and data files of dir and calls fn for the first
 * sense of every lemma.  Returns false, with the reason in err, when a
 * file cannot be read (nothing is called after that); malformed lines
 * are skipped.  Memory: the data files are held while it runs (about
 * 22 MB for WordNet 3.0) and released before it returns. */
bool wordnet_each(const char *dir, wordnet_fn fn, void *ctx, char *err, size_t errlen)
    __attribute__((nonnull(1, 2, 4)));

/* One line of an exception file (noun.exc, verb.exc, adj.exc, adv.exc):
 * an inflected form and up to WORDNET_EXC_BASES of its base forms
 * ("geese goose"), both as word_copy keeps them (lower case). */
#define WORDNET_EXC_BASES 4
struct wordnet_exc {
    char word[WORDNET_WORD_MAX];
    char bases[WORDNET_EXC_BASES][WORDNET_WORD_MAX];
    size_t nbases; /* >= 1 when parsed */
};

/* Parses one line of an exception file (len bytes, no newline needed);
 * false for a malformed line (no base, a word too long). */
bool wordnet_parse_exc(const char *line, size_t len, struct wordnet_exc *x)
    __attribute__((nonnull));

/* Called for each index line (e, its part of speech in e->pos) and for
 * each exception line (x, pos the part of speech of its file), in that
 * order: every index file first, then every exception file. */
typedef void (*wordnet_index_fn)(void *ctx, const struct wordnet_index_entry *e);
typedef void (*wordnet_exc_fn)(void *ctx, char pos, const struct wordnet_exc *x);

/* Reads the four index and exception files of dir (the data files are
 * not read) and calls the callbacks; false, with the reason in err,
 * when a file cannot be read (an exception file may be missing: it is
 * skipped).  Malformed lines are skipped.  Memory: one file is held at a
 * time, released before the next. */
bool wordnet_each_index(const char *dir, wordnet_index_fn on_index, wordnet_exc_fn on_exc,
                        void *ctx, char *err, size_t errlen) __attribute__((nonnull(1, 2, 3, 5)));

/* Called for each synset of a data file, parsed (its words lower case). */
typedef void (*wordnet_synset_fn)(void *ctx, const struct wordnet_synset *s);

/* Reads dir's data file of one part of speech (pos: n, v, a or r) and
 * calls fn for each synset line (the licence lines and malformed lines
 * skipped); false, with the reason in err, when the file cannot be read.
 * Memory: the file is held while it runs (data.noun: about 15 MB) and
 * released before it returns; s is valid during the call only
 * (scope38b: the coach's clippings, src/coach/wordclass.h). */
bool wordnet_each_synset(const char *dir, char pos, wordnet_synset_fn fn, void *ctx, char *err,
                         size_t errlen) __attribute__((nonnull(1, 3, 5)));

#endif
