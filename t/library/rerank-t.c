/* Tests for the learned re-ranking (src/library/rerank.h; docs/
 * performance.md, "rank29"): rerank_order() scores candidates by the
 * weights and sorts them best first with ties broken by book, then
 * ordinal; rerank_normalise() divides each feature by its largest
 * absolute value within the question; rerank_list() sets main's score,
 * 1 / rank and the evidence of the other candidates on the same pages
 * and in the same chapter; rerank_passage() reads the shares of the
 * question's terms, expansions and headings a passage holds; the
 * compiled-in weights are finite and use main's score; search_tuning_set()
 * takes rerank_top and rerank_deep within 0..40; rerank_two_stage()
 * keeps the first stage's first and orders places 2..deep by the deep
 * weights.  Expected numbers are worked out by hand
 * from the definitions in rerank.h. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "library/analyze.h"
#include "library/rerank.h"
#include "library/search.h"
#include "tap/basic.h"

#define EPS 1e-9

/* ok() with the numbers printed when they differ. */
static void is_double(double wanted, double seen, double eps, const char *what)
{
    if (!ok(fabs(wanted - seen) <= eps, "%s", what))
        diag("wanted %.9g, seen %.9g", wanted, seen);
}

static void set_cand(struct rerank_cand *c, struct search_hit *h, const char *book, int ordinal)
{
    memset(c, 0, sizeof(*c));
    c->hit = h;
    c->book_id = book;
    c->ordinal = ordinal;
    h->book_id = book;
    h->ordinal = ordinal;
}

static void test_order(void)
{
    struct search_hit h[5] = {{0}};
    struct rerank_cand c[5];
    double w[RERANK_NFEATURES] = {0};

    set_cand(&c[0], &h[0], "b", 3);
    set_cand(&c[1], &h[1], "b", 1);
    set_cand(&c[2], &h[2], "a", 9);
    set_cand(&c[3], &h[3], "c", 0);
    set_cand(&c[4], &h[4], "a", 2);
    c[0].f[RERANK_F_MAIN] = 1.0;
    c[1].f[RERANK_F_MAIN] = 0.5;
    c[2].f[RERANK_F_MAIN] = 0.5;
    c[3].f[RERANK_F_MAIN] = 0.2;
    c[4].f[RERANK_F_MAIN] = 0.5;
    c[3].f[RERANK_F_WINDOW] = 1.0;
    /* main's score alone: its order, ties by book then ordinal. */
    w[RERANK_F_MAIN] = 1;
    rerank_order(c, 5, w);
    ok(c[0].hit == &h[0], "main alone: the best main score first");
    ok(c[1].hit == &h[4] && c[2].hit == &h[2] && c[3].hit == &h[1],
       "ties: book a before b, then the lower ordinal");
    ok(c[4].hit == &h[3], "main alone: the lowest last");
    is_double(1.0, c[0].score, EPS, "score of the first is w . f");
    /* A window weight lifts the passage holding the window. */
    w[RERANK_F_WINDOW] = 0.9;
    rerank_order(c, 5, w);
    ok(c[0].hit == &h[3] && fabs(c[0].score - 1.1) < EPS, "window 0.9: 0.2 + 0.9 = 1.1 first");
    ok(c[1].hit == &h[0], "then main's first");
    /* The same input in another order gives the same order. */
    {
        struct rerank_cand d[5];
        size_t i;
        for (i = 0; i < 5; i++)
            d[i] = c[4 - i];
        rerank_order(d, 5, w);
        for (i = 0; i < 5 && d[i].hit == c[i].hit; i++)
            ;
        ok(i == 5, "deterministic whatever the input order");
    }
}

static void test_normalise(void)
{
    struct search_hit h[3] = {{0}};
    struct rerank_cand c[3];

    set_cand(&c[0], &h[0], "a", 1);
    set_cand(&c[1], &h[1], "a", 2);
    set_cand(&c[2], &h[2], "a", 3);
    c[0].f[RERANK_F_MAIN] = 4;
    c[1].f[RERANK_F_MAIN] = 2;
    c[2].f[RERANK_F_MAIN] = 1;
    c[0].f[RERANK_F_LENGTH] = -2;
    c[1].f[RERANK_F_LENGTH] = 1;
    rerank_normalise(c, 3);
    is_double(1.0, c[0].f[RERANK_F_MAIN], EPS, "normalise: the largest is 1");
    is_double(0.25, c[2].f[RERANK_F_MAIN], EPS, "normalise: 1 / 4");
    is_double(-1.0, c[0].f[RERANK_F_LENGTH], EPS, "normalise: by the largest absolute value");
    is_double(0.5, c[1].f[RERANK_F_LENGTH], EPS, "normalise: 1 / |-2|");
    is_double(0.0, c[1].f[RERANK_F_WINDOW], EPS, "normalise: a feature 0 everywhere stays 0");
}

