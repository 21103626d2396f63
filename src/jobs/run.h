/*
 * Running one claimed ingestion job: the bridge between the queue and the
 * library's ingester.
 */
#ifndef PLC_JOBS_RUN_H
#define PLC_JOBS_RUN_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct db;
struct ingest_job;

/* Reads the upload job->path names (a storage locator, storage/storage.h:
 * s3://BUCKET/KEY or a local path) into memory, bounded by
 * INGEST_MAX_BYTES, and ingests it with job->options; cfg gives the S3
 * region and endpoint.  A missing or unreadable upload fails the job with
 * a message, never more.  On success returns true and sets
 * *book_id (caller frees; NULL when the book was already there, unchanged).
 * On failure returns false with a message for the admin in err, and
 * *transient true when trying again later may succeed (the store could not
 * be read, the database or the embeddings service failed mid-book) rather
 * than never (a missing object, a file the readers refuse). */
bool job_run(struct db *db, const struct config *cfg, const struct ingest_job *job, char **book_id,
             bool *transient, char *err, size_t errlen) __attribute__((nonnull));

#endif
