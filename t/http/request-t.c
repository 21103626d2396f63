/* Tests for http/request: the FastCGI environment, query strings,
 * percent-decoding, cookies, headers and JSON bodies. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "http/response.h"
#include "tap/basic.h"
#include "tap/memio.h"
#include "util/cfg.h"

static struct config cfg;

struct fixture {
    struct request req;
    struct memio io;
};

/* Parses env (NULL-terminated) with body; returns request_parse's result. */
static bool start(struct fixture *f, const char **env, const char *body)
{
    struct req_io io;

    memio_init(&f->io, body, &io);
    request_init(&f->req, &cfg, NULL, &io);
    return request_parse(&f->req, env);
}

static void finish(struct fixture *f)
{
    request_free(&f->req);
    memio_free(&f->io);
}

/* Returns the error code of the response body, or "" (static copy). */
static const char *error_code(struct fixture *f)
{
    static char code[64];
    json_object *o, *e, *c;

    resp_finish(&f->req);
    code[0] = '\0';
    o = json_tokener_parse(memio_body(&f->io));
    if (o && json_object_object_get_ex(o, "error", &e) && json_object_object_get_ex(e, "code", &c))
        snprintf(code, sizeof(code), "%s", json_object_get_string(c));
    json_object_put(o);
    return code;
}

static void test_env(void)
{
    struct fixture f;
    const char *env[] = {"REQUEST_METHOD=GET",
                         "REQUEST_URI=/api/conversations/caf%C3%A9%20x?limit=10&q=a+b%26c&flag",
                         "QUERY_STRING=limit=10&q=a+b%26c&flag",
                         "REQUEST_ID=0123456789abcdef",
                         "REMOTE_ADDR=10.0.0.7",
                         "HTTP_X_CSRF_TOKEN=tok",
                         "HTTP_COOKIE=__Host-plc_session=abc123; theme=\"dark\"; junk; ; a b=c",
                         "CONTENT_TYPE=application/json",
                         "NOEQUALS",
                         NULL};

    ok(start(&f, env, NULL), "a well-formed environment parses");
    is_string("GET", f.req.method, "method");
    is_string("/api/conversations/caf\xc3\xa9 x", f.req.path, "path is percent-decoded");
    is_string("/api/conversations/caf%C3%A9%20x", f.req.raw_path, "raw path kept");
    is_string("10", request_query(&f.req, "limit"), "query parameter");
    is_string("a b&c", request_query(&f.req, "q"), "query value: plus and escapes decoded");
    is_string("", request_query(&f.req, "flag"), "parameter without = is empty");
    ok(request_query(&f.req, "missing") == NULL, "absent parameter is NULL");
    is_string("tok", request_header(&f.req, "x-csrf-token"), "HTTP_X_CSRF_TOKEN -> x-csrf-token");
    is_string("application/json", request_header(&f.req, "Content-Type"),
              "header lookup ignores case");
    is_string("abc123", request_cookie(&f.req, "__Host-plc_session"), "cookie value");
    is_string("dark", request_cookie(&f.req, "theme"), "quoted cookie value unquoted");
    ok(request_cookie(&f.req, "junk") == NULL && request_cookie(&f.req, "a b") == NULL,
       "malformed cookie pairs are skipped, not fatal");
    is_string("0123456789abcdef", f.req.request_id, "request id from nginx");
    is_string("10.0.0.7", f.req.remote_addr, "remote address");
    finish(&f);
}

