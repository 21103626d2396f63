/*
 * plccoach eval FILE.jsonl [--k 5] [--min-recall5 X] [--json]
 *
 * Each line: {"id","question","expected":[{"book":TITLE,"pages":["12"]}],
 * "domains":[...],"kind":"answerable"|"none"}.  An answerable question is
 * hit at rank r when the r-th result comes from an expected book and its
 * page range overlaps an expected page.  Pages are compared through their
 * indexes in the book (a label's index is looked up in the book's chunks),
 * so "12" in a book whose front matter runs i..xii is the right page.
 *
 * With --coach, every line also goes through the coach pipeline
 * (src/coach/pipeline.h, nothing saved) and the coach is scored:
 *   routing accuracy      share of lines with an expected route that got it
 *                         ("route": "answer"|"clarify"|"refuse"; an
 *                         answerable line without one expects "answer")
 *   refusal rate          share of expected refusals that were refused
 *   clarification         precision (clarified lines that should be) and
 *                         recall (lines that should be that were)
 *   citations verified    share of answers carrying citations whose
 *                         citations all verified (the verifier removed
 *                         nothing), over every answer that cited anything
 * "context": ["earlier question", ...] gives a follow-up its conversation.
 * Lines without "expected" (and not "kind": "none") are not retrieval
 * questions and count only for the coach.  Thresholds: --min-routing,
 * --min-refusal, --min-clarify-precision, --min-clarify-recall,
 * --min-verified (each 0..1; below it, exit 1).  The model service is
 * used when one is configured (PLCCOACH_LLM_BASE_URL), as in the server.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "coach/pipeline.h"
#include "db/db.h"
#include "library/search.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/json.h"

#define EVAL_MAX_DOMAINS 16

struct tally {
    const char *name;
    size_t n, hit1, hit5;
    double rr;
};

/* The coach's counts (see the file comment). */
struct coach_tally {
    size_t routed, route_ok;     /* lines with an expected route; right */
    size_t refuse_n, refused;    /* expected refusals; refused */
    size_t clar_pred, clar_true; /* clarified; of which expected */
    size_t clar_exp, clar_found; /* expected clarifications; clarified */
    size_t cited, verified;      /* answers that cited; all verified */
    size_t answers, grounded;    /* answered (route answer); grounded */
    size_t llm, fallback;        /* written by the model; fell back */
};

struct target {
    char *book_id;
    int index;
};

static struct tally *tally_for(struct tally *t, size_t *nt, const char *name)
{
    size_t i;
    for (i = 0; i < *nt; i++)
        if (strcmp(t[i].name, name) == 0)
            return &t[i];
    if (*nt >= EVAL_MAX_DOMAINS)
        return NULL;
    t[*nt].name = name;
    return &t[(*nt)++];
}

/* Appends to *tg the (book, page index) pairs an expected entry names.
 * Returns false on a database error. */
static bool resolve(struct db *db, json_object *exp, struct target **tg, size_t *ntg)
{
    static const char *const sql =
        "SELECT b.id, x.i FROM books b CROSS JOIN LATERAL ("
        "  SELECT page_index_start AS i FROM chunks WHERE book_id = b.id AND page_start = $2"
        "  UNION SELECT page_index_end FROM chunks WHERE book_id = b.id AND page_end = $2"
        "  UNION SELECT page_index_start + ($2::int - page_start::int) FROM chunks"
        "   WHERE book_id = b.id AND CASE WHEN $2 ~ '^[0-9]{1,6}$' AND page_start ~ '^[0-9]{1,6}$'"
        "   AND page_end ~ '^[0-9]{1,6}$' THEN $2::int BETWEEN page_start::int AND page_end::int"
        "   AND page_end::int - page_start::int = page_index_end - page_index_start"
        "   ELSE false END) x WHERE b.title = $1";
    json_object *book, *pages;
    size_t i;
    int j;

    if (!json_object_object_get_ex(exp, "book", &book)
        || !json_object_object_get_ex(exp, "pages", &pages)
        || !json_object_is_type(pages, json_type_array))
        return true;
    for (i = 0; i < json_object_array_length(pages); i++) {
        const char *params[] = {json_object_get_string(book),
                                json_object_get_string(json_object_array_get_idx(pages, i))};
        PGresult *r;
        if (params[0] == NULL || params[1] == NULL)
            continue;
        r = db_exec(db, sql, 2, params, true);
        if (r == NULL)
            return false;
        for (j = 0; j < PQntuples(r); j++) {
            *tg = xrealloc(*tg, (*ntg + 1) * sizeof(**tg));
            (*tg)[*ntg].book_id = xstrdup(PQgetvalue(r, j, 0));
            (*tg)[(*ntg)++].index = atoi(PQgetvalue(r, j, 1));
        }
        PQclear(r);
    }
    return true;
}

