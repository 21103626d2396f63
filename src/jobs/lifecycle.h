/*
 * The end of data's life (issue 14, docs/privacy.md): erasing a person
 * and deleting their files, retention, and the stored files queued for
 * deletion (src/db/userdata.h).  Used by the admin API
 * (DELETE /api/admin/users/{id}), `plccoach user delete`,
 * `plccoach retention` and, daily, the job process.
 */
#ifndef PLC_JOBS_LIFECYCLE_H
#define PLC_JOBS_LIFECYCLE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/userdata.h"

struct config;
struct db;

#define RETENTION_BATCH 500 /* conversations per transaction */
#define RETENTION_EVERY_S 86400

/* Erases user_id (src/db/userdata.h: userdata_erase), then deletes the
 * files it queued.  *files_left receives how many queued files the stores
 * could not delete yet (the job process keeps trying).  Returns what
 * userdata_erase returned. */
enum db_status lifecycle_erase(struct db *db, const struct config *cfg, const char *user_id,
                               const char *actor_id, const char *ip, const char *via,
                               char erasure_id[37], struct erase_counts *counts, size_t *files_left)
    __attribute__((nonnull(1, 2, 3, 6, 7, 8, 9)));

/* Deletes up to limit queued files through their stores, forgetting each
 * one deleted.  Returns how many were deleted, or -1 (logged) when the
 * database failed; a store that fails leaves its file queued. */
long lifecycle_delete_files(struct db *db, const struct config *cfg, size_t limit)
    __attribute__((nonnull));

/* Deletes every conversation last changed more than days days ago, in
 * batches of RETENTION_BATCH (stopping early when *stop becomes true),
 * then their files.  Totals in *conversations and *messages.  Returns
 * false (logged) on a database error. */
bool lifecycle_retention(struct db *db, const struct config *cfg, int64_t days,
                         int64_t *conversations, int64_t *messages, volatile sig_atomic_t *stop)
    __attribute__((nonnull(1, 2, 4, 5)));

/* The job process's recurring work: retention once a day across all
 * tasks when PLCCOACH_RETENTION_DAYS is set, then queued files.  Returns
 * false on a database error. */
bool lifecycle_tick(struct db *db, const struct config *cfg, volatile sig_atomic_t *stop)
    __attribute__((nonnull(1, 2)));

#endif
