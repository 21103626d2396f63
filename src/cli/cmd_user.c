/*
 * plccoach user add --email E --name N [--role R] [--password-stdin]
 * plccoach user list
 * plccoach user set-role --email E --role R
 * plccoach user sign-in-link --email E
 * plccoach user delete --email E|--id ID --yes
 *
 * Local accounts are for bootstrapping the first admin and for self-hosted
 * installs without single sign-on.  The password is read from standard
 * input (never from the command line, where `ps` would show it).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/password.h"
#include "auth/roles.h"
#include "auth/signin.h"
#include "cli/commands.h"
#include "db/db.h"
#include "db/users.h"
#include "jobs/lifecycle.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/text.h"

/* Reads the password from stdin: up to the first newline, at most
 * PASSWORD_MAX bytes.  Returns it in b or false with a message. */
static bool read_password(struct buf *b)
{
    int c;

    b->limit = PASSWORD_MAX + 1;
    while ((c = getchar()) != EOF && c != '\n')
        if (!buf_putc(b, (char)c))
            break;
    if (b->len > 0 && b->data[b->len - 1] == '\r')
        b->data[--b->len] = '\0';
    {
        const char *why = password_policy(buf_str(b), b->len);
        if (why != NULL) {
            fprintf(stderr, "plccoach: %s\n", why);
            return false;
        }
    }
    return true;
}

static int user_add(int argc, char **argv, struct db *db)
{
    static const struct option opts[] = {
        {"email", required_argument, NULL, 'e'},
        {"name", required_argument, NULL, 'n'},
        {"role", required_argument, NULL, 'r'},
        {"password-stdin", no_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    const char *email = NULL, *name = NULL, *role = "educator";
    bool with_password = false;
    enum db_status st;
    struct buf pw = BUF_INIT;
    char *hash = NULL, *id;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "e:n:r:p", opts, NULL)) != -1) {
        switch (c) {
        case 'e': email = optarg; break;
        case 'n': name = optarg; break;
        case 'r': role = optarg; break;
        case 'p': with_password = true; break;
        default: return 2;
        }
    }
    if (email == NULL || name == NULL || strchr(email, '@') == NULL) {
        fprintf(stderr, "plccoach: user add needs --email (an address) and --name\n");
        return 2;
    }
    if (role_parse(role) == ROLE_ANY) {
        fprintf(stderr, "plccoach: --role must be educator, coach or admin\n");
        return 2;
    }
    if (with_password) {
        if (!read_password(&pw)) {
            buf_free(&pw);
            return 1;
        }
        hash = password_hash(buf_str(&pw), PASSWORD_LOG2_N);
        if (pw.data != NULL)
            memset(pw.data, 0, pw.len);
        buf_free(&pw);
        if (hash == NULL)
            return 1;
    }
    st = user_create_local(db, email, name, role, hash, NULL, NULL, "cli", &id);
    free(hash);
    if (st != DB_OK) {
        fprintf(stderr,
                st == DB_CONFLICT ? "plccoach: a user with email %s already exists\n"
                                  : "plccoach: could not create user %s\n",
                email);
        return 1;
    }
    printf("%s\n", id);
    free(id);
    return 0;
}

/* plccoach user list: id, email, role, name and "disabled", by email. */
static int print_users(struct db *db)
{
    struct arena a = ARENA_INIT;
    const char *after = NULL;
    struct user_row *rows;
    size_t i, n;
    bool more = true;

    while (more) {
        if (user_list(db, &a, NULL, after, 500, &rows, &n, &more) != DB_OK) {
            fprintf(stderr, "plccoach: %s\n", db->last_error);
            arena_free(&a);
            return 1;
        }
        for (i = 0; i < n; i++)
            printf("%s  %-32s %-8s %s%s\n", rows[i].id, rows[i].email, rows[i].role, rows[i].name,
                   rows[i].disabled ? "  disabled" : "");
        after = n > 0 ? rows[n - 1].id : NULL;
        more = more && after != NULL;
    }
    arena_free(&a);
    return 0;
}

static int user_set_role(int argc, char **argv, struct db *db)
{
    static const struct option opts[] = {
        {"email", required_argument, NULL, 'e'},
        {"role", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    const char *email = NULL, *role = NULL;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "e:r:", opts, NULL)) != -1) {
        switch (c) {
        case 'e': email = optarg; break;
        case 'r': role = optarg; break;
        default: return 2;
        }
    }
    if (email == NULL || role == NULL || role_parse(role) == ROLE_ANY) {
        fprintf(stderr, "plccoach: user set-role needs --email and --role educator|coach|admin\n");
        return 2;
    }
    switch (user_set_role_by_email(db, email, role, "cli")) {
    case DB_OK: return 0;
    case DB_NOT_FOUND: fprintf(stderr, "plccoach: no user with email %s\n", email); return 1;
    default: fprintf(stderr, "plccoach: %s\n", db->last_error); return 1;
    }
}

/* Prints a one-time sign-in link for a local account (src/auth/signin.h):
 * the first admin's on a new install, or anyone's forgotten password. */
