/*
 * The learned re-ranking's features and order; see rerank.h,
 * src/library/README.md ("Retrieval, exactly", step 3b) and
 * docs/performance.md ("rank29").
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "library/analyze.h"
#include "library/rerank.h"
#include "library/search.h"
#include "util/alloc.h"

const char *const rerank_feature_names[RERANK_NFEATURES] = {
    "main",    "prox",    "own",    "cover",   "synonym", "typo",   "related",
    "section", "chapter", "window", "page_ev", "chap_ev", "length", "rrank",
};

/* A term to look up: its stem and its index (i < nown: own term i;
 * else expansion i - nown). */
struct held_key {
    const char *term;
    size_t i;
};

/* The analysed terms of a text, counted against the question's terms
 * and expansions: held[i] is set when term i occurs.  by[0..nby) holds
 * the terms sorted, so that each analysed term is looked up by binary
 * search (a translated question has a hundred expansions or more). */
struct held_ctx {
    const struct search_term *own, *exp;
    size_t nown, nexp;
    bool *held;
    struct held_key *by;
    size_t nby;
    size_t length;
};

static int cmp_key(const void *a, const void *b)
{
    const struct held_key *x = a, *y = b;
    int r = strcmp(x->term, y->term);
    return r != 0 ? r : (x->i > y->i) - (x->i < y->i);
}

/* Allocates and fills c->held and c->by (the own terms the library holds
 * and every expansion, sorted); released by held_free(). */
static void held_init(struct held_ctx *c)
{
    size_t i;

    c->held = xcalloc(c->nown + c->nexp + 1, sizeof(*c->held));
    c->by = xcalloc(c->nown + c->nexp + 1, sizeof(*c->by));
    c->nby = 0;
    for (i = 0; i < c->nown + c->nexp; i++)
        if (i >= c->nown || c->own[i].in_library) {
            c->by[c->nby].term = i < c->nown ? c->own[i].term : c->exp[i - c->nown].term;
            c->by[c->nby++].i = i;
        }
    qsort(c->by, c->nby, sizeof(*c->by), cmp_key);
}

static void held_free(struct held_ctx *c)
{
    free(c->held);
    free(c->by);
}

static void held_term(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct held_ctx *c = ctx;
    size_t lo = 0, hi = c->nby;

    (void)len;
    (void)word;
    (void)wlen;
    c->length++;
    while (lo < hi) { /* the first key whose term is >= term */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->by[mid].term, term) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < c->nby && strcmp(c->by[lo].term, term) == 0; lo++)
        c->held[c->by[lo].i] = true;
}

/* The own terms' weight x idf. */
static double own_mass(const struct search_evidence *ev)
{
    double total = 0;
    size_t i;

    for (i = 0; i < ev->nterms; i++)
        if (ev->terms[i].in_library)
            total += ev->terms[i].weight * ev->terms[i].idf;
    return total;
}

/* The own terms' weight x idf share that the heading holds. */
static double heading_share(const char *heading, const struct search_evidence *ev, double total)
{
    struct held_ctx c = {ev->terms, NULL, ev->nterms, 0, NULL, NULL, 0, 0};
    double s = 0;
    size_t i;

    if (heading == NULL || total <= 0)
        return 0;
    held_init(&c);
    (void)analyze_each(heading, held_term, &c);
    for (i = 0; i < ev->nterms; i++)
        if (c.held[i])
            s += ev->terms[i].weight * ev->terms[i].idf;
    held_free(&c);
    return s / total;
}

