/*
 * JSON-lines logging; see log.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
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

_Static_assert(LOG_LINE_MAX <= PIPE_BUF, "a line must be one atomic write to a pipe");

static const char *const level_names[] = {"debug", "info", "warn", "error"};

/* getpid() is a system call in glibc: the pid is kept, and renewed in
 * every child fork() makes (pthread_atfork), before it can log. */
static long log_pid;

static void after_fork(void)
{
    log_pid = (long)getpid();
}

void log_init(const char *role, enum log_level min)
{
    static bool registered;

    log_role = role;
    log_min = min;
    log_pid = (long)getpid();
    if (!registered && pthread_atfork(NULL, NULL, after_fork) == 0)
        registered = true;
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

/* Writes one line with one write(2).  A line of at most PIPE_BUF bytes
 * is written whole or not at all to a pipe, and a write to a regular file
 * is serialised with the other writers of that file: either way no other
 * process's line lands inside it.  A short write (a full disk, a
 * non-blocking stderr) is finished by further writes; nothing else writes
 * to stderr meanwhile in this process. */
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

/* Appends v in decimal. */
static void put_num(struct buf *b, long long v)
{
    char tmp[24], *p = tmp + sizeof(tmp);
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0)
        *--p = '-';
    buf_append(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* Appends {"ts":"...Z","level":...,"role":...,"pid":N; the second's text is
 * made once per second. */
static void put_head(struct buf *line, enum log_level level, const struct timeval *tv)
{
    static time_t sec = -1;
    static char stamp[24];
    char ms[5];
    int m = (int)(tv->tv_usec / 1000);

    if (tv->tv_sec != sec) {
        struct tm tm;
        gmtime_r(&tv->tv_sec, &tm);
        strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
        sec = tv->tv_sec;
    }
    ms[0] = '.';
    ms[1] = (char)('0' + m / 100);
    ms[2] = (char)('0' + m / 10 % 10);
    ms[3] = (char)('0' + m % 10);
    ms[4] = '\0';
    buf_puts(line, "{\"ts\":\"");
    buf_puts(line, stamp);
    buf_puts(line, ms);
    buf_puts(line, "Z\",\"level\":\"");
    buf_puts(line, level_names[level]);
    buf_puts(line, "\",\"role\":\"");
    buf_puts(line, log_role);
    buf_puts(line, "\",\"pid\":");
    put_num(line, log_pid ? log_pid : (long)getpid());
}

/* Appends the first at most cap bytes of s (n bytes), share tokens
 * redacted (before the cut, so that a cut never leaves part of a token),
 * escaped, cut at a character's start; sets *cut when bytes were left
 * out. */
static void put_str(struct buf *line, const char *s, size_t n, size_t cap, bool *cut)
{
    struct buf clean = BUF_INIT;

    if (memchr(s, '/', n) != NULL || memchr(s, '%', n) != NULL) {
        log_redact(&clean, s, n);
        s = buf_str(&clean);
        n = clean.len;
    }
    if (n > cap) {
        n = cap;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        *cut = true;
    }
    buf_putc(line, '"');
    buf_json_escape(line, s, n);
    buf_putc(line, '"');
    buf_free(&clean);
}

/* Makes the line in line, each string value cut to cap bytes. */
static void build(struct buf *line, enum log_level level, const struct timeval *tv, const char *msg,
                  size_t msglen, const struct log_field *fields, size_t n, size_t cap)
{
    bool cut = false;
    size_t i;

    buf_reset(line);
    put_head(line, level, tv);
    if (log_reqid[0] != '\0') {
        buf_puts(line, ",\"request_id\":\"");
        buf_json_escape(line, log_reqid, strlen(log_reqid));
        buf_putc(line, '"');
    }
    buf_puts(line, ",\"msg\":");
    put_str(line, msg, msglen, cap, &cut);
    for (i = 0; i < n; i++) {
        buf_puts(line, ",\"");
        buf_json_escape(line, fields[i].key, strlen(fields[i].key));
        buf_puts(line, "\":");
        if (fields[i].is_num)
            put_num(line, fields[i].num);
        else if (fields[i].str == NULL)
            buf_puts(line, "null");
        else
            put_str(line, fields[i].str, strlen(fields[i].str), cap, &cut);
    }
    if (cut)
        buf_puts(line, ",\"truncated\":true");
    buf_puts(line, "}\n");
}

/* Makes the line and writes it.  A line longer than LOG_LINE_MAX is made
 * again with its string values cut shorter, halving until it fits: a
 * line is never split, so it reaches stderr whole, in one write. */
static void emit(enum log_level level, const char *msg, size_t msglen,
                 const struct log_field *fields, size_t n)
{
    static struct buf line; /* reused; no process logs from two threads */
    struct timeval tv;
    size_t cap = LOG_LINE_MAX;
    int saved = errno;

    gettimeofday(&tv, NULL);
    build(&line, level, &tv, msg, msglen, fields, n, SIZE_MAX);
    while (line.len > LOG_LINE_MAX && cap > 0) {
        cap /= 2;
        build(&line, level, &tv, msg, msglen, fields, n, cap);
    }
    write_line(line.data, line.len);
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
