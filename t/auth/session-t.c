/* Tests for auth/session and http/session without a database: roles,
 * cookie naming, and the guard's decisions that come before any query
 * (Origin, missing cookie, malformed cookie), and what session_load()'s
 * outcomes become (no session 401, a database failure 503: a worker with
 * no database).  The database paths are t/integration/auth.sh. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "auth/session.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "http/session.h"
#include "tap/basic.h"
#include "tap/memio.h"
#include "util/alloc.h"
#include "util/cfg.h"

#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static struct config cfg;

static void noop(struct request *req)
{
    req->resp.status = 200;
}

/* The body of the last response guard_status() saw. */
static char last_body[1024];

/* Parses a POST /api/x request with extra env lines into req (no
 * database); request_free() and memio_free() end it. */
static void open_request(struct request *req, struct memio *m, struct req_io *io,
                         const char *const *extra)
{
    const char *env[16] = {"REQUEST_METHOD=POST", "REQUEST_URI=/api/x"};
    size_t n = 2;

    while (extra != NULL && *extra != NULL && n < 15)
        env[n++] = *extra++;
    env[n] = NULL;
    memio_init(m, NULL, io);
    request_init(req, &cfg, NULL, io);
    if (!request_parse(req, env))
        bail("parse");
}

/* Runs the guard for route flags over a request with extra env lines. */
static int guard_status(unsigned flags, const char *const *extra, bool *allowed)
{
    const struct route r = {"POST", "/api/x", noop, flags, ROLE_ANY, ""};
    struct request req;
    struct memio m;
    struct req_io io;
    int status;

    open_request(&req, &m, &io, extra);
    *allowed = auth_guard(&req, &r);
    status = req.resp.status;
    snprintf(last_body, sizeof(last_body), "%s", buf_str(&req.resp.body));
    request_free(&req);
    memio_free(&m);
    return status;
}

/* session_load()'s outcome for a request with extra env lines, or -1
 * when it set a response (it must leave the answer to its caller). */
static int load_status(const char *const *extra)
{
    struct request req;
    struct memio m;
    struct req_io io;
    int st;

    open_request(&req, &m, &io, extra);
    st = (int)session_load(&req);
    if (req.resp.status != 0)
        st = -1;
    request_free(&req);
    memio_free(&m);
    return st;
}

static void set_url(const char *url)
{
    free(cfg.public_url);
    cfg.public_url = xstrdup(url);
}

