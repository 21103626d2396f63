/*
 * The answer's Markdown, as the renderers draw it: blocks of styled spans
 * (src/export/README.md).
 *
 * The text is parsed by cmark (CommonMark) and flattened: paragraphs,
 * ATX and setext headings, bullet and ordered list items (nesting kept as
 * a level, at most AMD_MAX_LEVEL), block quotes, code blocks and rules
 * become blocks; emphasis, strong emphasis, code, links and images (kept
 * as their text and address) become span styles.  Raw HTML is kept as
 * text, never as markup.
 *
 * The input is untrusted (a model wrote it): any bytes are accepted
 * (invalid UTF-8 becomes U+FFFD and control characters are dropped
 * first), and cmark's parse is linear and non-recursive.  fuzz/amd-fuzz
 * exercises the flattening.
 */
#ifndef PLC_EXPORT_AMD_H
#define PLC_EXPORT_AMD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

#define AMD_MAX_LEVEL 3 /* list nesting: levels 0..3 */

enum amd_kind { AMD_PARA, AMD_HEADING, AMD_BULLET, AMD_ORDERED, AMD_QUOTE, AMD_CODE, AMD_RULE };

enum amd_flags { AMD_STRONG = 1, AMD_EM = 2, AMD_CODE_SPAN = 4 };

/* A run of text in one style.  text is valid UTF-8 without control
 * characters but tabs (a code block's may also hold '\n'). */
struct amd_span {
    const char *text;
    size_t len;
    unsigned flags;   /* enum amd_flags */
    const char *href; /* the link's address, or NULL */
};

/* A block: a rule has no span, every other kind at least one (a code
 * block exactly one). */
struct amd_block {
    enum amd_kind kind;
    int level;   /* heading 1..6; list nesting 0..AMD_MAX_LEVEL */
    long number; /* an ordered item's number */
    const struct amd_span *spans;
    size_t nspans;
};

/* A parsed text; everything lives in arena. */
struct amd_doc {
    const struct amd_block *blocks;
    size_t nblocks;
};

/* Parses n bytes of s.  Every string and array of *out is allocated in
 * arena (the caller frees the arena).  Never fails. */
void amd_parse(struct arena *arena, const char *s, size_t n, struct amd_doc *out)
    __attribute__((nonnull));

/* Appends to out a copy of n bytes of s cleaned like the parser cleans
 * text (invalid UTF-8 as U+FFFD, control characters but '\n' and '\t'
 * dropped, "\r\n" as '\n'); returns the copy's length.  For plain text
 * (questions, quotes) that the renderers print without parsing. */
struct buf;
size_t amd_clean(struct buf *out, const char *s, size_t n) __attribute__((nonnull));

#endif
