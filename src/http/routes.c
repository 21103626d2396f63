/*
 * The route table; see routes.h.
 */
#include "config.h"

#include "auth/session.h"
#include "http/handlers.h"
#include "http/routes.h"

const struct route app_routes[] = {
    {"GET", "/health", h_health, ROUTE_PUBLIC, ROLE_ANY,
     "Liveness and database readiness for the load balancer"},
    {"POST", "/api/client-errors", h_client_errors, ROUTE_PUBLIC, ROLE_ANY,
     "Report a browser-side error to the server log"},
    {"GET", "/api/auth/providers", h_auth_providers, ROUTE_PUBLIC, ROLE_ANY,
     "The ways to sign in that this installation offers"},
    {"POST", "/api/auth/login", h_auth_login, ROUTE_CSRF, ROLE_ANY,
     "Sign in with email and password (local accounts)"},
    {"POST", "/api/auth/logout", h_auth_logout, ROUTE_AUTH | ROUTE_CSRF, ROLE_ANY,
     "End the current session"},
    {"GET", "/api/me", h_me_get, ROUTE_AUTH, ROLE_ANY,
     "The signed-in user's profile and CSRF token"},
    {"PATCH", "/api/me", h_me_patch, ROUTE_AUTH | ROUTE_CSRF, ROLE_ANY,
     "Change the signed-in user's display name"},
    {"GET", "/api/debug/sleep", h_debug_sleep, ROUTE_DEBUG, ROLE_ANY,
     "Test only: answer after a delay"},
    {"GET", "/api/debug/stream", h_debug_stream, ROUTE_DEBUG | ROUTE_STREAM, ROLE_ANY,
     "Test only: stream server-sent events at an interval"},
    {"POST", "/api/debug/coach-quota", h_debug_coach_quota, ROUTE_DEBUG | ROUTE_AUTH | ROUTE_CSRF,
     ROLE_ANY, "Test only: take one unit of the coach rate limit"},
};

const size_t app_routes_count = sizeof(app_routes) / sizeof(app_routes[0]);

static const struct router router = {app_routes, sizeof(app_routes) / sizeof(app_routes[0]),
                                     auth_guard};

const struct router *app_router(void)
{
    return &router;
}
