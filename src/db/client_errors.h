/*
 * Repeats of the error reports browsers send (POST /api/client-errors):
 * one distinct error is logged once per window, with the number of its
 * reports dropped since (sql/011_keyed_limits.sql).
 */
#ifndef PLC_DB_CLIENT_ERRORS_H
#define PLC_DB_CLIENT_ERRORS_H

#include <stdbool.h>

#include "db/status.h"

struct db;

/* Records one report of the error whose SHA-256 (hex) is digest.  Sets
 * *log_it when it was not logged in the last window_s seconds (*repeats:
 * the reports of it dropped since it last was), clears it otherwise
 * (*repeats: the count so far, this one included).  Returns DB_OK, or DB_ERROR when the
 * database failed (logged). */
enum db_status client_error_seen(struct db *db, const char *digest, long window_s, bool *log_it,
                                 long *repeats) __attribute__((nonnull, warn_unused_result));

#endif
