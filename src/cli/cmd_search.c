/*
 * plccoach search "question" [--domain D] [--k N] [--json] [--mode M]
 *     [--set name=value]... [--repeat N]
 * plccoach reindex [--lexical | --related [DIR]]
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "db/db.h"
#include "library/domains.h"
#include "library/embed.h"
#include "library/lexical.h"
#include "library/related.h"
#include "library/search.h"
#include "library/wordnet.h"
#include "util/alloc.h"
#include "util/cfg.h"
#include "util/text.h"

static bool open_db(struct db *db, struct config *cfg)
{
    db_init(db, cfg);
    if (db_conn(db) == NULL) {
        fprintf(stderr, "plccoach: cannot connect to the database: %s\n", db->last_error);
        return false;
    }
    return true;
}

/* Prints the first width characters of s on one line (newlines as
 * spaces), with an ellipsis when cut. */
static void print_excerpt(const char *s, size_t width)
{
    size_t i;

    for (i = 0; s[i] != '\0' && i < width; i++)
        putchar(s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i]);
    /* do not cut a UTF-8 sequence in half */
    while ((s[i] & 0xC0) == 0x80)
        putchar(s[i++]);
    printf("%s\n", s[i] ? "..." : "");
}

static int cmp_ms(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* --repeat N (benchmarks): runs the search N times on one connection and
 * prints each search's latency in ms, one per line (the search's own
 * time, query embedding included, process start and connect excluded),
 * then a summary with the statements (round trips) of the last search. */
static int bench(struct db *db, struct config *cfg, const struct search_opts *so, size_t n)
{
    double *ms = xcalloc(n, sizeof(*ms));
    struct search_result res;
    size_t i, found = 0;
    unsigned long statements = 0;

    for (i = 0; i < n; i++) {
        struct timespec a, b;
        statements = db->counts.statements;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (!search_run(db, cfg, so, &res)) {
            fprintf(stderr, "plccoach: search failed: %s\n", db->last_error);
            search_result_free(&res);
            free(ms);
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        found = res.n;
        statements = db->counts.statements - statements;
        search_result_free(&res);
        ms[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    }
    qsort(ms, n, sizeof(*ms), cmp_ms);
    for (i = 0; i < n; i++)
        printf("%.3f\n", ms[i]);
    fprintf(stderr,
            "plccoach: %zu searches, p50 %.2f ms, p95 %.2f ms, %zu results, %lu statements (the "
            "last search)\n",
            n, ms[(n - 1) / 2], ms[(size_t)((double)(n - 1) * 0.95)], found, statements);
    free(ms);
    return 0;
}

int cmd_search(int argc, char **argv, struct config *cfg)
{
    static const struct option opts[] = {
        {"domain", required_argument, NULL, 'd'}, {"k", required_argument, NULL, 'k'},
        {"json", no_argument, NULL, 'j'},         {"mode", required_argument, NULL, 'm'},
        {"no-cosine", no_argument, NULL, 'C'},    {"repeat", required_argument, NULL, 'r'},
        {"set", required_argument, NULL, 'S'},    {NULL, 0, NULL, 0},
    };
    struct search_tuning tuning = search_tuning_default;
    struct search_opts so = {
        .k = 5, .threshold = -1, .mode = SEARCH_HYBRID, .tuning = &tuning, .cosine = true};
    char err[160];
    struct search_result res;
    bool json = false, ok;
    int64_t k, repeat = 0;
    struct db db;
    size_t i, d;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "d:k:j", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (!domain_parse(optarg, &d)) {
                fprintf(stderr, "plccoach: --domain: unknown domain '%s'\n", optarg);
                return 2;
            }
            so.domain = optarg;
            break;
        case 'k':
            if (!parse_int64(optarg, 1, SEARCH_K_MAX, &k)) {
                fprintf(stderr, "plccoach: --k: expected 1 to %d\n", SEARCH_K_MAX);
                return 2;
            }
            so.k = (size_t)k;
            break;
        case 'j': json = true; break;
        case 'C': so.cosine = false; break;
        case 'm':
            if (strcmp(optarg, "hybrid") == 0)
                so.mode = SEARCH_HYBRID;
            else if (strcmp(optarg, "vector") == 0)
                so.mode = SEARCH_VECTOR;
            else if (strcmp(optarg, "text") == 0)
                so.mode = SEARCH_TEXT;
            else {
                fprintf(stderr, "plccoach: --mode: expected hybrid, vector or text\n");
                return 2;
            }
            break;
        case 'r':
            if (!parse_int64(optarg, 1, 100000, &repeat)) {
                fprintf(stderr, "plccoach: --repeat: expected 1 to 100000\n");
                return 2;
            }
            break;
        case 'S':
            if (!search_tuning_set(&tuning, optarg, err, sizeof(err))) {
                fprintf(stderr, "plccoach: --set: %s\n", err);
                return 2;
            }
            break;
        default: return 2;
        }
    }
    if (optind != argc - 1 || argv[optind][0] == '\0') {
        fprintf(stderr, "Usage: plccoach search \"question\" [--domain D] [--k N] [--json]\n"
                        "       [--mode hybrid|vector|text] [--set name=value]... [--repeat N]\n"
                        "       [--no-cosine]\n");
        return 2;
    }
    so.question = argv[optind];
    if (!open_db(&db, cfg))
        return 1;
    if (repeat > 0) {
        int rc = bench(&db, cfg, &so, (size_t)repeat);
        db_close(&db);
        return rc;
    }
    ok = search_run(&db, cfg, &so, &res);
    if (!ok) {
        fprintf(stderr, "plccoach: search failed: %s\n",
                db.last_error[0] ? db.last_error : "see the log");
    } else if (json) {
        json_object *o = search_result_json(&res, true);
        printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN
                                                             | JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
    } else if (res.nothing_relevant) {
        printf("Nothing relevant in the library.\n");
    } else {
        for (i = 0; i < res.n; i++) {
            const struct search_hit *h = &res.hits[i];
            printf("%zu. %s", i + 1, h->book_title);
            if (h->chapter_title != NULL)
                printf(", ch. %s %s", h->chapter_number ? h->chapter_number : "", h->chapter_title);
            if (strcmp(h->page_start, h->page_end) == 0)
                printf(", p. %s", h->page_start);
            else
                printf(", pp. %s-%s", h->page_start, h->page_end);
            printf("  (score %.3f)\n   ", h->score);
            print_excerpt(h->text, 200);
        }
    }
    search_result_free(&res);
    db_close(&db);
    return ok ? 0 : 1;
}

