/*
 * The pure steps of retrieval (fusion, de-duplication, MMR, coverage,
 * edit distance) and the tuning table; see search.h.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library/analyze.h"
#include "library/bm25.h"
#include "library/search.h"
#include "util/alloc.h"

const struct search_tuning search_tuning_default = {
    .k1 = 4.0,
    .b = 0.3,
    .w_section = 2.0,
    .w_chapter = 1.0,
    .w_synonym = 0.5,
    .w_thesaurus = 1.5,
    .w_related = 0.5,
    .related_how = 0, /* docs/performance.md, "proc38" */
    .related_rel = 1,
    .w_trans = 2, /* docs/performance.md, "trans28", "trans29" */
    .trans_floor = 0.01,
    .trans_max_df = 0.3,  /* docs/performance.md, "perf32" */
    .trans_min_df = 2000, /* postings_cap's default: only capped translations */
    .spelled = true,      /* docs/performance.md, "acro36" */
    .typos = true,
    .typo_min_sim = 0.4,
    .fb_docs = 0,
    .fb_terms = 10,
    .fb_alpha = 0.5,
    .fb_max_df = 0.1,
    .w_lexical = 1.0,
    .w_vector = 0.0,
    .domain_boost = 1.0,
    .mmr_lambda = 1.0,
    .postings_cap = 2000,
    .min_norm = 0.0,
    .w_prox = 0.5,
    .w_quantity = 1.0,
    .quantity_cap = 3,
    .w_window = 0,    /* off: docs/performance.md, "window26" */
    .rerank_top = 5,  /* docs/performance.md, "rank29" */
    .rerank_deep = 0, /* off: docs/performance.md, "recall31" */
    .w_nbr = 0,       /* off: docs/performance.md, "recall33" */
    .nbr_scope = SEARCH_NBR_SECTION,
};

const struct bm25_params search_evidence_params = {1.2, 0.75, 2.0, 1.0};

/* The table behind search_tuning_set(). */
static const struct tuning_key {
    const char *name;
    enum { T_DOUBLE, T_SIZE, T_BOOL, T_INT64, T_INT } type;
    size_t offset;
    double min, max;
} tuning_keys[] = {
    {"k1", T_DOUBLE, offsetof(struct search_tuning, k1), 0, 10},
    {"b", T_DOUBLE, offsetof(struct search_tuning, b), 0, 1},
    {"w_section", T_DOUBLE, offsetof(struct search_tuning, w_section), 0, 100},
    {"w_chapter", T_DOUBLE, offsetof(struct search_tuning, w_chapter), 0, 100},
    {"w_synonym", T_DOUBLE, offsetof(struct search_tuning, w_synonym), 0, 10},
    {"w_thesaurus", T_DOUBLE, offsetof(struct search_tuning, w_thesaurus), 0, 10},
    {"w_related", T_DOUBLE, offsetof(struct search_tuning, w_related), 0, 10},
    {"related_how", T_DOUBLE, offsetof(struct search_tuning, related_how), 0, 1},
    {"related_rel", T_INT, offsetof(struct search_tuning, related_rel), 1, 3},
    {"w_trans", T_DOUBLE, offsetof(struct search_tuning, w_trans), 0, 10},
    {"trans_floor", T_DOUBLE, offsetof(struct search_tuning, trans_floor), 0, 1},
    {"trans_max_df", T_DOUBLE, offsetof(struct search_tuning, trans_max_df), 0, 1},
    {"trans_min_df", T_INT64, offsetof(struct search_tuning, trans_min_df), 0, 1e9},
    {"spelled", T_BOOL, offsetof(struct search_tuning, spelled), 0, 1},
    {"typos", T_BOOL, offsetof(struct search_tuning, typos), 0, 1},
    {"typo_min_sim", T_DOUBLE, offsetof(struct search_tuning, typo_min_sim), 0.3, 1},
    {"fb_docs", T_SIZE, offsetof(struct search_tuning, fb_docs), 0, 50},
    {"fb_terms", T_SIZE, offsetof(struct search_tuning, fb_terms), 1, 100},
    {"fb_alpha", T_DOUBLE, offsetof(struct search_tuning, fb_alpha), 0, 1},
    {"fb_max_df", T_DOUBLE, offsetof(struct search_tuning, fb_max_df), 0, 1},
    {"w_lexical", T_DOUBLE, offsetof(struct search_tuning, w_lexical), 0, 100},
    {"w_vector", T_DOUBLE, offsetof(struct search_tuning, w_vector), 0, 100},
    {"domain_boost", T_DOUBLE, offsetof(struct search_tuning, domain_boost), 0.1, 10},
    {"mmr_lambda", T_DOUBLE, offsetof(struct search_tuning, mmr_lambda), 0, 1},
    {"postings_cap", T_INT64, offsetof(struct search_tuning, postings_cap), 0, 1e9},
    {"min_norm", T_DOUBLE, offsetof(struct search_tuning, min_norm), 0, 1},
    {"w_prox", T_DOUBLE, offsetof(struct search_tuning, w_prox), 0, 100},
    {"w_quantity", T_DOUBLE, offsetof(struct search_tuning, w_quantity), 0, 100},
    {"quantity_cap", T_INT, offsetof(struct search_tuning, quantity_cap), 1, 100},
    {"w_window", T_DOUBLE, offsetof(struct search_tuning, w_window), 0, 100},
    {"rerank_top", T_SIZE, offsetof(struct search_tuning, rerank_top), 0, 40},
    {"rerank_deep", T_SIZE, offsetof(struct search_tuning, rerank_deep), 0, 40},
    {"w_nbr", T_DOUBLE, offsetof(struct search_tuning, w_nbr), 0, 100},
    {"nbr_scope", T_INT, offsetof(struct search_tuning, nbr_scope), 1, 3},
};