static void test_list(void)
{
    struct search_hit h[4] = {{0}};
    struct rerank_cand c[4];
    double main_score[4] = {8, 4, 2, 1};

    set_cand(&c[0], &h[0], "a", 1);
    set_cand(&c[1], &h[1], "a", 2);
    set_cand(&c[2], &h[2], "b", 7);
    set_cand(&c[3], &h[3], "a", 9);
    /* a: pages 10-10, 11-12 (adjacent), 20-20; b: 10-10. */
    h[0].page_index_start = h[0].page_index_end = 10;
    h[1].page_index_start = 11;
    h[1].page_index_end = 12;
    h[2].page_index_start = h[2].page_index_end = 10;
    h[3].page_index_start = h[3].page_index_end = 20;
    h[0].chapter_id = "a1";
    h[1].chapter_id = "a2";
    h[2].chapter_id = "b1";
    h[3].chapter_id = "a1";
    rerank_list(c, 4, main_score);
    is_double(1.0, c[0].f[RERANK_F_MAIN], EPS, "list: main over the best");
    is_double(0.125, c[3].f[RERANK_F_MAIN], EPS, "list: 1 / 8");
    is_double(1.0, c[0].f[RERANK_F_RRANK], EPS, "list: 1 / rank, first");
    is_double(0.25, c[3].f[RERANK_F_RRANK], EPS, "list: 1 / rank, fourth");
    /* Page evidence: 0 gets 1's 4 (adjacent), 1 gets 0's 8; another book
     * on the same page index counts nothing; the largest (8) is 1. */
    is_double(0.5, c[0].f[RERANK_F_PAGE_EV], EPS, "page evidence: an adjacent page counts");
    is_double(1.0, c[1].f[RERANK_F_PAGE_EV], EPS, "page evidence: the largest is 1");
    is_double(0.0, c[2].f[RERANK_F_PAGE_EV], EPS, "page evidence: another book counts nothing");
    is_double(0.0, c[3].f[RERANK_F_PAGE_EV], EPS, "page evidence: a distant page counts nothing");
    /* Chapter evidence: 0 and 3 share a1: 0 gets 1, 3 gets 8. */
    is_double(0.125, c[0].f[RERANK_F_CHAP_EV], EPS, "chapter evidence: the other's score");
    is_double(1.0, c[3].f[RERANK_F_CHAP_EV], EPS, "chapter evidence: the largest is 1");
    is_double(0.0, c[1].f[RERANK_F_CHAP_EV], EPS, "chapter evidence: alone in its chapter");
}

static void term(struct search_term *t, const char *word, enum search_term_source src, double idf,
                 double weight, bool in_library)
{
    static char stems[8][ANALYZE_TERM_MAX];
    static size_t next;
    char *s = stems[next++ % 8];

    memset(t, 0, sizeof(*t));
    (void)analyze_word(word, strlen(word), s);
    t->term = s;
    t->word = word;
    t->source = src;
    t->idf = idf;
    t->weight = weight;
    t->in_library = in_library;
    t->df = in_library ? 1 : 0;
}

static void test_passage(void)
{
    struct search_term own[3], exp[3];
    struct search_evidence ev = {0};
    struct search_hit h = {0};
    double f[RERANK_NFEATURES];

    term(&own[0], "teams", SEARCH_TERM_QUESTION, 2, 1, true);
    term(&own[1], "assessment", SEARCH_TERM_QUESTION, 3, 1, true);
    term(&own[2], "grades", SEARCH_TERM_QUESTION, 5, 1, true);
    term(&exp[0], "formative", SEARCH_TERM_SYNONYM, 4, 0.5, true);
    term(&exp[1], "weekly", SEARCH_TERM_RELATED, 2, 1, true);
    term(&exp[2], "homework", SEARCH_TERM_TYPO, 3, 1, true);
    ev.terms = own;
    ev.nterms = 3;
    ev.expansions = exp;
    ev.nexpansions = 3;
    ev.avg_length = 4;
    h.text = "Teams meet weekly to review common formative assessment data.";
    h.section = "Assessment";
    h.chapter_title = "Teams and grades";
    h.bm25_norm = 0.3;
    rerank_passage(&h, &ev, f);
    /* Own mass 2 + 3 + 5 = 10; held: teams, assessment. */
    is_double(0.5, f[RERANK_F_COVER], EPS, "cover: (2 + 3) / 10");
    is_double(0.2, f[RERANK_F_SYNONYM], EPS, "synonym: 0.5 x 4 / 10");
    is_double(0.2, f[RERANK_F_RELATED], EPS, "related: 1 x 2 / 10");
    is_double(0.0, f[RERANK_F_TYPO], EPS, "typo: not held, 0");
    is_double(0.3, f[RERANK_F_SECTION], EPS, "section: assessment, 3 / 10");
    is_double(0.7, f[RERANK_F_CHAPTER], EPS, "chapter title: teams and grades, 7 / 10");
    is_double(0.3, f[RERANK_F_OWN], EPS, "own: the passage's bm25_norm");
    /* Analysed terms: teams meet weekly review common formative assessment data = 8. */
    is_double(log(8.0 / 4.0), f[RERANK_F_LENGTH], 1e-6, "length: log(8 / 4)");
    ok(f[RERANK_F_WINDOW] > 0 && f[RERANK_F_WINDOW] <= 1, "window: within 0..1");
    h.text = NULL;
    rerank_passage(&h, &ev, f);
    is_double(0.0, f[RERANK_F_COVER], EPS, "no text: nothing held");
}