int main(void)
{
    char err[256];
    bool allowed;
    const char *same[] = {"HTTP_ORIGIN=https://coach.example.org", NULL};
    const char *other[] = {"HTTP_ORIGIN=https://evil.example", NULL};
    const char *prefix[] = {"HTTP_ORIGIN=https://coach.example.org.evil.example", NULL};
    const char *crosssite[] = {"HTTP_SEC_FETCH_SITE=cross-site", NULL};
    const char *badcookie[] = {"HTTP_COOKIE=__Host-plc_session=not-a-token", NULL};
    const char *goodcookie[] = {"HTTP_COOKIE=__Host-plc_session=" TOKEN, NULL};

    if (!config_load(&cfg, err, sizeof(err)))
        bail("config: %s", err);
    plan(35);

    ok(role_parse("educator") == ROLE_EDUCATOR && role_parse("coach") == ROLE_COACH
           && role_parse("admin") == ROLE_ADMIN,
       "the three roles parse");
    ok(role_parse("Admin") == ROLE_ANY && role_parse("root") == ROLE_ANY,
       "anything else is not a role");
    ok(ROLE_EDUCATOR < ROLE_COACH && ROLE_COACH < ROLE_ADMIN, "roles are ordered");

    set_url("http://localhost:8000");
    ok(!session_cookie_secure(&cfg), "plain-HTTP localhost may drop Secure");
    is_string("plc_session", session_cookie_name(&cfg), "and the __Host- prefix");
    set_url("http://localhost.evil.example");
    ok(session_cookie_secure(&cfg), "a host that merely starts with localhost is not local");
    set_url("http://127.0.0.1:9000");
    ok(!session_cookie_secure(&cfg), "127.0.0.1 is local");
    set_url("https://coach.example.org");
    ok(session_cookie_secure(&cfg), "HTTPS deployments use Secure cookies");
    is_string("__Host-plc_session", session_cookie_name(&cfg), "with the __Host- prefix");

    is_int(0, guard_status(ROUTE_CSRF, same, &allowed), "same Origin passes the Origin check");
    ok(allowed, "and the route runs");
    is_int(403, guard_status(ROUTE_CSRF, other, &allowed), "another Origin is refused");
    is_int(403, guard_status(ROUTE_CSRF, prefix, &allowed),
           "an Origin that only starts with ours is refused");
    is_int(403, guard_status(ROUTE_CSRF, crosssite, &allowed),
           "Sec-Fetch-Site: cross-site is refused");
    is_int(401, guard_status(ROUTE_AUTH, NULL, &allowed), "no session cookie: 401");
    is_int(401, guard_status(ROUTE_AUTH, badcookie, &allowed),
           "a malformed cookie is no session (401), without a query");
    ok(!allowed, "and the route does not run");
    is_int(DB_NOT_FOUND, load_status(NULL), "session_load: no cookie is DB_NOT_FOUND");
    is_int(DB_NOT_FOUND, load_status(badcookie), "and a malformed one, without a query");
    is_int(DB_ERROR, load_status(goodcookie),
           "a well-formed cookie on a worker with no database is DB_ERROR");
    is_int(503, guard_status(ROUTE_AUTH, goodcookie, &allowed),
           "which the guard answers 503, not 401");
    ok(strstr(last_body, "\"db_unavailable\"") != NULL, "with the code db_unavailable");
    ok(!allowed, "and the route does not run");

    /* Origins: one server on loopback answers to every loopback name. */
    set_url("http://localhost:8000");
    {
        const char *v4[] = {"HTTP_ORIGIN=http://127.0.0.1:8000", NULL};
        const char *v6[] = {"HTTP_ORIGIN=http://[::1]:8000", NULL};
        const char *name[] = {"HTTP_ORIGIN=http://localhost:8000", NULL};
        const char *port[] = {"HTTP_ORIGIN=http://127.0.0.1:8001", NULL};
        const char *tls[] = {"HTTP_ORIGIN=https://localhost:8000", NULL};
        const char *lan[] = {"HTTP_ORIGIN=http://192.168.1.5:8000", NULL};
        is_int(0, guard_status(ROUTE_CSRF, v4, &allowed),
               "public URL http://localhost:8000: Origin http://127.0.0.1:8000 passes");
        is_int(0, guard_status(ROUTE_CSRF, v6, &allowed), "and http://[::1]:8000");
        is_int(0, guard_status(ROUTE_CSRF, name, &allowed), "and http://localhost:8000 itself");
        is_int(403, guard_status(ROUTE_CSRF, port, &allowed), "another port is another origin");
        ok(strstr(last_body, "expected Origin http://localhost:8000") != NULL
               && strstr(last_body, "got http://127.0.0.1:8001") != NULL
               && strstr(last_body, "PLCCOACH_PUBLIC_URL") != NULL,
           "bad_origin says what was expected, what arrived, and names PLCCOACH_PUBLIC_URL");
        is_int(403, guard_status(ROUTE_CSRF, tls, &allowed), "https on the same port is not");
        is_int(403, guard_status(ROUTE_CSRF, lan, &allowed), "nor a LAN address");
        set_url("http://127.0.0.1");
        {
            const char *dflt[] = {"HTTP_ORIGIN=http://localhost", NULL};
            const char *p80[] = {"HTTP_ORIGIN=http://localhost:80", NULL};
            is_int(0, guard_status(ROUTE_CSRF, dflt, &allowed),
                   "no port written is port 80 on either side");
            is_int(0, guard_status(ROUTE_CSRF, p80, &allowed), "and :80 is the same");
        }
        set_url("https://coach.example.org/");
        {
            const char *alias[] = {"HTTP_ORIGIN=https://www.coach.example.org", NULL};
            const char *lo[] = {"HTTP_ORIGIN=http://localhost", NULL};
            is_int(0, guard_status(ROUTE_CSRF, same, &allowed),
                   "an HTTPS public URL (trailing slash) matches its origin");
            is_int(403, guard_status(ROUTE_CSRF, alias, &allowed),
                   "and nothing else: the check stays exact");
            is_int(403, guard_status(ROUTE_CSRF, lo, &allowed), "not even a loopback origin");
        }
    }
    config_free(&cfg);
    return 0;
}
