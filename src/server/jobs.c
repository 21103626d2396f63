/*
 * The job process; see jobs.h.
 *
 * It LISTENs on the queues' channels (ingestion, then exports:
 * src/jobs/exports.h) and waits in ppoll() on the database socket (with SIGTERM unblocked only
 * there, as workers do), waking on a NOTIFY, or every JOBS_POLL_S seconds to pick up stale jobs and
 * jobs queued while the connection was down, and to sweep expired exports.  A lost connection is
 * re-opened and LISTEN re-issued.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/exports.h"
#include "export/export.h"
#include "export/make.h"
#include "jobs/exports.h"
#include "jobs/lifecycle.h"
#include "db/ingest_jobs.h"
#include "jobs/budget.h"
#include "server/child.h"
#include "server/jobs.h"
#include "server/worker.h"
#include "storage/storage.h"
#include "util/cfg.h"
#include "util/log.h"

#define JOBS_POLL_S 30

static volatile sig_atomic_t stop_requested;

/* Deletes the upload of a job that failed for good and that nothing else
 * needs (db/ingest_jobs.h): it would otherwise stay in storage forever. */
static void delete_orphan_upload(const struct config *cfg, const struct ingest_job *job)
{
    char why[256];

    if (storage_delete_locator(cfg, job->path, why, sizeof(why)) == STORAGE_OK)
        LOG_FIELDS(LOG_INFO, "failed job's upload deleted", LF_STR("file", job->filename));
    else
        LOG_FIELDS(LOG_WARN, "failed job's upload not deleted", LF_STR("file", job->filename),
                   LF_STR("error", why));
}

/* Runs every job in the queue; returns false on a database error. */
static bool drain_queue(struct db *db, const struct config *cfg)
{
    while (!stop_requested) {
        struct ingest_job job;
        char err[512] = "", *book_id = NULL;
        enum db_status c = job_claim(db, &job);
        bool ok, transient = false, requeued = false, orphan = false;
        enum db_status recorded;
        long cpu_ms = 0;

        if (c == DB_NOT_FOUND)
            return true;
        if (c == DB_ERROR)
            return false;
        log_set_request_id(job.id);
        LOG_FIELDS(LOG_INFO, "job started", LF_STR("file", job.filename));
        /* In a child process with a CPU and time budget (jobs/budget.h). */
        ok = job_run_budgeted(cfg, &job, &book_id, &transient, err, sizeof(err), &cpu_ms);
        recorded = ok || !transient
                       ? job_finish(db, job.id, ok ? book_id : NULL, ok ? NULL : err, &orphan)
                       : job_retry_later(db, job.id, err, &requeued, &orphan);
        if (recorded != DB_OK)
            log_error("could not record the end of job %s", job.id);
        LOG_FIELDS(ok ? LOG_INFO : LOG_WARN,
                   ok         ? "job done"
                   : requeued ? "job failed, queued again"
                              : "job failed",
                   LF_STR("file", job.filename), LF_STR("book_id", book_id),
                   LF_STR("error", ok ? NULL : err), LF_INT("cpu_ms", cpu_ms));
        if (orphan)
            delete_orphan_upload(cfg, &job);
        log_set_request_id(NULL);
        free(book_id);
        job_clear(&job);
    }
    return true;
}

int jobs_main(const struct config *cfg)
{
    sigset_t waitmask;
    struct db db;
    PGconn *listening = NULL;

    if (!child_setup("jobs", &stop_requested, &waitmask))
        return WORKER_EXIT_STOPPED;
    db_init(&db, cfg);
    log_info("job process started");
    while (!stop_requested) {
        PGconn *conn = db_conn(&db);
        struct timespec timeout = {JOBS_POLL_S, 0};
        struct pollfd pfd;
        PGnotify *n;

        if (conn == NULL) {
            struct timespec retry = {1, 0};
            ppoll(NULL, 0, &retry, &waitmask);
            continue;
        }
        if (conn != listening) {
            if (job_listen(&db) != DB_OK || exp_listen(&db) != DB_OK)
                continue;
            listening = db.conn;
        }
        if (!drain_queue(&db, cfg) || !export_jobs_drain(&db, cfg, &stop_requested)
            || export_sweep(&db, cfg) < 0)
            continue;
        /* retention once a day, files left to delete (docs/privacy.md) */
        if (!lifecycle_tick(&db, cfg, &stop_requested))
            continue;
        if (stop_requested || db.conn == NULL)
            continue;
        pfd.fd = PQsocket(db.conn);
        pfd.events = POLLIN;
        pfd.revents = 0;
        if (ppoll(&pfd, 1, &timeout, &waitmask) < 0 && errno != EINTR)
            log_warn("ppoll: %s", strerror(errno));
        if (db.conn != NULL && (pfd.revents & POLLIN)) {
            if (!PQconsumeInput(db.conn))
                listening = NULL; /* the next db_conn() notices the loss */
            while (db.conn != NULL && (n = PQnotifies(db.conn)) != NULL)
                PQfreemem(n);
        }
    }
    log_info("job process stopping");
    db_close(&db);
    export_make_release();
    export_release();
    return WORKER_EXIT_STOPPED;
}
