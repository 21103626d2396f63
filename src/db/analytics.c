/*
 * Analytics queries; see analytics.h.  The tables and their triggers are
 * in sql/055_usage.sql.
 *
 * Parameters of every report query: $1 the group's id, $2 and $3 the
 * first and last day.  Person rows (usage_days d, usage_chapters d) are
 * chosen by one of three filters; schools and districts read their sums
 * from the organization rollups, which already hold a district's schools.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db/analytics.h"
#include "db/audit.h"
#include "db/db.h"
#include "util/log.h"
#include "util/stats.h"

/* clang-format off */
#define F_ME   "d.user_id = $1::uuid"
#define F_TEAM "d.user_id IN (SELECT m.user_id FROM team_members m WHERE m.team_id = $1::uuid)"
#define F_ORG  "d.org_id IN (SELECT o.id FROM organizations o " \
               "WHERE o.id = $1::uuid OR o.parent_id = $1::uuid)"
#define RANGE  "d.day BETWEEN $2::date AND $3::date"

/* The sums of a range of usage_days or usage_org_days rows (d).  The
 * four count arrays of each row come concatenated, one row each
 * (S_ARRAYS, a two-dimensional array), and are summed here
 * (sum_arrays): summing them in SQL called usage_sum's PL/pgSQL function
 * four times a row (the district's year: 1,460 calls). */
#define SUMS \
    "SELECT coalesce(sum(d.questions), 0), coalesce(sum(d.conversations), 0), " \
    "coalesce(sum(d.answers), 0), coalesce(sum(d.up), 0), coalesce(sum(d.down), 0), " \
    "coalesce(sum(d.flagged), 0), " \
    "coalesce(sum(d.answer_ms_n), 0), coalesce(sum(d.answer_ms_sum), 0), " \
    "coalesce(max(d.answer_ms_max), 0), usage_answer_ms_bounds(), " \
    "coalesce(sum(d.ttft_ms_n), 0), coalesce(sum(d.ttft_ms_sum), 0), " \
    "coalesce(max(d.ttft_ms_max), 0), usage_ttft_ms_bounds(), " \
    "usage_domain_names(), usage_reason_names(), " \
    "coalesce(array_agg(d.answer_ms_hist || d.ttft_ms_hist || d.domains || d.reasons), '{}') "
enum { S_QUESTIONS, S_CONVERSATIONS, S_ANSWERS, S_UP, S_DOWN, S_FLAGGED, S_ANSWER_MS,
       S_TTFT_MS = S_ANSWER_MS + 4, S_DOMAIN_NAMES = S_TTFT_MS + 4, S_REASON_NAMES, S_ARRAYS };
/* The layout of each row of S_ARRAYS. */
enum { A_ANSWER_MS = 0, A_TTFT_MS = A_ANSWER_MS + ANALYTICS_HIST, A_DOMAINS = A_TTFT_MS + ANALYTICS_HIST,
       A_REASONS = A_DOMAINS + ANALYTICS_DOMAINS, A_WIDTH = A_REASONS + ANALYTICS_REASONS };

/* People with any usage in the range: how many, the question count of
 * each who asked, the flags of each. */
#define PEOPLE(filter) \
    "SELECT count(*), coalesce(array_agg(p.q) FILTER (WHERE p.q > 0), '{}'), " \
    "coalesce(array_agg(p.f), '{}') " \
    "FROM (SELECT d.user_id, sum(d.questions) AS q, bit_or(d.flags) AS f FROM usage_days d " \
    "WHERE " filter " AND " RANGE " GROUP BY d.user_id) p"

/* Schools and districts (sql/061_usage_people_bits.sql): their people
 * per figure are the bits of the range's whole months and of its days at
 * either end. */
#define M0 "(date_trunc('month', $2::date - 1) + interval '1 month')::date"
#define M1 "date_trunc('month', $3::date + 1)::date"
/* col is in one of the range's whole months (from M0 up to M1); or in
 * the range but in none of them: the days before M0 (EDGE_LO: all of the
 * range when it holds no whole month) and from M1 on (EDGE_HI), two
 * ranges that an index scans as such. */
#define WHOLE_MONTH(col) col " >= " M0 " AND " col " < " M1
#define EDGE_LO(col) \
    col " BETWEEN $2::date AND CASE WHEN " M0 " < " M1 " THEN " M0 " - 1 ELSE $3::date END"
