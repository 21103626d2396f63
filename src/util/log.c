/*
 * JSON-lines logging; see log.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/log.h"

static const char *log_role = "plccoach";
static enum log_level log_min = LOG_INFO;
static char log_reqid[65];

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_init(const char *role, enum log_level min)
{
    log_role = role;
    log_min = min;
}

void log_set_role(const char *role)
{
    log_role = role;
}

bool log_level_parse(const char *s, enum log_level *out)
{
    size_t i;

    for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
        if (strcasecmp(s, level_names[i]) == 0) {
            *out = (enum log_level)i;
            return true;
        }
    }
    return false;
}

void log_set_request_id(const char *id)
{
    if (id == NULL) {
        log_reqid[0] = '\0';
        return;
    }
    snprintf(log_reqid, sizeof(log_reqid), "%s", id);
}

const char *log_request_id(void)
{
    return log_reqid;
}

/* The value of hex digit c, or -1. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The byte at s[i] (n bytes available), %XX-decoded when it is an escape;
 * *width says how many bytes it took. */
static int logical_byte(const char *s, size_t n, size_t i, size_t *width)
{
    *width = 1;
    if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
        *width = 3;
        return hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
    }
    return (unsigned char)s[i];
}

/* When a share link's path starts at s[i] — one or more '/', "shared"
 * (any case, any letter %-encoded), one or more '/' (a '/' may be %2F) —
 * returns the offset of the token after it; 0 otherwise. */
static size_t share_prefix(const char *s, size_t n, size_t i)
{
    static const char word[] = "shared";
    size_t j = i, w, k, slashes = 0;

    while (j < n && logical_byte(s, n, j, &w) == '/') {
        j += w;
        slashes++;
    }
    if (slashes == 0)
        return 0;
    for (k = 0; k < sizeof(word) - 1; k++) {
        if (j >= n || tolower(logical_byte(s, n, j, &w)) != word[k])
            return 0;
        j += w;
    }
    slashes = 0;
    while (j < n && logical_byte(s, n, j, &w) == '/') {
        j += w;
        slashes++;
    }
    return slashes > 0 ? j : 0;
}

/* True for the bytes a token (or anything standing in its place) is made
 * of in a path: everything up to the next separator. */
static bool token_byte(char c)
{
    return c != '\0' && c != '/' && c != '?' && c != '#' && c != '&' && c != '"' && c != '\''
           && c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' && c != ';' && c != '<'
           && c != '>' && c != '\\' && c != '{';
}

void log_redact(struct buf *out, const char *s, size_t n)
{
    size_t i = 0, start = 0;

    while (i < n) {
        size_t tok = s[i] == '/' || s[i] == '%' ? share_prefix(s, n, i) : 0;
        size_t end = tok;

        while (tok > 0 && end < n && token_byte(s[end]))
            end++;
        if (tok == 0 || end == tok) {
            i++;
            continue;
        }
        buf_append(out, s + start, tok - start);
        buf_puts(out, "[redacted]");
        i = start = end;
    }
    buf_append(out, s + start, n - start);
}

/* Appends s JSON-escaped, with share tokens redacted. */
static void put_str(struct buf *line, const char *s, size_t n)
{
    struct buf clean = BUF_INIT;

    if (memchr(s, '/', n) == NULL && memchr(s, '%', n) == NULL) {
        buf_json_escape(line, s, n);
        return;
    }
    log_redact(&clean, s, n);
    buf_json_escape(line, buf_str(&clean), clean.len);
    buf_free(&clean);
}

/* Writes the whole line, retrying on short writes and EINTR. */
static void write_line(const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        s += w;
        n -= (size_t)w;
    }
}

static void emit(enum log_level level, const char *msg, size_t msglen,
                 const struct log_field *fields, size_t n)
{
    struct buf line = BUF_INIT;
    struct timeval tv;
    struct tm tm;
    char ts[32];
    size_t i;
    int saved = errno;

    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    buf_printf(&line, "{\"ts\":\"%s.%03dZ\",\"level\":\"%s\",\"role\":\"%s\",\"pid\":%ld", ts,
               (int)(tv.tv_usec / 1000), level_names[level], log_role, (long)getpid());
    if (log_reqid[0] != '\0') {
        buf_puts(&line, ",\"request_id\":\"");
        buf_json_escape(&line, log_reqid, strlen(log_reqid));
        buf_putc(&line, '"');
    }
    buf_puts(&line, ",\"msg\":\"");
    put_str(&line, msg, msglen);
    buf_putc(&line, '"');
    for (i = 0; i < n; i++) {
        buf_puts(&line, ",\"");
        buf_json_escape(&line, fields[i].key, strlen(fields[i].key));
        buf_puts(&line, "\":");
        if (fields[i].is_num) {
            buf_printf(&line, "%lld", fields[i].num);
        } else if (fields[i].str == NULL) {
            buf_puts(&line, "null");
        } else {
            buf_putc(&line, '"');
            put_str(&line, fields[i].str, strlen(fields[i].str));
            buf_putc(&line, '"');
        }
    }
    buf_puts(&line, "}\n");
    write_line(line.data, line.len);
    buf_free(&line);
    errno = saved;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    struct buf msg = BUF_INIT;
    va_list ap;

    if (level < log_min)
        return;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    emit(level, buf_str(&msg), msg.len, NULL, 0);
    buf_free(&msg);
}

void log_fields(enum log_level level, const char *msg, const struct log_field *fields, size_t n)
{
    if (level < log_min)
        return;
    emit(level, msg, strlen(msg), fields, n);
}
