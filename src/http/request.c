/*
 * Request parsing: the FastCGI environment, query strings, cookies and
 * JSON bodies.  Everything here treats its input as hostile: bounded
 * counts, strict percent-decoding, UTF-8 validation, and an error response
 * rather than a crash.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/random.h>

#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "util/cfg.h"
#include "util/json.h"
#include "util/log.h"
#include "util/text.h"

#define MAX_PARAMS 256 /* query parameters or cookies per request */
#define MAX_HEADERS 128
#define JSON_MAX_DEPTH 32

void request_init(struct request *req, const struct config *cfg, struct db *db,
                  const struct req_io *io)
{
    memset(req, 0, sizeof(*req));
    req->cfg = cfg;
    req->db = db;
    req->io = *io;
    req->content_length = -1;
    req->query = "";
    req->start_ms = now_ms();
}

/* Appends a pair to a growing arena array (doubling, copied on growth). */
static bool push_param(struct arena *arena, struct param **arr, size_t *n, size_t max,
                       const char *name, const char *value)
{
    if (*n >= max)
        return false;
    if (*n == 0 || (*n >= 8 && (*n & (*n - 1)) == 0)) {
        /* Capacity is 8 until 8 are used, then each power of two. */
        size_t newcap = *n == 0 ? 8 : *n * 2;
        struct param *grown = arena_alloc(arena, newcap * sizeof(**arr));
        if (*n > 0)
            memcpy(grown, *arr, *n * sizeof(**arr));
        *arr = grown;
    }
    (*arr)[*n].name = name;
    (*arr)[*n].value = value;
    (*n)++;
    return true;
}

/* Decodes n bytes of s into an arena string; NULL when malformed. */
static char *decode_component(struct arena *arena, const char *s, size_t n, bool plus)
{
    char *out = arena_alloc(arena, n + 1);
    long len = percent_decode(out, s, n, plus);

    if (len < 0 || !utf8_valid(out, (size_t)len))
        return NULL;
    return out;
}

bool parse_query_string(struct arena *arena, const char *s, struct param **out, size_t *n)
{
    while (*s != '\0') {
        size_t len = strcspn(s, "&");
        const char *eq = memchr(s, '=', len);
        size_t klen = eq ? (size_t)(eq - s) : len;

        if (len > 0) {
            char *key = decode_component(arena, s, klen, true);
            char *val = eq ? decode_component(arena, eq + 1, len - klen - 1, true)
                           : arena_strdup(arena, "");
            if (key == NULL || val == NULL || key[0] == '\0')
                return false;
            if (!push_param(arena, out, n, MAX_PARAMS, key, val))
                return false;
        }
        s += len;
        if (*s == '&')
            s++;
    }
    return true;
}

/* RFC 6265 token characters for cookie names. */
static bool is_token_char(unsigned char c)
{
    return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

bool parse_cookie_header(struct arena *arena, const char *s, struct param **out, size_t *n)
{
    while (*s != '\0') {
        const char *name, *val;
        size_t nlen, vlen, i;
        bool ok = true;

        while (*s == ' ' || *s == '\t' || *s == ';')
            s++;
        if (*s == '\0')
            break;
        name = s;
        nlen = strcspn(s, "=;");
        s += nlen;
        if (*s != '=') {
            /* A pair without '=' is junk another site may have set: skip. */
            continue;
        }
        s++;
        val = s;
        vlen = strcspn(s, ";");
        s += vlen;
        while (nlen > 0 && (name[nlen - 1] == ' ' || name[nlen - 1] == '\t'))
            nlen--;
        while (vlen > 0 && (val[vlen - 1] == ' ' || val[vlen - 1] == '\t'))
            vlen--;
        if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
            val++;
            vlen -= 2;
        }
        for (i = 0; i < nlen && ok; i++)
            ok = is_token_char((unsigned char)name[i]);
        for (i = 0; i < vlen && ok; i++) {
            unsigned char c = (unsigned char)val[i];
            ok = c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != '\\';
        }
        if (!ok || nlen == 0)
            continue;
        if (!push_param(arena, out, n, MAX_PARAMS, arena_strndup(arena, name, nlen),
                        arena_strndup(arena, val, vlen)))
            return false;
    }
    return true;
}

json_object *parse_json_object(const char *s, size_t n, const char **why)
{
    json_object *obj = json_parse_object_strict(s, n, JSON_MAX_DEPTH, why);

    if (obj == NULL && n == 0)
        *why = "request body is empty; expected a JSON object";
    return obj;
}

/* Turns HTTP_X_FOO_BAR into x-foo-bar in the arena. */
static char *header_name(struct arena *arena, const char *cgi, size_t n)
{
    char *out = arena_strndup(arena, cgi, n);
    size_t i;

    for (i = 0; i < n; i++)
        out[i] = out[i] == '_' ? '-' : (char)tolower((unsigned char)out[i]);
    return out;
}

