/* Tests for the language-model client (llm/llm.h): the event-stream
 * parser on its own (any split, CRLF, comments, [DONE], UTF-8 across
 * feeds, oversize lines, error events), then llm_chat() against the
 * scripted stand-in t/model/stub.py started here on a free port: streaming,
 * usage, retries and Retry-After, drops before and after text, malformed
 * events, the three timeouts, cancellation both ways, the circuit breaker
 * and the bearer token. */
#include "config.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "llm/llm.h"
#include "tap/basic.h"
#include "tap/server.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/log.h"
#include "util/text.h"

static struct tap_server server;

static void stop_server(void)
{
    tap_server_stop(&server);
}

static size_t collect_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    buf_append(userdata, ptr, size * nmemb);
    return size * nmemb;
}

/* A plain request to the stand-in's control endpoints; the answer's body
 * goes to out (may be NULL). */
static void stub_http(const char *path, const char *post, struct buf *out)
{
    struct buf ignored = BUF_INIT;
    char url[128];
    CURL *h = curl_easy_init();
    long status = 0;

    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", server.port, path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    if (post != NULL)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, out != NULL ? out : &ignored);
    if (curl_easy_perform(h) != CURLE_OK)
        bail("stand-in request %s failed", path);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200)
        bail("stand-in request %s answered %ld", path, status);
    curl_easy_cleanup(h);
    buf_free(&ignored);
}

static void script(const char *responses)
{
    char *body = xasprintf("{\"responses\":[%s]}", responses);
    stub_http("/__script", body, NULL);
    free(body);
}

/* The stand-in's request log (caller json_object_put()s it). */
static json_object *requests(void)
{
    struct buf b = BUF_INIT;
    json_object *o;

    stub_http("/__requests", NULL, &b);
    o = json_tokener_parse(buf_str(&b));
    buf_free(&b);
    if (o == NULL || !json_object_is_type(o, json_type_array))
        bail("bad /__requests answer");
    return o;
}

static size_t request_count(void)
{
    json_object *o = requests();
    size_t n = json_object_array_length(o);
    json_object_put(o);
    return n;
}

/* A field of the last logged request, as a string ("" when absent or
 * null); the copy is the caller's. */
static char *last_request_field(const char *field)
{
    json_object *o = requests(), *last, *v;
    size_t n = json_object_array_length(o);
    char *s;

    last = n > 0 ? json_object_array_get_idx(o, n - 1) : NULL;
    s = xstrdup(last != NULL && json_object_object_get_ex(last, field, &v) && v != NULL
                    ? json_object_get_string(v)
                    : "");
    json_object_put(o);
    return s;
}

static void set(struct config *cfg, const char *k, const char *v)
{
    char err[200];
    if (!config_set(cfg, k, v, err, sizeof(err)))
        bail("%s", err);
}

/* ---- delta collection ------------------------------------------------- */

struct sink {
    struct buf text;
    int deltas;
    bool all_utf8;
    int stop_after; /* return false on this delta (1-based); 0 = never */
    int polls;
    int cancel_after_polls; /* cancelled() says yes from this poll; 0 = never */
    /* on_sent (sink_sent) */
    int sent_calls;
    int deltas_at_sent;   /* deltas passed on before it was called */
    size_t requests_seen; /* the stand-in's requests before the call */
    bool arrived_at_sent; /* the stand-in had logged the request by then */
    char outcome_at_sent[16];
    bool cancel_at_sent; /* on_sent says no */
    int sent_sleep_ms;   /* on_sent takes this long */
};

static bool sink_delta(void *ctx, const char *text, size_t len)
{
    struct sink *s = ctx;

    s->deltas++;
    if (len == 0 || !utf8_valid(text, len))
        s->all_utf8 = false;
    buf_append(&s->text, text, len);
    return s->stop_after == 0 || s->deltas < s->stop_after;
}

static bool sink_cancelled(void *ctx)
{
    struct sink *s = ctx;
    s->polls++;
    return s->cancel_after_polls > 0 && s->polls >= s->cancel_after_polls;
}

static size_t request_count(void);
static char *last_request_field(const char *field);

/* on_sent: records what had happened by then (the stand-in's log is
 * polled for up to 2 s: the request may still be in its socket). */
