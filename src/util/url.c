/*
 * URL checks; see url.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/url.h"

/* Returns the length of the authority that starts at s (up to the first
 * '/', '?' or end). */
static size_t authority_len(const char *s)
{
    return strcspn(s, "/?");
}

/* True when the n bytes at s are a port: ':' and 1-5 digits. */
static bool is_port(const char *s, size_t n)
{
    size_t i;

    if (n < 2 || n > 6 || s[0] != ':')
        return false;
    for (i = 1; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* True when every byte is visible ASCII or UTF-8 (no space, no control
 * byte) and there is no fragment. */
static bool clean(const char *url)
{
    const unsigned char *p;

    for (p = (const unsigned char *)url; *p != '\0'; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '#')
            return false;
    return true;
}

/* When the n bytes at url are http://LOOPBACK-HOST[:port], stores the port
 * (80 when none is written) in *port and returns true. */
static bool loopback_port(const char *url, size_t n, long *port)
{
    static const char *const hosts[] = {"127.0.0.1", "localhost", "[::1]"};
    const char *auth;
    size_t i, alen;

    if (n < 7 || strncasecmp(url, "http://", 7) != 0)
        return false;
    auth = url + 7;
    alen = authority_len(auth);
    if (alen > n - 7)
        alen = n - 7;
    for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
        size_t h = strlen(hosts[i]);
        if (alen < h || strncasecmp(auth, hosts[i], h) != 0)
            continue;
        if (alen == h) {
            *port = 80;
            return true;
        }
        if (is_port(auth + h, alen - h)) {
            *port = strtol(auth + h + 1, NULL, 10);
            return true;
        }
    }
    return false;
}

bool url_is_loopback_http(const char *url)
{
    long port;

    return strncmp(url, "http://", 7) == 0 && loopback_port(url, strlen(url), &port);
}

size_t url_origin_len(const char *url)
{
    const char *sep = strstr(url, "://");
    size_t n;

    if (sep == NULL)
        return strlen(url);
    n = (size_t)(sep + 3 - url);
    return n + authority_len(url + n);
}

bool url_loopback_same_port(const char *a, size_t n, const char *b, size_t m)
{
    long pa, pb;

    return loopback_port(a, n, &pa) && loopback_port(b, m, &pb) && pa == pb;
}

bool url_https_or_loopback(const char *url)
{
    const char *auth;
    size_t n;

    if (!clean(url))
        return false;
    if (url_is_loopback_http(url))
        return true;
    if (strncmp(url, "https://", 8) != 0)
        return false;
    auth = url + 8;
    n = authority_len(auth);
    /* a host, no userinfo, no bare ":port" */
    if (n == 0 || memchr(auth, '@', n) != NULL || auth[0] == ':')
        return false;
    return true;
}
