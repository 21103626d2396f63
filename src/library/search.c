/*
 * Retrieval; see search.h.  The BM25 list and the evidence come from
 * search_lexical.c (two to five short statements); then one statement
 * (db/retrieval.c) computes the vector list and returns the union of both lists with
 * everything fusion, the cut, de-duplication and MMR need (or, when the
 * vector list cannot move the ranking, the BM25 list's passages alone:
 * search_run()); MMR fetches the kept passages' embeddings when it is
 * on.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/pages.h"
#include "db/retrieval.h"
#include "library/domains.h"
#include "library/embed.h"
#include "library/search.h"
#include "library/search_lexical.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/json.h"
#include "util/log.h"

/* Fetches the embeddings of hits[0..n) for MMR, in binary: only for the
 * passages that survived the cut and de-duplication.  A hit left without
 * one has vec NULL (MMR then counts it as unlike every other).  Returns
 * false when the database failed. */
static bool fetch_vectors(struct db *db, struct search_result *res, size_t n, size_t dims)
{
    struct buf ids = BUF_INIT;
    struct chunk_vector *rows;
    size_t i, row, nrows;
    bool ok;

    buf_putc(&ids, '{');
    for (i = 0; i < n; i++)
        buf_printf(&ids, "%s%s", i ? "," : "", res->hits[i].chunk_id); /* uuids from the db */
    buf_putc(&ids, '}');
    ok = retrieval_vectors(db, &res->arena, buf_str(&ids), dims, &rows, &nrows) == DB_OK;
    buf_free(&ids);
    for (row = 0; ok && row < nrows; row++)
        for (i = 0; i < n; i++) {
            struct search_hit *h = &res->hits[i];
            if (h->vec == NULL && strcmp(h->chunk_id, rows[row].id) == 0) {
                h->vec = rows[row].vec;
                break;
            }
        }
    return ok;
}

static int cmp_cos(const void *a, const void *b)
{
    const struct search_hit *const *x = a, *const *y = b;
    if ((*x)->score != (*y)->score)
        return (*x)->score > (*y)->score ? -1 : 1;
    return strcmp((*x)->chunk_id, (*y)->chunk_id);
}

/* Appends the BM25 list's books and ordinals as two array literals. */
static void lexical_arrays(const struct lexical_ranked *lr, size_t n, struct buf *books,
                           struct buf *ords)
{
    size_t i;

    buf_putc(books, '{');
    buf_putc(ords, '{');
    for (i = 0; i < n; i++) {
        buf_printf(books, "%s%s", i ? "," : "", lr[i].book_id); /* uuids from the db */
        buf_printf(ords, "%s%d", i ? "," : "", lr[i].ordinal);
    }
    buf_putc(books, '}');
    buf_putc(ords, '}');
}

/* Fills hit h from the candidate p (its strings stay in p's arena). */
static void read_hit(const struct passage_row *p, struct search_hit *h)
{
    memset(h, 0, sizeof(*h));
    h->chunk_id = p->chunk_id;
    h->book_id = p->book_id;
    h->book_title = p->book_title;
    h->authors = p->authors;
    h->nauthors = p->nauthors;
    h->chapter_id = p->chapter_id;
    h->chapter_number = p->chapter_number;
    h->chapter_title = p->chapter_title;
    h->section = p->section;
    h->page_start = p->page_start;
    h->page_end = p->page_end;
    h->page_index_start = p->page_index_start;
    h->page_index_end = p->page_index_end;
    h->ordinal = p->ordinal;
    h->domains = p->domains;
    h->ndomains = p->ndomains;
    h->text = p->text;
    h->score = p->has_cosine ? p->cosine : -1; /* -1: no embedding, never relevant */
    if (!isfinite(h->score))
        h->score = -1; /* a question with no features: a zero vector */
    h->vec_rank = p->in_vector_list ? 1 : 0;
}

