/*
 * plccoach org add --name N --kind district|school [--parent ID]
 * plccoach org list
 * plccoach team add --org ID --name N
 * plccoach team list
 * plccoach team add-member|remove-member|add-coach|remove-coach --team ID --email E
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/orgs.h"
#include "util/cfg.h"

/* Opens the database for a command; false after printing why. */
static bool open_db(struct db *db, struct config *cfg)
{
    db_init(db, cfg);
    if (db_conn(db) == NULL) {
        fprintf(stderr, "plccoach: cannot connect to the database: %s\n", db->last_error);
        return false;
    }
    return true;
}

/* Prints every row of a query, columns separated by two spaces. */
static int print_rows(struct db *db, const char *sql)
{
    PGresult *res = db_exec(db, sql, 0, NULL, true);
    int i, j;

    if (res == NULL) {
        fprintf(stderr, "plccoach: %s\n", db->last_error);
        return 1;
    }
    for (i = 0; i < PQntuples(res); i++)
        for (j = 0; j < PQnfields(res); j++)
            printf("%s%s", PQgetvalue(res, i, j), j + 1 < PQnfields(res) ? "  " : "\n");
    PQclear(res);
    return 0;
}

int cmd_org(int argc, char **argv, struct config *cfg)
{
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'},
        {"kind", required_argument, NULL, 'k'},
        {"parent", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    const char *name = NULL, *kind = NULL, *parent = NULL;
    char err[128], *id = NULL;
    struct db db;
    int c, rc;

    if (argc < 2 || (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "list") != 0)) {
        fprintf(stderr, "Usage: plccoach org add --name N --kind district|school [--parent ID]\n"
                        "       plccoach org list\n");
        return 2;
    }
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "n:k:p:", opts, NULL)) != -1) {
        switch (c) {
        case 'n': name = optarg; break;
        case 'k': kind = optarg; break;
        case 'p': parent = optarg; break;
        default: return 2;
        }
    }
    if (!open_db(&db, cfg))
        return 1;
    if (strcmp(argv[1], "list") == 0) {
        rc = print_rows(&db, "SELECT id, kind, name, coalesce(parent_id::text, '-') "
                             "FROM organizations ORDER BY kind, lower(name)");
    } else if (name == NULL || kind == NULL) {
        fprintf(stderr, "plccoach: org add needs --name and --kind\n");
        rc = 2;
    } else if (org_create(&db, name, kind, parent, &id, err, sizeof(err)) != ORGS_OK) {
        fprintf(stderr, "plccoach: %s\n", err);
        rc = 1;
    } else {
        (void)audit_record(&db, NULL, "org.create", "organization", id, NULL, NULL);
        printf("%s\n", id);
        free(id);
        rc = 0;
    }
    db_close(&db);
    return rc;
}

/* Finds a user id by email; NULL (printed) when none. Caller frees. */
static char *user_by_email(struct db *db, const char *email)
{
    PGresult *res =
        db_exec(db, "SELECT id FROM users WHERE lower(email) = lower($1)", 1, &email, true);
    char *id = NULL;

    if (res != NULL && PQntuples(res) == 1)
        id = strdup(PQgetvalue(res, 0, 0));
    else
        fprintf(stderr, "plccoach: no user with email %s\n", email);
    PQclear(res);
    return id;
}

int cmd_team(int argc, char **argv, struct config *cfg)
{
    static const struct option opts[] = {
        {"org", required_argument, NULL, 'o'},
        {"name", required_argument, NULL, 'n'},
        {"team", required_argument, NULL, 't'},
        {"email", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    static const char *const changes[] = {"add-member", "remove-member", "add-coach",
                                          "remove-coach"};
    const char *org = NULL, *name = NULL, *team = NULL, *email = NULL, *sub;
    char err[128], *id = NULL;
    struct db db;
    size_t i;
    int c, rc = 2;

    if (argc < 2) {
        fprintf(stderr, "Usage: plccoach team add --org ID --name N\n"
                        "       plccoach team list\n"
                        "       plccoach team add-member|remove-member|add-coach|remove-coach "
                        "--team ID --email E\n");
        return 2;
    }
    sub = argv[1];
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "o:n:t:e:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': org = optarg; break;
        case 'n': name = optarg; break;
        case 't': team = optarg; break;
        case 'e': email = optarg; break;
        default: return 2;
        }
    }
    if (!open_db(&db, cfg))
        return 1;
    if (strcmp(sub, "list") == 0) {
        rc = print_rows(&db, "SELECT t.id, o.name, t.name, "
                             "(SELECT count(*) FROM team_members m WHERE m.team_id = t.id) "
                             "FROM teams t JOIN organizations o ON o.id = t.organization_id "
                             "ORDER BY lower(o.name), lower(t.name)");
    } else if (strcmp(sub, "add") == 0) {
        if (org == NULL || name == NULL) {
            fprintf(stderr, "plccoach: team add needs --org and --name\n");
        } else if (team_create(&db, org, name, &id, err, sizeof(err)) != ORGS_OK) {
            fprintf(stderr, "plccoach: %s\n", err);
            rc = 1;
        } else {
            (void)audit_record(&db, NULL, "team.create", "team", id, NULL, NULL);
            printf("%s\n", id);
            free(id);
            rc = 0;
        }
    } else {
        for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++)
            if (strcmp(sub, changes[i]) == 0)
                break;
        if (i == sizeof(changes) / sizeof(changes[0]) || team == NULL || email == NULL) {
            fprintf(stderr, "plccoach: unknown team command or missing --team/--email\n");
        } else {
            char *user = user_by_email(&db, email);
            bool add = strncmp(sub, "add", 3) == 0;
            const char *what = strstr(sub, "coach") ? "coach" : "member";
            rc = 1;
            if (user != NULL && team_set(&db, team, user, what, add, err, sizeof(err)) != ORGS_OK)
                fprintf(stderr, "plccoach: %s\n", err);
            else if (user != NULL)
                rc = 0;
            free(user);
        }
    }
    db_close(&db);
    return rc;
}
