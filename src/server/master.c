/*
 * The supervising master; see master.h.
 *
 * All signals the master cares about stay blocked and are taken
 * synchronously with sigtimedwait(), whose timeout is the next thing the
 * master has to do (a delayed respawn, a drain deadline).  There are no
 * asynchronous handlers and no races between checking state and sleeping.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "server/jobs.h"
#include "server/master.h"
#include "server/worker.h"
#include "util/alloc.h"
#include "util/cfg.h"
#include "util/inflight.h"
#include "util/log.h"
#include "util/text.h"

#define BACKOFF_START_MS 100
#define STABLE_MS 10000 /* a worker that lived this long resets the backoff */

struct slot {
    pid_t pid; /* 0 when empty */
    bool jobs; /* runs the job process instead of a worker */
    int64_t started_ms;
    int64_t respawn_at; /* when empty: when to start a worker (0 = now) */
    int64_t backoff_ms; /* delay used for the last crash */
};

struct retiree {
    pid_t pid;
    int64_t deadline; /* SIGKILL after this */
};

struct master {
    const struct config *cfg;
    int listen_fd;
    struct slot *slots;
    size_t nslots;
    struct retiree *retirees;
    size_t nretirees;
    size_t cap_retirees;
    sigset_t orig_mask;
    bool draining;
    int64_t drain_deadline;
    bool killed_any;
};

static void noop(int sig)
{
    (void)sig;
}

/* Forks one worker into slot s.  Returns false when fork fails. */
static bool spawn(struct master *m, struct slot *s)
{
    pid_t pid = fork();

    if (pid < 0) {
        log_error("fork: %s", strerror(errno));
        return false;
    }
    if (pid == 0) {
        struct sigaction sa;
        bool jobs = s->jobs;
        int status;

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = SIG_DFL;
        sigaction(SIGCHLD, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        sigprocmask(SIG_SETMASK, &m->orig_mask, NULL);
        free(m->slots);
        free(m->retirees);
        if (jobs) {
            if (m->listen_fd >= 0)
                close(m->listen_fd);
            status = jobs_main(m->cfg);
        } else {
            status = worker_main(m->cfg, m->listen_fd);
        }
        exit(status);
    }
    s->pid = pid;
    s->started_ms = now_ms();
    s->respawn_at = 0;
    LOG_FIELDS(LOG_INFO, s->jobs ? "job process spawned" : "worker spawned",
               LF_INT("worker_pid", pid), LF_INT("slot", s - m->slots));
    return true;
}

static void add_retiree(struct master *m, pid_t pid, int64_t deadline)
{
    if (m->nretirees == m->cap_retirees) {
        m->cap_retirees = m->cap_retirees ? m->cap_retirees * 2 : 16;
        m->retirees = xrealloc(m->retirees, m->cap_retirees * sizeof(*m->retirees));
    }
    m->retirees[m->nretirees].pid = pid;
    m->retirees[m->nretirees].deadline = deadline;
    m->nretirees++;
}

/* Describes a wait status for the log. */
static void describe(int status, char *out, size_t len)
{
    if (WIFEXITED(status))
        snprintf(out, len, "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(out, len, "signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(out, len, "status %d", status);
}

/* Handles one reaped child. */
static void reaped(struct master *m, pid_t pid, int status)
{
    char why[64];
    size_t i;
    int64_t now = now_ms();

    describe(status, why, sizeof(why));
    if (inflight_reaped(pid))
        LOG_FIELDS(LOG_WARN,
                   "a worker ended while answering a question: the next worker releases it",
                   LF_INT("worker_pid", pid), LF_STR("how", why));
    for (i = 0; i < m->nretirees; i++) {
        if (m->retirees[i].pid == pid) {
            m->retirees[i] = m->retirees[--m->nretirees];
            LOG_FIELDS(LOG_INFO, "old worker exited", LF_INT("worker_pid", pid),
                       LF_STR("how", why));
            return;
        }
    }
    for (i = 0; i < m->nslots; i++) {
        struct slot *s = &m->slots[i];
        if (s->pid != pid)
            continue;
        s->pid = 0;
        if (m->draining) {
            LOG_FIELDS(LOG_INFO, "worker exited", LF_INT("worker_pid", pid), LF_INT("slot", i),
                       LF_STR("how", why));
            return;
        }
        if (WIFEXITED(status)
            && (WEXITSTATUS(status) == WORKER_EXIT_RECYCLED
                || WEXITSTATUS(status) == WORKER_EXIT_STOPPED)) {
            LOG_FIELDS(LOG_INFO, "worker recycled", LF_INT("worker_pid", pid), LF_INT("slot", i),
                       LF_STR("how", why));
            s->respawn_at = now;
            s->backoff_ms = 0;
            return;
        }
        if (now - s->started_ms >= STABLE_MS)
            s->backoff_ms = 0;
        else if (s->backoff_ms == 0)
            s->backoff_ms = BACKOFF_START_MS;
        else if (s->backoff_ms * 2 <= m->cfg->backoff_max_ms)
            s->backoff_ms *= 2;
        else
            s->backoff_ms = m->cfg->backoff_max_ms;
        s->respawn_at = now + s->backoff_ms;
        LOG_FIELDS(LOG_ERROR, "worker died", LF_INT("worker_pid", pid), LF_INT("slot", i),
                   LF_STR("how", why), LF_INT("respawn_in_ms", s->backoff_ms));
        return;
    }
}

static void reap_all(struct master *m)
{
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0)
            return;
        reaped(m, pid, status);
    }
}

