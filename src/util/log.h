/*
 * Structured logging: one JSON object per line on stderr.
 *
 * Every line carries a UTC timestamp, the level, the process role and pid,
 * and the id of the request being served (when there is one).  Messages and
 * field values are escaped, so untrusted bytes can't forge a line.
 *
 * Each line is written with a single write(2) before the call returns:
 * nothing is held in the process, so a line logged is never lost when the
 * process then crashes, is killed or drained (the kernel has it).  A line
 * is at most LOG_LINE_MAX bytes (its string values are cut to fit, and the
 * line then says "truncated":true), and LOG_LINE_MAX is PIPE_BUF: a write
 * that size to a pipe is atomic, and writes to one regular file are
 * serialised, so the lines of the master, its workers and its job
 * processes, which share stderr, never interleave.
 *
 * Secrets (passwords, tokens, connection strings) are never passed here.
 * One kind of secret travels in paths, which are logged: a share link's
 * token (/shared/TOKEN, /api/shared/TOKEN).  Every message and string
 * field goes through log_redact() first, so no line carries one, whatever
 * route matched or which field holds the path.
 */
#ifndef PLC_UTIL_LOG_H
#define PLC_UTIL_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* The longest line written, newline included: PIPE_BUF on Linux. */
#define LOG_LINE_MAX 4096

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

struct log_field {
    const char *key;
    const char *str; /* used when !is_num; NULL logs null */
    long long num;
    bool is_num;
};

#define LF_STR(k, v) ((struct log_field){(k), (v), 0, false})
#define LF_INT(k, v) ((struct log_field){(k), NULL, (long long)(v), true})

struct buf;

/* Appends the n bytes of s to out with every share link's token replaced
 * by "[redacted]": what follows one or more '/', the word "shared" (any
 * case) and one or more '/', up to the next '/', '?', '#', '&', quote,
 * white space or '{' (so a route's pattern "/api/shared/{token}" stays); a '/' may be written %2F
 * and any letter %-encoded, as a raw request path can be ("/api//shared/T", "/x/%73hared/T"). */
void log_redact(struct buf *out, const char *s, size_t n) __attribute__((nonnull));

/* Sets the minimum level and the process role ("master", "worker", "cli"). */
void log_init(const char *role, enum log_level min);

/* Changes the role name; role must outlive logging (a string literal). */
void log_set_role(const char *role);

/* Parses debug/info/warn/error; returns false for anything else. */
bool log_level_parse(const char *s, enum log_level *out) __attribute__((nonnull));

/* Sets the request id put on every line until cleared with NULL.  The id
 * is copied (at most 64 bytes). */
void log_set_request_id(const char *id);

/* Returns the current request id, or "" outside a request. */
const char *log_request_id(void);

/* Logs a formatted message. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Logs msg with n extra fields. */
void log_fields(enum log_level level, const char *msg, const struct log_field *fields, size_t n);

#define LOG_FIELDS(level, msg, ...)                                                                \
    log_fields((level), (msg), (const struct log_field[]){__VA_ARGS__},                            \
               sizeof((const struct log_field[]){__VA_ARGS__}) / sizeof(struct log_field))

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
