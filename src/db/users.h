/*
 * Users, their organizations and local credentials.  Every function that
 * can fail returns enum db_status (db/status.h); DB_ERROR is always "the
 * database failed" (logged), and out-parameters are set (NULL/empty) on
 * every outcome.
 */
#ifndef PLC_DB_USERS_H
#define PLC_DB_USERS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "db/status.h"

struct arena;
struct db;

/* A user as the administration lists it; strings in the caller's arena. */
struct user_row {
    const char *id, *email, *name, *role;
    bool role_locked;
    const char *organization_id; /* NULL: none */
    bool disabled;
    const char *created_at;    /* ISO 8601 UTC */
    const char *last_login_at; /* NULL: never */
    bool sso_only;             /* an identity and no local password */
};

/* Lists users whose email or name contains q (NULL: all), by email, from
 * after the user id after (NULL: the first), at most limit of them.
 * *rows (n of them) and their strings are allocated in a; *more is true
 * when more follow.  Returns DB_OK or DB_ERROR. */
enum db_status user_list(struct db *db, struct arena *a, const char *q, const char *after,
                         int limit, struct user_row **rows, size_t *n, bool *more)
    __attribute__((nonnull(1, 2, 6, 7, 8)));

/* An administrator's change to a user: role (NULL: keep; a role set is
 * locked), organization (org_given: set to org, which may be NULL),
 * disabled (-1: keep, 0: enable, 1: disable: the user's sessions end). */
struct user_change {
    const char *id;
    const char *role;
    bool org_given;
    const char *org;
    int disabled;
};

/* Applies c, and in the same transaction records user.role {"from",
 * "to"} when the role changed and user.update {"disabled",
 * "organization_id"} when either was given (actor actor_id, address ip;
 * both may be NULL).  Returns DB_OK, DB_NOT_FOUND (no such user,
 * or no such organization) or DB_ERROR (nothing changed). */
enum db_status user_admin_update(struct db *db, const struct user_change *c, const char *actor_id,
                                 const char *ip) __attribute__((nonnull(1, 2)));

/* Sets the role of the user with this email (any case) and locks it, and
 * records user.role {"from", "to", "via"} (no actor: the command line)
 * in the same transaction.  Returns DB_OK, DB_NOT_FOUND or
 * DB_ERROR (nothing changed). */
enum db_status user_set_role_by_email(struct db *db, const char *email, const char *role,
                                      const char *via) __attribute__((nonnull));

/* Sets user_id's display name.  Returns DB_OK (a missing user changes
 * nothing) or DB_ERROR. */
enum db_status user_set_name(struct db *db, const char *user_id, const char *name)
    __attribute__((nonnull));

/* Finds the enabled user with this email (any case) and a local
 * password: DB_OK with *user_id and *hash in a; DB_NOT_FOUND (both NULL)
 * when there is none; DB_ERROR. */
enum db_status user_password_by_email(struct db *db, struct arena *a, const char *email,
                                      const char **user_id, const char **hash)
    __attribute__((nonnull));

/* Records that user_id signed in now (last_login_at).  Returns DB_OK or
 * DB_ERROR. */
enum db_status user_signed_in(struct db *db, const char *user_id) __attribute__((nonnull));

/* Finds the user with this email (any case): DB_OK with the id in *id
 * (caller frees), DB_NOT_FOUND or DB_ERROR (*id NULL). */
enum db_status user_id_by_email(struct db *db, const char *email, char **id)
    __attribute__((nonnull, warn_unused_result));

/* Reads the profile of user id: DB_OK with a new JSON object in *profile
 * (caller puts): {id, email, name, role, organization: null | {id, name,
 * kind, parent: null | {id, name}}, created_at, last_login_at,
 * has_password, single_sign_on}; DB_NOT_FOUND (no such user) or DB_ERROR
 * (*profile NULL). */
enum db_status user_profile(struct db *db, const char *id, json_object **profile)
    __attribute__((nonnull, warn_unused_result));

/* Creates a user with an optional local password hash (NULL: none):
 * DB_OK with the new id in *id (caller frees), DB_CONFLICT when the email
 * is taken, or DB_ERROR (*id NULL). */
enum db_status user_create(struct db *db, const char *email, const char *name, const char *role,
                           bool role_locked, const char *password_hash, char **id)
    __attribute__((nonnull(1, 2, 3, 4, 7), warn_unused_result));

/* Creates a local account with a locked role (an admin or an operator
 * chose it) and an optional password hash (NULL: none; the person signs
 * in with a sign-in link), and records user.create {"role", "via"} with
 * actor actor_id and address ip (both may be NULL) in the same
 * transaction.  Returns what user_create() does (nothing is written
 * unless DB_OK). */
enum db_status user_create_local(struct db *db, const char *email, const char *name,
                                 const char *role, const char *password_hash, const char *actor_id,
                                 const char *ip, const char *via, char **id)
    __attribute__((nonnull(1, 2, 3, 4, 8, 9), warn_unused_result));

/* Reads what a password change needs to know of user_id: the stored
 * password hash (*hash, malloc'd, caller frees; NULL when the account has
 * none) and whether it has a single sign-on identity (*sso).  Returns
 * DB_OK or DB_ERROR. */
enum db_status user_password_state(struct db *db, const char *user_id, char **hash, bool *sso)
    __attribute__((nonnull, warn_unused_result));

/* Sets user_id's local password hash (a first one or a replacement), ends
 * every other session of the user (all but the one whose token digests to
 * keep_session), and records password.set or password.change (address
 * ip, may be NULL) in the same transaction.  Returns DB_OK or DB_ERROR
 * (nothing changed). */
enum db_status user_password_store(struct db *db, const char *user_id, const char *password_hash,
                                   const char *keep_session, const char *ip)
    __attribute__((nonnull(1, 2, 3, 4), warn_unused_result));

#endif
