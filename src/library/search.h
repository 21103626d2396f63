/*
 * Retrieval over the library (architecture.md, the coach pipeline, step
 * 3): BM25 over the lexical index (headings weighted, acronyms expanded,
 * unknown words matched to the vocabulary, RM3 feedback from the top
 * passages), fused by weighted reciprocal rank with the pgvector HNSW
 * cosine list, boosted by domain, de-duplicated by page overlap,
 * optionally diversified by MMR.  Every step and the evidence a search
 * returns are described exactly in src/library/README.md.
 */
#ifndef PLC_LIBRARY_SEARCH_H
#define PLC_LIBRARY_SEARCH_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

struct config;
struct db;

#define SEARCH_K_MAX 50
#define SEARCH_RRF_K 60
#define SEARCH_CANDIDATES 40 /* top-K of each list before fusion */
#define SEARCH_WINDOW_TOP 5  /* passages search_window_reorder() may put in another order */
#define SEARCH_WINDOW_SENTENCES 3

/* Every weight and switch of the ranking, with the defaults chosen on
 * eval/dev.jsonl and eval/holdout/tune.jsonl (docs/performance.md).
 * search_tuning_set() changes one by name, for `--set name=value`. */
struct search_tuning {
    double k1, b;         /* BM25 */
    double w_section;     /* a section-heading occurrence, in body occurrences */
    double w_chapter;     /* a chapter-title occurrence, in body occurrences */
    double w_synonym;     /* weight of an acronym's phrase words (and a phrase's acronym); 0 off */
    double w_thesaurus;   /* weight of the thesaurus words for a teacher word; 0 off */
    double w_related;     /* weight of a question word's WordNet relations, shared; 0 off */
    double related_how;   /* the share of w_related a question asking for a procedure takes
                           * (search_asks_procedure()); 1 = as any question, 0 = none */
    int related_rel;      /* relations used: 1 synonyms, 2 + hypernyms, 3 + hyponyms */
    double w_trans;       /* weight of a question word's translations (trans_model.h),
                           * times p(w | q), at most the word's own weight; 0 off */
    double trans_floor;   /* translations with a lower p(w | q) are not used */
    double trans_max_df;  /* translations in more than this share of passages and
                           * in more than trans_min_df are not used; 1 = all */
    int64_t trans_min_df; /* the ceiling's floor: a translation in at most this
                           * many passages is always used */
    bool spelled;         /* a question's capitalised acronym the list and the library
                           * lack stands for the phrase the library spells out
                           * (initials.h), as the list's acronyms do (w_synonym) */
    bool typos;           /* match unknown question words to the vocabulary */
    double typo_min_sim;  /* trigram similarity a candidate needs */
    size_t fb_docs;       /* RM3: feedback passages; 0 = no feedback */
    size_t fb_terms;      /* RM3: expansion terms kept */
    double fb_alpha;      /* RM3: weight of the original query */
    double fb_max_df;     /* RM3: terms in more than this share of passages are not used */
    double w_lexical;     /* weight of the BM25 list in the fusion */
    double w_vector;      /* weight of the vector list; 0 = BM25 alone */
    double domain_boost;  /* fused score multiplier for a boosted domain; 1 = none */
    double mmr_lambda;    /* 1 = no MMR */
    int64_t postings_cap; /* postings read per term, best first; 0 = all */
    double min_norm;      /* a BM25-only passage needs this normalised own score */
    double w_prox;        /* weight of term proximity added to a BM25 score; 0 off */
    double w_quantity;    /* a quantity question: BM25 x (1 + w x min(cap, quantities) / cap) */
    int quantity_cap;     /* quantity expressions counted at most */
    double w_window;      /* weight of the best sentence window when the first
                           * SEARCH_WINDOW_TOP are put in order again; 0 off */
    size_t rerank_top;    /* BM25 passages the learned re-ranking puts in order again
                           * (rerank.h; not with search_opts.untranslated nor
                           * search_opts.no_rerank); 0 off */
    size_t rerank_deep;   /* then, when above rerank_top, the first of those stays and
                           * places 2..rerank_deep are ordered by rerank_weights_deep
                           * (rerank.h, rerank_two_stage()); 0 off */
    double w_nbr;         /* neighbourhood smoothing (recall33): a BM25 candidate's score
                           * x (1 + w_nbr x what its neighbours add to its coverage of the
                           * question, search_neighbour_gain()); not with
                           * search_opts.untranslated nor no_rerank; 0 off */
    int nbr_scope;        /* its neighbours: SEARCH_NBR_PAGES, _SECTION or _CHAPTER */
};

