/*
 * AWS Signature Version 4; see sigv4.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "storage/sigv4.h"
#include "util/alloc.h"
#include "util/buf.h"

static const char hexdigits[] = "0123456789abcdef";

static void to_hex(const unsigned char *in, size_t n, char *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = hexdigits[in[i] >> 4];
        out[2 * i + 1] = hexdigits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

void sigv4_uri_encode(struct buf *out, const char *s, size_t n, bool keep_slash)
{
    static const char upper[] = "0123456789ABCDEF";
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
            || c == '.' || c == '_' || c == '~' || (c == '/' && keep_slash)) {
            buf_putc(out, (char)c);
        } else {
            char esc[3] = {'%', upper[c >> 4], upper[c & 15]};
            buf_append(out, esc, 3);
        }
    }
}

void sigv4_sha256_hex(const void *data, size_t n, char hex[65])
{
    unsigned char md[32];
    unsigned int len = 0;

    if (EVP_Digest(data, n, md, &len, EVP_sha256(), NULL) != 1 || len != 32)
        abort(); /* OpenSSL without SHA-256: nothing can work */
    to_hex(md, 32, hex);
}

void sigv4_amz_date(int64_t t, char out[17])
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* A header on its way to canonical form: the lower-cased name and the
 * trimmed value, and its position so that equal names keep their order. */
struct canon_header {
    char *name;  /* owned */
    char *value; /* owned */
    size_t pos;
};

static int cmp_header(const void *a, const void *b)
{
    const struct canon_header *x = a, *y = b;
    int c = strcmp(x->name, y->name);

    if (c != 0)
        return c;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* A query pair, encoded. */
struct canon_pair {
    char *name;  /* owned */
    char *value; /* owned */
};

static int cmp_pair(const void *a, const void *b)
{
    const struct canon_pair *x = a, *y = b;
    int c = strcmp(x->name, y->name);

    return c != 0 ? c : strcmp(x->value, y->value);
}

/* Returns the header's value trimmed, runs of spaces collapsed; NULL when
 * it holds a control byte.  Caller frees. */
static char *canon_value(const char *v)
{
    struct buf b = BUF_INIT;
    bool space = false;

    while (*v == ' ' || *v == '\t')
        v++;
    for (; *v; v++) {
        unsigned char c = (unsigned char)*v;
        if (c == ' ' || c == '\t') {
            space = true;
            continue;
        }
        if (c < 0x20 || c == 0x7f) {
            buf_free(&b);
            return NULL;
        }
        if (space)
            buf_putc(&b, ' ');
        space = false;
        buf_putc(&b, (char)c);
    }
    return buf_steal(&b);
}

/* Returns the lower-cased name; NULL when empty or not a token. */
static char *canon_name(const char *n)
{
    char *s;
    size_t i;

    if (n[0] == '\0')
        return NULL;
    s = xstrdup(n);
    for (i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || c == ':') {
            free(s);
            return NULL;
        }
        if (c >= 'A' && c <= 'Z')
            s[i] = (char)(c - 'A' + 'a');
    }
    return s;
}

bool sigv4_canonical_request(const struct sigv4_request *r, struct buf *creq,
                             struct buf *signed_headers)
{
    struct canon_header *h = xcalloc(r->nheaders ? r->nheaders : 1, sizeof(*h));
    struct canon_pair *q = xcalloc(r->nquery ? r->nquery : 1, sizeof(*q));
    bool ok = true, have_host = false;
    size_t i;

