/*
 * Erasure, retention and queued file deletions; see lifecycle.h.
 */
#include "config.h"

#include <string.h>

#include "db/db.h"
#include "jobs/lifecycle.h"
#include "storage/storage.h"
#include "util/arena.h"
#include "util/cfg.h"
#include "util/log.h"

#define FILES_PER_TICK 200
#define FILES_PER_RUN 100000 /* after an erasure or a retention run */

long lifecycle_delete_files(struct db *db, const struct config *cfg, size_t limit)
{
    struct arena a = ARENA_INIT;
    struct storage *stores[2] = {NULL, NULL}; /* content, exports: opened when needed */
    struct pending_file *files;
    size_t n, i;
    long deleted = 0;

    if (deletions_pending(db, &a, limit, &files, &n) != DB_OK) {
        arena_free(&a);
        return -1;
    }
    for (i = 0; i < n; i++) {
        int which = strcmp(files[i].store, "exports") == 0;
        enum storage_status st;
        char err[256];

        if (stores[which] == NULL) {
            stores[which] =
                storage_open(cfg, which ? STORAGE_EXPORTS : STORAGE_CONTENT, err, sizeof(err));
            if (stores[which] == NULL) {
                LOG_FIELDS(LOG_WARN, "lifecycle: cannot open a store",
                           LF_STR("store", files[i].store), LF_STR("error", err));
                if (deletions_done(db, files[i].id, false) != DB_OK) {
                    deleted = -1; /* the database failed, as below */
                    break;
                }
                continue;
            }
        }
        st = storage_delete(stores[which], files[i].key);
        if (st != STORAGE_OK)
            LOG_FIELDS(LOG_WARN, "lifecycle: a file could not be deleted yet",
                       LF_STR("store", files[i].store), LF_STR("error", storage_strerror(st)));
        if (deletions_done(db, files[i].id, st == STORAGE_OK) != DB_OK) {
            deleted = -1;
            break;
        }
        deleted += st == STORAGE_OK;
    }
    storage_close(stores[0]);
    storage_close(stores[1]);
    arena_free(&a);
    return deleted;
}

enum db_status lifecycle_erase(struct db *db, const struct config *cfg, const char *user_id,
                               const char *actor_id, const char *ip, const char *via,
                               char erasure_id[37], struct erase_counts *counts, size_t *files_left)
{
    enum db_status st = userdata_erase(db, user_id, actor_id, ip, via, erasure_id, counts);
    struct arena a = ARENA_INIT;
    struct pending_file *files;
    size_t n = 0;

    *files_left = 0;
    if (st != DB_OK)
        return st;
    LOG_FIELDS(LOG_INFO, "user erased", LF_STR("erasure_id", erasure_id), LF_STR("via", via));
    if (lifecycle_delete_files(db, cfg, FILES_PER_RUN) >= 0
        && deletions_pending(db, &a, 1000, &files, &n) == DB_OK)
        *files_left = n;
    arena_free(&a);
    return DB_OK;
}

bool lifecycle_retention(struct db *db, const struct config *cfg, int64_t days,
                         int64_t *conversations, int64_t *messages, volatile sig_atomic_t *stop)
{
    int64_t c, m;

    *conversations = *messages = 0;
    do {
        if (userdata_retention_batch(db, days, RETENTION_BATCH, &c, &m) != DB_OK)
            return false;
        *conversations += c;
        *messages += m;
    } while (c == RETENTION_BATCH && (stop == NULL || !*stop));
    if (*conversations > 0)
        LOG_FIELDS(LOG_INFO, "retention: old conversations deleted", LF_INT("days", days),
                   LF_INT("conversations", *conversations), LF_INT("messages", *messages));
    return lifecycle_delete_files(db, cfg, FILES_PER_RUN) >= 0;
}

bool lifecycle_tick(struct db *db, const struct config *cfg, volatile sig_atomic_t *stop)
{
    bool due = false;
    int64_t c, m;

    if (cfg->retention_days > 0) {
        if (maintenance_claim(db, "retention", RETENTION_EVERY_S, &due) != DB_OK)
            return false;
        if (due && !lifecycle_retention(db, cfg, cfg->retention_days, &c, &m, stop))
            return false;
    }
    return lifecycle_delete_files(db, cfg, FILES_PER_TICK) >= 0;
}
