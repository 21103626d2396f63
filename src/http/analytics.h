/*
 * What an analytics report shows (GET /api/analytics and
 * /api/analytics.csv): the privacy rule applied to the raw figures of
 * src/db/analytics.h, and the report as JSON or as one CSV table.
 *
 * The rule: in a group (a team, a school, a district), a figure that
 * describes fewer than ANALYTICS_MIN_PEOPLE distinct people is hidden
 * (null, "suppressed": true).  When fewer than that many people used the
 * coach in the period at all, every figure but the group's size is
 * hidden, zeros included.  A timeline whose questions add up to a shown
 * total hides a second period when it hides exactly one, so the hidden
 * one cannot be worked out by subtraction.  "My usage" describes one's
 * own activity and hides nothing.  Pure functions: no I/O.
 */
#ifndef PLC_HTTP_ANALYTICS_H
#define PLC_HTTP_ANALYTICS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/analytics.h"
#include "util/arena.h"

struct buf;

#define ANALYTICS_MIN_PEOPLE 5

/* One value of a table: absent (null) when not applicable or hidden. */
enum av_type { AV_NULL, AV_INT, AV_NUM, AV_TEXT };
struct an_value {
    enum av_type type;
    int64_t i;
    double num; /* shown with at most one decimal (JSON: an integer when whole) */
    const char *text;
};

/* A table of the report: named columns, rows of values, and for each row
 * whether something in it was hidden. */
struct an_table {
    const char *name;
    const char *const *cols;
    size_t ncols, nrows;
    struct an_value *cells; /* nrows x ncols */
    bool *suppressed;       /* per row; NULL when the table hides nothing */
};

enum an_table_id { AT_SUMMARY, AT_TIMELINE, AT_DOMAINS, AT_REASONS, AT_TOPICS, AT_COUNT };

/* The report as shown: its tables, and whether anything was hidden. */
struct an_view {
    const struct analytics_scope *scope;
    const struct analytics_query *query;
    struct an_table tables[AT_COUNT];
    int64_t topics_hidden; /* chapters ranked among the shown ones but hidden */
    bool any_suppressed;
};

/* Returns the table id named name ("summary", "timeline", "domains",
 * "reasons", "topics"), or AT_COUNT when there is none. */
enum an_table_id analytics_table_id(const char *name) __attribute__((nonnull));

/* Builds the view of report r (everything allocated in a). */
void analytics_view(struct arena *a, const struct analytics_query *q,
                    const struct analytics_report *r, struct an_view *out) __attribute__((nonnull));

/* The view as the JSON document of GET /api/analytics (caller puts). */
json_object *analytics_json(const struct an_view *v) __attribute__((nonnull, warn_unused_result));

/* Appends one table as CSV (RFC 4180, CRLF line ends, a header row; a
 * hidden value is an empty field; text that a spreadsheet would read as
 * a formula is prefixed with a single quote). */
void analytics_csv(struct buf *out, const struct an_view *v, enum an_table_id t)
    __attribute__((nonnull));

/* Appends one CSV field (quoted when it holds a comma, a quote, CR or
 * LF; quotes doubled; a leading = + - @ TAB or CR neutralised with '). */
void csv_field(struct buf *out, const char *text) __attribute__((nonnull));

#endif
