/*
 * The language-model client's transport; see llm.h and
 * src/llm/README.md.  The event-stream parser is sse.c and the
 * circuit breaker breaker.c.
 *
 * llm_chat() drives libcurl's multi interface itself so that it wakes at
 * least every LLM_POLL_MS to check the caller's cancel flag and the
 * first-token and total deadlines (curl_easy_perform() may sleep up to a
 * second between progress calls).  The checks run in the transfer's
 * XFERINFOFUNCTION, which aborts the transfer and makes curl close the
 * connection, so the service sees the cancel.
 */
#include "config.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "llm/llm.h"
#include "llm/llm_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/curl.h"
#include "util/json.h"
#include "util/log.h"
#include "util/retry.h"
#include "util/text.h"
#include "util/url.h"
#include "version.h"

#define LLM_POLL_MS 100
#define LLM_BACKOFF_MS 250
#define LLM_MAX_ERROR_BODY (16 * 1024)

/* One llm_chat() call.  Owns text (moved into the result at the end),
 * errbody and sse (per attempt). */
struct call {
    const struct config *cfg;
    const struct llm_request *req;
    struct llm_result *out;
    struct buf text;    /* everything streamed so far (limit LLM_MAX_TEXT) */
    struct buf errbody; /* a non-2xx answer's body (limit LLM_MAX_ERROR_BODY) */
    struct llm_sse *sse;
    CURL *h;
    int64_t start, first_token_deadline, deadline;
    int64_t last_cancel_poll; /* when req->cancelled() was last asked */
    long status;              /* this attempt's HTTP status, 0 until known */
    long retry_after_ms;      /* this attempt's Retry-After, -1 = none */
    bool json_body;           /* this attempt's Content-Type is application/json */
    bool sent;                /* req->on_sent was called */
    int64_t caller_ms;        /* the time on_sent took (not the service's) */
    enum { STOP_NONE, STOP_CANCEL, STOP_FIRST_TOKEN, STOP_TOTAL, STOP_TOO_LONG } stop;
};

/* Tells the caller, once per call, that the request went out; false (and
 * c->stop) when the caller cancels.  The caller's time is not the
 * service's: it moves the deadlines and is left out of ttft_ms. */
static bool call_sent(struct call *c)
{
    int64_t t;
    bool go;

    if (c->sent)
        return true;
    c->sent = true;
    if (c->req->on_sent == NULL)
        return true;
    t = now_ms();
    go = c->req->on_sent(c->req->ctx);
    c->caller_ms = now_ms() - t;
    c->first_token_deadline += c->caller_ms;
    c->deadline += c->caller_ms;
    if (!go)
        c->stop = STOP_CANCEL;
    return go;
}

/* The parser's callback: collects, times and passes on one delta. */
static bool call_delta(void *ctx, const char *text, size_t len)
{
    struct call *c = ctx;

    if (!call_sent(c))
        return false;
    if (!buf_append(&c->text, text, len)) {
        c->stop = STOP_TOO_LONG;
        return false;
    }
    if (!c->out->streamed) {
        c->out->streamed = true;
        c->out->ttft_ms = (long)(now_ms() - c->start - c->caller_ms);
    }
    if (c->req->on_delta != NULL && !c->req->on_delta(c->req->ctx, text, len)) {
        c->stop = STOP_CANCEL;
        return false;
    }
    return true;
}

/* Sets c->stop when the call must end now; returns true then. */
static bool call_should_stop(struct call *c)
{
    int64_t now;

    if (c->stop != STOP_NONE)
        return true;
    now = now_ms();
    /* both the progress callback and the poll loop come here: ask the
     * caller at most every half poll period */
    if (c->req->cancelled != NULL && now - c->last_cancel_poll >= LLM_POLL_MS / 2) {
        c->last_cancel_poll = now;
        if (c->req->cancelled(c->req->ctx))
            c->stop = STOP_CANCEL;
    }
    if (c->stop == STOP_NONE && now >= c->deadline)
        c->stop = STOP_TOTAL;
    if (c->stop == STOP_NONE && !c->out->streamed && now >= c->first_token_deadline)
        c->stop = STOP_FIRST_TOKEN;
    return c->stop != STOP_NONE;
}

