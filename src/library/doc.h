/*
 * The in-memory model of one book being ingested: its metadata, its pages
 * (each with the printed label a reader sees) and its chapters.
 *
 * A struct doc owns every string and array in it; doc_free() releases them
 * all.  Readers (read_pdf.c, read_markdown.c) fill one, clean.c rewrites
 * the page texts, chunk.c cuts it into chunks and store.c writes it.
 * Allocation failure follows util/alloc.h (abort).
 */
#ifndef PLC_LIBRARY_DOC_H
#define PLC_LIBRARY_DOC_H

#include <stdbool.h>
#include <stddef.h>

enum doc_format { DOC_PDF, DOC_MARKDOWN, DOC_TEXT };

struct doc_page {
    char *label; /* printed page number ("xii", "37"); never NULL */
    char *text;  /* UTF-8, lines separated by '\n', paragraphs by "\n\n" */
};

struct doc_chapter {
    char *number;  /* "3", or NULL for "Introduction" and the like */
    char *title;   /* never NULL */
    size_t page;   /* index of the page it starts on */
    size_t offset; /* byte offset in that page's text where it starts */
};

/* A section heading inside a chapter (a Markdown "##" heading, a PDF
 * heading line): the chunks after it, up to the next heading or chapter,
 * fall under it. */
struct doc_heading {
    char *title;   /* never NULL */
    int level;     /* 2 for "##", 3 for "###", ...; 2 for PDF headings */
    size_t page;   /* index of the page it is on */
    size_t offset; /* byte offset in that page's text where it starts */
};

struct doc {
    enum doc_format format;
    char *title; /* NULL until known */
    char **authors;
    size_t n_authors;
    char *edition, *isbn, *sku, *product_url; /* NULL when unknown */
    bool sample;                              /* written as sample content */
    struct doc_page *pages;                   /* index = position (0-based) */
    size_t n_pages, cap_pages;
    struct doc_chapter *chapters; /* ordered by (page, offset) */
    size_t n_chapters, cap_chapters;
    struct doc_heading *headings; /* ordered by (page, offset) */
    size_t n_headings, cap_headings;
};

/* Empties d (no allocation). */
void doc_init(struct doc *d, enum doc_format format) __attribute__((nonnull));

/* Releases everything d owns and leaves it empty. */
void doc_free(struct doc *d);

/* Appends a page with copies of label and text; returns its index. */
size_t doc_add_page(struct doc *d, const char *label, const char *text) __attribute__((nonnull));

/* Appends a chapter starting at (page, offset) with copies of number (may
 * be NULL) and title; keeps the chapters ordered by position. */
void doc_add_chapter(struct doc *d, const char *number, const char *title, size_t page,
                     size_t offset) __attribute__((nonnull(1, 3)));

/* Appends a section heading at (page, offset) with a copy of title;
 * keeps the headings ordered by position. */
void doc_add_heading(struct doc *d, const char *title, int level, size_t page, size_t offset)
    __attribute__((nonnull));

/* Replaces *field (title, isbn, ...) with a trimmed copy of value; an empty
 * or NULL value clears it. */
void doc_set(char **field, const char *value) __attribute__((nonnull(1)));

/* Replaces the authors with the names in list: "A; B", "[A, B]" or
 * "A and B"; names are trimmed and empty ones dropped. */
void doc_set_authors(struct doc *d, const char *list) __attribute__((nonnull));

/* Index of the last page of chapter i: the page before the next chapter's
 * first page, or that page itself when the next chapter starts mid-page. */
size_t doc_chapter_last_page(const struct doc *d, size_t i) __attribute__((nonnull));

/* Splits a heading into a chapter number and title: "Chapter 3: Title",
 * "CHAPTER 3 - Title", "3. Title", "Chapter 3" (title "Chapter 3").  Sets
 * *number (NULL when there is none) and *title, both new strings the
 * caller frees.  Returns true when the heading had a chapter number. */
bool doc_parse_heading(const char *heading, char **number, char **title) __attribute__((nonnull));

/* Returns true when s (n bytes) is a roman numeral (i..mmmm, any case). */
bool doc_is_roman(const char *s, size_t n) __attribute__((nonnull));

#endif