static bool sink_sent(void *ctx)
{
    struct sink *s = ctx;
    char *outcome;
    int i;

    s->sent_calls++;
    s->deltas_at_sent = s->deltas;
    for (i = 0; i < 40 && !s->arrived_at_sent; i++) {
        s->arrived_at_sent = request_count() > s->requests_seen;
        if (!s->arrived_at_sent)
            usleep(50 * 1000);
    }
    outcome = last_request_field("outcome");
    snprintf(s->outcome_at_sent, sizeof(s->outcome_at_sent), "%s", outcome);
    free(outcome);
    if (s->sent_sleep_ms > 0)
        usleep((useconds_t)s->sent_sleep_ms * 1000);
    return !s->cancel_at_sent;
}

static void sink_init(struct sink *s)
{
    memset(s, 0, sizeof(*s));
    s->all_utf8 = true;
}

/* ---- parser tests ----------------------------------------------------- */

static const char stream_lf[] =
    ": keep-alive\n\n"
    "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
    "\"content\":\"\"},\"finish_reason\":null}]}\n\n"
    "data: {\"choices\":[{\"delta\":{\"content\":\"Teams learn \"},\"finish_reason\":null}]}\n\n"
    "data: {\"choices\":[{\"delta\":{\"content\":\"caf\\u00e9 \xe2\x80\x94 together\"}}]}\n\n"
    "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":7}}\n\n"
    "data: [DONE]\n\n";
static const char stream_text[] = "Teams learn caf\xc3\xa9 \xe2\x80\x94 together";

/* Feeds s in pieces of step bytes (0 = all at once). */
static bool feed(const char *s, size_t n, size_t step, struct sink *k, struct llm_result *res,
                 bool *done)
{
    struct llm_sse *p;
    size_t i;
    bool ok = true;

    memset(res, 0, sizeof(*res));
    res->prompt_tokens = res->completion_tokens = -1;
    p = llm_sse_new(sink_delta, k, res);
    if (step == 0)
        step = n;
    for (i = 0; i < n && ok; i += step)
        ok = llm_sse_feed(p, s + i, n - i < step ? n - i : step);
    *done = llm_sse_done(p);
    llm_sse_free(p);
    return ok;
}

/* Replaces every "\n" of src with eol. */
static char *with_eol(const char *src, const char *eol)
{
    struct buf b = BUF_INIT;
    for (; *src; src++) {
        if (*src == '\n')
            buf_puts(&b, eol);
        else
            buf_putc(&b, *src);
    }
    return buf_steal(&b);
}

