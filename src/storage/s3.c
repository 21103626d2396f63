/*
 * The S3 back end: PUT, GET and DELETE of objects and presigned GET URLs,
 * signed with SigV4 (sigv4.h) using the credential chain (creds.h).
 *
 * Addressing: with no endpoint, AWS virtual-hosted style
 * (https://BUCKET.s3.REGION.amazonaws.com/KEY; path-style on
 * s3.REGION.amazonaws.com for bucket names with dots, which TLS wildcards
 * cannot cover); with PLCCOACH_S3_ENDPOINT, path-style on it
 * (ENDPOINT/BUCKET/KEY), as S3-compatible servers want.
 *
 * Each request gets S3_ATTEMPTS tries: connection errors, timeouts, 500,
 * 502, 503 and 504 are retried after S3_BACKOFF_MS, 4x, 16x (a PUT re-reads
 * its file from the start with pread; a GET starts its sink over).  A
 * "token expired" answer drops the cached credentials and tries once more
 * with fresh ones.  Error bodies are read up to S3_ERROR_MAX bytes and
 * only their Code and Message are logged; URLs with signatures, headers
 * and credentials never are.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "storage/backend.h"
#include "storage/creds.h"
#include "storage/sigv4.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/curl.h"
#include "util/log.h"
#include "util/retry.h"
#include "util/url.h"
#include "version.h"

#define S3_ATTEMPTS 3
#define S3_BACKOFF_MS 200
#define S3_CONNECT_TIMEOUT_MS 3000
#define S3_TIMEOUT_MS 600000     /* a whole request, a 1 GB book included */
#define S3_LOW_SPEED_BYTES 1024L /* abort below this many bytes per second ... */
#define S3_LOW_SPEED_S 30L       /* ... for this long */
#define S3_ERROR_MAX 8192
#define S3_HASH_MAX (16u << 20) /* hash PUT bodies up to this size ourselves */

struct s3 {
    char *bucket;      /* owned */
    char *region;      /* owned */
    char *scheme_host; /* "https://host[:port]"; owned */
    char *host;        /* the Host header: "host[:port]"; owned */
    char *prefix;      /* "" (virtual-hosted) or "/BUCKET" (path-style); owned */
    bool plain_http;   /* endpoint on loopback over http */
    CURL *curl;        /* kept for the process's lifetime: connections stay open */
};

/* ---- error documents ---- */

/* Copies the text between <tag> and </tag> in xml[0..n) into out (size
 * outlen), printable ASCII only; false when the tag is absent. */