extern const struct search_tuning search_tuning_default;

/* The BM25 parameters of the evidence's own scores (best_bm25, max_bm25,
 * each hit's bm25_norm): k1 1.2, b 0.75, w_section 2, w_chapter 1, fixed
 * whatever the ranking uses, so that the coach's scope decision, fitted
 * on them, does not move when the ranking is re-tuned. */
struct bm25_params;
extern const struct bm25_params search_evidence_params;

/* Sets the field named by "name=value" in t.  Returns false (t unchanged)
 * for an unknown name or a value out of range, after writing why into
 * err. */
bool search_tuning_set(struct search_tuning *t, const char *assignment, char *err, size_t errlen)
    __attribute__((nonnull));

/* The coach's two rankings of a question from one lexical pass
 * (src/library/README.md, "Both rankings from one pass"): an untranslated
 * search given a pair (search_opts.pair) ranks the question with the
 * translations too, every postings list read once, and keeps that BM25
 * list and its evidence here; a translated search of the same question
 * (the same tuning and domain) given the pair takes them from here and
 * reads no postings.  The caller's: SEARCH_PAIR_INIT, then
 * search_pair_free(). */
struct search_pair_entry;
struct search_pair {
    struct arena arena;             /* owns every entry */
    struct search_pair_entry *head; /* newest first */
};
#define SEARCH_PAIR_INIT                                                                           \
    {                                                                                              \
        ARENA_INIT, NULL                                                                           \
    }

/* Releases everything pair holds (NULL: nothing). */
void search_pair_free(struct search_pair *pair);

struct search_opts {
    const char *question;
    const char *domain;       /* filter: only chunks tagged with it; NULL = all */
    const char *const *boost; /* domains to boost, NULL-terminated; NULL = none */
    size_t k;                 /* results wanted, 1..SEARCH_K_MAX */
    double threshold;         /* cosine cut 0..1 for vector-only passages; < 0 = configured */
    enum { SEARCH_HYBRID, SEARCH_VECTOR, SEARCH_TEXT } mode; /* lists used (benchmarks) */
    const struct search_tuning *tuning;                      /* NULL = search_tuning_default */
    /* Every hit's cosine is wanted (the API's and the CLI's score).  When
     * false and the vector list cannot move the ranking (hybrid mode,
     * w_vector 0, min_norm 0, no MMR), the question is not embedded and
     * the vector list not fetched unless BM25 alone leaves fewer than k
     * passages (search_run()); the hits' score is then -1. */
    bool cosine;
    /* Translations (w_trans) off whatever tuning says: the ranking of the
     * question's own words and the existing lists, which the coach routes
     * on (src/coach/README.md, "Routing reads the untranslated ranking"). */
    bool untranslated;
    /* No learned re-ranking (rerank.h): the caller puts the list in its
     * own order (the coach's follow-up search, which a prior re-sorts). */
    bool no_rerank;
    /* Both rankings from one pass (struct search_pair); NULL: none. */
    struct search_pair *pair;
};

