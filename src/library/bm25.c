/*
 * BM25, postings, the accumulator and RM3; see bm25.h.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "library/bm25.h"
#include "util/alloc.h"

double bm25_idf(double n_docs, double df)
{
    if (df < 0)
        df = 0;
    if (df > n_docs)
        n_docs = df;
    return log(1.0 + (n_docs - df + 0.5) / (df + 0.5));
}

double bm25_tf(const struct bm25_params *p, unsigned body, unsigned section, unsigned chapter)
{
    return (double)body + p->w_section * section + p->w_chapter * chapter;
}

double bm25_term(const struct bm25_params *p, double idf, double tf, double len, double avglen)
{
    double norm;

    if (tf <= 0)
        return 0;
    norm = avglen > 0 ? 1 - p->b + p->b * len / avglen : 1;
    return idf * tf * (p->k1 + 1) / (tf + p->k1 * norm);
}

double bm25_term_max(const struct bm25_params *p, double idf)
{
    return idf * (p->k1 + 1);
}

void bm25_posting_encode(unsigned char *out, const struct bm25_posting *p)
{
    out[0] = (unsigned char)(p->ordinal & 0xFF);
    out[1] = (unsigned char)(p->ordinal >> 8 & 0xFF);
    out[2] = (unsigned char)(p->ordinal >> 16 & 0xFF);
    out[3] = (unsigned char)(p->ordinal >> 24 & 0xFF);
    out[4] = (unsigned char)(p->length & 0xFF);
    out[5] = (unsigned char)(p->length >> 8 & 0xFF);
    out[6] = p->tf_body;
    out[7] = p->tf_section;
    out[8] = p->tf_chapter;
    out[9] = p->domains;
}

void bm25_posting_decode(const unsigned char *in, struct bm25_posting *p)
{
    p->ordinal =
        (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 24;
    p->length = (uint16_t)(in[4] | in[5] << 8);
    p->tf_body = in[6];
    p->tf_section = in[7];
    p->tf_chapter = in[8];
    p->domains = in[9];
}

/* qsort has no context argument: the sort's parameters. */
static const struct bm25_params *sort_p;
static double sort_avg;

static double impact(const struct bm25_posting *x)
{
    return bm25_term(sort_p, 1.0, bm25_tf(sort_p, x->tf_body, x->tf_section, x->tf_chapter),
                     x->length, sort_avg);
}

static int cmp_impact(const void *a, const void *b)
{
    const struct bm25_posting *x = a, *y = b;
    double ix = impact(x), iy = impact(y);

    if (ix != iy)
        return ix > iy ? -1 : 1;
    return x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal;
}

void bm25_postings_sort(struct bm25_posting *v, size_t n, const struct bm25_params *p,
                        double avglen)
{
    if (n < 2)
        return;
    sort_p = p;
    sort_avg = avglen;
    qsort(v, n, sizeof(*v), cmp_impact);
    sort_p = NULL;
}

static uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

static void acc_put(struct bm25_acc *a, uint64_t key, double score, double own)
{
    size_t mask = a->cap - 1, i = (size_t)mix(key) & mask;

    while (a->keys[i] != 0 && a->keys[i] != key)
        i = (i + 1) & mask;
    if (a->keys[i] == 0) {
        a->keys[i] = key;
        a->score[i] = 0;
        a->own[i] = 0;
        a->n++;
    }
    a->score[i] += score;
    a->own[i] += own;
}

/* Moves every entry into a table of cap slots (a power of two). */
static void acc_rehash(struct bm25_acc *a, size_t cap)
{
    struct bm25_acc b = {NULL, NULL, NULL, 0, cap};
    size_t i;

    b.keys = xcalloc(b.cap, sizeof(*b.keys));
    b.score = xmalloc(b.cap * sizeof(*b.score));
    b.own = xmalloc(b.cap * sizeof(*b.own));
    for (i = 0; i < a->cap; i++)
        if (a->keys[i] != 0)
            acc_put(&b, a->keys[i], a->score[i], a->own[i]);
    bm25_acc_free(a);
    *a = b;
}

void bm25_acc_reserve(struct bm25_acc *a, size_t n)
{
    size_t cap = a->cap ? a->cap : 1024;

    if (n > BM25_ACC_RESERVE_MAX)
        n = BM25_ACC_RESERVE_MAX;
    while ((n + 1) * 10 > cap * 7)
        cap *= 2;
    if (cap > a->cap)
        acc_rehash(a, cap);
}

void bm25_acc_add(struct bm25_acc *a, uint32_t book, uint32_t ordinal, double score, double own)
{
    uint64_t key = ((uint64_t)book + 1) << 32 | ordinal;

    if ((a->n + 1) * 10 > a->cap * 7) /* keep the load under 0.7 */
        acc_rehash(a, a->cap ? a->cap * 2 : 1024);
    acc_put(a, key, score, own);
}

static int cmp_hit(const void *a, const void *b)
{
    const struct bm25_hit *x = a, *y = b;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->book != y->book)
        return x->book < y->book ? -1 : 1;
    return x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal;
}