static bool xml_text(const char *xml, size_t n, const char *tag, char *out, size_t outlen)
{
    char open[32], close[32];
    const char *a, *b;
    size_t i, j = 0;

    snprintf(open, sizeof(open), "<%s>", tag);
    snprintf(close, sizeof(close), "</%s>", tag);
    out[0] = '\0';
    a = memmem(xml, n, open, strlen(open));
    if (a == NULL)
        return false;
    a += strlen(open);
    b = memmem(a, n - (size_t)(a - xml), close, strlen(close));
    if (b == NULL)
        return false;
    for (i = 0; a + i < b && j + 1 < outlen; i++) {
        unsigned char c = (unsigned char)a[i];
        out[j++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    out[j] = '\0';
    return true;
}

bool s3_parse_error(const char *xml, size_t n, char code[64], char message[256])
{
    xml_text(xml, n, "Message", message, 256);
    return xml_text(xml, n, "Code", code, 64);
}

/* ---- opening ---- */

static bool bucket_name_valid(const char *b)
{
    size_t n = strlen(b), i;

    if (n < 3 || n > 63)
        return false;
    for (i = 0; i < n; i++)
        if (!((b[i] >= 'a' && b[i] <= 'z') || (b[i] >= '0' && b[i] <= '9') || b[i] == '-'
              || b[i] == '.'))
            return false;
    return b[0] != '.' && b[0] != '-' && b[n - 1] != '.' && b[n - 1] != '-';
}

static bool region_valid(const char *r)
{
    size_t i;

    for (i = 0; r[i]; i++)
        if (!((r[i] >= 'a' && r[i] <= 'z') || (r[i] >= '0' && r[i] <= '9') || r[i] == '-'))
            return false;
    return i > 0 && i <= 32;
}

struct s3 *s3_open(const char *bucket, const char *region, const char *endpoint, char *err,
                   size_t errlen)
{
    struct s3 *s;

    if (!bucket_name_valid(bucket)) {
        snprintf(err, errlen, "not a valid S3 bucket name: %.64s", bucket);
        return NULL;
    }
    if (!region_valid(region)) {
        snprintf(err, errlen, "not a valid AWS region: %.40s", region);
        return NULL;
    }
    s = xcalloc(1, sizeof(*s));
    s->bucket = xstrdup(bucket);
    s->region = xstrdup(region);
    if (endpoint[0] != '\0') {
        const char *h = strstr(endpoint, "://");
        size_t n = strlen(endpoint);

        while (n > 0 && endpoint[n - 1] == '/')
            n--;
        if (!url_https_or_loopback(endpoint) || h == NULL
            || memchr(h + 3, '/', n - (size_t)(h + 3 - endpoint)) != NULL
            || memchr(endpoint, '?', n) != NULL) {
            snprintf(err, errlen,
                     "PLCCOACH_S3_ENDPOINT must be scheme://host[:port] (https, or "
                     "http on loopback)");
            s3_close(s);
            return NULL;
        }
        s->scheme_host = xstrndup(endpoint, n);
        s->host = xstrndup(h + 3, n - (size_t)(h + 3 - endpoint));
        s->prefix = xasprintf("/%s", bucket);
        s->plain_http = url_is_loopback_http(endpoint);
    } else if (strchr(bucket, '.') != NULL) {
        s->host = xasprintf("s3.%s.amazonaws.com", region);
        s->scheme_host = xasprintf("https://%s", s->host);
        s->prefix = xasprintf("/%s", bucket);
    } else {
        s->host = xasprintf("%s.s3.%s.amazonaws.com", bucket, region);
        s->scheme_host = xasprintf("https://%s", s->host);
        s->prefix = xstrdup("");
    }
    return s;
}

void s3_close(struct s3 *s)
{
    if (s == NULL)
        return;
    if (s->curl != NULL)
        curl_easy_cleanup(s->curl);
    free(s->bucket);
    free(s->region);
    free(s->scheme_host);
    free(s->host);
    free(s->prefix);
    free(s);
}

const char *s3_bucket(const struct s3 *s)
{
    return s->bucket;
}

/* ---- one request ---- */

/* A request's body (PUT) and the answer's destination. */
struct xfer {
    int fd; /* PUT: the source, read with pread; -1 otherwise */
    uint64_t length, sent;
    struct storage_sink *sink; /* GET: where a 2xx body goes; NULL otherwise */
    enum storage_status sink_status;
    bool sink_failed;
    struct buf errbody; /* a non-2xx body, bounded */
    CURL *curl;
};

static size_t on_read(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct xfer *x = userdata;
    size_t want = size * nmemb;
    ssize_t got;

    if (x->length - x->sent < want)
        want = (size_t)(x->length - x->sent);
    if (want == 0)
        return 0;
    do
        got = pread(x->fd, ptr, want, (off_t)x->sent);
    while (got < 0 && errno == EINTR);
    if (got <= 0) {
        log_error("storage: reading the upload for S3: %s", got < 0 ? strerror(errno) : "short");
        return CURL_READFUNC_ABORT;
    }
    x->sent += (uint64_t)got;
    return (size_t)got;
}

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct xfer *x = userdata;
    size_t n = size * nmemb;
    long status = 0;

    curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300 && x->sink != NULL) {
        if (!storage_sink_write(x->sink, ptr, n, &x->sink_status)) {
            x->sink_failed = true;
            return 0;
        }
        return n;
    }
    if (status >= 200 && status < 300)
        return n;                    /* a PUT or DELETE answer: ignored */
    buf_append(&x->errbody, ptr, n); /* bounded by its limit; the rest dropped */
    return n;
}

/* Returns the process's handle, reset; NULL (logged) when curl fails. */
static CURL *handle(struct s3 *s)
{
    if (!curl_ready())
        return NULL;
    if (s->curl == NULL) {
        s->curl = curl_easy_init();
        if (s->curl == NULL)
            log_error("curl_easy_init failed");
        return s->curl;
    }
    curl_easy_reset(s->curl); /* keeps connections and the DNS cache */
    return s->curl;
}