/* A BM25 candidate while the list is ranked again. */
struct cand {
    struct search_hit *h;
    double raw, prox, qf;       /* BM25, proximity, the quantity factor */
    double f[SEARCH_NFEATURES]; /* the learned ranking's (the first SEARCH_LEARNED_TOP) */
    size_t pos;                 /* its place in main's order */
};

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->h->bm25 != y->h->bm25)
        return x->h->bm25 > y->h->bm25 ? -1 : 1;
    return x->h->bm25_rank - y->h->bm25_rank;
}

/* The learned score, then main's order. */
static int cmp_learned(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->raw != y->raw) /* raw holds the learned score here */
        return x->raw > y->raw ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Sets c[i].f[SEARCH_F_PAGE] for c[0..m): the page BM25 of each
 * passage's best printed page (search_bm25_counts(), the pages' mean
 * length from the pages read), over the best of the m.  One statement.
 * Returns false when the database failed. */
static bool page_feature(struct db *db, struct cand *c, size_t m, const struct search_evidence *ev)
{
    struct buf books = BUF_INIT, from = BUF_INIT, to = BUF_INIT;
    struct arena a = ARENA_INIT;
    struct page_row *pages;
    size_t np, i, j, *len = NULL, n = ev->nterms;
    unsigned *tf = NULL;
    double avg = 0, max = 0;
    bool ok;

    buf_putc(&books, '{');
    buf_putc(&from, '{');
    buf_putc(&to, '{');
    for (i = 0; i < m; i++) {
        buf_printf(&books, "%s%s", i ? "," : "", c[i].h->book_id); /* uuids from the db */
        buf_printf(&from, "%s%d", i ? "," : "", c[i].h->page_index_start);
        buf_printf(&to, "%s%d", i ? "," : "", c[i].h->page_index_end);
    }
    buf_putc(&books, '}');
    buf_putc(&from, '}');
    buf_putc(&to, '}');
    ok =
        pages_of_spans(db, &a, buf_str(&books), buf_str(&from), buf_str(&to), &pages, &np) == DB_OK;
    if (ok && np > 0 && n > 0) {
        tf = xcalloc(np * n, sizeof(*tf));
        len = xcalloc(np, sizeof(*len));
        for (j = 0; j < np; j++) {
            len[j] = search_term_counts(pages[j].text, ev->terms, n, tf + j * n);
            avg += (double)len[j] / (double)np;
        }
        for (i = 0; i < m; i++)
            for (j = 0; j < np; j++)
                if (strcmp(pages[j].book_id, c[i].h->book_id) == 0
                    && c[i].h->page_index_start <= pages[j].page_index
                    && pages[j].page_index <= c[i].h->page_index_end)
                    c[i].f[SEARCH_F_PAGE] =
                        fmax(c[i].f[SEARCH_F_PAGE],
                             search_bm25_counts(tf + j * n, len[j], ev->terms, n, avg));
        for (i = 0; i < m; i++)
            max = fmax(max, c[i].f[SEARCH_F_PAGE]);
        for (i = 0; i < m; i++)
            c[i].f[SEARCH_F_PAGE] = max > 0 ? c[i].f[SEARCH_F_PAGE] / max : 0;
    }
    free(tf);
    free(len);
    arena_free(&a);
    buf_free(&books);
    buf_free(&from);
    buf_free(&to);
    return ok;
}

/* Appends one JSON line to the file path (PLCCOACH_RANK_FEATURES; the
 * fitting script's input, eval/fit_rank.py): the question and every BM25
 * candidate in main's order, with its book, page indexes, quantity factor
 * and, for the first m, its features.  A development aid: a file that
 * cannot be opened is skipped. */
static void features_dump(const char *path, const char *question, const struct cand *c, size_t nc,
                          size_t m)
{
    json_object *o = json_object_new_object(), *arr = json_object_new_array();
    FILE *f = fopen(path, "a");
    size_t i, j;

    json_add_str(o, "question", question);
    for (i = 0; i < nc; i++) {
        json_object *x = json_object_new_object(), *fv = json_object_new_array();
        json_add_str(x, "book", c[i].h->book_title);
        json_add_str(x, "book_id", c[i].h->book_id);
        json_object_object_add(x, "index_start", json_object_new_int(c[i].h->page_index_start));
        json_object_object_add(x, "index_end", json_object_new_int(c[i].h->page_index_end));
        json_object_object_add(x, "qf", json_object_new_double(c[i].qf));
        for (j = 0; i < m && j < SEARCH_NFEATURES; j++)
            json_object_array_add(fv, json_object_new_double(c[i].f[j]));
        json_object_object_add(x, "f", fv);
        json_object_array_add(arr, x);
    }
    json_object_object_add(o, "candidates", arr);
    if (f != NULL) {
        fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
        fclose(f);
    }
    json_object_put(o);
}

