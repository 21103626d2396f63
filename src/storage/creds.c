/*
 * The AWS credential chain; see creds.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "storage/creds.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/curl.h"
#include "util/json.h"
#include "util/log.h"
#include "util/url.h"
#include "version.h"

#define ECS_HOST "http://169.254.170.2"
#define IMDS_DEFAULT "http://169.254.169.254"

/* The process's cache: owned here, wiped on replacement. */
static struct sigv4_creds cached;
static int64_t cached_expires; /* 0 = never */
static bool have_cached;

/* Wipes and frees one secret string. */
static void wipe(char **s)
{
    if (*s != NULL) {
        OPENSSL_cleanse(*s, strlen(*s));
        free(*s);
        *s = NULL;
    }
}

void creds_clear(struct sigv4_creds *c)
{
    if (c == NULL)
        return;
    wipe(&c->access_key_id);
    wipe(&c->secret_access_key);
    wipe(&c->session_token);
}

void creds_forget(void)
{
    creds_clear(&cached);
    have_cached = false;
    cached_expires = 0;
}

bool creds_parse_time(const char *s, int64_t *out)
{
    struct tm tm;
    const char *p;
    time_t t;
    int i;

    /* YYYY-MM-DDTHH:MM:SS[.fff]Z, digits checked one by one. */
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    for (i = 0; shape[i]; i++) {
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
            return false;
    }
    p = s + i;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (strcmp(p, "Z") != 0)
        return false;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = atoi(s) - 1900;
    tm.tm_mon = atoi(s + 5) - 1;
    tm.tm_mday = atoi(s + 8);
    tm.tm_hour = atoi(s + 11);
    tm.tm_min = atoi(s + 14);
    tm.tm_sec = atoi(s + 17);
    if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23
        || tm.tm_min > 59 || tm.tm_sec > 60)
        return false;
    t = timegm(&tm);
    if (t == (time_t)-1)
        return false;
    *out = (int64_t)t;
    return true;
}

/* The string member key of o, or NULL when absent, not a string, empty,
 * longer than max, or holding anything but printable ASCII. */
static const char *member(json_object *o, const char *key, size_t max)
{
    json_object *v;
    const char *s;
    size_t i, n;

    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    s = json_object_get_string(v);
    n = (size_t)json_object_get_string_len(v);
    if (n == 0 || n > max || strlen(s) != n)
        return NULL;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return NULL;
    return s;
}

bool creds_parse_json(const char *data, size_t n, struct sigv4_creds *out, int64_t *expires_at,
                      char *err, size_t errlen)
{
    const char *why = NULL, *id, *secret, *token, *exp, *code;
    json_object *o;

    memset(out, 0, sizeof(*out));
    *expires_at = 0;
    if (n > CREDS_MAX_BYTES) {
        snprintf(err, errlen, "the credentials document is too large");
        return false;
    }
    o = json_parse_object_strict(data, n, 4, &why);
    if (o == NULL) {
        snprintf(err, errlen, "the credentials document is not a JSON object: %s", why);
        return false;
    }
    code = member(o, "Code", 64);
    id = member(o, "AccessKeyId", 128);
    secret = member(o, "SecretAccessKey", 256);
    token = member(o, "Token", 8192);
    exp = member(o, "Expiration", 64);
    if (json_object_object_get_ex(o, "Code", NULL)
        && (code == NULL || strcmp(code, "Success") != 0)) {
        snprintf(err, errlen, "the credentials endpoint answered Code %.40s",
                 code ? code : "(not a string)");
    } else if (id == NULL || secret == NULL) {
        snprintf(err, errlen,
                 "the credentials document has no valid AccessKeyId and "
                 "SecretAccessKey");
    } else if (json_object_object_get_ex(o, "Token", NULL) && token == NULL) {
        snprintf(err, errlen, "the credentials document's Token is not valid");
    } else if (json_object_object_get_ex(o, "Expiration", NULL)
               && (exp == NULL || !creds_parse_time(exp, expires_at))) {
        snprintf(err, errlen, "the credentials document's Expiration is not an ISO 8601 time");
    } else {
        out->access_key_id = xstrdup(id);
        out->secret_access_key = xstrdup(secret);
        out->session_token = token ? xstrdup(token) : NULL;
        json_object_put(o);
        return true;
    }
    json_object_put(o);
    *expires_at = 0;
    return false;
}

/* Collects a bounded response body. */
/* One plain HTTP call to a credentials endpoint: GET, or PUT with an
 * empty body when put.  header may be NULL.  Returns the status (0 when
 * nothing came back) with the body in out (bounded); the header and the
 * body are never logged. */
