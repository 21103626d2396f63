/*
 * Schema migrations: sql/NNN_name.sql files applied in order, each in its
 * own transaction, recorded by name and SHA-256 checksum in the
 * schema_migrations table (created by the first migration).  An advisory
 * lock serialises concurrent runs (two ECS tasks starting together).
 */
#ifndef PLC_DB_MIGRATE_H
#define PLC_DB_MIGRATE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/sha256.h"

struct config;

struct migration {
    char *name; /* file name without ".sql", e.g. "001_init"; owned */
    char *sql;  /* file contents; owned */
    size_t len;
    char checksum[SHA256_HEX_LEN + 1];
};

struct migration_set {
    struct migration *items; /* sorted by name; owned */
    size_t n;
    char *dir; /* owned */
};

/* The advisory lock key (pg_advisory_lock) that serialises runs. */
#define MIGRATE_LOCK_KEY "7273326530414351"

/* Returns true when file is a migration file name: three digits, '_',
 * then [a-z0-9_]+, then ".sql". */
bool migrate_name_valid(const char *file) __attribute__((nonnull));

/* Finds the migrations directory: cfg->sql_dir when set; the source tree
 * when the running program sits in the build tree; else the installed
 * $(pkgdatadir)/sql.  Returns a newly allocated path (caller frees). */
char *migrate_find_dir(const struct config *cfg) __attribute__((nonnull, warn_unused_result));

/* Loads every migration in dir, sorted, with checksums.  Refuses duplicate
 * numbers and misnamed .sql files.  Returns false with a message in err;
 * on success the set is owned by the caller (migrate_set_free). */
bool migrate_load(const char *dir, struct migration_set *set, char *err, size_t errlen)
    __attribute__((nonnull, warn_unused_result));

void migrate_set_free(struct migration_set *set);

/* Applies pending migrations (or, when status_only, prints each one's
 * state) while holding the advisory lock.  Refuses to do anything when an
 * applied migration was edited or removed, or a pending one is numbered
 * below an applied one.  Applied migrations numbered above every file of
 * the set were applied by a newer release (a rollback runs an earlier
 * image): they are left alone, and the run succeeds when nothing of the
 * set is pending.  Progress goes to out, errors to stderr.  Returns 0 on
 * success, 1 on failure. */
int migrate_run(PGconn *conn, const struct migration_set *set, bool status_only, FILE *out)
    __attribute__((nonnull));

/* Connects like db_connect_cli(), waiting up to wait_s seconds while the
 * server is unreachable or not accepting connections yet (starting up, a
 * failover), with a line on log per attempt.  Fails at once when the
 * server answers but refuses the connection (credentials, database name):
 * waiting would not change that.  Returns the connection (caller
 * PQfinish()es) or NULL, the reason printed. */
PGconn *migrate_connect_wait(const struct config *cfg, int64_t wait_s, FILE *log)
    __attribute__((nonnull, warn_unused_result));

#endif