/* The learned ranking (docs/performance.md, "rank27"): the features of
 * c[0..m), main's order, and (t->learned) c[0..m) in order again by
 * search_learned_score() x the quantity factor, handing them the BM25
 * scores they held, largest first.  Returns false when the database
 * failed. */
static bool learned(struct db *db, struct cand *c, size_t nc, const struct search_tuning *t,
                    const struct search_evidence *ev, const char *question, const char *dump)
{
    size_t m = nc < SEARCH_LEARNED_TOP ? nc : SEARCH_LEARNED_TOP, i;
    double max = 0, held[SEARCH_LEARNED_TOP];
    unsigned qd = search_question_domains(question);

    for (i = 0; i < nc; i++)
        max = fmax(max, c[i].raw);
    for (i = 0; i < m; i++) {
        search_features(c[i].h, ev, c[i].f);
        c[i].f[SEARCH_F_BM25] = max > 0 ? c[i].raw / max : 0;
        c[i].f[SEARCH_F_PROX] = max > 0 ? c[i].prox / max : 0;
        c[i].f[SEARCH_F_RRANK] = 1.0 / (double)(i + 1);
        c[i].f[SEARCH_F_DOMAIN] = search_domain_feature(c[i].h, qd);
        c[i].pos = i;
    }
    /* The page statement only when its feature counts (or is dumped). */
    if ((dump != NULL || t->lw[SEARCH_F_PAGE] != 0) && !page_feature(db, c, m, ev))
        return false;
    if (dump != NULL)
        features_dump(dump, question, c, nc, m);
    if (!t->learned)
        return true;
    if (m > (size_t)t->learned_top)
        m = (size_t)t->learned_top;
    for (i = 0; i < m; i++) {
        held[i] = c[i].h->bm25;
        c[i].raw = search_learned_score(c[i].f, t) * c[i].qf;
    }
    qsort(c, m, sizeof(*c), cmp_learned);
    for (i = 0; i < m; i++)
        c[i].h->bm25 = held[i];
    return true;
}

/* Adds t->w_prox x the passage's term proximity (search_proximity()) to
 * each BM25 candidate's score, multiplies it by 1 + t->w_quantity x
 * min(cap, quantities) / cap when the question asks for a quantity
 * (search_wants_quantity(), search_quantities()), and ranks the BM25 list
 * again by it (the texts are already read); then the learned ranking, when
 * on (learned()).  Returns false when the database failed. */
static bool rerank(struct db *db, struct search_result *res, size_t n,
                   const struct search_tuning *t, const char *question)
{
    bool quantity = t->w_quantity > 0 && search_wants_quantity(question);
    const char *dump = getenv("PLCCOACH_RANK_FEATURES");
    double cap = t->quantity_cap > 0 ? t->quantity_cap : 1;
    struct cand *c = xcalloc(n ? n : 1, sizeof(*c)); /* ours, freed below */
    size_t i, m = 0;
    bool ok = true;

    if (dump != NULL && dump[0] == '\0')
        dump = NULL;
    for (i = 0; i < n; i++)
        if (res->hits[i].bm25_rank > 0) {
            struct search_hit *h = &res->hits[i];
            c[m].h = h;
            c[m].raw = h->bm25;
            c[m].qf = 1;
            if (t->w_prox > 0 || t->learned || dump != NULL)
                c[m].prox = search_proximity(h->text, res->evidence.terms, res->evidence.nterms);
            h->bm25 += t->w_prox * c[m].prox;
            if (quantity) {
                double q = (double)search_quantities(h->text);
                c[m].qf = 1 + t->w_quantity * (q < cap ? q : cap) / cap;
                h->bm25 *= c[m].qf;
            }
            m++;
        }
    qsort(c, m, sizeof(*c), cmp_cand);
    if (t->learned || dump != NULL)
        ok = learned(db, c, m, t, &res->evidence, question, dump);
    for (i = 0; i < m; i++)
        c[i].h->bm25_rank = (int)i + 1;
    free(c);
    return ok;
}

