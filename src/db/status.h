/*
 * The outcome of a db function that can fail, one vocabulary for every
 * module (docs/architecture.md, "Where SQL lives").  http/response.h's
 * resp_db_status() turns it into the HTTP answer, one table for all
 * handlers.
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