static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return call_should_stop(userdata) ? 1 : 0;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct call *c = userdata;
    size_t n = size * nmemb;

    if (n > 5 && memcmp(ptr, "HTTP/", 5) == 0) {
        c->retry_after_ms = -1; /* a new response (after 100 Continue, ...) */
        c->json_body = false;
    } else if (n > 13 && strncasecmp(ptr, "Content-Type:", 13) == 0) {
        size_t i = 13;
        while (i < n && (ptr[i] == ' ' || ptr[i] == '\t'))
            i++;
        c->json_body = n - i >= 16 && strncasecmp(ptr + i, "application/json", 16) == 0;
    } else if (n > 12 && strncasecmp(ptr, "Retry-After:", 12) == 0) {
        char v[24];
        size_t i = 12, k = 0;
        int64_t secs;
        while (i < n && (ptr[i] == ' ' || ptr[i] == '\t'))
            i++;
        while (i < n && k < sizeof(v) - 1 && ptr[i] != '\r' && ptr[i] != '\n')
            v[k++] = ptr[i++];
        v[k] = '\0';
        if (parse_int64(v, 0, 86400, &secs)) /* an HTTP date is ignored */
            c->retry_after_ms = (long)secs * 1000;
    }
    return n;
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct call *c = userdata;
    size_t n = size * nmemb;

    if (c->status == 0)
        curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &c->status);
    if (c->status < 200 || c->status > 299) {
        (void)buf_append(&c->errbody, ptr, n); /* bounded; the rest is dropped */
        return n;
    }
    return llm_sse_feed(c->sse, ptr, n) ? n : 0;
}

/* The request body: the model, the messages and the sampling settings. */
static void request_body(const struct config *cfg, const struct llm_request *req, struct buf *b)
{
    size_t i;
    double temperature =
        req->temperature >= 0 ? req->temperature : (double)cfg->llm_temperature / 100.0;
    long max_tokens = req->max_tokens > 0 ? req->max_tokens : (long)cfg->llm_max_tokens;

    buf_puts(b, "{\"model\":\"");
    buf_json_escape(b, cfg->llm_model, strlen(cfg->llm_model));
    buf_puts(b, "\",\"messages\":[");
    for (i = 0; i < req->nmessages; i++) {
        const struct llm_message *m = &req->messages[i];
        buf_puts(b, i ? ",{\"role\":\"" : "{\"role\":\"");
        buf_json_escape(b, m->role, strlen(m->role));
        buf_puts(b, "\",\"content\":\"");
        buf_json_escape(b, m->content, strlen(m->content));
        buf_puts(b, "\"}");
    }
    buf_printf(b,
               "],\"temperature\":%.2f,\"max_tokens\":%ld,\"stream\":true,"
               "\"stream_options\":{\"include_usage\":true}}",
               temperature, max_tokens);
}

/* Puts "HTTP <status>: <the service's message>" into out->error. */
static void http_error(struct call *c)
{
    const char *why = NULL, *msg = NULL;
    json_object *root = NULL, *e, *m;
    char plain[161];
    size_t i, k = 0;

    if (c->errbody.len > 0 && !c->errbody.overflow)
        root = json_parse_object_strict(c->errbody.data, c->errbody.len, LLM_JSON_DEPTH, &why);
    if (root != NULL && json_object_object_get_ex(root, "error", &e)) {
        if (json_object_is_type(e, json_type_string))
            msg = json_object_get_string(e);
        else if (json_object_is_type(e, json_type_object)
                 && json_object_object_get_ex(e, "message", &m)
                 && json_object_is_type(m, json_type_string))
            msg = json_object_get_string(m);
    }
    if (msg == NULL) { /* not the usual shape: its first printable bytes */
        for (i = 0; i < c->errbody.len && k < sizeof(plain) - 1; i++) {
            unsigned char ch = (unsigned char)c->errbody.data[i];
            plain[k++] = ch >= 0x20 && ch < 0x7f ? (char)ch : ' ';
        }
        plain[k] = '\0';
        msg = plain;
    }
    snprintf(c->out->error, sizeof(c->out->error), "HTTP %ld: %.200s", c->status, msg);
    json_object_put(root);
}

