/*
 * Table-driven routing; see router.h.
 */
#include "config.h"

#include <string.h>

#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/cfg.h"

#define MAX_ROUTE_PARAMS 8

/* Matches path against pattern.  On success stores up to MAX_ROUTE_PARAMS
 * parameters (arena copies) in params/np and returns true. */
static bool match_pattern(struct arena *arena, const char *pattern, const char *path,
                          struct param *params, size_t *np)
{
    *np = 0;
    while (*pattern != '\0' && *path != '\0') {
        if (*pattern == '{') {
            const char *close = strchr(pattern, '}');
            size_t seg = strcspn(path, "/");
            if (close == NULL || seg == 0 || *np >= MAX_ROUTE_PARAMS)
                return false;
            params[*np].name = arena_strndup(arena, pattern + 1, (size_t)(close - pattern - 1));
            params[*np].value = arena_strndup(arena, path, seg);
            (*np)++;
            pattern = close + 1;
            path += seg;
        } else if (*pattern == *path) {
            pattern++;
            path++;
        } else {
            return false;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

static bool method_matches(const char *route, const char *method)
{
    return strcmp(route, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(route, "GET") == 0);
}

enum route_match router_match(const struct router *r, struct request *req, const struct route **out,
                              struct buf *allow)
{
    struct param params[MAX_ROUTE_PARAMS];
    enum route_match result = ROUTE_NOT_FOUND;
    size_t i, np;

    *out = NULL;
    for (i = 0; i < r->n; i++) {
        const struct route *rt = &r->routes[i];
        if ((rt->flags & ROUTE_DEBUG) && !req->cfg->debug_routes)
            continue;
        if (!match_pattern(&req->arena, rt->pattern, req->path, params, &np))
            continue;
        if (method_matches(rt->method, req->method)) {
            req->route_params = arena_alloc(&req->arena, (np ? np : 1) * sizeof(*params));
            memcpy(req->route_params, params, np * sizeof(*params));
            req->nroute = np;
            req->route = rt;
            *out = rt;
            return ROUTE_MATCHED;
        }
        result = ROUTE_WRONG_METHOD;
        if (allow != NULL) {
            if (strstr(buf_str(allow), rt->method) == NULL) {
                if (allow->len > 0)
                    buf_puts(allow, ", ");
                buf_puts(allow, rt->method);
                if (strcmp(rt->method, "GET") == 0)
                    buf_puts(allow, ", HEAD");
            }
        }
    }
    return result;
}

void router_dispatch(const struct router *r, struct request *req)
{
    struct buf allow = BUF_INIT;
    const struct route *rt;

    switch (router_match(r, req, &rt, &allow)) {
    case ROUTE_NOT_FOUND: resp_error(req, 404, "not_found", "no such resource"); break;
    case ROUTE_WRONG_METHOD:
        resp_error(req, 405, "method_not_allowed", "%s is not allowed here; use %s", req->method,
                   buf_str(&allow));
        resp_header(req, "Allow", buf_str(&allow));
        break;
    case ROUTE_MATCHED:
        if ((rt->flags & (ROUTE_AUTH | ROUTE_CSRF)) != 0) {
            if (r->guard == NULL) {
                resp_error(req, 401, "unauthenticated", "sign in first");
                break;
            }
            if (!r->guard(req, rt))
                break;
        }
        rt->handler(req);
        break;
    }
    buf_free(&allow);
}