static bool retryable_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR: return true;
    default: return false;
    }
}

/* S3_BACKOFF_MS, 4x, 16x (util/retry.h). */
static const struct retry_policy s3_retry = {S3_ATTEMPTS, S3_BACKOFF_MS, 2, 0, false};

/* Restarts a GET's sink for another attempt; false when it cannot (a
 * file descriptor that is not seekable). */
static bool sink_rewind(struct storage_sink *sink, uint64_t start_off, bool seekable)
{
    if (sink->written == 0)
        return true;
    if (sink->buf != NULL) {
        sink->buf->len -= sink->written;
        sink->buf->data[sink->buf->len] = '\0';
    } else if (!seekable || ftruncate(sink->fd, (off_t)start_off) != 0
               || lseek(sink->fd, (off_t)start_off, SEEK_SET) < 0) {
        return false;
    }
    sink->written = 0;
    return true;
}

/* Performs method on key (put: fd and length; get: sink).  Returns the
 * status; logs once what went wrong. */
static enum storage_status request(struct s3 *s, const char *method, const char *key, int fd,
                                   uint64_t length, const char *content_type,
                                   const char *payload_hash, struct storage_sink *sink)
{
    struct buf url = BUF_INIT, path = BUF_INIT;
    struct xfer x;
    enum storage_status st = STORAGE_UNAVAILABLE;
    char errbuf[CURL_ERROR_SIZE], code[64] = "", message[256] = "", cerr[256] = "";
    off_t sink_start = sink != NULL && sink->buf == NULL ? lseek(sink->fd, 0, SEEK_CUR) : 0;
    bool refreshed = false;
    long status = 0;
    int attempt;
    CURLcode rc = CURLE_OK;

    buf_printf(&path, "%s/%s", s->prefix, key);
    buf_puts(&url, s->scheme_host);
    sigv4_uri_encode(&url, buf_str(&path), path.len, true);
    for (attempt = 1; attempt <= S3_ATTEMPTS; attempt++) {
        const struct sigv4_creds *c = creds_get(cerr, sizeof(cerr));
        struct sigv4_pair hdrs[3];
        struct sigv4_request r;
        struct curl_slist *list = NULL;
        char *extra[3] = {NULL, NULL, NULL}, *lines[3];
        size_t nextra = 0, nh = 0, i;
        bool again = false;
        CURL *h;

        if (c == NULL) {
            st = STORAGE_DENIED;
            break;
        }
        memset(&x, 0, sizeof(x));
        x.fd = fd;
        x.length = length;
        x.sink = sink;
        x.errbody.limit = S3_ERROR_MAX;
        hdrs[nh++] = (struct sigv4_pair){"Host", s->host};
        hdrs[nh++] = (struct sigv4_pair){"x-amz-content-sha256", payload_hash};
        if (content_type != NULL)
            hdrs[nh++] = (struct sigv4_pair){"Content-Type", content_type};
        memset(&r, 0, sizeof(r));
        r.method = method;
        r.path = buf_str(&path);
        r.headers = hdrs;
        r.nheaders = nh;
        r.payload_hash = payload_hash;
        r.region = s->region;
        r.service = "s3";
        r.time = (int64_t)time(NULL);
        if (!sigv4_sign_headers(c, &r, extra, &nextra)) {
            st = STORAGE_INVALID;
            break;
        }
        lines[0] = xasprintf("Host: %s", s->host);
        lines[1] = xasprintf("x-amz-content-sha256: %s", payload_hash);
        lines[2] = content_type != NULL ? xasprintf("Content-Type: %s", content_type) : NULL;
        for (i = 0; i < 3; i++)
            if (lines[i] != NULL && (list = curl_slist_append(list, lines[i])) == NULL)
                abort(); /* allocation failure: the policy of util/alloc.h */
        for (i = 0; i < nextra; i++)
            if ((list = curl_slist_append(list, extra[i])) == NULL)
                abort();
        h = handle(s);
        if (h == NULL) {
            st = STORAGE_UNAVAILABLE;
            goto next;
        }
        x.curl = h;
        errbuf[0] = '\0';
        curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
#if LIBCURL_VERSION_NUM >= 0x075500
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, s->plain_http ? "http" : "https");
#else
        curl_easy_setopt(h, CURLOPT_PROTOCOLS,
                         s->plain_http ? (long)CURLPROTO_HTTP : (long)CURLPROTO_HTTPS);
#endif
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)S3_CONNECT_TIMEOUT_MS);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)S3_TIMEOUT_MS);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, S3_LOW_SPEED_BYTES);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, S3_LOW_SPEED_S);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(h, CURLOPT_USERAGENT, "plccoach/" PLC_VERSION);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
        if (strcmp(method, "PUT") == 0) {
            curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
            curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)length);
            curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
            curl_easy_setopt(h, CURLOPT_READDATA, &x);
        } else if (strcmp(method, "DELETE") == 0) {
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
        } else if (sink != NULL && sink->limit != 0) {
            curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)sink->limit);
        }
        rc = curl_easy_perform(h);
        status = 0;
        if (rc == CURLE_OK)
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        /* Nothing of this request may linger in the reused handle. */
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
        curl_easy_setopt(h, CURLOPT_READDATA, NULL);
        code[0] = message[0] = '\0';
        if (x.errbody.len > 0)
            s3_parse_error(x.errbody.data, x.errbody.len, code, message);
        if (x.sink_failed) {
            st = x.sink_status;
        } else if (rc == CURLE_FILESIZE_EXCEEDED) {
            st = STORAGE_TOO_LARGE;
        } else if (rc == CURLE_OK && status >= 200 && status < 300) {
            st = STORAGE_OK;
        } else if (rc == CURLE_OK && status == 404) {
            st = strcmp(code, "NoSuchBucket") == 0 ? STORAGE_UNAVAILABLE : STORAGE_NOT_FOUND;
        } else if (rc == CURLE_OK && (status == 400 || status == 403)
                   && (strcmp(code, "ExpiredToken") == 0 || strcmp(code, "InvalidToken") == 0
                       || strcmp(code, "TokenRefreshRequired") == 0)
                   && !refreshed) {
            creds_forget(); /* try once more with fresh credentials */
            refreshed = again = true;
            attempt--;
            st = STORAGE_DENIED;
        } else if (rc == CURLE_OK && (status == 401 || status == 403)) {
            st = STORAGE_DENIED;
        } else if (rc == CURLE_OK && status == 400) {
            st = STORAGE_INVALID;
        } else if ((rc == CURLE_OK && status >= 500 && status != 501) || retryable_curl(rc)) {
            st = STORAGE_UNAVAILABLE;
            if (attempt < S3_ATTEMPTS && sink != NULL
                && !sink_rewind(sink, (uint64_t)sink_start, sink_start >= 0))
                attempt = S3_ATTEMPTS; /* the bytes already written cannot be taken back */
            if (attempt < S3_ATTEMPTS) {
                again = true;
                LOG_FIELDS(
                    LOG_WARN, "s3: retrying", LF_STR("method", method), LF_STR("bucket", s->bucket),
                    LF_STR("key", key), LF_INT("status", status),
                    LF_STR("error",
                           rc != CURLE_OK ? (errbuf[0] ? errbuf : curl_easy_strerror(rc)) : code),
                    LF_INT("attempt", attempt));
                sleep_ms(retry_delay_ms(&s3_retry, attempt, -1));
            }
        } else {
            st = STORAGE_UNAVAILABLE; /* not worth another try */
        }
    next:
        curl_slist_free_all(list);
        for (i = 0; i < 3; i++)
            free(lines[i]);
        for (i = 0; i < nextra; i++) {
            OPENSSL_cleanse(extra[i], strlen(extra[i]));
            free(extra[i]);
        }
        buf_free(&x.errbody);
        if (!again)
            break;
    }
    if (st != STORAGE_OK && !(st == STORAGE_NOT_FOUND && strcmp(method, "DELETE") == 0)) {
        const char *why = cerr[0] && st == STORAGE_DENIED && status == 0 ? cerr
                          : rc != CURLE_OK ? (errbuf[0] ? errbuf : curl_easy_strerror(rc))
                                           : message;
        LOG_FIELDS(st == STORAGE_NOT_FOUND ? LOG_INFO : LOG_WARN, "s3: request failed",
                   LF_STR("method", method), LF_STR("bucket", s->bucket), LF_STR("key", key),
                   LF_INT("status", status), LF_STR("code", code), LF_STR("error", why),
                   LF_STR("outcome", storage_strerror(st)));
    }
    buf_free(&url);
    buf_free(&path);
    return st;
}

