/*
 * The shown report; see analytics.h.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "http/analytics.h"
#include "util/buf.h"
#include "util/stats.h"

static const char *const table_names[AT_COUNT] = {"summary", "timeline", "domains", "reasons",
                                                  "topics"};
static const char *const summary_cols[] = {"metric", "value"};
static const char *const timeline_cols[] = {"period_start", "active_users", "questions",
                                            "conversations"};
static const char *const domain_cols[] = {"domain", "answers"};
static const char *const reason_cols[] = {"reason", "count"};
static const char *const topic_cols[] = {"rank", "book", "chapter_number", "chapter_title",
                                         "citations"};

enum an_table_id analytics_table_id(const char *name)
{
    size_t i;

    for (i = 0; i < AT_COUNT; i++)
        if (strcmp(name, table_names[i]) == 0)
            return (enum an_table_id)i;
    return AT_COUNT;
}

/* What the rule needs while the view is built. */
struct ctx {
    struct arena *a;
    bool group;   /* a team, school or district: the rule applies */
    bool too_few; /* fewer than the minimum used the coach at all */
    struct an_view *v;
};

/* Whether a figure describing people distinct people is hidden. */
static bool hidden(const struct ctx *c, int64_t people)
{
    if (!c->group)
        return false;
    return c->too_few || (people > 0 && people < ANALYTICS_MIN_PEOPLE);
}

static void table_init(struct ctx *c, enum an_table_id id, const char *const *cols, size_t ncols,
                       size_t nrows, bool can_hide)
{
    struct an_table *t = &c->v->tables[id];
    size_t ncells = nrows * ncols > 0 ? nrows * ncols : 1;

    t->name = table_names[id];
    t->cols = cols;
    t->ncols = ncols;
    t->nrows = nrows;
    t->cells = arena_alloc(c->a, ncells * sizeof(*t->cells));
    memset(t->cells, 0, ncells * sizeof(*t->cells));
    t->suppressed = NULL;
    if (can_hide) {
        t->suppressed = arena_alloc(c->a, (nrows ? nrows : 1) * sizeof(bool));
        memset(t->suppressed, 0, (nrows ? nrows : 1) * sizeof(bool));
    }
}

static struct an_value *cell(struct an_table *t, size_t row, size_t col)
{
    return &t->cells[row * t->ncols + col];
}

static struct an_value v_int(int64_t i)
{
    struct an_value v = {AV_INT, i, 0, NULL};
    return v;
}

static struct an_value v_num(double d)
{
    struct an_value v = {AV_NUM, 0, d, NULL};
    return v;
}

static struct an_value v_text(const char *s)
{
    struct an_value v = {s ? AV_TEXT : AV_NULL, 0, 0, s};
    return v;
}

/* Sets row's value, or hides it. */
static void put(struct ctx *c, struct an_table *t, size_t row, size_t col, struct an_value val,
                bool hide)
{
    if (hide) {
        t->suppressed[row] = true;
        c->v->any_suppressed = true;
        val.type = AV_NULL;
    }
    *cell(t, row, col) = val;
}

/* Adds the rows NAME_avg and NAME_p95 of a timing described by people. */
static void timing(struct ctx *c, struct an_table *t, size_t *row, const char *name,
                   const struct analytics_timing *tm, int64_t people)
{
    bool hide = hidden(c, people);
    double d;

    *cell(t, *row, 0) = v_text(arena_printf(c->a, "%s_avg", name));
    put(c, t, *row, 1, tm->n > 0 ? v_int(llround((double)tm->sum / (double)tm->n)) : v_text(NULL),
        hide);
    (*row)++;
    *cell(t, *row, 0) = v_text(arena_printf(c->a, "%s_p95", name));
    put(c, t, *row, 1,
        stats_hist_percentile(tm->hist, tm->bounds, ANALYTICS_HIST - 1, tm->max, 0.95, &d)
            ? v_int(llround(d))
            : v_text(NULL),
        hide);
    (*row)++;
}

/* The summary: one row per metric. */
static void summary(struct ctx *c, const struct analytics_report *r)
{
    struct an_table *t = &c->v->tables[AT_SUMMARY];
    const int64_t askers = (int64_t)r->askers;
    size_t row = 0;
    double d;

#define METRIC(name, value, people)                                                                \
    do {                                                                                           \
        *cell(t, row, 0) = v_text(name);                                                           \
        put(c, t, row, 1, value, hidden(c, people));                                               \
        row++;                                                                                     \
    } while (0)
    table_init(c, AT_SUMMARY, summary_cols, 2, 13, true);
    *cell(t, row, 0) = v_text("members");
    *cell(t, row++, 1) = v_int(c->v->scope->members);
    METRIC("active_users", v_int(askers), askers);
    METRIC("conversations", v_int(r->conversations), r->people_with[AB_CONVERSATIONS]);
    METRIC("questions", v_int(r->questions), r->people_with[AB_QUESTIONS]);
    METRIC("questions_per_user_median",
           stats_percentile(r->questions_per_person, r->askers, 0.5, &d) ? v_num(d) : v_text(NULL),
           askers);
    METRIC("questions_per_user_p90",
           stats_percentile(r->questions_per_person, r->askers, 0.9, &d) ? v_num(d) : v_text(NULL),
           askers);
    timing(c, t, &row, "answer_ms", &r->answer_ms, r->people_with[AB_ANSWER_MS]);
    timing(c, t, &row, "ttft_ms", &r->ttft_ms, r->people_with[AB_TTFT_MS]);
    METRIC("feedback_up", v_int(r->up), r->people_with[AB_UP]);
    METRIC("feedback_down", v_int(r->down), r->people_with[AB_DOWN]);
    METRIC("flagged", v_int(r->flagged), r->people_with[AB_FLAGGED]);
#undef METRIC
}

