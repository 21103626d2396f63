/*
 * Running one ingestion job within a budget (issue 11): a PDF can be
 * built so that any reader spends minutes interpreting it (a few kB of
 * forms drawing forms), and a job process busy with one such file holds
 * up the whole queue.  So each job runs in a child process of its own,
 * with PLCCOACH_INGEST_CPU_SECONDS of processor time (RLIMIT_CPU) and
 * PLCCOACH_INGEST_WALL_SECONDS of wall-clock time; past either it is
 * killed, the job fails for good with a message that says so, and the
 * job process takes the next one.  A reader that crashes fails the job
 * the same way instead of the job process.
 */
#ifndef PLC_JOBS_BUDGET_H
#define PLC_JOBS_BUDGET_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct ingest_job;

/* job_run() (run.h) in a child process with its own database
 * connection, within the budget; the same results, plus a failure for
 * good when the budget ran out or the child died.  *cpu_ms is the
 * processor time the child used.  book_id: caller frees. */
bool job_run_budgeted(const struct config *cfg, const struct ingest_job *job, char **book_id,
                      bool *transient, char *err, size_t errlen, long *cpu_ms)
    __attribute__((nonnull));

#endif
