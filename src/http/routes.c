/*
 * The route table; see routes.h.
 */
#include "config.h"

#include "http/handlers.h"
#include "http/routes.h"

const struct route app_routes[] = {
    {"GET", "/health", h_health, ROUTE_PUBLIC, ROLE_ANY,
     "Liveness and database readiness for the load balancer"},
    {"POST", "/api/client-errors", h_client_errors, ROUTE_PUBLIC, ROLE_ANY,
     "Report a browser-side error to the server log"},
    {"GET", "/api/debug/sleep", h_debug_sleep, ROUTE_DEBUG, ROLE_ANY,
     "Test only: answer after a delay"},
    {"GET", "/api/debug/stream", h_debug_stream, ROUTE_DEBUG | ROUTE_STREAM, ROLE_ANY,
     "Test only: stream server-sent events at an interval"},
};

const size_t app_routes_count = sizeof(app_routes) / sizeof(app_routes[0]);

static const struct router router = {app_routes, sizeof(app_routes) / sizeof(app_routes[0]), NULL};

const struct router *app_router(void)
{
    return &router;
}
