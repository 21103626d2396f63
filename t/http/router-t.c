/* Tests for http/router: matching, parameters, 404, 405 + Allow, HEAD,
 * debug routes and the guard hook. */
#include "config.h"

#include <string.h>

#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "http/routes.h"
#include "tap/basic.h"
#include "tap/memio.h"
#include "util/cfg.h"

static const char *last_handler;
static int guard_calls;
static bool guard_allows;

static void h_list(struct request *req)
{
    last_handler = "list";
    req->resp.status = 200;
}

static void h_get(struct request *req)
{
    last_handler = "get";
    req->resp.status = 200;
}

static void h_delete(struct request *req)
{
    last_handler = "delete";
    req->resp.status = 204;
}

static void h_msg(struct request *req)
{
    last_handler = "msg";
    req->resp.status = 200;
}

static bool guard(struct request *req, const struct route *r)
{
    guard_calls++;
    if (!guard_allows)
        resp_error(req, 403, "forbidden", "guard says no");
    return guard_allows;
}

static const struct route table[] = {
    {"GET", "/api/conversations", h_list, ROUTE_PUBLIC, ROLE_ANY, ""},
    {"GET", "/api/conversations/{id}", h_get, ROUTE_PUBLIC, ROLE_ANY, ""},
    {"DELETE", "/api/conversations/{id}", h_delete, ROUTE_AUTH | ROUTE_CSRF, ROLE_EDUCATOR, ""},
    {"POST", "/api/conversations/{id}/messages/{mid}/feedback", h_msg, ROUTE_PUBLIC, ROLE_ANY, ""},
    {"GET", "/api/debug/x", h_list, ROUTE_DEBUG, ROLE_ANY, ""},
    {"GET", "/api/shared/{token}", h_get, ROUTE_SECRET_PATH, ROLE_ANY, ""},
};

static struct config cfg;

/* Dispatches method+uri through r; returns the response status. */
static int run(const struct router *r, const char *method, const char *uri, struct request *out,
               struct memio *m)
{
    char menv[64], uenv[512];
    const char *env[] = {menv, uenv, NULL};
    struct req_io io;

    snprintf(menv, sizeof(menv), "REQUEST_METHOD=%s", method);
    snprintf(uenv, sizeof(uenv), "REQUEST_URI=%s", uri);
    memio_init(m, NULL, &io);
    request_init(out, &cfg, NULL, &io);
    last_handler = NULL;
    if (request_parse(out, env))
        router_dispatch(r, out);
    resp_finish(out);
    return out->resp.status;
}

int main(void)
{
    const struct router r = {table, sizeof(table) / sizeof(table[0]), guard};
    const struct router noguard = {table, sizeof(table) / sizeof(table[0]), NULL};
    struct request req;
    struct memio m;
    char err[256];
    size_t i;
    bool all_absolute = true, all_handled = true;

    if (!config_load(&cfg, err, sizeof(err)))
        bail("config: %s", err);
    plan(24);

    is_int(200, run(&r, "GET", "/api/conversations", &req, &m), "literal route matches");
    is_string("list", last_handler, "and runs its handler");
    request_free(&req);
    memio_free(&m);

    is_int(200, run(&r, "GET", "/api/conversations/abc-123", &req, &m), "parameter route matches");
    is_string("abc-123", request_param(&req, "id"), "parameter captured");
    request_free(&req);
    memio_free(&m);

    run(&r, "POST", "/api/conversations/c1/messages/m2/feedback", &req, &m);
    ok(strcmp(request_param(&req, "id"), "c1") == 0
           && strcmp(request_param(&req, "mid"), "m2") == 0,
       "two parameters captured");
    request_free(&req);
    memio_free(&m);

    is_int(404, run(&r, "GET", "/api/conversations/a/b", &req, &m), "extra segment is 404");
    ok(strstr(memio_body(&m), "\"code\":\"not_found\"") != NULL, "404 uses the error envelope");
    request_free(&req);
    memio_free(&m);
    is_int(404, run(&r, "GET", "/api/conversations/", &req, &m), "empty parameter is 404");
    request_free(&req);
    memio_free(&m);

    is_int(405, run(&r, "PUT", "/api/conversations/x", &req, &m), "known path, wrong method: 405");
    ok(strstr(buf_str(&m.out), "Allow: GET, HEAD, DELETE\r\n") != NULL,
       "Allow lists every method for the path");
    ok(strstr(memio_body(&m), "method_not_allowed") != NULL, "405 uses the error envelope");
    request_free(&req);
    memio_free(&m);

    is_int(200, run(&r, "HEAD", "/api/conversations", &req, &m), "HEAD matches a GET route");
    is_string("", memio_body(&m), "HEAD sends no body");
    request_free(&req);
    memio_free(&m);

    guard_allows = false;
    is_int(403, run(&r, "DELETE", "/api/conversations/x", &req, &m), "guard refusal stands");
    ok(guard_calls == 1 && last_handler == NULL, "guard ran and handler did not");
    request_free(&req);
    memio_free(&m);
    guard_allows = true;
    is_int(204, run(&r, "DELETE", "/api/conversations/x", &req, &m), "guard allows: handler runs");
    request_free(&req);
    memio_free(&m);
    is_int(401, run(&noguard, "DELETE", "/api/conversations/x", &req, &m),
           "without a guard, protected routes are refused");
    request_free(&req);
    memio_free(&m);

    is_int(404, run(&r, "GET", "/api/debug/x", &req, &m), "debug routes hidden by default");
    request_free(&req);
    memio_free(&m);
    cfg.debug_routes = true;
    is_int(200, run(&r, "GET", "/api/debug/x", &req, &m), "debug routes exist when enabled");
    request_free(&req);
    memio_free(&m);
    cfg.debug_routes = false;

    run(&r, "GET", "/api/shared/0123abcd", &req, &m);
    is_string("/api/shared/{token}", request_log_path(&req),
              "a secret-bearing path is logged as its pattern");
    request_free(&req);
    memio_free(&m);
    run(&r, "GET", "/api/conversations/abc", &req, &m);
    is_string("/api/conversations/abc", request_log_path(&req), "other paths are logged as sent");
    request_free(&req);
    memio_free(&m);

    /* The application table itself is well-formed. */
    for (i = 0; i < app_routes_count; i++) {
        if (app_routes[i].pattern[0] != '/')
            all_absolute = false;
        if (app_routes[i].handler == NULL || app_routes[i].summary == NULL)
            all_handled = false;
    }
    ok(all_absolute, "every application route is an absolute path");
    ok(all_handled, "every application route has a handler and a summary");
    is_int(503, run(app_router(), "GET", "/health", &req, &m),
           "the app's /health without a database answers 503");
    request_free(&req);
    memio_free(&m);
    config_free(&cfg);
    return 0;
}
