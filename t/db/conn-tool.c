/*
 * The database connection against a real PostgreSQL (run by
 * t/integration/db-conn.sh, which passes PLCCOACH_DATABASE_URL): a
 * connection the server ends is replaced, a statement is sent again only
 * when that cannot run it twice, a transaction whose connection is lost is
 * never continued on a new one, and /health's ping never waits.  The
 * server ends a connection here with pg_terminate_backend() from a second
 * connection, which is what a fast shutdown does to every backend
 * (SQLSTATE 57P01).  Prints TAP.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "t/db/tool.h"
#include "tap/basic.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/text.h"

static PGconn *admin;

/* One value of a query on the admin connection. */
static long count(const char *sql)
{
    PGresult *r = PQexec(admin, sql);
    long n = PQresultStatus(r) == PGRES_TUPLES_OK ? strtol(PQgetvalue(r, 0, 0), NULL, 10) : -1;

    PQclear(r);
    return n;
}

int main(void)
{
    struct config cfg;
    struct db db;
    char err[256], reason[256], pid[24];
    PGresult *r;
    int64_t t0;

    if (!config_load(&cfg, err, sizeof(err)))
        bail("config: %s", err);
    log_init("test", LOG_ERROR);
    admin = db_connect_cli(&cfg);
    if (admin == NULL)
        bail("no database");
    PQclear(PQexec(admin, "DROP TABLE IF EXISTS t; CREATE TABLE t (n int)"));
    plan(13);
    db_init(&db, &cfg);

    /* A statement after the server ended the idle connection. */
    snprintf(pid, sizeof(pid), "%s", dbtool_backend_pid(&db));
    dbtool_terminate(admin, pid);
    r = db_exec(&db, "INSERT INTO t VALUES (1)", 0, NULL, false);
    ok(r != NULL, "an insert after the server ended the idle connection succeeds");
    PQclear(r);
    is_int(1, count("SELECT count(*) FROM t"), "exactly once");
    ok(strcmp(dbtool_backend_pid(&db), pid) != 0, "on a new connection");

    /* A transaction whose connection is lost. */
    r = db_exec(&db, "BEGIN", 0, NULL, false);
    PQclear(r);
    r = db_exec(&db, "INSERT INTO t VALUES (2)", 0, NULL, false);
    ok(r != NULL, "a transaction begins and inserts");
    PQclear(r);
    dbtool_terminate(admin, dbtool_backend_pid(&db));
    r = db_exec(&db, "INSERT INTO t VALUES (3)", 0, NULL, false);
    ok(r == NULL, "its next statement fails: the transaction died with its connection");
    PQclear(r);
    r = db_exec(&db, "SELECT 1", 0, NULL, true);
    ok(r == NULL, "so does any other, even an idempotent one, until the transaction ends");
    PQclear(r);
    r = db_exec(&db, "COMMIT", 0, NULL, false);
    ok(r == NULL, "its COMMIT fails");
    PQclear(r);
    is_int(1, count("SELECT count(*) FROM t"),
           "and nothing of it was written (no half on a new connection)");
    r = db_exec(&db, "SELECT 1", 0, NULL, true);
    ok(r != NULL, "after it, statements work again");
    PQclear(r);

    r = db_exec(&db, "BEGIN", 0, NULL, false);
    PQclear(r);
    dbtool_terminate(admin, dbtool_backend_pid(&db));
    r = db_exec(&db, "ROLLBACK", 0, NULL, false);
    ok(r != NULL, "a broken transaction's ROLLBACK succeeds (there is nothing left to undo)");
    PQclear(r);

    /* No server at all: statements wait for one, /health does not. */
    {
        struct config gone;
        struct db nodb;
        if (!config_load(&gone, err, sizeof(err))
            || !config_set(&gone, "PLCCOACH_DATABASE_URL",
                           "host=/nonexistent-plccoach-socket-dir port=1", err, sizeof(err))
            || !config_set(&gone, "PLCCOACH_DB_WAIT_MS", "1500", err, sizeof(err)))
            bail("config: %s", err);
        db_init(&nodb, &gone);
        t0 = now_ms();
        ok(!db_ping(&nodb, reason, sizeof(reason)), "with no database, the ping fails (%s)",
           reason);
        ok(now_ms() - t0 < 1000, "at once (%lld ms; statements wait 1500)",
           (long long)(now_ms() - t0));
        t0 = now_ms();
        r = db_exec(&nodb, "SELECT 1", 0, NULL, true);
        ok(r == NULL && now_ms() - t0 >= 1500,
           "a statement waits PLCCOACH_DB_WAIT_MS for it, then fails (%lld ms)",
           (long long)(now_ms() - t0));
        PQclear(r);
        db_close(&nodb);
        config_free(&gone);
    }

    db_close(&db);
    PQfinish(admin);
    config_free(&cfg);
    return 0;
}
