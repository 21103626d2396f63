/*
 * Start-up of supervised processes; see child.h.
 */
#include "config.h"

#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "server/child.h"
#include "util/log.h"

static volatile sig_atomic_t *stop_flag;

static void on_stop(int sig)
{
    (void)sig;
    *stop_flag = 1;
}

bool child_setup(const char *role, volatile sig_atomic_t *stop, sigset_t *waitmask)
{
    struct sigaction sa;
    sigset_t block;
    pid_t parent = getppid();

    log_set_role(role);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        return false;
    stop_flag = stop;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &sa, NULL);
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, waitmask);
    sigdelset(waitmask, SIGTERM);
    sigdelset(waitmask, SIGINT);
    return true;
}
