/*
 * The router: a static table of routes, matched in order.
 *
 * A pattern is a path whose segments are literals or {name} parameters
 * ("/api/conversations/{id}").  A parameter matches one non-empty segment
 * and is available through request_param().  A path that matches a
 * pattern but not its method gets 405 with an Allow header; no pattern at
 * all gets 404.  Both answer with the JSON error envelope.
 */
#ifndef PLC_HTTP_ROUTER_H
#define PLC_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "auth/roles.h"

struct request;
struct buf;

typedef void (*route_handler)(struct request *req);

enum route_flags {
    ROUTE_PUBLIC = 0,
    ROUTE_AUTH = 1 << 0,        /* a signed-in session is required; its handler always has
                                 * a database (req->db: auth_guard loads the session from
                                 * it), so it never checks req->db == NULL */
    ROUTE_CSRF = 1 << 1,        /* state change: CSRF token and Origin checked */
    ROUTE_STREAM = 1 << 2,      /* answers with server-sent events */
    ROUTE_DEBUG = 1 << 3,       /* exists only when PLCCOACH_DEBUG_ROUTES is on */
    ROUTE_SECRET_PATH = 1 << 4, /* the path holds a secret (a share token): logs
                                 * show the route's pattern, never the path */
};

struct route {
    const char *method;
    const char *pattern;
    route_handler handler;
    unsigned flags;
    enum user_role role; /* least role allowed, with ROUTE_AUTH */
    const char *summary; /* one line, mirrored in docs/openapi.yaml */
};

/* Called before a handler for routes with ROUTE_AUTH or ROUTE_CSRF; returns
 * false after setting an error response.  NULL refuses every such route
 * with 401 (no sign-in layer configured). */
typedef bool (*route_guard)(struct request *req, const struct route *route);

struct router {
    const struct route *routes;
    size_t n;
    route_guard guard;
};

enum route_match { ROUTE_MATCHED, ROUTE_NOT_FOUND, ROUTE_WRONG_METHOD };

/* Finds the route for req->method and req->path, filling
 * req->route_params on a match.  On ROUTE_WRONG_METHOD, allow (if not
 * NULL) receives the allowed methods ("GET, HEAD").  Debug routes are
 * skipped unless enabled in req->cfg. */
enum route_match router_match(const struct router *r, struct request *req, const struct route **out,
                              struct buf *allow) __attribute__((nonnull(1, 2, 3)));

/* Matches and runs the handler, or sets the 404/405/guard error. */
void router_dispatch(const struct router *r, struct request *req) __attribute__((nonnull));

#endif