/* ---- acknowledging at once (docs/performance.md, "First token") -------
 *
 * A service that writes its event stream without TCP_NODELAY (Python's
 * http.server, cpp-httplib's default; not llama.cpp's server, Ollama or
 * vLLM, which set it) holds each small write until the one before it is
 * acknowledged.  On a kept-alive connection Linux delays our ACK of the
 * response headers by up to 40 ms (the connection is in "ping-pong" mode
 * after our request), so the first token waited that long.  TCP_QUICKACK
 * leaves that mode and sends a pending ACK at once, but it is not sticky
 * (sending the next request re-enters it), so it is set again after each
 * curl_multi_perform() of a transfer.  libcurl only reports a transfer's
 * socket once the transfer is done (CURLINFO_ACTIVESOCKET), so the socket
 * of the process's connection to the model service is recorded when curl
 * opens it and forgotten when curl closes it. */

static curl_socket_t model_socket = CURL_SOCKET_BAD;

static int on_sockopt(void *clientp, curl_socket_t fd, curlsocktype purpose)
{
    (void)clientp;
    if (purpose == CURLSOCKTYPE_IPCXN)
        model_socket = fd;
    return CURL_SOCKOPT_OK;
}

static int on_closesocket(void *clientp, curl_socket_t fd)
{
    (void)clientp;
    if (fd == model_socket)
        model_socket = CURL_SOCKET_BAD;
    return close(fd);
}

/* Acknowledges what has arrived on the model connection at once. */
static void quickack(void)
{
#ifdef TCP_QUICKACK
    int one = 1;

    if (model_socket != CURL_SOCKET_BAD)
        (void)setsockopt(model_socket, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
#endif
}

/* Drives one transfer with the multi interface, waking every LLM_POLL_MS;
 * returns curl's result for it. */
static CURLcode perform(CURLM *m, struct call *c)
{
    CURLcode rc = CURLE_OK;
    CURLMsg *msg;
    int running = 1, left;
    bool finished = false;

    if (curl_multi_add_handle(m, c->h) != CURLM_OK)
        return CURLE_FAILED_INIT;
    while (running > 0) {
        if (curl_multi_perform(m, &running) != CURLM_OK) {
            rc = CURLE_FAILED_INIT;
            break;
        }
        quickack();
        if (!c->sent) {
            long sent_bytes = 0; /* the request's size, once it went out */
            if (curl_easy_getinfo(c->h, CURLINFO_REQUEST_SIZE, &sent_bytes) == CURLE_OK
                && sent_bytes > 0 && !call_sent(c)) {
                rc = CURLE_ABORTED_BY_CALLBACK;
                break;
            }
        }
        while ((msg = curl_multi_info_read(m, &left)) != NULL)
            if (msg->msg == CURLMSG_DONE && msg->easy_handle == c->h) {
                rc = msg->data.result;
                finished = true;
            }
        if (running == 0 || finished)
            break;
        /* Normally the progress callback stops the transfer; this is for
         * phases in which curl does not call it. */
        if (call_should_stop(c)) {
            rc = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        if (curl_multi_poll(m, NULL, 0, LLM_POLL_MS, NULL) != CURLM_OK) {
            rc = CURLE_FAILED_INIT;
            break;
        }
    }
    /* Removing an unfinished transfer closes its connection. */
    curl_multi_remove_handle(m, c->h);
    return rc;
}

/* Sets up the easy handle for one attempt. */
static void setup(struct call *c, const char *url, struct curl_slist *headers,
                  const struct buf *body, char *errbuf)
{
    CURL *h = c->h;
    int64_t left = c->deadline - now_ms();
    long connect_ms = (long)c->cfg->llm_connect_timeout_ms;

    if (left < 1)
        left = 1;
    if (connect_ms > left)
        connect_ms = (long)left;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, url_is_loopback_http(url) ? "http" : "https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS,
                     url_is_loopback_http(url) ? (long)CURLPROTO_HTTP : (long)CURLPROTO_HTTPS);
#endif
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)left + LLM_POLL_MS); /* a backstop */
    curl_easy_setopt(h, CURLOPT_USERAGENT, "plccoach/" PLC_VERSION);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, buf_str(body));
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, c);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
    curl_easy_setopt(h, CURLOPT_CLOSESOCKETFUNCTION, on_closesocket);
}

/* Classifies an attempt that the client itself stopped (c->stop), never
 * to be retried. */
