/*
 * The extractive composer; see extractive.h.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coach/extractive.h"
#include "coach/sentences.h"
#include "util/alloc.h"
#include "util/buf.h"

#define SPANS_PER_PASSAGE 96
#define MAX_PER_PASSAGE 2
#define RANK_PRIOR 0.15
#define DUPLICATE_SHARE 0.7

struct candidate {
    size_t passage, start, len, words, order;
    uint64_t *terms; /* owned */
    size_t nterms;
    double score;
    bool taken;
};

static int by_score(const void *a, const void *b)
{
    const struct candidate *x = *(const struct candidate *const *)a;
    const struct candidate *y = *(const struct candidate *const *)b;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int by_order(const void *a, const void *b)
{
    const struct candidate *x = *(const struct candidate *const *)a;
    const struct candidate *y = *(const struct candidate *const *)b;

    return x->order < y->order ? -1 : x->order > y->order;
}

/* True when c shares DUPLICATE_SHARE of the smaller term set with one of
 * the chosen. */
static bool near_duplicate(const struct candidate *c, struct candidate *const *chosen, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        size_t small = c->nterms < chosen[i]->nterms ? c->nterms : chosen[i]->nterms;
        if (small > 0
            && (double)terms_overlap(c->terms, c->nterms, chosen[i]->terms, chosen[i]->nterms)
                   >= DUPLICATE_SHARE * (double)small)
            return true;
    }
    return false;
}

/* Appends the sentence as a cited, quoted list item. */
static void emit(struct buf *out, const char *text, size_t len, size_t n)
{
    bool straight = memchr(text, '"', len) != NULL;

    buf_puts(out, straight ? "- \xe2\x80\x9c" : "- \"");
    buf_append(out, text, len);
    buf_printf(out, "%s [%zu]\n", straight ? "\xe2\x80\x9d" : "\"", n);
}

char *extractive_compose(const char *question, const char *focus, const char *const *passages,
                         size_t k)
{
    struct candidate *c = NULL;
    struct candidate **order = NULL, **chosen = NULL;
    size_t nc = 0, cap = 0, i, j, nq, nchosen = 0, words = 0;
    size_t per_passage[64] = {0};
    uint64_t *q = terms_of(question, strlen(question), true, &nq), *fq = NULL;
    size_t nf = 0;
    struct buf out = BUF_INIT;
    bool any_overlap = false;

    if (focus != NULL)
        fq = terms_of(focus, strlen(focus), true, &nf);
    if (k > 64)
        k = 64;
    for (i = 0; i < k; i++) {
        struct sentence_span spans[SPANS_PER_PASSAGE];
        size_t ns = sentence_split(passages[i], spans, SPANS_PER_PASSAGE);
        if (ns > SPANS_PER_PASSAGE)
            ns = SPANS_PER_PASSAGE;
        for (j = 0; j < ns; j++) {
            size_t w = sentence_words(passages[i] + spans[j].start, spans[j].len);
            const char *t = passages[i] + spans[j].start;
            if (w < EXTRACT_MIN_WORDS || w > EXTRACT_MAX_WORDS)
                continue;
            /* A sentence that does not end like one (a heading, a cut
             * line) is not quoted. */
            if (strchr(".!?\"')", t[spans[j].len - 1]) == NULL)
                continue;
            if (nc == cap) {
                cap = cap ? cap * 2 : 32;
                c = xrealloc(c, cap * sizeof(*c));
            }
            c[nc] = (struct candidate){i, spans[j].start, spans[j].len, w, i * 1000 + j, NULL, 0,
                                       0, false};
            c[nc].terms = terms_of(t, spans[j].len, true, &c[nc].nterms);
            nc++;
        }
    }
    if (nc == 0) {
        free(q);
        free(fq);
        return NULL;
    }
    /* Score: idf-weighted shared terms / sqrt(terms) + a rank prior. */
    for (i = 0; i < nc; i++) {
        double s = 0;
        for (j = 0; j < nq; j++) {
            size_t df = 0, m;
            if (!terms_has(c[i].terms, c[i].nterms, q[j]))
                continue;
            for (m = 0; m < nc; m++)
                df += terms_has(c[m].terms, c[m].nterms, q[j]);
            s += log(1.0 + (double)nc / (double)df) * (terms_has(fq, nf, q[j]) ? 2 : 1);
        }
        if (s > 0)
            any_overlap = true;
        c[i].score = (s > 0 ? s / sqrt((double)(c[i].nterms ? c[i].nterms : 1)) : 0)
                     + RANK_PRIOR / (double)(c[i].passage + 1);
    }
    order = xmalloc(nc * sizeof(*order));
    chosen = xmalloc(nc * sizeof(*chosen));
    for (i = 0; i < nc; i++)
        order[i] = &c[i];
    if (any_overlap) {
        qsort(order, nc, sizeof(*order), by_score);
        for (i = 0; i < nc && nchosen < EXTRACT_MAX_SENTENCES; i++) {
            struct candidate *x = order[i];
            if (x->score <= RANK_PRIOR / (double)(x->passage + 1))
                continue; /* shares nothing with the question */
            if (per_passage[x->passage] >= MAX_PER_PASSAGE
                || (nchosen > 0 && words + x->words > EXTRACT_MAX_WORDS_TOTAL)
                || near_duplicate(x, chosen, nchosen))
                continue;
            per_passage[x->passage]++;
            words += x->words;
            chosen[nchosen++] = x;
        }
    }
    qsort(chosen, nchosen, sizeof(*chosen), by_order);
    buf_puts(&out, EXTRACT_LEAD "\n\n");
    for (i = 0; i < nchosen; i++)
        emit(&out, passages[chosen[i]->passage] + chosen[i]->start, chosen[i]->len,
             chosen[i]->passage + 1);
    while (out.len > 0 && out.data[out.len - 1] == '\n')
        out.data[--out.len] = '\0';
    for (i = 0; i < nc; i++)
        free(c[i].terms);
    free(c);
    free(order);
    free(chosen);
    free(q);
    free(fq);
    if (nchosen == 0) {
        buf_free(&out);
        return NULL;
    }
    return buf_steal(&out);
}