/* rerank_two_stage() (recall31): the first stage's first stays first and
 * the deep stage orders places 2..deep, so a passage from place 6..deep
 * can enter the first five; deep <= top is the first stage alone. */
static void test_two_stage(void)
{
    struct search_hit h[8] = {{0}};
    struct rerank_cand c[8];
    double w[RERANK_NFEATURES] = {0}, wd[RERANK_NFEATURES] = {0};
    static const char *const books[8] = {"a", "b", "c", "d", "e", "f", "g", "h"};
    size_t i;

    for (i = 0; i < 8; i++) {
        set_cand(&c[i], &h[i], books[i], (int)i);
        c[i].f[RERANK_F_MAIN] = 1.0 - 0.1 * (double)i; /* main's order: a..h */
    }
    c[2].f[RERANK_F_WINDOW] = 1.0;  /* the first stage lifts c */
    c[6].f[RERANK_F_PAGE_EV] = 1.0; /* the deep stage lifts g, main's seventh */
    w[RERANK_F_MAIN] = 1;
    w[RERANK_F_WINDOW] = 0.5;
    wd[RERANK_F_MAIN] = 1;
    wd[RERANK_F_PAGE_EV] = 2;
    rerank_two_stage(c, 8, 5, 7, w, wd);
    ok(c[0].hit == &h[2], "the first stage's first stays first (c: 0.8 + 0.5)");
    ok(c[1].hit == &h[6], "the deep stage brings main's seventh to the second place (0.4 + 2)");
    ok(c[2].hit == &h[0] && c[3].hit == &h[1] && c[4].hit == &h[3],
       "then the rest of the first seven by the deep weights");
    ok(c[7].hit == &h[7], "beyond deep: main's order");
    /* deep <= top: the first stage alone (rerank_order() over top). */
    for (i = 0; i < 8; i++)
        set_cand(&c[i], &h[i], books[i], (int)i), c[i].f[RERANK_F_MAIN] = 1.0 - 0.1 * (double)i;
    c[6].f[RERANK_F_PAGE_EV] = 1.0;
    rerank_two_stage(c, 8, 5, 5, w, wd);
    for (i = 0; i < 8 && c[i].hit == &h[i]; i++)
        ;
    ok(i == 8, "deep 5 with top 5: main's order kept, the seventh not brought in");
    /* top 0 (the first stage off): main's first stays, the deep stage orders the rest. */
    rerank_two_stage(c, 8, 0, 8, w, wd);
    ok(c[0].hit == &h[0] && c[1].hit == &h[6], "top 0: main's first stays, g second");
    /* deep beyond n is cut to n. */
    rerank_two_stage(c, 3, 5, 40, w, wd);
    ok(c[0].hit == &h[0], "n 3, deep 40: no read past the list");
}

static void test_weights(void)
{
    size_t i;
    bool finite = true;

    for (i = 0; i < RERANK_NFEATURES; i++)
        finite = finite && isfinite(rerank_weights[i]) && rerank_feature_names[i] != NULL;
    ok(finite, "the compiled-in weights are finite and named");
    ok(rerank_weights[RERANK_F_MAIN] > 0, "the compiled-in weights keep main's score");
    for (i = 0, finite = true; i < RERANK_NFEATURES; i++)
        finite = finite && isfinite(rerank_weights_deep[i]);
    ok(finite && rerank_weights_deep[RERANK_F_MAIN] > 0,
       "the deep stage's weights are finite and keep main's score");
}

static void test_tuning(void)
{
    struct search_tuning t = search_tuning_default;
    char err[128];

    ok(search_tuning_set(&t, "rerank_top=20", err, sizeof(err)) && t.rerank_top == 20,
       "rerank_top=20 is taken");
    ok(!search_tuning_set(&t, "rerank_top=41", err, sizeof(err)) && t.rerank_top == 20,
       "rerank_top=41 is refused");
    ok(search_tuning_default.rerank_deep == 0,
       "the deep stage is off by default (docs/performance.md, \"recall31\")");
    ok(search_tuning_set(&t, "rerank_deep=0", err, sizeof(err)) && t.rerank_deep == 0,
       "rerank_deep=0 is taken");
    ok(!search_tuning_set(&t, "rerank_deep=41", err, sizeof(err)) && t.rerank_deep == 0,
       "rerank_deep=41 is refused");
}

int main(void)
{
    plan(0);
    test_order();
    test_normalise();
    test_list();
    test_passage();
    test_two_stage();
    test_weights();
    test_tuning();
    return 0;
}
