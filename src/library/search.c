/*
 * Hybrid retrieval; see search.h.  One or two round trips: an optional
 * SET of the HNSW scan settings (once per connection) and one query that
 * computes both top-K lists and returns their union with everything the
 * fusion, de-duplication and MMR steps need.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "library/embed.h"
#include "library/search.h"
#include "library/synonyms.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/json.h"
#include "util/log.h"

const char *const search_domains[] = {
    "assessment",    "collaboration",  "leadership",       "curriculum",
    "data_analysis", "school_culture", "student_learning", NULL};

bool search_domain_valid(const char *domain)
{
    size_t i;
    for (i = 0; search_domains[i] != NULL; i++)
        if (strcmp(search_domains[i], domain) == 0)
            return true;
    return false;
}

void search_fuse(struct search_hit *hits, size_t n, int rrf_k, const char *const *boost)
{
    size_t i, j, b;

    for (i = 0; i < n; i++) {
        double f = 0;
        if (hits[i].vec_rank > 0)
            f += 1.0 / (rrf_k + hits[i].vec_rank);
        if (hits[i].fts_rank > 0)
            f += 1.0 / (rrf_k + hits[i].fts_rank);
        for (b = 0; boost != NULL && boost[b] != NULL; b++) {
            for (j = 0; j < hits[i].ndomains; j++)
                if (strcmp(hits[i].domains[j], boost[b]) == 0)
                    break;
            if (j < hits[i].ndomains) {
                f *= SEARCH_DOMAIN_BOOST;
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

/* text rank of hit i is kept in fused until ranks are assigned */
static int cmp_trank(const void *a, const void *b)
{
    const struct search_hit *const *x = a, *const *y = b;
    if ((*x)->fused != (*y)->fused)
        return (*x)->fused > (*y)->fused ? -1 : 1;
    return strcmp((*x)->chunk_id, (*y)->chunk_id);
}

bool search_run(struct db *db, const struct config *cfg, const struct search_opts *opts,
                struct search_result *res)
{
    size_t dims = (size_t)cfg->embeddings_dimensions, k = opts->k, i, n, kept;
    const char *t = dims > EMBED_HALFVEC_ABOVE ? "halfvec" : "vector";
    double threshold =
        opts->threshold >= 0 ? opts->threshold : (double)cfg->search_threshold / 1000.0;
    struct buf vec = BUF_INIT, fts = BUF_INIT, sql = BUF_INIT;
    const char *params[6];
    char limit[16];
    float *qv = xmalloc(dims * sizeof(*qv));
    struct search_hit **order = NULL;
    PGresult *r = NULL;
    bool ok = false;