/* The timeline, with the second hidden period when one alone is hidden
 * and the questions total is shown. */
static void timeline(struct ctx *c, const struct analytics_report *r, bool total_shown)
{
    struct an_table *t = &c->v->tables[AT_TIMELINE];
    size_t i, hidden_rows = 0, smallest = r->nbuckets;

    table_init(c, AT_TIMELINE, timeline_cols, 4, r->nbuckets, true);
    for (i = 0; i < r->nbuckets; i++) {
        const struct analytics_bucket *b = &r->timeline[i];
        bool hide = hidden(c, b->people);
        *cell(t, i, 0) = v_text(b->start);
        put(c, t, i, 1, v_int(b->people), hide);
        put(c, t, i, 2, v_int(b->questions), hide);
        put(c, t, i, 3, v_int(b->conversations), hide);
        if (hide && b->people > 0)
            hidden_rows++;
        else if (!hide && b->people > 0
                 && (smallest == r->nbuckets || b->questions < r->timeline[smallest].questions))
            smallest = i;
    }
    if (c->group && total_shown && hidden_rows == 1 && smallest < r->nbuckets) {
        put(c, t, smallest, 1, v_int(0), true);
        put(c, t, smallest, 2, v_int(0), true);
        put(c, t, smallest, 3, v_int(0), true);
    }
}

static void counts(struct ctx *c, enum an_table_id id, const char *const *cols,
                   const char *const *names, const int64_t *values, size_t n, int first_bit,
                   const struct analytics_report *r)
{
    struct an_table *t = &c->v->tables[id];
    size_t i;

    table_init(c, id, cols, 2, n, true);
    for (i = 0; i < n; i++) {
        *cell(t, i, 0) = v_text(names[i]);
        put(c, t, i, 1, v_int(values[i]), hidden(c, r->people_with[first_bit + (int)i]));
    }
}

static void topics(struct ctx *c, const struct analytics_report *r)
{
    struct an_table *t = &c->v->tables[AT_TOPICS];
    size_t i, row = 0, shown = 0;

    for (i = 0; i < r->ntopics; i++)
        shown += r->topics[i].enough;
    table_init(c, AT_TOPICS, topic_cols, 5, shown, false);
    c->v->topics_hidden = 0;
    for (i = 0; i < r->ntopics; i++) {
        const struct analytics_topic *tp = &r->topics[i];
        /* a group too small hides them all */
        if (!tp->enough || (c->group && c->too_few)) {
            c->v->topics_hidden++;
            continue;
        }
        *cell(t, row, 0) = v_int((int64_t)row + 1);
        *cell(t, row, 1) = v_text(tp->book);
        *cell(t, row, 2) = v_text(tp->number);
        *cell(t, row, 3) = v_text(tp->title);
        *cell(t, row, 4) = v_int(tp->citations);
        row++;
    }
    t->nrows = row;
    if (c->v->topics_hidden > 0)
        c->v->any_suppressed = true;
}

void analytics_view(struct arena *a, const struct analytics_query *q,
                    const struct analytics_report *r, struct an_view *out)
{
    struct ctx c;

    memset(out, 0, sizeof(*out));
    out->scope = q->scope;
    out->query = q;
    c.a = a;
    c.v = out;
    c.group = q->scope->kind != ANALYTICS_ME;
    c.too_few = r->people < ANALYTICS_MIN_PEOPLE;
    summary(&c, r);
    timeline(&c, r, !hidden(&c, r->people_with[AB_QUESTIONS]));
    counts(&c, AT_DOMAINS, domain_cols, r->domain_names, r->domains, ANALYTICS_DOMAINS, AB_DOMAIN0,
           r);
    counts(&c, AT_REASONS, reason_cols, r->reason_names, r->reasons, ANALYTICS_REASONS, AB_REASON0,
           r);
    topics(&c, r);
}

