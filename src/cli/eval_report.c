/*
 * The report of plccoach eval: every metric of eval/README.md with its
 * 95 % bootstrap interval, the page baseline beside retrieval, per
 * domain, category and tag, per question on request, and the gates.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/eval.h"
#include "cli/eval_metrics.h"
#include "coach/route.h"
#include "util/alloc.h"
#include "util/json.h"

/* The metrics, in report order. */
enum {
    M_R1,
    M_R5,
    M_MRR,
    M_BASE_R1,
    M_BASE_R5,
    M_BASE_MRR,
    M_ROUTING,
    M_REFUSAL,
    M_FALSE_REFUSAL,
    M_CLAR_PREC,
    M_CLAR_REC,
    M_ANSWER_PAGE,
    M_FOLLOWUP_PAGE,
    M_KEY_TERMS,
    M_QUOTES,
    M_VERIFIED,
    M_GROUNDED,
    M_COUNT
};

static const struct {
    const char *key, *label;
} metric_names[M_COUNT] = {
    {"recall_at_1", "recall@1"},
    {"recall_at_5", "recall@5"},
    {"mrr", "MRR"},
    {"baseline_recall_at_1", "baseline recall@1"},
    {"baseline_recall_at_5", "baseline recall@5"},
    {"baseline_mrr", "baseline MRR"},
    {"routing_accuracy", "routing accuracy"},
    {"refusal_rate", "refusal rate (out of scope and near misses refused)"},
    {"false_refusal_rate", "false-refusal rate (in scope and follow-ups refused)"},
    {"clarify_precision", "clarification precision"},
    {"clarify_recall", "clarification recall"},
    {"answer_right_page", "right page in answers (in scope)"},
    {"followup_right_page", "right page in answers (follow-ups)"},
    {"key_term_coverage", "key-term coverage"},
    {"quotes_on_page", "quotes found on their cited pages"},
    {"citations_verified", "citations all verified"},
    {"grounded", "answers grounded"},
};

/* Fills num[m][i] and den[m][i] for question q. */
static void measure(const struct eval_q *q, double *num, double *den, size_t k)
{
    int ans = (int)COACH_ANSWER, ref = (int)COACH_REFUSE, cla = (int)COACH_CLARIFY;
    bool hit1 = q->rank == 1, hitk = q->rank >= 1 && q->rank <= k;

    memset(num, 0, M_COUNT * sizeof(*num));
    memset(den, 0, M_COUNT * sizeof(*den));
    if (q->retrieval) {
        den[M_R1] = den[M_R5] = den[M_MRR] = 1;
        den[M_BASE_R1] = den[M_BASE_R5] = den[M_BASE_MRR] = 1;
        num[M_R1] = hit1;
        num[M_R5] = hitk;
        num[M_MRR] = q->rank ? 1.0 / (double)q->rank : 0;
        num[M_BASE_R1] = q->base_rank == 1;
        num[M_BASE_R5] = q->base_rank >= 1 && q->base_rank <= k;
        num[M_BASE_MRR] = q->base_rank ? 1.0 / (double)q->base_rank : 0;
    }
    if (!q->coached)
        return;
    if (q->want_route != EVAL_NO_ROUTE) {
        den[M_ROUTING] = 1;
        num[M_ROUTING] = q->route == q->want_route;
    }
    if (q->category == EVAL_OUT_OF_SCOPE || q->category == EVAL_NEAR_MISS) {
        den[M_REFUSAL] = 1;
        num[M_REFUSAL] = q->route == ref;
    }
    if ((q->category == EVAL_IN_SCOPE || q->category == EVAL_FOLLOW_UP) && q->want_route == ans) {
        den[M_FALSE_REFUSAL] = 1;
        num[M_FALSE_REFUSAL] = q->route == ref;
    }
    if (q->route == cla) {
        den[M_CLAR_PREC] = 1;
        num[M_CLAR_PREC] = q->want_route == cla;
    }
    if (q->want_route == cla) {
        den[M_CLAR_REC] = 1;
        num[M_CLAR_REC] = q->route == cla;
    }
    if (q->page_expected) {
        int m = q->category == EVAL_FOLLOW_UP ? M_FOLLOWUP_PAGE : M_ANSWER_PAGE;
        den[m] = 1;
        num[m] = q->route == ans && q->right_page;
    }
    if (q->want_route == ans && q->key_terms > 0) {
        den[M_KEY_TERMS] = (double)q->key_terms;
        num[M_KEY_TERMS] = (double)q->key_found;
    }
    den[M_QUOTES] = (double)q->quotes;
    num[M_QUOTES] = (double)q->quotes_ok;
    if (q->route == ans) {
        den[M_GROUNDED] = 1;
        num[M_GROUNDED] = q->grounded;
        if (q->cited) {
            den[M_VERIFIED] = 1;
            num[M_VERIFIED] = q->all_verified;
        }
    }
}