static void parser_tests(void)
{
    struct sink k;
    struct llm_result r;
    bool done, ok_all;
    size_t cut;
    char *crlf, *cr;

    sink_init(&k);
    ok(feed(stream_lf, strlen(stream_lf), 1, &k, &r, &done) && done,
       "parser: a real stream fed byte by byte ends with [DONE]");
    is_string(stream_text, buf_str(&k.text), "parser: the deltas make up the text");
    ok(k.deltas == 2 && k.all_utf8, "parser: two deltas, each valid UTF-8 (got %d)", k.deltas);
    ok(r.prompt_tokens == 120 && r.completion_tokens == 7 && strcmp(r.finish_reason, "stop") == 0,
       "parser: usage and finish_reason recorded");
    buf_free(&k.text);

    /* every split point of the stream in two feeds: same text */
    ok_all = true;
    for (cut = 0; cut <= strlen(stream_lf); cut++) {
        struct llm_sse *p;
        sink_init(&k);
        memset(&r, 0, sizeof(r));
        p = llm_sse_new(sink_delta, &k, &r);
        if (!llm_sse_feed(p, stream_lf, cut)
            || !llm_sse_feed(p, stream_lf + cut, strlen(stream_lf) - cut) || !llm_sse_done(p)
            || strcmp(buf_str(&k.text), stream_text) != 0 || !k.all_utf8)
            ok_all = false;
        llm_sse_free(p);
        buf_free(&k.text);
    }
    ok(ok_all, "parser: any split in two gives the same text (UTF-8 split across feeds)");

    crlf = with_eol(stream_lf, "\r\n");
    sink_init(&k);
    ok(feed(crlf, strlen(crlf), 1, &k, &r, &done) && done
           && strcmp(buf_str(&k.text), stream_text) == 0,
       "parser: CRLF line ends, byte by byte (CR and LF in separate feeds)");
    buf_free(&k.text);
    cr = with_eol(stream_lf, "\r");
    sink_init(&k);
    ok(feed(cr, strlen(cr), 3, &k, &r, &done) && done && strcmp(buf_str(&k.text), stream_text) == 0,
       "parser: CR-only line ends");
    buf_free(&k.text);
    free(crlf);
    free(cr);

    {
        static const char multi[] = ":comment one\n"
                                    "event: message\n"
                                    "id: 7\n"
                                    "data: {\"choices\":\n"
                                    "data:[{\"delta\":{\"content\":\"two lines\"}}]}\n"
                                    "\n"
                                    "data: [DONE]\n\n"
                                    "data: {\"choices\":[{\"delta\":{\"content\":\"late\"}}]}\n\n";
        sink_init(&k);
        ok(feed(multi, strlen(multi), 0, &k, &r, &done) && done
               && strcmp(buf_str(&k.text), "two lines") == 0,
           "parser: comments, other fields, multi-line data; nothing after [DONE]");
        buf_free(&k.text);
    }
    {
        /* a character split between two events: held back, then whole */
        static const char split[] =
            "data: {\"choices\":[{\"delta\":{\"content\":\"a\\ud83d\"}}]}\n\n"
            "data: {\"choices\":[{\"delta\":{\"content\":\"\\ude00b\"}}]}\n\n"
            "data: [DONE]\n\n";
        bool fine;
        sink_init(&k);
        fine = feed(split, strlen(split), 0, &k, &r, &done);
        ok(!fine || (k.all_utf8 && utf8_valid(buf_str(&k.text), k.text.len)),
           "parser: a surrogate pair split across events never yields invalid UTF-8 (%s)",
           fine ? buf_str(&k.text) : r.error);
        buf_free(&k.text);
    }
    {
        static const char bad[] = "data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\n"
                                  "data: {\"choices\": [oops\n\n";
        sink_init(&k);
        ok(!feed(bad, strlen(bad), 0, &k, &r, &done) && r.status == LLM_PROTOCOL
               && r.error[0] != '\0' && strcmp(buf_str(&k.text), "ok") == 0,
           "parser: malformed JSON is a protocol error after the good delta (%s)", r.error);
        buf_free(&k.text);
    }
    {
        static const char noch[] = "data: {\"id\":\"x\"}\n\n";
        sink_init(&k);
        ok(!feed(noch, strlen(noch), 0, &k, &r, &done) && r.status == LLM_PROTOCOL,
           "parser: an event without choices is a protocol error");
        buf_free(&k.text);
    }
    {
        static const char err[] =
            "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"
            "\n\n";
        sink_init(&k);
        ok(!feed(err, strlen(err), 0, &k, &r, &done) && r.status == LLM_HTTP
               && strstr(r.error, "The server had an error") != NULL,
           "parser: an error event carries the service's message (%s)", r.error);
        buf_free(&k.text);
    }
    {
        size_t n = LLM_SSE_MAX_LINE + 16;
        char *big = xmalloc(n);
        memcpy(big, "data: ", 6);
        memset(big + 6, 'x', n - 6);
        sink_init(&k);
        ok(!feed(big, n, 4096, &k, &r, &done) && r.status == LLM_PROTOCOL,
           "parser: a line over %d bytes is refused (%s)", LLM_SSE_MAX_LINE, r.error);
        buf_free(&k.text);
        free(big);
    }
    sink_init(&k);
    k.stop_after = 1;
    ok(!feed(stream_lf, strlen(stream_lf), 0, &k, &r, &done) && r.status == LLM_CANCELLED
           && k.deltas == 1,
       "parser: on_delta returning false stops it");
    buf_free(&k.text);
}

/* ---- client tests ----------------------------------------------------- */

static const struct llm_message grounded[] = {
    {"system", "You are a PLC coach. Cite sources as [n]."},
    {"user", "Question: How do teams write SMART goals?\n"
             "<source n=\"1\" title=\"Learning by Doing\" chapter=\"3\" pages=\"12-13\">\n"
             "Teams write goals together every fall. A SMART goal is strategic, measurable, "
             "attainable, results-oriented and time-bound.\n"
             "</source>"},
};

