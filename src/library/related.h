/*
 * Related words for query expansion (src/library/README.md, "Related
 * words"): WordNet's relations (wordnet.h) analysed as the lexical index
 * analyses text and stored in the related_terms table (db/related.h).
 */
#ifndef PLC_LIBRARY_RELATED_H
#define PLC_LIBRARY_RELATED_H

#include <stdbool.h>
#include <stddef.h>

#include "db/related.h"

struct arena;
struct db;

/* Reads the WordNet files of dir (WORDNET_DIR_DEFAULT when NULL) and
 * turns each (lemma, related word, relation) into rows: the lemma's
 * analysed terms joined by a space (only lemmas of one or two terms), the
 * related word's single analysed term (words of several terms, and terms
 * of the lemma itself, are skipped), each pair once with its closest
 * relation (synonym before hypernym before hyponym).  *rows and their
 * strings are in the arena.  Returns false, with the reason in err, when
 * the files cannot be read. */
bool related_from_wordnet(const char *dir, struct arena *a, struct related_row **rows, size_t *n,
                          char *err, size_t errlen) __attribute__((nonnull(2, 3, 4, 5)));

/* Fills the related_terms table from WordNet (above), replacing what it
 * held; *n receives the number of rows.  Returns false with the reason
 * in err (the files, or db->last_error). */
bool related_load(struct db *db, const char *dir, size_t *n, char *err, size_t errlen)
    __attribute__((nonnull(1, 3, 4)));

#endif