static void classify_stop(struct call *c)
{
    struct llm_result *out = c->out;

    switch (c->stop) {
    case STOP_CANCEL:
        out->status = LLM_CANCELLED;
        snprintf(out->error, sizeof(out->error), "cancelled by the caller");
        break;
    case STOP_FIRST_TOKEN:
        out->status = LLM_TIMEOUT;
        snprintf(out->error, sizeof(out->error), "no text within %lld ms",
                 (long long)c->cfg->llm_first_token_timeout_ms);
        break;
    case STOP_TOTAL:
        out->status = LLM_TIMEOUT;
        snprintf(out->error, sizeof(out->error), "the answer took longer than %lld ms",
                 (long long)c->cfg->llm_timeout_ms);
        break;
    case STOP_TOO_LONG:
        out->status = LLM_PROTOCOL;
        snprintf(out->error, sizeof(out->error), "the answer is longer than %d bytes",
                 LLM_MAX_TEXT);
        break;
    case STOP_NONE: break;
    }
}

/* Classifies a transfer that ended without an error (rc CURLE_OK) and a
 * 2xx status; returns true when another attempt may help. */
static bool classify_stream_end(struct call *c)
{
    struct llm_result *out = c->out;

    if (llm_sse_done(c->sse) || out->finish_reason[0] != '\0') {
        out->status = LLM_OK;
        out->error[0] = '\0';
        return false;
    }
    if (c->json_body) { /* a service that ignores "stream": true */
        out->status = LLM_PROTOCOL;
        snprintf(out->error, sizeof(out->error), "the answer is JSON, not an event stream");
        return false;
    }
    out->status = LLM_CONNECT;
    snprintf(out->error, sizeof(out->error), "the stream ended before [DONE]");
    return !out->streamed;
}

/* Classifies a finished attempt into c->out; returns true when another
 * attempt may help (nothing streamed, a transient failure). */