/* The selection's heap (docs/performance.md, "perf28"): out[0..n) is a
 * binary heap whose root is the worst passage kept, "worst" by cmp_hit's
 * order (score descending, then book, then ordinal ascending).  Keys are
 * unique, so that order is total and the k kept are exactly the first k
 * of a full sort. */
static void heap_down(struct bm25_hit *h, size_t n, size_t i)
{
    for (;;) {
        size_t w = i, l = 2 * i + 1, r = l + 1;
        struct bm25_hit t;

        if (l < n && cmp_hit(&h[l], &h[w]) > 0)
            w = l;
        if (r < n && cmp_hit(&h[r], &h[w]) > 0)
            w = r;
        if (w == i)
            return;
        t = h[i];
        h[i] = h[w];
        h[w] = t;
        i = w;
    }
}

static void heap_up(struct bm25_hit *h, size_t i)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        struct bm25_hit t;

        if (cmp_hit(&h[i], &h[parent]) <= 0)
            return;
        t = h[i];
        h[i] = h[parent];
        h[parent] = t;
        i = parent;
    }
}

size_t bm25_acc_top(const struct bm25_acc *a, size_t k, struct bm25_hit *out)
{
    size_t i, n = 0;

    if (a->n == 0 || k == 0)
        return 0;
    for (i = 0; i < a->cap; i++) {
        struct bm25_hit h;

        if (a->keys[i] == 0)
            continue;
        h.book = (uint32_t)(a->keys[i] >> 32) - 1;
        h.ordinal = (uint32_t)(a->keys[i] & 0xFFFFFFFFu);
        h.score = a->score[i];
        h.own = a->own[i];
        if (n < k) {
            out[n] = h;
            heap_up(out, n++);
        } else if (cmp_hit(&h, &out[0]) < 0) {
            out[0] = h;
            heap_down(out, n, 0);
        }
    }
    qsort(out, n, sizeof(*out), cmp_hit);
    return n;
}

double bm25_acc_best_own(const struct bm25_acc *a)
{
    double best = 0;
    size_t i;

    for (i = 0; i < a->cap; i++)
        if (a->keys[i] != 0 && a->own[i] > best)
            best = a->own[i];
    return best;
}

void bm25_acc_free(struct bm25_acc *a)
{
    if (a == NULL)
        return;
    free(a->keys);
    free(a->score);
    free(a->own);
    memset(a, 0, sizeof(*a));
}

static int cmp_wterm_weight(const void *a, const void *b)
{
    const struct bm25_wterm *x = a, *y = b;

    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return strcmp(x->term, y->term);
}

static int cmp_wterm_term(const void *a, const void *b)
{
    return strcmp(((const struct bm25_wterm *)a)->term, ((const struct bm25_wterm *)b)->term);
}

size_t bm25_rm_estimate(const struct bm25_fb_doc *docs, size_t n, struct bm25_wterm **out)
{
    struct bm25_wterm *v = NULL;
    size_t nv = 0, cap = 0, i, j, k;

    for (i = 0; i < n; i++)
        if (docs[i].terms != NULL)
            cap += docs[i].terms->n;
    v = xmalloc((cap ? cap : 1) * sizeof(*v));
    for (i = 0; i < n; i++) {
        const struct analyze_counts *c = docs[i].terms;
        double total = 0;

        if (c == NULL)
            continue;
        for (j = 0; j < c->n; j++)
            total += c->v[j].tf;
        if (total <= 0)
            continue;
        for (j = 0; j < c->n; j++) {
            memcpy(v[nv].term, c->v[j].term, sizeof(v[nv].term));
            v[nv++].weight = c->v[j].tf / total * docs[i].score;
        }
    }
    /* Sum the weights of equal terms. */
    qsort(v, nv, sizeof(*v), cmp_wterm_term);
    for (i = 0, k = 0; i < nv; i++) {
        if (k > 0 && strcmp(v[k - 1].term, v[i].term) == 0)
            v[k - 1].weight += v[i].weight;
        else
            v[k++] = v[i];
    }
    qsort(v, k, sizeof(*v), cmp_wterm_weight);
    *out = v;
    return k;
}

size_t bm25_rm_interpolate(const struct bm25_wterm *q, size_t nq, const struct bm25_wterm *rm,
                           size_t nrm, double alpha, struct bm25_wterm **out)
{
    struct bm25_wterm *v = xmalloc((nq + nrm ? nq + nrm : 1) * sizeof(*v));
    double sq = 0, srm = 0;
    size_t i, k, n = 0;

    for (i = 0; i < nq; i++)
        sq += q[i].weight;
    for (i = 0; i < nrm; i++)
        srm += rm[i].weight;
    for (i = 0; i < nq; i++) {
        v[n] = q[i];
        v[n++].weight = sq > 0 ? alpha * q[i].weight / sq : 0;
    }
    for (i = 0; i < nrm; i++) {
        v[n] = rm[i];
        v[n++].weight = srm > 0 ? (1 - alpha) * rm[i].weight / srm : 0;
    }
    qsort(v, n, sizeof(*v), cmp_wterm_term);
    for (i = 0, k = 0; i < n; i++) {
        if (k > 0 && strcmp(v[k - 1].term, v[i].term) == 0)
            v[k - 1].weight += v[i].weight;
        else
            v[k++] = v[i];
    }
    *out = v;
    return k;
}