static size_t live_workers(const struct master *m)
{
    size_t i, n = m->nretirees;

    for (i = 0; i < m->nslots; i++)
        if (m->slots[i].pid != 0)
            n++;
    return n;
}

/* Starts workers whose time has come; returns the next due time or -1. */
static int64_t respawn_due(struct master *m)
{
    int64_t now = now_ms(), next = -1;
    size_t i;

    for (i = 0; i < m->nslots; i++) {
        struct slot *s = &m->slots[i];
        if (s->pid != 0)
            continue;
        if (s->respawn_at <= now) {
            if (!spawn(m, s)) {
                s->backoff_ms = s->backoff_ms ? s->backoff_ms : BACKOFF_START_MS;
                s->respawn_at = now + s->backoff_ms;
            }
        }
        if (s->pid == 0 && (next < 0 || s->respawn_at < next))
            next = s->respawn_at;
    }
    return next;
}

static void signal_all(struct master *m, int sig)
{
    size_t i;

    for (i = 0; i < m->nslots; i++)
        if (m->slots[i].pid != 0)
            kill(m->slots[i].pid, sig);
    for (i = 0; i < m->nretirees; i++)
        kill(m->retirees[i].pid, sig);
}

/* SIGHUP: retire the current generation, start a new one. */
static void restart_pool(struct master *m)
{
    int64_t deadline = now_ms() + m->cfg->drain_timeout * 1000;
    size_t i;

    log_info("SIGHUP: restarting the worker pool");
    for (i = 0; i < m->nslots; i++) {
        struct slot *s = &m->slots[i];
        if (s->pid != 0) {
            kill(s->pid, SIGTERM);
            add_retiree(m, s->pid, deadline);
        }
        s->pid = 0;
        s->respawn_at = 0;
        s->backoff_ms = 0;
    }
}

/* Kills retirees (and, when draining, workers) past their deadline;
 * returns the next deadline or -1. */