static bool classify(struct call *c, CURLcode rc, const char *errbuf)
{
    struct llm_result *out = c->out;
    bool ok_status = c->status >= 200 && c->status <= 299;

    out->http_status = (int)c->status;
    if (c->stop != STOP_NONE) {
        classify_stop(c);
        return false;
    }
    if (rc == CURLE_OK && !ok_status) {
        out->status = LLM_HTTP;
        http_error(c);
        return !out->streamed && (c->status == 429 || c->status >= 500);
    }
    if (rc == CURLE_WRITE_ERROR && out->status != LLM_OK) {
        /* the parser stopped: protocol error or the service's error event */
        return out->status == LLM_HTTP && !out->streamed;
    }
    if (rc == CURLE_OK)
        return classify_stream_end(c);
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        out->status = LLM_TIMEOUT;
        snprintf(out->error, sizeof(out->error), "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
        /* a connect timeout may go better on a second try */
        return !out->streamed && c->status == 0 && now_ms() < c->deadline;
    }
    out->status = LLM_CONNECT;
    snprintf(out->error, sizeof(out->error), "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    return !out->streamed;
}

/* Waits ms, polling the cancel callback; false when cancelled. */
static bool wait_ms(struct call *c, long ms)
{
    int64_t until = now_ms() + ms;

    for (;;) {
        int64_t left = until - now_ms();
        if (c->req->cancelled != NULL && c->req->cancelled(c->req->ctx))
            return false;
        if (left <= 0)
            return true;
        sleep_ms(left < LLM_POLL_MS ? (long)left : LLM_POLL_MS);
    }
}

/* The delay before attempt number next (2, 3, ...): exponential with
 * jitter (half fixed, half random), or Retry-After when longer. */
static long backoff_ms(const struct call *c, int next)
{
    /* attempts: 1 + PLCCOACH_LLM_RETRIES, counted by the caller */
    static const struct retry_policy p = {0, LLM_BACKOFF_MS, 1, (long)LLM_BACKOFF_MS << 10, true};

    return retry_delay_ms(&p, next - 1, c->retry_after_ms);
}

/* Strips a copy of the API key from out->error (a service may echo it). */
static void scrub_key(const struct config *cfg, struct llm_result *out)
{
    size_t klen = strlen(cfg->llm_api_key);
    char *p;

    if (klen < 4)
        return;
    while ((p = strstr(out->error, cfg->llm_api_key)) != NULL)
        memset(p, '*', klen);
}

static void log_call(const struct config *cfg, const struct llm_result *out)
{
    LOG_FIELDS(out->status == LLM_OK ? LOG_INFO : LOG_WARN, "llm: call",
               LF_STR("status", llm_status_name(out->status)), LF_STR("model", cfg->llm_model),
               LF_INT("attempts", out->attempts), LF_INT("http_status", out->http_status),
               LF_INT("ttft_ms", out->ttft_ms), LF_INT("total_ms", out->total_ms),
               LF_INT("prompt_tokens", out->prompt_tokens),
               LF_INT("completion_tokens", out->completion_tokens),
               LF_INT("bytes", (long long)out->len), LF_STR("finish_reason", out->finish_reason),
               LF_STR("error", out->error[0] ? out->error : NULL));
}

/* The process's handles (see process_handles); owned by the process,
 * never freed (they live as long as it does). */
static CURLM *proc_multi;
static CURL *proc_easy;

/* Sets c->h and *m to the process's handles, creating them (and starting
 * libcurl) on first use.  Returns false with c->out's status and error set
 * when that fails.
 *
 * One multi and one easy handle per process, kept between calls: the
 * multi handle's connection cache then keeps the connection to the model
 * service open, so an answer after the first skips the TCP and TLS
 * handshakes (a hosted model is one or two round trips away).  An attempt
 * that is aborted (cancelled, timed out, malformed) closes its
 * connection; the next opens a new one. */
static bool process_handles(struct call *c, CURLM **m)
{
    static bool global_done;

    if (!global_done) {
        if (!curl_ready()) {
            c->out->status = LLM_CONNECT;
            snprintf(c->out->error, sizeof(c->out->error), "curl_global_init failed");
            return false;
        }
        srandom((unsigned)(getpid() ^ now_ms()));
        global_done = true;
    }
    if (proc_multi == NULL)
        proc_multi = curl_multi_init();
    if (proc_easy == NULL)
        proc_easy = curl_easy_init();
    c->h = proc_easy;
    *m = proc_multi;
    if (c->h == NULL || *m == NULL) {
        c->out->status = LLM_CONNECT;
        snprintf(c->out->error, sizeof(c->out->error), "curl initialisation failed");
        return false;
    }
    return true;
}

/* The request's headers; *auth receives the Authorization header string
 * (malloc'd, or NULL without a key), which the caller wipes and frees
 * after the call.  The list is the caller's (curl_slist_free_all). */
static struct curl_slist *request_headers(const struct config *cfg, char **auth)
{
    struct curl_slist *headers = NULL;

    *auth = NULL;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: text/event-stream");
    headers = curl_slist_append(headers, "Expect:");
    if (cfg->llm_api_key[0] != '\0') {
        *auth = xasprintf("Authorization: Bearer %s", cfg->llm_api_key);
        headers = curl_slist_append(headers, *auth);
    }
    if (headers == NULL) {
        log_error("curl_slist_append failed");
        abort(); /* allocation failure: the policy of util/alloc.h */
    }
    return headers;
}

/* Makes attempt number n; returns true when another attempt may help. */
static bool attempt(struct call *c, CURLM *m, int n, const char *url, struct curl_slist *headers,
                    const struct buf *body)
{
    char errbuf[CURL_ERROR_SIZE];
    CURLcode rc;
    bool again;

    c->out->attempts = n;
    c->out->status = LLM_OK;
    c->out->error[0] = '\0';
    c->out->finish_reason[0] = '\0';
    c->out->prompt_tokens = c->out->completion_tokens = -1;
    c->status = 0;
    c->retry_after_ms = -1;
    buf_reset(&c->errbody);
    c->errbody.overflow = false;
    c->sse = llm_sse_new(call_delta, c, c->out);
    errbuf[0] = '\0';
    setup(c, url, headers, body, errbuf);
    rc = perform(m, c);
    if (c->status == 0)
        curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &c->status);
    again = classify(c, rc, errbuf);
    llm_sse_free(c->sse);
    c->sse = NULL;
    return again;
}