/* A group of questions for a breakdown (a domain, category or tag). */
struct group {
    const char *name;
    size_t n, hit1, hitk, routed, route_ok, paged, paged_ok, keys, keys_found;
    double rr;
};

static struct group *group_for(struct group **v, size_t *n, const char *name)
{
    size_t i;
    for (i = 0; i < *n; i++)
        if (strcmp((*v)[i].name, name) == 0)
            return &(*v)[i];
    *v = xrealloc(*v, (*n + 1) * sizeof(**v));
    memset(&(*v)[*n], 0, sizeof(**v));
    (*v)[*n].name = name;
    return &(*v)[(*n)++];
}

static void group_add(struct group *g, const struct eval_q *q, size_t k)
{
    if (q->retrieval) {
        g->n++;
        g->hit1 += q->rank == 1;
        g->hitk += q->rank >= 1 && q->rank <= k;
        g->rr += q->rank ? 1.0 / (double)q->rank : 0;
    }
    if (q->coached && q->want_route != EVAL_NO_ROUTE) {
        g->routed++;
        g->route_ok += q->route == q->want_route;
    }
    if (q->coached && q->page_expected) {
        g->paged++;
        g->paged_ok += q->route == (int)COACH_ANSWER && q->right_page;
    }
    if (q->coached && q->want_route == (int)COACH_ANSWER) {
        g->keys += q->key_terms;
        g->keys_found += q->key_found;
    }
}

static double share(double a, double b)
{
    return b > 0 ? a / b : 0;
}

static json_object *group_json(const struct group *g, const char *key)
{
    json_object *o = json_object_new_object();
    json_add_str(o, key, g->name);
    json_object_object_add(o, "questions", json_object_new_int64((int64_t)g->n));
    json_object_object_add(o, "recall_at_1", json_object_new_double(share(g->hit1, g->n)));
    json_object_object_add(o, "recall_at_5", json_object_new_double(share(g->hitk, g->n)));
    json_object_object_add(o, "mrr", json_object_new_double(share(g->rr, g->n)));
    if (g->routed > 0) {
        json_object_object_add(o, "routed", json_object_new_int64((int64_t)g->routed));
        json_object_object_add(o, "routing_accuracy",
                               json_object_new_double(share(g->route_ok, g->routed)));
        json_object_object_add(o, "answer_right_page",
                               json_object_new_double(share(g->paged_ok, g->paged)));
        json_object_object_add(o, "key_term_coverage",
                               json_object_new_double(share(g->keys_found, g->keys)));
    }
    return o;
}

static void group_print(const struct group *g, bool coach)
{
    printf("%-18s %5zu  %9.3f  %9.3f  %6.3f", g->name, g->n, share(g->hit1, g->n),
           share(g->hitk, g->n), share(g->rr, g->n));
    if (coach)
        printf("  %6zu %7.3f %7.3f %7.3f", g->routed, share(g->route_ok, g->routed),
               share(g->paged_ok, g->paged), share(g->keys_found, g->keys));
    putchar('\n');
}

static const char *route_or_dash(int r)
{
    return r == EVAL_NO_ROUTE ? "-" : route_name((enum coach_route)r);
}

/* Prints one line (or JSON object) per question: for debugging on the
 * sets tuned on, never on the held-out split (eval/README.md). */
