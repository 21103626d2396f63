/*
 * Response building and writing; see response.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/request.h"
#include "http/response.h"
#include "util/buf.h"
#include "util/log.h"

const char *http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    }
    return "Unknown";
}

static bool valid_header_name(const char *s)
{
    size_t i;

    for (i = 0; s[i] != '\0'; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_'))
            return false;
    return i > 0;
}

bool resp_header(struct request *req, const char *name, const char *value)
{
    if (!valid_header_name(name) || strpbrk(value, "\r\n") != NULL) {
        log_warn("refused an invalid response header %s", name);
        return false;
    }
    if (strcasecmp(name, "Content-Type") == 0)
        req->resp.content_type_set = true;
    buf_printf(&req->resp.headers, "%s: %s\r\n", name, value);
    return true;
}

bool resp_has_header(const struct request *req, const char *name)
{
    const char *line = buf_str(&req->resp.headers);
    size_t n = strlen(name);

    while (*line != '\0') {
        if (strncasecmp(line, name, n) == 0 && line[n] == ':')
            return true;
        line = strstr(line, "\r\n");
        if (line == NULL)
            break;
        line += 2;
    }
    return false;
}

void resp_json(struct request *req, int status, json_object *obj)
{
    size_t len = 0;
    const char *text = json_object_to_json_string_length(
        obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);

    req->resp.status = status;
    buf_reset(&req->resp.body);
    buf_append(&req->resp.body, text, len);
    if (!req->resp.content_type_set)
        resp_header(req, "Content-Type", "application/json");
    json_object_put(obj);
}

void resp_error(struct request *req, int status, const char *code, const char *fmt, ...)
{
    struct buf msg = BUF_INIT;
    json_object *err, *env;
    va_list ap;

    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);

    err = json_object_new_object();
    json_object_object_add(err, "code", json_object_new_string(code));
    json_object_object_add(err, "message", json_object_new_string(buf_str(&msg)));
    json_object_object_add(err, "request_id",
                           json_object_new_string(req->request_id ? req->request_id : ""));
    if (req->resp.error_conversation_id != NULL)
        json_object_object_add(err, "conversation_id",
                               json_object_new_string(req->resp.error_conversation_id));
    if (req->resp.error_question_id != NULL)
        json_object_object_add(err, "question_id",
                               json_object_new_string(req->resp.error_question_id));
    env = json_object_new_object();
    json_object_object_add(env, "error", err);
    buf_free(&msg);

    if (status >= 500)
        LOG_FIELDS(LOG_ERROR, "error response", LF_INT("status", status), LF_STR("code", code));
    if (req->resp.started) {
        resp_sse_json(req, "error", env);
        return;
    }
    resp_json(req, status, env);
}

void resp_db_unavailable(struct request *req)
{
    (void)resp_db_status(req, DB_ERROR, "");
}

bool resp_db_status(struct request *req, enum db_status st, const char *not_found)
{
    static const struct {
        int http;
        const char *code, *message; /* NULL message: the caller's not_found */
    } table[] = {
        [DB_OK] = {0, NULL, NULL},
        [DB_NOT_FOUND] = {404, "not_found", NULL},
        [DB_ERROR] = {503, "db_unavailable", "the database is unavailable; try again shortly"},
        [DB_CONFLICT] = {409, "conflict", "the resource's state does not allow this"},
        [DB_INVALID] = {400, "invalid", "this cannot be done to that resource"},
    };

    if (st == DB_OK)
        return true;
    if ((size_t)st >= sizeof(table) / sizeof(table[0]))
        st = DB_ERROR;
    resp_error(req, table[st].http, table[st].code, "%s",
               table[st].message ? table[st].message : not_found);
    return false;
}

/* Writes n bytes through the request's I/O; remembers a gone client. */
static bool out(struct request *req, const char *s, size_t n)
{
    if (req->resp.client_gone)
        return false;
    if (n > 0 && !req->io.write(req->io.ctx, s, n)) {
        req->resp.client_gone = true;
        return false;
    }
    return true;
}

/* Sends the status line and headers (FastCGI "Status:" form). */
static bool send_head(struct request *req)
{
    struct buf head = BUF_INIT;
    bool ok;

    if (!resp_has_header(req, "Cache-Control"))
        resp_header(req, "Cache-Control", "no-store");
    buf_printf(&head, "Status: %d %s\r\n", req->resp.status, http_reason(req->resp.status));
    buf_append(&head, buf_str(&req->resp.headers), req->resp.headers.len);
    buf_puts(&head, "\r\n");
    ok = out(req, head.data, head.len);
    buf_free(&head);
    req->resp.started = true;
    return ok;
}

bool resp_sse_begin(struct request *req)
{
    if (req->resp.started)
        return !req->resp.client_gone;
    req->resp.status = 200;
    resp_header(req, "Content-Type", "text/event-stream; charset=utf-8");
    resp_header(req, "X-Accel-Buffering", "no");
    if (!send_head(req))
        return false;
    if (!req->io.flush(req->io.ctx)) {
        req->resp.client_gone = true;
        return false;
    }
    return true;
}

bool resp_sse_event(struct request *req, const char *event, const char *data)
{
    struct buf ev = BUF_INIT;
    const char *line = data;
    bool ok;

    if (!req->resp.started && !resp_sse_begin(req))
        return false;
    if (strpbrk(event, "\r\n") != NULL)
        event = "message";
    buf_printf(&ev, "event: %s\n", event);
    for (;;) {
        size_t n = strcspn(line, "\r\n");
        buf_puts(&ev, "data: ");
        buf_append(&ev, line, n);
        buf_putc(&ev, '\n');
        line += n;
        if (*line == '\0')
            break;
        line += (line[0] == '\r' && line[1] == '\n') ? 2 : 1;
    }
    buf_putc(&ev, '\n');
    ok = out(req, ev.data, ev.len);
    buf_free(&ev);
    if (ok && !req->io.flush(req->io.ctx)) {
        req->resp.client_gone = true;
        ok = false;
    }
    return ok;
}

bool resp_sse_json(struct request *req, const char *event, json_object *obj)
{
    bool ok = resp_sse_event(req, event,
                             json_object_to_json_string_ext(
                                 obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(obj);
    return ok;
}

void resp_finish(struct request *req)
{
    char len[32];

    if (req->resp.finished)
        return;
    req->resp.finished = true;
    if (req->resp.started) {
        req->io.flush(req->io.ctx);
        return;
    }
    if (req->resp.status == 0)
        resp_error(req, 500, "internal", "the handler produced no response");
    snprintf(len, sizeof(len), "%zu", req->resp.body.len);
    resp_header(req, "Content-Length", len);
    /* Not flushed: the server ends the request next, and libfcgi then
     * writes the response and the end records in one write (one wake-up
     * of nginx instead of two). */
    if (send_head(req) && strcmp(req->method ? req->method : "", "HEAD") != 0)
        out(req, buf_str(&req->resp.body), req->resp.body.len);
}