static long http_call(const char *url, bool put, const char *header, struct buf *out)
{
    char errbuf[CURL_ERROR_SIZE];
    struct curl_slist *headers = NULL;
    long status = 0;
    CURL *h;
    CURLcode rc;

    buf_free(out);
    out->limit = CREDS_MAX_BYTES;
    if (!curl_ready() || (h = curl_easy_init()) == NULL) {
        log_error("credentials: libcurl cannot start");
        return 0;
    }
    if (header != NULL && (headers = curl_slist_append(NULL, header)) == NULL)
        abort(); /* allocation failure: the policy of util/alloc.h */
    errbuf[0] = '\0';
    curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)CREDS_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)CREDS_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)CREDS_MAX_BYTES);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "plccoach/" PLC_VERSION);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, curl_write_buf);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    if (put) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
    }
    rc = curl_easy_perform(h);
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    else
        LOG_FIELDS(LOG_WARN, "credentials endpoint unreachable", LF_STR("url", url),
                   LF_STR("error", errbuf[0] ? errbuf : curl_easy_strerror(rc)));
    curl_easy_cleanup(h);
    if (headers != NULL) {
        OPENSSL_cleanse(headers->data, strlen(headers->data));
        curl_slist_free_all(headers);
    }
    return status;
}

/* Returns true when a FULL_URI may be fetched: https, or http to
 * loopback or the ECS/EKS link-local addresses. */
static bool full_uri_allowed(const char *u)
{
    static const char *const hosts[] = {"http://169.254.170.2/", "http://169.254.170.23/",
                                        "http://169.254.170.2:", "http://169.254.170.23:"};
    size_t i;

    if (url_https_or_loopback(u))
        return true;
    for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
        if (strncmp(u, hosts[i], strlen(hosts[i])) == 0)
            return true;
    return false;
}

/* Reads the authorization token for a FULL_URI, or NULL (none).  Caller
 * wipes and frees. */
static char *container_token(void)
{
    const char *tok = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    const char *file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    char line[4096];
    FILE *f;
    size_t n;

    if (file != NULL && file[0] != '\0' && (f = fopen(file, "r")) != NULL) {
        n = fread(line, 1, sizeof(line) - 1, f);
        fclose(f);
        line[n] = '\0';
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] != '\0') {
            char *r = xasprintf("Authorization: %s", line);
            OPENSSL_cleanse(line, sizeof(line));
            return r;
        }
    }
    return tok != NULL && tok[0] != '\0' ? xasprintf("Authorization: %s", tok) : NULL;
}

/* Fetches from the ECS endpoint; false (err set) when it fails. */
static bool from_ecs(const char *url, struct sigv4_creds *c, int64_t *exp, char *err, size_t errlen)
{
    struct buf body = BUF_INIT;
    char *auth = container_token();
    long status = http_call(url, false, auth, &body);
    bool ok = false;

    if (auth != NULL) {
        OPENSSL_cleanse(auth, strlen(auth));
        free(auth);
    }
    if (status == 200)
        ok = creds_parse_json(body.data ? body.data : "", body.len, c, exp, err, errlen);
    else
        snprintf(err, errlen, "the container credentials endpoint answered %ld%s", status,
                 body.overflow ? " (too large)" : "");
    if (body.data != NULL)
        OPENSSL_cleanse(body.data, body.len);
    buf_free(&body);
    return ok;
}

