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
#include "db/db.h"
#include "db/orgs.h"
#include "db/users.h"
#include "util/arena.h"
#include "util/cfg.h"

/* The command line's changes have no actor or address in the audit log. */
static const struct orgs_actor nobody = {NULL, NULL};

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

/* plccoach org list: id, kind, name and parent ("-": none), two spaces
 * apart, by kind and name. */
static int print_orgs(struct db *db)
{
    struct arena a = ARENA_INIT;
    struct org_row *rows;
    size_t i, n;

    if (org_list(db, &a, &rows, &n) != DB_OK) {
        fprintf(stderr, "plccoach: %s\n", db->last_error);
        return 1;
    }
    for (i = 0; i < n; i++)
        printf("%s  %s  %s  %s\n", rows[i].id, rows[i].kind, rows[i].name,
               rows[i].parent_id ? rows[i].parent_id : "-");
    arena_free(&a);
    return 0;
}

/* plccoach team list: id, organization, name and member count, two
 * spaces apart, by organization and name. */
static int print_teams(struct db *db)
{
    struct arena a = ARENA_INIT;
    struct team_row *rows;
    size_t i, n;

    if (team_list(db, &a, NULL, true, &rows, &n) != DB_OK) {
        fprintf(stderr, "plccoach: %s\n", db->last_error);
        return 1;
    }
    for (i = 0; i < n; i++)
        printf("%s  %s  %s  %lld\n", rows[i].id, rows[i].organization_name, rows[i].name,
               rows[i].member_count);
    arena_free(&a);
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
        rc = print_orgs(&db);
    } else if (name == NULL || kind == NULL) {
        fprintf(stderr, "plccoach: org add needs --name and --kind\n");
        rc = 2;
    } else if (org_create(&db, &nobody, name, kind, parent, &id, err, sizeof(err)) != DB_OK) {
        fprintf(stderr, "plccoach: %s\n", err);
        rc = 1;
    } else {
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
    char *id;
    enum db_status st = user_id_by_email(db, email, &id);

    if (st == DB_ERROR)
        fprintf(stderr, "plccoach: %s\n", db->last_error);
    else if (st == DB_NOT_FOUND)
        fprintf(stderr, "plccoach: no user with email %s\n", email);
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
        rc = print_teams(&db);
    } else if (strcmp(sub, "add") == 0) {
        if (org == NULL || name == NULL) {
            fprintf(stderr, "plccoach: team add needs --org and --name\n");
        } else if (team_create(&db, &nobody, org, name, &id, err, sizeof(err)) != DB_OK) {
            fprintf(stderr, "plccoach: %s\n", err);
            rc = 1;
        } else {
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
            if (user != NULL
                && team_set(&db, NULL, team, user, what, add, err, sizeof(err)) != DB_OK)
                fprintf(stderr, "plccoach: %s\n", err);
            else if (user != NULL)
                rc = 0;
            free(user);
        }
    }
    db_close(&db);
    return rc;
}
