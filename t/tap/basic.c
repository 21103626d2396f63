/*
 * TAP output for the C unit tests; see basic.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "tap/basic.h"

static unsigned long planned, run, failed;
static bool plan_at_end;

static void finish(void)
{
    if (plan_at_end)
        printf("1..%lu\n", run);
    else if (planned != run)
        printf("# planned %lu tests but ran %lu\n", planned, run);
    fflush(stdout);
    if (failed > 0 || (!plan_at_end && planned != run))
        _exit(1);
}

void plan(unsigned long n)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    planned = n;
    plan_at_end = n == 0;
    if (n > 0)
        printf("1..%lu\n", n);
    atexit(finish);
}

static bool __attribute__((format(printf, 2, 0))) vreport(bool success, const char *fmt, va_list ap)
{
    run++;
    if (!success)
        failed++;
    printf("%sok %lu - ", success ? "" : "not ", run);
    vprintf(fmt, ap);
    printf("\n");
    return success;
}

bool ok(bool success, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(success, fmt, ap);
    va_end(ap);
    return success;
}

bool is_int(long long wanted, long long seen, const char *fmt, ...)
{
    va_list ap;
    bool success = wanted == seen;

    va_start(ap, fmt);
    vreport(success, fmt, ap);
    va_end(ap);
    if (!success)
        diag("wanted: %lld\n#   seen: %lld", wanted, seen);
    return success;
}

bool is_string(const char *wanted, const char *seen, const char *fmt, ...)
{
    va_list ap;
    bool success;

    if (wanted == NULL || seen == NULL)
        success = wanted == seen;
    else
        success = strcmp(wanted, seen) == 0;
    va_start(ap, fmt);
    vreport(success, fmt, ap);
    va_end(ap);
    if (!success)
        diag("wanted: %s\n#   seen: %s", wanted ? wanted : "(null)", seen ? seen : "(null)");
    return success;
}

void diag(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

void skip_all(const char *fmt, ...)
{
    va_list ap;

    printf("1..0 # SKIP ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    exit(0);
}

void bail(const char *fmt, ...)
{
    va_list ap;

    printf("Bail out! ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    _exit(255);
}

const char *test_srcfile(const char *relative)
{
    static char path[4096];
    const char *top = getenv("PLC_SRCDIR");

    snprintf(path, sizeof(path), "%s/%s", top ? top : ".", relative);
    return path;
}
