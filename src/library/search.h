/*
 * Hybrid retrieval over the library (architecture.md, the coach pipeline,
 * step 3): pgvector HNSW cosine top-K and PostgreSQL full-text top-K
 * (websearch_to_tsquery with the PLC synonym list), fused by reciprocal
 * rank (k = 60), boosted by domain, de-duplicated by page overlap,
 * diversified by MMR, cut by the relevance threshold.
 */
#ifndef PLC_LIBRARY_SEARCH_H
#define PLC_LIBRARY_SEARCH_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

struct config;
struct db;

#define SEARCH_K_MAX 50
#define SEARCH_RRF_K 60
#define SEARCH_MMR_LAMBDA 0.7
#define SEARCH_DOMAIN_BOOST 1.25 /* fused score multiplier for a boosted domain */
#define SEARCH_CANDIDATES 40     /* top-K of each list before fusion */
/* Each full-text stage ranks at most this many matches. */
#define SEARCH_FTS_RANK_MAX_STR "500"

struct search_opts {
    const char *question;
    const char *domain;       /* filter: only chunks tagged with it; NULL = all */
    const char *const *boost; /* domains to boost, NULL-terminated; NULL = none */
    size_t k;                 /* results wanted, 1..SEARCH_K_MAX */
    double threshold;         /* cosine cut 0..1; < 0 = the configured one */
    enum { SEARCH_HYBRID, SEARCH_VECTOR, SEARCH_TEXT } mode; /* lists used (benchmarks) */
};

struct search_hit {
    const char *chunk_id, *book_id, *book_title;
    const char **authors; /* nauthors strings */
    size_t nauthors;
    const char *chapter_number, *chapter_title; /* NULL when none */
    const char *page_start, *page_end;          /* printed labels */
    int page_index_start, page_index_end;
    const char **domains;
    size_t ndomains;
    const char *text;
    double score; /* relevance: cosine similarity of question and passage */
    double fused; /* reciprocal-rank fusion score, after the domain boost */
    int vec_rank; /* 1-based rank in the vector list; 0 = absent */
    int fts_rank; /* 1-based rank in the full-text list; 0 = absent */
    float *vec;   /* the passage's embedding (dims floats); NULL when none */
};

struct search_result {
    struct arena arena;      /* owns every string and array below */
    struct search_hit *hits; /* best first */
    size_t n;
    bool nothing_relevant; /* nothing cleared the threshold */
};

/* Runs a search.  Returns true and fills res (release with
 * search_result_free) or false after logging why (db->last_error says
 * more when the database failed; res is then empty but still freed with
 * search_result_free). */
bool search_run(struct db *db, const struct config *cfg, const struct search_opts *opts,
                struct search_result *res) __attribute__((nonnull, warn_unused_result));

/* Releases everything res owns. */
void search_result_free(struct search_result *res);

/* Returns the result as {"results":[...],"nothing_relevant":bool}; caller
 * json_object_put()s it.  include_text false leaves "text" out. */
json_object *search_result_json(const struct search_result *res, bool include_text)
    __attribute__((nonnull, warn_unused_result));

/* ---- the pure steps, exposed for the unit tests ---------------------- */

/* Sets hits[i].fused = sum of 1 / (rrf_k + rank) over the lists each hit
 * is in, times SEARCH_DOMAIN_BOOST when one of its domains is in boost. */
void search_fuse(struct search_hit *hits, size_t n, int rrf_k, const char *const *boost);

/* Sorts hits by fused score, best first (ties: lower chunk id first). */
void search_sort_fused(struct search_hit *hits, size_t n);

/* Keeps, of hits sorted best first, only those whose page range does not
 * overlap that of a better hit of the same book.  Returns the new count
 * (the kept hits are moved to the front, in order). */
size_t search_dedup(struct search_hit *hits, size_t n);

/* Maximal marginal relevance: reorders the first min(k, n) hits of hits
 * (sorted best first) by argmax lambda * rel - (1 - lambda) * max sim to
 * those already chosen, where rel is fused / the best fused and sim the
 * cosine of the embeddings (0 when a hit has none).  Returns that count. */
size_t search_mmr(struct search_hit *hits, size_t n, size_t dims, double lambda, size_t k);

/* Returns true when the domain is one of the seven (product.md). */
bool search_domain_valid(const char *domain) __attribute__((nonnull));

extern const char *const search_domains[]; /* NULL-terminated */

#endif
