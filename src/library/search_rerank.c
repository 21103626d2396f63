/*
 * The learned linear reranker over the BM25 candidates (issue 12 §2,
 * branch ret22): the features of one candidate and their weighted sum.
 * Kept apart from proximity (search_rank.c) and the lexical passes
 * (search_lexical.c), which it only reads; see search.h and
 * src/library/README.md, "The learned reranker".
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "library/analyze.h"
#include "library/search.h"
#include "util/alloc.h"

#define WINDOW_SENTENCES 3
#define WINDOW_K1 1.2
#define MAX_SENTENCES 256
#define MAX_TERMS 64

const char *const search_feature_names[SEARCH_NFEATURES] = {
    "bm25", "prox", "own", "vector", "cover", "window", "heading", "length", "rrank",
};

/* One pass over a passage: per sentence, each query term's count. */
struct feat_ctx {
    const struct search_term *terms; /* the question's own terms */
    size_t n;
    const char *text;
    const char *prev_end;      /* end of the previous word; NULL before the first */
    size_t sentence;           /* current sentence, 0-based, capped */
    unsigned (*tf)[MAX_TERMS]; /* [MAX_SENTENCES][MAX_TERMS] */
    bool *seen;                /* per term: occurs anywhere in the passage */
    size_t length;
};

/* True when the bytes between two words end a sentence. */
static bool sentence_break(const char *from, const char *to)
{
    for (; from < to; from++)
        if (*from == '.' || *from == '?' || *from == '!' || *from == ';'
            || (*from == '\n' && from + 1 < to && from[1] == '\n'))
            return true;
    return false;
}

static void feat_term(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct feat_ctx *c = ctx;
    size_t i;

    (void)len;
    if (c->prev_end != NULL && sentence_break(c->prev_end, word) && c->sentence + 1 < MAX_SENTENCES)
        c->sentence++;
    c->prev_end = word + wlen;
    c->length++;
    for (i = 0; i < c->n; i++)
        if (c->terms[i].in_library && strcmp(c->terms[i].term, term) == 0) {
            c->tf[c->sentence][i]++;
            c->seen[i] = true;
        }
}

/* The idf mass of terms[0..n) held in s (analysed), as a share of all. */
static double heading_share(const char *s, const struct search_term *terms, size_t n, double total)
{
    struct analyze_counts c = {0};
    double held = 0;
    size_t i;

    if (s == NULL || total <= 0)
        return 0;
    analyze_count_text(&c, s);
    for (i = 0; i < n; i++)
        if (terms[i].in_library && analyze_counts_get(&c, terms[i].term) > 0)
            held += terms[i].weight * terms[i].idf;
    analyze_counts_free(&c);
    return held / total;
}

void search_features(const struct search_hit *h, const struct search_term *terms, size_t nterms,
                     double avg_length, double feat[SEARCH_NFEATURES])
{
    unsigned(*tf)[MAX_TERMS] = xcalloc(MAX_SENTENCES, sizeof(*tf));
    bool seen[MAX_TERMS] = {false};
    struct feat_ctx c = {terms, nterms < MAX_TERMS ? nterms : MAX_TERMS, h->text, NULL, 0, tf, seen,
                         0};
    double total = 0, max_window = 0, held = 0;
    size_t i, s, w;

    memset(feat, 0, SEARCH_NFEATURES * sizeof(*feat));
    for (i = 0; i < c.n; i++)
        if (terms[i].in_library)
            total += terms[i].weight * terms[i].idf;
    (void)analyze_each(h->text, feat_term, &c);
    feat[SEARCH_F_BM25] = h->bm25;
    feat[SEARCH_F_OWN] = h->bm25_norm;
    feat[SEARCH_F_VECTOR] = h->score > 0 ? h->score : 0;
    feat[SEARCH_F_RRANK] = h->bm25_rank > 0 ? 1.0 / h->bm25_rank : 0;
    feat[SEARCH_F_LENGTH] = avg_length > 0 && c.length > 0 ? log((double)c.length / avg_length) : 0;
    if (total <= 0) {
        free(tf);
        return;
    }
    /* Coverage: the question's idf mass the passage holds. */
    for (i = 0; i < c.n; i++)
        if (seen[i])
            held += terms[i].weight * terms[i].idf;
    feat[SEARCH_F_COVER] = held / total;
    /* The best window of WINDOW_SENTENCES sentences, scored by BM25
     * without length normalisation (b 0), over the question's idf mass
     * (1 when every term occurs once in it). */
    for (s = 0; s <= c.sentence; s++) {
        double score = 0;
        for (i = 0; i < c.n; i++) {
            unsigned f = 0;
            for (w = s; w < s + WINDOW_SENTENCES && w <= c.sentence; w++)
                f += tf[w][i];
            if (f > 0)
                score += terms[i].weight * terms[i].idf * f * (WINDOW_K1 + 1) / (f + WINDOW_K1);
        }
        if (score > max_window)
            max_window = score;
    }
    feat[SEARCH_F_WINDOW] = max_window / total;
    free(tf);
    /* Headings: the section's and the chapter title's share of the mass. */
    feat[SEARCH_F_HEADING] = heading_share(h->section, terms, c.n, total)
                             + heading_share(h->chapter_title, terms, c.n, total);
}

void search_features_normalise(double (*feat)[SEARCH_NFEATURES], size_t n)
{
    static const int per_list[] = {SEARCH_F_BM25, SEARCH_F_PROX};
    size_t i, j;

    for (j = 0; j < sizeof(per_list) / sizeof(per_list[0]); j++) {
        double max = 0;
        for (i = 0; i < n; i++)
            if (feat[i][per_list[j]] > max)
                max = feat[i][per_list[j]];
        for (i = 0; i < n; i++)
            feat[i][per_list[j]] = max > 0 ? feat[i][per_list[j]] / max : 0;
    }
}

double search_rerank_score(const double feat[SEARCH_NFEATURES], const struct search_tuning *t)
{
    double s = 0;
    size_t i;

    for (i = 0; i < SEARCH_NFEATURES; i++)
        s += t->rr[i] * feat[i];
    return s;
}
