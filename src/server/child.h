/*
 * What every process the master supervises (workers, job processes) sets
 * up first.
 */
#ifndef PLC_SERVER_CHILD_H
#define PLC_SERVER_CHILD_H

#include <signal.h>
#include <stdbool.h>

/* Names the process in the log, makes it die with the master (even one
 * killed with SIGKILL), makes SIGTERM/SIGINT set *stop, blocks both so
 * that they are delivered only while the process waits with *waitmask
 * (ppoll), and ignores SIGPIPE, SIGHUP and SIGUSR1.  Returns false when
 * the master is already gone. */
bool child_setup(const char *role, volatile sig_atomic_t *stop, sigset_t *waitmask)
    __attribute__((nonnull, warn_unused_result));

#endif
