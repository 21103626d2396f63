/*
 * Users, their organizations and local credentials.
 */
#ifndef PLC_DB_USERS_H
#define PLC_DB_USERS_H

#include <json-c/json.h>
#include <stdbool.h>

struct db;

/* Returns the profile of user id as a new JSON object (caller puts):
 * {id, email, name, role, organization: null | {id, name, kind,
 * parent: null | {id, name}}, created_at, last_login_at, has_password,
 * single_sign_on}; NULL when the
 * user does not exist or the query failed (*failed tells which). */
json_object *user_profile(struct db *db, const char *id, bool *failed)
    __attribute__((nonnull, warn_unused_result));

/* Creates a user with an optional local password hash (NULL: none).
 * Returns the new id (caller frees) or NULL: *conflict is true when the
 * email is taken. */
char *user_create(struct db *db, const char *email, const char *name, const char *role,
                  bool role_locked, const char *password_hash, bool *conflict)
    __attribute__((nonnull(1, 2, 3, 4, 7), warn_unused_result));

/* Creates a local account with a locked role (an admin or an operator
 * chose it) and an optional password hash (NULL: none; the person signs
 * in with a sign-in link), and records user.create {"role", "via"} with
 * actor actor_id and address ip (both may be NULL) in the same
 * transaction.  Returns the new id (caller frees) or NULL: *conflict is
 * true when the email is taken. */
char *user_create_local(struct db *db, const char *email, const char *name, const char *role,
                        const char *password_hash, const char *actor_id, const char *ip,
                        const char *via, bool *conflict)
    __attribute__((nonnull(1, 2, 3, 4, 8, 9), warn_unused_result));

/* Reads what a password change needs to know of user_id: the stored
 * password hash (*hash, malloc'd, caller frees; NULL when the account has
 * none) and whether it has a single sign-on identity (*sso).  Returns
 * false when the query failed (logged). */
bool user_password_state(struct db *db, const char *user_id, char **hash, bool *sso)
    __attribute__((nonnull, warn_unused_result));

/* Sets user_id's local password hash (a first one or a replacement), ends
 * every other session of the user (all but the one whose token digests to
 * keep_session), and records password.set or password.change (address
 * ip, may be NULL) in the same transaction.  Returns false (logged) when
 * nothing changed. */
bool user_password_store(struct db *db, const char *user_id, const char *password_hash,
                         const char *keep_session, const char *ip)
    __attribute__((nonnull(1, 2, 3, 4), warn_unused_result));

#endif
