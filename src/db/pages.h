/*
 * A book's printed pages and section headings (sql/020_lexical.sql),
 * written at ingestion in the book's transaction and read for the
 * evaluation's page baseline, quote checks and the coach's suggested
 * follow-ups.  Parameterised SQL only; results are copied into structs.
 */
#ifndef PLC_DB_PAGES_H
#define PLC_DB_PAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "db/status.h"

struct arena;
struct db;

/* Writes pages 0..n-1 of a book (labels[i], texts[i]).  Returns DB_ERROR
 * when the database failed (logged). */
enum db_status pages_put_book(struct db *db, const char *book_id, const char *const *labels,
                              const char *const *texts, size_t n)
    __attribute__((nonnull(1, 2), warn_unused_result));

/* One section heading to write. */
struct section_in {
    const char *chapter_id; /* NULL: before the first chapter */
    const char *title;
    int level;
    const char *page_label;
    int page_index;
};

/* Writes a book's sections in order; ids[i] receives section i's id (37
 * bytes each).  Returns DB_ERROR when the database failed. */
enum db_status sections_put_book(struct db *db, const char *book_id, const struct section_in *s,
                                 size_t n, char (*ids)[37])
    __attribute__((nonnull(1, 2), warn_unused_result));

/* One section heading as read. */
struct section_row {
    const char *id, *title, *page_start; /* in the arena */
    int level, page_index;
};

/* Lists the section headings of a chapter in book order (into the arena).
 * An unknown chapter has none.  Returns DB_ERROR when the database failed. */
enum db_status sections_of_chapter(struct db *db, const char *chapter_id, struct arena *a,
                                   struct section_row **out, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* One printed page as read. */
struct page_row {
    const char *book_id, *book_title, *label, *text; /* in the arena */
    int page_index;
};

/* Lists every page of every book, by book then page (into the arena).
 * Returns DB_ERROR when the database failed. */
enum db_status pages_all(struct db *db, struct arena *a, struct page_row **out, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* A page of a book by its index (0-based, as pages.page_index). */
struct page_place {
    const char *book_id; /* in the caller's arena */
    int index;
};

/* Sets *out (n of them, in the arena) to the page indexes that the
 * printed page label names in the books titled title: a chunk's first or
 * last page with that label, or a numbered label within a chunk whose
 * printed pages run evenly (the evaluation's expected pages).  Returns
 * DB_ERROR when the database failed (logged). */
enum db_status pages_by_label(struct db *db, struct arena *a, const char *title, const char *label,
                              struct page_place **out, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* Sets *text (in the arena) to the text of a book's pages from..to
 * (indexes, inclusive), joined by "\n\n"; "" when it has none of them.
 * Returns DB_ERROR when the database failed. */
enum db_status pages_text(struct db *db, const char *book_id, int from, int to, struct arena *a,
                          const char **text) __attribute__((nonnull, warn_unused_result));

/* Sets *book_id (in the arena; NULL when there is no such passage), *from
 * and *to to a passage's book and page-index range.  Returns DB_ERROR when
 * the database failed. */
enum db_status pages_chunk_span(struct db *db, const char *chunk_id, struct arena *a,
                                const char **book_id, int *from, int *to)
    __attribute__((nonnull, warn_unused_result));

/* A retrieved passage on its printed pages, for the extractive composer
 * (coach/extractive.h, "The page"). */
struct page_around {
    const char **texts; /* the book's passages on the passage's pages, in book order, within
                         * PAGES_AROUND of it and in its chapter; the passage among them */
    size_t n;
    size_t self;      /* the passage's index in texts */
    const char *page; /* the text of the passage's pages, joined by "\n\n"; "" when the
                       * book has no page texts */
};

/* Passages before and after a passage that may share its pages: one each
 * way gives the composer as many key terms as three on tune (0.570) and
 * costs less (docs/performance.md, "compose25"). */
#define PAGES_AROUND 1

/* Fills out[0..n) for the passages chunk_ids[0..n), in one statement: a
 * passage no longer in the library has only itself (texts NULL, n 0).
 * Everything is in the arena.  Returns DB_ERROR when the database failed
 * (logged). */
enum db_status pages_around(struct db *db, const char *const *chunk_ids, size_t n, struct arena *a,
                            struct page_around *out) __attribute__((nonnull, warn_unused_result));

#endif