static int64_t enforce_deadlines(struct master *m)
{
    int64_t now = now_ms(), next = -1;
    size_t i;

    for (i = 0; i < m->nretirees; i++) {
        if (m->retirees[i].deadline <= now) {
            LOG_FIELDS(LOG_WARN, "killing old worker past its drain deadline",
                       LF_INT("worker_pid", m->retirees[i].pid));
            kill(m->retirees[i].pid, SIGKILL);
            m->killed_any = true;
            m->retirees[i].deadline = now + 1000;
        }
        if (next < 0 || m->retirees[i].deadline < next)
            next = m->retirees[i].deadline;
    }
    if (m->draining) {
        if (m->drain_deadline <= now) {
            for (i = 0; i < m->nslots; i++) {
                if (m->slots[i].pid != 0) {
                    LOG_FIELDS(LOG_WARN, "killing worker past the drain deadline",
                               LF_INT("worker_pid", m->slots[i].pid));
                    kill(m->slots[i].pid, SIGKILL);
                    m->killed_any = true;
                }
            }
            m->drain_deadline = now + 1000;
        }
        if (next < 0 || m->drain_deadline < next)
            next = m->drain_deadline;
    }
    return next;
}

int master_run(const struct config *cfg, int listen_fd, const char *unix_path)
{
    struct master m;
    struct sigaction sa;
    sigset_t set;

    memset(&m, 0, sizeof(m));
    m.cfg = cfg;
    m.listen_fd = listen_fd;
    m.nslots = (size_t)cfg->workers + (size_t)cfg->job_workers;
    m.slots = xcalloc(m.nslots, sizeof(*m.slots));
    for (size_t i = (size_t)cfg->workers; i < m.nslots; i++)
        m.slots[i].jobs = true;
    /* Room for a whole generation retiring beside its successor. */
    if (!inflight_init(2 * m.nslots + 8))
        log_warn("no shared memory for the questions being answered: a dead worker's question "
                 "waits for its lease");

    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = noop;
    sigaction(SIGCHLD, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);

    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, &m.orig_mask);

    LOG_FIELDS(LOG_INFO, "master started", LF_INT("workers", cfg->workers),
               LF_INT("job_workers", cfg->job_workers), LF_INT("max_requests", cfg->max_requests),
               LF_INT("drain_timeout_s", cfg->drain_timeout));

    for (;;) {
        int64_t next_spawn = m.draining ? -1 : respawn_due(&m);
        int64_t next_kill = enforce_deadlines(&m);
        int64_t next = next_spawn < 0           ? next_kill
                       : next_kill < 0          ? next_spawn
                       : next_spawn < next_kill ? next_spawn
                                                : next_kill;
        siginfo_t info;
        int sig;

        if (m.draining && live_workers(&m) == 0)
            break;
        if (next < 0) {
            sig = sigwaitinfo(&set, &info);
        } else {
            int64_t wait = next - now_ms();
            struct timespec ts;
            if (wait < 1)
                wait = 1;
            ts.tv_sec = wait / 1000;
            ts.tv_nsec = (long)(wait % 1000) * 1000000L;
            sig = sigtimedwait(&set, &info, &ts);
        }
        if (sig < 0) {
            if (errno != EAGAIN && errno != EINTR)
                log_error("sigwait: %s", strerror(errno));
            continue;
        }
        switch (sig) {
        case SIGCHLD: reap_all(&m); break;
        case SIGHUP:
            if (!m.draining)
                restart_pool(&m);
            break;
        case SIGTERM:
        case SIGINT:
            if (!m.draining) {
                LOG_FIELDS(LOG_INFO, "draining", LF_STR("signal", strsignal(sig)),
                           LF_INT("in_flight_deadline_s", cfg->drain_timeout));
                m.draining = true;
                m.drain_deadline = now_ms() + cfg->drain_timeout * 1000;
                /* Stop accepting: workers finish what they hold, then exit. */
                signal_all(&m, SIGTERM);
                close(m.listen_fd);
                m.listen_fd = -1;
                if (unix_path != NULL)
                    unlink(unix_path);
            }
            break;
        default: break;
        }
    }

    if (cfg->pidfile != NULL && cfg->pidfile[0] != '\0')
        unlink(cfg->pidfile);
    free(m.slots);
    free(m.retirees);
    inflight_shutdown();
    log_info(m.killed_any ? "master exiting: some workers had to be killed"
                          : "master exiting: all workers drained");
    return m.killed_any ? 1 : 0;
}
