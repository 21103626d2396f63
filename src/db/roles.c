/*
 * The deployment's database roles; see roles.h.
 *
 * Role names and password verifiers cannot be bind parameters of CREATE
 * ROLE or GRANT, so they travel as parameters of set_config() (local to
 * the transaction) and fixed DO blocks quote them on the server with
 * format('%I') and format('%L'): no SQL text is built here.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/roles.h"

bool db_role_name_valid(const char *name)
{
    size_t i, n = strlen(name);

    if (n == 0 || n > 63 || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
        return false;
    for (i = 1; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9')
              || name[i] == '_'))
            return false;
    return true;
}

/* Runs one statement; on failure copies the server's first line into err
 * and returns NULL.  The caller PQclear()s a result. */
static PGresult *run(PGconn *conn, const char *sql, int n, const char *const *params, char *err,
                     size_t errlen)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    const char *msg;

    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return res;
    msg = res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    snprintf(err, errlen, "%.*s", (int)strcspn(msg, "\n"), msg);
    PQclear(res);
    return NULL;
}

/* run() for statements whose result is not needed. */
static bool run_ok(PGconn *conn, const char *sql, int n, const char *const *params, char *err,
                   size_t errlen)
{
    PGresult *res = run(conn, sql, n, params, err, errlen);

    PQclear(res);
    return res != NULL;
}

/* Creates role name with LOGIN and the password's SCRAM verifier, or gives
 * the existing role that password; *created says which. */
static bool set_role(PGconn *conn, const char *name, const char *password, bool *created, char *err,
                     size_t errlen)
{
    char *verifier = PQencryptPasswordConn(conn, password, name, "scram-sha-256");
    const char *params[2] = {name, verifier};
    PGresult *res;
    bool ok;

    if (verifier == NULL) {
        snprintf(err, errlen, "cannot compute the password verifier: %s", PQerrorMessage(conn));
        return false;
    }
    res = run(conn,
              "SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1), "
              "set_config('plccoach.role_name', $1, true), "
              "set_config('plccoach.role_verifier', $2, true)",
              2, params, err, errlen);
    PQfreemem(verifier);
    if (res == NULL)
        return false;
    *created = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    ok = run_ok(conn,
                "DO $$ DECLARE r text := current_setting('plccoach.role_name'); "
                "v text := current_setting('plccoach.role_verifier'); BEGIN "
                "IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN "
                "EXECUTE format('ALTER ROLE %I WITH LOGIN PASSWORD %L', r, v); "
                "ELSE EXECUTE format('CREATE ROLE %I WITH LOGIN PASSWORD %L', r, v); "
                "END IF; END $$",
                0, NULL, err, errlen);
    return run_ok(conn, "SELECT set_config('plccoach.role_verifier', '', true)", 0, NULL, err,
                  errlen)
           && ok;
}

/* The master user in the migration role; ownership of its objects in
 * schema public (not an extension's) moved there; the rights of the
 * application role.  Sets plccoach.moved to the number of objects moved. */
