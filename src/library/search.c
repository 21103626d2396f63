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
#include "library/rerank.h"
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

static int cmp_bm25(const void *a, const void *b)
{
    const struct search_hit *const *x = a, *const *y = b;
    if ((*x)->bm25 != (*y)->bm25)
        return (*x)->bm25 > (*y)->bm25 ? -1 : 1;
    return (*x)->bm25_rank - (*y)->bm25_rank;
}

/* The path PLCCOACH_RANK_FEATURES names, or NULL: read from the
 * environment once per process (a worker or a command never changes it),
 * not on every search.  The string is the environment's. */
static const char *features_path(void)
{
    static bool read;
    static const char *path;

    if (!read) {
        path = getenv("PLCCOACH_RANK_FEATURES");
        read = true;
    }
    return path;
}

/* Appends one JSON line to the file path (PLCCOACH_RANK_FEATURES, the
 * input of eval/fit_rerank.py): the question and its BM25 candidates in
 * main's order with their book, ordinal, page indexes and normalised
 * features.  A development aid: a file that cannot be opened is skipped. */
static void features_dump(const char *path, const char *question, const struct rerank_cand *c,
                          size_t n)
{
    json_object *o = json_object_new_object(), *arr = json_object_new_array();
    FILE *f = fopen(path, "a");
    size_t i, k;

    json_add_str(o, "question", question);
    for (i = 0; i < n; i++) {
        json_object *x = json_object_new_object(), *fv = json_object_new_array();
        json_add_str(x, "book_id", c[i].book_id);
        json_object_object_add(x, "ordinal", json_object_new_int(c[i].ordinal));
        json_object_object_add(x, "index_start", json_object_new_int(c[i].hit->page_index_start));
        json_object_object_add(x, "index_end", json_object_new_int(c[i].hit->page_index_end));
        for (k = 0; k < RERANK_NFEATURES; k++)
            json_object_array_add(fv, json_object_new_double(c[i].f[k]));
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

/* The learned re-ranking (rerank.h; docs/performance.md, "rank29",
 * "recall31"): the features of lex[0..m) (main's order; prox[i] the
 * proximity of lex[i]), normalised over them all, the first
 * t->rerank_top put in order again by rerank_weights and, when
 * t->rerank_deep is larger, places 2..rerank_deep by rerank_weights_deep
 * (rerank_two_stage()), handing them the scores they held, largest
 * first, so that the fusion keeps the new order. */
static void learned(struct search_hit **lex, const double *prox, size_t m,
                    const struct search_tuning *t, const struct search_evidence *ev,
                    const char *question, const char *dump)
{
    size_t n = m < RERANK_TOP_MAX ? m : RERANK_TOP_MAX, top, i;
    struct rerank_cand *c = xcalloc(n ? n : 1, sizeof(*c)); /* ours, freed below */
    double *held = xcalloc(n ? n : 1, sizeof(*held));       /* ours, freed below */

    for (i = 0; i < n; i++) {
        c[i].hit = lex[i];
        c[i].book_id = lex[i]->book_id;
        c[i].ordinal = lex[i]->ordinal;
        rerank_passage(lex[i], ev, c[i].f);
        c[i].f[RERANK_F_PROX] = prox[i];
        held[i] = lex[i]->bm25;
    }
    rerank_list(c, n, held);
    if (dump != NULL)
        features_dump(dump, question, c, n);
    top = t->rerank_top > t->rerank_deep ? t->rerank_top : t->rerank_deep;
    top = top < n ? top : n;
    if (top > 1) {
        rerank_two_stage(c, n, t->rerank_top, t->rerank_deep, rerank_weights, rerank_weights_deep);
        for (i = 0; i < top; i++) {
            lex[i] = c[i].hit;
            lex[i]->bm25 = held[i];
        }
    }
    free(held);
    free(c);
}

/* Adds t->w_prox x the passage's term proximity (search_proximity()) to
 * each BM25 candidate's score, multiplies it by 1 + t->w_quantity x
 * min(cap, quantities) / cap when the question asks for a quantity
 * (search_wants_quantity(), search_quantities()), when learn by
 * 1 + t->w_nbr x its neighbours' gain (search_neighbour_gain()), and
 * ranks the BM25 list again by it (the texts are already read: no
 * statement); then, when learn, the learned re-ranking (learned()). */
static void rerank(struct search_result *res, size_t n, const struct search_tuning *t,
                   const char *question, bool learn)
{
    bool quantity = t->w_quantity > 0 && search_wants_quantity(question);
    const char *dump = learn ? features_path() : NULL;
    double cap = t->quantity_cap > 0 ? t->quantity_cap : 1;
    struct search_hit **lex = xcalloc(n ? n : 1, sizeof(*lex)); /* ours, freed below */
    double *prox = xcalloc(n ? n : 1, sizeof(*prox));           /* by hit; ours */
    double *lprox = xcalloc(n ? n : 1, sizeof(*lprox));         /* by lex; ours */
    size_t i, m = 0;
    bool smooth = learn && t->w_nbr > 0;

    if (dump != NULL && dump[0] == '\0')
        dump = NULL;
    learn = learn && (t->rerank_top > 1 || t->rerank_deep > 2 || dump != NULL);
    for (i = 0; i < n; i++)
        if (res->hits[i].bm25_rank > 0) {
            struct search_hit *h = &res->hits[i];
            if (t->w_prox > 0 || learn)
                prox[i] = search_proximity(h->text, res->evidence.terms, res->evidence.nterms);
            h->bm25 += t->w_prox * prox[i];
            if (quantity) {
                double q = (double)search_quantities(h->text);
                h->bm25 *= 1 + t->w_quantity * (q < cap ? q : cap) / cap;
            }
            lex[m++] = h;
        }
    /* Neighbourhood smoothing (recall33): only where the learned
     * re-ranking may run, so the coach's route never moves. */
    if (smooth) {
        double *gain = xcalloc(m ? m : 1, sizeof(*gain)); /* ours, freed below */
        search_neighbour_gain(lex, m, res->evidence.terms, res->evidence.nterms,
                              (enum search_nbr_scope)t->nbr_scope, gain);
        for (i = 0; i < m; i++)
            lex[i]->bm25 *= 1 + t->w_nbr * gain[i];
        free(gain);
    }
    qsort(lex, m, sizeof(*lex), cmp_bm25);
    if (learn) {
        for (i = 0; i < m; i++)
            lprox[i] = prox[lex[i] - res->hits];
        learned(lex, lprox, m, t, &res->evidence, question, dump);
    }
    for (i = 0; i < m; i++)
        lex[i]->bm25_rank = (int)i + 1;
    free(lprox);
    free(prox);
    free(lex);
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
    /* The learned re-ranking: not in the routing search (untranslated),
     * nor when the caller orders the list itself (no_rerank: the coach's
     * follow-up search, which a prior re-sorts; docs/performance.md,
     * "rank29"). */
    if ((t->w_prox > 0 || t->w_quantity > 0 || t->rerank_top > 1 || t->rerank_deep > 2
         || t->w_nbr > 0 || features_path() != NULL)
        && nlex > 1)
        rerank(res, n, t, opts->question, search_reranks(opts));
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
    /* Fusion order, page de-duplication: the routing search drops every
     * hit overlapping a better one (its evidence was calibrated so); the
     * answer's drops only a hit that shows no page of its own (dedup37). */
    search_sort_fused(res->hits, j);
    *kept = opts->untranslated ? search_dedup(res->hits, j) : search_dedup_shown(res->hits, j);
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
    struct search_tuning own;
    size_t dims = (size_t)cfg->embeddings_dimensions, k = opts->k, kept, nlex = 0;
    struct lexical_ranked *lex = NULL;
    unsigned domain_bits = 0;
    bool vector;

    memset(res, 0, sizeof(*res));
    /* The routing search: no translations, and a procedure question's
     * WordNet words at full weight (proc38: only the answer's ranking
     * drops them, so the route never moves). */
    if (opts->untranslated && (t->w_trans > 0 || t->related_how != 1)) {
        own = *t;
        own.w_trans = 0;
        own.related_how = 1;
        t = &own;
    }
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
        && !search_lexical_run(db, opts, t, domain_bits, SEARCH_CANDIDATES, &res->arena, &lex,
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

bool search_reranks(const struct search_opts *opts)
{
    return !opts->untranslated && !opts->no_rerank;
}

bool search_passages_at(struct db *db, struct arena *a, const char *book_id, const int *ordinals,
                        size_t n, struct search_hit **hits, size_t *nhits)
{
    struct buf books = BUF_INIT, ords = BUF_INIT;
    struct retrieval_query q = {0};
    struct passage_row *rows = NULL;
    size_t i, j, m = 0;
    bool ok;

    *hits = NULL;
    *nhits = 0;
    if (n == 0)
        return true;
    buf_putc(&books, '{');
    buf_putc(&ords, '{');
    for (i = 0; i < n; i++) {
        buf_printf(&books, "%s%s", i ? "," : "", book_id); /* a uuid from the db */
        buf_printf(&ords, "%s%d", i ? "," : "", ordinals[i]);
    }
    buf_putc(&books, '}');
    buf_putc(&ords, '}');
    q.books = buf_str(&books);
    q.ordinals = buf_str(&ords);
    ok = retrieval_candidates(db, a, &q, &rows, &m) == DB_OK;
    buf_free(&books);
    buf_free(&ords);
    if (!ok)
        return false;
    *hits = arena_alloc(a, (m ? m : 1) * sizeof(**hits));
    for (i = 0; i < m; i++) { /* by ordinal */
        for (j = i; j > 0 && (*hits)[j - 1].ordinal > rows[i].ordinal; j--)
            ;
        memmove(*hits + j + 1, *hits + j, (i - j) * sizeof(**hits));
        read_hit(&rows[i], *hits + j);
    }
    *nhits = m;
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
