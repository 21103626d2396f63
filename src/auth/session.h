/*
 * Server-side sessions.
 *
 * The browser holds a random 256-bit token in a cookie (__Host-plc_session:
 * Secure, HttpOnly, SameSite=Lax, Path=/; on plain-HTTP localhost
 * plc_session without Secure).  The database holds only its SHA-256, the
 * user, a per-session CSRF token, and the idle and absolute expiry.
 *
 * This header says what a signed-in user is and what the cookie is
 * called; starting, finding and ending a session for a request, and the
 * router's guard, are http/session.h.
 */
#ifndef PLC_AUTH_SESSION_H
#define PLC_AUTH_SESSION_H

#include <stdbool.h>

#include "auth/roles.h"

struct config;

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

#endif
