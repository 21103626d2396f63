/* Fuzz target: a whole FastCGI environment through request_parse and the
 * router.  Input is NUL- or newline-separated NAME=value strings; the
 * first line is the body. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "http/request.h"
#include "http/response.h"
#include "http/routes.h"
#include "util/alloc.h"
#include "util/cfg.h"
#include "util/log.h"

static long rd(void *ctx, char *dst, size_t n)
{
    const char **body = ctx;
    size_t len = strlen(*body);

    if (n > len)
        n = len;
    memcpy(dst, *body, n);
    *body += n;
    return (long)n;
}

static bool wr(void *ctx, const char *src, size_t n)
{
    (void)ctx;
    (void)src;
    (void)n;
    return true;
}

static bool fl(void *ctx)
{
    (void)ctx;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct config cfg;
    static bool loaded;
    char *copy = xstrndup((const char *)data, size);
    const char *env[64];
    char *line, *save = NULL;
    const char *body = "";
    size_t n = 0;
    struct request req;
    struct req_io io = {rd, wr, fl, &body};
    char err[128];

    if (!loaded) {
        if (!config_load(&cfg, err, sizeof(err)))
            abort();
        cfg.max_body_bytes = 4096;
        log_init("fuzz", LOG_ERROR);
        loaded = true;
    }
    for (line = strtok_r(copy, "\n", &save); line != NULL && n < 63;
         line = strtok_r(NULL, "\n", &save)) {
        if (body[0] == '\0' && strncmp(line, "BODY:", 5) == 0)
            body = line + 5;
        else
            env[n++] = line;
    }
    env[n] = NULL;
    request_init(&req, &cfg, NULL, &io);
    if (request_parse(&req, env)) {
        /* Skip /health: it would try to reach a database. */
        if (strcmp(req.path, "/health") != 0)
            router_dispatch(app_router(), &req);
        else
            (void)request_json(&req);
    }
    resp_finish(&req);
    if (req.resp.status < 200 || req.resp.status > 599)
        __builtin_trap();
    request_free(&req);
    free(copy);
    return 0;
}
