/* Tests for the conversation, feedback and share handlers without a
 * database: the route table's flags for them, and every refusal that
 * comes before a query (a non-UUID id is 404 like any other unknown id;
 * bad queries and bodies are 400; a shared link asks for sign-in first).
 * A request that passes validation reaches the database, which is down
 * here (a signed-in route always has a struct db, http/router.h; its
 * connection fails at once), hence 503.  The public routes are also run
 * with no database at all (req->db NULL), as a worker without one meets
 * them.  The queries are t/integration/{conversations,feedback,shares}.sh. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "db/db.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "http/routes.h"
#include "tap/basic.h"
#include "tap/memio.h"
#include "util/cfg.h"

#define UUID "0f8e7d6c-5b4a-4938-8271-6a5b4c3d2e1f"
#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static struct config cfg;
static struct db db;               /* never connects: PLCCOACH_DATABASE_URL names no server */
static struct db *worker_db = &db; /* NULL: a worker without a database */

/* Signs every guarded request in as an admin (no database needed). */
static bool fake_guard(struct request *req, const struct route *route)
{
    static struct auth_user admin = {"11111111-2222-4333-8444-555555555555",
                                     "a@example.org",
                                     "Ada",
                                     "admin",
                                     ROLE_ADMIN,
                                     NULL,
                                     "csrf",
                                     "hash"};

    (void)route;
    req->user = &admin;
    return true;
}

/* Runs method uri (with query) and body (JSON, may be NULL) through the
 * application's table; returns "status code" ("400 invalid_field"), or
 * just the status when the body is not an error (static buffer). */
static const char *run(const char *method, const char *uri, const char *body)
{
    static char out[128];
    const struct router r = {app_routes, app_routes_count, fake_guard};
    char menv[64], uenv[1024], qenv[1024], clen[64];
    const char *env[8];
    const char *q = strchr(uri, '?');
    struct request req;
    struct memio m;
    struct req_io io;
    json_object *o, *e, *c;
    size_t n = 0;

    snprintf(menv, sizeof(menv), "REQUEST_METHOD=%s", method);
    snprintf(uenv, sizeof(uenv), "REQUEST_URI=%s", uri);
    snprintf(qenv, sizeof(qenv), "QUERY_STRING=%s", q ? q + 1 : "");
    env[n++] = menv;
    env[n++] = uenv;
    env[n++] = qenv;
    if (body != NULL) {
        snprintf(clen, sizeof(clen), "CONTENT_LENGTH=%zu", strlen(body));
        env[n++] = "CONTENT_TYPE=application/json";
        env[n++] = clen;
    }
    env[n] = NULL;
    memio_init(&m, body, &io);
    request_init(&req, &cfg, worker_db, &io);
    if (worker_db != NULL)
        db_request_begin(worker_db);
    if (request_parse(&req, env))
        router_dispatch(&r, &req);
    o = json_tokener_parse(buf_str(&req.resp.body));
    if (o && json_object_object_get_ex(o, "error", &e) && json_object_object_get_ex(e, "code", &c))
        snprintf(out, sizeof(out), "%d %s", req.resp.status, json_object_get_string(c));
    else
        snprintf(out, sizeof(out), "%d", req.resp.status);
    json_object_put(o);
    request_free(&req);
    memio_free(&m);
    return out;
}

/* The routes this module adds, with the flags and role each must have. */
static const struct {
    const char *method, *pattern;
    unsigned flags;
    enum user_role role;
} expected[] = {
    {"GET", "/api/conversations", ROUTE_AUTH, ROLE_ANY},
    {"POST", "/api/conversations", ROUTE_AUTH | ROUTE_CSRF, ROLE_ANY},
    {"GET", "/api/conversations/{id}", ROUTE_AUTH, ROLE_ANY},
    {"PATCH", "/api/conversations/{id}", ROUTE_AUTH | ROUTE_CSRF, ROLE_ANY},
    {"DELETE", "/api/conversations/{id}", ROUTE_AUTH | ROUTE_CSRF, ROLE_ANY},
    {"POST", "/api/conversations/{id}/shares", ROUTE_AUTH | ROUTE_CSRF, ROLE_ANY},
    {"GET", "/api/conversations/{id}/shares", ROUTE_AUTH, ROLE_ANY},
    {"DELETE", "/api/conversations/{id}/shares/{share_id}", ROUTE_AUTH | ROUTE_CSRF, ROLE_ANY},
    {"POST", "/api/messages/{id}/feedback", ROUTE_AUTH | ROUTE_CSRF, ROLE_ANY},
    {"GET", "/api/shared/{token}", ROUTE_PUBLIC | ROUTE_SECRET_PATH, ROLE_ANY},
    {"GET", "/api/admin/feedback", ROUTE_AUTH, ROLE_ADMIN},
    {"POST", "/api/admin/feedback/{message_id}/resolve", ROUTE_AUTH | ROUTE_CSRF, ROLE_ADMIN},
};

