/*
 * Response helpers: status, headers, JSON bodies, the error envelope and
 * server-sent events.
 *
 * A handler builds its response in req->resp; nothing reaches nginx until
 * resp_finish(), so an error found late can still change the status.  The
 * exception is streaming: resp_sse_begin() sends the headers and each
 * resp_sse_event() is written and flushed at once.
 */
#ifndef PLC_HTTP_RESPONSE_H
#define PLC_HTTP_RESPONSE_H

#include <json-c/json.h>
#include <stdbool.h>

#include "db/status.h"

struct request;

/* Returns the reason phrase for an HTTP status ("Not Found"). */
const char *http_reason(int status);

/* Adds a response header.  Returns false (and adds nothing) when the name
 * is not a token or the value holds CR, LF or NUL. */
bool resp_header(struct request *req, const char *name, const char *value) __attribute__((nonnull));

/* Returns true when the response already has this header (any case). */
bool resp_has_header(const struct request *req, const char *name) __attribute__((nonnull));

/* Sets the status and a JSON body; takes ownership of obj (puts it). */
void resp_json(struct request *req, int status, json_object *obj) __attribute__((nonnull));

/* Sets the status and the error envelope
 * {"error":{"code":code,"message":...,"request_id":...}} (plus
 * conversation_id and question_id when req->resp.error_conversation_id and
 * error_question_id are set), replacing any body built so far.  On a
 * started stream it sends an `error` event with the same envelope. */
void resp_error(struct request *req, int status, const char *code, const char *fmt, ...)
    __attribute__((nonnull, format(printf, 4, 5)));

/* Sets the 503 db_unavailable error every handler uses when a query
 * failed because the database is unreachable. */
void resp_db_unavailable(struct request *req) __attribute__((nonnull));

/* Answers a db function's outcome, one table for every handler: DB_OK
 * writes nothing and returns true; otherwise the error is set and false
 * returned: DB_NOT_FOUND 404 not_found with the message not_found (e.g.
 * "no such message"; another user's resource is one too), DB_CONFLICT
 * 409 conflict, DB_INVALID 400 invalid, DB_ERROR the 503 of
 * resp_db_unavailable().  A handler with its own code for a conflict
 * (already_resolved, ...) answers that one before calling this. */
bool resp_db_status(struct request *req, enum db_status st, const char *not_found)
    __attribute__((nonnull));

/* Starts a text/event-stream response: sends the headers now. Returns
 * false when the client is gone. */
bool resp_sse_begin(struct request *req) __attribute__((nonnull));

/* Sends one event (data may hold newlines) and flushes it.  Returns false
 * when the client is gone; the handler should then stop. */
bool resp_sse_event(struct request *req, const char *event, const char *data)
    __attribute__((nonnull));

/* Sends a JSON object as an event's data; takes ownership of obj. */
bool resp_sse_json(struct request *req, const char *event, json_object *obj)
    __attribute__((nonnull));

/* Sends whatever is not yet sent.  A response with no status becomes a
 * 500 error.  Safe to call twice.  A streamed response is flushed; any
 * other is left in the I/O's buffer for the server to end the request
 * with (src/server/worker.c). */
void resp_finish(struct request *req) __attribute__((nonnull));

#endif
