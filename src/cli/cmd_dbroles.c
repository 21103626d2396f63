/*
 * plccoach db-roles [--app-role NAME] [--migrate-role NAME]
 *
 * Creates (or resets the passwords of) the application role and the
 * migration role, with the connected user's rights: run once, as the
 * master user, before the first deployment (docs/operations.md, "Database
 * roles"; src/db/roles.h says what it does).  The passwords come from the
 * environment, as the admin task has them from Secrets Manager:
 * PLCCOACH_APP_PGPASSWORD and PLCCOACH_MIGRATE_PGPASSWORD; the names from
 * the options, else PLCCOACH_APP_PGUSER and PLCCOACH_MIGRATE_PGUSER, else
 * plccoach_app and plccoach_migrate.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "db/db.h"
#include "db/roles.h"
#include "util/cfg.h"

/* Notices ("extension ... already exists, skipping") are noise here. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The environment variable var, or fallback when it is unset or empty. */
static const char *env_or(const char *var, const char *fallback)
{
    const char *v = getenv(var);

    return v != NULL && v[0] != '\0' ? v : fallback;
}

int cmd_db_roles(int argc, char **argv, struct config *cfg)
{
    static const struct option opts[] = {
        {"app-role", required_argument, NULL, 'a'},
        {"migrate-role", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *app = env_or("PLCCOACH_APP_PGUSER", "plccoach_app");
    const char *mig = env_or("PLCCOACH_MIGRATE_PGUSER", "plccoach_migrate");
    const char *app_pw = env_or("PLCCOACH_APP_PGPASSWORD", NULL);
    const char *mig_pw = env_or("PLCCOACH_MIGRATE_PGPASSWORD", NULL);
    struct db_roles_report report;
    char err[512];
    PGconn *conn;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "a:m:h", opts, NULL)) != -1) {
        switch (c) {
        case 'a': app = optarg; break;
        case 'm': mig = optarg; break;
        case 'h':
            printf(
                "Usage: plccoach db-roles [--app-role NAME] [--migrate-role NAME]\n"
                "As the master user: creates the application and migration roles (or resets\n"
                "their passwords) with PLCCOACH_APP_PGPASSWORD and PLCCOACH_MIGRATE_PGPASSWORD.\n");
            return 0;
        default: return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "plccoach: db-roles takes no arguments\n");
        return 2;
    }
    if (app_pw == NULL || mig_pw == NULL || strlen(app_pw) < 16 || strlen(mig_pw) < 16) {
        fprintf(stderr, "plccoach: set PLCCOACH_APP_PGPASSWORD and PLCCOACH_MIGRATE_PGPASSWORD "
                        "(16 characters or more: the roles' passwords)\n");
        return 2;
    }
    conn = db_connect_cli(cfg);
    if (conn == NULL)
        return 1;
    PQsetNoticeProcessor(conn, quiet, NULL);
    if (db_roles_setup(conn, app, app_pw, mig, mig_pw, &report, err, sizeof(err)) != DB_OK) {
        fprintf(stderr, "plccoach: db-roles: %s\n", err);
        PQfinish(conn);
        return 1;
    }
    printf("%s %s (application role)\n", report.app_created ? "created" : "password reset:", app);
    printf("%s %s (migration role)\n", report.migrate_created ? "created" : "password reset:", mig);
    printf("objects moved to %s: %ld\n", mig, report.objects_moved);
    printf("pg_stat_statements: %s\n", report.stat_statements ? "installed" : "not available here");
    PQfinish(conn);
    return 0;
}
