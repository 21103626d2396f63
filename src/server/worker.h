/*
 * A worker process: the FCGX_Accept_r loop.
 *
 * The worker owns, for its lifetime, the parsed configuration (a copy the
 * master forked), its database connection and libfcgi's request state.
 * Everything a request allocates is owned by its struct request and freed
 * when the request ends.
 *
 * Signals: SIGTERM/SIGINT ask the worker to stop.  They are blocked while a
 * request is served and only delivered while it waits for the next one
 * (ppoll), so an in-flight request always completes.
 */
#ifndef PLC_SERVER_WORKER_H
#define PLC_SERVER_WORKER_H

struct config;

/* Exit statuses a worker reports to the master. */
enum worker_exit {
    WORKER_EXIT_STOPPED = 0,  /* asked to stop */
    WORKER_EXIT_FAILED = 1,   /* could not start or serve */
    WORKER_EXIT_RECYCLED = 3, /* served --max-requests; replace at once */
};

/* Serves requests on listen_fd until stopped or recycled.  Returns one of
 * enum worker_exit; the caller exits with it. */
int worker_main(const struct config *cfg, int listen_fd) __attribute__((nonnull));

#endif