#define EDGE_HI(col) M0 " < " M1 " AND " col " BETWEEN greatest($2::date, " M1 ") AND $3::date"
#define ORG_ANY(col) \
    col " = ANY (ARRAY(SELECT o.id FROM organizations o " \
    "WHERE o.id = $1::uuid OR o.parent_id = $1::uuid))"
/* Padded with zeros to the organization's longest string (its next
 * person number, rounded up to 64 bits as usage_bits_set does), so that
 * the built-in bit_or ORs them: the SQL aggregate usage_bits_union of 061
 * took 2-4 times as long. */
#define BITS_PADDED(col) \
    col " || repeat('0', n.len - length(" col "))::bit varying"
#define BITS_LEN \
    "(SELECT ((p.next - 1) / 64 + 1) * 64 AS len FROM usage_org_people_next p " \
    "WHERE p.org_id = $1::uuid) n"
#define PEOPLE_BITS \
    "SELECT x.flag, bit_count(bit_or(" BITS_PADDED("x.people") ")) FROM usage_org_bits x, " BITS_LEN \
    " WHERE x.org_id = $1::uuid AND ((x.span = 'm' AND " WHOLE_MONTH("x.start") ") " \
    "  OR (x.span = 'd' AND (" EDGE_LO("x.start") " OR " EDGE_HI("x.start") "))) " \
    "GROUP BY x.flag"
/* The years and days of the range (r), computed once rather than for
 * every row of the running totals that read them. */
#define RANGE_DAYS \
    "r AS MATERIALIZED (SELECT extract(year FROM $2::date)::integer AS y0, " \
    "  extract(doy FROM $2::date)::integer AS k0, extract(year FROM $3::date)::integer AS y1, " \
    "  extract(doy FROM $3::date)::integer AS k1) "
/* A range's part of the running totals col of a row y of days y.days in
 * year y.year: the total at its last day less the one at the day before
 * its first (sql/070_usage_person_days.sql). */
#define IN_RANGE(col) \
    "usage_cum_at(y.days, " col ", CASE WHEN y.year = r.y1 THEN r.k1 ELSE 366 END) " \
    "- CASE WHEN y.year = r.y0 THEN usage_cum_at(y.days, " col ", r.k0 - 1) ELSE 0 END"
/* Each asker's questions (sql/070_usage_person_days.sql): per person and
 * year the range touches, the running total at its last day less the one
 * at the day before its first. */
#define ASKERS_ORG \
    "WITH " RANGE_DAYS \
    "SELECT coalesce(array_agg(p.q) FILTER (WHERE p.q > 0), '{}') FROM (" \
    "  SELECT y.user_id, sum(" IN_RANGE("y.cum") ") AS q " \
    "  FROM r, usage_person_days y " \
    "  WHERE " ORG_ANY("y.org_id") " AND y.year BETWEEN r.y0 AND r.y1 GROUP BY y.user_id) p"

/* $4 'day' or 'week': every bucket from the one holding $2 to the one
 * holding $3, with the people who asked, questions and conversations. */
#define TIMELINE(filter) \
    "SELECT to_char(b.b, 'YYYY-MM-DD'), coalesce(x.people, 0), coalesce(x.q, 0), " \
    "coalesce(x.c, 0) " \
    "FROM generate_series(date_trunc($4, $2::date::timestamp), $3::date::timestamp, " \
    "  ('1 ' || $4)::interval) AS b(b) " \
    "LEFT JOIN (SELECT date_trunc($4, d.day::timestamp) AS b, " \
    "  count(DISTINCT d.user_id) FILTER (WHERE d.questions > 0) AS people, " \
    "  sum(d.questions) AS q, sum(d.conversations) AS c " \
    "  FROM usage_days d WHERE " filter " AND " RANGE " GROUP BY 1) x ON x.b = b.b " \
    "ORDER BY b.b"

/* The same for a school or district: the people who asked from the day
 * strings (figure 0, usage_days.flags bit 0), the sums from its rollup. */
