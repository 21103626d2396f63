/*
 * One-time sign-in links: the token, its digest for the database
 * (src/db/signin_links.h) and the URL a person opens.
 *
 * The URL is PLCCOACH_PUBLIC_URL's origin + "/sign-in/link#" + token.  The
 * token rides in the fragment, which browsers never send: it reaches no
 * access log, no Referer and no link preview; the web app reads it and
 * posts it to POST /api/auth/link, which starts the session.
 */
#ifndef PLC_AUTH_SIGNIN_H
#define PLC_AUTH_SIGNIN_H

#include "db/signin_links.h"

struct config;
struct db;

/* Makes a link for the user with id user_id (or, when NULL, email email):
 * see signin_link_create() for who may have one and what is recorded.
 * Returns the URL (malloc'd, caller frees) and fills *out, or NULL with
 * *st saying why (DB_NOT_FOUND, DB_CONFLICT, DB_ERROR; a failing
 * random generator is DB_ERROR, logged). */
char *signin_link_issue(struct db *db, const struct config *cfg, const char *user_id,
                        const char *email, const char *actor_id, const char *ip, const char *via,
                        struct signin_link *out, enum db_status *st)
    __attribute__((nonnull(1, 2, 7, 8, 9), warn_unused_result));

#endif
