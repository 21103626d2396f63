/*
 * Server-side sessions.
 *
 * The browser holds a random 256-bit token in a cookie (__Host-plc_session:
 * Secure, HttpOnly, SameSite=Lax, Path=/; on plain-HTTP localhost
 * plc_session without Secure).  The database holds only its SHA-256, the
 * user, a per-session CSRF token, and the idle and absolute expiry.
 */
#ifndef PLC_AUTH_SESSION_H
#define PLC_AUTH_SESSION_H

#include <stdbool.h>

#include "auth/roles.h"

struct config;
struct request;
struct route;

/* The signed-in user, allocated in the request's arena (req->user). */
struct auth_user {
    const char *id;
    const char *email;
    const char *name;
    const char *role_name;
    enum user_role role;
    const char *org_id; /* NULL when none */
    const char *csrf_token;
    const char *session_hash;
};

/* True when cookies must be Secure with the __Host- prefix (everything
 * but plain-HTTP localhost). */
bool session_cookie_secure(const struct config *cfg) __attribute__((nonnull));

/* The cookie's name for this deployment. */
const char *session_cookie_name(const struct config *cfg) __attribute__((nonnull));

/* Starts a session for user_id: stores its digest, sets the cookie on the
 * response, and ends the user's least recently used sessions beyond
 * PLCCOACH_SESSIONS_PER_USER.  Returns the session's CSRF token (arena), or NULL after
 * setting a 500. */
const char *session_create(struct request *req, const char *user_id) __attribute__((nonnull));

/* Finds the request's session, refreshing its idle timer.  On success sets
 * req->user and returns true.  Returns false when there is no valid
 * session (no response set), or after a database error (503 set, and
 * *failed true). */
bool session_load(struct request *req, bool *failed) __attribute__((nonnull));

/* Ends the current session (if any) and expires the cookie. */
void session_destroy(struct request *req) __attribute__((nonnull));

/* The router guard: sessions, roles, Origin and CSRF token checks. */
bool auth_guard(struct request *req, const struct route *route) __attribute__((nonnull));

#endif
