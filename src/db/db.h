/*
 * The worker's database connection.
 *
 * A worker owns one struct db for its lifetime.  The libpq connection is
 * opened lazily on first use, and re-opened after a failure without
 * restarting the process.  All queries are parameterised; no SQL is ever
 * built from input.
 *
 * A short outage (a restart, a failover) costs nothing: a statement that
 * finds no database waits for one, retrying the connection with growing
 * pauses (25 ms to 200 ms) for up to PLCCOACH_DB_WAIT_MS (default 3000),
 * and only then fails.  Before a statement is sent on an idle connection,
 * what waits on its socket is read without blocking, so a connection that
 * the server closed while it was idle is replaced rather than used.  A
 * statement whose connection is lost is sent again on a new one when that
 * cannot run it twice: it is idempotent, or the server refused it because
 * it was shutting down, starting up or recovering (SQLSTATE 57P01-57P03,
 * or a FATAL received while the connection was idle, before the statement
 * went out), and it was not inside a transaction.  A transaction whose connection is
 * lost is broken: every statement of it fails until its ROLLBACK (which
 * then succeeds) or COMMIT (which fails), and it is never continued on a
 * new connection (db_request_begin() clears the state for each request).
 * db_ping() (/health) never waits: the load balancer must see an outage.
 *
 * Prepared statements (PLCCOACH_DB_PREPARE, on by default): the first
 * time a connection runs a statement text, it is prepared under a name
 * of ours ("plc_N"), and every later run of the same text on that
 * connection sends only its parameters (PQexecPrepared), so PostgreSQL
 * parses and analyses it once per connection and may keep its plan.  The
 * text is the key (callers change nothing).  A new connection starts
 * with none (they live in the server's session).  A statement whose
 * result type a migration changed ("cached plan must not change result
 * type", SQLSTATE 0A000) is forgotten and, outside a transaction,
 * deallocated, prepared again and run again at once (it had not run);
 * inside one, that transaction fails as any statement error does, and
 * the next use prepares it again (under a new name: the stale one stays
 * on the server until the connection ends).  At most DB_PREPARED_MAX texts are
 * prepared per connection; others run unprepared.  Off, every statement
 * goes as before (PQexecParams, the unnamed statement): what a pooler in
 * transaction mode that does not follow prepared statements needs
 * (pgbouncer before 1.21; Debian 12 has 1.18).
 */
#ifndef PLC_DB_DB_H
#define PLC_DB_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/status.h"

struct buf;
struct config;

#define DB_RETRY_MS 250
#define DB_PREPARED_MAX 256

/* A statement prepared on the current connection. */
struct db_stmt {
    char *sql;     /* the text, the key; owned */
    size_t len;    /* strlen(sql) */
    unsigned name; /* its server-side name is "plc_<name>" */
};

/* What a connection has sent, for the profiles and the tests (never
 * reset: read the difference around what you measure). */
struct db_counts {
    unsigned long statements; /* statements run (each one round trip) */
    unsigned long prepares;   /* statements prepared (one round trip each) */
    unsigned long replans;    /* prepared again after a migration changed their result */
};

struct db {
    PGconn *conn;             /* NULL until connected; owned */
    const struct config *cfg; /* borrowed */
    int64_t last_attempt_ms;  /* when the last failed connect was tried */
    int64_t wait_ms;          /* how long a request waits for the database */
    int64_t wait_until_ms;    /* when this request's waiting ends (set by its
                               * first wait; 0: it has not waited) */
    bool per_request;         /* db_request_begin() was called: one wait per
                               * request (else one per statement: jobs, CLI) */
    char last_error[256];     /* why the last connect or query failed */
    char last_sqlstate[6];    /* the SQLSTATE of the last failed statement, or "" */
    unsigned generation;      /* counts connections opened: session settings
                               * made on one are gone on the next */
    bool in_tx;               /* the connection is inside a transaction */
    bool goodbye;             /* the server sent FATAL while the connection was idle */
    bool broken_tx;           /* that transaction died with its connection */
    bool prepare;             /* PLCCOACH_DB_PREPARE: prepare statements */
    struct db_stmt *stmts;    /* prepared on this connection; owned */
    size_t nstmts;
    unsigned next_name; /* the next prepared statement's number on this connection */
    struct db_counts counts;
};

/* Prepares db; opens nothing. */
void db_init(struct db *db, const struct config *cfg) __attribute__((nonnull));

/* Returns a usable connection, connecting if needed (waiting up to
 * PLCCOACH_DB_WAIT_MS for the database), or NULL (the reason is in
 * db->last_error and logged).  The connection stays owned by db. */
PGconn *db_conn(struct db *db) __attribute__((nonnull));