/* Makes the attempts of one call; fills c->out except text and times. */
static void run_attempts(struct call *c)
{
    const struct config *cfg = c->cfg;
    struct buf url = BUF_INIT, body = BUF_INIT;
    struct curl_slist *headers;
    char *auth;
    CURLM *m;
    int max_attempts = 1 + (int)cfg->llm_retries, n;

    if (!process_handles(c, &m))
        return;
    buf_puts(&url, cfg->llm_base_url);
    while (url.len > 0 && url.data[url.len - 1] == '/')
        url.data[--url.len] = '\0';
    buf_puts(&url, "/v1/chat/completions");
    request_body(cfg, c->req, &body);
    headers = request_headers(cfg, &auth);
    for (n = 1; attempt(c, m, n, buf_str(&url), headers, &body) && n < max_attempts; n++) {
        long delay = backoff_ms(c, n + 1);
        if (now_ms() + delay >= c->deadline || now_ms() + delay >= c->first_token_deadline)
            break; /* the wait alone would pass a deadline */
        LOG_FIELDS(LOG_WARN, "llm: retrying", LF_INT("attempt", n),
                   LF_INT("http_status", c->status), LF_INT("delay_ms", delay),
                   LF_STR("reason", c->out->error));
        if (!wait_ms(c, delay)) {
            c->out->status = LLM_CANCELLED;
            snprintf(c->out->error, sizeof(c->out->error), "cancelled by the caller");
            break;
        }
    }
    curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(headers);
    if (auth != NULL) {
        OPENSSL_cleanse(auth, strlen(auth));
        free(auth);
    }
    c->h = NULL; /* proc_easy and proc_multi stay for the next call */
    buf_free(&url);
    buf_free(&body);
}

enum llm_status llm_chat(const struct config *cfg, const struct llm_request *req,
                         struct llm_result *out)
{
    struct call c;

    memset(out, 0, sizeof(*out));
    out->prompt_tokens = out->completion_tokens = out->ttft_ms = -1;
    memset(&c, 0, sizeof(c));
    c.cfg = cfg;
    c.req = req;
    c.out = out;
    c.text.limit = LLM_MAX_TEXT;
    c.errbody.limit = LLM_MAX_ERROR_BODY;
    c.start = now_ms();
    c.first_token_deadline = c.start + cfg->llm_first_token_timeout_ms;
    c.deadline = c.start + cfg->llm_timeout_ms;

    if (!llm_configured(cfg)) {
        out->status = LLM_UNCONFIGURED;
        snprintf(out->error, sizeof(out->error), "no model service is configured");
    } else if (!url_https_or_loopback(cfg->llm_base_url)) {
        out->status = LLM_UNCONFIGURED; /* config_load refuses it; a caller's own cfg may not */
        snprintf(out->error, sizeof(out->error),
                 "PLCCOACH_LLM_BASE_URL must be https:// (or http:// on loopback)");
    } else if (!llm_breaker_allow()) {
        out->status = LLM_CIRCUIT_OPEN;
        snprintf(out->error, sizeof(out->error), "the circuit breaker is open");
    } else {
        run_attempts(&c);
        if (out->status != LLM_CANCELLED)
            llm_breaker_record(cfg, out->status == LLM_OK);
    }
    out->len = c.text.len;
    out->text = buf_steal(&c.text);
    buf_free(&c.errbody);
    out->total_ms = (long)(now_ms() - c.start);
    scrub_key(cfg, out);
    if (out->status != LLM_UNCONFIGURED)
        log_call(cfg, out);
    return out->status;
}

void llm_result_free(struct llm_result *res)
{
    if (res == NULL)
        return;
    free(res->text);
    res->text = NULL;
    res->len = 0;
}

bool llm_configured(const struct config *cfg)
{
    return cfg->llm_base_url != NULL && cfg->llm_base_url[0] != '\0';
}

const char *llm_model_name(const struct config *cfg)
{
    return cfg->llm_model != NULL ? cfg->llm_model : "";
}

const char *llm_status_name(enum llm_status st)
{
    switch (st) {
    case LLM_OK: return "ok";
    case LLM_UNCONFIGURED: return "unconfigured";
    case LLM_CIRCUIT_OPEN: return "circuit_open";
    case LLM_CONNECT: return "connect";
    case LLM_TIMEOUT: return "timeout";
    case LLM_HTTP: return "http";
    case LLM_PROTOCOL: return "protocol";
    case LLM_CANCELLED: return "cancelled";
    }
    return "unknown";
}
