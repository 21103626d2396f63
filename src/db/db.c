/*
 * Lazy, self-healing libpq connection that waits out a short outage; see
 * db.h.
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/retry.h"
#include "util/text.h"

void db_init(struct db *db, const struct config *cfg)
{
    memset(db, 0, sizeof(*db));
    db->cfg = cfg;
    db->wait_ms = cfg->db_wait_ms;
    db->prepare = cfg->db_prepare;
}

/* Forgets the prepared statements (their connection is gone). */
static void stmts_clear(struct db *db)
{
    size_t i;

    for (i = 0; i < db->nstmts; i++)
        free(db->stmts[i].sql);
    free(db->stmts);
    db->stmts = NULL;
    db->nstmts = 0;
    db->next_name = 0;
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

/* libpq's notice receiver for our connections (arg: the struct db).
 * Notices go to our log as JSON lines (NOTICE and below at debug level),
 * not to stderr as libpq would print them.  A FATAL that arrives while
 * the connection is idle is the server's last word before it closes it (a
 * shutdown, a restart): libpq hands it here rather than to a statement, so
 * it is remembered in db->goodbye (a statement sent after it never ran). */
static void notice_receiver(void *arg, const PGresult *res)
{
    struct db *db = arg;
    const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    char line[256];
    bool fatal =
        severity != NULL && (strcmp(severity, "FATAL") == 0 || strcmp(severity, "PANIC") == 0);

    first_line(line, sizeof(line), PQresultErrorMessage(res));
    if (fatal)
        db->goodbye = true;
    if (fatal || (severity != NULL && strcmp(severity, "WARNING") == 0))
        LOG_FIELDS(LOG_WARN, "database notice", LF_STR("notice", line));
    else
        LOG_FIELDS(LOG_DEBUG, "database notice", LF_STR("notice", line));
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

/* Whether the idle connection is still there.  A server that shuts down
 * (a restart, a failover) tells each idle client why and closes: both
 * wait on the socket unread, so a statement sent now would fail on a
 * connection that was dead before we sent it.  Reading what waits
 * (without blocking) notices that; a notification (LISTEN) or a notice
 * just stays in libpq's buffer. */
static bool conn_alive(struct db *db)
{
    PGconn *conn = db->conn;
    struct pollfd p = {PQsocket(conn), POLLIN, 0};
    int i;

    for (i = 0; i < 2 && PQstatus(conn) == CONNECTION_OK && !db->goodbye; i++) {
        p.revents = 0;
        if (poll(&p, 1, 0) <= 0)
            return true;
        /* Data, or the end: the end shows on the read after the data.
         * PQisBusy() parses what came: a FATAL goes to notice_receiver. */
        if (!PQconsumeInput(conn))
            return false;
        (void)PQisBusy(conn);
    }
    return PQstatus(conn) == CONNECTION_OK && !db->goodbye;
}

/* Drops the connection after a loss; inside a transaction the loss
 * breaks it (db.h). */
static void drop_conn(struct db *db)
{
    if (db->in_tx)
        db->broken_tx = true;
    db->in_tx = false;
    PQfinish(db->conn);
    db->conn = NULL;
    stmts_clear(db);
}

/* One connection attempt; true when db->conn is usable. */
static bool try_connect(struct db *db)
{
    db->goodbye = false;
    db->conn = open_conn(db->cfg);
    if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK) {
        PQsetNoticeReceiver(db->conn, notice_receiver, db);
        db->generation++;
        if (db->last_attempt_ms != 0)
            log_info("database connection re-established");
        db->last_attempt_ms = 0;
        db->last_error[0] = '\0';
        return true;
    }
    first_line(db->last_error, sizeof(db->last_error),
               db->conn ? PQerrorMessage(db->conn) : "out of memory");
    PQfinish(db->conn);
    db->conn = NULL;
    return false;
}

/* db_conn() waiting for the database until deadline_ms (0: not at all,
 * one attempt per DB_RETRY_MS at most). */
static PGconn *conn_until(struct db *db, int64_t deadline_ms)
{
    int64_t now, pause = 25;
    bool warned = false;

    if (db->conn != NULL && conn_alive(db))
        return db->conn;
    if (db->conn != NULL) {
        first_line(db->last_error, sizeof(db->last_error),
                   db->goodbye ? "the server closed the connection" : PQerrorMessage(db->conn));
        log_warn("database connection lost while idle: %s", db->last_error);
        drop_conn(db);
    }
    if (db->broken_tx)
        return NULL; /* the transaction is gone; db.h */
    now = now_ms();
    if (deadline_ms != 0 && db->per_request) {
        /* One wait per request, whichever statement starts it. */
        if (db->wait_until_ms == 0)
            db->wait_until_ms = deadline_ms;
        else if (db->wait_until_ms < deadline_ms)
            deadline_ms = db->wait_until_ms;
        if (deadline_ms <= now)
            deadline_ms = 0; /* spent: at most one attempt */
    }
    if (deadline_ms == 0 && db->last_attempt_ms != 0 && now - db->last_attempt_ms < DB_RETRY_MS)
        return NULL; /* last_error still says why */
    for (;;) {
        if (try_connect(db))
            return db->conn;
        now = now_ms();
        if (!warned) {
            log_warn("database connection failed: %s", db->last_error);
            warned = true;
        }
        db->last_attempt_ms = now;
        if (now >= deadline_ms)
            return NULL;
        /* The last pause ends at the deadline, for one more attempt. */
        sleep_ms((long)(now + pause > deadline_ms ? deadline_ms - now : pause));
        pause = pause * 2 > 200 ? 200 : pause * 2;
    }
}

/* The deadline of a statement or connection that may wait for the
 * database (PLCCOACH_DB_WAIT_MS from now; 0 when it may not). */
static int64_t wait_deadline(const struct db *db, bool wait)
{
    return wait && db->wait_ms > 0 ? now_ms() + db->wait_ms : 0;
}

PGconn *db_conn(struct db *db)
{
    return conn_until(db, wait_deadline(db, true));
}

/* True for a statement that the server refused because it was shutting
 * down, starting up or had crashed: it did not run (the session ended
 * before its implicit transaction could commit), so it may be sent again
 * on a new connection. */
static bool not_run(const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    return state != NULL
           && (strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0
               || strcmp(state, "57P03") == 0);
}

/* Whether sql ends a transaction (COMMIT, ROLLBACK, END, ABORT). */
static bool ends_tx(const char *sql)
{
    return strncasecmp(sql, "COMMIT", 6) == 0 || strncasecmp(sql, "ROLLBACK", 8) == 0
           || strncasecmp(sql, "END", 3) == 0 || strncasecmp(sql, "ABORT", 5) == 0;
}

/* A statement of a transaction that died with its connection: nothing of
 * it may run on a new one.  Its end clears the state: ROLLBACK succeeds
 * (there is nothing left to undo), COMMIT fails. */
static PGresult *broken(struct db *db, const char *sql)
{
    if (ends_tx(sql)) {
        db->broken_tx = false;
        if (strncasecmp(sql, "ROLLBACK", 8) == 0 || strncasecmp(sql, "ABORT", 5) == 0)
            return PQmakeEmptyPGresult(NULL, PGRES_COMMAND_OK);
    }
    snprintf(db->last_error, sizeof(db->last_error),
             "the connection was lost inside a transaction");
    return NULL;
}

/* The statement prepared as sql on this connection, or NULL. */
static struct db_stmt *stmt_find(struct db *db, const char *sql, size_t len)
{
    size_t i;

    for (i = 0; i < db->nstmts; i++)
        if (db->stmts[i].len == len && memcmp(db->stmts[i].sql, sql, len) == 0)
            return &db->stmts[i];
    return NULL;
}

/* Whether res is PostgreSQL's refusal to run a prepared statement whose
 * result columns changed since it was prepared (a migration): it did not
 * run. */
static bool stale_plan(const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

    return state != NULL && msg != NULL && strcmp(state, "0A000") == 0
           && strncmp(msg, "cached plan must not change result type", 39) == 0;
}

/* Prepares sql (len bytes, nparams parameters) on conn under the next
 * name and remembers it.  Returns its entry; or NULL with *no_memory
 * (nothing sent: the caller may run it unprepared), or NULL with *fail
 * the server's refusal or libpq's NULL (caller clears). */
static struct db_stmt *stmt_add(struct db *db, PGconn *conn, const char *sql, size_t len,
                                int nparams, PGresult **fail, bool *no_memory)
{
    struct db_stmt *grown = realloc(db->stmts, (db->nstmts + 1) * sizeof(*db->stmts));
    char *copy = malloc(len + 1);
    char name[24];
    PGresult *res;

    *fail = NULL;
    *no_memory = grown == NULL || copy == NULL;
    if (grown != NULL)
        db->stmts = grown;
    if (*no_memory) {
        free(copy);
        return NULL;
    }
    snprintf(name, sizeof(name), "plc_%u", db->next_name);
    db->counts.prepares++;
    res = PQprepare(conn, name, sql, nparams, NULL);
    if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
        free(copy);
        *fail = res;
        return NULL;
    }
    PQclear(res);
    memcpy(copy, sql, len + 1);
    db->stmts[db->nstmts] = (struct db_stmt){copy, len, db->next_name++};
    return &db->stmts[db->nstmts++];
}

