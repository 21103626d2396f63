/* Tests for http/validate: the body readers (optional bodies, integers,
 * text counted in characters, sets of words) and the query readers
 * (unknown and repeated parameters, integers, enums, calendar dates). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "tap/basic.h"
#include "tap/memio.h"
#include "util/cfg.h"

static struct config cfg;

struct fixture {
    struct request req;
    struct memio io;
    char uri[512], query[512], clen[64];
    const char *env[8];
};

/* Starts a request: GET with query (may be NULL) when body is NULL, else
 * a POST of body as application/json. */
static void start(struct fixture *f, const char *query, const char *body)
{
    struct req_io io;
    size_t n = 0;

    memset(f, 0, sizeof(*f));
    snprintf(f->uri, sizeof(f->uri), "REQUEST_URI=/x%s%s", query ? "?" : "", query ? query : "");
    snprintf(f->query, sizeof(f->query), "QUERY_STRING=%s", query ? query : "");
    f->env[n++] = body ? "REQUEST_METHOD=POST" : "REQUEST_METHOD=GET";
    f->env[n++] = f->uri;
    f->env[n++] = f->query;
    if (body != NULL) {
        snprintf(f->clen, sizeof(f->clen), "CONTENT_LENGTH=%zu", strlen(body));
        f->env[n++] = "CONTENT_TYPE=application/json";
        f->env[n++] = f->clen;
    }
    f->env[n] = NULL;
    memio_init(&f->io, body, &io);
    request_init(&f->req, &cfg, NULL, &io);
    if (!request_parse(&f->req, f->env))
        bail("request_parse failed for %s", f->uri);
}

static void finish(struct fixture *f)
{
    request_free(&f->req);
    memio_free(&f->io);
}

/* Returns "status code" of the response so far, e.g. "400 invalid_field",
 * or "0" when none was set (static buffer). */
static const char *outcome(struct fixture *f)
{
    static char s[96];
    json_object *o, *e, *c;

    if (f->req.resp.status == 0)
        return "0";
    o = json_tokener_parse(buf_str(&f->req.resp.body));
    if (o && json_object_object_get_ex(o, "error", &e) && json_object_object_get_ex(e, "code", &c))
        snprintf(s, sizeof(s), "%d %s", f->req.resp.status, json_object_get_string(c));
    else
        snprintf(s, sizeof(s), "%d", f->req.resp.status);
    json_object_put(o);
    return s;
}