static void test_table(void)
{
    size_t i, j, found = 0;
    bool exact = true, auth = true, csrf = true;

    for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        for (j = 0; j < app_routes_count; j++)
            if (strcmp(app_routes[j].method, expected[i].method) == 0
                && strcmp(app_routes[j].pattern, expected[i].pattern) == 0)
                break;
        if (j == app_routes_count) {
            diag("%s %s is missing", expected[i].method, expected[i].pattern);
            continue;
        }
        found++;
        if (app_routes[j].flags != expected[i].flags || app_routes[j].role != expected[i].role) {
            diag("%s %s: wrong flags or role", expected[i].method, expected[i].pattern);
            exact = false;
        }
    }
    /* Any route added later under these paths (the coach's questions, the
     * exports) must keep to the same rules. */
    for (j = 0; j < app_routes_count; j++) {
        const struct route *rt = &app_routes[j];
        if (strncmp(rt->pattern, "/api/conversations", 18) != 0
            && strncmp(rt->pattern, "/api/messages/", 14) != 0)
            continue;
        if (!(rt->flags & ROUTE_AUTH)) {
            diag("%s %s is not ROUTE_AUTH", rt->method, rt->pattern);
            auth = false;
        }
        if ((strcmp(rt->method, "GET") != 0) != ((rt->flags & ROUTE_CSRF) != 0)) {
            diag("%s %s: ROUTE_CSRF must be set exactly on changes", rt->method, rt->pattern);
            csrf = false;
        }
    }
    is_int(12, (long long)found, "the 12 routes for conversations, feedback and shares exist");
    ok(exact, "each with its flags and role (admin for the review, public for the shared view)");
    ok(auth, "every route under /api/conversations and /api/messages needs a session");
    ok(csrf, "and the CSRF token exactly on state changes");
}

