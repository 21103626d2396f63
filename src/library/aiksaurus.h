/*
 * A reader of Aiksaurus's thesaurus files (Debian's libaiksaurus-1.2-data:
 * /usr/share/aiksaurus/words.dat and meanings.dat; a Moby-derived
 * general English thesaurus, GPL-2+), for the general English query
 * expansion of retrieval (src/library/README.md, "Related words").
 *
 * The format, as Aiksaurus 1.2 writes it: words.dat is, for each word in
 * order, its spelling (':' between words) and a NUL, then the numbers of
 * its meanings as big-endian 16-bit values ended by 0xFFFF; meanings.dat
 * is, for each meaning in order, two title words' numbers then the
 * numbers of its words, big-endian 16-bit, ended by 0xFFFF.  Word and
 * meaning numbers count from 0 in file order.
 *
 * The files come from a package, but the parser checks every length and
 * number anyway (fuzz/aiksaurus-fuzz.c): a word number past the words
 * read is skipped, a truncated record ends the file.
 */
#ifndef PLC_LIBRARY_AIKSAURUS_H
#define PLC_LIBRARY_AIKSAURUS_H

#include <stdbool.h>
#include <stddef.h>

#define AIKSAURUS_DIR_DEFAULT "/usr/share/aiksaurus"
#define AIKSAURUS_WORD_MAX 80    /* bytes of a word, NUL included; longer ones are skipped */
#define AIKSAURUS_MEANING_MAX 64 /* words of one meaning used; the rest are skipped */

/* Called for each (word, word of a meaning it has) pair, both lower case
 * with spaces between words; never a word with itself.  The same pair may
 * come more than once (two shared meanings). */
typedef void (*aiksaurus_fn)(void *ctx, const char *word, const char *related);

/* Parses the two files' bytes (words[0..wlen), meanings[0..mlen)) and
 * calls fn for every pair of words that share a meaning, in meaning
 * order.  Returns the number of meanings read.  Memory: a table of the
 * words' offsets while it runs, released before it returns. */
size_t aiksaurus_parse(const unsigned char *words, size_t wlen, const unsigned char *meanings,
                       size_t mlen, aiksaurus_fn fn, void *ctx) __attribute__((nonnull(5)));

/* Reads dir's words.dat and meanings.dat and parses them (above).
 * Returns false, with the reason in err, when a file cannot be read or
 * holds no meaning (nothing is called then). */
bool aiksaurus_each(const char *dir, aiksaurus_fn fn, void *ctx, char *err, size_t errlen)
    __attribute__((nonnull(1, 2, 4)));

#endif
