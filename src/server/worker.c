/*
 * The worker's accept loop; see worker.h.
 *
 * The listening socket is non-blocking and shared by all workers.  Each
 * worker waits in epoll_pwait() with SIGTERM unblocked, then calls
 * FCGX_Accept_r; a worker that loses the race to another gets EAGAIN and
 * waits again.  This closes the window a blocking accept() would leave
 * between "check the stop flag" and "sleep in accept", where a SIGTERM
 * could be lost.
 *
 * Each worker has its own epoll instance watching the socket with
 * EPOLLEXCLUSIVE, so a new connection wakes one idle worker (or a few),
 * not all of them: with poll() every idle worker woke for every request,
 * and with 72 workers on two cores that herd put the coach's p95 time to
 * first byte at 14 ms instead of 4 (docs/performance.md).
 */
#include "config.h"

#include <errno.h>
#include <fcgiapp.h>
#include <fcgios.h>
#include <sys/epoll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "db/db.h"
#include "export/export.h"
#include "export/make.h"
#include "http/request.h"
#include "http/response.h"
#include "http/routes.h"
#include "server/child.h"
#include "server/worker.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/text.h"

static volatile sig_atomic_t stop_requested;

/* req_io over libfcgi streams. */
static long fcgi_read(void *ctx, char *dst, size_t n)
{
    FCGX_Request *fr = ctx;
    int got = FCGX_GetStr(dst, n > 65536 ? 65536 : (int)n, fr->in);

    if (got < 0 || (got == 0 && FCGX_GetError(fr->in) != 0))
        return -1;
    return got;
}

static bool fcgi_write(void *ctx, const char *src, size_t n)
{
    FCGX_Request *fr = ctx;

    while (n > 0) {
        int chunk = n > 65536 ? 65536 : (int)n;
        if (FCGX_PutStr(src, chunk, fr->out) != chunk)
            return false;
        src += chunk;
        n -= (size_t)chunk;
    }
    return true;
}

static bool fcgi_flush(void *ctx)
{
    FCGX_Request *fr = ctx;

    return FCGX_FFlush(fr->out) == 0;
}

/* Serves one accepted request from start to finish. */
static void serve(FCGX_Request *fr, const struct config *cfg, struct db *db)
{
    const struct req_io io = {fcgi_read, fcgi_write, fcgi_flush, fr};
    struct request req;

    request_init(&req, cfg, db, &io);
    db_request_begin(db);
    if (request_parse(&req, (const char *const *)fr->envp))
        router_dispatch(app_router(), &req);
    resp_finish(&req);
    LOG_FIELDS(LOG_INFO, "request", LF_STR("method", req.method),
               LF_STR("path", request_log_path(&req)), LF_INT("status", req.resp.status),
               LF_INT("ms", now_ms() - req.start_ms),
               LF_INT("bytes", (long long)req.resp.body.len));
    request_free(&req);
}

/* Adds the listening socket to the worker's epoll instance, exclusively
 * where the kernel can (Linux 4.5 and later), else plainly. */
static bool watch_listener(int ep, int listen_fd)
{
    struct epoll_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    ev.data.fd = listen_fd;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev) == 0)
        return true;
    if (errno != EINVAL)
        return false;
    ev.events = EPOLLIN;
    return epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev) == 0;
}

int worker_main(const struct config *cfg, int listen_fd)
{
    sigset_t waitmask;
    FCGX_Request fr;
    struct db db;
    int64_t served = 0;
    int status = WORKER_EXIT_STOPPED, ep;

    if (!child_setup("worker", &stop_requested, &waitmask))
        return WORKER_EXIT_STOPPED;
    /* libfcgi installs its handlers only where ours left the default. */
    if (FCGX_Init() != 0) {
        log_error("FCGX_Init failed");
        return WORKER_EXIT_FAILED;
    }

    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0 || !watch_listener(ep, listen_fd)) {
        log_error("epoll: %s", strerror(errno));
        if (ep >= 0)
            close(ep);
        return WORKER_EXIT_FAILED;
    }
    db_init(&db, cfg);
    FCGX_InitRequest(&fr, listen_fd, 0);
    log_info("worker started");

    while (!stop_requested) {
        struct epoll_event ev;
        int rc = epoll_pwait(ep, &ev, 1, -1, &waitmask);

        if (rc < 0) {
            if (errno == EINTR)
                continue;
            log_error("epoll_pwait: %s", strerror(errno));
            status = WORKER_EXIT_FAILED;
            break;
        }
        if (rc == 0 || (ev.events & EPOLLIN) == 0)
            continue;
        rc = FCGX_Accept_r(&fr);
        if (rc < 0) {
            if (rc != -EAGAIN && rc != -EWOULDBLOCK && rc != -EINTR)
                log_warn("FCGX_Accept_r failed: %d", rc);
            continue;
        }
        serve(&fr, cfg, &db);
        FCGX_Finish_r(&fr);
        served++;
        if (cfg->max_requests > 0 && served >= cfg->max_requests) {
            log_info("worker recycling after %lld requests", (long long)served);
            status = WORKER_EXIT_RECYCLED;
            break;
        }
    }
    if (stop_requested)
        log_info("worker stopping after %lld requests", (long long)served);
    FCGX_Free(&fr, 0);
    close(ep);
    db_close(&db);
    export_make_release();
    export_release();
    OS_LibShutdown();
    return status;
}
