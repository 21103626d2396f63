/*
 * The ingestion job queue in PostgreSQL (table ingest_jobs), shared by any
 * number of ECS tasks: a job is claimed with FOR UPDATE SKIP LOCKED, so two
 * job processes never take the same one, and announced with NOTIFY
 * ingest_jobs so an idle job process wakes at once.  A job left `running`
 * by a process that died is taken again after JOB_STALE_MINUTES, and one
 * that failed for a reason that may pass is queued again after a wait
 * (job_retry_later), at most JOB_MAX_ATTEMPTS times in all.
 */
#ifndef PLC_DB_INGEST_JOBS_H
#define PLC_DB_INGEST_JOBS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "db/status.h"

struct arena;
struct db;

#define JOB_STALE_MINUTES 30
#define JOB_MAX_ATTEMPTS 3
#define JOB_CHANNEL "ingest_jobs"

struct ingest_job {
    char id[37];
    char *path;           /* the stored upload's locator (storage.h); owned */
    char *filename;       /* the name it was uploaded under; owned */
    json_object *options; /* title, authors, isbn, sku, product_url, replace; owned */
    char *created_by;     /* user id or NULL; owned */
};

/* Queues a job, notifies the job processes (on commit) and records
 * book.upload (actor created_by, address ip: may be NULL; detail the
 * filename and the upload's sha256) in the same transaction.  options may
 * be NULL; it is not taken.  Returns DB_OK with the job id in id_out, or
 * DB_ERROR (logged; nothing queued). */
enum db_status job_enqueue(struct db *db, const char *path, const char *filename,
                           json_object *options, const char *created_by, const char *sha256,
                           const char *ip, char id_out[37])
    __attribute__((nonnull(1, 2, 3, 6, 8), warn_unused_result));

/* Listens for JOB_CHANNEL on db's connection (the job process's wake-up).
 * Returns DB_ERROR on a database error. */
enum db_status job_listen(struct db *db) __attribute__((nonnull, warn_unused_result));

/* A job as the administration sees it (strings in the caller's arena;
 * NULL for what it lacks; times ISO 8601 UTC). */
struct job_row {
    const char *id, *status, *filename, *book_id, *error, *created_at, *started_at, *finished_at;
};

/* Lists the newest limit jobs into *rows (n of them, in a).  Returns DB_OK,
 * or DB_ERROR on a database error (logged). */
enum db_status jobs_recent(struct db *db, struct arena *a, int limit, struct job_row **rows,
                           size_t *n) __attribute__((nonnull));

/* Reads job id into *out: DB_OK, DB_NOT_FOUND, or DB_ERROR (logged). */
enum db_status job_find(struct db *db, struct arena *a, const char *id, struct job_row *out)
    __attribute__((nonnull));

/* Takes the oldest queued (or stale) job and marks it running: DB_OK
 * with *job filled (release with job_clear), DB_NOT_FOUND when no job
 * waits, DB_ERROR (logged). */
enum db_status job_claim(struct db *db, struct ingest_job *job) __attribute__((nonnull));

/* Records the end of a job: done with book_id (may be NULL: nothing new),
 * or failed with error (a message for the admin; NULL = done).  When it
 * failed and orphan is not NULL, *orphan says whether its upload is
 * needed by nothing else (no other job queued, running or done with a
 * book, no book ingested from it): the caller then deletes it from
 * storage, since an upload that never becomes a book would stay there
 * forever. */
enum db_status job_finish(struct db *db, const char *id, const char *book_id, const char *error,
                          bool *orphan) __attribute__((nonnull(1, 2), warn_unused_result));

/* Records a failure that may pass (the store or the embeddings service
 * unreachable): the job goes back to the queue with error, not to be taken
 * for attempts^2 minutes, while it has attempts left (*requeued true);
 * otherwise it fails with error (and *orphan as job_finish sets it).
 * Returns DB_ERROR on a database error. */
enum db_status job_retry_later(struct db *db, const char *id, const char *error, bool *requeued,
                               bool *orphan) __attribute__((nonnull, warn_unused_result));

/* Deletes failed job id (an admin clearing the list) and records
 * job.delete (actor actor_id, address ip; may be NULL) in the same
 * transaction.  On DB_OK *path is the job's upload locator (caller
 * frees) and *orphan whether nothing else needs it (the caller deletes
 * it from storage).  A job queued, running or done is DB_CONFLICT. */
enum db_status job_delete_failed(struct db *db, const char *id, const char *actor_id,
                                 const char *ip, char **path, bool *orphan)
    __attribute__((nonnull(1, 2, 5, 6), warn_unused_result));

/* Frees what job_claim put in *job. */
void job_clear(struct ingest_job *job);

#endif
