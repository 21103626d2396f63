/*
 * Prepared statements against a real PostgreSQL (run by
 * t/integration/db-conn.sh, which passes PLCCOACH_DATABASE_URL): a
 * statement text is prepared once per connection and then only executed,
 * prepared again on the new connection after the server ended the old
 * one, prepared again when a migration changed its result type (at once
 * outside a transaction; inside one the transaction fails and the next
 * use prepares it), never prepared with PLCCOACH_DB_PREPARE off, and
 * never more than DB_PREPARED_MAX of them.  What the server holds is read
 * from pg_prepared_statements on the connection itself.  Prints TAP.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "t/db/tool.h"
#include "tap/basic.h"
#include "util/cfg.h"
#include "util/log.h"

#define Q_ONE "SELECT n FROM t WHERE n = $1::int"

static PGconn *admin;

/* Runs sql on the admin connection or bails. */
static void admin_run(const char *sql)
{
    PGresult *r = PQexec(admin, sql);

    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        bail("%s: %s", sql, PQerrorMessage(admin));
    PQclear(r);
}

/* How many statements db's own session holds prepared with text sql
 * (NULL: any of ours), or -1. */
static long held(struct db *db, const char *sql)
{
    const char *params[1] = {sql};
    PGresult *r =
        sql != NULL
            ? db_exec(db, "SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", 1,
                      params, true)
            : db_exec(db, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'plc\\_%'",
                      0, NULL, true);
    long n = r != NULL ? strtol(PQgetvalue(r, 0, 0), NULL, 10) : -1;

    PQclear(r);
    return n;
}

/* Runs sql on db; its number of columns, or -1 when it failed. */
static int columns(struct db *db, const char *sql)
{
    PGresult *r = db_exec(db, sql, 0, NULL, true);
    int n = r != NULL ? PQnfields(r) : -1;

    PQclear(r);
    return n;
}

int main(void)
{
    struct config cfg;
    struct db db;
    struct db_counts c0;
    const char *params[1] = {"7"};
    char err[256], sql[64], pid[24];
    PGresult *r;
    int i, okay;

    if (!config_load(&cfg, err, sizeof(err)))
        bail("config: %s", err);
    log_init("test", LOG_ERROR);
    admin = db_connect_cli(&cfg);
    if (admin == NULL)
        bail("no database");
    admin_run("DROP TABLE IF EXISTS t, t2, t3; CREATE TABLE t (n int); INSERT INTO t VALUES (7); "
              "CREATE TABLE t2 (a int); INSERT INTO t2 VALUES (1); "
              "CREATE TABLE t3 (a int); INSERT INTO t3 VALUES (1)");
    plan(22);
    ok(cfg.db_prepare, "prepared statements are on by default");
    db_init(&db, &cfg);

    /* Once per connection. */
    c0 = db.counts;
    for (i = 0, okay = 0; i < 3; i++) {
        r = db_exec(&db, Q_ONE, 1, params, true);
        okay += r != NULL && PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "7") == 0;
        PQclear(r);
    }
    is_int(3, okay, "a statement run three times answers each time");
    is_int(1, (long long)(db.counts.prepares - c0.prepares), "it was prepared once");
    is_int(3, (long long)(db.counts.statements - c0.statements), "and executed three times");
    is_int(1, held(&db, Q_ONE), "the server holds it once, under its text");
    c0 = db.counts;
    r = db_exec_binary(&db, Q_ONE, 1, params, true);
    ok(r != NULL && PQfformat(r, 0) == 1 && PQgetlength(r, 0, 0) == 4,
       "the same text with binary results");
    PQclear(r);
    is_int(0, (long long)(db.counts.prepares - c0.prepares), "uses the same statement");

    /* A new connection prepares again. */
    snprintf(pid, sizeof(pid), "%s", dbtool_backend_pid(&db));
    dbtool_terminate(admin, pid);
    c0 = db.counts;
    r = db_exec(&db, Q_ONE, 1, params, true);
    ok(r != NULL && PQntuples(r) == 1, "after the server ended the connection, it runs");
    PQclear(r);
    is_int(1, (long long)(db.counts.prepares - c0.prepares), "prepared again");
    ok(strcmp(dbtool_backend_pid(&db), pid) != 0, "on a new connection");
    is_int(1, held(&db, Q_ONE), "which holds it once");

    /* A migration changes a prepared statement's result type. */
    is_int(1, columns(&db, "SELECT * FROM t2"), "SELECT * FROM t2: one column");
    admin_run("ALTER TABLE t2 ADD COLUMN b int DEFAULT 2");
    c0 = db.counts;
    is_int(2, columns(&db, "SELECT * FROM t2"), "after a migration added a column: two, at once");
    is_int(1, (long long)(db.counts.replans - c0.replans), "the stale statement was replaced");
    is_int(1, held(&db, "SELECT * FROM t2"), "the server holds one statement of that text");

    /* The same inside a transaction: that transaction fails, the next
     * use prepares it again. */
    is_int(1, columns(&db, "SELECT * FROM t3"), "SELECT * FROM t3: one column");
    admin_run("ALTER TABLE t3 ADD COLUMN b int DEFAULT 2");
    ok(db_command(&db, "BEGIN", 0, NULL), "a transaction begins");
    is_int(-1, columns(&db, "SELECT * FROM t3"), "inside it the stale statement fails");
    ok(db_command(&db, "ROLLBACK", 0, NULL), "the transaction rolls back");
    is_int(2, columns(&db, "SELECT * FROM t3"), "after it, prepared again: two columns");

    /* A bounded number per connection. */
    for (i = 0, okay = 0; i < DB_PREPARED_MAX + 20; i++) {
        snprintf(sql, sizeof(sql), "SELECT %d", i);
        okay += columns(&db, sql) == 1;
    }
    ok(okay == DB_PREPARED_MAX + 20 && db.nstmts == DB_PREPARED_MAX,
       "beyond DB_PREPARED_MAX texts, statements run unprepared");
    db_close(&db);

    /* Off: nothing prepared. */
    cfg.db_prepare = false;
    db_init(&db, &cfg);
    c0 = db.counts;
    for (i = 0; i < 2; i++)
        PQclear(db_exec(&db, Q_ONE, 1, params, true));
    ok(db.counts.prepares == c0.prepares && held(&db, NULL) == 0,
       "PLCCOACH_DB_PREPARE=false prepares nothing");
    db_close(&db);

    admin_run("DROP TABLE t, t2, t3");
    PQfinish(admin);
    config_free(&cfg);
    return 0;
}