bool db_prepare(struct db *db, const char *sql, int nparams)
{
    size_t len = strlen(sql);
    PGresult *fail;
    bool no_memory;

    if (!db->prepare || db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK || db->in_tx)
        return false;
    if (stmt_find(db, sql, len) != NULL)
        return true;
    if (db->nstmts >= DB_PREPARED_MAX)
        return false;
    if (stmt_add(db, db->conn, sql, len, nparams, &fail, &no_memory) != NULL)
        return true;
    if (fail != NULL) {
        first_line(db->last_error, sizeof(db->last_error), PQresultErrorMessage(fail));
        PQclear(fail);
    }
    return false;
}

/* Sends one statement on conn and returns libpq's result (NULL or any
 * status): prepared (db.h) when prepared statements are on and there is
 * room, else as the unnamed statement. */
static PGresult *send_statement(struct db *db, PGconn *conn, const char *sql, int nparams,
                                const char *const *params, int result_format)
{
    size_t len = strlen(sql);
    struct db_stmt *st = db->prepare ? stmt_find(db, sql, len) : NULL;
    char name[24];
    PGresult *res;
    int again;

    if (st == NULL && (!db->prepare || db->nstmts >= DB_PREPARED_MAX)) {
        db->counts.statements++;
        return PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, result_format);
    }
    for (again = 0;; again++) {
        if (st == NULL) {
            bool no_memory;

            st = stmt_add(db, conn, sql, len, nparams, &res, &no_memory);
            if (no_memory) {
                db->counts.statements++;
                return PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, result_format);
            }
            if (st == NULL)
                return res; /* the statement's own failure (its syntax, the connection) */
        }
        snprintf(name, sizeof(name), "plc_%u", st->name);
        db->counts.statements++;
        res = PQexecPrepared(conn, name, nparams, params, NULL, NULL, result_format);
        if (!stale_plan(res))
            return res;
        /* A migration changed its result: forget it (the server keeps the
         * name until it is deallocated or the connection ends). */
        free(st->sql);
        *st = db->stmts[--db->nstmts];
        st = NULL;
        db->counts.replans++;
        if (again > 0 || PQtransactionStatus(conn) != PQTRANS_IDLE)
            return res; /* inside a transaction: it fails as any statement does */
        PQclear(res);
        log_info("prepared statement %s prepared again: its result type changed", name);
        /* name is ours ("plc_N"), never input. */
        {
            char dealloc[40];
            snprintf(dealloc, sizeof(dealloc), "DEALLOCATE %s", name);
            PQclear(PQexec(conn, dealloc));
        }
    }
}

