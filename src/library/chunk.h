/*
 * Cutting a book into retrieval chunks.
 *
 * Tokens are counted as words x 1.3, rounded up (a word is a run of
 * non-space bytes); that tracks common BPE tokenizers on English prose
 * closely enough for sizing and needs no vocabulary.  A chunk gathers whole
 * sentences until it reaches CHUNK_TARGET tokens, never passing CHUNK_MAX
 * (a single sentence longer than that is cut at word boundaries); the next
 * chunk repeats the last one or two sentences (at most CHUNK_OVERLAP
 * tokens).  A list (numbered, dashed or bulleted lines) is kept whole when
 * it fits under CHUNK_MAX with what precedes it, else it opens the next
 * chunk when what precedes it is at least half the target; only a longer
 * list is cut.  Chunks never cross a chapter boundary, so the last chunk of a
 * chapter may be short.  Sentences never cross pages (a page break ends a
 * sentence piece), so each chunk's first and last page are exact.
 */
#ifndef PLC_LIBRARY_CHUNK_H
#define PLC_LIBRARY_CHUNK_H

#include <stdbool.h>
#include <stddef.h>

#include "library/doc.h"

#define CHUNK_TARGET 320
#define CHUNK_MAX 400
#define CHUNK_OVERLAP 80
#define CHUNK_NO_CHAPTER ((size_t)-1)
#define CHUNK_NO_SECTION ((size_t)-1)

struct chunk {
    char *text;        /* owned; paragraphs separated by "\n\n" */
    size_t chapter;    /* index into doc->chapters, or CHUNK_NO_CHAPTER */
    size_t section;    /* index into doc->headings: the section most of the
                        * chunk's words fall under (a heading applies from
                        * its own position to the next heading or the end of
                        * its chapter); CHUNK_NO_SECTION when none */
    size_t page_first; /* page indexes; labels are in doc->pages */
    size_t page_last;
    size_t tokens;    /* chunk_tokens(text) */
    unsigned domains; /* bit i = domain i (domains.h); 0 until tagged */
};

struct chunk_list {
    struct chunk *items;
    size_t n, cap;
};

struct chunk_params {
    size_t target, max, overlap; /* tokens */
};

/* Returns the token estimate of s: words x 1.3, rounded up. */
size_t chunk_tokens(const char *s) __attribute__((nonnull));

/* Returns the number of sentences in s by the chunker's rules (for tests). */
size_t chunk_count_sentences(const char *s) __attribute__((nonnull));

/* Cuts d into chunks appended to out (which the caller initialises to
 * zero and frees with chunk_list_free).  p NULL means the defaults above. */
void chunk_doc(const struct doc *d, const struct chunk_params *p, struct chunk_list *out)
    __attribute__((nonnull(1, 3)));

/* Releases every chunk and the list's array. */
void chunk_list_free(struct chunk_list *l);

#endif