    memset(res, 0, sizeof(*res));
    if (k < 1)
        k = 1;
    if (k > SEARCH_K_MAX)
        k = SEARCH_K_MAX;
    if (!embed_texts(cfg, &opts->question, 1, qv))
        goto done;
    embed_vector_literal(&vec, qv, dims);
    if (!synonyms_fts_query(opts->question, &fts))
        buf_puts(&fts, "");
    if (!hnsw_settings(db))
        goto done;
    buf_printf(
        &sql,
        "WITH vec AS (SELECT c.id FROM chunks c "
        "  WHERE c.embedding IS NOT NULL AND ($3::text IS NULL OR c.domains @> ARRAY[$3::text]) "
        "  ORDER BY c.embedding::%1$s(%2$zu) <=> $1::%1$s(%2$zu) LIMIT $5), "
        /* Full text in two stages: all of the question's words (selective,
         * cheap to rank); only when that finds fewer than $4, any of its
         * words and their acronym expansions.  Each stage ranks at most
         * SEARCH_FTS_RANK_MAX matches: ranking every match of a common word
         * in a large library is what costs, and the vector list carries
         * the meaning anyway. */
        "fts_all AS (SELECT s.id, ts_rank_cd(s.tsv, s.tq) AS trank FROM "
        "  (SELECT c.id, c.tsv, q.tq FROM chunks c, websearch_to_tsquery('english', $6) AS q(tq) "
        "   WHERE $6 <> '' AND c.tsv @@ q.tq AND ($3::text IS NULL OR c.domains @> "
        "ARRAY[$3::text]) "
        "   LIMIT " SEARCH_FTS_RANK_MAX_STR ") s "
        "  ORDER BY trank DESC LIMIT $4), "
        "fts_any AS (SELECT s.id, ts_rank_cd(s.tsv, s.tq) AS trank FROM "
        "  (SELECT c.id, c.tsv, q.tq FROM chunks c, websearch_to_tsquery('english', $2) AS q(tq) "
        "   WHERE (SELECT count(*) FROM fts_all) < $4::int "
        "   AND $2 <> '' AND c.tsv @@ q.tq AND ($3::text IS NULL OR c.domains @> ARRAY[$3::text]) "
        "   LIMIT " SEARCH_FTS_RANK_MAX_STR ") s "
        "  ORDER BY trank DESC LIMIT $4), "
        "fts AS (SELECT id, trank + 1 AS trank FROM fts_all "
        "  UNION ALL SELECT id, trank FROM fts_any "
        "  WHERE id NOT IN (SELECT id FROM fts_all) ORDER BY trank DESC LIMIT $4), "
        "ids AS (SELECT id FROM vec UNION SELECT id FROM fts) "
        "SELECT c.id, b.id, b.title, array_to_json(b.authors)::text, ch.number, ch.title, "
        "  c.page_start, c.page_end, c.page_index_start, c.page_index_end, "
        "  array_to_json(c.domains)::text, c.text, "
        "  1 - (c.embedding::%1$s(%2$zu) <=> $1::%1$s(%2$zu)), "
        "  (SELECT trank FROM fts WHERE fts.id = c.id), "
        "  EXISTS (SELECT 1 FROM vec WHERE vec.id = c.id) "
        "FROM ids JOIN chunks c ON c.id = ids.id JOIN books b ON b.id = c.book_id "
        "LEFT JOIN chapters ch ON ch.id = c.chapter_id",
        t, dims);
    snprintf(limit, sizeof(limit), "%d", SEARCH_CANDIDATES);
    params[0] = buf_str(&vec);
    params[1] = buf_str(&fts);
    params[2] = opts->domain;
    params[3] = opts->mode == SEARCH_VECTOR ? "0" : limit;
    params[4] = opts->mode == SEARCH_TEXT ? "0" : limit;
    params[5] = opts->question;
    r = db_exec(db, buf_str(&sql), 6, params, true);
    if (r == NULL)
        goto done;
    n = (size_t)PQntuples(r);
    res->hits = arena_alloc(&res->arena, (n ? n : 1) * sizeof(*res->hits));
    order = xcalloc(n ? n : 1, sizeof(*order));
    for (i = 0; i < n; i++) {
        struct search_hit *h = &res->hits[i];
        int row = (int)i;
        const char *cos = db_value(r, row, 12), *tr = db_value(r, row, 13);
        memset(h, 0, sizeof(*h));
        h->chunk_id = arena_strdup(&res->arena, PQgetvalue(r, row, 0));
        h->book_id = arena_strdup(&res->arena, PQgetvalue(r, row, 1));
        h->book_title = arena_strdup(&res->arena, PQgetvalue(r, row, 2));
        h->authors = json_strings(&res->arena, db_value(r, row, 3), &h->nauthors);
        h->chapter_number = dup_or_null(&res->arena, r, row, 4);
        h->chapter_title = dup_or_null(&res->arena, r, row, 5);
        h->page_start = arena_strdup(&res->arena, PQgetvalue(r, row, 6));
        h->page_end = arena_strdup(&res->arena, PQgetvalue(r, row, 7));
        h->page_index_start = atoi(PQgetvalue(r, row, 8));
        h->page_index_end = atoi(PQgetvalue(r, row, 9));
        h->domains = json_strings(&res->arena, db_value(r, row, 10), &h->ndomains);
        h->text = arena_strdup(&res->arena, PQgetvalue(r, row, 11));
        h->score = cos ? strtod(cos, NULL) : -1; /* -1: no embedding, never relevant */
        h->fused = tr ? strtod(tr, NULL) : -1;   /* text rank for now */
        h->vec_rank = strcmp(PQgetvalue(r, row, 14), "t") == 0 ? 1 : 0;
        h->fts_rank = tr != NULL;
        order[i] = h;
    }
    /* Ranks within each list. */
    qsort(order, n, sizeof(*order), cmp_cos);
    for (i = 0, k = 0; i < n; i++)
        if (order[i]->vec_rank)
            order[i]->vec_rank = (int)++k;
    qsort(order, n, sizeof(*order), cmp_trank);
    for (i = 0, k = 0; i < n; i++)
        if (order[i]->fts_rank)
            order[i]->fts_rank = (int)++k;
    k = opts->k < 1 ? 1 : opts->k > SEARCH_K_MAX ? SEARCH_K_MAX : opts->k;
    search_fuse(res->hits, n, SEARCH_RRF_K, opts->boost);
    /* The relevance cut, then fusion order, page de-duplication, MMR. */
    for (i = 0, kept = 0; i < n; i++)
        if (opts->mode == SEARCH_TEXT || res->hits[i].score >= threshold)
            res->hits[kept++] = res->hits[i];
    search_sort_fused(res->hits, kept);
    kept = search_dedup(res->hits, kept);
    if (kept > 1 && !fetch_vectors(db, res, kept, dims))
        goto done;
    res->n = search_mmr(res->hits, kept, dims, SEARCH_MMR_LAMBDA, k);
    res->nothing_relevant = res->n == 0;
    ok = true;
done:
    PQclear(r);
    free(order);
    free(qv);
    buf_free(&vec);
    buf_free(&fts);
    buf_free(&sql);
    return ok;
}

