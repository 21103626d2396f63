/*
 * Conversation exports (table exports, sql/050_exports.sql): asking for
 * one (audited), reading one back, the job queue that renders the large
 * ones, the sweep that deletes expired and orphaned files, and the
 * conversation as an export shows it.
 *
 * Who may see an export is decided here, in the statement that reads it
 * (struct exp_viewer): the user who asked for it, or whoever holds the
 * share link it was asked for through; in both cases only while the
 * conversation exists and, for an export made through a link, while that
 * link is active.  Anything else is DB_NOT_FOUND, like a missing id.
 */
#ifndef PLC_DB_EXPORTS_H
#define PLC_DB_EXPORTS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/status.h"

struct db;

#define EXP_KEEP_DAYS 30     /* like the exports bucket's lifecycle */
#define EXP_STALE_MINUTES 10 /* a running export older than this is taken again */
#define EXP_MAX_ATTEMPTS 3
#define EXP_CHANNEL "export_jobs"

/* Who is asking: a signed-in user, a share link's token digest, or both
 * (a signed-in user who opened a link). */
struct exp_viewer {
    const char *user_id;    /* NULL when signed out */
    const char *share_hash; /* NULL unless the request came through a share link */
};

/* An export as its requester sees it.  Strings are NUL-terminated copies. */
struct exp_record {
    char id[37];
    char format[4]; /* "pdf", "md", "txt" */
    char status[8]; /* "queued", "running", "done", "failed" */
    char created_at[21], expires_at[21];
    bool expired;    /* expires_at has passed: the file is gone or going */
    bool via_share;  /* asked for through a share link */
    int64_t bytes;   /* -1 until done */
    char key[64];    /* the object's key in the exports store; "" until done */
    char title[808]; /* the conversation's title now (for the file name) */
    char error[512]; /* why it failed; "" otherwise */
};

/* Asks for an export of conversation conv_id (v->user_id's own; v must
 * name a user and no share) or of the conversation behind v->share_hash
 * (conv_id NULL; the link must be active; v->user_id may be NULL).  The
 * export is 'running' at once (the caller renders it) when the messages
 * it will show number at most inline_max, else 'queued' for the job
 * processes (NOTIFY export_jobs on commit).  export.create is recorded in
 * the audit log (actor v->user_id, address ip) in the same transaction.
 * Returns DB_OK with *out filled, DB_NOT_FOUND or DB_ERROR
 * (nothing written). */
enum db_status exp_create(struct db *db, const char *conv_id, const struct exp_viewer *v,
                          const char *format, long inline_max, const char *ip,
                          struct exp_record *out) __attribute__((nonnull(1, 3, 4, 7)));

/* Reads export id as v may see it.  DB_OK (an expired one too, with
 * out->expired), DB_NOT_FOUND or DB_ERROR. */
enum db_status exp_get(struct db *db, const char *id, const struct exp_viewer *v,
                       struct exp_record *out) __attribute__((nonnull));

/* What a job process, or a request rendering inline, needs to make one. */
struct exp_job {
    char id[37];
    char conversation_id[37];
    char share_id[37]; /* "" for the owner's export */
    char format[4];
    char created_at[21];
};

/* The job queue: takes the oldest queued export (or a running one left
 * for EXP_STALE_MINUTES by a process that died, while it has attempts
 * left) and marks it running.  DB_OK with *job, DB_NOT_FOUND when
 * there is none, DB_ERROR. */
enum db_status exp_claim(struct db *db, struct exp_job *job) __attribute__((nonnull));

/* The export just made by exp_create (status 'running'), as a job. */
enum db_status exp_job_of(struct db *db, const char *id, struct exp_job *job)
    __attribute__((nonnull));

/* Records the end: done with the stored object's key and size, or failed
 * with error (NULL key).  Returns DB_ERROR on a database error. */
enum db_status exp_finish(struct db *db, const char *id, const char *key, int64_t bytes,
                          const char *error) __attribute__((nonnull(1, 2), warn_unused_result));

/* The conversation as an export shows it: {"title", "author" (the
 * owner's name), "created_at", "shared_by" (the owner's name, through a
 * link; else absent), "messages": [...]} (caller puts).  With share_id
 * (may be ""), only the messages that link shows.  DB_OK,
 * DB_NOT_FOUND (the conversation is gone) or DB_ERROR. */
enum db_status exp_conversation(struct db *db, const char *conv_id, const char *share_id,
                                json_object **out) __attribute__((nonnull(1, 2, 4)));

/* LISTENs on EXP_CHANNEL (the job process).  Returns DB_OK, or DB_ERROR on a
 * database error. */
enum db_status exp_listen(struct db *db) __attribute__((nonnull, warn_unused_result));

/* For `plccoach export`: records export.create by the command line (no
 * actor) for conv_id in format.  Returns DB_OK, or DB_ERROR (logged). */
enum db_status exp_audit_cli(struct db *db, const char *conv_id, const char *format)
    __attribute__((nonnull, warn_unused_result));

/* One file to delete: an export that expired (drop false: the row stays
 * EXP_KEEP_DAYS more, so it answers 410), or whose conversation,
 * requester or link is gone or no longer active (drop true). */
struct exp_sweep {
    char id[37];
    char key[64]; /* "" when no file is stored */
    bool drop;
};

/* Lists at most max exports to sweep into items (*n of them). */
enum db_status exp_sweep_list(struct db *db, struct exp_sweep *items, size_t max, size_t *n)
    __attribute__((nonnull));

/* Records that the file of a swept export is gone: deletes the row when
 * item->drop, else forgets its key.  Returns DB_OK, or DB_ERROR (logged). */
enum db_status exp_sweep_forget(struct db *db, const struct exp_sweep *item)
    __attribute__((nonnull, warn_unused_result));

#endif