bool search_tuning_set(struct search_tuning *t, const char *assignment, char *err, size_t errlen)
{
    const char *eq = strchr(assignment, '=');
    size_t i, n;
    char *end;
    double v;

    if (eq == NULL) {
        snprintf(err, errlen, "expected name=value, got '%s'", assignment);
        return false;
    }
    n = (size_t)(eq - assignment);
    for (i = 0; i < sizeof(tuning_keys) / sizeof(tuning_keys[0]); i++) {
        const struct tuning_key *k = &tuning_keys[i];
        char *field = (char *)t + k->offset;
        if (strlen(k->name) != n || strncmp(k->name, assignment, n) != 0)
            continue;
        v = strtod(eq + 1, &end);
        if (end == eq + 1 || *end != '\0' || !isfinite(v) || v < k->min || v > k->max
            || (k->type != T_DOUBLE && v != floor(v))) {
            snprintf(err, errlen, "%s: expected a %s from %g to %g", k->name,
                     k->type == T_DOUBLE ? "number" : "whole number", k->min, k->max);
            return false;
        }
        switch (k->type) {
        case T_DOUBLE: *(double *)(void *)field = v; break;
        case T_SIZE: *(size_t *)(void *)field = (size_t)v; break;
        case T_BOOL: *(bool *)(void *)field = v != 0; break;
        case T_INT64: *(int64_t *)(void *)field = (int64_t)v; break;
        case T_INT: *(int *)(void *)field = (int)v; break;
        }
        return true;
    }
    snprintf(err, errlen, "unknown setting '%.*s'", (int)n, assignment);
    return false;
}

void search_fuse(struct search_hit *hits, size_t n, int rrf_k, double w_lex, double w_vec,
                 const char *const *boost, double boost_factor)
{
    size_t i, j, b;

    for (i = 0; i < n; i++) {
        double f = 0;
        if (hits[i].vec_rank > 0)
            f += w_vec / (rrf_k + hits[i].vec_rank);
        if (hits[i].bm25_rank > 0)
            f += w_lex / (rrf_k + hits[i].bm25_rank);
        for (b = 0; boost != NULL && boost[b] != NULL; b++) {
            for (j = 0; j < hits[i].ndomains; j++)
                if (strcmp(hits[i].domains[j], boost[b]) == 0)
                    break;
            if (j < hits[i].ndomains) {
                f *= boost_factor;
                break;
            }
        }
        hits[i].fused = f;
    }
}

