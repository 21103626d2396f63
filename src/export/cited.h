/*
 * The cited page: a citation of a saved answer opened as the printed
 * pages it cites (src/export/README.md, "The cited page").
 *
 * cited_open() finds the citation as the viewer may see it (db/citepage.h),
 * and the text and label of each page of its range: from the cache in the
 * exports store when there, else from the book's stored file (the
 * content store for uploads, the command-line path for books ingested
 * from one: the book's source_uri is a storage locator either way), read
 * in a child process with the time budget.  When the book was removed
 * from the library, or its file is gone or unreadable, the quoted passage
 * stands in for the pages: one "page" holding the passage's surrounding
 * text as the answer saved it (source "passage", with a notice saying
 * why).
 *
 * cited_png() draws one of those pages as a PNG, cached by book content,
 * page, width and quote.
 */
#ifndef PLC_EXPORT_CITED_H
#define PLC_EXPORT_CITED_H

#include <stdbool.h>
#include <stddef.h>

#include "db/exports.h"
#include "db/citepage.h"
#include "export/page.h"
#include "util/arena.h"

struct buf;
struct config;
struct db;

enum cited_status {
    CITED_OK,
    CITED_NOT_FOUND, /* no such message or citation, or not the viewer's to see */
    CITED_DB_ERROR,  /* the database failed */
    CITED_BAD_PAGE,  /* the page asked for is not in the citation's range */
    CITED_TIMEOUT,   /* rendering took longer than PLCCOACH_PAGE_RENDER_MS */
    CITED_FAILED,    /* rendering or the exports store failed (logged) */
};

struct cited {
    int n;
    const char *label;      /* `Title by Authors, Chapter N: Chapter title, pp. X-Y` */
    const char *quote;      /* the quoted passage; "" when none */
    const char *book_title; /* "" when unknown */
    const char *source;     /* "pdf" or "text": the book's pages; "passage": see above */
    const char *notice;     /* why the passage stands in for the pages; NULL otherwise */
    struct page_text *pages;
    size_t npages;
    struct cite_source src; /* the lookup */
};

/* Opens citation n of message_id for v; everything in a. */
enum cited_status cited_open(struct db *db, const struct config *cfg, const char *message_id, int n,
                             const struct exp_viewer *v, struct arena *a, struct cited *out)
    __attribute__((nonnull));

/* Appends page k (0-based, within c->npages) drawn width pixels wide
 * (PAGE_MIN_WIDTH..PAGE_MAX_WIDTH) to png. */
enum cited_status cited_png(struct db *db, const struct config *cfg, const struct cited *c,
                            size_t k, int width, struct buf *png) __attribute__((nonnull));

#endif