/* Hashes length bytes of fd (pread from 0) into hex; false on a read error. */
static bool hash_fd(int fd, uint64_t length, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char out[EVP_MAX_MD_SIZE], chunk[65536];
    unsigned int len = 0, i;
    uint64_t off = 0;
    bool ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;

    while (ok && off < length) {
        size_t want = length - off < sizeof(chunk) ? (size_t)(length - off) : sizeof(chunk);
        ssize_t got = pread(fd, chunk, want, (off_t)off);
        if (got < 0 && errno == EINTR)
            continue;
        ok = got > 0 && EVP_DigestUpdate(md, chunk, (size_t)got) == 1;
        off += got > 0 ? (uint64_t)got : 0;
    }
    ok = ok && EVP_DigestFinal_ex(md, out, &len) == 1 && len == 32;
    EVP_MD_CTX_free(md);
    for (i = 0; ok && i < 32; i++) {
        hex[2 * i] = digits[out[i] >> 4];
        hex[2 * i + 1] = digits[out[i] & 15];
    }
    hex[64] = '\0';
    return ok;
}

static bool hex64(const char *s)
{
    size_t i;

    for (i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[64] == '\0';
}

enum storage_status s3_put_fd(struct s3 *s, const char *key, int fd, uint64_t length,
                              const char *content_type, const char *sha256)
{
    char hex[65];
    const char *hash = SIGV4_UNSIGNED_PAYLOAD;

    /* Sign the payload when its hash is known or cheap (always over plain
     * http, where nothing else protects it); UNSIGNED-PAYLOAD over HTTPS
     * for large bodies the caller did not hash. */
    if (sha256 != NULL && hex64(sha256)) {
        hash = sha256;
    } else if (length <= S3_HASH_MAX || s->plain_http) {
        if (!hash_fd(fd, length, hex)) {
            log_error("storage: could not read the upload to hash it");
            return STORAGE_IO;
        }
        hash = hex;
    }
    return request(s, "PUT", key, fd, length,
                   content_type != NULL ? content_type : "application/octet-stream", hash, NULL);
}

enum storage_status s3_get(struct s3 *s, const char *key, struct storage_sink *sink)
{
    return request(s, "GET", key, -1, 0, NULL, SIGV4_EMPTY_SHA256, sink);
}

enum storage_status s3_delete(struct s3 *s, const char *key)
{
    enum storage_status st = request(s, "DELETE", key, -1, 0, NULL, SIGV4_EMPTY_SHA256, NULL);

    return st == STORAGE_NOT_FOUND ? STORAGE_OK : st;
}

enum storage_status s3_presign_get(struct s3 *s, const char *key, int64_t expires_s,
                                   const char *disposition, const char *content_type, char **url)
{
    struct sigv4_pair host = {"Host", s->host}, query[2];
    size_t nquery = 0;
    struct sigv4_request r;
    struct buf path = BUF_INIT, out = BUF_INIT;
    char cerr[256];
    const struct sigv4_creds *c = creds_get(cerr, sizeof(cerr));
    bool ok;

    if (c == NULL)
        return STORAGE_DENIED;
    buf_printf(&path, "%s/%s", s->prefix, key);
    memset(&r, 0, sizeof(r));
    r.method = "GET";
    r.path = buf_str(&path);
    r.headers = &host;
    r.nheaders = 1;
    if (disposition != NULL)
        query[nquery++] = (struct sigv4_pair){"response-content-disposition", disposition};
    if (content_type != NULL)
        query[nquery++] = (struct sigv4_pair){"response-content-type", content_type};
    r.query = nquery ? query : NULL;
    r.nquery = nquery;
    r.payload_hash = SIGV4_UNSIGNED_PAYLOAD;
    r.region = s->region;
    r.service = "s3";
    r.time = (int64_t)time(NULL);
    ok = sigv4_presign(c, &r, s->scheme_host, expires_s, &out);
    buf_free(&path);
    if (!ok) {
        buf_free(&out);
        return STORAGE_INVALID;
    }
    *url = buf_steal(&out);
    return STORAGE_OK;
}
