/* Tests for http/analytics: the privacy rule (figures of fewer than five
 * people hidden, a group too small hidden whole, the second timeline
 * period), "my usage" hiding nothing, topics, the JSON and the CSV. */
#include "config.h"

#include <string.h>

#include "http/analytics.h"
#include "tap/basic.h"
#include "util/buf.h"

static const char *const domain_names[] = {"assessment",      "collaboration", "leadership",
                                           "curriculum",      "data_analysis", "school_culture",
                                           "student_learning"};
static const char *const reason_names[] = {"inaccurate", "incomplete", "not_relevant",
                                           "missing_citations", "other"};

/* A report of a group where 7 people used the coach. */
static void report(struct analytics_report *r, int64_t *qpp, struct analytics_bucket *tl,
                   struct analytics_topic *tp)
{
    size_t i;

    memset(r, 0, sizeof(*r));
    r->questions = 17;
    r->conversations = 12;
    r->answers = 12;
    r->up = 5;
    r->down = 2;
    r->flagged = 1;
    for (i = 0; i < ANALYTICS_DOMAINS; i++)
        r->domain_names[i] = domain_names[i];
    for (i = 0; i < ANALYTICS_REASONS; i++)
        r->reason_names[i] = reason_names[i];
    r->domains[0] = 10;
    r->domains[1] = 3;
    r->reasons[1] = 2;
    r->people = 7;
    r->questions_per_person = qpp;
    r->askers = 7;
    r->people_with[AB_QUESTIONS] = 7;
    r->people_with[AB_CONVERSATIONS] = 7;
    r->people_with[AB_ANSWER_MS] = 7;
    r->people_with[AB_TTFT_MS] = 7;
    r->people_with[AB_UP] = 5;
    r->people_with[AB_DOWN] = 2;
    r->people_with[AB_FLAGGED] = 1;
    r->people_with[AB_DOMAIN0] = 5;
    r->people_with[AB_DOMAIN0 + 1] = 3;
    r->people_with[AB_REASON0 + 1] = 2;
    r->answer_ms.n = 2;
    r->answer_ms.sum = 3001;
    r->answer_ms.max = 2000;
    r->answer_ms.hist[2] = 1;
    r->answer_ms.hist[4] = 1;
    for (i = 0; i < ANALYTICS_HIST - 1; i++)
        r->answer_ms.bounds[i] = 500 * ((int64_t)i + 1);
    r->ttft_ms.bounds[0] = 1; /* no timing measured: n = 0 */
    r->timeline = tl;
    r->nbuckets = 4;
    r->topics = tp;
    r->ntopics = 3;
}

/* "value" of summary metric m in the JSON, or "-" when hidden. */
static const char *metric(json_object *doc, const char *m)
{
    json_object *s, *x, *v, *sup;

    if (!json_object_object_get_ex(doc, "summary", &s) || !json_object_object_get_ex(s, m, &x)
        || !json_object_object_get_ex(x, "suppressed", &sup))
        return "missing";
    if (json_object_get_boolean(sup))
        return json_object_object_get_ex(x, "value", &v) && v == NULL ? "-" : "hidden-but-set";
    json_object_object_get_ex(x, "value", &v);
    return v == NULL ? "null" : json_object_get_string(v);
}