#define TIMELINE_ORG \
    "SELECT to_char(b.b, 'YYYY-MM-DD'), coalesce(x.people, 0), coalesce(y.q, 0), " \
    "coalesce(y.c, 0) " \
    "FROM generate_series(date_trunc($4, $2::date::timestamp), $3::date::timestamp, " \
    "  ('1 ' || $4)::interval) AS b(b) " \
    "LEFT JOIN (SELECT date_trunc($4, x.start::timestamp) AS b, " \
    "  bit_count(bit_or(" BITS_PADDED("x.people") ")) AS people FROM usage_org_bits x, " BITS_LEN \
    "  WHERE x.org_id = $1::uuid AND x.span = 'd' AND x.flag = 0 " \
    "  AND x.start BETWEEN $2::date AND $3::date GROUP BY 1) x ON x.b = b.b " \
    "LEFT JOIN (SELECT date_trunc($4, d.day::timestamp) AS b, sum(d.questions) AS q, " \
    "  sum(d.conversations) AS c FROM usage_org_days d " \
    "  WHERE d.org_id = $1::uuid AND " RANGE " GROUP BY 1) y ON y.b = b.b " \
    "ORDER BY b.b"

/* The most cited chapters (at most TOPIC_CANDIDATES) with bounds on how
 * many people cited each: exact for people rows; for an organization the
 * most in any one month or day (a lower bound) and the sum over them (an
 * upper bound). */
#define TOPIC_CANDIDATES "100"
#define TOPICS_OF(inner) \
    "SELECT t.chapter_id, ch.book, ch.number, ch.title, t.citations, t.low, t.high " \
    "FROM (" inner ") t JOIN cited_chapters ch ON ch.id = t.chapter_id " \
    "ORDER BY t.citations DESC, ch.book, ch.number NULLS FIRST, ch.title NULLS FIRST " \
    "LIMIT " TOPIC_CANDIDATES
#define TOPICS_PEOPLE(filter) TOPICS_OF( \
    "SELECT d.chapter_id, sum(d.citations) AS citations, count(DISTINCT d.user_id) AS low, " \
    "count(DISTINCT d.user_id) AS high FROM usage_chapters d WHERE " filter " AND " RANGE \
    " GROUP BY d.chapter_id")
/* For an organization: the whole months of the range from its month rows
 * (people exact per month), the days at either end from its day rows. */
#define TOPICS_ORG TOPICS_OF( \
    "SELECT d.chapter_id, sum(d.citations) AS citations, max(d.people) AS low, " \
    "sum(d.people) AS high FROM (" \
    "  SELECT x.chapter_id, x.citations, x.people FROM usage_org_chapter_months x " \
    "  WHERE x.org_id = $1::uuid AND " WHOLE_MONTH("x.month") \
    "  UNION ALL SELECT d.chapter_id, d.citations, d.people FROM usage_org_chapters d " \
    "  WHERE d.org_id = $1::uuid AND " EDGE_LO("d.day") \
    "  UNION ALL SELECT d.chapter_id, d.citations, d.people FROM usage_org_chapters d " \
    "  WHERE d.org_id = $1::uuid AND " EDGE_HI("d.day") ") d " \
    "GROUP BY d.chapter_id")
/* $4 a chapter: the exact number of people of an organization who cited it. */
#define TOPIC_PEOPLE_ORG \
    "SELECT count(DISTINCT d.user_id) FROM usage_chapters d " \
    "WHERE d.chapter_id = $4::integer AND " F_ORG " AND " RANGE
/* clang-format on */

static const char *const sums_sql[] = {
    [ANALYTICS_ME] = SUMS "FROM usage_days d WHERE " F_ME " AND " RANGE,
    [ANALYTICS_TEAM] = SUMS "FROM usage_days d WHERE " F_TEAM " AND " RANGE,
    [ANALYTICS_SCHOOL] = SUMS "FROM usage_org_days d WHERE d.org_id = $1::uuid AND " RANGE,
    [ANALYTICS_DISTRICT] = SUMS "FROM usage_org_days d WHERE d.org_id = $1::uuid AND " RANGE,
};
static const char *const people_sql[] = {
    [ANALYTICS_ME] = PEOPLE(F_ME),
    [ANALYTICS_TEAM] = PEOPLE(F_TEAM),
    [ANALYTICS_SCHOOL] = NULL, /* read_people_org */
    [ANALYTICS_DISTRICT] = NULL,
};
static const char *const timeline_sql[] = {
    [ANALYTICS_ME] = TIMELINE(F_ME),
    [ANALYTICS_TEAM] = TIMELINE(F_TEAM),
    [ANALYTICS_SCHOOL] = TIMELINE_ORG,
    [ANALYTICS_DISTRICT] = TIMELINE_ORG,
};
static const char *const topics_sql[] = {
    [ANALYTICS_ME] = TOPICS_PEOPLE(F_ME),
    [ANALYTICS_TEAM] = TOPICS_PEOPLE(F_TEAM),
    [ANALYTICS_SCHOOL] = TOPICS_ORG,
    [ANALYTICS_DISTRICT] = TOPICS_ORG,
};