static void per_question(const struct eval_q *q, size_t n, bool json, json_object *root)
{
    json_object *arr = json ? json_object_new_array() : NULL;
    size_t i;

    for (i = 0; i < n; i++) {
        if (json) {
            json_object *o = json_object_new_object();
            json_add_str(o, "id", q[i].id);
            json_add_str(o, "category", eval_category_name(q[i].category));
            json_object_object_add(o, "rank", json_object_new_int64((int64_t)q[i].rank));
            json_object_object_add(o, "baseline_rank",
                                   json_object_new_int64((int64_t)q[i].base_rank));
            json_add_str(o, "want", route_or_dash(q[i].want_route));
            json_add_str(o, "route", q[i].coached ? route_or_dash(q[i].route) : NULL);
            json_object_object_add(o, "right_page", json_object_new_boolean(q[i].right_page));
            json_object_object_add(o, "key_terms", json_object_new_int64((int64_t)q[i].key_terms));
            json_object_object_add(o, "key_found", json_object_new_int64((int64_t)q[i].key_found));
            json_object_array_add(arr, o);
        } else {
            printf("q %-10s %-12s rank %2zu  baseline %2zu  want %-7s got %-7s page %s  keys "
                   "%zu/%zu  %s\n",
                   q[i].id, eval_category_name(q[i].category), q[i].rank, q[i].base_rank,
                   route_or_dash(q[i].want_route), q[i].coached ? route_or_dash(q[i].route) : "-",
                   q[i].right_page ? "yes" : "no ", q[i].key_found, q[i].key_terms, q[i].question);
        }
    }
    if (json)
        json_object_object_add(root, "questions", arr);
}

static json_object *ci_json(const struct eval_ci *c)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "value", json_object_new_double(c->value));
    json_object_object_add(o, "lo", json_object_new_double(c->lo));
    json_object_object_add(o, "hi", json_object_new_double(c->hi));
    json_object_object_add(o, "n", json_object_new_double(c->den));
    return o;
}

/* The old "coach" object (kept as it was for its readers). */
static json_object *coach_json(const struct eval_q *q, size_t n, const struct eval_ci *ci)
{
    json_object *co = json_object_new_object();
    size_t i, answers = 0, cited = 0, llm = 0, fallback = 0;

    for (i = 0; i < n; i++)
        if (q[i].coached && q[i].route == (int)COACH_ANSWER) {
            answers++;
            cited += q[i].cited;
            llm += q[i].llm;
            fallback += q[i].fallback;
        }
    json_object_object_add(co, "routed", json_object_new_int64((int64_t)ci[M_ROUTING].den));
    json_object_object_add(co, "routing_accuracy", json_object_new_double(ci[M_ROUTING].value));
    json_object_object_add(co, "refusals_expected",
                           json_object_new_int64((int64_t)ci[M_REFUSAL].den));
    json_object_object_add(co, "refusal_rate", json_object_new_double(ci[M_REFUSAL].value));
    json_object_object_add(co, "clarify_precision", json_object_new_double(ci[M_CLAR_PREC].value));
    json_object_object_add(co, "clarify_recall", json_object_new_double(ci[M_CLAR_REC].value));
    json_object_object_add(co, "answers", json_object_new_int64((int64_t)answers));
    json_object_object_add(co, "grounded", json_object_new_double(ci[M_GROUNDED].value));
    json_object_object_add(co, "cited", json_object_new_int64((int64_t)cited));
    json_object_object_add(co, "citations_verified", json_object_new_double(ci[M_VERIFIED].value));
    json_object_object_add(co, "by_model", json_object_new_int64((int64_t)llm));
    json_object_object_add(co, "fallbacks", json_object_new_int64((int64_t)fallback));
    return co;
}

static void print_ci(const char *label, const struct eval_ci *c)
{
    printf("  %-52s %6.3f  [%5.3f, %5.3f]  (n %g)\n", label, c->value, c->lo, c->hi, c->den);
}

/* Checks one gate; a gate with nothing to measure fails, never silently. */
static bool gate(const char *name, const struct eval_ci *c, double limit, bool at_most)
{
    if (limit < 0)
        return true;
    if (c->den <= 0) {
        fprintf(stderr, "plccoach: %s: the set has nothing to measure it on\n", name);
        return false;
    }
    if (at_most ? c->value > limit : c->value < limit) {
        fprintf(stderr, "plccoach: %s %.3f is %s %.3f\n", name, c->value,
                at_most ? "above" : "below", limit);
        return false;
    }
    return true;
}

