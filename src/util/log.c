/*
 * JSON-lines logging; see log.h.
 */
#include "config.h"

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

/* Appends the first at most cap bytes of s (n bytes), escaped, cut at a
 * character's start; sets *cut when bytes were left out. */
static void put_str(struct buf *line, const char *s, size_t n, size_t cap, bool *cut)
{
    if (n > cap) {
        n = cap;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        *cut = true;
    }
    buf_putc(line, '"');
    buf_json_escape(line, s, n);
    buf_putc(line, '"');
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