static void test_body_optional(void)
{
    struct fixture f;
    struct req_io io;
    const char *env[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/x", NULL};
    const char *textenv[] = {"REQUEST_METHOD=POST", "REQUEST_URI=/x", "CONTENT_TYPE=text/plain",
                             "CONTENT_LENGTH=2", NULL};
    json_object *o;

    memio_init(&f.io, NULL, &io);
    request_init(&f.req, &cfg, NULL, &io);
    if (!request_parse(&f.req, env))
        bail("parse");
    o = body_optional(&f.req);
    ok(o != NULL && json_object_object_length(o) == 0, "no body at all reads as {}");
    finish(&f);

    memio_init(&f.io, "hi", &io);
    request_init(&f.req, &cfg, NULL, &io);
    if (!request_parse(&f.req, textenv))
        bail("parse");
    ok(body_optional(&f.req) == NULL, "a body of another type is still refused");
    is_string("415 unsupported_media_type", outcome(&f), "with 415");
    finish(&f);

    start(&f, NULL, "{\"a\":1}");
    o = body_optional(&f.req);
    ok(o != NULL && json_object_object_length(o) == 1, "a JSON body is parsed as usual");
    finish(&f);
}

static void test_body_int(void)
{
    struct fixture f;
    int64_t v = -7;
    bool present;

    start(&f, NULL,
          "{\"n\":30,\"f\":1.5,\"s\":\"3\",\"b\":true,\"z\":null,"
          "\"big\":99999999999999999999999,\"neg\":-1}");
    ok(body_int(&f.req, f.req.json ? f.req.json : request_json(&f.req), "n", 1, 365, &v, &present)
           && present && v == 30,
       "an integer in range");
    v = -7;
    ok(body_int(&f.req, f.req.json, "absent", 1, 365, &v, &present) && !present && v == -7,
       "absent: untouched, not present");
    ok(body_int(&f.req, f.req.json, "z", 1, 365, &v, &present) && !present,
       "null counts as absent");
    ok(!body_int(&f.req, f.req.json, "f", 1, 365, &v, &present), "a fraction is refused");
    is_string("400 invalid_field", outcome(&f), "with 400 invalid_field");
    ok(!body_int(&f.req, f.req.json, "s", 1, 365, &v, &present), "a string is refused");
    ok(!body_int(&f.req, f.req.json, "b", 1, 365, &v, &present), "a boolean is refused");
    ok(!body_int(&f.req, f.req.json, "big", 1, 365, &v, &present), "a huge number is refused");
    ok(!body_int(&f.req, f.req.json, "neg", 1, 365, &v, &present), "below the minimum is refused");
    finish(&f);
}

static void test_body_text(void)
{
    struct fixture f;
    const char *s;
    char body[2048];
    size_t i, n = 0;

    start(&f, NULL,
          "{\"t\":\"Team norms\",\"nl\":\"a\\nb\",\"ctl\":\"a\\u0001b\","
          "\"del\":\"a\\u007fb\",\"e\":\"\",\"n\":5}");
    ok(body_text(&f.req, request_json(&f.req), "t", 1, 200, false, true, &s)
           && strcmp(s, "Team norms") == 0,
       "plain text");
    ok(!body_text(&f.req, f.req.json, "nl", 0, 200, false, false, &s),
       "a newline in a single-line field is refused");
    ok(body_text(&f.req, f.req.json, "nl", 0, 200, true, false, &s), "but allowed in multiline");
    ok(!body_text(&f.req, f.req.json, "ctl", 0, 200, true, false, &s),
       "other control characters are refused even in multiline");
    ok(!body_text(&f.req, f.req.json, "del", 0, 200, true, false, &s), "and DEL");
    ok(body_text(&f.req, f.req.json, "e", 0, 200, false, false, &s) && s && *s == '\0',
       "empty allowed when min is 0");
    ok(!body_text(&f.req, f.req.json, "e", 1, 200, false, false, &s), "not when min is 1");
    ok(!body_text(&f.req, f.req.json, "n", 0, 200, false, false, &s), "a number is refused");
    ok(body_text(&f.req, f.req.json, "absent", 0, 200, false, false, &s) && s == NULL,
       "absent and optional: NULL");
    ok(!body_text(&f.req, f.req.json, "absent", 0, 200, false, true, &s), "absent and required");
    is_string("400 missing_field", outcome(&f), "with 400 missing_field");
    finish(&f);

    /* \u0000 never reaches a field: the whole body is refused (util/json). */
    start(&f, NULL, "{\"nul\":\"a\\u0000b\"}");
    ok(request_json(&f.req) == NULL, "so is \\u0000: the body is refused");
    is_string("400 malformed_json", outcome(&f), "with 400 malformed_json");
    finish(&f);

    /* 200 two-byte characters (400 bytes) fit a 200-character limit;
     * 201 do not. */
    n += (size_t)snprintf(body + n, sizeof(body) - n, "{\"ok\":\"");
    for (i = 0; i < 200; i++)
        n += (size_t)snprintf(body + n, sizeof(body) - n, "\xc3\xa9");
    n += (size_t)snprintf(body + n, sizeof(body) - n, "\",\"over\":\"\xc3\xa9");
    for (i = 0; i < 200; i++)
        n += (size_t)snprintf(body + n, sizeof(body) - n, "\xc3\xa9");
    snprintf(body + n, sizeof(body) - n, "\"}");
    start(&f, NULL, body);
    ok(body_text(&f.req, request_json(&f.req), "ok", 0, 200, false, false, &s),
       "200 characters of 2 bytes fit 200");
    ok(!body_text(&f.req, f.req.json, "over", 0, 200, false, false, &s), "201 do not");
    finish(&f);
}

static void test_body_string_set(void)
{
    static const char *const words[] = {"inaccurate", "incomplete", "other", NULL};
    struct fixture f;
    const char **out;
    size_t n;
    bool present;

    start(&f, NULL,
          "{\"a\":[\"other\",\"inaccurate\"],\"e\":[],\"dup\":[\"other\",\"other\"],"
          "\"bad\":[\"rude\"],\"num\":[1],\"str\":\"other\",\"many\":[\"other\",\"other\","
          "\"other\",\"other\"]}");
    ok(body_string_set(&f.req, request_json(&f.req), "a", words, &out, &n, &present) && present
           && n == 2 && out[0] == words[2] && out[1] == words[0],
       "allowed words, in the order sent, pointing into the table");
    ok(body_string_set(&f.req, f.req.json, "e", words, &out, &n, &present) && present && n == 0,
       "an empty array");
    ok(body_string_set(&f.req, f.req.json, "absent", words, &out, &n, &present) && !present
           && n == 0,
       "absent");
    ok(!body_string_set(&f.req, f.req.json, "dup", words, &out, &n, &present),
       "a repeated word is refused");
    ok(!body_string_set(&f.req, f.req.json, "many", words, &out, &n, &present),
       "more items than words is refused");
    ok(!body_string_set(&f.req, f.req.json, "bad", words, &out, &n, &present),
       "an unknown word is refused");
    is_string("400 invalid_field", outcome(&f), "with 400 invalid_field");
    ok(!body_string_set(&f.req, f.req.json, "num", words, &out, &n, &present),
       "a number in the array is refused");
    ok(!body_string_set(&f.req, f.req.json, "str", words, &out, &n, &present),
       "a bare string is refused");
    finish(&f);
}

static void test_query(void)
{
    static const char *const allowed[] = {"limit", "archived", "from", NULL};
    static const char *const modes[] = {"false", "true", "all", NULL};
    struct fixture f;
    int64_t v;
    const char *e;
    char date[11];
    bool present;

    start(&f, "limit=5&archived=all&from=2024-02-29", NULL);
    ok(query_only_params(&f.req, allowed), "known parameters pass");
    ok(query_int(&f.req, "limit", 1, 100, 20, &v) && v == 5, "limit=5");
    ok(query_enum(&f.req, "archived", modes, "false", &e) && strcmp(e, "all") == 0, "archived=all");
    ok(query_date(&f.req, "from", date, &present) && present && strcmp(date, "2024-02-29") == 0,
       "29 February of a leap year");
    ok(query_int(&f.req, "absent", 1, 100, 20, &v) && v == 20, "absent integer: the default");
    ok(query_enum(&f.req, "absent", modes, "false", &e) && strcmp(e, "false") == 0,
       "absent enum: the default");
    ok(query_date(&f.req, "to", date, &present) && !present && date[0] == '\0',
       "absent date: not present");
    finish(&f);

    start(&f, "limit=5&sort=asc", NULL);
    ok(!query_only_params(&f.req, allowed), "an unknown parameter is refused");
    is_string("400 invalid_parameter", outcome(&f), "with 400 invalid_parameter");
    finish(&f);
    start(&f, "limit=5&limit=6", NULL);
    ok(!query_only_params(&f.req, allowed), "a repeated parameter is refused");
    finish(&f);

    {
        static const char *const bad_ints[] = {"0", "101", "", "5x", "-1", "1e2", " 5", NULL};
        static const char *const bad_dates[] = {
            "2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31",       "0000-01-01",
            "2024-1-01",  "2024/01/01", "20240101",   "2024-01-01T00:00", "2024-01-01 ",
            "",           "yesterday",  NULL};
        const char *const *b;
        char q[128];
        bool all = true;

        for (b = bad_ints; *b != NULL; b++) {
            snprintf(q, sizeof(q), "limit=%s", *b);
            start(&f, q, NULL);
            if (query_int(&f.req, "limit", 1, 100, 20, &v)
                || strcmp(outcome(&f), "400 invalid_parameter") != 0) {
                diag("limit=%s was accepted", *b);
                all = false;
            }
            finish(&f);
        }
        ok(all, "bad limits are refused: 0, 101, empty, 5x, -1, 1e2, leading space");
        all = true;
        for (b = bad_dates; *b != NULL; b++) {
            snprintf(q, sizeof(q), "from=%s", *b);
            start(&f, q, NULL);
            if (query_date(&f.req, "from", date, &present)) {
                diag("from=%s was accepted", *b);
                all = false;
            }
            finish(&f);
        }
        ok(all, "bad dates are refused (not a day, wrong shape, trailing bytes)");
    }
    start(&f, "from=2000-02-29&to=9999-12-31&a=1900-02-29", NULL);
    ok(query_date(&f.req, "from", date, &present) && present, "2000 was a leap year");
    ok(query_date(&f.req, "to", date, &present) && present, "9999-12-31 is the last day");
    ok(!query_date(&f.req, "a", date, &present), "1900 was not a leap year");
    finish(&f);
    start(&f, "archived=TRUE", NULL);
    ok(!query_enum(&f.req, "archived", modes, "false", &e), "enums are case-sensitive");
    finish(&f);
}

int main(void)
{
    char err[256];

    if (!config_load(&cfg, err, sizeof(err)))
        bail("config: %s", err);
    plan(53);
    test_body_optional();
    test_body_int();
    test_body_text();
    test_body_string_set();
    test_query();
    config_free(&cfg);
    return 0;
}
