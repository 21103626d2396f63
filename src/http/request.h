/*
 * struct request: one HTTP request as FastCGI hands it over, and
 * everything allocated while serving it.
 *
 * The request owns an arena (parsed strings, parameter arrays), the body
 * buffer, the parsed JSON body and the response being built; request_free()
 * releases all of it.  Handlers never free what they get from here.
 *
 * I/O goes through struct req_io so that the same code runs over libfcgi
 * streams in a worker and over memory buffers in the unit tests.
 */
#ifndef PLC_HTTP_REQUEST_H
#define PLC_HTTP_REQUEST_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"

struct config;
struct db;
struct route;

struct req_io {
    /* Reads up to n body bytes into dst: count, 0 at end, -1 on error. */
    long (*read)(void *ctx, char *dst, size_t n);
    /* Writes n bytes; false when the client is gone. */
    bool (*write)(void *ctx, const char *src, size_t n);
    /* Pushes written bytes to nginx now; false when the client is gone. */
    bool (*flush)(void *ctx);
    void *ctx;
};

/* A name/value pair; both strings live in the request's arena. */
struct param {
    const char *name;
    const char *value;
};

struct response {
    int status;         /* 0 until set: resp_finish() then sends 500 */
    struct buf headers; /* "Name: value\r\n" lines, validated */
    struct buf body;
    bool started;     /* headers sent (streaming) */
    bool finished;    /* resp_finish() ran */
    bool client_gone; /* a write or flush failed */
    bool content_type_set;
    /* When set, an error's envelope names them too: the request got as far
     * as saving a question, and a retry should continue there. */
    const char *error_conversation_id, *error_question_id;
};

struct request {
    struct arena arena;
    const struct config *cfg; /* borrowed; outlives the request */
    struct db *db;            /* the worker's connection, borrowed; may be NULL */
    struct req_io io;

    const char *method;   /* "GET", ... */
    const char *path;     /* percent-decoded path, no query */
    const char *raw_path; /* path as sent */
    const char *query;    /* raw query string, "" when none */
    const char *request_id;
    const char *remote_addr;
    const char *content_type; /* NULL when absent */
    int64_t content_length;   /* -1 when absent */

    struct param *headers; /* lower-case names, '-' separated */
    size_t nheaders;
    struct param *query_params;
    size_t nquery;
    struct param *cookies;
    size_t ncookies;
    struct param *route_params;
    size_t nroute;

    struct buf body;
    bool body_read;
    json_object *json; /* parsed body, owned (json_object_put) */

    struct response resp;
    const struct route *route; /* the matched route, NULL before routing */
    int64_t start_ms;
    void *user; /* set by the auth layer; NULL = anonymous */
};

/* Prepares req for parsing: zeroes it and records cfg, db and io. */
void request_init(struct request *req, const struct config *cfg, struct db *db,
                  const struct req_io *io) __attribute__((nonnull(1, 2, 4)));

/* Parses the FastCGI environment (NAME=value strings, NULL-terminated):
 * method, path, query parameters, headers, cookies, request id.  Returns
 * true when the request is well-formed; otherwise sets a 400 error
 * response and returns false. */
bool request_parse(struct request *req, const char *const *envp) __attribute__((nonnull));

/* Returns the header value (name in lower case, e.g. "content-type"), the
 * first query parameter, the cookie, or the route parameter with this
 * name; NULL when absent.  The result lives in the request's arena. */
const char *request_header(const struct request *req, const char *name) __attribute__((nonnull));
const char *request_query(const struct request *req, const char *name) __attribute__((nonnull));
const char *request_cookie(const struct request *req, const char *name) __attribute__((nonnull));
const char *request_param(const struct request *req, const char *name) __attribute__((nonnull));

/* Reads the body (once) into req->body, refusing more than the configured
 * limit.  Returns true on success; on failure sets a 413 or 400 error and
 * returns false. */
bool request_read_body(struct request *req) __attribute__((nonnull));

/* Streams the body to sink in chunks, never holding it whole: refuses a
 * declared or actual length above limit (413) and a body shorter than its
 * Content-Length (400).  sink returns false to abort (it has set the
 * error response, e.g. 500 for a full disk).  Returns true when the whole
 * body went to sink. */
bool request_stream_body(struct request *req, size_t limit,
                         bool (*sink)(void *ctx, const char *data, size_t n), void *ctx)
    __attribute__((nonnull(1, 3)));

/* Reads and parses a JSON object body into req->json.  Returns it (owned
 * by the request), or NULL after setting a 415, 413 or 400 error response
 * (wrong content type, too large, malformed, invalid UTF-8, nested too
 * deeply, not an object). */
json_object *request_json(struct request *req) __attribute__((nonnull));

/* Parsers shared with the fuzz targets.  Each appends pairs allocated in
 * arena to *out (count in *n) and returns false on malformed input. */
bool parse_query_string(struct arena *arena, const char *s, struct param **out, size_t *n)
    __attribute__((nonnull, warn_unused_result));
bool parse_cookie_header(struct arena *arena, const char *s, struct param **out, size_t *n)
    __attribute__((nonnull, warn_unused_result));

/* Parses a JSON text of n bytes into an object (caller puts it), or returns
 * NULL and a static message in *why. */
json_object *parse_json_object(const char *s, size_t n, const char **why)
    __attribute__((nonnull, warn_unused_result));

/* Returns the client's address (nginx's REMOTE_ADDR, which the realip
 * module derives from X-Forwarded-For behind the ALB) when it is a valid
 * IPv4 or IPv6 address, else NULL.  Safe to pass as an inet parameter. */
const char *request_client_ip(const struct request *req) __attribute__((nonnull));

/* Returns the path to write in logs: the matched route's pattern when
 * the path holds a secret (ROUTE_SECRET_PATH), else the path as sent. */
const char *request_log_path(const struct request *req) __attribute__((nonnull));

/* Releases everything the request owns. */
void request_free(struct request *req);

#endif
