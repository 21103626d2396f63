/*
 * Sessions for a request: the session cookie set, read and cleared, and
 * the router's guard (sessions, roles, Origin and CSRF token checks).
 * What a session is, and struct auth_user, are auth/session.h.
 */
#ifndef PLC_HTTP_SESSION_H
#define PLC_HTTP_SESSION_H

#include <stdbool.h>

#include "auth/session.h"
#include "db/status.h"

struct request;
struct route;

/* Starts a session for user_id: stores its digest, sets the cookie on the
 * response, and ends the user's least recently used sessions beyond
 * PLCCOACH_SESSIONS_PER_USER.  Returns the session's CSRF token (arena), or
 * NULL after setting a 500 (no token) or a 503 (the database failed). */
const char *session_create(struct request *req, const char *user_id) __attribute__((nonnull));

/* Finds the request's session, refreshing its idle timer: DB_OK (req->user
 * set), DB_NOT_FOUND when there is no valid session (no cookie, a
 * malformed, unknown, expired or idle one, a disabled user), or DB_ERROR
 * when the database failed or the worker has none.  Sets no response: a
 * missing session is the caller's 401 (or not an error at all), a failure
 * its resp_db_status() 503. */
enum db_status session_load(struct request *req) __attribute__((nonnull));

/* Ends the current session (if any) and expires the cookie. */
void session_destroy(struct request *req) __attribute__((nonnull));

/* The router guard: sessions, roles, Origin and CSRF token checks. */
bool auth_guard(struct request *req, const struct route *route) __attribute__((nonnull));

#endif
