/*
 * The export jobs of the job process (src/server/jobs.c): queued exports
 * (db/exports.h) are made one by one like ingestion jobs, and the sweep
 * deletes expired and orphaned files.
 */
#ifndef PLC_JOBS_EXPORTS_H
#define PLC_JOBS_EXPORTS_H

#include <signal.h>
#include <stdbool.h>

struct config;
struct db;

/* Makes every queued export until none is left or *stop; returns false
 * on a database error. */
bool export_jobs_drain(struct db *db, const struct config *cfg, volatile sig_atomic_t *stop)
    __attribute__((nonnull));

#endif