bool eval_report(const struct eval_q *q, size_t n, const struct eval_report_opts *o,
                 const struct eval_gates *g)
{
    double *num[M_COUNT], *den[M_COUNT], qn[M_COUNT], qd[M_COUNT];
    struct eval_ci ci[M_COUNT];
    struct group *doms = NULL, *cats = NULL, *tags = NULL, all;
    size_t ndoms = 0, ncats = 0, ntags = 0, none_n = 0, none_ok = 0, i, j, m;
    json_object *root = o->json ? json_object_new_object() : NULL;
    bool ok = true;

    for (m = 0; m < M_COUNT; m++) {
        num[m] = xcalloc(n ? n : 1, sizeof(double));
        den[m] = xcalloc(n ? n : 1, sizeof(double));
    }
    memset(&all, 0, sizeof(all));
    all.name = "all";
    for (i = 0; i < n; i++) {
        measure(&q[i], qn, qd, o->k);
        for (m = 0; m < M_COUNT; m++) {
            num[m][i] = qn[m];
            den[m][i] = qd[m];
        }
        group_add(&all, &q[i], o->k);
        for (j = 0; j < q[i].ndomains; j++)
            group_add(group_for(&doms, &ndoms, q[i].domains[j]), &q[i], o->k);
        group_add(group_for(&cats, &ncats, eval_category_name(q[i].category)), &q[i], o->k);
        for (j = 0; j < q[i].ntags; j++)
            group_add(group_for(&tags, &ntags, q[i].tags[j]), &q[i], o->k);
        if (q[i].none) {
            none_n++;
            none_ok += q[i].answered_none;
        }
    }
    eval_bootstrap((const double *const *)num, (const double *const *)den, M_COUNT, n, o->resamples,
                   o->seed, ci);

    if (o->json) {
        json_object *iv = json_object_new_object(), *arr = json_object_new_array(),
                    *base = json_object_new_object(), *ov = group_json(&all, "domain");
        json_object_object_del(ov, "domain");
        json_object_object_add(root, "overall", ov);
        for (m = M_R1; m <= M_MRR; m++)
            json_object_object_add(iv, metric_names[m].key, ci_json(&ci[m]));
        json_object_object_add(root, "intervals", iv);
        json_object_object_add(base, "method",
                               json_object_new_string("Okapi BM25, k1 1.2, b 0.75, whole printed "
                                                      "pages of every book loaded, light stemmer"));
        json_object_object_add(base, "pages", json_object_new_int64((int64_t)o->pages));
        json_object_object_add(base, "books", json_object_new_int64((int64_t)o->books));
        json_object_object_add(base, "books_without_pages",
                               json_object_new_int64((int64_t)o->books_without_pages));
        for (m = M_BASE_R1; m <= M_BASE_MRR; m++)
            json_object_object_add(base, metric_names[m].key + 9, ci_json(&ci[m]));
        json_object_object_add(root, "baseline", base);
        for (i = 0; i < ndoms; i++)
            json_object_array_add(arr, group_json(&doms[i], "domain"));
        json_object_object_add(root, "domains", arr);
        arr = json_object_new_array();
        for (i = 0; i < ncats; i++)
            json_object_array_add(arr, group_json(&cats[i], "category"));
        json_object_object_add(root, "categories", arr);
        arr = json_object_new_array();
        for (i = 0; i < ntags; i++)
            json_object_array_add(arr, group_json(&tags[i], "tag"));
        json_object_object_add(root, "tags", arr);
        json_object_object_add(root, "none_questions", json_object_new_int64((int64_t)none_n));
        json_object_object_add(root, "none_correct",
                               json_object_new_double(share((double)none_ok, (double)none_n)));
        json_object_object_add(root, "k", json_object_new_int64((int64_t)o->k));
        json_object_object_add(root, "seed", json_object_new_int64((int64_t)o->seed));
        json_object_object_add(root, "resamples", json_object_new_int64((int64_t)o->resamples));
        if (o->coach) {
            json_object *cv = json_object_new_object();
            json_object_object_add(root, "coach", coach_json(q, n, ci));
            for (m = M_ROUTING; m < M_COUNT; m++)
                json_object_object_add(cv, metric_names[m].key, ci_json(&ci[m]));
            json_object_object_add(root, "coach_intervals", cv);
        }
        if (o->per_question)
            per_question(q, n, true, root);
        printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
        json_object_put(root);
    } else {
        if (o->per_question)
            per_question(q, n, false, NULL);
        printf("retrieval: %g questions (in scope, with expected pages), top %zu; 95 %% bootstrap "
               "intervals (%zu resamples, seed %llu)\n",
               ci[M_R1].den, o->k, o->resamples, (unsigned long long)o->seed);
        for (m = M_R1; m <= M_MRR; m++)
            print_ci(metric_names[m].label, &ci[m]);
        printf("page BM25 baseline, same questions: Okapi BM25 (k1 1.2, b 0.75) over %zu whole "
               "printed pages of all %zu books loaded (distractors included), light stemmer and "
               "stop words, no acronyms or headings%s\n",
               o->pages, o->books,
               o->books_without_pages ? " (some books have no page texts: re-ingest them)" : "");
        for (m = M_BASE_R1; m <= M_BASE_MRR; m++)
            print_ci(metric_names[m].label, &ci[m]);
        printf("%-18s %5s  %9s  %9s  %6s\n", "domain", "n", "recall@1", "recall@5", "MRR");
        group_print(&all, false);
        for (i = 0; i < ndoms; i++)
            group_print(&doms[i], false);
        printf("nothing-relevant questions: %zu, answered with nothing: %.3f\n", none_n,
               share((double)none_ok, (double)none_n));
        if (o->coach) {
            size_t answers = 0, llm = 0, fallback = 0;
            for (i = 0; i < n; i++)
                if (q[i].coached && q[i].route == (int)COACH_ANSWER) {
                    answers++;
                    llm += q[i].llm;
                    fallback += q[i].fallback;
                }
            printf("coach (95 %% bootstrap intervals):\n");
            for (m = M_ROUTING; m < M_COUNT; m++)
                print_ci(metric_names[m].label, &ci[m]);
            printf("coach routing accuracy: %.3f (%g lines)\n", ci[M_ROUTING].value,
                   ci[M_ROUTING].den);
            printf("coach refusal rate on out-of-scope: %.3f (%g)\n", ci[M_REFUSAL].value,
                   ci[M_REFUSAL].den);
            printf("coach clarification precision: %.3f (%g clarified), recall: %.3f (%g)\n",
                   ci[M_CLAR_PREC].value, ci[M_CLAR_PREC].den, ci[M_CLAR_REC].value,
                   ci[M_CLAR_REC].den);
            printf("coach answers: %zu, grounded %.3f, by the model %zu, fallbacks %zu\n", answers,
                   ci[M_GROUNDED].value, llm, fallback);
            printf("coach citations all verified: %.3f (%g answers cited)\n", ci[M_VERIFIED].value,
                   ci[M_VERIFIED].den);
        }
        printf("%-18s %5s  %9s  %9s  %6s%s\n", "category", "n", "recall@1", "recall@5", "MRR",
               o->coach ? "  routed   route    page    keys" : "");
        for (i = 0; i < ncats; i++)
            group_print(&cats[i], o->coach);
        if (ntags > 0) {
            printf("%-18s %5s  %9s  %9s  %6s%s\n", "tag", "n", "recall@1", "recall@5", "MRR",
                   o->coach ? "  routed   route    page    keys" : "");
            for (i = 0; i < ntags; i++)
                group_print(&tags[i], o->coach);
        }
    }

    ok &= gate("recall@1", &ci[M_R1], g->min_recall1, false);
    ok &= gate("recall@5", &ci[M_R5], g->min_recall5, false);
    ok &= gate("MRR", &ci[M_MRR], g->min_mrr, false);
    if (g->above_baseline) {
        ok &= gate("recall@1 against the baseline", &ci[M_R1], ci[M_BASE_R1].value, false);
        ok &= gate("recall@5 against the baseline", &ci[M_R5], ci[M_BASE_R5].value, false);
    }
    if (o->coach) {
        ok &= gate("coach routing accuracy", &ci[M_ROUTING], g->min_routing, false);
        ok &= gate("coach refusal rate", &ci[M_REFUSAL], g->min_refusal, false);
        ok &= gate("coach false-refusal rate", &ci[M_FALSE_REFUSAL], g->max_false_refusal, true);
        ok &= gate("coach clarification precision", &ci[M_CLAR_PREC], g->min_clarify_precision,
                   false);
        ok &= gate("coach clarification recall", &ci[M_CLAR_REC], g->min_clarify_recall, false);
        ok &= gate("coach citations verified", &ci[M_VERIFIED], g->min_verified, false);
        ok &= gate("coach right page in answers", &ci[M_ANSWER_PAGE], g->min_answer_page, false);
        ok &= gate("coach right page in follow-ups", &ci[M_FOLLOWUP_PAGE], g->min_followup_page,
                   false);
        ok &= gate("coach key-term coverage", &ci[M_KEY_TERMS], g->min_key_terms, false);
        ok &= gate("coach quotes on their pages", &ci[M_QUOTES], g->min_quotes, false);
    }
    for (m = 0; m < M_COUNT; m++) {
        free(num[m]);
        free(den[m]);
    }
    free(doms);
    free(cats);
    free(tags);
    return ok;
}