static int cmp_fused(const void *a, const void *b)
{
    const struct search_hit *x = a, *y = b;
    if (x->fused != y->fused)
        return x->fused > y->fused ? -1 : 1;
    return strcmp(x->chunk_id, y->chunk_id);
}

void search_sort_fused(struct search_hit *hits, size_t n)
{
    if (n > 1)
        qsort(hits, n, sizeof(*hits), cmp_fused);
}

size_t search_dedup(struct search_hit *hits, size_t n)
{
    size_t i, j, kept = 0;

    for (i = 0; i < n; i++) {
        bool dup = false;
        for (j = 0; j < kept && !dup; j++)
            dup = strcmp(hits[j].book_id, hits[i].book_id) == 0
                  && hits[i].page_index_start <= hits[j].page_index_end
                  && hits[j].page_index_start <= hits[i].page_index_end;
        if (!dup)
            hits[kept++] = hits[i];
    }
    return kept;
}

static bool same_book_overlap(const struct search_hit *a, const struct search_hit *b)
{
    return strcmp(a->book_id, b->book_id) == 0 && a->page_index_start <= b->page_index_end
           && b->page_index_start <= a->page_index_end;
}

/* True when a's page range lies inside b's, in the same book. */
static bool same_book_inside(const struct search_hit *a, const struct search_hit *b)
{
    return strcmp(a->book_id, b->book_id) == 0 && b->page_index_start <= a->page_index_start
           && a->page_index_end <= b->page_index_end;
}

size_t search_dedup_shown(struct search_hit *hits, size_t n)
{
    /* pend: copies of the hits moved one place down, waiting for the next
     * distinct hit; distinct[i]: hits[i] (of the kept ones) overlaps no
     * better kept hit.  Both owned here, freed before returning. */
    struct search_hit *pend;
    bool *distinct;
    size_t i, j, kept = 0, npend = 0;

    if (n == 0)
        return 0;
    pend = xmalloc(n * sizeof(*pend));
    distinct = xcalloc(n, sizeof(*distinct));
    /* hits[0..kept) is the output so far, pend[0..npend) waits; every
     * kept or waiting hit is better than hits[i]. */
    for (i = 0; i < n; i++) {
        struct search_hit h = hits[i];
        bool inside = false, overlaps = false;
        for (j = 0; j < kept && !inside; j++) {
            inside = same_book_inside(&h, &hits[j]);
            overlaps = overlaps || (distinct[j] && same_book_overlap(&h, &hits[j]));
        }
        for (j = 0; j < npend && !inside; j++)
            inside = same_book_inside(&h, &pend[j]);
        if (inside)
            continue;
        if (overlaps) {
            pend[npend++] = h;
            continue;
        }
        distinct[kept] = true;
        hits[kept++] = h;
        for (j = 0; j < npend; j++)
            hits[kept++] = pend[j];
        npend = 0;
    }
    for (j = 0; j < npend; j++)
        hits[kept++] = pend[j];
    free(distinct);
    free(pend);
    return kept;
}

static double cosine(const float *a, const float *b, size_t dims)
{
    double dot = 0, na = 0, nb = 0;
    size_t i;

    if (a == NULL || b == NULL)
        return 0;
    for (i = 0; i < dims; i++) {
        dot += (double)a[i] * b[i];
        na += (double)a[i] * a[i];
        nb += (double)b[i] * b[i];
    }
    return na > 0 && nb > 0 ? dot / sqrt(na * nb) : 0;
}