static const char *const kind_names[] = {
    [ANALYTICS_ME] = "me",
    [ANALYTICS_TEAM] = "team",
    [ANALYTICS_SCHOOL] = "school",
    [ANALYTICS_DISTRICT] = "district",
};

static int64_t int_at(const PGresult *res, int row, int col)
{
    const char *v = db_value(res, row, col);

    return v != NULL ? strtoll(v, NULL, 10) : 0;
}

/* Parses a PostgreSQL array literal of integers ("{1,2,NULL}"; NULL
 * reads as 0) into a new arena array of *n values.  Returns NULL (logged)
 * when the text is not such an array. */
static int64_t *int_array(struct arena *a, const char *text, size_t *n)
{
    size_t cap = 1, i;
    const char *p;
    int64_t *v;

    *n = 0;
    if (text == NULL || text[0] != '{')
        goto bad;
    for (p = text; *p != '\0'; p++)
        cap += *p == ',';
    v = arena_alloc(a, cap * sizeof(*v));
    p = text + 1;
    if (*p == '}')
        return v;
    for (i = 0; i < cap; i++) {
        const char *end;
        if (strncmp(p, "NULL", 4) == 0) {
            v[i] = 0;
            end = p + 4;
        } else {
            char *e;
            v[i] = strtoll(p, &e, 10);
            if (e == p)
                goto bad;
            end = e;
        }
        *n = i + 1;
        if (*end == '}')
            return v;
        if (*end != ',')
            goto bad;
        p = end + 1;
    }
bad:
    log_error("analytics: the database returned a malformed integer array");
    return NULL;
}

/* Copies exactly want integers of the array at (row, col) into out. */
static bool int_array_into(struct arena *a, const PGresult *res, int col, int64_t *out, size_t want)
{
    size_t n;
    int64_t *v = int_array(a, db_value(res, 0, col), &n);

    if (v == NULL || n != want) {
        log_error("analytics: column %d holds %zu values, not %zu", col, n, want);
        return false;
    }
    memcpy(out, v, want * sizeof(*v));
    return true;
}

/* Parses a text[] literal of plain words ("{assessment,leadership}")
 * into want strings in a. */
static bool word_array_into(struct arena *a, const PGresult *res, int col, const char **out,
                            size_t want)
{
    const char *text = db_value(res, 0, col), *p;
    size_t i;

    if (text == NULL || text[0] != '{')
        return false;
    p = text + 1;
    for (i = 0; i < want; i++) {
        size_t len = strcspn(p, ",}");
        out[i] = arena_strndup(a, p, len);
        p += len;
        if (*p == '\0' || (*p == '}' && i + 1 < want))
            return false;
        p++;
    }
    return true;
}

/* Timings from columns col (n, sum, max, bounds) and the summed histogram. */
static bool read_timing(struct arena *a, const PGresult *res, int col, const int64_t *hist,
                        struct analytics_timing *t)
{
    t->n = int_at(res, 0, col);
    t->sum = int_at(res, 0, col + 1);
    t->max = int_at(res, 0, col + 2);
    memcpy(t->hist, hist, sizeof(t->hist));
    return int_array_into(a, res, col + 3, t->bounds, ANALYTICS_HIST - 1);
}

/* Sums the rows of a two-dimensional array literal of integers
 * ("{{1,2},{3,4}}", or "{}" for none), each width wide, into out[width].
 * Returns false (logged) when the text is not such an array. */
static bool sum_arrays(const char *text, int64_t *out, size_t width)
{
    const char *p = text;
    size_t i = 0;

    memset(out, 0, width * sizeof(*out));
    if (p == NULL || *p != '{')
        goto bad;
    while (*p != '\0') {
        char *end;
        if (*p == '{' || *p == '}' || *p == ',') {
            p++;
            continue;
        }
        out[i++ % width] += strtoll(p, &end, 10);
        if (end == p)
            goto bad;
        p = end;
    }
    if (i % width == 0)
        return true;
bad:
    log_error("analytics: the database returned a malformed array of sums");
    return false;
}

