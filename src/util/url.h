/*
 * Checks on URLs the server itself will fetch or send browsers to (OpenID
 * provider issuers and endpoints).
 *
 * The rule: https://, or plain http:// only when the host is the loopback
 * interface (127.0.0.1, localhost, [::1]) so that tests and a developer's
 * local provider work; never credentials in the URL, never a fragment,
 * never whitespace or control bytes.
 */
#ifndef PLC_UTIL_URL_H
#define PLC_UTIL_URL_H

#include <stdbool.h>
#include <stddef.h>

/* Returns true when url is an absolute https:// URL with a host, or an
 * http:// URL whose host is 127.0.0.1, localhost or [::1] (an optional
 * :port after it); false for anything else, including userinfo ("@" in
 * the authority), a fragment, spaces and control bytes. */
bool url_https_or_loopback(const char *url) __attribute__((nonnull));

/* Returns true when url starts with http:// on one of the loopback hosts
 * above (so plain HTTP is allowed for it). */
bool url_is_loopback_http(const char *url) __attribute__((nonnull));

/* Returns the length of url's origin: scheme://authority, without any
 * path, query or trailing slash ("http://localhost:8000/x" -> 21). */
size_t url_origin_len(const char *url) __attribute__((nonnull));

/* Returns true when the n bytes at a and the m bytes at b are both plain
 * http:// origins on a loopback host (localhost, 127.0.0.1, [::1]) with
 * the same port (80 when none is written): the same server on one
 * machine, whichever loopback name the browser was given. */
bool url_loopback_same_port(const char *a, size_t n, const char *b, size_t m)
    __attribute__((nonnull));

#endif
