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
 * parent: null | {id, name}}, created_at, last_login_at}; NULL when the
 * user does not exist or the query failed (*failed tells which). */
json_object *user_profile(struct db *db, const char *id, bool *failed)
    __attribute__((nonnull, warn_unused_result));

/* Creates a user with an optional local password hash (NULL: none).
 * Returns the new id (caller frees) or NULL: *conflict is true when the
 * email is taken. */
char *user_create(struct db *db, const char *email, const char *name, const char *role,
                  bool role_locked, const char *password_hash, bool *conflict)
    __attribute__((nonnull(1, 2, 3, 4, 7), warn_unused_result));

#endif
