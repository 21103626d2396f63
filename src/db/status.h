/*
 * The outcome of a db function that can fail, one vocabulary for every
 * module (docs/architecture.md, "Where SQL lives").  http/response.h's
 * resp_db_status() turns it into the HTTP answer, one table for all
 * handlers.
 *
 * Two outcomes are not failures of a db function and keep their own enums:
 * identities.h's identity_result (which of three ways a sign-in found its
 * user, or which of three refusals the sign-in page must name) and
 * ratelimit.h's ratelimit_result (RATE_LIMITED is an answer, a 429 with
 * Retry-After that http/ratelimit.c writes, not a state of a row).
 */
#ifndef PLC_DB_STATUS_H
#define PLC_DB_STATUS_H

enum db_status {
    DB_OK,
    DB_NOT_FOUND, /* missing, or not the caller's */
    DB_ERROR,     /* the database failed (logged) */
    DB_CONFLICT,  /* the state forbids it (e.g. already resolved) */
    DB_INVALID,   /* the target is the wrong kind (e.g. not an answer) */
};

#endif
