/*
 * plccoach migrate [--status] [--sql-dir DIR] [--wait SECONDS]
 *
 * Connects as the migration role when PLCCOACH_MIGRATE_PGUSER and
 * PLCCOACH_MIGRATE_PGPASSWORD are set (the ECS task and the admin task:
 * the application's own role may not change the schema), through libpq's
 * PGUSER and PGPASSWORD.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "db/db.h"
#include "db/migrate.h"
#include "util/cfg.h"

int cmd_migrate(int argc, char **argv, struct config *cfg)
{
    static const struct option opts[] = {
        {"status", no_argument, NULL, 's'},
        {"sql-dir", required_argument, NULL, 'd'},
        {"wait", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct migration_set set;
    bool status_only = false;
    char err[512];
    char *dir, *end;
    const char *mu = getenv("PLCCOACH_MIGRATE_PGUSER"), *mp = getenv("PLCCOACH_MIGRATE_PGPASSWORD");
    PGconn *conn;
    long wait_s = 0;
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "sd:w:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': status_only = true; break;
        case 'd':
            if (!config_set(cfg, "PLCCOACH_SQL_DIR", optarg, err, sizeof(err))) {
                fprintf(stderr, "plccoach: %s\n", err);
                return 2;
            }
            break;
        case 'w':
            wait_s = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || wait_s < 0 || wait_s > 86400) {
                fprintf(stderr, "plccoach: --wait takes seconds (0 to 86400)\n");
                return 2;
            }
            break;
        case 'h':
            printf("Usage: plccoach migrate [--status] [--sql-dir DIR] [--wait SECONDS]\n"
                   "Applies pending migrations in order, or lists their state with --status.\n"
                   "--wait: wait up to SECONDS for an unreachable database (not for refused\n"
                   "credentials).  PLCCOACH_MIGRATE_PGUSER and PLCCOACH_MIGRATE_PGPASSWORD,\n"
                   "when set, are the migration role's credentials.\n");
            return 0;
        default: return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "plccoach: migrate takes no arguments\n");
        return 2;
    }
    dir = migrate_find_dir(cfg);
    if (!migrate_load(dir, &set, err, sizeof(err))) {
        fprintf(stderr, "plccoach: %s\n", err);
        free(dir);
        return 1;
    }
    free(dir);
    if (mu != NULL && mu[0] != '\0')
        setenv("PGUSER", mu, 1);
    if (mp != NULL && mp[0] != '\0')
        setenv("PGPASSWORD", mp, 1);
    conn = migrate_connect_wait(cfg, wait_s, stderr);
    if (conn == NULL) {
        migrate_set_free(&set);
        return 1;
    }
    /* Migration notices (CREATE ... IF NOT EXISTS) are noise here. */
    PQsetNoticeProcessor(conn, NULL, NULL);
    rc = migrate_run(conn, &set, status_only, stdout);
    if (rc == 0 && !status_only)
        printf("database is up to date (%zu migrations)\n", set.n);
    PQfinish(conn);
    migrate_set_free(&set);
    return rc;
}