static void test_conversations(void)
{
    char long_q[300], body[1200];

    is_string("404 not_found", run("GET", "/api/conversations/not-a-uuid", NULL),
              "GET a non-UUID id: 404, like any unknown conversation");
    is_string("404 not_found", run("PATCH", "/api/conversations/123", "{\"title\":\"x\"}"),
              "PATCH a non-UUID id: 404");
    is_string("404 not_found", run("DELETE", "/api/conversations/" UUID "x", NULL),
              "DELETE a UUID with a stray byte: 404");
    is_string("503 db_unavailable", run("GET", "/api/conversations/" UUID, NULL),
              "GET a UUID reaches the database");

    is_string("503 db_unavailable", run("GET", "/api/conversations", NULL),
              "list with no parameters reaches the database");
    is_string("503 db_unavailable",
              run("GET",
                  "/api/conversations?limit=100&archived=all&q=common+assessment&from=2024-01-01"
                  "&to=2024-01-01",
                  NULL),
              "list with every parameter valid (one-day range) reaches the database");
    is_string("400 invalid_parameter", run("GET", "/api/conversations?limit=0", NULL), "limit=0");
    is_string("400 invalid_parameter", run("GET", "/api/conversations?limit=101", NULL),
              "limit=101");
    is_string("400 invalid_parameter", run("GET", "/api/conversations?limit=ten", NULL),
              "limit=ten");
    is_string("400 invalid_parameter", run("GET", "/api/conversations?archived=yes", NULL),
              "archived=yes");
    is_string("400 invalid_parameter", run("GET", "/api/conversations?cursor=abc", NULL),
              "a malformed cursor");
    is_string("400 invalid_parameter", run("GET", "/api/conversations?cursor=", NULL),
              "an empty cursor");
    is_string("400 invalid_parameter", run("GET", "/api/conversations?from=2024-02-30", NULL),
              "from=2024-02-30");
    is_string("400 invalid_parameter",
              run("GET", "/api/conversations?from=2024-03-02&to=2024-03-01", NULL),
              "from after to");
    is_string("400 invalid_parameter", run("GET", "/api/conversations?sort=asc", NULL),
              "an unknown parameter");
    memset(long_q, 'a', sizeof(long_q));
    memcpy(long_q, "/api/conversations?q=", 21);
    long_q[sizeof(long_q) - 1] = '\0';
    is_string("400 invalid_parameter", run("GET", long_q, NULL), "q over 200 bytes");
    is_string("503 db_unavailable", run("GET", "/api/conversations?q=", NULL),
              "an empty q means no search");

    is_string("503 db_unavailable", run("POST", "/api/conversations", NULL),
              "create with no body reaches the database");
    is_string("503 db_unavailable", run("POST", "/api/conversations", "{\"title\":\"Norms\"}"),
              "create with a title reaches the database");
    is_string("400 invalid_field", run("POST", "/api/conversations", "{\"title\":5}"),
              "a numeric title");
    is_string("400 unknown_field", run("POST", "/api/conversations", "{\"owner\":\"x\"}"),
              "an unknown field");
    is_string("400 invalid_field", run("POST", "/api/conversations", "{\"title\":\"a\\nb\"}"),
              "a title with a newline");
    {
        static const char head[] = "{\"title\":\"";
        memset(body, 'x', sizeof(body));
        memcpy(body, head, sizeof(head) - 1);
        memcpy(body + sizeof(head) - 1 + 201, "\"}", 3);
    }
    is_string("400 invalid_field", run("POST", "/api/conversations", body),
              "a 201-character title");
    is_string("400 invalid_field",
              run("PATCH", "/api/conversations/" UUID, "{\"archived\":\"yes\"}"),
              "archived must be a boolean");
    is_string("400 malformed_json", run("PATCH", "/api/conversations/" UUID, "{\"title\":"),
              "malformed JSON");
}

static void test_feedback(void)
{
    char body[2200];

    is_string("404 not_found", run("POST", "/api/messages/nope/feedback", "{\"rating\":\"up\"}"),
              "feedback on a non-UUID message: 404");
    is_string("400 missing_field", run("POST", "/api/messages/" UUID "/feedback", "{}"),
              "rating is required");
    is_string("400 invalid_field",
              run("POST", "/api/messages/" UUID "/feedback", "{\"rating\":\"meh\"}"),
              "rating must be up or down");
    is_string("400 invalid_field", run("POST", "/api/messages/" UUID "/feedback", "{\"rating\":1}"),
              "rating is a string");
    is_string("400 invalid_field",
              run("POST", "/api/messages/" UUID "/feedback",
                  "{\"rating\":\"up\",\"reasons\":[\"other\"]}"),
              "reasons with a thumbs up");
    is_string("400 invalid_field",
              run("POST", "/api/messages/" UUID "/feedback",
                  "{\"rating\":\"down\",\"reasons\":[\"rude\"]}"),
              "an unknown reason");
    is_string(
        "400 invalid_field",
        run("POST", "/api/messages/" UUID "/feedback", "{\"rating\":\"down\",\"flag\":\"yes\"}"),
        "flag is a boolean");
    is_string("503 db_unavailable",
              run("POST", "/api/messages/" UUID "/feedback",
                  "{\"rating\":\"down\",\"reasons\":[\"inaccurate\",\"missing_citations\"],"
                  "\"comment\":\"Page numbers\\nare off\",\"flag\":true}"),
              "a full thumbs down reaches the database");
    is_string("503 db_unavailable",
              run("POST", "/api/messages/" UUID "/feedback", "{\"rating\":\"up\",\"reasons\":[]}"),
              "a thumbs up with no reasons reaches the database");
    {
        static const char head[] = "{\"rating\":\"down\",\"comment\":\"";
        memset(body, 'c', sizeof(body));
        memcpy(body, head, sizeof(head) - 1);
        memcpy(body + sizeof(head) - 1 + 2001, "\"}", 3);
    }
    is_string("400 invalid_field", run("POST", "/api/messages/" UUID "/feedback", body),
              "a 2001-character comment");

    is_string("503 db_unavailable", run("GET", "/api/admin/feedback?status=all&limit=5", NULL),
              "the admin list with valid parameters reaches the database");
    is_string("400 invalid_parameter", run("GET", "/api/admin/feedback?status=closed", NULL),
              "status=closed");
    is_string("400 invalid_parameter", run("GET", "/api/admin/feedback?cursor=" UUID, NULL),
              "a UUID is not a cursor");
    is_string("404 not_found", run("POST", "/api/admin/feedback/x/resolve", NULL),
              "resolve a non-UUID: 404");
    is_string("400 invalid_field",
              run("POST", "/api/admin/feedback/" UUID "/resolve", "{\"note\":false}"),
              "the note is a string");
    is_string("503 db_unavailable", run("POST", "/api/admin/feedback/" UUID "/resolve", NULL),
              "resolve with no body reaches the database");
}