static bool valid_request_id(const char *s)
{
    size_t i;

    for (i = 0; s[i] != '\0'; i++)
        if (i >= 64 || !(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'))
            return false;
    return i > 0;
}

/* Makes a 32-hex-digit id when nginx gave none (e.g. a bare spawn-fcgi). */
static const char *make_request_id(struct arena *arena)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[16];
    char *id = arena_alloc(arena, 33);
    size_t i;

    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
        uint64_t t = (uint64_t)now_ms();
        memcpy(raw, &t, sizeof(t));
        memcpy(raw + 8, &t, sizeof(t));
    }
    for (i = 0; i < 16; i++) {
        id[2 * i] = hex[raw[i] >> 4];
        id[2 * i + 1] = hex[raw[i] & 15];
    }
    id[32] = '\0';
    return id;
}

static bool valid_method(const char *m)
{
    size_t i;

    for (i = 0; m[i] != '\0'; i++)
        if (i >= 16 || !isupper((unsigned char)m[i]))
            return false;
    return i > 0;
}

/* The FastCGI parameters request_parse() reads before it decides: strings
 * in the request's arena, NULL when absent. */
struct cgi_env {
    const char *uri, *docuri, *reqid, *clen;
};

/* Reads the FastCGI parameters in envp into req (method, query string,
 * remote address, headers) and v, copying what it keeps into the arena;
 * false after a 431 for too many headers. */
static bool read_env(struct request *req, const char *const *envp, struct cgi_env *v)
{
    const char *const *e;

    for (e = envp; *e != NULL; e++) {
        const char *eq = strchr(*e, '=');
        const char *val;
        size_t nlen;

        if (eq == NULL)
            continue;
        nlen = (size_t)(eq - *e);
        /* What the request keeps is copied: it must not depend on envp. */
        val = eq + 1;
#define IS(name) (nlen == sizeof(name) - 1 && memcmp(*e, name, nlen) == 0)
        if (IS("REQUEST_METHOD"))
            req->method = arena_strdup(&req->arena, val);
        else if (IS("REQUEST_URI"))
            v->uri = arena_strdup(&req->arena, val);
        else if (IS("DOCUMENT_URI"))
            v->docuri = arena_strdup(&req->arena, val);
        else if (IS("QUERY_STRING"))
            req->query = arena_strdup(&req->arena, val);
        else if (IS("REMOTE_ADDR"))
            req->remote_addr = arena_strdup(&req->arena, val);
        else if (IS("REQUEST_ID"))
            v->reqid = arena_strdup(&req->arena, val);
        else if (IS("CONTENT_TYPE") || IS("CONTENT_LENGTH")
                 || (nlen > 5 && memcmp(*e, "HTTP_", 5) == 0)) {
            const char *name = nlen > 5 && memcmp(*e, "HTTP_", 5) == 0
                                   ? header_name(&req->arena, *e + 5, nlen - 5)
                                   : header_name(&req->arena, *e, nlen);
            val = arena_strdup(&req->arena, val);
            if (!push_param(&req->arena, &req->headers, &req->nheaders, MAX_HEADERS, name, val)) {
                resp_error(req, 431, "headers_too_large", "too many request headers");
                return false;
            }
            if (IS("CONTENT_TYPE"))
                req->content_type = val[0] ? val : NULL;
            else if (IS("CONTENT_LENGTH"))
                v->clen = val;
        }
#undef IS
    }
    return true;
}

/* Sets req->content_length from clen (NULL or "" leaves it); false after
 * a 400. */
static bool parse_content_length(struct request *req, const char *clen)
{
    int64_t v;

    if (clen == NULL || clen[0] == '\0')
        return true;
    if (!parse_int64(clen, 0, INT64_MAX, &v)) {
        resp_error(req, 400, "bad_request", "malformed Content-Length");
        return false;
    }
    req->content_length = v;
    return true;
}

/* Sets the path, query parameters and cookies from the request URI (else
 * the document URI, else "/"), the query string and the Cookie header;
 * false after a 400. */
static bool parse_target(struct request *req, const struct cgi_env *v)
{
    const char *uri = v->uri, *cookie;
    size_t pathlen;

    if (uri == NULL)
        uri = v->docuri != NULL ? v->docuri : "/";
    pathlen = strcspn(uri, "?#");
    req->raw_path = arena_strndup(&req->arena, uri, pathlen);
    req->path = req->raw_path[0] == '/' ? decode_component(&req->arena, uri, pathlen, false) : NULL;
    if (req->path == NULL || strcasestr(req->raw_path, "%2f") != NULL) {
        req->path = "/";
        resp_error(req, 400, "bad_request", "malformed request path");
        return false;
    }
    if (uri[pathlen] == '?' && req->query[0] == '\0')
        req->query = uri + pathlen + 1;
    if (!parse_query_string(&req->arena, req->query, &req->query_params, &req->nquery)) {
        resp_error(req, 400, "bad_query", "malformed query string");
        return false;
    }
    cookie = request_header(req, "cookie");
    if (cookie != NULL
        && !parse_cookie_header(&req->arena, cookie, &req->cookies, &req->ncookies)) {
        resp_error(req, 400, "bad_request", "too many cookies");
        return false;
    }
    return true;
}