static bool read_sums(struct db *db, struct arena *a, const struct analytics_query *q,
                      const char *const *params, struct analytics_report *r)
{
    PGresult *res = db_exec(db, sums_sql[q->scope->kind], 3, params, false);
    int64_t sums[A_WIDTH];
    bool ok;

    if (res == NULL)
        return false;
    r->questions = int_at(res, 0, S_QUESTIONS);
    r->conversations = int_at(res, 0, S_CONVERSATIONS);
    r->answers = int_at(res, 0, S_ANSWERS);
    r->up = int_at(res, 0, S_UP);
    r->down = int_at(res, 0, S_DOWN);
    r->flagged = int_at(res, 0, S_FLAGGED);
    ok = sum_arrays(db_value(res, 0, S_ARRAYS), sums, A_WIDTH)
         && read_timing(a, res, S_ANSWER_MS, sums + A_ANSWER_MS, &r->answer_ms)
         && read_timing(a, res, S_TTFT_MS, sums + A_TTFT_MS, &r->ttft_ms)
         && word_array_into(a, res, S_DOMAIN_NAMES, r->domain_names, ANALYTICS_DOMAINS)
         && word_array_into(a, res, S_REASON_NAMES, r->reason_names, ANALYTICS_REASONS);
    memcpy(r->domains, sums + A_DOMAINS, sizeof(r->domains));
    memcpy(r->reasons, sums + A_REASONS, sizeof(r->reasons));
    PQclear(res);
    if (!ok)
        log_error("analytics: unexpected sums from the database");
    return ok;
}

/* A school's or district's people: per figure from the bit strings,
 * each asker's questions from the running totals. */
static bool read_people_org(struct db *db, struct arena *a, const char *const *params,
                            struct analytics_report *r)
{
    PGresult *res = db_exec(db, PEOPLE_BITS, 3, params, false);
    int i, n;

    if (res == NULL)
        return false;
    n = PQntuples(res);
    for (i = 0; i < n; i++) {
        int64_t flag = int_at(res, i, 0), count = int_at(res, i, 1);
        if (flag == AB_COUNT)
            r->people = count;
        else if (flag >= 0 && flag < AB_COUNT)
            r->people_with[flag] = count;
    }
    PQclear(res);
    res = db_exec(db, ASKERS_ORG, 3, params, false);
    if (res == NULL)
        return false;
    r->questions_per_person = int_array(a, db_value(res, 0, 0), &r->askers);
    PQclear(res);
    if (r->questions_per_person == NULL)
        return false;
    stats_sort(r->questions_per_person, r->askers);
    return true;
}

static bool read_people(struct db *db, struct arena *a, const struct analytics_query *q,
                        const char *const *params, struct analytics_report *r)
{
    PGresult *res;
    int64_t *flags;
    size_t nflags, i, b;

    if (people_sql[q->scope->kind] == NULL)
        return read_people_org(db, a, params, r);
    res = db_exec(db, people_sql[q->scope->kind], 3, params, false);
    if (res == NULL)
        return false;
    r->people = int_at(res, 0, 0);
    r->questions_per_person = int_array(a, db_value(res, 0, 1), &r->askers);
    flags = int_array(a, db_value(res, 0, 2), &nflags);
    PQclear(res);
    if (r->questions_per_person == NULL || flags == NULL)
        return false;
    stats_sort(r->questions_per_person, r->askers);
    for (b = 0; b < AB_COUNT; b++) {
        r->people_with[b] = 0;
        for (i = 0; i < nflags; i++)
            r->people_with[b] += (flags[i] >> b) & 1;
    }
    return true;
}

