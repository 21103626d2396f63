/*
 * EXPERIMENT (rank25): page- and section-level evidence.  Every printed
 * page (and every section) of the library is a document of its own; its
 * statistics (N, df, mean length) are computed once per process from the
 * page texts (an experiment's shortcut: the kept version would store
 * them).  Each BM25 candidate gets the BM25 of its best page (and of its
 * section) for the final query, and the scores are fused.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/retrieval.h"
#include "library/analyze.h"
#include "library/bm25.h"
#include "library/search.h"
#include "library/search_units.h"
#include "util/alloc.h"
#include "util/arena.h"

struct unit_index {
    bool loaded;
    struct arena arena;
    struct unit_row *rows;
    size_t n;
    struct analyze_counts *counts;
    int **ords;
    size_t *nords;
    double avglen;
};

static struct unit_index units[3];

static bool load(struct db *db, int kind)
{
    struct unit_index *u = &units[kind];
    double total = 0;
    size_t i;

    if (u->loaded)
        return true;
    if (!retrieval_units(db, &u->arena, kind, &u->rows, &u->n))
        return false;
    u->counts = xcalloc(u->n ? u->n : 1, sizeof(*u->counts));
    u->ords = xcalloc(u->n ? u->n : 1, sizeof(*u->ords));
    u->nords = xcalloc(u->n ? u->n : 1, sizeof(*u->nords));
    for (i = 0; i < u->n; i++) {
        const char *p = u->rows[i].ordinals;
        analyze_count_text(&u->counts[i], u->rows[i].text);
        total += (double)u->counts[i].length;
        u->ords[i] = xcalloc(strlen(p) + 1, sizeof(int));
        while (*p) {
            char *end;
            long v;
            if (*p < '0' || *p > '9') {
                p++;
                continue;
            }
            v = strtol(p, &end, 10);
            u->ords[i][u->nords[i]++] = (int)v;
            p = end;
        }
    }
    u->avglen = u->n ? total / (double)u->n : 1;
    u->loaded = true;
    return true;
}

struct qterm {
    const char *term;
    double w, idf;
};

static size_t query_terms(const struct search_evidence *e, const struct unit_index *u,
                          struct qterm *q, bool own_only)
{
    size_t i, j, n = 0, k;

    for (i = 0; i < e->nterms + e->nexpansions; i++) {
        const struct search_term *t = i < e->nterms ? &e->terms[i] : &e->expansions[i - e->nterms];
        const char *term = t->corrected ? t->corrected : t->term;
        if (t->weight <= 0 || (own_only && i >= e->nterms))
            continue;
        for (j = 0; j < n && strcmp(q[j].term, term) != 0; j++)
            ;
        if (j < n) {
            q[j].w += t->weight;
            continue;
        }
        q[n].term = term;
        q[n].w = t->weight;
        {
            double df = 0;
            for (k = 0; k < u->n; k++)
                df += analyze_counts_get(&u->counts[k], term) > 0;
            q[n].idf = bm25_idf((double)u->n, df);
        }
        n++;
    }
    return n;
}

static double unit_score(const struct unit_index *u, size_t d, const struct qterm *q, size_t nq,
                         const struct bm25_params *p)
{
    double s = 0;
    size_t i;

    for (i = 0; i < nq; i++) {
        unsigned tf = analyze_counts_get(&u->counts[d], q[i].term);
        if (tf)
            s += q[i].w * bm25_term(p, q[i].idf, tf, (double)u->counts[d].length, u->avglen);
    }
    return s;
}

/* The unit score of hit h: the best page of its span (kind 0), or its
 * section (kind 1). */
static double hit_unit(const struct unit_index *u, const struct search_hit *h, const double *sc)
{
    double best = 0;
    size_t d, j;

    for (d = 0; d < u->n; d++) {
        if (strcmp(u->rows[d].book_id, h->book_id) != 0)
            continue;
        if (u->nords[d] == 0) {
            if (u->rows[d].page_index >= h->page_index_start
                && u->rows[d].page_index <= h->page_index_end && sc[d] > best)
                best = sc[d];
        } else {
            for (j = 0; j < u->nords[d]; j++)
                if (u->ords[d][j] == h->ordinal && sc[d] > best)
                    best = sc[d];
        }
    }
    return best;
}