bool request_parse(struct request *req, const char *const *envp)
{
    struct cgi_env v = {.uri = NULL, .docuri = NULL, .reqid = NULL, .clen = NULL};

    if (!read_env(req, envp, &v))
        return false;
    req->request_id =
        v.reqid != NULL && valid_request_id(v.reqid) ? v.reqid : make_request_id(&req->arena);
    log_set_request_id(req->request_id);
    if (req->method == NULL || !valid_method(req->method)) {
        req->method = "GET";
        resp_error(req, 400, "bad_request", "missing or malformed request method");
        return false;
    }
    return parse_content_length(req, v.clen) && parse_target(req, &v);
}

static const char *find_param(const struct param *arr, size_t n, const char *name, bool nocase)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (nocase ? strcasecmp(arr[i].name, name) == 0 : strcmp(arr[i].name, name) == 0)
            return arr[i].value;
    return NULL;
}

const char *request_header(const struct request *req, const char *name)
{
    return find_param(req->headers, req->nheaders, name, true);
}

const char *request_query(const struct request *req, const char *name)
{
    return find_param(req->query_params, req->nquery, name, false);
}

const char *request_cookie(const struct request *req, const char *name)
{
    return find_param(req->cookies, req->ncookies, name, false);
}

const char *request_param(const struct request *req, const char *name)
{
    return find_param(req->route_params, req->nroute, name, false);
}

bool request_read_body(struct request *req)
{
    size_t limit = (size_t)req->cfg->max_body_bytes;
    char chunk[8192];

    if (req->body_read)
        return true;
    req->body_read = true;
    if (req->content_length > (int64_t)limit) {
        resp_error(req, 413, "payload_too_large", "request body is larger than %zu bytes", limit);
        return false;
    }
    req->body.limit = limit;
    for (;;) {
        long got = req->io.read(req->io.ctx, chunk, sizeof(chunk));
        if (got < 0) {
            resp_error(req, 400, "bad_request", "could not read the request body");
            return false;
        }
        if (got == 0)
            break;
        if (!buf_append(&req->body, chunk, (size_t)got)) {
            resp_error(req, 413, "payload_too_large", "request body is larger than %zu bytes",
                       limit);
            return false;
        }
    }
    if (req->content_length >= 0 && (int64_t)req->body.len != req->content_length) {
        resp_error(req, 400, "bad_request", "request body is shorter than its Content-Length");
        return false;
    }
    return true;
}

bool request_stream_body(struct request *req, size_t limit,
                         bool (*sink)(void *ctx, const char *data, size_t n), void *ctx)
{
    char chunk[65536];
    size_t total = 0;

    if (req->body_read) {
        resp_error(req, 500, "internal", "the request body was already read");
        return false;
    }
    req->body_read = true;
    if (req->content_length > (int64_t)limit) {
        resp_error(req, 413, "payload_too_large", "the upload is larger than %zu bytes", limit);
        return false;
    }
    for (;;) {
        long got = req->io.read(req->io.ctx, chunk, sizeof(chunk));
        if (got < 0) {
            resp_error(req, 400, "bad_request", "could not read the request body");
            return false;
        }
        if (got == 0)
            break;
        total += (size_t)got;
        if (total > limit) {
            resp_error(req, 413, "payload_too_large", "the upload is larger than %zu bytes", limit);
            return false;
        }
        if (!sink(ctx, chunk, (size_t)got))
            return false;
    }
    if (req->content_length >= 0 && (int64_t)total != req->content_length) {
        resp_error(req, 400, "bad_request", "request body is shorter than its Content-Length");
        return false;
    }
    return true;
}

/* True when the content type is application/json, parameters allowed. */
static bool is_json_type(const char *ct)
{
    size_t n = strlen("application/json");

    if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
        return false;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

json_object *request_json(struct request *req)
{
    const char *why = NULL;

    if (req->json != NULL)
        return req->json;
    if (!is_json_type(req->content_type)) {
        resp_error(req, 415, "unsupported_media_type", "send the body as application/json");
        return NULL;
    }
    if (!request_read_body(req))
        return NULL;
    req->json = parse_json_object(buf_str(&req->body), req->body.len, &why);
    if (req->json == NULL)
        resp_error(req, 400, "malformed_json", "%s", why);
    return req->json;
}

const char *request_client_ip(const struct request *req)
{
    unsigned char addr[sizeof(struct in6_addr)];

    if (req->remote_addr == NULL)
        return NULL;
    if (inet_pton(AF_INET, req->remote_addr, addr) == 1
        || inet_pton(AF_INET6, req->remote_addr, addr) == 1)
        return req->remote_addr;
    return NULL;
}

const char *request_log_path(const struct request *req)
{
    if (req->route != NULL && (req->route->flags & ROUTE_SECRET_PATH))
        return req->route->pattern;
    return req->raw_path ? req->raw_path : "";
}

void request_free(struct request *req)
{
    if (req == NULL)
        return;
    if (req->json != NULL)
        json_object_put(req->json);
    buf_free(&req->body);
    buf_free(&req->resp.headers);
    buf_free(&req->resp.body);
    arena_free(&req->arena);
    log_set_request_id(NULL);
    req->json = NULL;
}