static PGresult *exec_format(struct db *db, const char *sql, int nparams, const char *const *params,
                             bool idempotent, int result_format, bool wait)
{
    int64_t deadline = wait_deadline(db, wait);
    int attempt;

    db->last_sqlstate[0] = '\0';
    if (db->broken_tx)
        return broken(db, sql);
    for (attempt = 0;; attempt++) {
        PGconn *conn = conn_until(db, deadline);
        PGresult *res;
        ExecStatusType st;
        bool retry;

        if (conn == NULL)
            return db->broken_tx ? broken(db, sql) : NULL;
        res = send_statement(db, conn, sql, nparams, params, result_format);
        st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
            PGTransactionStatusType ts = PQtransactionStatus(conn);
            db->in_tx = ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR;
            return res;
        }
        first_line(db->last_error, sizeof(db->last_error),
                   res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
        snprintf(db->last_sqlstate, sizeof(db->last_sqlstate), "%s",
                 res && PQresultErrorField(res, PG_DIAG_SQLSTATE)
                     ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
                     : "");
        if (PQstatus(conn) == CONNECTION_OK && !not_run(res) && !db->goodbye) {
            PGTransactionStatusType ts = PQtransactionStatus(conn);
            db->in_tx = ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR;
            PQclear(res);
            log_error("query failed: %s", db->last_error);
            return NULL;
        }
        /* The connection is gone.  Send the statement again on a new one
         * when that cannot do it twice: it is idempotent, or the server
         * said it did not run it; and never inside a transaction, which
         * died with the connection. */
        retry = !db->in_tx && (idempotent || not_run(res) || db->goodbye);
        PQclear(res);
        log_warn("database connection lost: %s", db->last_error);
        drop_conn(db);
        if (!retry)
            return NULL;
        if (deadline == 0 ? attempt >= 1 : now_ms() >= deadline)
            return NULL;
    }
}

