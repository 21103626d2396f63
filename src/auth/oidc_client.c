/*
 * OpenID Connect over the network; see oidc_client.h.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "auth/jwk.h"
#include "auth/oidc_client.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/curl.h"
#include "util/log.h"
#include "util/url.h"
#include "version.h"

/* What a worker remembers about one provider slot.  Lives for the
 * worker's lifetime; nothing in it is secret. */
struct slot_cache {
    bool have_disc;
    struct oidc_discovery disc;
    int64_t disc_at;      /* when disc was fetched */
    struct jwk_set *keys; /* NULL until fetched */
    char *keys_uri;       /* the jwks_uri keys came from */
    int64_t keys_at;      /* when keys were fetched */
    int64_t refetch_at;   /* the last refetch for an unknown kid, 0 = never */
};

static struct slot_cache cache[OIDC_NSLOTS];
static CURL *handle; /* the worker's one easy handle, reused */

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

/* Collects a response body into a struct buf whose limit bounds it;
 * returning less than given makes curl stop with CURLE_WRITE_ERROR. */
/* Returns the worker's curl handle, reset to defaults; NULL (logged) when
 * libcurl cannot start. */
static CURL *curl_handle(void)
{
    if (!curl_ready())
        return NULL;
    if (handle == NULL) {
        handle = curl_easy_init();
        if (handle == NULL)
            log_error("curl_easy_init failed");
        return handle;
    }
    curl_easy_reset(handle); /* keeps the connection and DNS caches */
    return handle;
}

/* GETs url, or POSTs the form when form is not NULL (with an
 * Authorization header when authorization is not NULL).  Returns true
 * when an HTTP answer came back: *status is its code and out (whose limit
 * is set to limit) its body.  Returns false after logging what failed,
 * with curl's reason; neither the form nor the answer is ever logged. */
static bool http_call(const char *what, const char *url, const struct buf *form,
                      const char *authorization, size_t limit, struct buf *out, long *status)
{
    char errbuf[CURL_ERROR_SIZE];
    struct curl_slist *headers = NULL;
    char *auth_line = NULL;
    CURL *h;
    CURLcode rc;
    bool plain = url_is_loopback_http(url);

    *status = 0;
    buf_reset(out);
    out->limit = limit;
    out->overflow = false;
    if (!url_https_or_loopback(url)) {
        LOG_FIELDS(LOG_ERROR, "oidc: refusing to fetch a URL that is not https",
                   LF_STR("what", what), LF_STR("url", url));
        return false;
    }
    h = curl_handle();
    if (h == NULL)
        return false;
    errbuf[0] = '\0';
    headers = curl_slist_append(headers, "Accept: application/json");
    if (form != NULL)
        headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
    if (authorization != NULL) {
        auth_line = xasprintf("Authorization: %s", authorization);
        headers = curl_slist_append(headers, auth_line);
    }
    if (headers == NULL) {
        log_error("curl_slist_append failed");
        abort(); /* allocation failure: the policy of util/alloc.h */
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, plain ? "http" : "https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, plain ? (long)CURLPROTO_HTTP : (long)CURLPROTO_HTTPS);
#endif
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)OIDC_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)OIDC_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)limit);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "plccoach/" PLC_VERSION);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, curl_write_buf);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    if (form != NULL) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, form->data ? form->data : "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)form->len);
    }
    rc = curl_easy_perform(h);
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    /* Nothing of this request may linger in the reused handle. */
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
    curl_slist_free_all(headers);
    if (auth_line != NULL) {
        OPENSSL_cleanse(auth_line, strlen(auth_line));
        free(auth_line);
    }
    if (rc != CURLE_OK) {
        LOG_FIELDS(LOG_WARN, "oidc: request failed", LF_STR("what", what), LF_STR("url", url),
                   LF_STR("reason", out->overflow ? "response too large"
                                    : errbuf[0]   ? errbuf
                                                  : curl_easy_strerror(rc)));
        return false;
    }
    return true;
}

/* ---- discovery ----------------------------------------------------------------- */

