/*
 * Tests for util/log: the line's JSON, the pid after fork(), no line lost
 * when a process crashes right after logging, the length cap, and no
 * interleaving when processes write long lines to one pipe at once.
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap/basic.h"
#include "util/buf.h"
#include "util/log.h"

#define WRITERS 4
#define LINES_EACH 150

/* Points stderr at a new pipe; returns its read end. */
static int capture(void)
{
    int p[2];

    if (pipe(p) != 0 || dup2(p[1], STDERR_FILENO) < 0)
        bail("pipe: %s", strerror(errno));
    close(p[1]);
    return p[0];
}

/* Reads fd to its end into out (the caller frees it with buf_free). */
static void slurp(int fd, struct buf *out)
{
    char chunk[8192];
    ssize_t n;

    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            bail("read: %s", strerror(errno));
        buf_append(out, chunk, (size_t)n);
    }
    close(fd);
}

/* Restores stderr to saved and reads what was logged into out. */
static void collect(int rd, int saved, struct buf *out)
{
    dup2(saved, STDERR_FILENO);
    slurp(rd, out);
}

/* The value of key in obj, or NULL. */
static json_object *get(json_object *obj, const char *key)
{
    json_object *v = NULL;

    return obj != NULL && json_object_object_get_ex(obj, key, &v) ? v : NULL;
}

/* Whether s (n bytes) is n copies of c. */
static bool all_of(const char *s, size_t n, char c)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] != c)
            return false;
    return true;
}