struct search_hit {
    const char *chunk_id, *book_id, *book_title;
    const char **authors; /* nauthors strings */
    size_t nauthors;
    const char *chapter_id;                     /* NULL when none */
    const char *chapter_number, *chapter_title; /* NULL when none */
    const char *section;                        /* its section heading; NULL when none */
    const char *page_start, *page_end;          /* printed labels */
    int page_index_start, page_index_end;
    int ordinal; /* in its book */
    const char **domains;
    size_t ndomains;
    const char *text;
    double score;     /* cosine similarity of question and passage (-1: no embedding) */
    double bm25;      /* the whole query's BM25 score plus w_prox x proximity, times the
                         quantity factor for a quantity question; 0 when not in the BM25 list */
    double bm25_norm; /* the question's own terms' score / their maximum, 0..1 */
    double fused;     /* weighted reciprocal-rank fusion score, after the domain boost;
                         the first five's handed out again by search_window_reorder() */
    int vec_rank;     /* 1-based rank in the vector list; 0 = absent */
    int bm25_rank;    /* 1-based rank in the BM25 list; 0 = absent */
    float *vec;       /* the passage's embedding (dims floats); NULL when none */
};

/* Where a query term came from. */
enum search_term_source {
    SEARCH_TERM_QUESTION, /* a word of the question */
    SEARCH_TERM_SYNONYM,  /* an acronym's phrase, or a phrase's acronym (synonyms.c) */
    SEARCH_TERM_TYPO,     /* a vocabulary term standing for an unknown question word */
    SEARCH_TERM_FEEDBACK, /* RM3 */
    SEARCH_TERM_RELATED,  /* a WordNet relation of a question word or word pair (related.h) */
};

struct search_term {
    const char *term; /* analysed (stemmed) */
    const char *word; /* the question's word; for expansions, the word or phrase it came from */
    enum search_term_source source;
    int64_t df;            /* passages in the library holding it */
    double idf;            /* bm25_idf(library passages, df) */
    bool in_library;       /* df > 0 */
    const char *corrected; /* an unknown question word: the vocabulary term used; NULL */
    bool expanded;         /* an unknown question acronym whose phrase the library holds */
    double held_idf;       /* corrected or expanded: the idf that stands in for it (the
                            * correction's, or the mean of the phrase terms held) */
    double weight;         /* its weight in the final query */
};

/* What one search says about how well the library covers the question
 * (the coach's scope and breadth decisions build on it). */
struct search_evidence {
    struct search_term *terms; /* the question's own content terms, in order */
    size_t nterms;
    struct search_term *expansions; /* synonym, typo and feedback terms used */
    size_t nexpansions;
    double coverage;       /* idf-weighted share of terms the library holds (corrections count) */
    double best_bm25;      /* best own-terms BM25 score of any passage (search_evidence_params) */
    double max_bm25;       /* sum over own terms of idf * (k1 + 1), k1 of search_evidence_params */
    double best_bm25_norm; /* best_bm25 / max_bm25, 0..1 (0 when max is 0) */
    int64_t library_chunks;
    double avg_length; /* passages' mean body length, analysed terms */
};

struct search_result {
    struct arena arena;      /* owns every string and array below */
    struct search_hit *hits; /* best first */
    size_t n;
    bool nothing_relevant; /* nothing cleared the cut */
    bool vector_list;      /* the question was embedded and the vector list fetched */
    struct search_evidence evidence;
};

/* Runs a search.  Returns true and fills res (release with
 * search_result_free) or false after logging why (db->last_error says
 * more when the database failed; res is then empty but still freed with
 * search_result_free). */
bool search_run(struct db *db, const struct config *cfg, const struct search_opts *opts,
                struct search_result *res) __attribute__((nonnull, warn_unused_result));

/* Reads the passages of book book_id (a uuid) at ordinals[0..n) into
 * *hits (*nhits of them, by ordinal; an ordinal the book has no passage
 * at is left out), everything in the arena a, in one statement
 * (db/retrieval.h's candidates without a question vector): the
 * neighbours a how question's steps lack (coach/extractive.h, 5).
 * Returns false when the database failed (logged). */
bool search_passages_at(struct db *db, struct arena *a, const char *book_id, const int *ordinals,
                        size_t n, struct search_hit **hits, size_t *nhits)
    __attribute__((nonnull(1, 2, 3, 6, 7), warn_unused_result));

/* Releases everything res owns. */
void search_result_free(struct search_result *res);

/* True when a search with opts has its BM25 list put in order by the
 * learned re-ranking (rerank.h): not the coach's routing search
 * (untranslated), nor one whose caller orders the list itself
 * (no_rerank). */