/* Fetches and checks p's discovery document into *out; false (logged). */
static bool discovery_fetch(const struct oidc_provider *p, struct oidc_discovery *out)
{
    char *url = oidc_discovery_url(p->issuer);
    struct buf body = BUF_INIT;
    const char *why = NULL;
    long status;
    bool ok = false;

    if (http_call("discovery", url, NULL, NULL, OIDC_DOC_MAX_BYTES, &body, &status)) {
        if (status != 200)
            LOG_FIELDS(LOG_WARN, "oidc: discovery document not served", LF_STR("provider", p->id),
                       LF_STR("url", url), LF_INT("status", status));
        else if (!oidc_discovery_parse(buf_str(&body), body.len, p->issuer, out, &why))
            LOG_FIELDS(LOG_ERROR, "oidc: discovery document refused", LF_STR("provider", p->id),
                       LF_STR("url", url), LF_STR("reason", why));
        else
            ok = true;
    }
    buf_free(&body);
    free(url);
    return ok;
}

const struct oidc_discovery *oidc_discover(const struct oidc_provider *p)
{
    struct slot_cache *c = &cache[p->slot];
    struct oidc_discovery fresh;
    int64_t now = now_s();

    if (c->have_disc && now - c->disc_at < OIDC_DISCOVERY_TTL && now >= c->disc_at)
        return &c->disc;
    if (!discovery_fetch(p, &fresh)) {
        if (c->have_disc) {
            LOG_FIELDS(LOG_WARN, "oidc: using the previous discovery document",
                       LF_STR("provider", p->id));
            c->disc_at = now - OIDC_DISCOVERY_TTL + 60; /* try again in a minute */
            return &c->disc;
        }
        return NULL;
    }
    oidc_discovery_clear(&c->disc);
    c->disc = fresh;
    c->have_disc = true;
    c->disc_at = now;
    return &c->disc;
}

/* ---- the key set -------------------------------------------------------------- */

/* Fetches the key set at d->jwks_uri into the cache.  False (logged, the
 * cache unchanged) when it cannot be had. */
static bool keys_fetch(const struct oidc_provider *p, const struct oidc_discovery *d,
                       struct slot_cache *c, int64_t now)
{
    struct buf body = BUF_INIT;
    struct jwk_set *set = NULL;
    const char *why = NULL;
    long status;

    if (http_call("jwks", d->jwks_uri, NULL, NULL, JWKS_MAX_BYTES, &body, &status)) {
        if (status != 200)
            LOG_FIELDS(LOG_WARN, "oidc: key set not served", LF_STR("provider", p->id),
                       LF_STR("url", d->jwks_uri), LF_INT("status", status));
        else if ((set = jwks_parse(buf_str(&body), body.len, &why)) == NULL)
            LOG_FIELDS(LOG_ERROR, "oidc: key set refused", LF_STR("provider", p->id),
                       LF_STR("url", d->jwks_uri), LF_STR("reason", why));
    }
    buf_free(&body);
    if (set == NULL)
        return false;
    jwks_free(c->keys);
    free(c->keys_uri);
    c->keys = set;
    c->keys_uri = xstrdup(d->jwks_uri);
    c->keys_at = now;
    LOG_FIELDS(LOG_INFO, "oidc: key set fetched", LF_STR("provider", p->id), LF_INT("keys", set->n),
               LF_INT("skipped", set->skipped), LF_INT("rejected", set->rejected));
    return true;
}

/* Returns the cached key set for d, fetching it when absent, expired or
 * from another jwks_uri; a stale one when a refresh fails; NULL when
 * there is none. */
static const struct jwk_set *keys_get(const struct oidc_provider *p, const struct oidc_discovery *d,
                                      struct slot_cache *c, int64_t now)
{
    bool same_uri = c->keys != NULL && strcmp(c->keys_uri, d->jwks_uri) == 0;

    if (same_uri && now - c->keys_at < OIDC_JWKS_TTL && now >= c->keys_at)
        return c->keys;
    if (keys_fetch(p, d, c, now))
        return c->keys;
    if (same_uri) {
        LOG_FIELDS(LOG_WARN, "oidc: using the previous key set", LF_STR("provider", p->id));
        return c->keys;
    }
    return NULL;
}

