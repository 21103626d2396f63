/*
 * Making an export: the conversation read as the export shows it
 * (db/exports.h), rendered (export.h) and stored in the exports store
 * (storage/storage.h) as exports/<id>.<ext>, and the end recorded.  The
 * HTTP handler calls it for a small conversation, the job process for a
 * queued one (src/jobs/exports.c); both call the sweep.
 */
#ifndef PLC_EXPORT_MAKE_H
#define PLC_EXPORT_MAKE_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct db;
struct exp_job;
struct storage;

/* The process's exports store (storage_open(cfg, STORAGE_EXPORTS)),
 * opened on first use and kept; NULL with a logged reason when the
 * configuration names none.  Released by export_make_release(). */
struct storage *export_store(const struct config *cfg) __attribute__((nonnull));

/* Makes job (an export marked running) and records it done or failed.
 * Returns true when done; false when it failed (the reason, also
 * recorded on the export, in err). */
bool export_make(struct db *db, const struct config *cfg, const struct exp_job *job, char *err,
                 size_t errlen) __attribute__((nonnull));

/* Deletes the files of expired and orphaned exports and of stale cached
 * pages (at most SWEEP_BATCH of each per call); returns how many objects
 * went, or -1 on a database error. */
long export_sweep(struct db *db, const struct config *cfg) __attribute__((nonnull));

/* Writes the current time as ISO 8601 UTC ("2024-05-01T14:03:09Z"). */
void export_now(char out[21]);

/* Closes the store export_store() opened. */
void export_make_release(void);

#endif
