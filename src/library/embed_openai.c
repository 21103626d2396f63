/*
 * The OpenAI-compatible embedder: POST {url}/v1/embeddings.
 *
 * Request:  {"model": M, "input": [texts...], "dimensions": N}
 * Response: {"data": [{"index": i, "embedding": [N numbers]}, ...], ...}
 *
 * At most EMBED_BATCH_MAX texts per request; connect timeout 5 s, total
 * timeout 60 s; the answer is bounded (EMBED_OPENAI_MAX_RESPONSE plus room
 * for the vectors).  Connection errors, timeouts, 429 and 5xx are retried
 * up to EMBED_OPENAI_ATTEMPTS times with exponential backoff (250 ms,
 * 500 ms, 1 s, ...); any other status and any malformed answer fail at
 * once.  The API key is sent as a bearer token and never logged.
 */
#include "config.h"

#include <curl/curl.h>
#include <math.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "library/embed.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/curl.h"
#include "util/json.h"
#include "util/log.h"
#include "util/retry.h"
#include "util/url.h"
#include "version.h"

#define EMBED_OPENAI_ATTEMPTS 4
#define EMBED_OPENAI_BACKOFF_MS 250
#define EMBED_OPENAI_CONNECT_TIMEOUT_MS 5000
#define EMBED_OPENAI_TIMEOUT_MS 60000
#define EMBED_OPENAI_MAX_RESPONSE (1024 * 1024)

/* 250 ms, 500 ms, 1 s (util/retry.h). */
static const struct retry_policy embed_retry = {EMBED_OPENAI_ATTEMPTS, EMBED_OPENAI_BACKOFF_MS, 1,
                                                0, false};

/* Builds the request body for texts[0..n) into body. */
static void request_body(const struct config *cfg, const char *const *texts, size_t n,
                         struct buf *body)
{
    size_t i;

    buf_puts(body, "{\"model\":\"");
    buf_json_escape(body, cfg->embeddings_model, strlen(cfg->embeddings_model));
    buf_puts(body, "\",\"input\":[");
    for (i = 0; i < n; i++) {
        buf_puts(body, i ? ",\"" : "\"");
        buf_json_escape(body, texts[i], strlen(texts[i]));
        buf_putc(body, '"');
    }
    buf_printf(body, "],\"dimensions\":%lld,\"encoding_format\":\"float\"}",
               (long long)cfg->embeddings_dimensions);
}

/* Parses a response for n texts into out.  Returns false (logging why)
 * unless every index 0..n-1 appears exactly once with exactly dims finite
 * numbers. */
static bool parse_response(const char *s, size_t len, size_t n, size_t dims, float *out)
{
    const char *why = NULL;
    json_object *root = json_parse_object_strict(s, len, 8, &why), *data;
    bool *seen = NULL, ok = false;
    size_t i, j;

    if (root == NULL) {
        LOG_FIELDS(LOG_ERROR, "embeddings: malformed answer", LF_STR("reason", why));
        return false;
    }
    if (!json_object_object_get_ex(root, "data", &data)
        || !json_object_is_type(data, json_type_array) || json_object_array_length(data) != n) {
        log_error("embeddings: answer without a data array of %zu items", n);
        goto done;
    }
    seen = xcalloc(n, sizeof(*seen));
    for (i = 0; i < n; i++) {
        json_object *item = json_object_array_get_idx(data, i), *idx, *emb;
        int64_t k;
        if (!json_object_is_type(item, json_type_object)
            || !json_object_object_get_ex(item, "index", &idx)
            || !json_object_is_type(idx, json_type_int)
            || !json_object_object_get_ex(item, "embedding", &emb)
            || !json_object_is_type(emb, json_type_array)) {
            log_error("embeddings: item %zu lacks an integer index or an embedding array", i);
            goto done;
        }
        k = json_object_get_int64(idx);
        if (k < 0 || (size_t)k >= n || seen[k]) {
            log_error("embeddings: item %zu has a bad or repeated index", i);
            goto done;
        }
        seen[k] = true;
        if (json_object_array_length(emb) != dims) {
            log_error("embeddings: item %zu has %zu dimensions, expected %zu", i,
                      json_object_array_length(emb), dims);
            goto done;
        }
        for (j = 0; j < dims; j++) {
            json_object *v = json_object_array_get_idx(emb, j);
            double d;
            if (!json_object_is_type(v, json_type_double)
                && !json_object_is_type(v, json_type_int)) {
                log_error("embeddings: item %zu holds a value that is not a number", i);
                goto done;
            }
            d = json_object_get_double(v);
            if (!isfinite(d) || fabs(d) > 1e6) {
                log_error("embeddings: item %zu holds a value out of range", i);
                goto done;
            }
            out[(size_t)k * dims + j] = (float)d;
        }
    }
    ok = true;
done:
    free(seen);
    json_object_put(root);
    return ok;
}

/* One batch's request: what embed_batch()'s attempts share. */
struct embed_call {
    CURL *h;                    /* the caller's handle */
    const char *url;            /* the caller's */
    bool plain;                 /* loopback http:// */
    struct buf body;            /* owned: the request body, freed by end_call() */
    struct buf resp;            /* owned: the answer (bounded), freed by end_call() */
    struct curl_slist *headers; /* owned: freed by end_call() */
    char *auth;                 /* owned: the bearer header, cleansed and freed by end_call() */
    char errbuf[CURL_ERROR_SIZE];
};

