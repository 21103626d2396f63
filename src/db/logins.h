/*
 * Password attempts and their throttling (sql/012_login_attempts.sql):
 * every attempt is recorded, atomically with the decision to let it be
 * verified, before the password is checked, and resolved after.  The
 * rules (per account and address, per address, per minute) are written
 * down at login_attempt_begin() in the migration and in docs/security.md.
 */
#ifndef PLC_DB_LOGINS_H
#define PLC_DB_LOGINS_H

#include <stdbool.h>

#include "db/status.h"

struct db;

/* The limits, from the configuration. */
struct login_limits {
    long free_failures;    /* per account and address, before growing delays */
    long free_failures_ip; /* per address, before growing delays */
    long per_minute;       /* attempts of any outcome per account per minute */
    long per_minute_ip;    /* attempts of any outcome per address per minute */
};

enum login_gate { LOGIN_GO, LOGIN_WAIT, LOGIN_ERROR };

/* Asks whether a password attempt for email from ip (may be NULL) may be
 * verified now.  LOGIN_GO: it is recorded as pending, *attempt_id names
 * it (pass it to login_attempt_end).  LOGIN_WAIT: nothing recorded;
 * *retry_after is the wait in seconds (at least 1) and *reason (static)
 * the rule that applies.  LOGIN_ERROR: the database failed (logged). */
enum login_gate login_attempt_begin(struct db *db, const char *email, const char *ip,
                                    const struct login_limits *limits, long long *attempt_id,
                                    long *retry_after, const char **reason)
    __attribute__((nonnull(1, 2, 4, 5, 6, 7), warn_unused_result));

/* Resolves attempt attempt_id as a success or a failure.  A pending
 * attempt never resolved (the worker died) keeps counting as a failure
 * until it leaves the window.  Returns DB_OK, or DB_ERROR when the database failed
 * (logged). */
enum db_status login_attempt_end(struct db *db, long long attempt_id, bool success)
    __attribute__((nonnull));

#endif
