/*
 * Retrieval; see search.h.  The BM25 list and the evidence come from
 * search_lexical.c (two to five short statements); then one statement
 * computes the vector list and returns the union of both lists with
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
#include "library/domains.h"
#include "library/embed.h"
#include "library/search.h"
#include "library/search_lexical.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/json.h"
#include "util/log.h"

/* Parses a JSON array of strings (trusted: array_to_json from PostgreSQL)
 * into an arena array. */
static const char **json_strings(struct arena *a, const char *text, size_t *n)
{
    json_object *arr = text ? json_tokener_parse(text) : NULL;
    const char **out;
    size_t i, len;

    *n = 0;
    if (arr == NULL || !json_object_is_type(arr, json_type_array)) {
        json_object_put(arr);
        return NULL;
    }
    len = json_object_array_length(arr);
    out = arena_alloc(a, (len ? len : 1) * sizeof(*out));
    for (i = 0; i < len; i++) {
        const char *s = json_object_get_string(json_object_array_get_idx(arr, i));
        out[(*n)++] = arena_strdup(a, s ? s : "");
    }
    json_object_put(arr);
    return out;
}

static const char *dup_or_null(struct arena *a, const PGresult *r, int row, int col)
{
    const char *v = db_value(r, row, col);
    return v ? arena_strdup(a, v) : NULL;
}

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "text-search query doesn't contain lexemes" and the like */
}

/* Sets the HNSW scan options once per connection: a larger candidate list
 * and iterative scans, so a domain filter still yields K rows. */
static bool hnsw_settings(struct db *db)
{
    static const struct db *done_db;
    static unsigned done_generation;
    PGconn *conn = db_conn(db);
    PGresult *r;

    if (conn == NULL)
        return false;
    /* A reconnect may reuse the old PGconn's address: compare generations. */
    if (done_db == db && done_generation == db->generation)
        return true;
    PQsetNoticeProcessor(conn, quiet_notices, NULL);
    r = db_exec(db,
                "SELECT set_config('hnsw.ef_search', '100', false), "
                "set_config('hnsw.iterative_scan', 'strict_order', false)",
                0, NULL, true);
    if (r == NULL)
        return false;
    PQclear(r);
    done_db = db;
    done_generation = db->generation;
    return true;
}

/* Decodes pgvector's binary form (vector_send: int16 dimensions, int16
 * unused, then float4s, all in network byte order) into out (dims
 * floats).  Returns false unless it is exactly dims finite values. */
static bool vector_from_binary(const char *bytes, size_t len, size_t dims, float *out)
{
    const unsigned char *p = (const unsigned char *)bytes;
    size_t i;

    if (len != 4 + 4 * dims || (size_t)((p[0] << 8) | p[1]) != dims)
        return false;
    for (i = 0; i < dims; i++) {
        const unsigned char *q = p + 4 + 4 * i;
        uint32_t u = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
        float f;
        memcpy(&f, &u, sizeof(f));
        if (!isfinite(f))
            return false;
        out[i] = f;
    }
    return true;
}

/* Fetches the embeddings of hits[0..n) for MMR, in binary (a tenth of the
 * bytes of the text form, and no float parsing): only for the passages
 * that survived the cut and de-duplication.  A hit left without one has
 * vec NULL (MMR then counts it as unlike every other).  Returns false
 * when the database failed. */
