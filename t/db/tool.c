/*
 * What the database tools share; see tool.h.
 */
#include "config.h"

#include <stdio.h>

#include "db/db.h"
#include "t/db/tool.h"
#include "tap/basic.h"

const char *dbtool_backend_pid(struct db *db)
{
    static char pid[24];
    PGresult *r = db_exec(db, "SELECT pg_backend_pid()", 0, NULL, true);

    snprintf(pid, sizeof(pid), "%s", r ? PQgetvalue(r, 0, 0) : "0");
    PQclear(r);
    return pid;
}

void dbtool_terminate(PGconn *admin, const char *pid)
{
    const char *params[1] = {pid};
    PGresult *r = PQexecParams(admin, "SELECT pg_terminate_backend($1::int, 5000)", 1, NULL, params,
                               NULL, NULL, 0);

    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQgetvalue(r, 0, 0)[0] != 't')
        bail("pg_terminate_backend failed: %s", PQerrorMessage(admin));
    PQclear(r);
}
