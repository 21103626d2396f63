/*
 * JSON-lines logging; see log.h.
 */
#include "config.h"

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
    buf_json_escape(&line, msg, msglen);
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
            buf_json_escape(&line, fields[i].str, strlen(fields[i].str));
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