static void test_shares(void)
{
    is_string("404 not_found", run("POST", "/api/conversations/x/shares", NULL),
              "share a non-UUID conversation: 404");
    is_string("404 not_found", run("GET", "/api/conversations/x/shares", NULL),
              "list shares of a non-UUID conversation: 404");
    is_string("404 not_found", run("DELETE", "/api/conversations/" UUID "/shares/x", NULL),
              "revoke a non-UUID share: 404");
    is_string("400 invalid_field",
              run("POST", "/api/conversations/" UUID "/shares", "{\"expires_in_days\":0}"),
              "expires_in_days=0");
    is_string("400 invalid_field",
              run("POST", "/api/conversations/" UUID "/shares", "{\"expires_in_days\":366}"),
              "expires_in_days=366");
    is_string("400 invalid_field",
              run("POST", "/api/conversations/" UUID "/shares", "{\"expires_in_days\":\"7\"}"),
              "expires_in_days as a string");
    is_string("400 invalid_field",
              run("POST", "/api/conversations/" UUID "/shares", "{\"expires_in_days\":1.5}"),
              "expires_in_days as a fraction");
    is_string("503 db_unavailable",
              run("POST", "/api/conversations/" UUID "/shares", "{\"expires_in_days\":365}"),
              "365 days reaches the database");

    cfg.share_public = false;
    is_string("401 unauthenticated", run("GET", "/api/shared/" TOKEN, NULL),
              "a shared link without a session: 401 (sign-in required by default)");
    is_string("401 unauthenticated", run("GET", "/api/shared/nonsense", NULL),
              "even for a malformed token: nothing learnt about tokens before sign-in");
    cfg.share_public = true;
    is_string("404 not_found", run("GET", "/api/shared/nonsense", NULL),
              "public: a malformed token is 404");
    is_string("404 not_found",
              run("GET",
                  "/api/shared/"
                  "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
                  NULL),
              "public: upper-case hex is not a token");
    is_string("503 db_unavailable", run("GET", "/api/shared/" TOKEN, NULL),
              "public: a well-formed token reaches the database");

    /* The public routes are the ones that may meet a worker without a
     * database (signed-in routes never do: the guard loads the session
     * from it); the shared-link limit answers 503 before any query. */
    worker_db = NULL;
    is_string("503 db_unavailable", run("GET", "/api/shared/" TOKEN, NULL),
              "public, no database: a well-formed token is 503");
    is_string("503 db_unavailable", run("GET", "/api/shared/" TOKEN "/about", NULL),
              "public, no database: who shared what is 503");
    is_string("404 not_found", run("GET", "/api/shared/nonsense/about", NULL),
              "public, no database: a malformed token is still 404");
    is_string("503 db_unavailable",
              run("POST", "/api/client-errors", "{\"message\":\"TypeError: x is undefined\"}"),
              "no database: a browser error report is 503 (its limit's check)");
    worker_db = &db;
    cfg.share_public = false;
}

int main(void)
{
    char err[256];

    setenv("PLCCOACH_DATABASE_URL", "host=/nonexistent/plc-conversations-t dbname=none", 1);
    setenv("PLCCOACH_DB_WAIT_MS", "0", 1);
    if (!config_load(&cfg, err, sizeof(err)))
        bail("config: %s", err);
    db_init(&db, &cfg);
    plan(4 + 25 + 16 + 17);
    test_table();
    test_conversations();
    test_feedback();
    test_shares();
    db_close(&db);
    config_free(&cfg);
    return 0;
}