int main(void)
{
    int saved = dup(STDERR_FILENO), rd, status, i, bad = 0, counts[WRITERS] = {0};
    struct buf out = BUF_INIT, big = BUF_INIT, wide = BUF_INIT;
    json_object *line, *v;
    pid_t kids[WRITERS], pid;
    char *p, *nl;
    size_t lines = 0, longest = 0;

    plan(22);
    log_init("test", LOG_INFO);

    /* ---- One line: its fields, escaped; errno kept. */
    rd = capture();
    log_set_request_id("req-1");
    errno = ENOENT;
    LOG_FIELDS(LOG_WARN, "say \"hi\"\n", LF_INT("n", -42), LF_STR("s", "a\tb"),
               LF_STR("none", NULL));
    is_int(ENOENT, errno, "logging keeps errno");
    log_set_request_id(NULL);
    log_msg(LOG_DEBUG, "below the minimum level");
    collect(rd, saved, &out);
    ok(out.len > 0 && strchr(out.data, '\n') == out.data + out.len - 1,
       "one line, ending with a newline (the debug line is dropped)");
    line = json_tokener_parse(buf_str(&out));
    ok(line != NULL, "the line is JSON");
    is_string("warn", json_object_get_string(get(line, "level")), "level");
    is_string("test", json_object_get_string(get(line, "role")), "role");
    is_int(getpid(), json_object_get_int64(get(line, "pid")), "pid");
    is_string("req-1", json_object_get_string(get(line, "request_id")), "request id");
    is_string("say \"hi\"\n", json_object_get_string(get(line, "msg")), "message, escaped");
    ok(get(line, "n") != NULL && json_object_get_int64(get(line, "n")) == -42,
       "a negative number field");
    ok(json_object_object_get_ex(line, "none", &v) && v == NULL /* json-c's null */
           && strcmp(json_object_get_string(get(line, "s")), "a\tb") == 0,
       "a null field and an escaped string field");
    ok(get(line, "truncated") == NULL, "a short line is not marked truncated");
    json_object_put(line);

    /* ---- A child's lines carry the child's pid. */
    buf_reset(&out);
    rd = capture();
    pid = fork();
    if (pid == 0) {
        log_info("from the child");
        _exit(0);
    }
    waitpid(pid, &status, 0);
    collect(rd, saved, &out);
    line = json_tokener_parse(buf_str(&out));
    is_int(pid, json_object_get_int64(get(line, "pid")), "a forked child logs its own pid");
    json_object_put(line);

    /* ---- A process killed right after logging: every line is out. */
    buf_reset(&out);
    rd = capture();
    pid = fork();
    if (pid == 0) {
        for (i = 0; i < 50; i++)
            LOG_FIELDS(LOG_INFO, "request", LF_INT("i", i));
        raise(SIGKILL);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    collect(rd, saved, &out);
    ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the child was killed");
    for (p = out.data, i = 0; p != NULL && (nl = strchr(p, '\n')) != NULL; p = nl + 1)
        i++;
    is_int(50, i, "all 50 lines logged before SIGKILL reached stderr");

    /* ---- Over-long values are cut to fit one atomic write. */
    for (i = 0; i < 10000; i++)
        buf_putc(&big, 'x');
    for (i = 0; i < 4000; i++)
        buf_puts(&wide, "\xe2\x82\xac"); /* the euro sign: 3 bytes, so a cut at a power of
                                            two falls inside one */
    buf_reset(&out);
    rd = capture();
    LOG_FIELDS(LOG_ERROR, big.data, LF_STR("wide", wide.data));
    collect(rd, saved, &out);
    ok(out.len <= LOG_LINE_MAX, "a line of 22 KB of values is cut to %d bytes (%zu)", LOG_LINE_MAX,
       out.len);
    line = json_tokener_parse(buf_str(&out));
    ok(line != NULL && json_object_get_boolean(get(line, "truncated")),
       "it is still JSON and says truncated");
    v = get(line, "msg");
    ok(v != NULL && json_object_get_string_len(v) > 100
           && all_of(json_object_get_string(v), (size_t)json_object_get_string_len(v), 'x'),
       "the message is a prefix of the original");
    v = get(line, "wide");
    ok(v != NULL && json_object_get_string_len(v) > 100 && json_object_get_string_len(v) % 3 == 0
           && strncmp(json_object_get_string(v), wide.data, (size_t)json_object_get_string_len(v))
                  == 0,
       "a multi-byte value is cut between characters, not inside one");
    json_object_put(line);

    /* ---- Processes logging long lines into one pipe at once: each line
     * arrives whole.  Writer k's messages are made only of the letter
     * 'a' + k, from 3000 bytes up to 12000 (cut to fit). */
    buf_reset(&out);
    rd = capture();
    for (i = 0; i < WRITERS; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            struct buf msg = BUF_INIT;
            int j, k;

            close(rd);
            for (j = 0; j < LINES_EACH; j++) {
                buf_reset(&msg);
                for (k = 0; k < 3000 + j * 60; k++)
                    buf_putc(&msg, (char)('a' + i));
                LOG_FIELDS(LOG_INFO, msg.data, LF_INT("writer", i), LF_INT("j", j));
            }
            _exit(0);
        }
    }
    dup2(saved, STDERR_FILENO);
    slurp(rd, &out);
    for (i = 0; i < WRITERS; i++)
        waitpid(kids[i], &status, 0);
    for (p = out.data; p != NULL && (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
        long long w;

        *nl = '\0';
        lines++;
        if ((size_t)(nl - p + 1) > longest)
            longest = (size_t)(nl - p + 1);
        line = json_tokener_parse(p);
        w = json_object_get_int64(get(line, "writer"));
        v = get(line, "msg");
        if (line == NULL || v == NULL || w < 0 || w >= WRITERS
            || !all_of(json_object_get_string(v), (size_t)json_object_get_string_len(v),
                       (char)('a' + w)))
            bad++;
        else
            counts[w]++;
        json_object_put(line);
    }
    is_int(WRITERS * LINES_EACH, (long long)lines, "every line of %d writers arrived", WRITERS);
    is_int(0, bad, "none was interleaved with another (each is JSON of one writer's letter)");
    ok(counts[0] == LINES_EACH && counts[WRITERS - 1] == LINES_EACH, "each writer's lines counted");
    ok(longest <= LOG_LINE_MAX && longest > 3000, "the longest line, %zu bytes, fits the cap",
       longest);

    buf_free(&out);
    buf_free(&big);
    buf_free(&wide);
    close(saved);
    return 0;
}