static json_object *value_json(const struct an_value *v)
{
    switch (v->type) {
    case AV_INT: return json_object_new_int64(v->i);
    case AV_NUM: {
        double d = round(v->num * 10) / 10;
        /* whole numbers as integers (3, not 3.0) */
        return d == floor(d) ? json_object_new_int64((int64_t)d) : json_object_new_double(d);
    }
    case AV_TEXT: return json_object_new_string(v->text);
    case AV_NULL: break;
    }
    return NULL;
}

/* A table as an array of row objects (with "suppressed" when it can
 * hide). */
static json_object *table_json(const struct an_table *t)
{
    json_object *rows = json_object_new_array();
    size_t i, j;

    for (i = 0; i < t->nrows; i++) {
        json_object *o = json_object_new_object();
        for (j = 0; j < t->ncols; j++)
            json_object_object_add(o, t->cols[j], value_json(&t->cells[i * t->ncols + j]));
        if (t->suppressed != NULL)
            json_object_object_add(o, "suppressed", json_object_new_boolean(t->suppressed[i]));
        json_object_array_add(rows, o);
    }
    return rows;
}

static const char *const kind_names[] = {"me", "team", "school", "district"};

json_object *analytics_json(const struct an_view *v)
{
    const struct an_table *s = &v->tables[AT_SUMMARY];
    json_object *o = json_object_new_object(), *scope = json_object_new_object(),
                *summary_obj = json_object_new_object();
    size_t i;
    char notice[160];

    json_object_object_add(scope, "kind", json_object_new_string(kind_names[v->scope->kind]));
    json_object_object_add(scope, "id", json_object_new_string(v->scope->id));
    json_object_object_add(scope, "name", json_object_new_string(v->scope->name));
    json_object_object_add(scope, "members", json_object_new_int64(v->scope->members));
    json_object_object_add(o, "scope", scope);
    json_object_object_add(o, "from", json_object_new_string(v->query->from));
    json_object_object_add(o, "to", json_object_new_string(v->query->to));
    json_object_object_add(o, "bucket", json_object_new_string(v->query->weekly ? "week" : "day"));
    json_object_object_add(
        o, "min_people",
        v->scope->kind == ANALYTICS_ME ? NULL : json_object_new_int(ANALYTICS_MIN_PEOPLE));
    for (i = 0; i < s->nrows; i++) {
        json_object *m = json_object_new_object();
        json_object_object_add(m, "value", value_json(&s->cells[i * s->ncols + 1]));
        json_object_object_add(m, "suppressed", json_object_new_boolean(s->suppressed[i]));
        json_object_object_add(summary_obj, s->cells[i * s->ncols].text, m);
    }
    json_object_object_add(o, "summary", summary_obj);
    for (i = AT_TIMELINE; i < AT_COUNT; i++)
        json_object_object_add(o, v->tables[i].name, table_json(&v->tables[i]));
    json_object_object_add(o, "topics_hidden", json_object_new_int64(v->topics_hidden));
    json_object_object_add(o, "suppressed", json_object_new_boolean(v->any_suppressed));
    snprintf(notice, sizeof(notice),
             "Figures that describe fewer than %d people are hidden to protect their privacy.",
             ANALYTICS_MIN_PEOPLE);
    json_object_object_add(o, "notice", v->any_suppressed ? json_object_new_string(notice) : NULL);
    return o;
}

void csv_field(struct buf *out, const char *text)
{
    bool quote = strpbrk(text, ",\"\r\n") != NULL;
    bool formula = strchr("=+-@\t\r", text[0]) != NULL && text[0] != '\0';
    const char *p;

    if (quote)
        buf_putc(out, '"');
    if (formula)
        buf_putc(out, '\'');
    for (p = text; *p != '\0'; p++) {
        if (*p == '"')
            buf_putc(out, '"');
        buf_putc(out, *p);
    }
    if (quote)
        buf_putc(out, '"');
}

static void csv_value(struct buf *out, const struct an_value *v)
{
    switch (v->type) {
    case AV_INT: buf_printf(out, "%lld", (long long)v->i); break;
    case AV_NUM: buf_printf(out, "%.1f", round(v->num * 10) / 10); break;
    case AV_TEXT: csv_field(out, v->text); break;
    case AV_NULL: break;
    }
}

void analytics_csv(struct buf *out, const struct an_view *v, enum an_table_id id)
{
    const struct an_table *t = &v->tables[id];
    size_t i, j;

    for (j = 0; j < t->ncols; j++) {
        if (j > 0)
            buf_putc(out, ',');
        buf_puts(out, t->cols[j]);
    }
    if (t->suppressed != NULL)
        buf_puts(out, ",suppressed");
    buf_puts(out, "\r\n");
    for (i = 0; i < t->nrows; i++) {
        for (j = 0; j < t->ncols; j++) {
            if (j > 0)
                buf_putc(out, ',');
            csv_value(out, &t->cells[i * t->ncols + j]);
        }
        if (t->suppressed != NULL)
            buf_puts(out, t->suppressed[i] ? ",true" : ",false");
        buf_puts(out, "\r\n");
    }
}