static const char PRIVILEGES[] =
    "DO $$ DECLARE app text := current_setting('plccoach.app_role'); "
    "mig text := current_setting('plccoach.migrate_role'); obj record; moved int := 0; BEGIN "
    "IF NOT pg_has_role(current_user, mig, 'MEMBER') THEN "
    "EXECUTE format('GRANT %I TO %I', mig, current_user); END IF; "
    "EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), app); "
    "EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO %I', current_database(), mig); "
    "REVOKE CREATE ON SCHEMA public FROM PUBLIC; "
    "EXECUTE format('GRANT USAGE, CREATE ON SCHEMA public TO %I', mig); "
    "EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app); "
    /* Tables, views, sequences that are not a column's, of the master. */
    "FOR obj IN SELECT c.oid::regclass::text AS name, c.relkind FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'public' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = "
    "current_user) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
    "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
    "AND d.objid = c.oid AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a', 'i')))) "
    "LOOP EXECUTE format('ALTER %s %s OWNER TO %I', CASE obj.relkind WHEN 'S' THEN 'SEQUENCE' "
    "WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' "
    "ELSE 'TABLE' END, obj.name, mig); moved := moved + 1; END LOOP; "
    "FOR obj IN SELECT p.oid::regprocedure::text AS name FROM pg_proc p "
    "JOIN pg_namespace n ON n.oid = p.pronamespace "
    "WHERE n.nspname = 'public' AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = "
    "current_user) AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
    "'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') "
    "LOOP EXECUTE format('ALTER ROUTINE %s OWNER TO %I', obj.name, mig); moved := moved + 1; "
    "END LOOP; "
    "EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', "
    "app); "
    "EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', app); "
    "EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT SELECT, INSERT, "
    "UPDATE, DELETE ON TABLES TO %I', mig, app); "
    "EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT USAGE, SELECT, "
    "UPDATE ON SEQUENCES TO %I', mig, app); "
    "IF to_regclass('public.schema_migrations') IS NOT NULL THEN "
    "EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public.schema_migrations FROM %I', "
    "app); END IF; "
    "PERFORM set_config('plccoach.moved', moved::text, true); END $$";

enum db_status db_roles_setup(PGconn *conn, const char *app_role, const char *app_password,
                              const char *migrate_role, const char *migrate_password,
                              struct db_roles_report *report, char *err, size_t errlen)
{
    const char *me = PQuser(conn), *names[2] = {app_role, migrate_role};
    PGresult *res;
    bool ok;

    memset(report, 0, sizeof(*report));
    if (!db_role_name_valid(app_role) || !db_role_name_valid(migrate_role)) {
        snprintf(err, errlen, "role names are lower-case letters, digits and _ (at most 63)");
        return DB_INVALID;
    }
    if (strcmp(app_role, migrate_role) == 0 || (me != NULL && strcmp(me, app_role) == 0)
        || (me != NULL && strcmp(me, migrate_role) == 0)) {
        snprintf(err, errlen,
                 "the application role, the migration role and the connected (master) user "
                 "must be three different roles");
        return DB_INVALID;
    }
    if (!run_ok(conn, "BEGIN", 0, NULL, err, errlen))
        return DB_ERROR;
    ok = run_ok(conn, "CREATE EXTENSION IF NOT EXISTS vector", 0, NULL, err, errlen);
    if (ok) {
        res = run(conn,
                  "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_stat_statements'",
                  0, NULL, err, errlen);
        ok = res != NULL;
        report->stat_statements = ok && strcmp(PQgetvalue(res, 0, 0), "1") == 0;
        PQclear(res);
    }
    if (ok && report->stat_statements)
        ok =
            run_ok(conn, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements", 0, NULL, err, errlen);
    ok = ok && set_role(conn, app_role, app_password, &report->app_created, err, errlen)
         && set_role(conn, migrate_role, migrate_password, &report->migrate_created, err, errlen)
         && run_ok(conn,
                   "SELECT set_config('plccoach.app_role', $1, true), "
                   "set_config('plccoach.migrate_role', $2, true)",
                   2, names, err, errlen)
         && run_ok(conn, PRIVILEGES, 0, NULL, err, errlen);
    if (ok) {
        res = run(conn, "SELECT current_setting('plccoach.moved')", 0, NULL, err, errlen);
        ok = res != NULL;
        if (ok)
            report->objects_moved = strtol(PQgetvalue(res, 0, 0), NULL, 10);
        PQclear(res);
    }
    if (ok && run_ok(conn, "COMMIT", 0, NULL, err, errlen))
        return DB_OK;
    if (ok)
        return DB_ERROR; /* the COMMIT failed: the transaction is over */
    PQclear(PQexec(conn, "ROLLBACK"));
    return DB_ERROR;
}