/* Fetches the candidates (the BM25 list lex[0..nlex) and, when vector,
 * the vector list) into res->hits, fuses, cuts and de-duplicates them:
 * res->hits[0..*kept) best first.  Returns false when the embedder or the
 * database failed.  res->hits is in res->arena. */
static bool candidates(struct db *db, const struct config *cfg, const struct search_opts *opts,
                       const struct search_tuning *t, bool vector, const struct lexical_ranked *lex,
                       size_t nlex, struct search_result *res, size_t *kept)
{
    size_t dims = (size_t)cfg->embeddings_dimensions, i, j, n;
    double threshold =
        opts->threshold >= 0 ? opts->threshold : (double)cfg->search_threshold / 1000.0;
    struct buf vec = BUF_INIT, books = BUF_INIT, ords = BUF_INIT;
    struct retrieval_query q = {0};
    struct passage_row *rows;
    float *qv = NULL;
    struct search_hit **order = NULL;
    bool ok = false;

    *kept = 0;
    if (retrieval_prepare(db) != DB_OK)
        goto done;
    lexical_arrays(lex, nlex, &books, &ords);
    q.type = dims > EMBED_HALFVEC_ABOVE ? "halfvec" : "vector";
    q.dims = dims;
    q.domain = opts->domain;
    q.books = buf_str(&books);
    q.ordinals = buf_str(&ords);
    if (vector) {
        qv = xmalloc(dims * sizeof(*qv));
        if (!embed_texts(cfg, &opts->question, 1, qv))
            goto done;
        embed_vector_literal(&vec, qv, dims);
        q.vector = buf_str(&vec);
        q.limit = opts->mode == SEARCH_TEXT ? 0 : SEARCH_CANDIDATES;
    }
    if (retrieval_candidates(db, &res->arena, &q, &rows, &n) != DB_OK)
        goto done;
    res->hits = arena_alloc(&res->arena, (n ? n : 1) * sizeof(*res->hits));
    order = xcalloc(n ? n : 1, sizeof(*order));
    for (i = 0; i < n; i++) {
        struct search_hit *h = &res->hits[i];
        read_hit(&rows[i], h);
        for (j = 0; j < nlex; j++)
            if (lex[j].ordinal == h->ordinal && strcmp(lex[j].book_id, h->book_id) == 0) {
                h->bm25_rank = (int)j + 1;
                h->bm25 = lex[j].score;
                h->bm25_norm = lex[j].norm;
                break;
            }
        order[i] = h;
    }
    if ((t->w_prox > 0 || t->w_quantity > 0 || t->learned || getenv("PLCCOACH_RANK_FEATURES"))
        && nlex > 1 && !rerank(db, res, n, t, opts->question))
        goto done;
    /* Ranks in the vector list: by cosine among its members. */
    qsort(order, n, sizeof(*order), cmp_cos);
    for (i = 0, j = 0; i < n; i++)
        if (order[i]->vec_rank)
            order[i]->vec_rank = (int)++j;
    search_fuse(res->hits, n, SEARCH_RRF_K, opts->mode == SEARCH_VECTOR ? 0 : t->w_lexical,
                opts->mode == SEARCH_TEXT     ? 0
                : opts->mode == SEARCH_VECTOR ? 1
                                              : t->w_vector,
                opts->boost, t->domain_boost);
    /* The relevance cut: a BM25 passage whose own score clears min_norm,
     * or a vector passage whose cosine clears the threshold. */
    for (i = 0, j = 0; i < n; i++) {
        const struct search_hit *h = &res->hits[i];
        if ((h->bm25_rank > 0 && h->bm25_norm >= t->min_norm)
            || (h->vec_rank > 0 && opts->mode != SEARCH_TEXT && h->score >= threshold))
            res->hits[j++] = res->hits[i];
    }
    /* Fusion order, page de-duplication. */
    search_sort_fused(res->hits, j);
    *kept = search_dedup(res->hits, j);
    res->vector_list = vector;
    ok = true;
done:
    free(order);
    free(qv);
    buf_free(&vec);
    buf_free(&books);
    buf_free(&ords);
    return ok;
}