static void print_tally(const struct tally *t, bool json, json_object *arr)
{
    double n = t->n ? (double)t->n : 1;
    if (json) {
        json_object *o = json_object_new_object();
        json_add_str(o, "domain", t->name);
        json_object_object_add(o, "questions", json_object_new_int64((int64_t)t->n));
        json_object_object_add(o, "recall_at_1", json_object_new_double(t->hit1 / n));
        json_object_object_add(o, "recall_at_5", json_object_new_double(t->hit5 / n));
        json_object_object_add(o, "mrr", json_object_new_double(t->rr / n));
        json_object_array_add(arr, o);
    } else {
        printf("%-18s %5zu  %9.3f  %9.3f  %6.3f\n", t->name, t->n, t->hit1 / n, t->hit5 / n,
               t->rr / n);
    }
}

/* Runs line q through the coach and counts it.  Returns false when the
 * database failed. */
static bool coach_line(struct db *db, const struct config *cfg, json_object *q,
                       const char *question, const char *kind, bool verbose, struct coach_tally *ct)
{
    const char *ctx[COACH_CONTEXT_TURNS];
    struct coach_request rq = {NULL, NULL, question, ctx, 0};
    struct coach_answer ans;
    enum coach_route want = COACH_ANSWER;
    bool has_want = false;
    json_object *v;
    size_t i;

    if (json_object_object_get_ex(q, "route", &v) && json_object_get_string(v) != NULL
        && route_parse(json_object_get_string(v), &want))
        has_want = true;
    else if (kind == NULL || strcmp(kind, "answerable") == 0)
        has_want = json_object_object_get_ex(q, "expected", &v);
    if (json_object_object_get_ex(q, "context", &v) && json_object_is_type(v, json_type_array))
        for (i = 0; i < json_object_array_length(v) && rq.ncontext < COACH_CONTEXT_TURNS; i++)
            if (json_object_get_string(json_object_array_get_idx(v, i)) != NULL)
                ctx[rq.ncontext++] = json_object_get_string(json_object_array_get_idx(v, i));
    if (coach_ask(db, cfg, &rq, NULL, &ans) != COACH_OK) {
        coach_answer_free(&ans);
        return false;
    }
    if (has_want) {
        ct->routed++;
        ct->route_ok += ans.route == want;
        if (verbose && ans.route != want)
            fprintf(stderr, "eval: coach: %s: expected %s, got %s (as \"%s\")\n", question,
                    route_name(want), route_name(ans.route), ans.standalone);
    }
    if (has_want && want == COACH_REFUSE) {
        ct->refuse_n++;
        ct->refused += ans.route == COACH_REFUSE;
    }
    if (ans.route == COACH_CLARIFY) {
        ct->clar_pred++;
        ct->clar_true += has_want && want == COACH_CLARIFY;
    }
    if (has_want && want == COACH_CLARIFY) {
        ct->clar_exp++;
        ct->clar_found += ans.route == COACH_CLARIFY;
    }
    if (ans.route == COACH_ANSWER) {
        ct->answers++;
        ct->grounded += ans.grounded;
        ct->llm += ans.llm;
        ct->fallback += ans.fallback;
        if (ans.cited) {
            ct->cited++;
            ct->verified += ans.all_verified;
        }
        if (verbose && ans.cited && !ans.all_verified)
            fprintf(stderr, "eval: coach: %s: a citation did not verify\n", question);
    }
    coach_answer_free(&ans);
    return true;
}

static double share(size_t a, size_t b)
{
    return b ? (double)a / (double)b : 0;
}

/* Parses a threshold 0..1 for option name. */
static bool threshold_arg(const char *name, const char *arg, double *out)
{
    char *end;

    *out = strtod(arg, &end);
    if (*end != '\0' || end == arg || *out < 0 || *out > 1) {
        fprintf(stderr, "plccoach: --%s: expected a number from 0 to 1\n", name);
        return false;
    }
    return true;
}

