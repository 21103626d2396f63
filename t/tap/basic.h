/*
 * A small TAP library for the C unit tests (after c-tap-harness):
 * plan, ok, is_int, is_string, diag, skip_all, bail.
 *
 * Every check prints "ok N - description" or "not ok N - description" with
 * a diagnostic; the process exits non-zero when any check failed or the
 * number of checks differs from the plan.
 */
#ifndef PLC_TAP_BASIC_H
#define PLC_TAP_BASIC_H

#include <stdbool.h>
#include <stddef.h>

/* Declares how many tests will run (0: plan printed at the end). */
void plan(unsigned long n);

/* Records a check; returns success so callers can add diagnostics. */
bool ok(bool success, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool is_int(long long wanted, long long seen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool is_string(const char *wanted, const char *seen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints a "# " diagnostic line. */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Skips the whole test file with a reason; exits 0. */
void skip_all(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Aborts the test file ("Bail out!"); exits 255. */
void bail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Returns the path of a file in the source tree (PLC_SRCDIR or "."),
 * in a static buffer overwritten by the next call. */
const char *test_srcfile(const char *relative);

#endif