    for (i = 0; i < r->nheaders && ok; i++) {
        h[i].name = canon_name(r->headers[i].name);
        h[i].value = canon_value(r->headers[i].value);
        h[i].pos = i;
        ok = h[i].name != NULL && h[i].value != NULL;
        if (ok && strcmp(h[i].name, "host") == 0)
            have_host = true;
    }
    ok = ok && have_host;
    if (ok) {
        qsort(h, r->nheaders, sizeof(*h), cmp_header);
        for (i = 0; i < r->nquery; i++) {
            struct buf b = BUF_INIT;
            sigv4_uri_encode(&b, r->query[i].name, strlen(r->query[i].name), false);
            q[i].name = buf_steal(&b);
            sigv4_uri_encode(&b, r->query[i].value, strlen(r->query[i].value), false);
            q[i].value = buf_steal(&b);
        }
        qsort(q, r->nquery, sizeof(*q), cmp_pair);

        buf_printf(creq, "%s\n", r->method);
        sigv4_uri_encode(creq, r->path, strlen(r->path), true);
        buf_putc(creq, '\n');
        for (i = 0; i < r->nquery; i++)
            buf_printf(creq, "%s%s=%s", i ? "&" : "", q[i].name, q[i].value);
        buf_putc(creq, '\n');
        for (i = 0; i < r->nheaders; i++) {
            if (i > 0 && strcmp(h[i].name, h[i - 1].name) == 0) {
                buf_printf(creq, ",%s", h[i].value);
                continue;
            }
            buf_printf(creq, "%s%s:%s", i ? "\n" : "", h[i].name, h[i].value);
            buf_printf(signed_headers, "%s%s", i ? ";" : "", h[i].name);
        }
        buf_printf(creq, "\n\n%s\n%s", buf_str(signed_headers), r->payload_hash);
    }
    for (i = 0; i < r->nheaders; i++) {
        free(h[i].name);
        free(h[i].value);
    }
    for (i = 0; i < r->nquery; i++) {
        free(q[i].name);
        free(q[i].value);
    }
    free(h);
    free(q);
    return ok;
}

/* Writes "YYYYMMDD/region/service/aws4_request" into scope. */
static void credential_scope(const struct sigv4_request *r, struct buf *scope)
{
    char date[17];

    sigv4_amz_date(r->time, date);
    buf_printf(scope, "%.8s/%s/%s/aws4_request", date, r->region, r->service);
}

void sigv4_string_to_sign(const struct sigv4_request *r, const char *creq, struct buf *sts)
{
    struct buf scope = BUF_INIT;
    char date[17], hash[65];

    sigv4_amz_date(r->time, date);
    credential_scope(r, &scope);
    sigv4_sha256_hex(creq, strlen(creq), hash);
    buf_printf(sts, "AWS4-HMAC-SHA256\n%s\n%s\n%s", date, buf_str(&scope), hash);
    buf_free(&scope);
}

/* out = HMAC-SHA256(key, msg). */
static void hmac(const unsigned char *key, size_t keylen, const char *msg, unsigned char out[32])
{
    unsigned int len = 0;

    if (HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg, strlen(msg), out, &len)
            == NULL
        || len != 32)
        abort(); /* as in sigv4_sha256_hex */
}

void sigv4_signature(const char *secret, const struct sigv4_request *r, const char *sts,
                     char sig[65])
{
    unsigned char k[32], out[32];
    char date[17], *first = xasprintf("AWS4%s", secret);

    sigv4_amz_date(r->time, date);
    date[8] = '\0';
    hmac((const unsigned char *)first, strlen(first), date, k);
    hmac(k, 32, r->region, k);
    hmac(k, 32, r->service, k);
    hmac(k, 32, "aws4_request", k);
    hmac(k, 32, sts, out);
    to_hex(out, 32, sig);
    OPENSSL_cleanse(first, strlen(first));
    OPENSSL_cleanse(k, sizeof(k));
    free(first);
}

