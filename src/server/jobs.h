/*
 * The job process: takes ingestion jobs from the PostgreSQL queue and runs
 * them outside any request.  The master supervises it like a worker
 * (respawn with backoff, SIGTERM lets the current job finish, SIGHUP
 * replaces it).
 */
#ifndef PLC_SERVER_JOBS_H
#define PLC_SERVER_JOBS_H

struct config;

/* Runs until SIGTERM; returns the process exit status. */
int jobs_main(const struct config *cfg) __attribute__((nonnull));

#endif