bool search_run(struct db *db, const struct config *cfg, const struct search_opts *opts,
                struct search_result *res)
{
    const struct search_tuning *t = opts->tuning ? opts->tuning : &search_tuning_default;
    size_t dims = (size_t)cfg->embeddings_dimensions, k = opts->k, kept, nlex = 0;
    struct lexical_ranked *lex = NULL;
    unsigned domain_bits = 0;
    bool vector;

    memset(res, 0, sizeof(*res));
    if (k < 1)
        k = 1;
    if (k > SEARCH_K_MAX)
        k = SEARCH_K_MAX;
    if (opts->domain != NULL) {
        size_t d;
        if (domain_parse(opts->domain, &d))
            domain_bits = 1u << d;
    }
    /* 1. BM25 and the evidence (not for the vector list alone, a
     * benchmark and ablation mode). */
    if (opts->mode != SEARCH_VECTOR
        && !search_lexical(db, opts->question, t, domain_bits, SEARCH_CANDIDATES, &res->arena, &lex,
                           &nlex, &res->evidence))
        return false;
    /* 2. The candidates' details in one statement, with the vector list
     * unless it cannot move the first k: with weight 0 its passages fuse
     * to 0, after every BM25 passage (each > 0), so they can only fill
     * places BM25 leaves empty, and (min_norm 0) every BM25 passage
     * clears the cut without its cosine.  Then the vector list is
     * fetched only when BM25's passages, de-duplicated, are fewer than
     * k.  MMR weighs passages' likeness against the fused score, so with
     * MMR on the vector list is always fetched. */
    vector = opts->cosine || opts->mode != SEARCH_HYBRID || t->w_vector != 0 || t->min_norm > 0
             || t->mmr_lambda < 1;
    if (!candidates(db, cfg, opts, t, vector, lex, nlex, res, &kept))
        return false;
    if (!vector && kept < k && !candidates(db, cfg, opts, t, true, lex, nlex, res, &kept))
        return false;
    /* 3. MMR. */
    if (t->mmr_lambda < 1 && kept > 1) {
        if (!fetch_vectors(db, res, kept, dims))
            return false;
        res->n = search_mmr(res->hits, kept, dims, t->mmr_lambda, k);
        kept = res->n;
    } else {
        res->n = kept < k ? kept : k;
    }
    /* 4. The first five in order again by their best sentence window
     * (before the cut to k, so a k under five takes the first of them). */
    if (opts->mode != SEARCH_VECTOR)
        search_window_reorder(res->hits, kept, res->evidence.terms, res->evidence.nterms,
                              t->w_window);
    res->nothing_relevant = res->n == 0;
    return true;
}

bool search_chapter_sections(struct db *db, const char *chapter_id, struct arena *a,
                             struct search_section **out, size_t *n)
{
    struct section_row *rows;
    size_t i;

    *out = NULL;
    *n = 0;
    if (sections_of_chapter(db, chapter_id, a, &rows, n) != DB_OK)
        return false;
    *out = arena_alloc(a, (*n ? *n : 1) * sizeof(**out));
    for (i = 0; i < *n; i++) {
        (*out)[i].title = rows[i].title;
        (*out)[i].page_start = rows[i].page_start;
        (*out)[i].page_index = rows[i].page_index;
    }
    return true;
}

void search_result_free(struct search_result *res)
{
    if (res == NULL)
        return;
    arena_free(&res->arena);
    memset(res, 0, sizeof(*res));
}

static double round4(double v)
{
    return round(v * 10000) / 10000;
}

