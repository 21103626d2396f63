/*
 * The warm start (PLCCOACH_WARM_START, docs/configuration.md): before its
 * first accept, a worker answers one question of its own so that no
 * teacher's question is the one that pays for a cold worker: its
 * database connection opened and the pipeline's statements prepared on
 * it, the stem cache filled, the retrieval path's pages touched
 * (docs/performance.md, issue 15).
 *
 * The question is answered in extractive mode, as an evaluation's is
 * (no user: nothing is read from or written to a conversation, no
 * message, usage or audit row), with no model request, and nothing of it
 * is logged as a question: the pipeline's lines are below the warn level
 * and muted while it runs.  It is bounded: one connection attempt (a
 * database that is down costs PLCCOACH_DB_CONNECT_TIMEOUT at most, and
 * refused at once), no waiting for the database after that
 * (PLCCOACH_DB_WAIT_MS is not applied), each statement within
 * PLCCOACH_DB_STATEMENT_TIMEOUT.  Its outcome is one log line: "worker
 * warmed" (info: ms, statements, prepares) or "worker not warmed" (warn:
 * ms, the reason); either way the worker then serves.
 */
#ifndef PLC_SERVER_WARM_H
#define PLC_SERVER_WARM_H

#include <stdbool.h>

struct config;
struct db;

/* The question the warm start answers: a typical one, whose words are in
 * any PLC library, so that the BM25 path (not only the vector list) runs. */
#define WARM_QUESTION "How does a team write a SMART goal from common formative assessment data?"

/* Warms this worker on db (its own connection, which it keeps) when
 * cfg->warm_start is set; returns whether it warmed.  Allocates nothing
 * that outlives the call. */
bool worker_warm(struct db *db, const struct config *cfg) __attribute__((nonnull));

#endif
