/* Tests for util/log's redaction: share tokens never reach a log line (issue 11),
 * whatever form the path takes and whichever field holds it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap/basic.h"
#include "util/buf.h"
#include "util/log.h"

/* Returns log_redact(s) in a static buffer. */
static const char *redact(const char *s)
{
    static char out[512];
    struct buf b = BUF_INIT;

    log_redact(&b, s, strlen(s));
    snprintf(out, sizeof(out), "%s", buf_str(&b));
    buf_free(&b);
    return out;
}

int main(void)
{
    static const char *const cases[][2] = {
        {"/shared/0123abcd", "/shared/[redacted]"},
        {"/api/shared/0123abcd", "/api/shared/[redacted]"},
        {"/api//shared/0123abcd", "/api//shared/[redacted]"},
        {"/api/shared//0123abcd?x=1", "/api/shared//[redacted]?x=1"},
        {"/api/%73hared/0123abcd", "/api/%73hared/[redacted]"},
        {"/api%2Fshared%2f0123abcd", "/api%2Fshared%2f[redacted]"},
        {"/API/SHARED/0123abcd/more", "/API/SHARED/[redacted]/more"},
        {"https://coach.example.org/shared/0123abcd#x",
         "https://coach.example.org/shared/[redacted]#x"},
        {"/api/auth/google/login?return_to=%2Fshared%2F0123abcd",
         "/api/auth/google/login?return_to=%2Fshared%2F[redacted]"},
        {"GET /shared/aaaa and /shared/bbbb", "GET /shared/[redacted] and /shared/[redacted]"},
    };
    static const char *const untouched[] = {
        "/api/conversations/1/shares",
        "/sharedx/0123abcd",
        "/api/shares/0123abcd",
        "/shared/",
        "/shared",
        "shared/0123abcd",
        "a % b %zz /%",
        "/api/shared/{token}", /* a route's pattern, logged for secret paths */
    };
    char path[64], line[4096];
    size_t i;
    FILE *f;
    int saved;
    long n;

    plan((int)(sizeof(cases) / sizeof(cases[0]) + sizeof(untouched) / sizeof(untouched[0])) + 3);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        is_string(cases[i][1], redact(cases[i][0]), "redacted: %s", cases[i][0]);
    for (i = 0; i < sizeof(untouched) / sizeof(untouched[0]); i++)
        is_string(untouched[i], redact(untouched[i]), "untouched: %s", untouched[i]);

    /* What a real line holds: the message and every string field. */
    snprintf(path, sizeof(path), "/tmp/plc-log-t.%ld", (long)getpid());
    f = fopen(path, "w+");
    if (f == NULL)
        bail("cannot open %s", path);
    saved = dup(STDERR_FILENO);
    dup2(fileno(f), STDERR_FILENO);
    log_init("test", LOG_DEBUG);
    log_warn("no route for %s", "/api//shared/feedface00");
    LOG_FIELDS(LOG_INFO, "request", LF_STR("path", "/x/%73hared/feedface01"),
               LF_STR("url", "http://localhost:8000/shared/feedface02"));
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(f);
    n = (long)fread(line, 1, sizeof(line) - 1, f);
    line[n > 0 ? n : 0] = '\0';
    fclose(f);
    unlink(path);
    ok(strstr(line, "feedface") == NULL, "no token in the lines written");
    ok(strstr(line, "\"msg\":\"no route for /api//shared/[redacted]\"") != NULL,
       "the message is redacted");
    ok(strstr(line, "\"path\":\"/x/%73hared/[redacted]\"") != NULL
           && strstr(line, "\"url\":\"http://localhost:8000/shared/[redacted]\"") != NULL,
       "and every string field");
    return 0;
}