bool sigv4_sign_headers(const struct sigv4_creds *c, const struct sigv4_request *r, char *extra[3],
                        size_t *nextra)
{
    struct sigv4_pair *h = xcalloc(r->nheaders + 2, sizeof(*h));
    struct sigv4_request rr = *r;
    struct buf creq = BUF_INIT, sh = BUF_INIT, sts = BUF_INIT, scope = BUF_INIT;
    char date[17], sig[65];
    bool ok;

    *nextra = 0;
    sigv4_amz_date(r->time, date);
    if (r->nheaders > 0)
        memcpy(h, r->headers, r->nheaders * sizeof(*h));
    rr.headers = h;
    h[rr.nheaders++] = (struct sigv4_pair){"x-amz-date", date};
    if (c->session_token != NULL)
        h[rr.nheaders++] = (struct sigv4_pair){"x-amz-security-token", c->session_token};
    ok = sigv4_canonical_request(&rr, &creq, &sh);
    if (ok) {
        sigv4_string_to_sign(&rr, buf_str(&creq), &sts);
        sigv4_signature(c->secret_access_key, &rr, buf_str(&sts), sig);
        credential_scope(&rr, &scope);
        extra[(*nextra)++] = xasprintf("X-Amz-Date: %s", date);
        if (c->session_token != NULL)
            extra[(*nextra)++] = xasprintf("X-Amz-Security-Token: %s", c->session_token);
        extra[(*nextra)++] = xasprintf(
            "Authorization: AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
            c->access_key_id, buf_str(&scope), buf_str(&sh), sig);
        OPENSSL_cleanse(sig, sizeof(sig));
    }
    free(h);
    buf_free(&creq);
    buf_free(&sh);
    buf_free(&sts);
    buf_free(&scope);
    return ok;
}

bool sigv4_presign(const struct sigv4_creds *c, const struct sigv4_request *r,
                   const char *scheme_host, int64_t expires_s, struct buf *url)
{
    struct sigv4_pair *q;
    struct sigv4_request rr = *r;
    struct buf creq = BUF_INIT, sh = BUF_INIT, sts = BUF_INIT, scope = BUF_INIT, cred = BUF_INIT;
    char date[17], expires[24], sig[65];
    size_t i;
    bool ok;

    if (expires_s < 1 || expires_s > 604800)
        return false;
    q = xcalloc(r->nquery + 6, sizeof(*q));
    sigv4_amz_date(r->time, date);
    snprintf(expires, sizeof(expires), "%lld", (long long)expires_s);
    credential_scope(r, &scope);
    buf_printf(&cred, "%s/%s", c->access_key_id, buf_str(&scope));
    if (r->nquery > 0)
        memcpy(q, r->query, r->nquery * sizeof(*q));
    rr.query = q;
    q[rr.nquery++] = (struct sigv4_pair){"X-Amz-Algorithm", "AWS4-HMAC-SHA256"};
    q[rr.nquery++] = (struct sigv4_pair){"X-Amz-Credential", buf_str(&cred)};
    q[rr.nquery++] = (struct sigv4_pair){"X-Amz-Date", date};
    q[rr.nquery++] = (struct sigv4_pair){"X-Amz-Expires", expires};
    if (c->session_token != NULL)
        q[rr.nquery++] = (struct sigv4_pair){"X-Amz-Security-Token", c->session_token};
    q[rr.nquery++] = (struct sigv4_pair){"X-Amz-SignedHeaders", "host"};
    rr.payload_hash = SIGV4_UNSIGNED_PAYLOAD;
    ok = sigv4_canonical_request(&rr, &creq, &sh) && strcmp(buf_str(&sh), "host") == 0;
    if (ok) {
        /* The canonical query (second line of creq) is the URL's query. */
        const char *query = strchr(buf_str(&creq), '\n') + 1;
        query = strchr(query, '\n') + 1;
        sigv4_string_to_sign(&rr, buf_str(&creq), &sts);
        sigv4_signature(c->secret_access_key, &rr, buf_str(&sts), sig);
        buf_puts(url, scheme_host);
        sigv4_uri_encode(url, r->path, strlen(r->path), true);
        buf_putc(url, '?');
        for (i = 0; query[i] != '\n'; i++)
            buf_putc(url, query[i]);
        buf_printf(url, "&X-Amz-Signature=%s", sig);
    }
    free(q);
    buf_free(&creq);
    buf_free(&sh);
    buf_free(&sts);
    buf_free(&scope);
    buf_free(&cred);
    return ok;
}
