/*
 * Drawing a cited page as a PNG image: a page of a PDF book rendered by
 * poppler into a cairo image with the quoted passage's text boxes
 * highlighted, or a page of text (a Markdown or text book's page, or the
 * passage itself) laid out by pango like a printed page, the passage's
 * text highlighted.  And reading the label and text of a book's pages.
 *
 * These functions parse a stored book: the callers (cited.c) run them in
 * a child process with a time budget (util/bounded.h).
 */
#ifndef PLC_EXPORT_PAGE_H
#define PLC_EXPORT_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

struct buf;

#define PAGE_MIN_WIDTH 200
#define PAGE_MAX_WIDTH 2000
#define PAGE_MAX_RANGE 10 /* pages of one citation */

/* One page of a book: its printed label and its text. */
struct page_text {
    const char *label;
    const char *text;
};

/* Reads pages first..last (0-based indexes, at most PAGE_MAX_RANGE) of
 * a book's n bytes in format ("pdf", "markdown" or "text") into out
 * (strings in a).  False with err when the bytes do not open or a page
 * is missing. */
bool page_texts(const char *data, size_t n, const char *format, int first, int last,
                struct arena *a, struct page_text *out, char *err, size_t errlen)
    __attribute__((nonnull));

/* Renders page index of the PDF in data as a PNG width pixels wide
 * (height by the page's shape, at most 4 widths), with the text boxes of
 * quote highlighted; appends it to png.  *found: the passage was found on
 * the page.  False with err when the PDF or the page does not open. */
bool page_png_pdf(const char *data, size_t n, int index, const char *quote, int width,
                  struct buf *png, bool *found, char *err, size_t errlen) __attribute__((nonnull));

/* Draws text like a printed page width pixels wide (US Letter's shape,
 * longer when the text needs it, at most 4 widths): heading at the top
 * (may be NULL), the text in a serif face with quote's text highlighted,
 * label at the foot (may be NULL); appends the PNG to png. */
bool page_png_text(const char *text, const char *heading, const char *label, const char *quote,
                   int width, struct buf *png, bool *found, char *err, size_t errlen)
    __attribute__((nonnull(1, 4, 6, 7, 8)));

#endif