size_t search_mmr(struct search_hit *hits, size_t n, size_t dims, double lambda, size_t k)
{
    size_t chosen, i, j;
    double best_fused;

    if (n == 0)
        return 0;
    if (k > n)
        k = n;
    best_fused = hits[0].fused > 0 ? hits[0].fused : 1;
    /* hits[0..chosen) are chosen; pick the next from hits[chosen..n). */
    for (chosen = 1; chosen < k; chosen++) {
        size_t pick = chosen;
        double pick_score = -INFINITY;
        for (i = chosen; i < n; i++) {
            double maxsim = 0, s;
            for (j = 0; j < chosen; j++) {
                double c = cosine(hits[i].vec, hits[j].vec, dims);
                if (c > maxsim)
                    maxsim = c;
            }
            s = lambda * (hits[i].fused / best_fused) - (1 - lambda) * maxsim;
            if (s > pick_score) {
                pick_score = s;
                pick = i;
            }
        }
        if (pick != chosen) { /* move pick to position chosen, keeping order */
            struct search_hit h = hits[pick];
            memmove(hits + chosen + 1, hits + chosen, (pick - chosen) * sizeof(*hits));
            hits[chosen] = h;
        }
    }
    return k;
}

double search_coverage(const struct search_term *terms, size_t n)
{
    double held = 0, all = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (terms[i].in_library) {
            all += terms[i].idf;
            held += terms[i].idf;
        } else if (terms[i].corrected != NULL || terms[i].expanded) {
            all += terms[i].held_idf;
            held += terms[i].held_idf;
        } else {
            all += terms[i].idf;
        }
    }
    return all > 0 ? held / all : 0;
}

bool search_trans_too_common(const struct search_tuning *t, int64_t df, double n_docs)
{
    return t->trans_max_df < 1 && df > t->trans_min_df && (double)df > t->trans_max_df * n_docs;
}

size_t search_edit_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b), i, j, best;
    size_t *prev2, *prev, *cur, *tmp;

    if ((la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    prev2 = xcalloc(lb + 1, sizeof(size_t));
    prev = xcalloc(lb + 1, sizeof(size_t));
    cur = xcalloc(lb + 1, sizeof(size_t));
    for (j = 0; j <= lb; j++)
        prev[j] = j;
    for (i = 1; i <= la; i++) {
        cur[0] = i;
        best = cur[0];
        for (j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1], v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]
                && prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1; /* a swap of adjacent bytes */
            cur[j] = v;
            if (v < best)
                best = v;
        }
        tmp = prev2;
        prev2 = prev;
        prev = cur;
        cur = tmp;
        if (best > limit) {
            free(prev2);
            free(prev);
            free(cur);
            return limit + 1;
        }
    }
    best = prev[lb];
    free(prev2);
    free(prev);
    free(cur);
    return best > limit ? limit + 1 : best;
}

/* ---- Neighbourhood smoothing (docs/performance.md, "recall33") ---- */

/* Which of the question's own terms a text holds: held[i]. */
struct nbr_ctx {
    const struct search_term *terms;
    size_t n;
    bool *held;
};

static void nbr_term(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct nbr_ctx *c = ctx;
    size_t i;

    (void)len;
    (void)word;
    (void)wlen;
    for (i = 0; i < c->n; i++)
        if (c->terms[i].in_library && strcmp(c->terms[i].term, term) == 0)
            c->held[i] = true;
}