bool search_reranks(const struct search_opts *opts) __attribute__((nonnull));

/* Adds to o where hit h comes from, as the search results and the
 * coach's citations show it: "book" {title, authors}, "chapter" {number,
 * title} (each with its "id" first when with_ids) and "pages" {start,
 * end}.  The objects added are o's. */
void search_hit_source_json(json_object *o, const struct search_hit *h, bool with_ids)
    __attribute__((nonnull));

/* Returns the result as {"results":[...],"nothing_relevant":bool,
 * "evidence":{...}}; caller json_object_put()s it.  include_text false
 * leaves "text" out. */
json_object *search_result_json(const struct search_result *res, bool include_text)
    __attribute__((nonnull, warn_unused_result));

/* One section heading of a chapter. */
struct search_section {
    const char *title, *page_start;
    int page_index;
};

/* Lists the section headings of a chapter (a hit's chapter_id) in book
 * order into the arena.  Returns false when the database failed. */
bool search_chapter_sections(struct db *db, const char *chapter_id, struct arena *a,
                             struct search_section **out, size_t *n) __attribute__((nonnull));

/* ---- the pure steps, exposed for the unit tests ---------------------- */

/* Sets hits[i].fused = w_lex / (rrf_k + bm25_rank) + w_vec / (rrf_k +
 * vec_rank) over the lists each hit is in, times boost_factor when one of
 * its domains is in boost. */
void search_fuse(struct search_hit *hits, size_t n, int rrf_k, double w_lex, double w_vec,
                 const char *const *boost, double boost_factor);

/* Sorts hits by fused score, best first (ties: lower chunk id first). */
void search_sort_fused(struct search_hit *hits, size_t n);

/* The best window of SEARCH_WINDOW_SENTENCES consecutive sentences of
 * text for the question's terms held in the library (terms[0..n),
 * analysed as passages are): each term's weight x idf x f (k1 + 1) / (f +
 * k1) over its count f in the window (BM25 at k1 1.2 with no length
 * normalisation), summed, over the terms' whole weight x idf; 1 when one
 * window holds every term once, at most 2.2.  Sentences end at . ? ! ; or
 * a blank line; 0 when no term is held or text is NULL. */
double search_window(const char *text, const struct search_term *terms, size_t n);

/* Puts the first min(n, SEARCH_WINDOW_TOP) of hits (ranked, best first)
 * in order again by bm25 / their largest bm25 + w x search_window() (ties:
 * the order they had), and hands them the fused scores they held, largest
 * first, so that a later sort by fused score keeps the order.  hits[5..n)
 * and which passages are the first five do not change.  No-op when w <= 0
 * or n < 2 (docs/performance.md, "window26"). */
void search_window_reorder(struct search_hit *hits, size_t n, const struct search_term *terms,
                           size_t nterms, double w);

/* Who a candidate's neighbours are, for search_neighbour_gain(). */
enum search_nbr_scope {
    SEARCH_NBR_PAGES = 1,   /* same book, page-index ranges overlapping or adjacent */
    SEARCH_NBR_SECTION = 2, /* same chapter and the same section heading (none: no neighbour) */
    SEARCH_NBR_CHAPTER = 3, /* same chapter (none: no neighbour) */
};

/* Neighbourhood smoothing (recall33; src/library/README.md, step 3):
 * for each of hits[0..n) (its text analysed as the index analyses it),
 * gain[i] = the own terms' weight x idf share (terms the library holds,
 * as rerank's "cover") held by hits[i] or any of its neighbours among
 * hits[0..n) under scope, minus the share hits[i] holds alone; 0..1.
 * A hit without text holds nothing. */
void search_neighbour_gain(struct search_hit *const *hits, size_t n,
                           const struct search_term *terms, size_t nterms,
                           enum search_nbr_scope scope, double *gain)
    __attribute__((nonnull(1, 6)));

/* Term proximity of text for the question's terms held in the library
 * (terms[0..n), analysed as passages are): over every pair of distinct
 * terms, the smaller idf over the square of the fewest analysed terms
 * between an occurrence of each, plus one (adjacent: distance 1).  0 when
 * fewer than two terms occur. */