static void test_bad_env(void)
{
    struct fixture f;
    const char *badid[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/health", "REQUEST_ID=evil\"id",
                           NULL};
    const char *slash[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/api/a%2Fb", NULL};
    const char *nul[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/api/a%00b", NULL};
    const char *utf[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/api/%C0%AF", NULL};
    const char *query[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/health?x=%zz", "QUERY_STRING=x=%zz",
                           NULL};
    const char *emptykey[] = {"REQUEST_METHOD=GET", "REQUEST_URI=/health?=1", "QUERY_STRING==1",
                              NULL};
    const char *method[] = {"REQUEST_METHOD=get;", "REQUEST_URI=/", NULL};
    const char *clen[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/", "CONTENT_LENGTH=12x", NULL};

    ok(start(&f, badid, NULL), "a request with a malformed id still parses");
    ok(strlen(f.req.request_id) == 32 && strchr(f.req.request_id, '"') == NULL,
       "a malformed request id is replaced by a generated one");
    finish(&f);

    ok(!start(&f, slash, NULL), "encoded slash in the path refused");
    is_string("bad_request", error_code(&f), "with a 400 envelope");
    is_int(400, f.req.resp.status, "status 400");
    finish(&f);
    ok(!start(&f, nul, NULL), "encoded NUL in the path refused");
    finish(&f);
    ok(!start(&f, utf, NULL), "invalid UTF-8 in the path refused");
    finish(&f);
    ok(!start(&f, query, NULL), "malformed query escape refused");
    is_string("bad_query", error_code(&f), "with code bad_query");
    finish(&f);
    ok(!start(&f, emptykey, NULL), "empty query key refused");
    finish(&f);
    ok(!start(&f, method, NULL), "malformed method refused");
    finish(&f);
    ok(!start(&f, clen, NULL), "malformed Content-Length refused");
    finish(&f);
}

/* Builds a POST environment with the given content type and length. */
static void post_env(const char **env, const char *ctype, const char *clen)
{
    env[0] = "REQUEST_METHOD=POST";
    env[1] = "REQUEST_URI=/api/client-errors";
    env[2] = ctype;
    env[3] = clen;
    env[4] = NULL;
}

/* Posts body as JSON; returns the status it was refused with, or 0 when
 * request_json() accepted it. */
static int json_refusal(const char *body)
{
    struct fixture f;
    const char *env[5];
    char clen[64];
    int status;

    snprintf(clen, sizeof(clen), "CONTENT_LENGTH=%zu", strlen(body));
    post_env(env, "CONTENT_TYPE=application/json", clen);
    start(&f, env, body);
    status = request_json(&f.req) == NULL ? f.req.resp.status : 0;
    finish(&f);
    return status;
}

static void test_json(void)
{
    struct fixture f;
    const char *env[5];
    char clen[64];
    const char *body;
    json_object *o;

    body = "{\"message\":\"hi\",\"n\":[1,2]}";
    snprintf(clen, sizeof(clen), "CONTENT_LENGTH=%zu", strlen(body));
    post_env(env, "CONTENT_TYPE=application/json; charset=utf-8", clen);
    start(&f, env, body);
    o = request_json(&f.req);
    ok(o != NULL && json_object_is_type(o, json_type_object), "a JSON object body parses");
    ok(request_json(&f.req) == o, "parsing twice returns the same object");
    finish(&f);

    post_env(env, "CONTENT_TYPE=text/plain", clen);
    start(&f, env, body);
    ok(request_json(&f.req) == NULL, "wrong content type refused");
    is_int(415, f.req.resp.status, "with 415");
    finish(&f);

    body = "{\"message\": ";
    snprintf(clen, sizeof(clen), "CONTENT_LENGTH=%zu", strlen(body));
    post_env(env, "CONTENT_TYPE=application/json", clen);
    start(&f, env, body);
    ok(request_json(&f.req) == NULL, "truncated JSON refused");
    is_string("malformed_json", error_code(&f), "with malformed_json");
    is_int(400, f.req.resp.status, "and 400");
    finish(&f);

    is_int(400, json_refusal("[1,2,3]"), "a JSON array is refused (objects only) (400)");
    is_int(400, json_refusal("{\"a\":1} {\"b\":2}"),
           "trailing bytes after the object refused (400)");
    is_int(400, json_refusal("{\"a\":'single'}"),
           "non-standard JSON (single quotes) refused (400)");
    is_int(400, json_refusal("{\"a\":\"\xff\"}"), "invalid UTF-8 refused (400)");
    /* json-c 0.16 reads these even in strict mode. */
    is_int(400, json_refusal("{'a':1}"), "a key in single quotes refused (400)");
    is_int(400, json_refusal("{'k\"':\"x\\u0000y\"}"),
           "a single-quoted key holding \" cannot hide a NUL value (400)");
    is_int(400, json_refusal("{\"a\":NaN}"), "NaN refused (400)");
    is_int(400, json_refusal("{\"a\":[1,{\"b\":-Infinity}]}"), "a nested -Infinity refused (400)");
    is_int(400, json_refusal("{\"a\":1e999}"), "a number too large for a double refused (400)");
    is_int(0, json_refusal("{\"it's\":\"don't\",\"n\":[1.5,-2e3]}"),
           "single quotes inside strings, and finite numbers, are accepted (no refusal)");

    {
        /* An object holding 60 nested arrays: deeper than the limit of 32. */
        char deep[128];
        size_t i;
        memcpy(deep, "{\"a\":", 5);
        for (i = 0; i < 60; i++)
            deep[5 + i] = '[';
        deep[65] = '\0';
        snprintf(clen, sizeof(clen), "CONTENT_LENGTH=%zu", strlen(deep));
        post_env(env, "CONTENT_TYPE=application/json", clen);
        start(&f, env, deep);
        ok(request_json(&f.req) == NULL, "nesting beyond the depth limit refused");
        is_string("malformed_json", error_code(&f), "with a malformed_json 400");
        finish(&f);
    }

    body = "";
    post_env(env, "CONTENT_TYPE=application/json", "CONTENT_LENGTH=0");
    start(&f, env, body);
    ok(request_json(&f.req) == NULL, "empty body refused");
    finish(&f);

    {
        /* NUL written as \u0000: json-c keeps it, C strings end there. */
        static const char *const nul[] = {
            "{\"password\":\"right\\u0000anything\"}",
            "{\"a\":[\"x\",{\"b\":\"\\u0000\"}]}",
            "{\"pass\\u0000word\":\"x\"}",
            "{\"a\":\"\\\\\\u0000\"}",
        };
        static const char *const what[] = {"NUL in a string value refused",
                                           "NUL in a nested value refused", "NUL in a key refused",
                                           "NUL after an escaped backslash refused"};
        size_t i;
        for (i = 0; i < sizeof(nul) / sizeof(nul[0]); i++)
            is_int(400, json_refusal(nul[i]), "%s (400)", what[i]);
        body = "{\"a\":\"\\\\u0000 and \\u0001\"}";
        snprintf(clen, sizeof(clen), "CONTENT_LENGTH=%zu", strlen(body));
        post_env(env, "CONTENT_TYPE=application/json", clen);
        start(&f, env, body);
        o = request_json(&f.req);
        ok(o != NULL, "an escaped backslash before u0000, and \\u0001, are not NUL: accepted");
        finish(&f);
    }
}

static void test_body_limits(void)
{
    struct fixture f;
    const char *env[5];
    char clen[64], *big;
    size_t n = (size_t)cfg.max_body_bytes + 1;

    big = malloc(n + 1);
    memset(big, 'x', n);
    big[n] = '\0';

    snprintf(clen, sizeof(clen), "CONTENT_LENGTH=%zu", n);
    post_env(env, "CONTENT_TYPE=application/json", clen);
    start(&f, env, big);
    ok(!request_read_body(&f.req), "declared length over the limit refused");
    is_int(413, f.req.resp.status, "with 413");
    is_int(0, (long long)f.io.pos, "without reading the body");
    is_string("payload_too_large", error_code(&f), "code payload_too_large");
    finish(&f);

    post_env(env, "CONTENT_TYPE=application/json", NULL);
    env[3] = NULL;
    start(&f, env, big);
    ok(!request_read_body(&f.req), "an undeclared body over the limit refused while reading");
    is_int(413, f.req.resp.status, "also 413");
    finish(&f);

    post_env(env, "CONTENT_TYPE=application/json", "CONTENT_LENGTH=10");
    start(&f, env, "short");
    ok(!request_read_body(&f.req), "a body shorter than Content-Length is refused");
    is_int(400, f.req.resp.status, "with 400");
    finish(&f);
    free(big);
}

static void test_parsers(void)
{
    struct arena a = ARENA_INIT;
    struct param *p = NULL;
    size_t n = 0, i;
    struct buf many = BUF_INIT;

    ok(parse_query_string(&a, "a=1&&b=2&", &p, &n) && n == 2, "empty pairs are ignored");
    for (i = 0; i < 300; i++)
        buf_printf(&many, "k%zu=v&", i);
    p = NULL;
    n = 0;
    ok(!parse_query_string(&a, buf_str(&many), &p, &n), "more than 256 parameters refused");
    buf_reset(&many);
    for (i = 0; i < 300; i++)
        buf_printf(&many, "c%zu=v; ", i);
    p = NULL;
    n = 0;
    ok(!parse_cookie_header(&a, buf_str(&many), &p, &n), "more than 256 cookies refused");
    p = NULL;
    n = 0;
    ok(parse_cookie_header(&a, "a=1;b=2", &p, &n) && n == 2 && strcmp(p[1].name, "b") == 0
           && strcmp(p[1].value, "2") == 0,
       "cookies without spaces after ; parse");
    buf_free(&many);
    arena_free(&a);
}

int main(void)
{
    char err[256];

    unsetenv("PLCCOACH_MAX_BODY_BYTES");
    if (!config_load(&cfg, err, sizeof(err)))
        bail("config: %s", err);
    cfg.max_body_bytes = 4096;
    plan(0);
    test_env();
    test_bad_env();
    test_json();
    test_body_limits();
    test_parsers();
    config_free(&cfg);
    return 0;
}