void search_result_free(struct search_result *res)
{
    if (res == NULL)
        return;
    arena_free(&res->arena);
    memset(res, 0, sizeof(*res));
}

json_object *search_result_json(const struct search_result *res, bool include_text)
{
    json_object *root = json_object_new_object(), *arr = json_object_new_array();
    size_t i, j;

    for (i = 0; i < res->n; i++) {
        const struct search_hit *h = &res->hits[i];
        json_object *o = json_object_new_object(), *book = json_object_new_object(),
                    *ch = json_object_new_object(), *pages = json_object_new_object(),
                    *authors = json_object_new_array(), *domains = json_object_new_array();
        json_add_str(o, "chunk_id", h->chunk_id);
        json_add_str(book, "id", h->book_id);
        json_add_str(book, "title", h->book_title);
        for (j = 0; j < h->nauthors; j++)
            json_object_array_add(authors, json_object_new_string(h->authors[j]));
        json_object_object_add(book, "authors", authors);
        json_object_object_add(o, "book", book);
        json_add_str(ch, "number", h->chapter_number);
        json_add_str(ch, "title", h->chapter_title);
        json_object_object_add(o, "chapter", ch);
        json_add_str(pages, "start", h->page_start);
        json_add_str(pages, "end", h->page_end);
        json_object_object_add(o, "pages", pages);
        for (j = 0; j < h->ndomains; j++)
            json_object_array_add(domains, json_object_new_string(h->domains[j]));
        json_object_object_add(o, "domains", domains);
        json_object_object_add(o, "score", json_object_new_double(round(h->score * 10000) / 10000));
        if (include_text)
            json_add_str(o, "text", h->text);
        json_object_array_add(arr, o);
    }
    json_object_object_add(root, "results", arr);
    json_object_object_add(root, "nothing_relevant",
                           json_object_new_boolean(res->nothing_relevant));
    return root;
}
