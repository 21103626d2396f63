/*
 * Pending single sign-on requests (oidc_requests): what the sign-in start
 * remembers under its state's digest until the provider's callback.
 */
#ifndef PLC_DB_OIDC_REQUESTS_H
#define PLC_DB_OIDC_REQUESTS_H

#include <stdbool.h>

#include "db/status.h"

struct arena;
struct db;

/* Stores a pending sign-in under state_hash (the state's digest, never
 * the state), valid ttl_s seconds, and deletes the expired ones in the
 * same statement.  Returns DB_OK, or DB_ERROR on a database error (logged). */
enum db_status oidc_request_put(struct db *db, const char *state_hash, const char *provider,
                                const char *nonce, const char *code_verifier, const char *return_to,
                                int ttl_s) __attribute__((nonnull(1, 2, 3, 4, 5)));

/* A pending sign-in as oidc_request_take() returns it; strings in the
 * caller's arena. */
struct oidc_request {
    const char *provider, *nonce, *code_verifier, *return_to;
    bool expired;
};

/* Takes (reads and deletes, one statement) the pending sign-in stored
 * under state_hash into *out: DB_OK, DB_NOT_FOUND, or DB_ERROR (logged). */
enum db_status oidc_request_take(struct db *db, struct arena *a, const char *state_hash,
                                 struct oidc_request *out) __attribute__((nonnull));

#endif