PGresult *db_exec(struct db *db, const char *sql, int nparams, const char *const *params,
                  bool idempotent)
{
    return exec_format(db, sql, nparams, params, idempotent, 0, true);
}

PGresult *db_exec_binary(struct db *db, const char *sql, int nparams, const char *const *params,
                         bool idempotent)
{
    return exec_format(db, sql, nparams, params, idempotent, 1, true);
}

bool db_ping(struct db *db, char *reason, size_t len)
{
    /* At once: the load balancer must see an outage, not wait it out. */
    PGresult *res = exec_format(db, "SELECT 1", 0, NULL, true, 0, false);

    if (res == NULL) {
        first_line(reason, len, db->last_error[0] ? db->last_error : "database unavailable");
        return false;
    }
    PQclear(res);
    return true;
}

void db_request_begin(struct db *db)
{
    db->broken_tx = false;
    db->per_request = true;
    db->wait_until_ms = 0;
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

bool store_tx(struct db *db, const char *command)
{
    PGresult *res = db_exec(db, command, 0, NULL, false);

    if (res == NULL)
        return false;
    PQclear(res);
    return true;
}

enum db_status db_rollback(struct db *db, PGresult *res, enum db_status st)
{
    PQclear(res);
    (void)store_tx(db, "ROLLBACK");
    return st;
}

PGresult *db_begin_exec(struct db *db, const char *sql, int nparams, const char *const *params)
{
    PGresult *res;

    if (!store_tx(db, "BEGIN"))
        return NULL;
    res = db_exec(db, sql, nparams, params, false);
    if (res == NULL)
        (void)db_rollback(db, NULL, DB_ERROR);
    return res;
}

enum db_status db_one_row(const PGresult *res)
{
    if (res == NULL)
        return DB_ERROR;
    return PQntuples(res) == 1 ? DB_OK : DB_NOT_FOUND;
}

bool db_command(struct db *db, const char *sql, int nparams, const char *const *params)
{
    PGresult *r = db_exec(db, sql, nparams, params, false);

    if (r == NULL)
        return false;
    PQclear(r);
    return true;
}

void db_text_array(struct buf *b, const char *const *v, size_t n)
{
    size_t i;

    buf_putc(b, '{');
    for (i = 0; i < n; i++)
        db_array_elem(b, v[i]);
    buf_putc(b, '}');
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
    stmts_clear(db);
}
