/*
 * The database roles of a deployment (`plccoach db-roles`,
 * docs/operations.md "Database roles"): the application role, which reads
 * and writes data and changes no schema, and the migration role, which
 * owns the schema and runs `plccoach migrate`.  Run by an operator with
 * the master user's credentials (RDS's master: CREATEROLE, not a
 * superuser), once before the first deployment and again to reset the
 * passwords; idempotent.
 *
 * In one transaction: the extensions the deployment needs (pgvector, and
 * pg_stat_statements where the server has it); each role created or given
 * its new password (a SCRAM verifier computed here, so the password itself
 * never reaches the server or its log); the master user made a member of
 * the migration role, which may also create schemas and trusted
 * extensions (CREATE on the database: a migration may add pg_trgm, say);
 * objects of schema public the master user owns moved
 * to the migration role; the application role's rights on what exists
 * (SELECT, INSERT, UPDATE, DELETE on tables, sequences) and, by default
 * privileges, on whatever the migration role creates later, except
 * writing schema_migrations (which `plccoach migrate` also takes back after
 * every run); nothing for PUBLIC on the schema beyond USAGE.
 */
#ifndef PLC_DB_ROLES_H
#define PLC_DB_ROLES_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "db/status.h"

struct db_roles_report {
    bool app_created;     /* false: it existed, its password was reset */
    bool migrate_created; /* likewise */
    bool stat_statements; /* pg_stat_statements is installed */
    long objects_moved;   /* objects moved to the migration role */
};

/* Whether name is a role name db_roles_setup() accepts: [a-z_][a-z0-9_]*,
 * at most 63 bytes. */
bool db_role_name_valid(const char *name) __attribute__((nonnull));

/* Sets the two roles up on conn (the master user's connection; see
 * above).  The two names must be valid, different, and neither the
 * connected user.  Returns DB_OK; DB_INVALID when the names are not
 * (nothing sent); DB_ERROR when the database failed.  Either failure puts a
 * message in err (errlen bytes) and changes nothing. */
enum db_status db_roles_setup(PGconn *conn, const char *app_role, const char *app_password,
                              const char *migrate_role, const char *migrate_password,
                              struct db_roles_report *report, char *err, size_t errlen)
    __attribute__((nonnull, warn_unused_result));

#endif