static bool same_string(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static bool neighbours(const struct search_hit *a, const struct search_hit *b,
                       enum search_nbr_scope scope)
{
    switch (scope) {
    case SEARCH_NBR_PAGES:
        return same_string(a->book_id, b->book_id) && a->page_index_start <= b->page_index_end + 1
               && b->page_index_start <= a->page_index_end + 1;
    case SEARCH_NBR_SECTION:
        return same_string(a->chapter_id, b->chapter_id) && same_string(a->section, b->section);
    case SEARCH_NBR_CHAPTER: return same_string(a->chapter_id, b->chapter_id);
    }
    return false;
}

void search_neighbour_gain(struct search_hit *const *hits, size_t n,
                           const struct search_term *terms, size_t nterms,
                           enum search_nbr_scope scope, double *gain)
{
    bool *held = xcalloc(n * nterms + 1, sizeof(*held)); /* n x nterms; ours, freed below */
    double total = 0;
    size_t i, j, k;

    for (k = 0; k < nterms; k++)
        if (terms[k].in_library)
            total += terms[k].weight * terms[k].idf;
    for (i = 0; i < n; i++) {
        struct nbr_ctx c = {terms, nterms, held + i * nterms};
        gain[i] = 0;
        if (hits[i]->text != NULL && total > 0)
            (void)analyze_each(hits[i]->text, nbr_term, &c);
    }
    for (i = 0; i < n && total > 0; i++)
        for (k = 0; k < nterms; k++) {
            if (!terms[k].in_library || held[i * nterms + k])
                continue;
            for (j = 0; j < n; j++)
                if (j != i && held[j * nterms + k] && neighbours(hits[i], hits[j], scope)) {
                    gain[i] += terms[k].weight * terms[k].idf / total;
                    break;
                }
        }
    free(held);
}

/* Positions of the question's terms in a passage. */
struct prox_ctx {
    const struct search_term *terms;
    size_t n;
    size_t pos;   /* analysed terms seen */
    size_t *last; /* per term: its last position + 1, 0 = not seen */
    size_t *best; /* per pair (a < b, a * n + b): the fewest positions apart */
};

static void prox_term(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct prox_ctx *c = ctx;
    size_t i, j;

    (void)len;
    (void)word;
    (void)wlen;
    for (i = 0; i < c->n; i++)
        if (c->terms[i].in_library && strcmp(c->terms[i].term, term) == 0)
            break;
    if (i < c->n) {
        for (j = 0; j < c->n; j++) {
            size_t d, *b;
            if (j == i || c->last[j] == 0)
                continue;
            d = c->pos + 1 - c->last[j];
            b = &c->best[i < j ? i * c->n + j : j * c->n + i];
            if (*b == 0 || d < *b)
                *b = d;
        }
        c->last[i] = c->pos + 1;
    }
    c->pos++;
}

double search_proximity(const char *text, const struct search_term *terms, size_t n)
{
    struct prox_ctx c = {terms, n, 0, NULL, NULL};
    double sum = 0;
    size_t i, j;

    if (n < 2)
        return 0;
    c.last = xcalloc(n, sizeof(*c.last));
    c.best = xcalloc(n * n, sizeof(*c.best));
    (void)analyze_each(text, prox_term, &c);
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            if (c.best[i * n + j] > 0 && strcmp(terms[i].term, terms[j].term) != 0) {
                double d = (double)c.best[i * n + j];
                sum += (terms[i].idf < terms[j].idf ? terms[i].idf : terms[j].idf) / (d * d);
            }
    free(c.last);
    free(c.best);
    return sum;
}

/* ---- The best sentence window (docs/performance.md, "window26") ---- */

#define WINDOW_K1 1.2
#define WINDOW_MAX_SENTENCES 256 /* later sentences count as the last */

/* One pass over a passage: per sentence, each held term's count. */
struct window_ctx {
    const struct search_term *terms;
    size_t n;
    const char *prev_end; /* end of the previous word; NULL before the first */
    size_t sentence;      /* the current sentence, 0-based, capped */
    unsigned *tf;         /* [WINDOW_MAX_SENTENCES][n] */
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

static void window_term(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct window_ctx *c = ctx;
    size_t i;

    (void)len;
    if (c->prev_end != NULL && sentence_break(c->prev_end, word)
        && c->sentence + 1 < WINDOW_MAX_SENTENCES)
        c->sentence++;
    c->prev_end = word + wlen;
    for (i = 0; i < c->n; i++)
        if (c->terms[i].in_library && strcmp(c->terms[i].term, term) == 0)
            c->tf[c->sentence * c->n + i]++;
}

double search_window(const char *text, const struct search_term *terms, size_t n)
{
    struct window_ctx c = {terms, n, NULL, 0, NULL};
    double total = 0, best = 0;
    size_t i, s, w;

    for (i = 0; i < n; i++)
        if (terms[i].in_library)
            total += terms[i].weight * terms[i].idf;
    if (total <= 0 || text == NULL)
        return 0;
    c.tf = xcalloc(WINDOW_MAX_SENTENCES * n, sizeof(*c.tf)); /* ours, freed below */
    (void)analyze_each(text, window_term, &c);
    for (s = 0; s <= c.sentence; s++) {
        double score = 0;
        for (i = 0; i < n; i++) {
            unsigned f = 0;
            for (w = s; w < s + SEARCH_WINDOW_SENTENCES && w <= c.sentence; w++)
                f += c.tf[w * n + i];
            if (f > 0)
                score += terms[i].weight * terms[i].idf * f * (WINDOW_K1 + 1) / (f + WINDOW_K1);
        }
        if (score > best)
            best = score;
    }
    free(c.tf);
    return best / total;
}

/* A first-five passage and its score for search_window_reorder(). */
struct window_rank {
    struct search_hit hit;
    double score;
    size_t pos; /* its place before */
};

static int cmp_window(const void *a, const void *b)
{
    const struct window_rank *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void search_window_reorder(struct search_hit *hits, size_t n, const struct search_term *terms,
                           size_t nterms, double w)
{
    struct window_rank r[SEARCH_WINDOW_TOP];
    double fused[SEARCH_WINDOW_TOP], max = 0;
    size_t i, m = n < SEARCH_WINDOW_TOP ? n : SEARCH_WINDOW_TOP;

    if (w <= 0 || m < 2)
        return;
    for (i = 0; i < m; i++)
        max = fmax(max, hits[i].bm25);
    for (i = 0; i < m; i++) {
        r[i].hit = hits[i];
        r[i].pos = i;
        r[i].score =
            (max > 0 ? hits[i].bm25 / max : 0) + w * search_window(hits[i].text, terms, nterms);
        fused[i] = hits[i].fused;
    }
    qsort(r, m, sizeof(*r), cmp_window);
    /* The fused scores, largest first, in the new order. */
    for (i = 1; i < m; i++) {
        size_t j = i;
        double v = fused[i];
        for (; j > 0 && fused[j - 1] < v; j--)
            fused[j] = fused[j - 1];
        fused[j] = v;
    }
    for (i = 0; i < m; i++) {
        hits[i] = r[i].hit;
        hits[i].fused = fused[i];
    }
}

/* ---- Answer type: quantities (docs/performance.md, branch rank24) ---- */

#define QWORD_MAX 16 /* longer words are none of the lists' */

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Copies the next word of *p (a run of ASCII letters and digits) into w,
 * lower-cased and cut to QWORD_MAX - 1 bytes; false at the end. */
static bool next_word(const char **p, char w[QWORD_MAX])
{
    const unsigned char *s = (const unsigned char *)*p;
    size_t n = 0;

    while (*s && !word_byte(*s))
        s++;
    if (*s == 0)
        return false;
    for (; word_byte(*s); s++)
        if (n < QWORD_MAX - 1)
            w[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
    w[n] = 0;
    *p = (const char *)s;
    return true;
}

static bool word_in(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return true;
    return false;
}

static bool is_number(const char *w)
{
    static const char *const words[] = {"one",     "two",    "three",  "four",  "five",   "six",
                                        "seven",   "eight",  "nine",   "ten",   "eleven", "twelve",
                                        "fifteen", "twenty", "thirty", "forty", "fifty",  "sixty",
                                        "ninety",  "once",   "twice",  "half",  NULL};
    const char *c = w;

    while (*c >= '0' && *c <= '9')
        c++;
    return (c > w && *c == 0) || word_in(w, words);
}

static bool is_unit(const char *w)
{
    static const char *const units[] = {
        "minute",   "minutes",  "hour",      "hours",    "day",       "days",  "week",   "weeks",
        "month",    "months",   "year",      "years",    "time",      "times", "member", "members",
        "student",  "students", "teacher",   "teachers", "people",    "adult", "adults", "session",
        "sessions", "period",   "periods",   "question", "questions", "item",  "items",  "target",
        "targets",  "standard", "standards", "kids",     "children",  "per",   NULL};
    return word_in(w, units);
}

static bool is_period(const char *w)
{
    static const char *const periods[] = {"week", "month", "day", "year", "quarter", NULL};
    return word_in(w, periods);
}

bool search_wants_quantity(const char *question)
{
    static const char *const after_how[] = {"many",  "much",  "big",  "long",
                                            "often", "early", "soon", "frequently",
                                            "large", "small", NULL};
    char prev[QWORD_MAX] = "", w[QWORD_MAX];
    const char *p = question;

    while (next_word(&p, w)) {
        if ((strcmp(prev, "how") == 0 && word_in(w, after_how))
            || (strcmp(prev, "what") == 0 && strcmp(w, "size") == 0)
            || (strcmp(prev, "when") == 0 && strcmp(w, "should") == 0))
            return true;
        memcpy(prev, w, sizeof(prev));
    }
    return false;
}

bool search_asks_procedure(const char *question)
{
    static const char *const modal[] = {"do",    "does", "did",   "can",  "could", "should",
                                        "would", "will", "might", "must", "shall", NULL};
    static const char *const agent[] = {
        "we",  "i",    "you",   "they",    "us",       "our",    "my",  "your", "a",   "an",
        "the", "team", "teams", "teacher", "teachers", "people", "one", "he",   "she", NULL};
    static const char *const doer[] = {"we", "i", "you", "they", NULL};
    static const char *const of_it[] = {"for", "to", "of", NULL};
    char w[3][QWORD_MAX] = {"", "", ""}; /* w[2] the current word, w[1] and w[0] before it */
    const char *p = question;

    while (next_word(&p, w[2])) {
        if ((strcmp(w[0], "how") == 0 && word_in(w[1], modal) && word_in(w[2], agent))
            || (strcmp(w[1], "how") == 0 && (strcmp(w[2], "to") == 0 || word_in(w[2], doer)))
            || strcmp(w[2], "steps") == 0
            || (strcmp(w[0], "step") == 0 && strcmp(w[1], "by") == 0 && strcmp(w[2], "step") == 0)
            || (strcmp(w[0], "walk") == 0 && (strcmp(w[1], "me") == 0 || strcmp(w[1], "us") == 0)
                && strcmp(w[2], "through") == 0)
            || (strcmp(w[0], "the") == 0
                && (strcmp(w[1], "process") == 0 || strcmp(w[1], "procedure") == 0)
                && word_in(w[2], of_it)))
            return true;
        memmove(w[0], w[1], 2 * QWORD_MAX);
    }
    return false;
}

size_t search_quantities(const char *text)
{
    static const char *const frequencies[] = {"weekly",   "monthly",   "daily",
                                              "biweekly", "quarterly", NULL};
    static const char *const each[] = {"a", "per", "each", "every", NULL};
    char w[4][QWORD_MAX]; /* a window of the next words: w[0] the current one */
    size_t have = 0, count = 0, i, used;
    const char *p = text;

    for (;;) {
        while (have < 4 && next_word(&p, w[have]))
            have++;
        if (have == 0)
            return count;
        used = 1;
        if (word_in(w[0], frequencies))
            count++;
        else if (have > 1 && word_in(w[0], each) && is_period(w[1]))
            count++, used = 2;
        else if (is_number(w[0])) {
            /* NUM UNIT, NUM x UNIT, NUM to|or x UNIT */
            if (have > 1 && is_unit(w[1]))
                count++, used = 2;
            else if (have > 2 && is_unit(w[2]))
                count++, used = 3;
            else if (have > 3 && (strcmp(w[1], "to") == 0 || strcmp(w[1], "or") == 0)
                     && is_unit(w[3]))
                count++, used = 4;
        }
        for (i = used; i < have; i++)
            memcpy(w[i - used], w[i], QWORD_MAX);
        have -= used;
    }
}
