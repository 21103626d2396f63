/*
 * plccoach retention [--days N]
 *
 * Deletes now what the job process deletes once a day: conversations last
 * changed more than PLCCOACH_RETENTION_DAYS (or --days) days ago, with
 * their messages, feedback, share links and exports (docs/privacy.md).
 * For a plain host without a job process, from cron.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "db/db.h"
#include "jobs/lifecycle.h"
#include "util/cfg.h"
#include "util/text.h"

int cmd_retention(int argc, char **argv, struct config *cfg)
{
    static const struct option opts[] = {
        {"days", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int64_t days = cfg->retention_days, conversations, messages;
    struct db db;
    bool ok;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (!parse_int64(optarg, 1, 36500, &days)) {
                fprintf(stderr, "plccoach: --days must be a whole number of days, 1 to 36500\n");
                return 2;
            }
            break;
        case 'h':
            printf("Usage: plccoach retention [--days N]   (default PLCCOACH_RETENTION_DAYS)\n");
            return 0;
        default: return 2;
        }
    }
    if (days <= 0) {
        fprintf(stderr, "plccoach: retention is off (PLCCOACH_RETENTION_DAYS=0); give --days\n");
        return 2;
    }
    db_init(&db, cfg);
    if (db_conn(&db) == NULL) {
        fprintf(stderr, "plccoach: cannot connect to the database: %s\n", db.last_error);
        return 1;
    }
    ok = lifecycle_retention(&db, cfg, days, &conversations, &messages, NULL);
    if (ok)
        printf("%lld conversations (%lld messages) last changed more than %lld days ago "
               "deleted\n",
               (long long)conversations, (long long)messages, (long long)days);
    else
        fprintf(stderr, "plccoach: retention failed: %s\n", db.last_error);
    db_close(&db);
    return ok ? 0 : 1;
}