enum jwt_err oidc_verify_id_token(const struct oidc_provider *p, const struct oidc_discovery *d,
                                  const char *token, const char *nonce, struct jwt *out,
                                  bool *keys_unavailable)
{
    struct slot_cache *c = &cache[p->slot];
    int64_t now = now_s();
    struct jwt_expect expect = {p->issuer, p->client_id, nonce, now, OIDC_CLOCK_SKEW};
    const struct jwk_set *keys;
    enum jwt_err err;

    memset(out, 0, sizeof(*out));
    *keys_unavailable = false;
    keys = keys_get(p, d, c, now);
    if (keys == NULL) {
        *keys_unavailable = true;
        return JWT_ERR_INTERNAL;
    }
    err = jwt_verify(token, strlen(token), keys, &expect, out);
    if (err != JWT_ERR_UNKNOWN_KID)
        return err;
    if (c->refetch_at != 0 && now - c->refetch_at < OIDC_JWKS_REFETCH_MIN && now >= c->refetch_at) {
        LOG_FIELDS(LOG_WARN, "oidc: unknown kid; key set refetched too recently to try again",
                   LF_STR("provider", p->id), LF_STR("kid", out->kid));
        return err;
    }
    c->refetch_at = now;
    LOG_FIELDS(LOG_INFO, "oidc: unknown kid; fetching the key set again", LF_STR("provider", p->id),
               LF_STR("kid", out->kid));
    if (!keys_fetch(p, d, c, now))
        return err;
    jwt_clear(out);
    return jwt_verify(token, strlen(token), c->keys, &expect, out);
}

/* ---- the code exchange ------------------------------------------------------------ */

const char *oidc_exchange_errname(enum oidc_exchange_err err)
{
    switch (err) {
    case OIDC_EXCHANGE_OK: return "ok";
    case OIDC_EXCHANGE_UNREACHABLE: return "token_endpoint_unreachable";
    case OIDC_EXCHANGE_REFUSED: return "token_endpoint_refused";
    case OIDC_EXCHANGE_MALFORMED: return "token_response_malformed";
    }
    return "unknown";
}

/* Copies the provider's error code from an error response into out when
 * it is 1-40 characters of [a-z_] (RFC 6749 section 5.2 codes are), else
 * "". */
static void provider_error_code(const struct buf *body, char *out, size_t outlen)
{
    const char *why, *e;
    json_object *doc;
    size_t i, n;

    out[0] = '\0';
    doc = auth_json_parse_object(buf_str(body), body->len, &why);
    if (doc == NULL)
        return;
    e = auth_json_string(doc, "error");
    n = e ? strlen(e) : 0;
    if (n > 0 && n <= 40 && n < outlen) {
        for (i = 0; i < n; i++)
            if (!((e[i] >= 'a' && e[i] <= 'z') || e[i] == '_'))
                break;
        if (i == n)
            memcpy(out, e, n + 1);
    }
    json_object_put(doc);
}

enum oidc_exchange_err oidc_exchange_code(const struct oidc_provider *p,
                                          const struct oidc_discovery *d, const char *code,
                                          const char *redirect_uri, const char *verifier,
                                          char **id_token, char *provider_error, size_t errlen)
{
    struct buf form = BUF_INIT, body = BUF_INIT;
    char *authorization = NULL;
    enum oidc_exchange_err err = OIDC_EXCHANGE_MALFORMED;
    json_object *doc = NULL;
    const char *why, *tok;
    long status;
    bool answered;

    *id_token = NULL;
    provider_error[0] = '\0';
    oidc_token_request(p, d, code, redirect_uri, verifier, &form, &authorization);
    answered = http_call("token", d->token_endpoint, &form, authorization, OIDC_DOC_MAX_BYTES,
                         &body, &status);
    OPENSSL_cleanse(form.data, form.len);
    buf_free(&form);
    if (authorization != NULL) {
        OPENSSL_cleanse(authorization, strlen(authorization));
        free(authorization);
    }
    if (!answered) {
        err = OIDC_EXCHANGE_UNREACHABLE;
        goto done;
    }
    if (status != 200) {
        provider_error_code(&body, provider_error, errlen);
        LOG_FIELDS(LOG_WARN, "oidc: the token endpoint refused the code", LF_STR("provider", p->id),
                   LF_INT("status", status), LF_STR("error", provider_error));
        err = OIDC_EXCHANGE_REFUSED;
        goto done;
    }
    doc = auth_json_parse_object(buf_str(&body), body.len, &why);
    tok = doc ? auth_json_string(doc, "id_token") : NULL;
    if (tok == NULL || tok[0] == '\0' || strlen(tok) > JWT_MAX_BYTES) {
        LOG_FIELDS(LOG_WARN, "oidc: the token response has no usable id_token",
                   LF_STR("provider", p->id));
        goto done;
    }
    *id_token = xstrdup(tok);
    err = OIDC_EXCHANGE_OK;
done:
    json_object_put(doc);
    if (body.data != NULL)
        OPENSSL_cleanse(body.data, body.len); /* it held tokens */
    buf_free(&body);
    return err;
}
