/*
 * plccoach eval FILE... [--k 5] [--coach] [--json] [--seed N]
 *     [--resamples N] [--set name=value]... [--per-question] [--verbose]
 *     [--min-... gates]
 *
 * Runs every line of the question files (JSON lines; the format and every
 * metric are in eval/README.md) through retrieval, the plain BM25 page
 * baseline and, with --coach, the coach pipeline (src/coach/pipeline.h,
 * nothing saved), then prints the report (eval_report.c): each metric
 * with a 95 % bootstrap interval, per domain, category and tag.
 *
 * A retrieval question is hit at rank r when the r-th passage comes from
 * an expected book and its page range overlaps an expected page.  Pages
 * are compared through their indexes in the book (a label's index is
 * looked up in the book's chunks), so "12" in a book whose front matter
 * runs i..xii is the right page.  The baseline's pages are compared the
 * same way.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/eval.h"
#include "cli/eval_metrics.h"
#include "coach/pipeline.h"
#include "coach/verify.h"
#include "db/books.h"
#include "db/db.h"
#include "db/messages.h"
#include "db/pages.h"
#include "library/domains.h"
#include "library/search.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/json.h"

#define EVAL_LIST_MAX 64 /* domains, tags, key terms per line */

struct target {
    char *book_id;
    int index;
};

struct targets {
    struct target *v;
    size_t n;
};

/* The page baseline's corpus: every page of every book. */
struct baseline {
    struct arena arena;
    struct page_row *pages;
    size_t npages;
    struct eval_pages *index;
};

static const char *const category_names[] = {"in_scope", "out_of_scope", "near_miss",
                                             "broad",    "follow_up",    "none"};

const char *eval_category_name(enum eval_category c)
{
    return c < EVAL_NCATEGORIES ? category_names[c] : "?";
}

static bool has_nonempty_array(json_object *line, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(line, key, &v) && json_object_is_type(v, json_type_array)
           && json_object_array_length(v) > 0;
}

bool eval_category(json_object *line, enum eval_category *out, const char **why)
{
    json_object *v;
    const char *s;
    size_t i;

    if (json_object_object_get_ex(line, "category", &v)) {
        s = json_object_get_string(v);
        for (i = 0; s != NULL && i < EVAL_NCATEGORIES - 1; i++)
            if (strcmp(s, category_names[i]) == 0) {
                *out = (enum eval_category)i;
                return true;
            }
        *why = "category is not one of in_scope, out_of_scope, near_miss, broad, follow_up";
        return false;
    }
    s = json_object_object_get_ex(line, "route", &v) ? json_object_get_string(v) : NULL;
    if (s != NULL && strcmp(s, "refuse") == 0)
        *out = EVAL_OUT_OF_SCOPE;
    else if (s != NULL && strcmp(s, "clarify") == 0)
        *out = EVAL_BROAD;
    else if (has_nonempty_array(line, "context"))
        *out = EVAL_FOLLOW_UP;
    else if (json_object_object_get_ex(line, "kind", &v) && json_object_get_string(v) != NULL
             && strcmp(json_object_get_string(v), "none") == 0)
        *out = s != NULL ? EVAL_OUT_OF_SCOPE : EVAL_NONE;
    else
        *out = EVAL_IN_SCOPE;
    return true;
}

/* Reads the strings of array key into *out (pointing into line). */
static const char **strings(json_object *line, const char *key, size_t *n)
{
    json_object *v;
    const char **out;
    size_t i, len;

    *n = 0;
    if (!json_object_object_get_ex(line, key, &v) || !json_object_is_type(v, json_type_array))
        return NULL;
    len = json_object_array_length(v);
    if (len > EVAL_LIST_MAX)
        len = EVAL_LIST_MAX;
    out = xcalloc(len ? len : 1, sizeof(*out));
    for (i = 0; i < len; i++) {
        const char *s = json_object_get_string(json_object_array_get_idx(v, i));
        if (s != NULL)
            out[(*n)++] = s;
    }
    return out;
}

