/*
 * The master process: supervises the preforked workers; never serves.
 *
 * - starts cfg->workers workers on the listening socket, and
 *   cfg->job_workers job processes (server/jobs.h) that run ingestion jobs;
 * - respawns a worker that dies: at once after a clean recycle, with an
 *   exponential backoff (100 ms doubling up to cfg->backoff_max_ms) when
 *   workers keep crashing soon after start;
 * - SIGHUP: starts a new generation of workers and lets the old one finish
 *   its in-flight requests;
 * - SIGTERM/SIGINT: drains: workers stop accepting, in-flight requests get
 *   cfg->drain_timeout seconds, stragglers are killed, then it exits.
 */
#ifndef PLC_SERVER_MASTER_H
#define PLC_SERVER_MASTER_H

struct config;

/* Runs the pool until drained.  unix_path (may be NULL) is unlinked and
 * the pidfile removed at exit.  Returns 0 when every worker finished
 * within the drain timeout, 1 otherwise. */
int master_run(const struct config *cfg, int listen_fd, const char *unix_path)
    __attribute__((nonnull(1)));

#endif
