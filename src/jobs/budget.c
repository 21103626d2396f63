/*
 * One ingestion job in a child process with a budget; see budget.h.
 *
 * The child reports through a pipe: "ok\n" BOOK_ID "\n", or
 * "failed\n" TRANSIENT(0|1) "\n" MESSAGE.  The parent waits for the end
 * of that report (or the wall-clock deadline) in poll(), then reaps the
 * child with wait4() for its status and its processor time.  The child
 * never touches the parent's database connection: it opens its own and
 * leaves through _exit(), so nothing it inherited is closed on the
 * server's side.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/db.h"
#include "jobs/budget.h"
#include "db/ingest_jobs.h"
#include "jobs/run.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/text.h"

#define REPORT_MAX 2048

/* Writes all of s to fd (the child's report). */
static void write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* The child: limits, its own connection, the job, the report, _exit. */
static void child(const struct config *cfg, const struct ingest_job *job, int fd, pid_t parent)
{
    struct rlimit cpu = {(rlim_t)cfg->ingest_cpu_seconds, (rlim_t)cfg->ingest_cpu_seconds + 2};
    struct rlimit core = {0, 0};
    struct buf report = BUF_INIT;
    char err[512] = "", *book_id = NULL;
    bool ok, transient = false;
    sigset_t none;
    struct db db;

    /* Dies with the job process, whatever kills it. */
    (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(1);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGXCPU, SIG_DFL);
    (void)setrlimit(RLIMIT_CORE, &core);
    (void)setrlimit(RLIMIT_CPU, &cpu);
    db_init(&db, cfg);
    ok = job_run(&db, cfg, job, &book_id, &transient, err, sizeof(err));
    if (ok)
        buf_printf(&report, "ok\n%s\n", book_id ? book_id : "");
    else
        buf_printf(&report, "failed\n%d\n%s", transient ? 1 : 0, err);
    write_all(fd, report.data, report.len);
    buf_free(&report);
    free(book_id);
    db_close(&db);
    _exit(0);
}

/* Reads the child's report into b until EOF or the deadline; true at EOF. */
static bool read_report(int fd, struct buf *b, int64_t deadline_ms)
{
    char chunk[512];

    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        int64_t left = deadline_ms - now_ms();
        int rc;
        ssize_t got;

        if (left <= 0)
            return false;
        rc = poll(&p, 1, left > 60000 ? 60000 : (int)left);
        if (rc < 0 && errno != EINTR)
            return false;
        if (rc <= 0)
            continue;
        got = read(fd, chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return true;
        if (b->len + (size_t)got <= REPORT_MAX)
            buf_append(b, chunk, (size_t)got);
    }
}

/* Fills the results from a complete report; false when it is malformed. */
static bool parse_report(const char *r, char **book_id, bool *transient, char *err, size_t errlen,
                         bool *ok)
{
    if (strncmp(r, "ok\n", 3) == 0) {
        size_t n = strcspn(r + 3, "\n");
        *ok = true;
        *book_id = n > 0 ? xstrndup(r + 3, n) : NULL;
        return true;
    }
    if (strncmp(r, "failed\n", 7) == 0 && (r[7] == '0' || r[7] == '1') && r[8] == '\n') {
        *ok = false;
        *transient = r[7] == '1';
        snprintf(err, errlen, "%s", r[9] ? r + 9 : "ingestion failed");
        return true;
    }
    return false;
}

bool job_run_budgeted(const struct config *cfg, const struct ingest_job *job, char **book_id,
                      bool *transient, char *err, size_t errlen, long *cpu_ms)
{
    struct buf report = BUF_INIT;
    struct rusage ru;
    bool ok = false, finished, parsed;
    int fds[2], status = 0;
    pid_t pid, parent = getpid();

    *book_id = NULL;
    *transient = false;
    *cpu_ms = 0;
    if (pipe(fds) != 0) {
        snprintf(err, errlen, "could not start the ingester: %s", strerror(errno));
        *transient = true;
        return false;
    }
    pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "could not start the ingester: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        *transient = true;
        return false;
    }
    if (pid == 0) {
        close(fds[0]);
        child(cfg, job, fds[1], parent);
    }
    close(fds[1]);
    finished = read_report(fds[0], &report, now_ms() + cfg->ingest_wall_seconds * 1000);
    close(fds[0]);
    if (!finished)
        kill(pid, SIGKILL);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    *cpu_ms = (long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000
              + (long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
    parsed = finished && WIFEXITED(status) && WEXITSTATUS(status) == 0
             && parse_report(buf_str(&report), book_id, transient, err, errlen, &ok);
    buf_free(&report);
    if (parsed)
        return ok;
    /* The child did not finish: the budget ran out, or it crashed.  Both
     * fail for good: the same file would do the same again. */
    *transient = false;
    if (!finished)
        snprintf(err, errlen,
                 "%s was still being read after %lld seconds (PLCCOACH_INGEST_WALL_SECONDS), so "
                 "it was stopped; nothing was stored",
                 job->filename, (long long)cfg->ingest_wall_seconds);
    else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL))
        snprintf(err, errlen,
                 "%s needed more than %lld seconds of processor time to read "
                 "(PLCCOACH_INGEST_CPU_SECONDS), so it was stopped; nothing was stored. The file "
                 "is probably damaged or built to stall readers: export it again or print it to "
                 "a new PDF",
                 job->filename, (long long)cfg->ingest_cpu_seconds);
    else if (WIFSIGNALED(status))
        snprintf(err, errlen, "the ingester crashed reading %s (signal %d); nothing was stored",
                 job->filename, WTERMSIG(status));
    else
        snprintf(err, errlen, "the ingester stopped without a result (exit status %d)",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return false;
}