int main(void)
{
    int64_t qpp[] = {1, 1, 3, 3, 3, 3, 3};
    struct analytics_bucket tl[4] = {{"2026-05-01", 2, 2, 2},
                                     {"2026-05-02", 0, 0, 0},
                                     {"2026-05-03", 5, 5, 5},
                                     {"2026-05-04", 5, 10, 5}};
    struct analytics_topic tp[3] = {{"Learning by Doing", "3", "A Results Orientation", 10, true},
                                    {"Learning by Doing", "5", NULL, 3, false},
                                    {"=HYPERLINK(\"x\")", NULL, "Tier, \"one\"", 2, true}};
    struct analytics_scope team = {ANALYTICS_TEAM, "t-id", "Grade 3", 7};
    struct analytics_scope me = {ANALYTICS_ME, "u-id", "Me", 1};
    struct analytics_query q = {&team, "2026-05-01", "2026-05-04", false, 5};
    struct analytics_report r;
    struct arena a = ARENA_INIT;
    struct an_view v;
    struct buf csv = BUF_INIT;
    json_object *doc;

    plan(35);

    report(&r, qpp, tl, tp);
    analytics_view(&a, &q, &r, &v);
    doc = analytics_json(&v);
    is_string("7", metric(doc, "members"), "members shown");
    is_string("7", metric(doc, "active_users"), "7 active people shown");
    is_string("17", metric(doc, "questions"), "questions (7 people) shown");
    is_string("3", metric(doc, "questions_per_user_median"), "median of 1 1 3 3 3 3 3");
    is_string("5", metric(doc, "feedback_up"), "thumbs up by exactly 5 people shown");
    is_string("-", metric(doc, "feedback_down"), "thumbs down by 2 people hidden");
    is_string("-", metric(doc, "flagged"), "one flag hidden");
    is_string("1501", metric(doc, "answer_ms_avg"), "average answer time rounded");
    is_string("null", metric(doc, "ttft_ms_avg"), "nothing measured: null, not hidden");
    ok(v.tables[AT_DOMAINS].cells[1].type == AV_INT && v.tables[AT_DOMAINS].cells[1].i == 10
           && !v.tables[AT_DOMAINS].suppressed[0],
       "a domain of 5 people shown");
    ok(v.tables[AT_DOMAINS].suppressed[1] && v.tables[AT_DOMAINS].cells[3].type == AV_NULL,
       "a domain of 3 people hidden, its value gone");
    ok(!v.tables[AT_DOMAINS].suppressed[2] && v.tables[AT_DOMAINS].cells[5].i == 0,
       "a domain of nobody shows 0 when the group is large enough");
    ok(v.tables[AT_REASONS].suppressed[1] && !v.tables[AT_REASONS].suppressed[0],
       "a reason of 2 people hidden, an unused one shown");
    ok(v.tables[AT_TIMELINE].suppressed[0], "a day of 2 people hidden");
    ok(v.tables[AT_TIMELINE].suppressed[2] && !v.tables[AT_TIMELINE].suppressed[3],
       "and the smallest other day too (17 - 10 - 5 would give it away), not the larger");
    ok(!v.tables[AT_TIMELINE].suppressed[1], "an empty day stays shown");
    is_int(2, (long long)v.tables[AT_TOPICS].nrows, "two chapters shown");
    is_int(1, v.topics_hidden, "one hidden");
    ok(v.any_suppressed, "the view says something was hidden");
    json_object_put(doc);

    /* Two hidden days: no second hiding. */
    tl[2].people = 3;
    analytics_view(&a, &q, &r, &v);
    ok(v.tables[AT_TIMELINE].suppressed[0] && v.tables[AT_TIMELINE].suppressed[2]
           && !v.tables[AT_TIMELINE].suppressed[3],
       "with two days hidden nothing more is");
    tl[2].people = 5;

    /* A group where 4 people used the coach: all hidden but members. */
    r.people = 4;
    analytics_view(&a, &q, &r, &v);
    doc = analytics_json(&v);
    is_string("7", metric(doc, "members"), "too few people: members still shown");
    is_string("-", metric(doc, "questions"), "too few: questions hidden");
    is_string("-", metric(doc, "feedback_up"), "too few: even a figure of 5 hidden");
    ok(v.tables[AT_DOMAINS].suppressed[2] && v.tables[AT_TIMELINE].suppressed[1],
       "too few: zeros hidden too");
    is_int(0, (long long)v.tables[AT_TOPICS].nrows, "too few: no chapter shown");
    json_object_put(doc);
    r.people = 7;

    /* My usage hides nothing. */
    q.scope = &me;
    q.min_people = 0;
    r.people = 1;
    analytics_view(&a, &q, &r, &v);
    doc = analytics_json(&v);
    is_string("2", metric(doc, "feedback_down"), "my usage: my two thumbs down");
    ok(!v.any_suppressed || v.topics_hidden > 0,
       "my usage: nothing hidden but what the db left out");
    {
        json_object *mp;
        ok(json_object_object_get_ex(doc, "min_people", &mp) && mp == NULL,
           "my usage: min_people null");
    }
    json_object_put(doc);

    /* CSV. */
    q.scope = &team;
    r.people = 7;
    analytics_view(&a, &q, &r, &v);
    analytics_csv(&csv, &v, AT_TOPICS);
    is_string("rank,book,chapter_number,chapter_title,citations\r\n"
              "1,Learning by Doing,3,A Results Orientation,10\r\n"
              "2,\"'=HYPERLINK(\"\"x\"\")\",,\"Tier, \"\"one\"\"\",2\r\n",
              buf_str(&csv), "CSV topics: quoted, formula neutralised, null empty");
    buf_reset(&csv);
    analytics_csv(&csv, &v, AT_SUMMARY);
    ok(strstr(buf_str(&csv), "metric,value,suppressed\r\nmembers,7,false\r\n") == buf_str(&csv),
       "CSV summary header and first row");
    ok(strstr(buf_str(&csv), "\r\nfeedback_down,,true\r\n") != NULL, "CSV hidden value empty");
    ok(strstr(buf_str(&csv), "\r\nquestions_per_user_median,3.0,false\r\n") != NULL,
       "CSV median with one decimal");
    buf_reset(&csv);
    csv_field(&csv, "-2+3");
    csv_field(&csv, "@SUM");
    csv_field(&csv, "plain");
    is_string("'-2+3'@SUMplain", buf_str(&csv), "formula starts neutralised, plain text untouched");
    is_int(AT_REASONS, analytics_table_id("reasons"), "table names");
    is_int(AT_COUNT, analytics_table_id("words"), "unknown table");
    buf_free(&csv);
    arena_free(&a);
    return 0;
}
