/*
 * Cleaning the text a PDF gives us: running headers and footers, page
 * numbers, end-of-line hyphenation; and finding chapters from headings
 * when a PDF has no outline.  Markdown and plain text are taken as written.
 */
#ifndef PLC_LIBRARY_CLEAN_H
#define PLC_LIBRARY_CLEAN_H

#include <stdbool.h>
#include <stddef.h>

#include "library/doc.h"

/* The lines looked at on each page's top and bottom for headers/footers. */
#define CLEAN_EDGE_LINES 2
/* A top or bottom line repeated on at least this many pages is a running
 * header or footer. */
#define CLEAN_MIN_REPEATS 3

/* Joins words split across lines ("collabo-\nration" -> "collaboration")
 * when the next line starts with a lowercase letter, in place.  A hyphen
 * the word really has stays ("co-\nplan" -> "co-plan"): when whole (the
 * book's text; NULL: always join) holds the hyphenated word elsewhere
 * (clean_hyphen_is_hard()). */
void clean_dehyphenate(char *text, const char *whole) __attribute__((nonnull(1)));

/* Whether whole holds left-right (ln and rn bytes, ASCII case ignored) as
 * a word of its own, not inside a longer one. */
bool clean_hyphen_is_hard(const char *whole, const char *left, size_t ln, const char *right,
                          size_t rn);

/* Returns true when the line (n bytes) is only a page number: "12",
 * "xii", "Page 12", "- 12 -", "12 of 40". */
bool clean_is_page_number(const char *line, size_t n) __attribute__((nonnull));

/* Removes running headers and footers and page-number lines from the top
 * and bottom CLEAN_EDGE_LINES lines of every page.  A top line that is
 * the title of its page's chapter (d's chapters, from the outline) is
 * decided by the chapter alone: kept on the chapter's first page (the
 * opener's own title, even when running headers repeat it), removed on
 * its other pages (a running header, even in a chapter too short for
 * CLEAN_MIN_REPEATS). */
void clean_headers(struct doc *d) __attribute__((nonnull));

/* The whole PDF cleanup: headers and footers, hyphenation within a page
 * and across page breaks (the word fragment moves to the earlier page),
 * trailing spaces, runs of blank lines.  Chapter offsets must be 0 (PDF
 * chapters start at the top of a page). */
void clean_doc(struct doc *d) __attribute__((nonnull));

/* When d has no chapters, adds one for each page whose first line is a
 * chapter heading ("Chapter 3", "CHAPTER 3: Title", "3. Title"); a lone
 * "Chapter 3" takes the next short line as its title.  Returns how many
 * chapters were found. */
size_t clean_detect_chapters(struct doc *d) __attribute__((nonnull));

#endif
