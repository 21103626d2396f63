/*
 * The learned re-ranking of the BM25 candidates (issue 12 section 2,
 * branch rank29): the first N passages of the translated search's BM25
 * list (N = search_tuning.rerank_top; 0 off) are put in order again by a
 * linear score over features the search already has, normalised within
 * the question.  The weights are fitted by eval/fit_rerank.py on the FIT
 * questions and compiled in by eval/gen_rerank.py (rerank_weights.c).
 * A deep stage (search_tuning.rerank_deep; branch recall31) then orders
 * places 2..rerank_deep by a second set of weights, the first place
 * kept (rerank_two_stage()).
 * See src/library/README.md, "Retrieval, exactly" step 3b, and
 * docs/performance.md, "rank29".
 */
#ifndef PLCCOACH_LIBRARY_RERANK_H
#define PLCCOACH_LIBRARY_RERANK_H

#include <stddef.h>

struct search_hit;
struct search_evidence;

#define RERANK_TOP_MAX 40 /* SEARCH_CANDIDATES: the BM25 list's length */

/* The features of one candidate.  Every one is divided by the largest
 * absolute value among the question's candidates (rerank_normalise()). */
enum rerank_feature {
    RERANK_F_MAIN,    /* main's score: BM25 + w_prox x proximity, x the quantity factor */
    RERANK_F_PROX,    /* search_proximity() over the question's own terms */
    RERANK_F_OWN,     /* bm25_norm: the own terms' BM25 at k1 1.2, b 0.75, 0..1 */
    RERANK_F_COVER,   /* the own terms' weight x idf share held in the text */
    RERANK_F_SYNONYM, /* synonym expansions' weight x idf held, over the own terms' whole */
    RERANK_F_TYPO,    /* typo corrections' the same */
    RERANK_F_RELATED, /* thesaurus, WordNet and translation terms' the same */
    RERANK_F_SECTION, /* the own terms' weight x idf share in its section heading */
    RERANK_F_CHAPTER, /* the same in its chapter title */
    RERANK_F_WINDOW,  /* search_window(): its best three-sentence window */
    RERANK_F_PAGE_EV, /* the other candidates' main score on its pages (same book, overlapping
                       * or adjacent page indexes) */
    RERANK_F_CHAP_EV, /* the other candidates' main score in its chapter */
    RERANK_F_LENGTH,  /* log(analysed terms / the library's mean passage length) */
    RERANK_F_RRANK,   /* 1 / its rank in main's order */
    RERANK_NFEATURES
};

extern const char *const rerank_feature_names[RERANK_NFEATURES];

/* The fitted weights (rerank_weights.c, generated; do not edit): the
 * first stage's (eval/rerank-fit.json) and the deep stage's
 * (eval/rerank-deep-fit.json; rerank_two_stage()). */
extern const double rerank_weights[RERANK_NFEATURES];
extern const double rerank_weights_deep[RERANK_NFEATURES];

/* One candidate.  hit points into the caller's search result; book_id and
 * ordinal break ties so that the order is deterministic. */
struct rerank_cand {
    struct search_hit *hit;
    const char *book_id;
    int ordinal;
    double f[RERANK_NFEATURES];
    double score; /* rerank_order(): the learned score */
};

/* Fills f[] with the features a passage's text, headings and the
 * question's evidence give (COVER, SYNONYM, TYPO, RELATED, SECTION,
 * CHAPTER, WINDOW, LENGTH, OWN; PROX too); the others (MAIN, PAGE_EV,
 * CHAP_EV, RRANK) need the whole list and are set by rerank_list(). */
void rerank_passage(const struct search_hit *h, const struct search_evidence *ev,
                    double f[RERANK_NFEATURES]) __attribute__((nonnull));

/* Sets MAIN (main[i]), RRANK, PAGE_EV and CHAP_EV of c[0..n), given in
 * main's order, then normalises every feature (rerank_normalise()). */
void rerank_list(struct rerank_cand *c, size_t n, const double *main_score)
    __attribute__((nonnull));

/* Divides each feature of c[0..n) by its largest absolute value among
 * them (a feature 0 everywhere stays 0). */
void rerank_normalise(struct rerank_cand *c, size_t n) __attribute__((nonnull));

/* Scores c[0..n) by w . f and sorts them best first; ties: book id, then
 * ordinal, ascending. */
void rerank_order(struct rerank_cand *c, size_t n, const double w[RERANK_NFEATURES])
    __attribute__((nonnull));

/* The two stages (docs/performance.md, "recall31"): the first top of
 * c[0..n) ordered by w (rerank_order()); then, when deep > top, the first
 * of them stays first and c[1..deep) (the other top - 1 and the next
 * deep - top in main's order) are ordered by wd, so a passage up to
 * place deep can enter the first five while the first place is the first
 * stage's.  top and deep are cut to n; top 0 or 1 leaves the first as
 * main has it. */
void rerank_two_stage(struct rerank_cand *c, size_t n, size_t top, size_t deep,
                      const double w[RERANK_NFEATURES], const double wd[RERANK_NFEATURES])
    __attribute__((nonnull));

#endif