void rerank_passage(const struct search_hit *h, const struct search_evidence *ev,
                    double f[RERANK_NFEATURES])
{
    struct held_ctx c = {ev->terms, ev->expansions, ev->nterms, ev->nexpansions, NULL, NULL, 0, 0};
    double total = own_mass(ev);
    size_t i;

    memset(f, 0, RERANK_NFEATURES * sizeof(*f));
    f[RERANK_F_OWN] = h->bm25_norm;
    if (h->text == NULL || total <= 0)
        return;
    held_init(&c);
    (void)analyze_each(h->text, held_term, &c);
    for (i = 0; i < c.nown; i++)
        if (c.held[i])
            f[RERANK_F_COVER] += ev->terms[i].weight * ev->terms[i].idf / total;
    for (i = 0; i < c.nexp; i++) {
        const struct search_term *x = &ev->expansions[i];
        double v = c.held[c.nown + i] ? x->weight * x->idf / total : 0;
        if (x->source == SEARCH_TERM_SYNONYM)
            f[RERANK_F_SYNONYM] += v;
        else if (x->source == SEARCH_TERM_TYPO)
            f[RERANK_F_TYPO] += v;
        else
            f[RERANK_F_RELATED] += v;
    }
    f[RERANK_F_LENGTH] =
        ev->avg_length > 0 && c.length > 0 ? log((double)c.length / ev->avg_length) : 0;
    held_free(&c);
    f[RERANK_F_SECTION] = heading_share(h->section, ev, total);
    f[RERANK_F_CHAPTER] = heading_share(h->chapter_title, ev, total);
    f[RERANK_F_WINDOW] = search_window(h->text, ev->terms, ev->nterms);
}

static bool same_chapter(const struct search_hit *a, const struct search_hit *b)
{
    return a->chapter_id != NULL && b->chapter_id != NULL
           && strcmp(a->chapter_id, b->chapter_id) == 0;
}

/* Same book, page-index ranges overlapping or adjacent. */
static bool same_pages(const struct search_hit *a, const struct search_hit *b)
{
    return strcmp(a->book_id, b->book_id) == 0 && a->page_index_start <= b->page_index_end + 1
           && b->page_index_start <= a->page_index_end + 1;
}

void rerank_list(struct rerank_cand *c, size_t n, const double *main_score)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        c[i].f[RERANK_F_MAIN] = main_score[i];
        c[i].f[RERANK_F_RRANK] = 1.0 / (double)(i + 1);
        c[i].f[RERANK_F_PAGE_EV] = 0;
        c[i].f[RERANK_F_CHAP_EV] = 0;
        for (j = 0; j < n; j++) {
            if (j == i)
                continue;
            if (same_pages(c[i].hit, c[j].hit))
                c[i].f[RERANK_F_PAGE_EV] += main_score[j];
            if (same_chapter(c[i].hit, c[j].hit))
                c[i].f[RERANK_F_CHAP_EV] += main_score[j];
        }
    }
    rerank_normalise(c, n);
}

void rerank_normalise(struct rerank_cand *c, size_t n)
{
    size_t i, k;

    for (k = 0; k < RERANK_NFEATURES; k++) {
        double max = 0;
        for (i = 0; i < n; i++)
            max = fmax(max, fabs(c[i].f[k]));
        for (i = 0; i < n && max > 0; i++)
            c[i].f[k] /= max;
    }
}

static int cmp_cand(const void *a, const void *b)
{
    const struct rerank_cand *x = a, *y = b;
    int r;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    r = strcmp(x->book_id, y->book_id);
    if (r != 0)
        return r;
    return (x->ordinal > y->ordinal) - (x->ordinal < y->ordinal);
}

void rerank_order(struct rerank_cand *c, size_t n, const double w[RERANK_NFEATURES])
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        c[i].score = 0;
        for (k = 0; k < RERANK_NFEATURES; k++)
            c[i].score += w[k] * c[i].f[k];
    }
    qsort(c, n, sizeof(*c), cmp_cand);
}

void rerank_two_stage(struct rerank_cand *c, size_t n, size_t top, size_t deep,
                      const double w[RERANK_NFEATURES], const double wd[RERANK_NFEATURES])
{
    top = top < n ? top : n;
    deep = deep < n ? deep : n;
    if (top > 1)
        rerank_order(c, top, w);
    if (deep > top && deep > 2)
        rerank_order(c + 1, deep - 1, wd);
}