/* Fetches from EC2 instance metadata v2; false (err set) when it fails. */
static bool from_imds(struct sigv4_creds *c, int64_t *exp, char *err, size_t errlen)
{
    const char *base = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    struct buf body = BUF_INIT;
    char *url, *hdr = NULL, *role = NULL;
    long status;
    bool ok = false;
    size_t i;

    if (base == NULL || base[0] == '\0')
        base = IMDS_DEFAULT;
    url = xasprintf("%s/latest/api/token", base);
    status = http_call(url, true, "X-aws-ec2-metadata-token-ttl-seconds: 21600", &body);
    free(url);
    if (status != 200 || body.len == 0 || body.len > 1024) {
        snprintf(err, errlen, "instance metadata gave no session token (status %ld)", status);
        goto done;
    }
    for (i = 0; i < body.len; i++)
        if ((unsigned char)body.data[i] < 0x21 || (unsigned char)body.data[i] > 0x7e) {
            snprintf(err, errlen, "instance metadata's session token is malformed");
            goto done;
        }
    hdr = xasprintf("X-aws-ec2-metadata-token: %s", body.data);
    OPENSSL_cleanse(body.data, body.len);
    url = xasprintf("%s/latest/meta-data/iam/security-credentials/", base);
    status = http_call(url, false, hdr, &body);
    free(url);
    if (status != 200 || body.len == 0) {
        snprintf(err, errlen, "instance metadata names no IAM role (status %ld)", status);
        goto done;
    }
    role = xstrndup(body.data, strcspn(body.data, "\r\n"));
    for (i = 0; role[i]; i++)
        if (!((role[i] >= 'A' && role[i] <= 'Z') || (role[i] >= 'a' && role[i] <= 'z')
              || (role[i] >= '0' && role[i] <= '9') || strchr("+=,.@_-", role[i]) != NULL)) {
            snprintf(err, errlen, "instance metadata's IAM role name is malformed");
            goto done;
        }
    if (role[0] == '\0' || i > 128) {
        snprintf(err, errlen, "instance metadata's IAM role name is malformed");
        goto done;
    }
    url = xasprintf("%s/latest/meta-data/iam/security-credentials/%s", base, role);
    status = http_call(url, false, hdr, &body);
    free(url);
    if (status == 200)
        ok = creds_parse_json(body.data ? body.data : "", body.len, c, exp, err, errlen);
    else
        snprintf(err, errlen, "instance metadata's credentials answered %ld", status);
done:
    if (body.data != NULL)
        OPENSSL_cleanse(body.data, body.len);
    buf_free(&body);
    if (hdr != NULL) {
        OPENSSL_cleanse(hdr, strlen(hdr));
        free(hdr);
    }
    free(role);
    return ok;
}

/* Runs the chain; true with c and *exp filled, or false with err. */
static bool fetch(struct sigv4_creds *c, int64_t *exp, const char **source, char *err,
                  size_t errlen)
{
    const char *id = getenv("AWS_ACCESS_KEY_ID"), *secret = getenv("AWS_SECRET_ACCESS_KEY");
    const char *token = getenv("AWS_SESSION_TOKEN"), *rel, *full, *off;
    bool ok;

    *exp = 0;
    if (id != NULL && id[0] != '\0' && secret != NULL && secret[0] != '\0') {
        c->access_key_id = xstrdup(id);
        c->secret_access_key = xstrdup(secret);
        c->session_token = token != NULL && token[0] != '\0' ? xstrdup(token) : NULL;
        *source = "environment";
        return true;
    }
    rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (rel != NULL && rel[0] == '/') {
        char *url = xasprintf(ECS_HOST "%s", rel);
        *source = "ecs";
        ok = from_ecs(url, c, exp, err, errlen);
        free(url);
        return ok;
    }
    if (full != NULL && full[0] != '\0') {
        *source = "ecs";
        if (!full_uri_allowed(full)) {
            snprintf(err, errlen,
                     "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http on "
                     "loopback or the ECS link-local address");
            return false;
        }
        return from_ecs(full, c, exp, err, errlen);
    }
    off = getenv("AWS_EC2_METADATA_DISABLED");
    if (off != NULL && strcasecmp(off, "true") == 0) {
        snprintf(err, errlen,
                 "no AWS credentials: none in the environment, no container "
                 "endpoint, and instance metadata is disabled");
        return false;
    }
    *source = "imds";
    return from_imds(c, exp, err, errlen);
}

const struct sigv4_creds *creds_get(char *err, size_t errlen)
{
    struct sigv4_creds fresh = {NULL, NULL, NULL};
    int64_t exp = 0, now = (int64_t)time(NULL);
    const char *source = "?";

    if (have_cached && (cached_expires == 0 || now < cached_expires - CREDS_REFRESH_S))
        return &cached;
    if (!fetch(&fresh, &exp, &source, err, errlen)) {
        creds_clear(&fresh);
        if (have_cached && now < cached_expires) {
            LOG_FIELDS(LOG_WARN,
                       "credentials refresh failed; using the cached ones until they "
                       "expire",
                       LF_STR("source", source), LF_STR("error", err));
            return &cached;
        }
        LOG_FIELDS(LOG_ERROR, "no AWS credentials", LF_STR("source", source), LF_STR("error", err));
        creds_forget();
        return NULL;
    }
    creds_forget();
    cached = fresh;
    cached_expires = exp;
    have_cached = true;
    LOG_FIELDS(LOG_INFO, "AWS credentials loaded", LF_STR("source", source),
               LF_INT("expires_in_s", exp ? exp - now : 0));
    return &cached;
}
