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
#include <sys/random.h>
#include <unistd.h>

#include "db/db.h"
#include "db/messages.h"
#include "export/export.h"
#include "export/make.h"
#include "http/request.h"
#include "http/response.h"
#include "http/routes.h"
#include "server/child.h"
#include "server/warm.h"
#include "server/worker.h"
#include "util/cfg.h"
#include "util/inflight.h"
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

/* Ends the FastCGI request: libfcgi writes what is left of the response
 * with the end records (one write, so nginx wakes once), then the
 * connection is closed.  libfcgi's own close shuts the connection down and
 * waits, up to 2 s, for nginx to close its side, reading and dropping
 * whatever nginx still sends, so that input left unread never turns into
 * a reset; the worker is idle meanwhile, until nginx is scheduled.  When
 * the input was read to its end (a request without a body: the empty
 * FCGI_STDIN record comes with the parameters; or a body read to its
 * end), there is nothing left to drain and the worker closes at once. */
static void end_request(FCGX_Request *fr, int64_t content_length)
{
    int fd = fr->ipcFd;
    bool drained;

    FCGX_FClose(fr->err);
    FCGX_FClose(fr->out);
    drained =
        FCGX_HasSeenEOF(fr->in) == EOF
        || (content_length <= 0 && FCGX_GetChar(fr->in) == EOF && FCGX_HasSeenEOF(fr->in) == EOF);
    if (drained && fd >= 0 && FCGX_GetError(fr->out) == 0)
        fr->ipcFd = -1; /* FCGX_Finish_r's close is then a no-op */
    else
        fd = -1;
    FCGX_Finish_r(fr);
    if (fd >= 0)
        close(fd);
}

/* Serves one accepted request from start to finish; the request's log
 * line is written (one write(2), src/util/log.h) once nginx has the whole
 * response. */
static void serve(FCGX_Request *fr, const struct config *cfg, struct db *db)
{
    const struct req_io io = {fcgi_read, fcgi_write, fcgi_flush, fr};
    struct request req;

    request_init(&req, cfg, db, &io);
    db_request_begin(db);
    if (request_parse(&req, (const char *const *)fr->envp))
        router_dispatch(app_router(), &req);
    resp_finish(&req);
    end_request(fr, req.content_length);
    LOG_FIELDS(LOG_INFO, "request", LF_STR("method", req.method),
               LF_STR("path", request_log_path(&req)), LF_INT("status", req.resp.status),
               LF_INT("ms", now_ms() - req.start_ms),
               LF_INT("bytes", (long long)req.resp.body.len));
    request_free(&req);
}

/* The requests this worker serves before it is replaced: --max-requests
 * less up to a tenth, drawn per worker, so that workers started together
 * are not all replaced (and all reconnect to the database) together. */
static int64_t request_budget(const struct config *cfg)
{
    uint64_t spread = (uint64_t)cfg->max_requests / 10, r;

    if (cfg->max_requests <= 0 || spread == 0)
        return cfg->max_requests;
    if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
        r = (uint64_t)getpid() * 2654435761u;
    return cfg->max_requests - (int64_t)(r % (spread + 1));
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

/* Releases the questions of workers that died answering them (the master
 * marked them: util/inflight.h), so that they read as interrupted and can
 * be asked again at once.  One that fails stays marked for the next turn. */
static void release_orphans(struct db *db)
{
    char id[INFLIGHT_ID_LEN + 1];
    size_t cursor = 0;
    int i;

    while ((i = inflight_take(&cursor, id)) >= 0) {
        bool released = msg_release(db, id) == DB_OK;

        inflight_done(i, released);
        LOG_FIELDS(released ? LOG_INFO : LOG_WARN,
                   released ? "released the question of a worker that died answering it"
                            : "could not release the question of a worker that died",
                   LF_STR("question_id", id));
    }
}

int worker_main(const struct config *cfg, int listen_fd)
{
    sigset_t waitmask;
    FCGX_Request fr;
    struct db db;
    int64_t served = 0, budget;
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
    budget = request_budget(cfg);
    log_info("worker started");
    /* Before the first accept: no teacher's question is a cold worker's
     * (server/warm.h; bounded, and the worker serves whatever it gives). */
    (void)worker_warm(&db, cfg);

    while (!stop_requested) {
        struct epoll_event ev;
        int rc;

        release_orphans(&db);
        rc = epoll_pwait(ep, &ev, 1, -1, &waitmask);

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
        served++;
        if (budget > 0 && served >= budget) {
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
