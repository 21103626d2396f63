/*
 * What the tools over a real PostgreSQL share (t/db/conn-tool.c,
 * t/db/prepare-tool.c, run by t/integration/db-conn.sh): the backend
 * behind a connection, and ending it as a fast shutdown would.
 */
#ifndef PLC_T_DB_TOOL_H
#define PLC_T_DB_TOOL_H

#include <libpq-fe.h>

struct db;

/* Returns the backend pid of db's connection (connecting first), or "0"
 * when the query failed, in a static buffer the next call overwrites. */
const char *dbtool_backend_pid(struct db *db);

/* Ends backend pid from the connection admin with
 * pg_terminate_backend(pid, 5000), which waits until it is gone; bails
 * when it was not ended. */
void dbtool_terminate(PGconn *admin, const char *pid);

#endif
