/*
 * Lazy, self-healing libpq connection; see db.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/text.h"

void db_init(struct db *db, const struct config *cfg)
{
    memset(db, 0, sizeof(*db));
    db->cfg = cfg;
}

/* Copies the first line of libpq's message (no secrets: libpq never
 * echoes passwords) into dst. */
static void first_line(char *dst, size_t len, const char *msg)
{
    size_t n = strcspn(msg, "\n");

    if (n >= len)
        n = len - 1;
    memcpy(dst, msg, n);
    dst[n] = '\0';
}

/* Opens a connection with our timeouts and application name. */
static PGconn *open_conn(const struct config *cfg)
{
    char timeout[16], options[64];
    const char *keys[6], *vals[6];
    int i = 0;

    snprintf(timeout, sizeof(timeout), "%lld", (long long)cfg->db_connect_timeout);
    snprintf(options, sizeof(options), "-c statement_timeout=%lld",
             (long long)cfg->db_statement_timeout);
    if (cfg->database_url != NULL && cfg->database_url[0] != '\0') {
        keys[i] = "dbname";
        vals[i++] = cfg->database_url;
    }
    keys[i] = "connect_timeout";
    vals[i++] = timeout;
    keys[i] = "options";
    vals[i++] = options;
    keys[i] = "fallback_application_name";
    vals[i++] = "plccoach";
    keys[i] = NULL;
    vals[i] = NULL;
    return PQconnectdbParams(keys, vals, 1);
}

PGconn *db_conn(struct db *db)
{
    int64_t now;

    if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
        return db->conn;
    if (db->conn != NULL) {
        PQfinish(db->conn);
        db->conn = NULL;
    }
    now = now_ms();
    if (db->last_attempt_ms != 0 && now - db->last_attempt_ms < DB_RETRY_MS)
        return NULL; /* last_error still says why */
    db->conn = open_conn(db->cfg);
    if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
        first_line(db->last_error, sizeof(db->last_error),
                   db->conn ? PQerrorMessage(db->conn) : "out of memory");
        log_warn("database connection failed: %s", db->last_error);
        PQfinish(db->conn);
        db->conn = NULL;
        db->last_attempt_ms = now;
        return NULL;
    }
    db->generation++;
    if (db->last_attempt_ms != 0)
        log_info("database connection re-established");
    db->last_attempt_ms = 0;
    db->last_error[0] = '\0';
    return db->conn;
}

static PGresult *exec_format(struct db *db, const char *sql, int nparams, const char *const *params,
                             bool idempotent, int result_format)
{
    int attempt;

    for (attempt = 0; attempt < 2; attempt++) {
        PGconn *conn = db_conn(db);
        PGresult *res;
        ExecStatusType st;

        if (conn == NULL)
            return NULL;
        res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, result_format);
        st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
            return res;
        first_line(db->last_error, sizeof(db->last_error),
                   res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
        PQclear(res);
        if (PQstatus(conn) != CONNECTION_OK) {
            log_warn("database connection lost: %s", db->last_error);
            PQfinish(db->conn);
            db->conn = NULL;
            if (idempotent)
                continue;
            return NULL;
        }
        log_error("query failed: %s", db->last_error);
        return NULL;
    }
    return NULL;
}

PGresult *db_exec(struct db *db, const char *sql, int nparams, const char *const *params,
                  bool idempotent)
{
    return exec_format(db, sql, nparams, params, idempotent, 0);
}

PGresult *db_exec_binary(struct db *db, const char *sql, int nparams, const char *const *params,
                         bool idempotent)
{
    return exec_format(db, sql, nparams, params, idempotent, 1);
}

bool db_ping(struct db *db, char *reason, size_t len)
{
    PGresult *res = db_exec(db, "SELECT 1", 0, NULL, true);

    if (res == NULL) {
        first_line(reason, len, db->last_error[0] ? db->last_error : "database unavailable");
        return false;
    }
    PQclear(res);
    return true;
}

PGconn *db_connect_cli(const struct config *cfg)
{
    PGconn *conn = open_conn(cfg);

    if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "plccoach: cannot connect to the database: %s",
                conn ? PQerrorMessage(conn) : "out of memory\n");
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

const char *db_value(const PGresult *res, int row, int col)
{
    if (res == NULL || row >= PQntuples(res) || col >= PQnfields(res) || PQgetisnull(res, row, col))
        return NULL;
    return PQgetvalue(res, row, col);
}

bool db_command(struct db *db, const char *sql, int nparams, const char *const *params)
{
    PGresult *r = db_exec(db, sql, nparams, params, false);

    if (r == NULL)
        return false;
    PQclear(r);
    return true;
}

void db_array_elem(struct buf *b, const char *s)
{
    if (b->len > 1)
        buf_putc(b, ',');
    if (s == NULL) {
        buf_puts(b, "NULL");
        return;
    }
    buf_putc(b, '"');
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\')
            buf_putc(b, '\\');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

void db_close(struct db *db)
{
    if (db == NULL)
        return;
    PQfinish(db->conn);
    db->conn = NULL;
}
