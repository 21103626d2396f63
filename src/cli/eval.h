/*
 * plccoach eval, shared between the run (cmd_eval.c) and the report
 * (eval_report.c): what was measured for each question.  The metrics and
 * the question format are in eval/README.md.
 */
#ifndef PLC_CLI_EVAL_H
#define PLC_CLI_EVAL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The categories of eval/README.md; a line without "category" gets one
 * from its other fields (eval_category()). */
enum eval_category {
    EVAL_IN_SCOPE,
    EVAL_OUT_OF_SCOPE,
    EVAL_NEAR_MISS,
    EVAL_BROAD,
    EVAL_FOLLOW_UP,
    EVAL_NONE, /* an old "kind": "none" line without a route */
    EVAL_NCATEGORIES
};

/* The routes, as coach/route.h numbers them, plus "none expected". */
#define EVAL_NO_ROUTE (-1)

/* One question's measurements. */
struct eval_q {
    json_object *line; /* the parsed line (owned); strings below point into it */
    const char *id, *question;
    enum eval_category category;
    const char **domains, **tags;
    size_t ndomains, ntags;
    int want_route; /* coach/route.h's enum, or EVAL_NO_ROUTE */

    /* retrieval (in-scope lines with expected pages; "none" lines) */
    bool retrieval, none;
    bool targets_found; /* the expected pages exist in the library */
    size_t rank;        /* 1-based rank of the first right passage; 0 = not in the top k */
    size_t base_rank;   /* the same for the page baseline */
    bool answered_none; /* a "none" line: the search said nothing relevant */

    /* the coach (with --coach) */
    bool coached;
    int route;          /* what the coach did */
    bool page_expected; /* the line names pages and expects an answer */
    bool right_page;    /* the answer cited a passage on an expected page */
    size_t key_terms, key_found;
    size_t quotes, quotes_ok; /* cited passages' quotes; found on their pages */
    bool llm, fallback, cited, all_verified, grounded;
};

/* A line's category: "category" when present, otherwise from "route"
 * (refuse: out_of_scope; clarify: broad), "context" (follow_up), "kind"
 * ("none": none) and "expected" (in_scope). */
bool eval_category(json_object *line, enum eval_category *out, const char **why)
    __attribute__((nonnull));

const char *eval_category_name(enum eval_category c);

/* Options of the report. */
struct eval_report_opts {
    bool json, coach, per_question;
    size_t k, resamples;
    uint64_t seed;
    size_t pages, books_without_pages; /* the baseline's corpus */
    size_t books;
};

/* The gates: each < 0 when not asked for. */
struct eval_gates {
    double min_recall1, min_recall5, min_mrr;
    bool above_baseline; /* recall@1 and recall@5 >= the baseline's */
    double min_routing, min_refusal, max_false_refusal, min_clarify_precision, min_clarify_recall,
        min_verified, min_answer_page, min_followup_page, min_key_terms, min_quotes;
};

/* Prints the report of q[0..n) and checks the gates.  Returns false when
 * a gate failed (after saying which on stderr). */
bool eval_report(const struct eval_q *q, size_t n, const struct eval_report_opts *o,
                 const struct eval_gates *g) __attribute__((nonnull));

#endif
