/* Tests for http/response: serialisation, headers, error envelope, SSE. */
#include "config.h"

#include <string.h>

#include "http/request.h"
#include "http/response.h"
#include "tap/basic.h"
#include "tap/memio.h"
#include "util/cfg.h"

static struct config cfg;

static void begin(struct request *req, struct memio *m, const char *method)
{
    char menv[64];
    const char *env[] = {menv, "REQUEST_URI=/x", "REQUEST_ID=req-1", NULL};
    struct req_io io;

    snprintf(menv, sizeof(menv), "REQUEST_METHOD=%s", method);
    memio_init(m, NULL, &io);
    request_init(req, &cfg, NULL, &io);
    if (!request_parse(req, env))
        bail("parse failed");
}

static void end(struct request *req, struct memio *m)
{
    request_free(req);
    memio_free(m);
}

int main(void)
{
    struct request req;
    struct memio m;
    char err[256];
    json_object *o, *e, *v;

    if (!config_load(&cfg, err, sizeof(err)))
        bail("config: %s", err);
    plan(30);

    begin(&req, &m, "GET");
    o = json_object_new_object();
    json_object_object_add(o, "a", json_object_new_string("b/c"));
    resp_json(&req, 201, o);
    ok(resp_header(&req, "X-Test", "1"), "a valid header is accepted");
    resp_finish(&req);
    ok(strncmp(buf_str(&m.out), "Status: 201 Created\r\n", 21) == 0, "status line first");
    ok(strstr(buf_str(&m.out), "Content-Type: application/json\r\n") != NULL, "JSON content type");
    ok(strstr(buf_str(&m.out), "Content-Length: 11\r\n") != NULL, "content length counts the body");
    ok(strstr(buf_str(&m.out), "Cache-Control: no-store\r\n") != NULL, "API answers are no-store");
    is_string("{\"a\":\"b/c\"}", memio_body(&m), "compact JSON body, slashes unescaped");
    resp_finish(&req);
    ok(strstr(memio_body(&m), "}{") == NULL, "finishing twice writes once");
    is_int(0, m.flushes, "a whole response is left for the server to end the request with");
    end(&req, &m);

    begin(&req, &m, "GET");
    ok(!resp_header(&req, "X-Bad", "a\r\nSet-Cookie: x=1"), "CRLF in a value refused");
    ok(!resp_header(&req, "X Bad", "1"), "space in a name refused");
    ok(!resp_has_header(&req, "Set-Cookie") && !resp_has_header(&req, "X-Bad"),
       "refused headers were not added");
    resp_error(&req, 404, "not_found", "no %s here", "thing");
    resp_finish(&req);
    o = json_tokener_parse(memio_body(&m));
    ok(o && json_object_object_get_ex(o, "error", &e), "error envelope is JSON with error");
    ok(json_object_object_get_ex(e, "code", &v)
           && strcmp(json_object_get_string(v), "not_found") == 0,
       "envelope code");
    ok(json_object_object_get_ex(e, "message", &v)
           && strcmp(json_object_get_string(v), "no thing here") == 0,
       "envelope message is formatted");
    ok(json_object_object_get_ex(e, "request_id", &v)
           && strcmp(json_object_get_string(v), "req-1") == 0,
       "envelope carries the request id");
    json_object_put(o);
    end(&req, &m);

    begin(&req, &m, "GET");
    resp_finish(&req);
    ok(strncmp(buf_str(&m.out), "Status: 500", 11) == 0, "a handler that set nothing is a 500");
    end(&req, &m);

    begin(&req, &m, "GET");
    ok(resp_sse_begin(&req), "stream starts");
    ok(strstr(buf_str(&m.out), "Content-Type: text/event-stream") != NULL, "event-stream type");
    ok(resp_sse_event(&req, "delta", "line one\nline two"), "event sent");
    ok(strstr(buf_str(&m.out), "event: delta\ndata: line one\ndata: line two\n\n") != NULL,
       "multi-line data is split into data: lines");
    ok(m.flushes >= 2, "each event is flushed");
    resp_error(&req, 500, "internal", "late failure");
    ok(strstr(buf_str(&m.out), "event: error\ndata: {\"error\"") != NULL,
       "an error after the stream started becomes an error event");
    m.fail_writes = true;
    ok(!resp_sse_event(&req, "delta", "x") && req.resp.client_gone,
       "a gone client is reported to the handler");
    end(&req, &m);

    /* One table from db outcomes to HTTP. */
    begin(&req, &m, "GET");
    ok(resp_db_status(&req, DB_OK, "no such thing") && req.resp.status == 0,
       "DB_OK writes nothing and says go on");
    end(&req, &m);
    {
        static const struct {
            enum db_status st;
            int http;
            const char *code;
        } want[] = {
            {DB_NOT_FOUND, 404, "not_found"},
            {DB_CONFLICT, 409, "conflict"},
            {DB_INVALID, 400, "invalid"},
            {DB_ERROR, 503, "db_unavailable"},
        };
        size_t i;

        for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
            bool go_on;
            int status;

            begin(&req, &m, "GET");
            go_on = resp_db_status(&req, want[i].st, "no such thing");
            status = req.resp.status;
            resp_finish(&req);
            o = json_tokener_parse(memio_body(&m));
            ok(!go_on && status == want[i].http && json_object_object_get_ex(o, "error", &e)
                   && json_object_object_get_ex(e, "code", &v)
                   && strcmp(json_object_get_string(v), want[i].code) == 0,
               "db status %d is HTTP %d %s", (int)want[i].st, want[i].http, want[i].code);
            json_object_put(o);
            end(&req, &m);
        }
    }
    begin(&req, &m, "GET");
    resp_db_unavailable(&req);
    resp_finish(&req);
    ok(strstr(memio_body(&m), "\"code\":\"db_unavailable\"") != NULL
           && strncmp(buf_str(&m.out), "Status: 503", 11) == 0,
       "resp_db_unavailable is the table's DB_ERROR");
    end(&req, &m);
    begin(&req, &m, "GET");
    (void)resp_db_status(&req, DB_NOT_FOUND, "no such export");
    resp_finish(&req);
    ok(strstr(memio_body(&m), "\"message\":\"no such export\"") != NULL
           && strstr(memio_body(&m), "\"code\":\"not_found\"") != NULL,
       "a 404 says the handler's sentence");
    end(&req, &m);
    config_free(&cfg);
    return 0;
}