/* Appends to tg the (book, page index) pairs an expected entry names.
 * Returns false on a database error. */
static bool resolve(struct db *db, json_object *exp, struct targets *tg)
{
    json_object *book, *pages;
    size_t i, j;

    if (!json_object_object_get_ex(exp, "book", &book)
        || !json_object_object_get_ex(exp, "pages", &pages)
        || !json_object_is_type(pages, json_type_array))
        return true;
    for (i = 0; i < json_object_array_length(pages); i++) {
        const char *title = json_object_get_string(book),
                   *label = json_object_get_string(json_object_array_get_idx(pages, i));
        struct arena a = ARENA_INIT;
        struct page_place *v;
        size_t n;
        if (title == NULL || label == NULL)
            continue;
        if (pages_by_label(db, &a, title, label, &v, &n) != DB_OK) {
            arena_free(&a);
            return false;
        }
        for (j = 0; j < n; j++) {
            tg->v = xrealloc(tg->v, (tg->n + 1) * sizeof(*tg->v));
            tg->v[tg->n].book_id = xstrdup(v[j].book_id);
            tg->v[tg->n++].index = v[j].index;
        }
        arena_free(&a);
    }
    return true;
}

static void targets_free(struct targets *tg)
{
    size_t i;
    for (i = 0; i < tg->n; i++)
        free(tg->v[i].book_id);
    free(tg->v);
    memset(tg, 0, sizeof(*tg));
}

/* True when a span of book pages [from, to] holds a target. */
static bool on_target(const struct targets *tg, const char *book_id, int from, int to)
{
    size_t t;
    for (t = 0; t < tg->n; t++)
        if (strcmp(tg->v[t].book_id, book_id) == 0 && from <= tg->v[t].index
            && tg->v[t].index <= to)
            return true;
    return false;
}

/* The baseline's rank of the first right page (0 = not in the top k). */
static size_t baseline_rank(const struct baseline *b, const char *question, size_t k,
                            const struct targets *tg)
{
    size_t *top = xmalloc(k * sizeof(*top)), n, i, rank = 0;

    n = b->index ? eval_pages_rank(b->index, question, k, top) : 0;
    for (i = 0; i < n && rank == 0; i++) {
        const struct page_row *p = &b->pages[top[i]];
        if (on_target(tg, p->book_id, p->page_index, p->page_index))
            rank = i + 1;
    }
    free(top);
    return rank;
}

/* Scores the coach's answer to q against its targets: right page, key
 * terms (in what the answer tells, without its suggested questions:
 * eval_answer_told), quotes on their pages.  Returns false on a database
 * error. */
static bool score_answer(struct db *db, struct eval_q *q, const struct coach_answer *ans,
                         const struct targets *tg)
{
    json_object *cites = NULL, *answer = NULL;
    const char **keys;
    struct arena a = ARENA_INIT;
    size_t i, nkeys;
    bool ok = true;

    keys = strings(q->line, "key_terms", &nkeys);
    q->key_terms = nkeys;
    if (ans->route == COACH_ANSWER && ans->doc != NULL
        && json_object_object_get_ex(ans->doc, "answer", &answer) && nkeys > 0) {
        char *told = eval_answer_told(json_object_get_string(answer));
        q->key_found = eval_key_terms_found(told, keys, nkeys);
        free(told);
    }
    free(keys);
    if (ans->doc == NULL || !json_object_object_get_ex(ans->doc, "citations", &cites)
        || !json_object_is_type(cites, json_type_array))
        return true;
    for (i = 0; i < json_object_array_length(cites) && ok; i++) {
        json_object *c = json_object_array_get_idx(cites, i), *v;
        const char *chunk = json_object_object_get_ex(c, "chunk_id", &v) ? json_object_get_string(v)
                                                                         : NULL,
                   *quote =
                       json_object_object_get_ex(c, "quote", &v) ? json_object_get_string(v) : NULL;
        const char *book_id, *text;
        int from, to;

        if (chunk == NULL)
            continue;
        if (pages_chunk_span(db, chunk, &a, &book_id, &from, &to) != DB_OK) {
            ok = false;
            break;
        }
        if (book_id == NULL)
            continue;
        if (on_target(tg, book_id, from, to))
            q->right_page = true;
        if (quote != NULL && quote[0] != '\0') {
            struct buf norm = BUF_INIT;
            bool empty = false;
            if (pages_text(db, book_id, from, to, &a, &text) != DB_OK) {
                ok = false;
                break;
            }
            if (text[0] != '\0') { /* books without page texts are not checked */
                verify_normalise(&norm, text, strlen(text));
                q->quotes++;
                q->quotes_ok += verify_quote_in(quote, strlen(quote), buf_str(&norm), &empty);
            }
            buf_free(&norm);
        }
    }
    arena_free(&a);
    return ok;
}