int cmd_eval(int argc, char **argv, struct config *cfg)
{
    static const struct option opts[] = {
        {"k", required_argument, NULL, 'k'},
        {"min-recall5", required_argument, NULL, 'm'},
        {"json", no_argument, NULL, 'j'},
        {"verbose", no_argument, NULL, 'v'},
        {"coach", no_argument, NULL, 'c'},
        {"min-routing", required_argument, NULL, 'R'},
        {"min-refusal", required_argument, NULL, 'F'},
        {"min-clarify-precision", required_argument, NULL, 'P'},
        {"min-clarify-recall", required_argument, NULL, 'C'},
        {"min-verified", required_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct coach_tally ct;
    bool coach = false;
    double min_routing = -1, min_refusal = -1, min_cprec = -1, min_crec = -1, min_verified = -1;
    struct tally all = {"all", 0, 0, 0, 0}, doms[EVAL_MAX_DOMAINS];
    size_t ndoms = 0, none_n = 0, none_ok = 0, lineno = 0, i;
    double min_recall = -1;
    bool json = false, verbose = false, failed = false;
    json_object **keep = NULL;
    size_t nkeep = 0;
    long k = 5;
    char *line = NULL, *end;
    size_t cap = 0;
    FILE *f;
    struct db db;
    int c;

    memset(doms, 0, sizeof(doms));
    memset(&ct, 0, sizeof(ct));
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:m:jvcR:F:P:C:V:", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            errno = 0;
            k = strtol(optarg, &end, 10);
            if (*end != '\0' || k < 1 || k > SEARCH_K_MAX) {
                fprintf(stderr, "plccoach: --k: expected 1 to %d\n", SEARCH_K_MAX);
                return 2;
            }
            break;
        case 'm':
            min_recall = strtod(optarg, &end);
            if (*end != '\0' || end == optarg || min_recall < 0 || min_recall > 1) {
                fprintf(stderr, "plccoach: --min-recall5: expected a number from 0 to 1\n");
                return 2;
            }
            break;
        case 'j': json = true; break;
        case 'v': verbose = true; break;
        case 'c': coach = true; break;
        case 'R':
            if (!threshold_arg("min-routing", optarg, &min_routing))
                return 2;
            break;
        case 'F':
            if (!threshold_arg("min-refusal", optarg, &min_refusal))
                return 2;
            break;
        case 'P':
            if (!threshold_arg("min-clarify-precision", optarg, &min_cprec))
                return 2;
            break;
        case 'C':
            if (!threshold_arg("min-clarify-recall", optarg, &min_crec))
                return 2;
            break;
        case 'V':
            if (!threshold_arg("min-verified", optarg, &min_verified))
                return 2;
            break;
        default: return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "Usage: plccoach eval FILE.jsonl [--k 5] [--min-recall5 X] [--json] "
                        "[--verbose]\n       [--coach [--min-routing X] [--min-refusal X] "
                        "[--min-clarify-precision X]\n        [--min-clarify-recall X] "
                        "[--min-verified X]]\n");
        return 2;
    }
    f = fopen(argv[optind], "r");
    if (f == NULL) {
        fprintf(stderr, "plccoach: %s: %s\n", argv[optind], strerror(errno));
        return 1;
    }
    db_init(&db, cfg);
    if (db_conn(&db) == NULL) {
        fprintf(stderr, "plccoach: cannot connect to the database: %s\n", db.last_error);
        fclose(f);
        return 1;
    }
    while (!failed && getline(&line, &cap, f) != -1) {
        const char *why = NULL, *kind, *question;
        json_object *q, *v, *exp, *qdoms;
        struct target *tg = NULL;
        size_t ntg = 0, rank = 0, r, t;
        struct search_result res;
        struct search_opts so = {.k = (size_t)k, .threshold = -1, .mode = SEARCH_HYBRID};

        lineno++;
        if (strspn(line, " \t\r\n") == strlen(line))
            continue;
        q = json_parse_object_strict(line, strcspn(line, "\r\n"), 8, &why);
        if (q == NULL || !json_object_object_get_ex(q, "question", &v)
            || (question = json_object_get_string(v)) == NULL) {
            fprintf(stderr, "plccoach: %s:%zu: %s\n", argv[optind], lineno,
                    why ? why : "no question");
            json_object_put(q);
            failed = true;
            break;
        }
        kind = json_object_object_get_ex(q, "kind", &v) ? json_object_get_string(v) : "answerable";
        if (coach && !coach_line(&db, cfg, q, question, kind, verbose, &ct)) {
            fprintf(stderr, "plccoach: the coach failed: %s\n", db.last_error);
            json_object_put(q);
            failed = true;
            break;
        }
        /* A coach-only line (no "expected") is no retrieval question. */
        if (!json_object_object_get_ex(q, "expected", &v)
            && !(kind != NULL && strcmp(kind, "none") == 0)) {
            keep = xrealloc(keep, (nkeep + 1) * sizeof(*keep));
            keep[nkeep++] = q;
            continue;
        }
        so.question = question;
        if (!search_run(&db, cfg, &so, &res)) {
            fprintf(stderr, "plccoach: search failed: %s\n", db.last_error);
            search_result_free(&res);
            json_object_put(q);
            failed = true;
            break;
        }
        if (kind != NULL && strcmp(kind, "none") == 0) {
            none_n++;
            none_ok += res.nothing_relevant;
            if (verbose && !res.nothing_relevant)
                fprintf(stderr, "eval: %s: expected nothing, got %s p. %s\n", question,
                        res.hits[0].book_title, res.hits[0].page_start);
        } else {
            if (json_object_object_get_ex(q, "expected", &exp)
                && json_object_is_type(exp, json_type_array))
                for (i = 0; i < json_object_array_length(exp); i++)
                    if (!resolve(&db, json_object_array_get_idx(exp, i), &tg, &ntg))
                        failed = true;
            for (r = 0; r < res.n && rank == 0; r++)
                for (t = 0; t < ntg && rank == 0; t++)
                    if (strcmp(res.hits[r].book_id, tg[t].book_id) == 0
                        && res.hits[r].page_index_start <= tg[t].index
                        && tg[t].index <= res.hits[r].page_index_end)
                        rank = r + 1;
            if (verbose && rank != 1)
                fprintf(stderr, "eval: %s: rank %zu%s\n", question, rank,
                        ntg == 0 ? " (expected pages not found in the library)" : "");
            {
                struct tally *ts[EVAL_MAX_DOMAINS + 1];
                size_t nts = 0;
                ts[nts++] = &all;
                if (json_object_object_get_ex(q, "domains", &qdoms)
                    && json_object_is_type(qdoms, json_type_array))
                    for (i = 0; i < json_object_array_length(qdoms); i++) {
                        const char *d = json_object_get_string(json_object_array_get_idx(qdoms, i));
                        struct tally *tt = d ? tally_for(doms, &ndoms, d) : NULL;
                        if (tt != NULL && nts <= EVAL_MAX_DOMAINS)
                            ts[nts++] = tt;
                    }
                for (i = 0; i < nts; i++) {
                    ts[i]->n++;
                    ts[i]->hit1 += rank == 1;
                    ts[i]->hit5 += rank >= 1 && rank <= 5;
                    ts[i]->rr += rank ? 1.0 / (double)rank : 0;
                }
            }
        }
        for (t = 0; t < ntg; t++)
            free(tg[t].book_id);
        free(tg);
        search_result_free(&res);
        /* domain names point into q: keep q until the report is printed */
        keep = xrealloc(keep, (nkeep + 1) * sizeof(*keep));
        keep[nkeep++] = q;
    }
    free(line);
    fclose(f);
    db_close(&db);
    if (!failed) {
        double recall5 = all.n ? (double)all.hit5 / (double)all.n : 0;
        if (json) {
            json_object *o = json_object_new_object(), *arr = json_object_new_array(), *tmp;
            print_tally(&all, true, arr);
            tmp = json_object_get(json_object_array_get_idx(arr, 0));
            json_object_object_del(tmp, "domain");
            json_object_object_add(o, "overall", tmp);
            json_object_array_del_idx(arr, 0, 1);
            for (i = 0; i < ndoms; i++)
                print_tally(&doms[i], true, arr);
            json_object_object_add(o, "domains", arr);
            json_object_object_add(o, "none_questions", json_object_new_int64((int64_t)none_n));
            json_object_object_add(
                o, "none_correct",
                json_object_new_double(none_n ? (double)none_ok / (double)none_n : 0));
            if (coach) {
                json_object *co = json_object_new_object();
                json_object_object_add(co, "routed", json_object_new_int64((int64_t)ct.routed));
                json_object_object_add(co, "routing_accuracy",
                                       json_object_new_double(share(ct.route_ok, ct.routed)));
                json_object_object_add(co, "refusals_expected",
                                       json_object_new_int64((int64_t)ct.refuse_n));
                json_object_object_add(co, "refusal_rate",
                                       json_object_new_double(share(ct.refused, ct.refuse_n)));
                json_object_object_add(co, "clarify_precision",
                                       json_object_new_double(share(ct.clar_true, ct.clar_pred)));
                json_object_object_add(co, "clarify_recall",
                                       json_object_new_double(share(ct.clar_found, ct.clar_exp)));
                json_object_object_add(co, "answers", json_object_new_int64((int64_t)ct.answers));
                json_object_object_add(co, "grounded",
                                       json_object_new_double(share(ct.grounded, ct.answers)));
                json_object_object_add(co, "cited", json_object_new_int64((int64_t)ct.cited));
                json_object_object_add(co, "citations_verified",
                                       json_object_new_double(share(ct.verified, ct.cited)));
                json_object_object_add(co, "by_model", json_object_new_int64((int64_t)ct.llm));
                json_object_object_add(co, "fallbacks",
                                       json_object_new_int64((int64_t)ct.fallback));
                json_object_object_add(o, "coach", co);
            }
            printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
            json_object_put(o);
        } else {
            printf("%-18s %5s  %9s  %9s  %6s\n", "domain", "n", "recall@1", "recall@5", "MRR");
            print_tally(&all, false, NULL);
            for (i = 0; i < ndoms; i++)
                print_tally(&doms[i], false, NULL);
            printf("nothing-relevant questions: %zu, answered with nothing: %.3f\n", none_n,
                   none_n ? (double)none_ok / (double)none_n : 0);
            if (coach) {
                printf("coach routing accuracy: %.3f (%zu lines)\n", share(ct.route_ok, ct.routed),
                       ct.routed);
                printf("coach refusal rate on out-of-scope: %.3f (%zu)\n",
                       share(ct.refused, ct.refuse_n), ct.refuse_n);
                printf("coach clarification precision: %.3f (%zu clarified), recall: %.3f (%zu)\n",
                       share(ct.clar_true, ct.clar_pred), ct.clar_pred,
                       share(ct.clar_found, ct.clar_exp), ct.clar_exp);
                printf("coach answers: %zu, grounded %.3f, by the model %zu, fallbacks %zu\n",
                       ct.answers, share(ct.grounded, ct.answers), ct.llm, ct.fallback);
                printf("coach citations all verified: %.3f (%zu answers cited)\n",
                       share(ct.verified, ct.cited), ct.cited);
            }
        }
        if (min_recall >= 0 && recall5 < min_recall) {
            fprintf(stderr, "plccoach: recall@5 %.3f is below %.3f\n", recall5, min_recall);
            failed = true;
        }
        if (coach) {
            /* A gate with nothing to measure (no line of its kind) fails
             * only when the set was meant to have some: never silently. */
            const struct {
                const char *name;
                size_t num, den;
                double min;
            } gates[] = {
                {"routing accuracy", ct.route_ok, ct.routed, min_routing},
                {"refusal rate", ct.refused, ct.refuse_n, min_refusal},
                {"clarification precision", ct.clar_true, ct.clar_pred, min_cprec},
                {"clarification recall", ct.clar_found, ct.clar_exp, min_crec},
                {"citations verified", ct.verified, ct.cited, min_verified},
            };
            for (i = 0; i < sizeof(gates) / sizeof(gates[0]); i++)
                if (gates[i].min >= 0 && gates[i].den == 0) {
                    fprintf(stderr, "plccoach: coach %s: the set has nothing to measure it on\n",
                            gates[i].name);
                    failed = true;
                } else if (gates[i].min >= 0 && share(gates[i].num, gates[i].den) < gates[i].min) {
                    fprintf(stderr, "plccoach: coach %s %.3f is below %.3f\n", gates[i].name,
                            share(gates[i].num, gates[i].den), gates[i].min);
                    failed = true;
                }
        }
    }
    for (i = 0; i < nkeep; i++)
        json_object_put(keep[i]);
    free(keep);
    return failed ? 1 : 0;
}
