/*
 * Work in a child process with a deadline; see bounded.h.
 *
 * The child writes one status byte ('1' done, '0' failed) and then its
 * output to a pipe; the parent reads with poll() until end of file or the
 * deadline, then kills (SIGKILL) and reaps the child.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/bounded.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/text.h"

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static void child(int fd, bool (*fn)(void *ctx, struct buf *out), void *ctx)
{
    struct buf out = BUF_INIT;
    char status;

    prctl(PR_SET_PDEATHSIG, SIGKILL);
    status = fn(ctx, &out) ? '1' : '0';
    _exit(write_all(fd, &status, 1) && write_all(fd, out.data ? out.data : "", out.len) ? 0 : 1);
}

enum bounded_status bounded_run(bool (*fn)(void *ctx, struct buf *out), void *ctx, long timeout_ms,
                                size_t limit, struct buf *out)
{
    int fds[2], wstatus = 0;
    int64_t deadline = now_ms() + timeout_ms;
    struct buf got = BUF_INIT;
    bool timed_out = false, too_much = false;
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) != 0) {
        log_error("bounded: pipe: %s", strerror(errno));
        return BOUNDED_ERROR;
    }
    pid = fork();
    if (pid < 0) {
        log_error("bounded: fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return BOUNDED_ERROR;
    }
    if (pid == 0) {
        close(fds[0]);
        child(fds[1], fn, ctx);
    }
    close(fds[1]);
    for (;;) {
        struct pollfd pfd = {fds[0], POLLIN, 0};
        int64_t left = deadline - now_ms();
        char chunk[65536];
        ssize_t r;
        int p;

        if (left <= 0) {
            timed_out = true;
            break;
        }
        p = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
        if (p < 0 && errno == EINTR)
            continue;
        if (p <= 0)
            continue;
        r = read(fds[0], chunk, sizeof(chunk));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (got.len + (size_t)r > limit + 1) {
            too_much = true;
            break;
        }
        buf_append(&got, chunk, (size_t)r);
    }
    close(fds[0]);
    if (timed_out || too_much)
        kill(pid, SIGKILL);
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    if (timed_out) {
        buf_free(&got);
        return BOUNDED_TIMEOUT;
    }
    if (too_much || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0 || got.len == 0) {
        buf_free(&got);
        return BOUNDED_FAILED;
    }
    {
        bool done = got.data[0] == '1';
        buf_append(out, got.data + 1, got.len - 1);
        buf_free(&got);
        return done ? BOUNDED_OK : BOUNDED_FAILED;
    }
}
