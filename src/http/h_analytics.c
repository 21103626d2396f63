/*
 * Analytics (issue 14): usage of the coach, aggregated.
 *
 * GET /api/analytics?scope=me|team:ID|school:ID|district:ID&from=&to=&bucket=day|week
 * GET /api/analytics.csv?...&metric=summary|timeline|domains|reasons|topics
 * GET /api/analytics/scopes   the groups the caller may choose
 *
 * Everyone sees their own usage ("me"); a coach the teams assigned to
 * them; an admin any team, school or district.  A team the caller may not
 * see answers 404 like a missing one; a school or district asked for by
 * anyone but an admin is 403.  Every read by a coach or an admin is
 * audited (analytics.read), in the transaction that reads the report.
 * Figures describing fewer than five people are hidden
 * (src/http/analytics.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/session.h"
#include "db/analytics.h"
#include "http/analytics.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/response.h"
#include "http/validate.h"
#include "util/buf.h"
#include "util/text.h"

#define DEFAULT_DAYS 30 /* the default range ends today */
#define MAX_DAYS 366    /* the longest range */

/* Days since 1970-01-01 of a valid YYYY-MM-DD. */
static long day_number(const char *date)
{
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    tm.tm_year = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10
                 + (date[3] - '0') - 1900;
    tm.tm_mon = (date[5] - '0') * 10 + (date[6] - '0') - 1;
    tm.tm_mday = (date[8] - '0') * 10 + (date[9] - '0');
    return (long)(timegm(&tm) / 86400);
}

/* Writes day number n as YYYY-MM-DD into out. */
static void day_text(long n, char out[11])
{
    time_t t = (time_t)n * 86400;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Reads scope, from, to and bucket into *q and finds the group (answering
 * the error and returning false when the request does not fit). */
static bool read_query(struct request *req, const char *const *allowed, struct analytics_query *q,
                       struct analytics_scope *scope, char from[11], char to[11])
{
    static const char *const buckets[] = {"day", "week", NULL};
    static const struct {
        const char *prefix;
        enum analytics_kind kind;
    } kinds[] = {{"team:", ANALYTICS_TEAM},
                 {"school:", ANALYTICS_SCHOOL},
                 {"district:", ANALYTICS_DISTRICT}};
    const struct auth_user *me = req->user;
    const char *s = request_query(req, "scope"), *bucket, *id = NULL;
    enum analytics_kind kind = ANALYTICS_ME;
    bool has_from, has_to;
    long first, last;
    size_t i;

    if (!query_only_params(req, allowed) || !query_enum(req, "bucket", buckets, "day", &bucket)
        || !query_date(req, "from", from, &has_from) || !query_date(req, "to", to, &has_to))
        return false;
    if (s != NULL && strcmp(s, "me") != 0) {
        for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
            size_t n = strlen(kinds[i].prefix);
            if (strncmp(s, kinds[i].prefix, n) == 0) {
                kind = kinds[i].kind;
                id = s + n;
                break;
            }
        }
        if (id == NULL) {
            resp_error(req, 400, "invalid_parameter",
                       "scope must be me, team:ID, school:ID or district:ID");
            return false;
        }
    }
    if ((kind == ANALYTICS_SCHOOL || kind == ANALYTICS_DISTRICT) && me->role != ROLE_ADMIN) {
        resp_error(req, 403, "forbidden", "only administrators see schools and districts");
        return false;
    }
    last = has_to ? day_number(to) : (long)(time(NULL) / 86400);
    first = has_from ? day_number(from) : last - (DEFAULT_DAYS - 1);
    if (!has_to)
        day_text(last, to);
    if (!has_from)
        day_text(first, from);
    if (first > last) {
        resp_error(req, 400, "invalid_parameter", "from must not be after to");
        return false;
    }
    if (last - first + 1 > MAX_DAYS) {
        resp_error(req, 400, "invalid_parameter", "a range covers at most %d days", MAX_DAYS);
        return false;
    }
    if (id != NULL && !is_uuid(id)) {
        resp_error(req, 404, "not_found", "no such group");
        return false;
    }
    if (!resp_db_status(req,
                        analytics_scope_find(req->db, &req->arena, me->id, me->role == ROLE_ADMIN,
                                             kind, id, scope),
                        "no such group"))
        return false;
    q->scope = scope;
    q->from = from;
    q->to = to;
    q->weekly = strcmp(bucket, "week") == 0;
    q->min_people = kind == ANALYTICS_ME ? 0 : ANALYTICS_MIN_PEOPLE;
    return true;
}

