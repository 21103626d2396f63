/*
 * Subcommands of the plccoach command line, one file each (cmd_*.c).
 * Each gets its arguments after the command name (argv[0] is the command)
 * and the loaded configuration, and returns the process exit status.
 */
#ifndef PLC_CLI_COMMANDS_H
#define PLC_CLI_COMMANDS_H

struct config;

int cmd_migrate(int argc, char **argv, struct config *cfg);
int cmd_db_roles(int argc, char **argv, struct config *cfg);
int cmd_user(int argc, char **argv, struct config *cfg);
int cmd_org(int argc, char **argv, struct config *cfg);
int cmd_team(int argc, char **argv, struct config *cfg);
int cmd_ingest(int argc, char **argv, struct config *cfg);
int cmd_books(int argc, char **argv, struct config *cfg);
int cmd_search(int argc, char **argv, struct config *cfg);
int cmd_reindex(int argc, char **argv, struct config *cfg);
int cmd_eval(int argc, char **argv, struct config *cfg);
int cmd_ask(int argc, char **argv, struct config *cfg);
int cmd_retention(int argc, char **argv, struct config *cfg);
int cmd_export(int argc, char **argv, struct config *cfg);

#endif
