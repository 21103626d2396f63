/*
 * Okapi BM25 with field weights, the postings format of the lexical
 * index, a score accumulator, and RM3 pseudo-relevance feedback: the pure
 * parts of lexical retrieval (src/library/README.md, "Lexical retrieval,
 * exactly"; the database side is lexical.c and db/lexicon.c).
 *
 * Per query term t with weight q(t), over a passage d:
 *
 *   idf(t)   = ln(1 + (N - df + 0.5) / (df + 0.5))          (Lucene's)
 *   tf'(t,d) = tf_body + w_section * tf_section + w_chapter * tf_chapter
 *   s(t,d)   = idf * tf' * (k1 + 1) / (tf' + k1 * (1 - b + b * len / avglen))
 *   score(d) = sum over t of q(t) * s(t,d)
 *
 * N is the library's number of passages, df the passages holding t (in
 * any field), len the passage's body length in analysed terms, avglen
 * the library's mean.  Folding the heading fields into tf before the
 * saturation, normalised by the body's length only, is the "simple
 * BM25F" of Robertson, Zaragoza and Taylor (2004) with one b.
 */
#ifndef PLC_LIBRARY_BM25_H
#define PLC_LIBRARY_BM25_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "library/analyze.h"

struct bm25_params {
    double k1, b;
    double w_section; /* a section-heading occurrence counts this many body ones */
    double w_chapter; /* a chapter-title occurrence counts this many body ones */
};

/* Lucene's BM25 idf; never negative.  df 0 gives the largest value. */
double bm25_idf(double n_docs, double df);

/* tf' of the three fields. */
double bm25_tf(const struct bm25_params *p, unsigned body, unsigned section, unsigned chapter)
    __attribute__((nonnull));

/* s(t,d) above for one term; 0 when tf is 0. */
double bm25_term(const struct bm25_params *p, double idf, double tf, double len, double avglen)
    __attribute__((nonnull));

/* The most one occurrence-saturated term can score: idf * (k1 + 1). */
double bm25_term_max(const struct bm25_params *p, double idf) __attribute__((nonnull));

/* ---- postings ----------------------------------------------------------
 * One posting per (term, passage), BM25_POSTING_BYTES bytes, little
 * endian: the passage's ordinal in its book (u32), its body length (u16,
 * capped), the term's frequency in the body, section heading and chapter
 * title (u8 each, capped at 255), and the passage's domains (u8, bit i =
 * domain i of domains.h).  A (book, term) list is sorted by impact, best
 * first (bm25_postings_sort), so a capped read keeps the passages the
 * term matters most to. */
#define BM25_POSTING_BYTES 10

struct bm25_posting {
    uint32_t ordinal;
    uint16_t length;
    uint8_t tf_body, tf_section, tf_chapter, domains;
};

void bm25_posting_encode(unsigned char *out, const struct bm25_posting *p) __attribute__((nonnull));
void bm25_posting_decode(const unsigned char *in, struct bm25_posting *p) __attribute__((nonnull));

/* Sorts postings by s(t,d) / idf at the given mean length (best first;
 * ties by ordinal). */
void bm25_postings_sort(struct bm25_posting *v, size_t n, const struct bm25_params *p,
                        double avglen) __attribute__((nonnull(3)));

/* ---- the accumulator ----------------------------------------------------
 * Scores by passage, a passage being (book number, ordinal): an open-
 * addressing hash table that grows.  Two sums per passage: the whole
 * query's, and that of the question's own terms (the evidence). */
struct bm25_acc {
    uint64_t *keys; /* (book + 1) << 32 | ordinal; 0 = empty */
    double *score, *own;
    size_t n, cap;
};

void bm25_acc_add(struct bm25_acc *a, uint32_t book, uint32_t ordinal, double score, double own)
    __attribute__((nonnull));

/* Sizes the table for n passages at once, so that adding up to n
 * distinct passages does not grow it (a caller passes the number of
 * postings it is about to add, an upper bound); n is capped at
 * BM25_ACC_RESERVE_MAX, beyond which the table grows as it fills.  Never
 * shrinks; the entries and the order of their sums are unchanged. */
#define BM25_ACC_RESERVE_MAX ((size_t)1 << 17)
void bm25_acc_reserve(struct bm25_acc *a, size_t n) __attribute__((nonnull));

/* One scored passage. */
struct bm25_hit {
    uint32_t book, ordinal;
    double score, own;
};

/* Writes the k best passages (by score descending; ties by book, then
 * ordinal, ascending), best first, into out (k entries, also the
 * selection's scratch space) and returns how many there were: a k-sized
 * heap, O(n log k), no allocation. */
size_t bm25_acc_top(const struct bm25_acc *a, size_t k, struct bm25_hit *out)
    __attribute__((nonnull));

/* Returns the best own score of any passage (0 when empty). */
double bm25_acc_best_own(const struct bm25_acc *a) __attribute__((nonnull));

void bm25_acc_free(struct bm25_acc *a);

/* ---- RM3 ---------------------------------------------------------------
 * The relevance model of the top passages (Lavrenko and Croft's RM1 as
 * Anserini computes it): w(t) = sum over feedback passages d of
 * tf(t,d) / |d| * score(d).  bm25_rm_estimate() returns every term of
 * the passages with that weight, best first; the caller drops the terms
 * it does not want (too common in the library) and keeps fb_terms;
 * bm25_rm_interpolate() then mixes it with the query. */
struct bm25_fb_doc {
    const struct analyze_counts *terms;
    double score;
};

struct bm25_wterm {
    char term[ANALYZE_TERM_MAX];
    double weight;
};

/* Fills *out (malloc'd, caller frees) with the relevance model's terms,
 * best first (ties by term); returns their number. */
size_t bm25_rm_estimate(const struct bm25_fb_doc *docs, size_t n, struct bm25_wterm **out)
    __attribute__((nonnull));

/* The interpolated query: alpha * q / |q|_1 + (1 - alpha) * rm / |rm|_1
 * (q and rm each a list of distinct terms; rm's first nrm entries are
 * used).  Writes the union into *out (malloc'd, caller frees), sorted by
 * term, and returns its size. */
size_t bm25_rm_interpolate(const struct bm25_wterm *q, size_t nq, const struct bm25_wterm *rm,
                           size_t nrm, double alpha, struct bm25_wterm **out)
    __attribute__((nonnull(6)));

#endif