static const char *source_name(enum search_term_source s)
{
    switch (s) {
    case SEARCH_TERM_QUESTION: return "question";
    case SEARCH_TERM_SYNONYM: return "synonym";
    case SEARCH_TERM_TYPO: return "typo";
    case SEARCH_TERM_FEEDBACK: return "feedback";
    case SEARCH_TERM_RELATED: return "related";
    }
    return "question";
}

static json_object *terms_json(const struct search_term *v, size_t n)
{
    json_object *arr = json_object_new_array();
    size_t i;

    for (i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        json_add_str(o, "term", v[i].term);
        json_add_str(o, "word", v[i].word);
        json_add_str(o, "source", source_name(v[i].source));
        json_object_object_add(o, "df", json_object_new_int64(v[i].df));
        json_object_object_add(o, "idf", json_object_new_double(round4(v[i].idf)));
        json_object_object_add(o, "in_library", json_object_new_boolean(v[i].in_library));
        json_add_str(o, "corrected", v[i].corrected);
        json_object_object_add(o, "expanded", json_object_new_boolean(v[i].expanded));
        json_object_object_add(o, "weight", json_object_new_double(round4(v[i].weight)));
        json_object_array_add(arr, o);
    }
    return arr;
}

static json_object *evidence_json(const struct search_evidence *e)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "terms", terms_json(e->terms, e->nterms));
    json_object_object_add(o, "expansions", terms_json(e->expansions, e->nexpansions));
    json_object_object_add(o, "coverage", json_object_new_double(round4(e->coverage)));
    json_object_object_add(o, "best_bm25", json_object_new_double(round4(e->best_bm25)));
    json_object_object_add(o, "max_bm25", json_object_new_double(round4(e->max_bm25)));
    json_object_object_add(o, "best_bm25_norm", json_object_new_double(round4(e->best_bm25_norm)));
    json_object_object_add(o, "library_chunks", json_object_new_int64(e->library_chunks));
    return o;
}

void search_hit_source_json(json_object *o, const struct search_hit *h, bool with_ids)
{
    json_object *book = json_object_new_object(), *ch = json_object_new_object(),
                *pages = json_object_new_object(), *authors = json_object_new_array();
    size_t i;

    if (with_ids)
        json_add_str(book, "id", h->book_id);
    json_add_str(book, "title", h->book_title);
    for (i = 0; i < h->nauthors; i++)
        json_object_array_add(authors, json_object_new_string(h->authors[i]));
    json_object_object_add(book, "authors", authors);
    json_object_object_add(o, "book", book);
    if (with_ids)
        json_add_str(ch, "id", h->chapter_id);
    json_add_str(ch, "number", h->chapter_number);
    json_add_str(ch, "title", h->chapter_title);
    json_object_object_add(o, "chapter", ch);
    json_add_str(pages, "start", h->page_start);
    json_add_str(pages, "end", h->page_end);
    json_object_object_add(o, "pages", pages);
}

json_object *search_result_json(const struct search_result *res, bool include_text)
{
    json_object *root = json_object_new_object(), *arr = json_object_new_array();
    size_t i, j;

    for (i = 0; i < res->n; i++) {
        const struct search_hit *h = &res->hits[i];
        json_object *o = json_object_new_object(), *domains = json_object_new_array();
        json_add_str(o, "chunk_id", h->chunk_id);
        search_hit_source_json(o, h, true);
        json_add_str(o, "section", h->section);
        for (j = 0; j < h->ndomains; j++)
            json_object_array_add(domains, json_object_new_string(h->domains[j]));
        json_object_object_add(o, "domains", domains);
        json_object_object_add(o, "score", json_object_new_double(round4(h->score)));
        json_object_object_add(o, "bm25", json_object_new_double(round4(h->bm25)));
        json_object_object_add(o, "bm25_norm", json_object_new_double(round4(h->bm25_norm)));
        if (include_text)
            json_add_str(o, "text", h->text);
        json_object_array_add(arr, o);
    }
    json_object_object_add(root, "results", arr);
    json_object_object_add(root, "nothing_relevant",
                           json_object_new_boolean(res->nothing_relevant));
    json_object_object_add(root, "evidence", evidence_json(&res->evidence));
    return root;
}