/* The conversation before a follow-up as the teacher had it: each of the
 * line's earlier questions asked in turn (after the ones before it), and
 * its answer with the citations it showed, into turns (2 per question, at
 * most max; strings in a).  Returns how many turns, or -1 when the
 * database failed. */
static long context_turns(struct db *db, const struct config *cfg, json_object *line,
                          struct arena *a, struct msg_turn *turns, size_t max)
{
    const char **context;
    size_t i, n, nt = 0;
    bool ok = true;

    context = strings(line, "context", &n);
    for (i = 0; i < n && nt + 2 <= max && ok; i++) {
        struct coach_request rq = {.question = context[i], .turns = turns, .nturns = nt};
        struct coach_answer ans;
        json_object *v;
        ok = coach_ask(db, cfg, &rq, NULL, &ans) == COACH_OK;
        if (ok) {
            turns[nt++] = (struct msg_turn){.role = "user", .content = context[i]};
            turns[nt] = (struct msg_turn){.role = "assistant", .content = "", .citations = "[]"};
            if (json_object_object_get_ex(ans.doc, "answer", &v) && json_object_get_string(v))
                turns[nt].content = arena_strdup(a, json_object_get_string(v));
            if (json_object_object_get_ex(ans.doc, "citations", &v))
                turns[nt].citations =
                    arena_strdup(a, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
            nt++;
        }
        coach_answer_free(&ans);
    }
    free(context);
    return ok ? (long)nt : -1;
}

/* Runs q through the coach (a follow-up after its earlier questions and
 * their answers).  Returns false when the database failed. */
static bool coach_line(struct db *db, const struct config *cfg, struct eval_q *q,
                       const struct targets *tg, bool verbose)
{
    struct msg_turn turns[COACH_CONTEXT_TURNS];
    struct arena ta = ARENA_INIT;
    struct coach_request rq = {.question = q->question, .turns = turns};
    struct coach_answer ans;
    long nt = context_turns(db, cfg, q->line, &ta, turns, COACH_CONTEXT_TURNS);
    bool ok;

    if (nt < 0) {
        arena_free(&ta);
        return false;
    }
    rq.nturns = (size_t)nt;
    if (coach_ask(db, cfg, &rq, NULL, &ans) != COACH_OK) {
        coach_answer_free(&ans);
        arena_free(&ta);
        return false;
    }
    arena_free(&ta);
    q->coached = true;
    q->route = (int)ans.route;
    q->llm = ans.llm;
    q->fallback = ans.fallback;
    q->cited = ans.cited;
    q->all_verified = ans.all_verified;
    q->grounded = ans.grounded;
    q->page_expected = tg->n > 0 && q->want_route == (int)COACH_ANSWER;
    ok = score_answer(db, q, &ans, tg);
    if (verbose && q->want_route != EVAL_NO_ROUTE && q->route != q->want_route)
        fprintf(stderr, "eval: coach: %s: expected %s, got %s (as \"%s\")\n", q->question,
                route_name((enum coach_route)q->want_route), route_name(ans.route), ans.standalone);
    if (verbose && ans.cited && !ans.all_verified)
        fprintf(stderr, "eval: coach: %s: a citation did not verify\n", q->question);
    coach_answer_free(&ans);
    return ok;
}

/* The route a line expects: "route", else its category's, else answer
 * for an old answerable line with "expected". */
static int wanted_route(json_object *line, enum eval_category c)
{
    json_object *v;
    enum coach_route r;

    if (json_object_object_get_ex(line, "route", &v) && json_object_get_string(v) != NULL
        && route_parse(json_object_get_string(v), &r))
        return (int)r;
    switch (c) {
    case EVAL_OUT_OF_SCOPE:
    case EVAL_NEAR_MISS: return (int)COACH_REFUSE;
    case EVAL_BROAD: return (int)COACH_CLARIFY;
    case EVAL_IN_SCOPE:
    case EVAL_FOLLOW_UP: return has_nonempty_array(line, "expected") ? (int)COACH_ANSWER : -1;
    default: return EVAL_NO_ROUTE;
    }
}

/* Runs one question.  Returns false when the database failed. */
static bool run_line(struct db *db, const struct config *cfg, const struct search_tuning *tuning,
                     size_t k, bool coach, bool verbose, const struct baseline *b, struct eval_q *q)
{
    struct targets tg = {NULL, 0};
    json_object *exp;
    size_t i, r;
    bool ok = true;

    if (json_object_object_get_ex(q->line, "expected", &exp)
        && json_object_is_type(exp, json_type_array))
        for (i = 0; i < json_object_array_length(exp) && ok; i++)
            ok = resolve(db, json_object_array_get_idx(exp, i), &tg);
    q->targets_found = tg.n > 0;
    q->none = q->category == EVAL_NONE;
    q->retrieval = q->category == EVAL_IN_SCOPE && has_nonempty_array(q->line, "expected");
    if (ok && (q->retrieval || q->none)) {
        struct search_opts so = {.question = q->question,
                                 .k = k,
                                 .threshold = -1,
                                 .mode = SEARCH_HYBRID,
                                 .tuning = tuning};
        struct search_result res;
        const char *boost[DOMAIN_COUNT + 1];
        double sc[DOMAIN_COUNT];
        size_t nb = 0, d;

        /* The domain boost needs the question's domains: the lexicon's,
         * as the coach's router finds them (scores of DOMAIN_MIN_SCORE or
         * more), never the line's labels. */
        if (tuning->domain_boost != 1.0) {
            domains_score(q->question, sc);
            for (d = 0; d < DOMAIN_COUNT; d++)
                if (sc[d] >= DOMAIN_MIN_SCORE)
                    boost[nb++] = domain_name(d);
            boost[nb] = NULL;
            so.boost = nb > 0 ? boost : NULL;
        }
        if (!search_run(db, cfg, &so, &res)) {
            fprintf(stderr, "plccoach: search failed: %s\n", db->last_error);
            ok = false;
        } else if (q->none) {
            q->answered_none = res.nothing_relevant;
            if (verbose && !res.nothing_relevant)
                fprintf(stderr, "eval: %s: expected nothing, got %s p. %s\n", q->question,
                        res.hits[0].book_title, res.hits[0].page_start);
        } else {
            for (r = 0; r < res.n && q->rank == 0; r++)
                if (on_target(&tg, res.hits[r].book_id, res.hits[r].page_index_start,
                              res.hits[r].page_index_end))
                    q->rank = r + 1;
            q->base_rank = baseline_rank(b, q->question, k, &tg);
            if (verbose && q->rank != 1)
                fprintf(stderr, "eval: %s: rank %zu%s\n", q->question, q->rank,
                        tg.n == 0 ? " (expected pages not found in the library)" : "");
        }
        search_result_free(&res);
    }
    if (ok && coach && (q->want_route != EVAL_NO_ROUTE || q->retrieval)) {
        ok = coach_line(db, cfg, q, &tg, verbose);
        if (!ok)
            fprintf(stderr, "plccoach: the coach failed: %s\n", db->last_error);
    }
    targets_free(&tg);
    return ok;
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

/* Reads the question files into *qs.  Returns false after saying why. */
static bool load(char **files, size_t nfiles, struct eval_q **qs, size_t *nq)
{
    size_t f;

    for (f = 0; f < nfiles; f++) {
        FILE *fp = fopen(files[f], "r");
        char *line = NULL;
        size_t cap = 0, lineno = 0;
        bool ok = true;

        if (fp == NULL) {
            fprintf(stderr, "plccoach: %s: %s\n", files[f], strerror(errno));
            return false;
        }
        while (ok && getline(&line, &cap, fp) != -1) {
            const char *why = NULL;
            json_object *o, *v;
            struct eval_q *q;

            lineno++;
            if (strspn(line, " \t\r\n") == strlen(line))
                continue;
            o = json_parse_object_strict(line, strcspn(line, "\r\n"), 8, &why);
            if (o == NULL || !json_object_object_get_ex(o, "question", &v)
                || json_object_get_string(v) == NULL) {
                fprintf(stderr, "plccoach: %s:%zu: %s\n", files[f], lineno,
                        why ? why : "no question");
                json_object_put(o);
                ok = false;
                break;
            }
            *qs = xrealloc(*qs, (*nq + 1) * sizeof(**qs));
            q = &(*qs)[(*nq)++];
            memset(q, 0, sizeof(*q));
            q->line = o;
            q->question = json_object_get_string(v);
            q->id = json_object_object_get_ex(o, "id", &v) ? json_object_get_string(v) : "";
            if (!eval_category(o, &q->category, &why)) {
                fprintf(stderr, "plccoach: %s:%zu: %s\n", files[f], lineno, why);
                ok = false;
            }
            q->domains = strings(o, "domains", &q->ndomains);
            q->tags = strings(o, "tags", &q->ntags);
            q->want_route = wanted_route(o, q->category);
        }
        free(line);
        fclose(fp);
        if (!ok)
            return false;
    }
    return true;
}

/* Loads every page and indexes it for the baseline. */
static bool baseline_load(struct db *db, struct baseline *b, size_t *books_without)
{
    const char **texts;
    size_t i;

    memset(b, 0, sizeof(*b));
    if (pages_all(db, &b->arena, &b->pages, &b->npages) != DB_OK)
        return false;
    texts = xcalloc(b->npages ? b->npages : 1, sizeof(*texts));
    for (i = 0; i < b->npages; i++)
        texts[i] = b->pages[i].text;
    b->index = eval_pages_new(texts, b->npages);
    free(texts);
    return books_without_pages(db, books_without) == DB_OK;
}

static void usage(void)
{
    fprintf(stderr,
            "Usage: plccoach eval FILE.jsonl... [--k 5] [--json] [--per-question] [--verbose]\n"
            "       [--seed N] [--resamples N] [--set name=value]...\n"
            "       [--min-recall1 X] [--min-recall5 X] [--min-mrr X] [--above-baseline]\n"
            "       [--coach [--min-routing X] [--min-refusal X] [--max-false-refusal X]\n"
            "        [--min-clarify-precision X] [--min-clarify-recall X] [--min-verified X]\n"
            "        [--min-answer-page X] [--min-followup-page X] [--min-key-terms X]\n"
            "        [--min-quotes X]]\n");
}

int cmd_eval(int argc, char **argv, struct config *cfg)
{
    static const struct option opts[] = {
        {"k", required_argument, NULL, 'k'},
        {"json", no_argument, NULL, 'j'},
        {"verbose", no_argument, NULL, 'v'},
        {"per-question", no_argument, NULL, 'p'},
        {"coach", no_argument, NULL, 'c'},
        {"seed", required_argument, NULL, 's'},
        {"resamples", required_argument, NULL, 'n'},
        {"set", required_argument, NULL, 'S'},
        {"above-baseline", no_argument, NULL, 'A'},
        {"min-recall1", required_argument, NULL, 1},
        {"min-recall5", required_argument, NULL, 2},
        {"min-mrr", required_argument, NULL, 3},
        {"min-routing", required_argument, NULL, 4},
        {"min-refusal", required_argument, NULL, 5},
        {"max-false-refusal", required_argument, NULL, 6},
        {"min-clarify-precision", required_argument, NULL, 7},
        {"min-clarify-recall", required_argument, NULL, 8},
        {"min-verified", required_argument, NULL, 9},
        {"min-answer-page", required_argument, NULL, 10},
        {"min-followup-page", required_argument, NULL, 11},
        {"min-key-terms", required_argument, NULL, 12},
        {"min-quotes", required_argument, NULL, 13},
        {NULL, 0, NULL, 0},
    };
    struct eval_gates g = {-1, -1, -1, false, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    double *gate_of[] = {NULL,
                         &g.min_recall1,
                         &g.min_recall5,
                         &g.min_mrr,
                         &g.min_routing,
                         &g.min_refusal,
                         &g.max_false_refusal,
                         &g.min_clarify_precision,
                         &g.min_clarify_recall,
                         &g.min_verified,
                         &g.min_answer_page,
                         &g.min_followup_page,
                         &g.min_key_terms,
                         &g.min_quotes};
    struct eval_report_opts ro = {.k = 5, .resamples = 1000, .seed = 42};
    struct search_tuning tuning = search_tuning_default;
    struct eval_q *qs = NULL;
    struct baseline b;
    size_t nq = 0, i;
    bool verbose = false, failed = false;
    struct db db;
    char err[160], *end;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "k:jvpcs:n:S:A", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            ro.k = (size_t)strtoul(optarg, &end, 10);
            if (*end != '\0' || end == optarg || ro.k < 1 || ro.k > SEARCH_K_MAX) {
                fprintf(stderr, "plccoach: --k: expected 1 to %d\n", SEARCH_K_MAX);
                return 2;
            }
            break;
        case 'j': ro.json = true; break;
        case 'v': verbose = true; break;
        case 'p': ro.per_question = true; break;
        case 'c': ro.coach = true; break;
        case 's':
            ro.seed = strtoull(optarg, &end, 10);
            if (*end != '\0' || end == optarg) {
                fprintf(stderr, "plccoach: --seed: expected a whole number\n");
                return 2;
            }
            break;
        case 'n':
            ro.resamples = (size_t)strtoul(optarg, &end, 10);
            if (*end != '\0' || end == optarg || ro.resamples < 1000 || ro.resamples > 100000) {
                fprintf(stderr, "plccoach: --resamples: expected 1000 to 100000\n");
                return 2;
            }
            break;
        case 'S':
            if (!search_tuning_set(&tuning, optarg, err, sizeof(err))) {
                fprintf(stderr, "plccoach: --set: %s\n", err);
                return 2;
            }
            break;
        case 'A': g.above_baseline = true; break;
        default:
            if (c >= 1 && c <= 13) {
                if (!threshold_arg(opts[c + 8].name, optarg, gate_of[c]))
                    return 2;
                break;
            }
            usage();
            return 2;
        }
    }
    if (optind >= argc) {
        usage();
        return 2;
    }
    if (!load(argv + optind, (size_t)(argc - optind), &qs, &nq)) {
        failed = true;
        goto out;
    }
    db_init(&db, cfg);
    if (db_conn(&db) == NULL) {
        fprintf(stderr, "plccoach: cannot connect to the database: %s\n", db.last_error);
        failed = true;
        goto out;
    }
    if (!baseline_load(&db, &b, &ro.books_without_pages) || books_count(&db, &ro.books) != DB_OK) {
        fprintf(stderr, "plccoach: reading the pages failed: %s\n", db.last_error);
        db_close(&db);
        failed = true;
        goto out;
    }
    ro.pages = b.npages;
    for (i = 0; i < nq && !failed; i++)
        failed = !run_line(&db, cfg, &tuning, ro.k, ro.coach, verbose, &b, &qs[i]);
    db_close(&db);
    eval_pages_free(b.index);
    arena_free(&b.arena);
    if (!failed)
        failed = !eval_report(qs, nq, &ro, &g);
out:
    for (i = 0; i < nq; i++) {
        free(qs[i].domains);
        free(qs[i].tags);
        json_object_put(qs[i].line);
    }
    free(qs);
    return failed ? 1 : 0;
}