double search_proximity(const char *text, const struct search_term *terms, size_t n)
    __attribute__((nonnull(1)));

/* True when the question asks for an amount, a size, a frequency or a
 * time ("how many", "how much", "how big", "how long", "how often", "how
 * early", "how soon", "how frequently", "how large", "how small", "what
 * size", "when should"), which a passage answers with a quantity. */
bool search_wants_quantity(const char *question) __attribute__((nonnull(1)));

/* True when the question asks for a procedure, how someone does
 * something (docs/performance.md, "proc38"): "how", a modal or "do"
 * ("does", "did", "can", "should", ...) and who acts ("we", "I", "you",
 * "they", "our", "my", "a", "the", "team", "teachers", "people", ...:
 * "how do we", "how should the team", "how can a principal"); "how to";
 * "how" and who acts ("how we start"); or the words "steps", "step by
 * step", "walk me through" (or "walk us through"), "the process for"
 * (or "to", "of"), "the procedure for" (or "to", "of").  Not "how does
 * it work", "how does MTSS work" (how a thing works, not what one does),
 * nor "how many", "how often", "how important" (an amount or a degree).
 * Its WordNet words weigh related_how x w_related: such a question's
 * words are mostly actions ("decide", "dig", "cut", "get"), whose most
 * frequent sense brings words of no subject. */
bool search_asks_procedure(const char *question) __attribute__((nonnull(1)));

/* The quantity expressions in text: a number (digits, "one" to "twelve",
 * the tens, "fifteen", "once", "twice", "half") followed by a unit
 * (minutes, days, weeks, times, members, students, per, ...) as the next
 * word, after one word, or after "to"/"or" and one word ("20 minutes",
 * "twenty-minute", "three to six students", "three or four times"); or a
 * frequency ("weekly", "monthly", "daily", "every week", "a month").  Words
 * are runs of ASCII letters and digits, lower-cased; expressions do not
 * overlap. */
size_t search_quantities(const char *text) __attribute__((nonnull(1)));

/* Keeps, of hits sorted best first, only those whose page range does not
 * overlap that of a better hit of the same book.  Returns the new count
 * (the kept hits are moved to the front, in order). */
size_t search_dedup(struct search_hit *hits, size_t n);

/* The answer's de-duplication (dedup37; search_dedup() is the routing
 * search's): of hits sorted best first, drops only a hit whose page range
 * lies inside that of a better kept hit of the same book (it shows no page
 * of its own).  A hit that overlaps a better distinct hit of the same book
 * (one that overlapped none before it) but shows a page it does not is
 * kept one place lower: after the next distinct hit, or at the end.
 * Returns the new count (the kept hits moved to the front). */
size_t search_dedup_shown(struct search_hit *hits, size_t n);

/* Maximal marginal relevance: reorders the first min(k, n) hits of hits
 * (sorted best first) by argmax lambda * rel - (1 - lambda) * max sim to
 * those already chosen, where rel is fused / the best fused and sim the
 * cosine of the embeddings (0 when a hit has none).  Returns that count. */
size_t search_mmr(struct search_hit *hits, size_t n, size_t dims, double lambda, size_t k);

/* Coverage: the idf-weighted share of terms the library holds: sum of
 * idf over terms in_library, plus held_idf over corrected or expanded
 * ones, divided by the same sum over every term (a term held through a
 * stand-in counting held_idf, an unknown one its own idf); 0 for none. */
double search_coverage(const struct search_term *terms, size_t n);

/* Whether a translation in df of the library's n_docs passages is too
 * common to be used under t: df above t->trans_max_df x n_docs and above
 * t->trans_min_df (src/library/README.md, "Translations"). */
bool search_trans_too_common(const struct search_tuning *t, int64_t df, double n_docs)
    __attribute__((nonnull));

/* Returns the edit distance (insertions, deletions, substitutions and
 * swaps of adjacent bytes) between a and b, or limit + 1 when it is
 * larger than limit. */
size_t search_edit_distance(const char *a, const char *b, size_t limit) __attribute__((nonnull));

#endif
