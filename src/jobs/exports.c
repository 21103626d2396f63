/*
 * Export jobs; see exports.h.
 */
#include "config.h"

#include "db/exports.h"
#include "export/make.h"
#include "jobs/exports.h"
#include "util/log.h"

bool export_jobs_drain(struct db *db, const struct config *cfg, volatile sig_atomic_t *stop)
{
    while (!*stop) {
        struct exp_job job;
        char err[512];

        switch (exp_claim(db, &job)) {
        case DB_OK: break;
        case DB_NOT_FOUND: return true;
        default: return false;
        }
        log_set_request_id(job.id);
        (void)export_make(db, cfg, &job, err, sizeof(err));
        log_set_request_id(NULL);
    }
    return true;
}