/* Reads the report for q (audited for coaches and admins) and builds its
 * view; false after answering 503. */
static bool report(struct request *req, const struct analytics_query *q, const char *table,
                   struct an_view *view)
{
    const struct auth_user *me = req->user;
    struct analytics_audit audit = {me->id, request_client_ip(req), table ? "csv" : "json", table};
    struct analytics_report r;

    if (analytics_report(req->db, &req->arena, q, me->role >= ROLE_COACH ? &audit : NULL, &r)
        != DB_OK) {
        resp_db_unavailable(req);
        return false;
    }
    analytics_view(&req->arena, q, &r, view);
    return true;
}

void h_analytics(struct request *req)
{
    static const char *const allowed[] = {"scope", "from", "to", "bucket", NULL};
    struct analytics_query q;
    struct analytics_scope scope;
    struct an_view view;
    char from[11], to[11];

    if (!read_query(req, allowed, &q, &scope, from, to) || !report(req, &q, NULL, &view))
        return;
    resp_json(req, 200, analytics_json(&view));
}

void h_analytics_csv(struct request *req)
{
    static const char *const allowed[] = {"scope", "from", "to", "bucket", "metric", NULL};
    static const char *const tables[] = {"summary", "timeline", "domains",
                                         "reasons", "topics",   NULL};
    static const char *const kinds[] = {"me", "team", "school", "district"};
    struct analytics_query q;
    struct analytics_scope scope;
    struct an_view view;
    const char *table;
    char from[11], to[11];

    if (!query_enum(req, "metric", tables, "summary", &table)
        || !read_query(req, allowed, &q, &scope, from, to) || !report(req, &q, table, &view))
        return;
    req->resp.status = 200;
    resp_header(req, "Content-Type", "text/csv; charset=utf-8");
    resp_header(req, "Content-Disposition",
                arena_printf(&req->arena, "attachment; filename=\"plccoach-%s-%s-%s-%s.csv\"",
                             kinds[scope.kind], table, from, to));
    analytics_csv(&req->resp.body, &view, analytics_table_id(table));
}

void h_analytics_scopes(struct request *req)
{
    static const char *const keys[] = {"me", "teams", "schools", "districts"};
    const struct auth_user *me = req->user;
    struct analytics_choice *choices;
    json_object *out = json_object_new_object(), *lists[4], *self = json_object_new_object();
    size_t n, i;

    if (analytics_choices(req->db, &req->arena, me->id, me->role == ROLE_ADMIN, &choices, &n)
        != DB_OK) {
        json_object_put(out);
        json_object_put(self);
        resp_db_unavailable(req);
        return;
    }
    json_object_object_add(self, "id", json_object_new_string(me->id));
    json_object_object_add(self, "name", json_object_new_string(me->name ? me->name : ""));
    json_object_object_add(out, "me", self);
    for (i = 1; i < 4; i++) {
        lists[i] = json_object_new_array();
        json_object_object_add(out, keys[i], lists[i]);
    }
    for (i = 0; i < n; i++) {
        json_object *c = json_object_new_object();
        json_object_object_add(c, "id", json_object_new_string(choices[i].id));
        json_object_object_add(c, "name", json_object_new_string(choices[i].name));
        if (choices[i].kind != ANALYTICS_DISTRICT)
            json_object_object_add(c, choices[i].kind == ANALYTICS_TEAM ? "school" : "district",
                                   choices[i].parent ? json_object_new_string(choices[i].parent)
                                                     : NULL);
        json_object_array_add(lists[choices[i].kind], c);
    }
    resp_json(req, 200, out);
}