static bool read_timeline(struct db *db, struct arena *a, const struct analytics_query *q,
                          const char *const *params, struct analytics_report *r)
{
    const char *p[4] = {params[0], params[1], params[2], q->weekly ? "week" : "day"};
    PGresult *res = db_exec(db, timeline_sql[q->scope->kind], 4, p, false);
    size_t i, n;

    if (res == NULL)
        return false;
    n = (size_t)PQntuples(res);
    r->timeline = arena_alloc(a, (n ? n : 1) * sizeof(*r->timeline));
    for (i = 0; i < n; i++) {
        struct analytics_bucket *bk = &r->timeline[i];
        bk->start = arena_strdup(a, PQgetvalue(res, (int)i, 0));
        bk->people = int_at(res, (int)i, 1);
        bk->questions = int_at(res, (int)i, 2);
        bk->conversations = int_at(res, (int)i, 3);
    }
    r->nbuckets = n;
    PQclear(res);
    return true;
}

/* Whether at least min people of the organization cited the chapter:
 * the bounds decide most; the rest are counted. */
static bool topic_enough(struct db *db, const struct analytics_query *q, const char *const *params,
                         const char *chapter, int64_t low, int64_t high, bool *enough)
{
    const char *p[4] = {params[0], params[1], params[2], chapter};
    PGresult *res;

    if (low >= q->min_people || high < q->min_people) {
        *enough = low >= q->min_people;
        return true;
    }
    res = db_exec(db, TOPIC_PEOPLE_ORG, 4, p, false);
    if (res == NULL)
        return false;
    *enough = int_at(res, 0, 0) >= q->min_people;
    PQclear(res);
    return true;
}

static bool read_topics(struct db *db, struct arena *a, const struct analytics_query *q,
                        const char *const *params, struct analytics_report *r)
{
    PGresult *res = db_exec(db, topics_sql[q->scope->kind], 3, params, false);
    size_t shown = 0;
    int i, n;

    if (res == NULL)
        return false;
    n = PQntuples(res);
    r->topics = arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*r->topics));
    r->ntopics = 0;
    for (i = 0; i < n && shown < ANALYTICS_TOPICS; i++) {
        struct analytics_topic *t = &r->topics[r->ntopics++];
        const char *number = db_value(res, i, 2), *title = db_value(res, i, 3);
        t->book = arena_strdup(a, PQgetvalue(res, i, 1));
        t->number = number ? arena_strdup(a, number) : NULL;
        t->title = title ? arena_strdup(a, title) : NULL;
        t->citations = int_at(res, i, 4);
        if (q->min_people <= 0) {
            t->enough = true;
        } else if (!topic_enough(db, q, params, PQgetvalue(res, i, 0), int_at(res, i, 5),
                                 int_at(res, i, 6), &t->enough)) {
            PQclear(res);
            return false;
        }
        shown += t->enough;
    }
    PQclear(res);
    return true;
}

/* Records the read in the audit log. */
static enum db_status audit_read(struct db *db, const struct analytics_query *q,
                                 const struct analytics_audit *audit)
{
    json_object *detail = json_object_new_object();

    json_object_object_add(detail, "from", json_object_new_string(q->from));
    json_object_object_add(detail, "to", json_object_new_string(q->to));
    json_object_object_add(detail, "bucket", json_object_new_string(q->weekly ? "week" : "day"));
    json_object_object_add(detail, "format", json_object_new_string(audit->format));
    if (audit->table != NULL)
        json_object_object_add(detail, "table", json_object_new_string(audit->table));
    return audit_write(db, audit->actor_id, "analytics.read", kind_names[q->scope->kind],
                       q->scope->id, audit->ip, detail);
}

enum db_status analytics_report(struct db *db, struct arena *a, const struct analytics_query *q,
                                const struct analytics_audit *audit, struct analytics_report *out)
{
    const char *params[3] = {q->scope->id, q->from, q->to};

    memset(out, 0, sizeof(*out));
    /* One snapshot for every figure of the report.  The queries read a few
     * thousand rows each: starting parallel workers costs more than it
     * saves (the district's year topics: 254 ms with two workers, 41 ms
     * without, docs/performance.md). */
    if (!store_tx(db, "BEGIN ISOLATION LEVEL REPEATABLE READ"))
        return DB_ERROR;
    if (!store_tx(db, "SET LOCAL max_parallel_workers_per_gather = 0")
        || !read_sums(db, a, q, params, out) || !read_people(db, a, q, params, out)
        || !read_timeline(db, a, q, params, out) || !read_topics(db, a, q, params, out)
        || (audit != NULL && audit_read(db, q, audit) != DB_OK))
        return db_rollback(db, NULL, DB_ERROR);
    return store_tx(db, "COMMIT") ? DB_OK : DB_ERROR;
}

