/*
 * Readers: bytes of a file to a struct doc (see doc.h).
 *
 * Each reader initialises d itself.  On success d owns the pages, chapters
 * and whatever metadata the file carries (the caller frees it with
 * doc_free()); on failure d is left empty and err holds a one-line reason
 * meant for the person who gave us the file ("encrypted PDF", ...).
 */
#ifndef PLC_LIBRARY_READ_H
#define PLC_LIBRARY_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "library/doc.h"

/* Markdown (format DOC_MARKDOWN) or plain text (DOC_TEXT).  Front matter
 * between "---" lines (title, authors, edition, isbn, sku, product_url,
 * sample, first_page); "# " headings (Markdown) or "Chapter N" lines (text)
 * start chapters; "<!-- page 12 -->" lines start printed pages.  Refuses
 * input that is not UTF-8, contains NUL bytes, or has no text. */
bool read_markdown(const char *data, size_t n, enum doc_format format, struct doc *d, char *err,
                   size_t errlen) __attribute__((nonnull, warn_unused_result));

/* A PDF through poppler-glib: text and label per page, the outline as
 * chapters (headings on the page tops when there is no outline) and its
 * second level as section headings, Title and Author as defaults.
 * Refuses encrypted, corrupt, empty and image-only documents. */
bool read_pdf(const char *data, size_t n, struct doc *d, char *err, size_t errlen)
    __attribute__((nonnull, warn_unused_result));

/* One character's box on the page (poppler's text layout). */
struct pdf_box {
    double x1, y1, x2, y2;
};

/* Returns a copy of text (UTF-8; n characters, box[i] the box of the i-th)
 * with a space put between two characters of one line that sit apart on
 * the page: a gap over 2 pt and over 60 % of the earlier character's
 * width, neither of them white space (table cells come out of poppler
 * glued: "ConfigurationWorks best when").  The caller frees the result. */
char *read_pdf_space_gaps(const char *text, const struct pdf_box *box, size_t n)
    __attribute__((nonnull, warn_unused_result));

#endif
