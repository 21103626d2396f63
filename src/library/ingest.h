/*
 * Ingestion: a file's bytes to stored book, chapters and chunks.
 *
 *   read (read_pdf.c / read_markdown.c) -> clean (PDF) -> chunk -> tag
 *   domains -> store (one transaction, store.c), which calls
 *   library_embed_book() (embed.h) before it commits
 *
 * ingest_prepare() is everything before the database, for tests and for
 * the background worker that a later change adds.
 */
#ifndef PLC_LIBRARY_INGEST_H
#define PLC_LIBRARY_INGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "library/chunk.h"
#include "library/doc.h"

struct db;

/* Largest file ingest_file() reads. */
#define INGEST_MAX_BYTES (256u * 1024 * 1024)

struct ingest_options {
    const char *title, *authors, *isbn, *sku, *product_url; /* NULL: from the file */
    bool replace;
    size_t max_page_chars; /* a PDF page holding more text is refused; 0: no limit */
};

enum ingest_outcome {
    INGEST_NEW,       /* stored */
    INGEST_UNCHANGED, /* the same bytes were already in the library */
    INGEST_REPLACED,  /* --replace: the old book was removed, this one stored */
    INGEST_REFUSED,   /* bad input: nothing written */
    INGEST_FAILED,    /* the database failed: nothing written */
};

struct ingest_result {
    enum ingest_outcome outcome;
    char book_id[37];
    size_t pages, chapters, chunks;
    size_t model_tagged; /* chunks whose domains the language model chose */
    char error[256];
};

/* Returns the word for an outcome ("ingested", "unchanged", ...). */
const char *ingest_outcome_name(enum ingest_outcome o);

/* Returns the format for a file name by its extension (.pdf, .md,
 * .markdown, .txt, any case); false when it is none of them. */
bool ingest_format_of(const char *name, enum doc_format *out) __attribute__((nonnull));

/* Reads, cleans, chunks and tags n bytes of the given format, applying the
 * options' metadata over the file's; fallback_title is used when neither
 * has a title.  On success d and c are filled (the caller frees them with
 * doc_free and chunk_list_free); on failure both are empty and err says
 * why. */
bool ingest_prepare(const char *data, size_t n, enum doc_format format,
                    const struct ingest_options *o, const char *fallback_title, struct doc *d,
                    struct chunk_list *c, char *err, size_t errlen)
    __attribute__((nonnull(1, 4, 5, 6, 7, 8), warn_unused_result));

/* Ingests bytes already in memory; source_uri is recorded on the book
 * (may be NULL).  Fills r and returns its outcome. */
enum ingest_outcome ingest_bytes(struct db *db, const char *data, size_t n, enum doc_format format,
                                 const char *name, const char *source_uri,
                                 const struct ingest_options *o, struct ingest_result *r)
    __attribute__((nonnull(1, 2, 5, 7, 8)));

/* Ingests the file at path (its format from its extension). */
enum ingest_outcome ingest_file(struct db *db, const char *path, const struct ingest_options *o,
                                struct ingest_result *r) __attribute__((nonnull));

#endif