/* Runs a parameterised statement (text parameters, text results).  Returns
 * the result (caller PQclear()s) when its status is COMMAND_OK or
 * TUPLES_OK; otherwise logs, records the error and returns NULL.  Waits
 * for the database and sends the statement again on a new connection as
 * described above (idempotent: running it twice does no harm). */
PGresult *db_exec(struct db *db, const char *sql, int nparams, const char *const *params,
                  bool idempotent) __attribute__((nonnull(1, 2), warn_unused_result));

/* Runs BEGIN, COMMIT or ROLLBACK on the connection (a transaction that
 * the caller holds).  Returns false (logged) on failure. */
bool store_tx(struct db *db, const char *command) __attribute__((nonnull));

/* Gives up the caller's transaction: clears res (may be NULL), runs
 * ROLLBACK (a failed ROLLBACK changes nothing: the transaction is over
 * either way, db.h above) and returns st, so that each way out of a
 * module's transaction is one line: return db_rollback(db, res, st). */
enum db_status db_rollback(struct db *db, PGresult *res, enum db_status st)
    __attribute__((nonnull(1)));

/* Starts a transaction with its first statement: BEGIN, then sql (not
 * idempotent).  Returns the statement's result (caller PQclear()s; the
 * transaction is the caller's to end), or NULL when either failed
 * (logged), the transaction then over. */
PGresult *db_begin_exec(struct db *db, const char *sql, int nparams, const char *const *params)
    __attribute__((nonnull(1, 2), warn_unused_result));

/* What a statement that must find exactly one row found: DB_ERROR when it
 * failed (res is NULL, logged), DB_NOT_FOUND when it returned no row (or
 * several), else DB_OK.  Clears nothing: res stays the caller's. */
enum db_status db_one_row(const PGresult *res);

/* Runs a statement whose rows do not matter (BEGIN, INSERT, ...), not
 * idempotent.  Returns false when it failed (logged, db->last_error). */
bool db_command(struct db *db, const char *sql, int nparams, const char *const *params)
    __attribute__((nonnull(1, 2)));

/* db_exec() with every result column in PostgreSQL's binary format (the
 * type's send function: network byte order; text types as their bytes). */
PGresult *db_exec_binary(struct db *db, const char *sql, int nparams, const char *const *params,
                         bool idempotent) __attribute__((nonnull(1, 2), warn_unused_result));

/* Prepares sql (nparams parameters) on the current connection without
 * running it, as its first db_exec would (db.h, prepared statements), so
 * that the first real use sends only its parameters: the warm start
 * (src/server/warm.c) readies the statements that save a question and an
 * answer, which it must not run.  Returns true when it is prepared (now
 * or before); false, sending nothing, when prepared statements are off,
 * there is no connection, a transaction is open or DB_PREPARED_MAX texts
 * are prepared; false when the server refuses it (the reason in
 * db->last_error).  Never connects or waits. */
bool db_prepare(struct db *db, const char *sql, int nparams) __attribute__((nonnull));

/* Returns true when the database answers a trivial query; otherwise
 * copies a short reason into reason (len bytes).  Never waits for the
 * database (at most one connection attempt per DB_RETRY_MS). */
bool db_ping(struct db *db, char *reason, size_t len) __attribute__((nonnull));

/* Starts a request: forgets a transaction broken in the last one, and
 * gives the request its PLCCOACH_DB_WAIT_MS afresh (a request's
 * statements share one wait: a request whose first statement waited
 * 3 s for the database does not wait 3 s more for each of the next). */
void db_request_begin(struct db *db) __attribute__((nonnull));

/* Opens a connection for the command line (no lazy retry throttle).
 * Returns NULL after printing the reason to stderr. Caller PQfinish()es. */
PGconn *db_connect_cli(const struct config *cfg) __attribute__((nonnull, warn_unused_result));

/* Returns the value at (row, col) or NULL when it is SQL NULL or out of
 * range; the string belongs to res. */
const char *db_value(const PGresult *res, int row, int col);

/* Appends one element to the PostgreSQL array literal that b holds (b
 * holds nothing else and starts with '{'): s quoted and escaped, or NULL
 * when s is NULL.  For arrays passed as one parameter (unnest batches). */
void db_array_elem(struct buf *b, const char *s) __attribute__((nonnull(1)));

/* Writes into b (empty) the PostgreSQL array literal of v's n strings
 * (db_array_elem() each), for an array passed as one parameter. */
void db_text_array(struct buf *b, const char *const *v, size_t n) __attribute__((nonnull(1)));

/* Closes the connection and forgets its prepared statements. */
void db_close(struct db *db);

#endif