/* clang-format off */
/* $1 the caller. */
#define SCOPE_ME_SQL "SELECT u.name, 1 FROM users u WHERE u.id = $1::uuid"
/* $1 the team, $2 the caller, $3 whether the caller is an admin. */
#define SCOPE_TEAM_SQL \
    "SELECT t.name, (SELECT count(*) FROM team_members m WHERE m.team_id = t.id) " \
    "FROM teams t WHERE t.id = $1::uuid AND ($3::boolean " \
    "  OR EXISTS (SELECT 1 FROM team_coaches c WHERE c.team_id = t.id AND c.user_id = $2::uuid))"
/* $1 the organization, $2 its kind. */
#define SCOPE_ORG_SQL \
    "SELECT o.name, (SELECT count(*) FROM users u WHERE u.organization_id = o.id " \
    "  OR u.organization_id IN (SELECT s.id FROM organizations s WHERE s.parent_id = o.id)) " \
    "FROM organizations o WHERE o.id = $1::uuid AND o.kind = $2"
/* clang-format on */

enum db_status analytics_scope_find(struct db *db, struct arena *a, const char *caller_id,
                                    bool caller_admin, enum analytics_kind kind, const char *id,
                                    struct analytics_scope *out)
{
    const char *params[3];
    PGresult *res;

    if (kind == ANALYTICS_ME)
        id = caller_id;
    if (id == NULL)
        return DB_NOT_FOUND;
    params[0] = id;
    if (kind == ANALYTICS_ME) {
        res = db_exec(db, SCOPE_ME_SQL, 1, params, true);
    } else if (kind == ANALYTICS_TEAM) {
        params[1] = caller_id;
        params[2] = caller_admin ? "true" : "false";
        res = db_exec(db, SCOPE_TEAM_SQL, 3, params, true);
    } else {
        params[1] = kind_names[kind];
        res = db_exec(db, SCOPE_ORG_SQL, 2, params, true);
    }
    if (res == NULL)
        return DB_ERROR;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return DB_NOT_FOUND;
    }
    out->kind = kind;
    out->id = arena_strdup(a, id);
    out->name = arena_strdup(a, PQgetvalue(res, 0, 0));
    out->members = int_at(res, 0, 1);
    PQclear(res);
    return DB_OK;
}

/* clang-format off */
#define CHOICES_SQL \
    "SELECT 'team', t.id, t.name, o.name, 0 AS k FROM teams t " \
    "JOIN organizations o ON o.id = t.organization_id " \
    "WHERE $2::boolean OR EXISTS (SELECT 1 FROM team_coaches c " \
    "  WHERE c.team_id = t.id AND c.user_id = $1::uuid) " \
    "UNION ALL SELECT o.kind, o.id, o.name, p.name, CASE o.kind WHEN 'school' THEN 1 ELSE 2 END " \
    "FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id WHERE $2::boolean " \
    "ORDER BY 5, 3, 4 NULLS FIRST, 2"
/* clang-format on */

enum db_status analytics_choices(struct db *db, struct arena *a, const char *caller_id,
                                 bool caller_admin, struct analytics_choice **out, size_t *n)
{
    const char *params[2] = {caller_id, caller_admin ? "true" : "false"};
    PGresult *res = db_exec(db, CHOICES_SQL, 2, params, true);
    int i, rows;

    *out = NULL;
    *n = 0;
    if (res == NULL)
        return DB_ERROR;
    rows = PQntuples(res);
    *out = arena_alloc(a, (size_t)(rows ? rows : 1) * sizeof(**out));
    for (i = 0; i < rows; i++) {
        struct analytics_choice *c = &(*out)[i];
        const char *kind = PQgetvalue(res, i, 0), *parent = db_value(res, i, 3);
        c->kind = strcmp(kind, "team") == 0     ? ANALYTICS_TEAM
                  : strcmp(kind, "school") == 0 ? ANALYTICS_SCHOOL
                                                : ANALYTICS_DISTRICT;
        c->id = arena_strdup(a, PQgetvalue(res, i, 1));
        c->name = arena_strdup(a, PQgetvalue(res, i, 2));
        c->parent = parent ? arena_strdup(a, parent) : NULL;
    }
    *n = (size_t)rows;
    PQclear(res);
    return DB_OK;
}