static int user_sign_in_link(int argc, char **argv, struct db *db, const struct config *cfg)
{
    static const struct option opts[] = {
        {"email", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    const char *email = NULL;
    struct signin_link link;
    enum db_status st;
    char *url;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "e:", opts, NULL)) != -1) {
        switch (c) {
        case 'e': email = optarg; break;
        default: return 2;
        }
    }
    if (email == NULL) {
        fprintf(stderr, "plccoach: user sign-in-link needs --email\n");
        return 2;
    }
    url = signin_link_issue(db, cfg, NULL, email, NULL, NULL, "cli", &link, &st);
    switch (st) {
    case DB_OK: break;
    case DB_NOT_FOUND:
        fprintf(stderr, "plccoach: no enabled user with email %s\n", email);
        return 1;
    case DB_CONFLICT:
        fprintf(stderr,
                "plccoach: %s signs in through single sign-on; a sign-in link is for local "
                "accounts\n",
                email);
        return 1;
    default: fprintf(stderr, "plccoach: %s\n", db->last_error); return 1;
    }
    printf("%s\n", url);
    fprintf(stderr,
            "plccoach: a sign-in link for %s: it works once, until %s; opened in a browser it "
            "signs in without a password\n",
            link.email, link.expires_at);
    free(url);
    return 0;
}

/* Erases a person (docs/privacy.md): prints the erasure id to keep with
 * the request that asked for it. */
static int user_delete(int argc, char **argv, struct db *db, const struct config *cfg)
{
    static const struct option opts[] = {
        {"email", required_argument, NULL, 'e'},
        {"id", required_argument, NULL, 'i'},
        {"yes", no_argument, NULL, 'y'},
        {NULL, 0, NULL, 0},
    };
    const char *email = NULL, *id = NULL;
    struct erase_counts n;
    char erasure_id[37], found[37] = "";
    bool yes = false;
    size_t left;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "e:i:y", opts, NULL)) != -1) {
        switch (c) {
        case 'e': email = optarg; break;
        case 'i': id = optarg; break;
        case 'y': yes = true; break;
        default: return 2;
        }
    }
    if ((email == NULL) == (id == NULL) || !yes) {
        fprintf(stderr, "plccoach: user delete needs --email or --id, and --yes: it erases the "
                        "person and everything that is theirs, for good\n");
        return 2;
    }
    if (email != NULL) {
        char *by_email;
        if (user_id_by_email(db, email, &by_email) == DB_ERROR) {
            fprintf(stderr, "plccoach: %s\n", db->last_error);
            return 1;
        }
        if (by_email != NULL)
            snprintf(found, sizeof(found), "%s", by_email);
        free(by_email);
        id = found;
    }
    if (!is_uuid(id)) {
        fprintf(stderr, "plccoach: no such user\n");
        return 1;
    }
    switch (lifecycle_erase(db, cfg, id, NULL, NULL, "cli", erasure_id, &n, &left)) {
    case DB_OK: break;
    case DB_NOT_FOUND: fprintf(stderr, "plccoach: no such user\n"); return 1;
    default: fprintf(stderr, "plccoach: the erasure failed: %s\n", db->last_error); return 1;
    }
    printf("erasure %s: %lld conversations, %lld messages, %lld feedback, %lld shares, "
           "%lld sessions, %lld sign-in accounts, %lld exports deleted%s\n",
           erasure_id, (long long)n.conversations, (long long)n.messages, (long long)n.feedback,
           (long long)n.shares, (long long)n.sessions, (long long)n.identities,
           (long long)n.exports,
           left ? "; some files are not deleted yet (the job process keeps trying)" : "");
    return 0;
}

int cmd_user(int argc, char **argv, struct config *cfg)
{
    struct db db;
    int rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fprintf(argc < 2 ? stderr : stdout,
                "Usage: plccoach user add --email E --name N [--role educator|coach|admin] "
                "[--password-stdin]\n"
                "       plccoach user list\n"
                "       plccoach user set-role --email E --role R\n"
                "       plccoach user sign-in-link --email E\n"
                "       plccoach user delete --email E|--id ID --yes\n");
        return argc < 2 ? 2 : 0;
    }
    db_init(&db, cfg);
    if (db_conn(&db) == NULL) {
        fprintf(stderr, "plccoach: cannot connect to the database: %s\n", db.last_error);
        return 1;
    }
    if (strcmp(argv[1], "add") == 0)
        rc = user_add(argc - 1, argv + 1, &db);
    else if (strcmp(argv[1], "list") == 0)
        rc = print_users(&db);
    else if (strcmp(argv[1], "set-role") == 0)
        rc = user_set_role(argc - 1, argv + 1, &db);
    else if (strcmp(argv[1], "sign-in-link") == 0)
        rc = user_sign_in_link(argc - 1, argv + 1, &db, cfg);
    else if (strcmp(argv[1], "delete") == 0)
        rc = user_delete(argc - 1, argv + 1, &db, cfg);
    else {
        fprintf(stderr, "plccoach: unknown user command '%s'\n", argv[1]);
        rc = 2;
    }
    db_close(&db);
    return rc;
}
