/*
 * plccoach: the command-line companion.  A table of subcommands over the
 * same library the server uses.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "util/cfg.h"
#include "util/log.h"
#include "version.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv, struct config *cfg);
    const char *summary;
};

static const struct command commands[] = {
    {"migrate", cmd_migrate, "apply database migrations (--status lists them)"},
    {"db-roles", cmd_db_roles, "create the application and migration roles (as the master user)"},
    {"user", cmd_user, "add, list, change and erase users (local accounts, roles, sign-in links)"},
    {"org", cmd_org, "add and list districts and schools"},
    {"team", cmd_team, "add teams, their members and their coaches"},
    {"ingest", cmd_ingest, "add books (PDF, Markdown, text) to the library"},
    {"books", cmd_books, "list, show and remove library books"},
    {"search", cmd_search, "search the library as the coach does (--domain, --k, --json)"},
    {"reindex", cmd_reindex, "re-embed every chunk and rebuild the vector index"},
    {"ask", cmd_ask, "ask the coach a question (--conversation, --user, --json)"},
    {"export", cmd_export, "write a conversation as PDF, Markdown or text (--format, -o)"},
    {"eval", cmd_eval, "measure retrieval on a question set (recall@1, recall@5, MRR)"},
    {"retention", cmd_retention, "delete conversations older than PLCCOACH_RETENTION_DAYS now"},
};

static void help(FILE *out)
{
    size_t i;

    fprintf(out, "Usage: plccoach <command> [options]\n\nCommands:\n");
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "  %-10s %s\n  %-10s %s\n\n", "help", "this text", "version", "print the version");
    fprintf(out, "Configuration comes from PLCCOACH_* environment variables "
                 "(plccoach-fcgi --help-config lists them)\nand libpq's PG* variables.\n");
}

int main(int argc, char **argv)
{
    struct config cfg;
    char err[256];
    size_t i;
    int rc;

    if (argc < 2) {
        help(stderr);
        return 2;
    }
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0
        || strcmp(argv[1], "-h") == 0) {
        help(stdout);
        return 0;
    }
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("plccoach %s\n", PLC_VERSION);
        return 0;
    }
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        log_init("cli", LOG_WARN);
        if (!config_load(&cfg, err, sizeof(err))) {
            fprintf(stderr, "plccoach: %s\n", err);
            config_free(&cfg);
            return 2;
        }
        rc = commands[i].run(argc - 1, argv + 1, &cfg);
        config_free(&cfg);
        return rc;
    }
    fprintf(stderr, "plccoach: unknown command '%s'\n\n", argv[1]);
    help(stderr);
    return 2;
}
