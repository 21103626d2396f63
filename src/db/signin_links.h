/*
 * One-time sign-in links (sql/010_signin_links.sql).
 *
 * A link signs one local account in once, within SIGNIN_LINK_HOURS of
 * being made: the first administrator's, printed by `scripts/up`, a
 * forgotten password's on a self-hosted install (`plccoach user
 * sign-in-link`), a new colleague's (the admin API).  The token is made by
 * src/auth/signin.c; only its SHA-256 is passed here and stored.  Making a
 * link and using it write their audit rows in the same transaction.
 */
#ifndef PLC_DB_SIGNIN_LINKS_H
#define PLC_DB_SIGNIN_LINKS_H

#include "db/status.h"

struct db;

#define SIGNIN_LINK_HOURS 24

/* What a link was made for (filled by signin_link_create). */
struct signin_link {
    char user_id[37];
    char email[321];
    char expires_at[24]; /* ISO 8601 UTC */
};

/* Stores a link under token_hash for the user with id user_id, or when
 * that is NULL with email email (case ignored), valid SIGNIN_LINK_HOURS,
 * and records signin_link.create (actor actor_id and address ip, both may
 * be NULL; detail {"via": via}) in the same transaction.  Returns DB_OK
 * and fills *out; DB_NOT_FOUND when there is no such user or the user
 * is disabled; DB_CONFLICT when the account signs in only through
 * single sign-on (an identity and no local password): a link would give a
 * second way in that its provider does not control; DB_ERROR. */
enum db_status signin_link_create(struct db *db, const char *user_id, const char *email,
                                  const char *token_hash, const char *actor_id, const char *ip,
                                  const char *via, struct signin_link *out)
    __attribute__((nonnull(1, 4, 7, 8), warn_unused_result));

/* Uses the link stored under token_hash: when it exists, is unused and
 * unexpired and its user is enabled, marks it used, sets the user's
 * last_login_at and records login.success {"method": "link"} (address
 * ip, may be NULL), all in one transaction, and copies the user's id into
 * user_id.  Returns DB_OK, DB_NOT_FOUND (unknown, used, expired or
 * disabled, alike) or DB_ERROR. */
enum db_status signin_link_use(struct db *db, const char *token_hash, const char *ip,
                               char user_id[37]) __attribute__((nonnull(1, 2, 4)));

#endif