static bool fetch_vectors(struct db *db, struct search_result *res, size_t n, size_t dims)
{
    struct buf ids = BUF_INIT;
    const char *params[1];
    PGresult *r;
    size_t i, row, rows;

    buf_putc(&ids, '{');
    for (i = 0; i < n; i++)
        buf_printf(&ids, "%s%s", i ? "," : "", res->hits[i].chunk_id); /* uuids from the db */
    buf_putc(&ids, '}');
    params[0] = buf_str(&ids);
    r = db_exec_binary(db,
                       "SELECT id::text, embedding::vector FROM chunks "
                       "WHERE id = ANY($1::uuid[]) AND embedding IS NOT NULL",
                       1, params, true);
    buf_free(&ids);
    if (r == NULL)
        return false;
    rows = (size_t)PQntuples(r);
    for (row = 0; row < rows; row++) {
        const char *id = PQgetvalue(r, (int)row, 0);
        size_t idlen = (size_t)PQgetlength(r, (int)row, 0);
        for (i = 0; i < n; i++) {
            struct search_hit *h = &res->hits[i];
            if (h->vec == NULL && strlen(h->chunk_id) == idlen
                && memcmp(h->chunk_id, id, idlen) == 0) {
                h->vec = arena_alloc(&res->arena, dims * sizeof(float));
                if (!vector_from_binary(PQgetvalue(r, (int)row, 1),
                                        (size_t)PQgetlength(r, (int)row, 1), dims, h->vec))
                    h->vec = NULL;
                break;
            }
        }
    }
    PQclear(r);
    return true;
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

/* Fills hit h from row of the details query. */
static void read_hit(struct arena *a, const PGresult *r, int row, struct search_hit *h)
{
    const char *cos = db_value(r, row, 15);

    memset(h, 0, sizeof(*h));
    h->chunk_id = arena_strdup(a, PQgetvalue(r, row, 0));
    h->book_id = arena_strdup(a, PQgetvalue(r, row, 1));
    h->book_title = arena_strdup(a, PQgetvalue(r, row, 2));
    h->authors = json_strings(a, db_value(r, row, 3), &h->nauthors);
    h->chapter_id = dup_or_null(a, r, row, 4);
    h->chapter_number = dup_or_null(a, r, row, 5);
    h->chapter_title = dup_or_null(a, r, row, 6);
    h->section = dup_or_null(a, r, row, 7);
    h->page_start = arena_strdup(a, PQgetvalue(r, row, 8));
    h->page_end = arena_strdup(a, PQgetvalue(r, row, 9));
    h->page_index_start = atoi(PQgetvalue(r, row, 10));
    h->page_index_end = atoi(PQgetvalue(r, row, 11));
    h->ordinal = atoi(PQgetvalue(r, row, 12));
    h->domains = json_strings(a, db_value(r, row, 13), &h->ndomains);
    h->text = arena_strdup(a, PQgetvalue(r, row, 14));
    h->score = cos ? strtod(cos, NULL) : -1; /* -1: no embedding, never relevant */
    if (!isfinite(h->score))
        h->score = -1; /* a question with no features: a zero vector */
    h->vec_rank = strcmp(PQgetvalue(r, row, 16), "t") == 0 ? 1 : 0;
}

static int cmp_bm25(const void *a, const void *b)
{
    const struct search_hit *const *x = a, *const *y = b;
    if ((*x)->bm25 != (*y)->bm25)
        return (*x)->bm25 > (*y)->bm25 ? -1 : 1;
    return (*x)->bm25_rank - (*y)->bm25_rank;
}

/* Adds w x the passage's term proximity (search_proximity()) to each BM25
 * candidate's score and ranks the BM25 list again by it (the texts are
 * already read: no statement). */
static void proximity_rerank(struct search_result *res, size_t n, double w)
{
    struct search_hit **lex = xcalloc(n ? n : 1, sizeof(*lex));
    size_t i, m = 0;

    for (i = 0; i < n; i++)
        if (res->hits[i].bm25_rank > 0) {
            struct search_hit *h = &res->hits[i];
            h->bm25 += w * search_proximity(h->text, res->evidence.terms, res->evidence.nterms);
            lex[m++] = h;
        }
    qsort(lex, m, sizeof(*lex), cmp_bm25);
    for (i = 0; i < m; i++)
        lex[i]->bm25_rank = (int)i + 1;
    free(lex);
}

/* The statement behind the candidates: with the vector list (its top
 * SEARCH_CANDIDATES by cosine, or none when the limit is 0, and every
 * candidate's cosine) or without it (the BM25 list's passages only, no
 * question vector, cosine NULL). */
static void candidates_sql(struct buf *sql, bool vector, const char *vt, size_t dims)
{
    if (!vector) {
        buf_puts(sql, "WITH ids AS (SELECT c.id FROM unnest($1::uuid[], $2::int[]) AS u(b, o) "
                      "  JOIN chunks c ON c.book_id = u.b AND c.ordinal = u.o) "
                      "SELECT c.id, b.id, b.title, array_to_json(b.authors)::text, ch.id, "
                      "  ch.number, ch.title, s.title, c.page_start, c.page_end, "
                      "  c.page_index_start, c.page_index_end, c.ordinal, "
                      "  array_to_json(c.domains)::text, c.text, NULL::float8, false "
                      "FROM ids JOIN chunks c ON c.id = ids.id JOIN books b ON b.id = c.book_id "
                      "LEFT JOIN chapters ch ON ch.id = c.chapter_id "
                      "LEFT JOIN sections s ON s.id = c.section_id");
        return;
    }
    buf_printf(
        sql,
        "WITH vec AS (SELECT c.id FROM chunks c "
        "  WHERE c.embedding IS NOT NULL AND ($2::text IS NULL OR c.domains @> ARRAY[$2::text]) "
        "  ORDER BY c.embedding::%1$s(%2$zu) <=> $1::%1$s(%2$zu) LIMIT $5), "
        "ids AS (SELECT id FROM vec UNION SELECT c.id FROM unnest($3::uuid[], $4::int[]) AS "
        "  u(b, o) JOIN chunks c ON c.book_id = u.b AND c.ordinal = u.o) "
        "SELECT c.id, b.id, b.title, array_to_json(b.authors)::text, ch.id, ch.number, ch.title, "
        "  s.title, c.page_start, c.page_end, c.page_index_start, c.page_index_end, c.ordinal, "
        "  array_to_json(c.domains)::text, c.text, "
        "  1 - (c.embedding::%1$s(%2$zu) <=> $1::%1$s(%2$zu)), "
        "  EXISTS (SELECT 1 FROM vec WHERE vec.id = c.id) "
        "FROM ids JOIN chunks c ON c.id = ids.id JOIN books b ON b.id = c.book_id "
        "LEFT JOIN chapters ch ON ch.id = c.chapter_id "
        "LEFT JOIN sections s ON s.id = c.section_id",
        vt, dims);
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
    const char *vt = dims > EMBED_HALFVEC_ABOVE ? "halfvec" : "vector";
    double threshold =
        opts->threshold >= 0 ? opts->threshold : (double)cfg->search_threshold / 1000.0;
    struct buf vec = BUF_INIT, sql = BUF_INIT, books = BUF_INIT, ords = BUF_INIT;
    const char *params[5];
    char limit[16];
    float *qv = NULL;
    struct search_hit **order = NULL;
    PGresult *r = NULL;
    bool ok = false;

    *kept = 0;
    if (!hnsw_settings(db))
        goto done;
    lexical_arrays(lex, nlex, &books, &ords);
    candidates_sql(&sql, vector, vt, dims);
    if (vector) {
        qv = xmalloc(dims * sizeof(*qv));
        if (!embed_texts(cfg, &opts->question, 1, qv))
            goto done;
        embed_vector_literal(&vec, qv, dims);
        snprintf(limit, sizeof(limit), "%d", opts->mode == SEARCH_TEXT ? 0 : SEARCH_CANDIDATES);
        params[0] = buf_str(&vec);
        params[1] = opts->domain;
        params[2] = buf_str(&books);
        params[3] = buf_str(&ords);
        params[4] = limit;
        r = db_exec(db, buf_str(&sql), 5, params, true);
    } else {
        params[0] = buf_str(&books);
        params[1] = buf_str(&ords);
        r = db_exec(db, buf_str(&sql), 2, params, true);
    }
    if (r == NULL)
        goto done;
    n = (size_t)PQntuples(r);
    res->hits = arena_alloc(&res->arena, (n ? n : 1) * sizeof(*res->hits));
    order = xcalloc(n ? n : 1, sizeof(*order));
    for (i = 0; i < n; i++) {
        struct search_hit *h = &res->hits[i];
        read_hit(&res->arena, r, (int)i, h);
        for (j = 0; j < nlex; j++)
            if (lex[j].ordinal == h->ordinal && strcmp(lex[j].book_id, h->book_id) == 0) {
                h->bm25_rank = (int)j + 1;
                h->bm25 = lex[j].score;
                h->bm25_norm = lex[j].norm;
                break;
            }
        order[i] = h;
    }
    if (t->w_prox > 0 && nlex > 1)
        proximity_rerank(res, n, t->w_prox);
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
    PQclear(r);
    free(order);
    free(qv);
    buf_free(&vec);
    buf_free(&sql);
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
    } else {
        res->n = kept < k ? kept : k;
    }
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
    if (!sections_of_chapter(db, chapter_id, a, &rows, n))
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