static void progress(size_t done, size_t total)
{
    fprintf(stderr, "\rplccoach: embedded %zu of %zu chunks", done, total);
    if (done >= total)
        fputc('\n', stderr);
}

static void lexical_progress(size_t done, size_t total)
{
    fprintf(stderr, "\rplccoach: indexed the words of %zu of %zu books", done, total);
    if (done >= total)
        fputc('\n', stderr);
}

/* plccoach reindex --related [DIR]: the related-words table from WordNet. */
static int reindex_related(struct db *db, const char *dir)
{
    char err[512];
    size_t n;

    if (!related_load(db, dir, &n, err, sizeof(err))) {
        fprintf(stderr, "plccoach: reindex --related failed: %s\n", err);
        return 1;
    }
    printf("reindexed: %zu related words from WordNet (%s)\n", n, dir ? dir : WORDNET_DIR_DEFAULT);
    return 0;
}

int cmd_reindex(int argc, char **argv, struct config *cfg)
{
    bool lexical_only = argc == 2 && strcmp(argv[1], "--lexical") == 0;
    bool related = (argc == 2 || argc == 3) && strcmp(argv[1], "--related") == 0;
    struct db db;
    bool ok;

    if (argc != 1 && !lexical_only && !related) {
        fprintf(stderr, "Usage: plccoach reindex [--lexical | --related [DIR]]\n");
        return 2;
    }
    if (!open_db(&db, cfg))
        return 1;
    if (related) {
        int rc = reindex_related(&db, argc == 3 ? argv[2] : NULL);
        db_close(&db);
        return rc;
    }
    ok = lexical_only || library_reindex(&db, cfg, isatty(2) ? progress : NULL);
    if (ok && !lexical_only)
        printf("reindexed: model %s, %lld dimensions\n", embed_model_name(cfg),
               (long long)cfg->embeddings_dimensions);
    if (ok) {
        ok = lexical_reindex(&db, isatty(2) ? lexical_progress : NULL);
        if (ok)
            printf("reindexed: the lexical index (BM25)\n");
    }
    if (!ok)
        fprintf(stderr, "plccoach: reindex failed: %s\n",
                db.last_error[0] ? db.last_error : "see the log");
    db_close(&db);
    return ok ? 0 : 1;
}
