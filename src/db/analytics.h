/*
 * The queries behind GET /api/analytics: who may see which group, and the
 * group's usage over a range of UTC days, read from the usage rollups of
 * sql/055_usage.sql (never from messages, and never any text a person
 * wrote).
 *
 * A report holds raw figures with, for each, how many distinct people it
 * describes; deciding what to show (suppressing what describes fewer than
 * five people) is the caller's (src/http/analytics.c).  Everything a
 * report points to is allocated in the caller's arena.
 */
#ifndef PLC_DB_ANALYTICS_H
#define PLC_DB_ANALYTICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/status.h"
#include "util/arena.h"

struct db;

enum analytics_kind { ANALYTICS_ME, ANALYTICS_TEAM, ANALYTICS_SCHOOL, ANALYTICS_DISTRICT };

#define ANALYTICS_HIST 16   /* histogram buckets (15 bounds) */
#define ANALYTICS_DOMAINS 7 /* usage_domain_names() */
#define ANALYTICS_REASONS 5 /* usage_reason_names() */
#define ANALYTICS_TOPICS 10 /* chapters a report lists */

/* The bits of usage_days.flags: a person counts in a figure when the bit
 * is set on one of their days in the range (sql/055_usage.sql). */
enum analytics_bit {
    AB_QUESTIONS = 0,
    AB_CONVERSATIONS = 1,
    AB_ANSWER_MS = 2,
    AB_TTFT_MS = 3,
    AB_UP = 4,
    AB_DOWN = 5,
    AB_FLAGGED = 6,
    AB_DOMAIN0 = 7,  /* + domain index */
    AB_REASON0 = 14, /* + reason index */
    AB_COUNT = 19    /* and figure 19 of usage_org_bits (061): any usage at all */
};

/* The group a report is about. */
struct analytics_scope {
    enum analytics_kind kind;
    const char *id;   /* the user (me), team or organization id (arena) */
    const char *name; /* its name (arena) */
    int64_t members;  /* people in it now */
};

/* Answer timings in the range: how many were measured, their sum and
 * largest value, and the histogram with its bounds (milliseconds). */
struct analytics_timing {
    int64_t n, sum, max;
    int64_t hist[ANALYTICS_HIST];
    int64_t bounds[ANALYTICS_HIST - 1];
};

struct analytics_bucket {
    const char *start; /* YYYY-MM-DD: the day, or the Monday of the week (arena) */
    int64_t people;    /* distinct people who asked */
    int64_t questions, conversations;
};

struct analytics_topic {
    const char *book, *number, *title; /* number and title may be NULL (arena) */
    int64_t citations;
    bool enough; /* cited by at least min_people people (always true for "me") */
};

struct analytics_report {
    int64_t questions, conversations, answers, up, down, flagged;
    struct analytics_timing answer_ms, ttft_ms;
    const char *domain_names[ANALYTICS_DOMAINS]; /* arena */
    int64_t domains[ANALYTICS_DOMAINS];          /* answers per domain */
    const char *reason_names[ANALYTICS_REASONS];
    int64_t reasons[ANALYTICS_REASONS]; /* thumbs down per reason */
    /* People with any usage in the range; those who asked, each one's
     * question count (ascending); how many people each bit describes. */
    int64_t people;
    int64_t *questions_per_person; /* arena */
    size_t askers;
    int64_t people_with[AB_COUNT];
    struct analytics_bucket *timeline; /* arena */
    size_t nbuckets;
    /* The most cited chapters in citation order, up to ANALYTICS_TOPICS
     * of them with enough people, and the ones without enough people
     * that ranked among them (enough false). */
    struct analytics_topic *topics; /* arena */
    size_t ntopics;
};

/* What a report asks for. */
struct analytics_query {
    const struct analytics_scope *scope;
    const char *from, *to; /* YYYY-MM-DD, inclusive */
    bool weekly;           /* buckets of ISO weeks (Monday) instead of days */
    int64_t min_people;    /* topics need this many people (0: none) */
};

/* An audit row written with the report, in its transaction. */
struct analytics_audit {
    const char *actor_id; /* required */
    const char *ip;       /* may be NULL */
    const char *format;   /* "json" or "csv" */
    const char *table;    /* the CSV table, or NULL */
};

/* Finds the group a caller asks about and checks that the caller may see
 * it: kind ME is the caller; a team needs an admin or one of its coaches;
 * a school or district must exist with that kind (the caller's role is
 * the HTTP layer's to check).  caller_admin says whether the caller is an
 * admin.  On DB_OK fills *out (strings in a); DB_NOT_FOUND for a
 * group that is missing or not the caller's to see; DB_ERROR. */
enum db_status analytics_scope_find(struct db *db, struct arena *a, const char *caller_id,
                                    bool caller_admin, enum analytics_kind kind, const char *id,
                                    struct analytics_scope *out)
    __attribute__((nonnull(1, 2, 3, 7)));

/* Reads a report for q into *out (everything in a) from one snapshot,
 * and, when audit is not NULL, records analytics.read in the audit log in
 * the same transaction.  Returns DB_OK, or DB_ERROR (logged) when the
 * database failed; nothing is then recorded. */
enum db_status analytics_report(struct db *db, struct arena *a, const struct analytics_query *q,
                                const struct analytics_audit *audit, struct analytics_report *out)
    __attribute__((nonnull(1, 2, 3, 5), warn_unused_result));

/* A group a caller may choose: a team (with its organization's name), a
 * school or a district. */
struct analytics_choice {
    enum analytics_kind kind;
    const char *id, *name, *parent; /* parent: the team's school, the school's district, or NULL */
};

/* Lists the groups caller_id may choose, teams first, then schools, then
 * districts, each by name: a coach's assigned teams; every team, school
 * and district for an admin; none for an educator.  *out (n entries) and
 * its strings live in a.  Returns DB_OK, or DB_ERROR (logged) on a
 * database error. */
enum db_status analytics_choices(struct db *db, struct arena *a, const char *caller_id,
                                 bool caller_admin, struct analytics_choice **out, size_t *n)
    __attribute__((nonnull, warn_unused_result));

#endif