/* Builds the request of texts[0..n) (body, headers, the answer's bound). */
static void begin_call(struct embed_call *c, const struct config *cfg, const char *const *texts,
                       size_t n)
{
    size_t dims = (size_t)cfg->embeddings_dimensions;

    request_body(cfg, texts, n, &c->body);
    c->headers = curl_slist_append(c->headers, "Content-Type: application/json");
    c->headers = curl_slist_append(c->headers, "Accept: application/json");
    if (cfg->embeddings_api_key[0] != '\0') {
        c->auth = xasprintf("Authorization: Bearer %s", cfg->embeddings_api_key);
        c->headers = curl_slist_append(c->headers, c->auth);
    }
    if (c->headers == NULL) {
        log_error("curl_slist_append failed");
        abort(); /* allocation failure: the policy of util/alloc.h */
    }
    c->resp.limit = EMBED_OPENAI_MAX_RESPONSE + n * dims * 32;
}

/* Sets the handle up for one attempt, with an empty answer. */
static void begin_attempt(struct embed_call *c)
{
    CURL *h = c->h;

    buf_reset(&c->resp);
    c->resp.overflow = false;
    c->errbuf[0] = '\0';
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, c->url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, c->plain ? "http" : "https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, c->plain ? (long)CURLPROTO_HTTP : (long)CURLPROTO_HTTPS);
#endif
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)EMBED_OPENAI_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)EMBED_OPENAI_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->resp.limit);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "plccoach/" PLC_VERSION);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, buf_str(&c->body));
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)c->body.len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, curl_write_buf);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &c->resp);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
}

/* Logs a failed attempt (never the API key). */
static void log_failure(const struct embed_call *c, CURLcode rc, long status, int attempt)
{
    LOG_FIELDS(LOG_WARN, "embeddings: request failed", LF_STR("url", c->url),
               LF_INT("status", status), LF_INT("attempt", attempt),
               LF_STR("reason", rc == CURLE_OK         ? "HTTP status"
                                : c->resp.overflow     ? "response too large"
                                : c->errbuf[0] != '\0' ? c->errbuf
                                                       : curl_easy_strerror(rc)));
}

/* Frees what the call owns; the handle lets go of its headers first. */
static void end_call(struct embed_call *c)
{
    curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(c->headers);
    if (c->auth != NULL) {
        OPENSSL_cleanse(c->auth, strlen(c->auth));
        free(c->auth);
    }
    buf_free(&c->body);
    buf_free(&c->resp);
}

/* One batch (n <= EMBED_BATCH_MAX) with retries. */
static bool embed_batch(CURL *h, const struct config *cfg, const char *url,
                        const char *const *texts, size_t n, float *out)
{
    struct embed_call c = {.h = h,
                           .url = url,
                           .plain = url_is_loopback_http(url),
                           .body = BUF_INIT,
                           .resp = BUF_INIT,
                           .headers = NULL,
                           .auth = NULL};
    bool ok = false;
    int attempt;

    begin_call(&c, cfg, texts, n);
    for (attempt = 1; attempt <= EMBED_OPENAI_ATTEMPTS; attempt++) {
        long status = 0;
        CURLcode rc;
        bool retry;

        begin_attempt(&c);
        rc = curl_easy_perform(h);
        if (rc == CURLE_OK)
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (rc == CURLE_OK && status == 200) {
            ok = parse_response(c.resp.data ? c.resp.data : "", c.resp.len, n,
                                (size_t)cfg->embeddings_dimensions, out);
            break;
        }
        retry = (rc != CURLE_OK && !c.resp.overflow) || status == 429 || status >= 500;
        log_failure(&c, rc, status, attempt);
        if (!retry || !retry_more(&embed_retry, attempt))
            break;
        sleep_ms(retry_delay_ms(&embed_retry, attempt, -1));
    }
    end_call(&c);
    return ok;
}

bool embed_openai(const struct config *cfg, const char *const *texts, size_t n, float *out)
{
    size_t dims = (size_t)cfg->embeddings_dimensions, i;
    struct buf url = BUF_INIT;
    bool ok = true;
    CURL *h;

    if (cfg->embeddings_url[0] == '\0' || !url_https_or_loopback(cfg->embeddings_url)) {
        log_error("embeddings: PLCCOACH_EMBEDDINGS_URL must be an https:// URL (or loopback "
                  "http://)");
        return false;
    }
    if (!curl_ready())
        return false;
    h = curl_easy_init();
    if (h == NULL) {
        log_error("curl_easy_init failed");
        return false;
    }
    buf_puts(&url, cfg->embeddings_url);
    while (url.len > 0 && url.data[url.len - 1] == '/')
        url.data[--url.len] = '\0';
    buf_puts(&url, "/v1/embeddings");
    for (i = 0; i < n && ok; i += EMBED_BATCH_MAX) {
        size_t m = n - i < EMBED_BATCH_MAX ? n - i : EMBED_BATCH_MAX;
        ok = embed_batch(h, cfg, buf_str(&url), texts + i, m, out + i * dims);
    }
    curl_easy_cleanup(h);
    buf_free(&url);
    return ok;
}