static int cmp_bm25(const void *a, const void *b)
{
    const struct search_hit *const *x = a, *const *y = b;
    if ((*x)->bm25 != (*y)->bm25)
        return (*x)->bm25 > (*y)->bm25 ? -1 : 1;
    return (*x)->bm25_rank - (*y)->bm25_rank;
}

static int cmp_dbl_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x > y ? -1 : x < y;
}

/* Fills out[i] with each BM25 candidate's unit score of this kind. */
static bool unit_scores(struct db *db, int kind, const struct search_result *res,
                        struct search_hit **lex, size_t m, const struct search_tuning *t,
                        double *out)
{
    struct bm25_params p = {t->page_k1, t->page_b, 0, 0};
    struct unit_index *u;
    struct qterm *q;
    double *sc;
    size_t nq, d, i;

    if (!load(db, kind))
        return false;
    u = &units[kind];
    q = xcalloc(res->evidence.nterms + res->evidence.nexpansions + 1, sizeof(*q));
    nq = query_terms(&res->evidence, u, q, t->page_own);
    sc = xcalloc(u->n ? u->n : 1, sizeof(*sc));
    for (d = 0; d < u->n; d++)
        sc[d] = unit_score(u, d, q, nq, &p);
    for (i = 0; i < m; i++)
        out[i] = hit_unit(u, lex[i], sc);
    free(sc);
    free(q);
    return true;
}

static int rank_of(double v, const double *all, size_t m)
{
    size_t i;
    int r = 1;
    for (i = 0; i < m; i++)
        if (all[i] > v)
            r++;
    return r;
}

bool search_units_fuse(struct db *db, struct search_result *res, size_t n,
                       const struct search_tuning *t)
{
    struct search_hit **lex = xcalloc(n ? n : 1, sizeof(*lex));
    double *pg, *se, cmax = 0, pmax = 0, smax = 0, *sorted;
    size_t i, m = 0;
    bool ok = true;

    for (i = 0; i < n; i++)
        if (res->hits[i].bm25_rank > 0)
            lex[m++] = &res->hits[i];
    pg = xcalloc(m + 1, sizeof(*pg));
    se = xcalloc(m + 1, sizeof(*se));
    sorted = xcalloc(m + 1, sizeof(*sorted));
    if (t->w_page > 0)
        ok = unit_scores(db, 0, res, lex, m, t, pg);
    if (ok && t->w_sec > 0)
        ok = unit_scores(db, t->sec_kind, res, lex, m, t, se);
    if (!ok)
        goto done;
    for (i = 0; i < m; i++) {
        cmax = fmax(cmax, lex[i]->bm25);
        pmax = fmax(pmax, pg[i]);
        smax = fmax(smax, se[i]);
    }
    if (cmax <= 0)
        cmax = 1;
    if (pmax <= 0)
        pmax = 1;
    if (smax <= 0)
        smax = 1;
    for (i = 0; i < m; i++) {
        struct search_hit *h = lex[i];
        switch (t->page_fuse) {
        case 0: /* weighted sum of max-normalised scores */
            h->bm25 = (1 - t->w_page - t->w_sec) * h->bm25 / cmax + t->w_page * pg[i] / pmax
                      + t->w_sec * se[i] / smax;
            break;
        case 1: /* raw: chunk + w x unit */
            h->bm25 = h->bm25 + t->w_page * pg[i] + t->w_sec * se[i];
            break;
        case 2: /* reciprocal ranks */
            h->bm25 = 1.0 / (60 + h->bm25_rank) + t->w_page / (60 + rank_of(pg[i], pg, m))
                      + t->w_sec / (60 + rank_of(se[i], se, m));
            break;
        default: /* page score breaks ties only: chunk x (1 + w x unit / max) */
            h->bm25 = h->bm25 * (1 + t->w_page * pg[i] / pmax + t->w_sec * se[i] / smax);
            break;
        }
    }
    (void)sorted;
    (void)cmp_dbl_desc;
    qsort(lex, m, sizeof(*lex), cmp_bm25);
    for (i = 0; i < m; i++)
        lex[i]->bm25_rank = (int)i + 1;
done:
    free(sorted);
    free(pg);
    free(se);
    free(lex);
    return ok;
}
