/*
 * The cited page: one citation of a saved answer with the book and pages
 * it points at now, for whoever may see the answer; and the index of the
 * page images and texts cached in the exports store (table page_cache,
 * sql/050_exports.sql).
 *
 * Who may see the answer is decided in the statement that reads it: the
 * conversation's owner, or the holder of an active share link that shows
 * the message (it existed when the link was made).  Anything else is
 * DB_NOT_FOUND, like a missing message.
 */
#ifndef PLC_DB_CITEPAGE_H
#define PLC_DB_CITEPAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "db/status.h"
#include "db/exports.h"
#include "util/arena.h"

struct db;

#define PCACHE_KEEP_DAYS 30

/* A citation as saved with the answer, and its book as it is now. */
struct cite_source {
    /* from the answer (always there) */
    const char *citation_json; /* the citation object, JSON text */
    /* from the library, when the cited chunk still exists (has_book) */
    bool has_book;
    char book_id[37];
    char sha256[65];
    char format[9];         /* "pdf", "markdown", "text" */
    const char *source_uri; /* a storage locator, or NULL */
    const char *book_title;
    int page_first, page_last; /* page indexes (0-based) of the cited chunk */
};

/* Finds citation n of answer message_id as v may see it (v->share_hash:
 * through that link; else v->user_id must own the conversation).  Strings
 * are allocated in a.  DB_OK, DB_NOT_FOUND (no such message or
 * citation, or not visible) or DB_ERROR. */
enum db_status cite_find(struct db *db, const char *message_id, int n, const struct exp_viewer *v,
                         struct arena *a, struct cite_source *out) __attribute__((nonnull));

/* Records that key (in the exports store) holds a rendering of book_id
 * (may be NULL), now.  Returns DB_ERROR on a database error. */
enum db_status pcache_note(struct db *db, const char *key, const char *book_id)
    __attribute__((nonnull(1, 2), warn_unused_result));

/* Lists at most max cached keys to delete (older than PCACHE_KEEP_DAYS,
 * or of a removed book) into keys (each 128 bytes); *n of them. */
enum db_status pcache_sweep_list(struct db *db, char (*keys)[128], size_t max, size_t *n)
    __attribute__((nonnull));

/* Forgets a deleted key.  Returns DB_OK, or DB_ERROR (logged). */
enum db_status pcache_forget(struct db *db, const char *key)
    __attribute__((nonnull, warn_unused_result));

#endif