static enum llm_status chat(const struct config *cfg, struct sink *k, struct llm_result *r)
{
    struct llm_request req = {grounded, 2, 0, -1, sink_delta, sink_cancelled, k};
    return llm_chat(cfg, &req, r);
}

/* The same with on_sent (sink_sent). */
static enum llm_status chat_sent(const struct config *cfg, struct sink *k, struct llm_result *r)
{
    struct llm_request req = {grounded, 2, 0, -1, sink_delta, sink_cancelled, k, sink_sent};
    k->requests_seen = request_count();
    return llm_chat(cfg, &req, r);
}

static const char long_text[] =
    "Collaborative teams focus on learning, not teaching. They ask what students should "
    "learn, how they will know, and what they will do when students struggle or excel. "
    "Each answer builds the next step of the team's work.";

int main(void)
{
    struct config cfg;
    struct sink k;
    struct llm_result r;
    char err[200], url[96], *s;
    size_t before;
    json_object *reqs, *body, *v;

    log_init("cli", LOG_ERROR + 1); /* the failures below log on purpose */
    if (!config_load(&cfg, err, sizeof(err)))
        bail("%s", err);
    plan(65);
    parser_tests();

    /* unconfigured */
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_UNCONFIGURED && r.text != NULL && r.text[0] == '\0'
           && !llm_configured(&cfg),
       "no base URL: unconfigured, empty text, nothing sent");
    llm_result_free(&r);
    ok(!config_set(&cfg, "PLCCOACH_LLM_BASE_URL", "http://example.com", err, sizeof(err)),
       "plain http off loopback is refused by the configuration");

    curl_global_init(CURL_GLOBAL_DEFAULT);
    tap_server_start(&server, "t/model/stub.py", "python3 model stand-in");
    atexit(stop_server);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", server.port);
    set(&cfg, "PLCCOACH_LLM_BASE_URL", url);
    set(&cfg, "PLCCOACH_LLM_MODEL", "stub-model");
    set(&cfg, "PLCCOACH_LLM_BREAKER_FAILURES", "1000");
    set(&cfg, "PLCCOACH_LLM_TIMEOUT_MS", "20000");
    llm_breaker_reset();

    /* a streamed answer */
    script("{\"text\":\"Collaborative teams focus on learning \\u2014 not teaching, and they "
           "meet weekly.\"}");
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_OK, "streamed answer: ok (%s)", r.error);
    ok(k.deltas > 3 && k.all_utf8, "arrives as several deltas (%d)", k.deltas);
    is_string("Collaborative teams focus on learning \xe2\x80\x94 not teaching, and they meet "
              "weekly.",
              buf_str(&k.text), "the deltas concatenate to the scripted text");
    ok(r.len == k.text.len && strcmp(r.text, buf_str(&k.text)) == 0,
       "the result holds the same text");
    ok(r.streamed && r.attempts == 1 && r.http_status == 200
           && strcmp(r.finish_reason, "stop") == 0,
       "one attempt, HTTP 200, finish_reason stop");
    ok(r.prompt_tokens > 0 && r.completion_tokens > 0,
       "usage recorded (%ld prompt, %ld completion)", r.prompt_tokens, r.completion_tokens);
    ok(r.ttft_ms >= 0 && r.total_ms >= r.ttft_ms, "time to first token recorded (%ld ms)",
       r.ttft_ms);
    llm_result_free(&r);
    buf_free(&k.text);
    reqs = requests();
    body = NULL;
    if (json_object_array_length(reqs) > 0)
        json_object_object_get_ex(json_object_array_get_idx(reqs, 0), "body", &body);
    ok(body != NULL && json_object_object_get_ex(body, "stream", &v) && json_object_get_boolean(v)
           && json_object_object_get_ex(body, "max_tokens", &v) && json_object_get_int(v) == 900
           && json_object_object_get_ex(body, "temperature", &v) && json_object_get_double(v) > 0.19
           && json_object_get_double(v) < 0.21 && json_object_object_get_ex(body, "model", &v)
           && strcmp(json_object_get_string(v), "stub-model") == 0
           && json_object_object_get_ex(body, "messages", &v) && json_object_array_length(v) == 2,
       "the request: model, messages, temperature 0.2, max_tokens 900, stream");
    ok(body != NULL && json_object_object_get_ex(body, "stream_options", &v)
           && strstr(json_object_get_string(v), "include_usage") != NULL,
       "the request asks for usage");
    json_object_put(reqs);
    s = last_request_field("authorization");
    is_string("", s, "no API key: no Authorization header");
    free(s);

    /* the grounded default answer quotes source 1 */
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_OK && strstr(r.text, "[1]") != NULL
           && strstr(r.text, "\"Teams write goals together every fall.\"") != NULL,
       "the stand-in's grounded answer cites [1] and quotes a sentence of it");
    llm_result_free(&r);
    buf_free(&k.text);
    {
        char *first = last_request_field("peer"), *second;
        sink_init(&k);
        ok(chat(&cfg, &k, &r) == LLM_OK, "a third call");
        llm_result_free(&r);
        buf_free(&k.text);
        second = last_request_field("peer");
        ok(first[0] != '\0' && strcmp(first, second) == 0,
           "it reuses the connection of the one before (%s, %s)", first, second);
        free(first);
        free(second);
    }

    /* on_sent: once the request is out, while the service still thinks */
    script("{\"stall_before_ms\":1500}");
    sink_init(&k);
    chat_sent(&cfg, &k, &r);
    ok(r.status == LLM_OK && k.sent_calls == 1 && k.deltas > 0,
       "on_sent: called once in a streamed answer (%d)", k.sent_calls);
    ok(k.arrived_at_sent && k.deltas_at_sent == 0 && strcmp(k.outcome_at_sent, "started") == 0,
       "on_sent: called when the request had reached the service and before its answer "
       "(outcome then: %s)",
       k.outcome_at_sent);
    llm_result_free(&r);
    buf_free(&k.text);
    script("{\"stall_before_ms\":1500}");
    sink_init(&k);
    k.cancel_at_sent = true;
    ok(chat_sent(&cfg, &k, &r) == LLM_CANCELLED && k.sent_calls == 1 && k.deltas == 0 && !r.streamed
           && r.attempts == 1,
       "on_sent returning false cancels the call: nothing passed on, no retry (%s)", r.error);
    llm_result_free(&r);
    buf_free(&k.text);
    script("{\"status\":503}");
    sink_init(&k);
    chat_sent(&cfg, &k, &r);
    ok(r.status == LLM_OK && r.attempts == 2 && k.sent_calls == 1,
       "on_sent: once per call, not per attempt (%d calls, %d attempts)", k.sent_calls, r.attempts);
    llm_result_free(&r);
    buf_free(&k.text);

    /* 429 with Retry-After, then success */
    script("{\"status\":429,\"retry_after\":1}");
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_OK && r.attempts == 2, "429 then success: ok after 2 attempts");
    ok(r.total_ms >= 1000, "Retry-After: 1 was waited out (%ld ms)", r.total_ms);
    llm_result_free(&r);
    buf_free(&k.text);

    /* 500 every time */
    script("{\"status\":500},{\"status\":500},{\"status\":500}");
    before = request_count();
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_HTTP && r.attempts == 3 && r.http_status == 500,
       "500 three times: LLM_HTTP after 1 + 2 retries");
    ok(strstr(r.error, "scripted failure 500") != NULL && !r.streamed && k.deltas == 0,
       "the service's message is kept (%s)", r.error);
    is_int(3, (long long)(request_count() - before), "three requests reached the service");
    llm_result_free(&r);
    buf_free(&k.text);

    /* 400 is not retried */
    script("{\"status\":400}");
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_HTTP && r.attempts == 1 && r.http_status == 400,
       "400: not retried");
    llm_result_free(&r);
    buf_free(&k.text);

    /* drops */
    script("{\"drop_after_chunks\":0}");
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_OK && r.attempts == 2 && k.deltas > 0,
       "a drop before any text is retried (%s)", r.error);
    llm_result_free(&r);
    buf_free(&k.text);
    script(
        "{\"text\":\"one two three four five six seven eight nine ten\",\"drop_after_chunks\":2}");
    before = request_count();
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_CONNECT && r.streamed && r.attempts == 1,
       "a drop after text: LLM_CONNECT, streamed, no retry (%s)", r.error);
    ok(strcmp(r.text, "one two three four five six ") == 0 && r.len == k.text.len,
       "the text so far is kept (%s)", r.text);
    is_int(1, (long long)(request_count() - before), "one request only");
    llm_result_free(&r);
    buf_free(&k.text);

    /* malformed */
    script("{\"malformed_after_chunks\":1}");
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_PROTOCOL && r.attempts == 1 && r.streamed,
       "malformed event: LLM_PROTOCOL (%s)", r.error);
    llm_result_free(&r);
    buf_free(&k.text);

    /* a service that ignores "stream": true */
    script("{\"no_stream\":true}");
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_PROTOCOL && r.attempts == 1 && !r.streamed,
       "one JSON document instead of a stream: LLM_PROTOCOL, not retried (%s)", r.error);
    llm_result_free(&r);
    buf_free(&k.text);

    /* first-token timeout */
    set(&cfg, "PLCCOACH_LLM_FIRST_TOKEN_TIMEOUT_MS", "300");
    script("{\"stall_before_ms\":1500}");
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_TIMEOUT && !r.streamed && r.ttft_ms == -1,
       "no first token in time: LLM_TIMEOUT (%s)", r.error);
    llm_result_free(&r);
    buf_free(&k.text);
    /* the caller's own time in on_sent is not the service's */
    script("{}");
    sink_init(&k);
    k.sent_sleep_ms = 600;
    chat_sent(&cfg, &k, &r);
    ok(r.status == LLM_OK && k.sent_calls == 1 && r.ttft_ms >= 0 && r.ttft_ms < 600
           && r.total_ms >= 600,
       "on_sent taking 600 ms: no first-token timeout (300 ms), not in ttft_ms (%ld of %ld ms; "
       "%s)",
       r.ttft_ms, r.total_ms, r.error);
    llm_result_free(&r);
    buf_free(&k.text);
    set(&cfg, "PLCCOACH_LLM_FIRST_TOKEN_TIMEOUT_MS", "15000");

    /* total timeout */
    set(&cfg, "PLCCOACH_LLM_TIMEOUT_MS", "600");
    script("{\"text\":\"a b c d e f g h i j k l\",\"stall_after_chunks\":1,\"stall_ms\":1500}");
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_TIMEOUT && r.streamed && strcmp(r.text, "a b c ") == 0,
       "a stall after text past the total timeout: LLM_TIMEOUT, text kept (%s)", r.error);
    llm_result_free(&r);
    buf_free(&k.text);
    set(&cfg, "PLCCOACH_LLM_TIMEOUT_MS", "20000");

    /* cancellation by on_delta */
    {
        char *resp = xasprintf("{\"text\":\"%s\",\"delay_ms_per_chunk\":30}", long_text);
        int64_t until;
        script(resp);
        free(resp);
        sink_init(&k);
        k.stop_after = 2;
        ok(chat(&cfg, &k, &r) == LLM_CANCELLED && k.deltas == 2 && r.attempts == 1,
           "on_delta returning false: LLM_CANCELLED after that delta");
        llm_result_free(&r);
        buf_free(&k.text);
        until = now_ms() + 10000;
        do {
            s = last_request_field("outcome");
            if (strcmp(s, "streaming") != 0 || now_ms() > until)
                break;
            free(s);
            usleep(20000);
        } while (true);
        is_string("cancelled", s, "the stand-in saw the client go away");
        free(s);
    }

    /* cancellation by cancelled() during a stall */
    script("{\"stall_before_ms\":3000}");
    sink_init(&k);
    k.cancel_after_polls = 3;
    {
        enum llm_status st = chat(&cfg, &k, &r);
        ok(st == LLM_CANCELLED && !r.streamed && k.polls == 3,
           "cancelled() during a stall: LLM_CANCELLED at the third poll (%d polls)", k.polls);
        diag("cancelled after %ld ms (3 polls)", r.total_ms);
    }
    llm_result_free(&r);
    buf_free(&k.text);

    /* the API key */
    set(&cfg, "PLCCOACH_LLM_API_KEY", "sekrit-key-123");
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_OK, "with an API key");
    llm_result_free(&r);
    buf_free(&k.text);
    s = last_request_field("authorization");
    is_string("Bearer sekrit-key-123", s, "the key is sent as a bearer token");
    free(s);
    {
        FILE *log = tmpfile();
        int saved = dup(2);
        struct buf logged = BUF_INIT;
        char chunk[4096];
        size_t n;

        script("{\"status\":401,\"body\":\"{\\\"error\\\":{\\\"message\\\":\\\"Incorrect API key "
               "provided: sekrit-key-123\\\"}}\"}");
        log_init("cli", LOG_INFO);
        dup2(fileno(log), 2);
        sink_init(&k);
        ok(chat(&cfg, &k, &r) == LLM_HTTP && r.attempts == 1
               && strstr(r.error, "Incorrect") != NULL,
           "401: LLM_HTTP, not retried (%s)", r.error);
        dup2(saved, 2);
        close(saved);
        log_init("cli", LOG_ERROR + 1);
        rewind(log);
        while ((n = fread(chunk, 1, sizeof(chunk), log)) > 0)
            buf_append(&logged, chunk, n);
        fclose(log);
        ok(strstr(r.error, "sekrit-key-123") == NULL, "an echoed key is scrubbed from the error");
        ok(strstr(buf_str(&logged), "\"llm: call\"") != NULL
               && strstr(buf_str(&logged), "sekrit-key-123") == NULL
               && strstr(buf_str(&logged), "SMART goals") == NULL,
           "the call is logged without the key or the prompt");
        buf_free(&logged);
        llm_result_free(&r);
        buf_free(&k.text);
    }
    set(&cfg, "PLCCOACH_LLM_API_KEY", "");

    /* the circuit breaker */
    set(&cfg, "PLCCOACH_LLM_BREAKER_FAILURES", "2");
    set(&cfg, "PLCCOACH_LLM_BREAKER_COOLDOWN_MS", "300");
    set(&cfg, "PLCCOACH_LLM_RETRIES", "0");
    llm_breaker_reset();
    script("{\"status\":503},{\"status\":503}");
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_HTTP && !llm_breaker_open(&cfg), "one failure: still closed");
    llm_result_free(&r);
    ok(chat(&cfg, &k, &r) == LLM_HTTP && llm_breaker_open(&cfg), "two failures: open");
    llm_result_free(&r);
    before = request_count();
    ok(chat(&cfg, &k, &r) == LLM_CIRCUIT_OPEN && r.attempts == 0, "an open breaker refuses calls");
    is_int(0, (long long)(request_count() - before), "without a request reaching the service");
    llm_result_free(&r);
    {
        int64_t until = now_ms() + 5000;
        while (llm_breaker_open(&cfg) && now_ms() < until)
            usleep(20000);
    }
    script("{\"status\":503}");
    ok(chat(&cfg, &k, &r) == LLM_HTTP && llm_breaker_open(&cfg),
       "after the cooldown a trial call goes through; its failure reopens at once");
    llm_result_free(&r);
    {
        int64_t until = now_ms() + 5000;
        while (llm_breaker_open(&cfg) && now_ms() < until)
            usleep(20000);
    }
    ok(chat(&cfg, &k, &r) == LLM_OK && !llm_breaker_open(&cfg),
       "a successful trial call closes it");
    llm_result_free(&r);
    script("{\"status\":503}");
    ok(chat(&cfg, &k, &r) == LLM_HTTP && !llm_breaker_open(&cfg),
       "closed again: one failure is not enough");
    llm_result_free(&r);
    buf_free(&k.text);
    llm_breaker_reset();

    /* nothing listening */
    set(&cfg, "PLCCOACH_LLM_RETRIES", "2");
    set(&cfg, "PLCCOACH_LLM_BASE_URL", "http://127.0.0.1:1");
    sink_init(&k);
    ok(chat(&cfg, &k, &r) == LLM_CONNECT && r.attempts == 3 && r.http_status == 0,
       "connection refused: LLM_CONNECT after 3 attempts (%s)", r.error);
    llm_result_free(&r);
    buf_free(&k.text);

    ok(strcmp(llm_status_name(LLM_TIMEOUT), "timeout") == 0
           && strcmp(llm_status_name(LLM_CIRCUIT_OPEN), "circuit_open") == 0
           && strcmp(llm_model_name(&cfg), "stub-model") == 0,
       "status and model names");

    config_free(&cfg);
    curl_global_cleanup();
    return 0;
}
