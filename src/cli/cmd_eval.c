/*
 * plccoach eval FILE.jsonl [--k 5] [--min-recall5 X] [--json]
 *
 * Each line: {"id","question","expected":[{"book":TITLE,"pages":["12"]}],
 * "domains":[...],"kind":"answerable"|"none"}.  An answerable question is
 * hit at rank r when the r-th result comes from an expected book and its
 * page range overlaps an expected page.  Pages are compared through their
 * indexes in the book (a label's index is looked up in the book's chunks),
 * so "12" in a book whose front matter runs i..xii is the right page.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
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

int cmd_eval(int argc, char **argv, struct config *cfg)
{
    static const struct option opts[] = {
        {"k", required_argument, NULL, 'k'},
        {"min-recall5", required_argument, NULL, 'm'},
        {"json", no_argument, NULL, 'j'},
        {"verbose", no_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };
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
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:m:jv", opts, NULL)) != -1) {
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
        default: return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "Usage: plccoach eval FILE.jsonl [--k 5] [--min-recall5 X] [--json]\n");
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
            printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
            json_object_put(o);
        } else {
            printf("%-18s %5s  %9s  %9s  %6s\n", "domain", "n", "recall@1", "recall@5", "MRR");
            print_tally(&all, false, NULL);
            for (i = 0; i < ndoms; i++)
                print_tally(&doms[i], false, NULL);
            printf("nothing-relevant questions: %zu, answered with nothing: %.3f\n", none_n,
                   none_n ? (double)none_ok / (double)none_n : 0);
        }
        if (min_recall >= 0 && recall5 < min_recall) {
            fprintf(stderr, "plccoach: recall@5 %.3f is below %.3f\n", recall5, min_recall);
            failed = true;
        }
    }
    for (i = 0; i < nkeep; i++)
        json_object_put(keep[i]);
    free(keep);
    return failed ? 1 : 0;
}
