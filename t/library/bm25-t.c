/* Tests for lexical retrieval's pure parts: the analyser (tokenizer, stop
 * words, Snowball stemming, acronym plurals), the BM25 formula with field
 * weights, the postings format and impact order, the accumulator, and
 * RM3's relevance model and interpolation.  Expected numbers were worked
 * out by hand from the formulas in src/library/bm25.h. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "library/analyze.h"
#include "library/bm25.h"
#include "tap/basic.h"

struct seen {
    char terms[16][ANALYZE_TERM_MAX];
    char words[16][64];
    size_t n;
};

static void keep(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct seen *s = ctx;

    (void)len;
    if (s->n < 16) {
        strcpy(s->terms[s->n], term);
        memcpy(s->words[s->n], word, wlen < 63 ? wlen : 63);
        s->words[s->n][wlen < 63 ? wlen : 63] = '\0';
        s->n++;
    }
}

static void test_analyze(void)
{
    struct seen s;
    struct analyze_counts c;
    char out[ANALYZE_TERM_MAX];

    memset(&s, 0, sizeof(s));
    is_int(6,
           (long long)analyze_each("How do our Teams write the CFAs? Assessing teacher's work",
                                   keep, &s),
           "six terms survive stop words and one-letter words");
    is_string("team", s.terms[0], "lower-cased and stemmed: Teams -> team");
    is_string("Teams", s.words[0], "the word as written is passed along");
    is_string("write", s.terms[1], "write");
    is_string("cfa", s.terms[2], "an acronym's plural loses its s: CFAs -> cfa");
    is_string("assess", s.terms[3], "Assessing -> assess");
    is_string("teacher", s.terms[4], "the apostrophe separates: teacher's -> teacher (s dropped)");

    memset(&s, 0, sizeof(s));
    analyze_each("collaboration\xe2\x80\x94"
                 "collaborative \xe2\x80\x9c"
                 "norms\xe2\x80\x9d caf\xc3\xa9",
                 keep, &s);
    is_int(4, (long long)s.n, "an em dash and curly quotes separate words");
    is_string("collabor", s.terms[0], "collaboration -> collabor");
    is_string("collabor", s.terms[1], "collaborative -> collabor");
    is_string("norm", s.terms[2], "a quoted word");
    is_string("caf\xc3\xa9", s.terms[3], "non-ASCII letters stay in the word");

    is_int(0, (long long)analyze_word("the", 3, out), "a stop word is dropped");
    is_int(0, (long long)analyze_word("x", 1, out), "a one-letter word is dropped");
    is_int(4, (long long)analyze_word("plcs", 4, out), "plcs alone (no acronym rule) stays");
    memset(&s, 0, sizeof(s));
    analyze_each("our plcs and mtss", keep, &s);
    is_string("plc", s.terms[0], "plcs, with plc on the acronym list, is plc");
    is_string("mtss", s.terms[1], "mtss keeps its s (not a plural)");

    memset(&c, 0, sizeof(c));
    analyze_count_text(&c, "Norms help teams. Teams revisit norms; norms change.");
    analyze_count_text(&c, "A team's norms");
    is_int(3, (long long)analyze_counts_get(&c, "team"), "counts add up across texts");
    is_int(4, (long long)analyze_counts_get(&c, "norm"), "norm 4 times");
    is_int(0, (long long)analyze_counts_get(&c, "help"), "help is a stop word");
    is_int(9, (long long)c.length, "length counts every kept term");
    ok(c.n == 4 && strcmp(c.v[0].term, c.v[1].term) < 0 && strcmp(c.v[2].term, c.v[3].term) < 0,
       "distinct terms, sorted");
    analyze_counts_free(&c);
}

static void test_formula(void)
{
    struct bm25_params lucene = {1.2, 0.75, 0, 0}, f = {0.9, 0.4, 2.0, 1.0};
    double idf = bm25_idf(10, 2);

    ok(fabs(idf - 1.4816045409242156) < 1e-12, "idf(N=10, df=2) = ln(1 + 8.5 / 2.5)");
    ok(fabs(bm25_idf(10, 0) - 3.091042453358316) < 1e-12,
       "idf of an unknown term: ln(1 + 10.5/0.5)");
    ok(bm25_idf(10, 10) > 0, "idf stays positive for a term in every passage");
    ok(fabs(bm25_term(&lucene, idf, 3, 20, 10) - 1.9173705823725145) < 1e-12,
       "s = idf * 3 * 2.2 / (3 + 1.2 * 1.75)");
    ok(bm25_term(&lucene, idf, 0, 20, 10) == 0, "tf 0 scores 0");
    ok(bm25_term(&lucene, idf, 3, 5, 10) > bm25_term(&lucene, idf, 3, 20, 10),
       "a shorter passage scores higher");
    ok(bm25_term(&lucene, idf, 1000, 10, 10) < bm25_term_max(&lucene, idf),
       "saturation: never above idf * (k1 + 1)");
    ok(fabs(bm25_tf(&f, 1, 1, 1) - 4.0) < 1e-12, "tf' = 1 + 2 * 1 + 1 * 1");
    ok(fabs(bm25_term(&f, idf, bm25_tf(&f, 1, 1, 1), 5, 10) - 2.385634430301703) < 1e-12,
       "BM25F: the heading occurrences saturate with the body's");
}

static void test_postings(void)
{
    struct bm25_posting p = {0x01020304u, 513, 7, 1, 2, 0x45}, q, v[3];
    struct bm25_params f = {0.9, 0.4, 2.0, 1.0};
    unsigned char buf[BM25_POSTING_BYTES];

    bm25_posting_encode(buf, &p);
    ok(buf[0] == 0x04 && buf[3] == 0x01 && buf[4] == 0x01 && buf[5] == 0x02 && buf[6] == 7,
       "little endian: ordinal then length then tfs");
    bm25_posting_decode(buf, &q);
    ok(q.ordinal == p.ordinal && q.length == p.length && q.tf_body == p.tf_body
           && q.tf_section == p.tf_section && q.tf_chapter == p.tf_chapter
           && q.domains == p.domains,
       "decode(encode(p)) == p");

    memset(v, 0, sizeof(v));
    v[0] = (struct bm25_posting){.ordinal = 1, .length = 100, .tf_body = 1};
    v[1] = (struct bm25_posting){.ordinal = 2, .length = 100, .tf_body = 1, .tf_section = 1};
    v[2] = (struct bm25_posting){.ordinal = 3, .length = 20, .tf_body = 1};
    bm25_postings_sort(v, 3, &f, 100);
    ok(v[0].ordinal == 2 && v[1].ordinal == 3 && v[2].ordinal == 1,
       "impact order: heading match, then the short passage, then the long one");
}

static void test_acc(void)
{
    struct bm25_acc a;
    struct bm25_hit top[3];
    size_t i;

    memset(&a, 0, sizeof(a));
    for (i = 0; i < 3000; i++) /* forces growth */
        bm25_acc_add(&a, (uint32_t)(i % 3), (uint32_t)i, 1.0, 0);
    bm25_acc_add(&a, 1, 7, 5.0, 2.0);
    bm25_acc_add(&a, 1, 7, 1.0, 0.5);
    bm25_acc_add(&a, 2, 9, 4.0, 3.0);
    is_int(3001, (long long)a.n, "one entry per passage (book 2 ordinal 9 is new)");
    is_int(3, (long long)bm25_acc_top(&a, 3, top), "top 3");
    ok(top[0].book == 1 && top[0].ordinal == 7 && fabs(top[0].score - 7.0) < 1e-12
           && fabs(top[0].own - 2.5) < 1e-12,
       "sums add up per passage (1 + 5 + 1; own 2.5)");
    ok(top[1].book == 2 && top[1].ordinal == 9, "then 1 + 4");
    ok(top[2].book == 0 && top[2].ordinal == 0, "ties: lower book, then lower ordinal");
    ok(fabs(bm25_acc_best_own(&a) - 3.0) < 1e-12, "best own score");
    bm25_acc_free(&a);
    is_int(0, (long long)bm25_acc_top(&a, 3, top), "empty after free");
}

/* bm25_acc_reserve(): sized once, adding that many passages does not
 * grow the table, and the sums and the top are those of a table that grew
 * as it filled. */
static void test_acc_reserve(void)
{
    struct bm25_acc grown, sized;
    struct bm25_hit tg[50], ts[50];
    size_t i, cap, ng, ns;
    int same;

    memset(&grown, 0, sizeof(grown));
    memset(&sized, 0, sizeof(sized));
    bm25_acc_add(&sized, 0, 5, 1.0, 0.5); /* an entry before the reserve survives it */
    bm25_acc_add(&grown, 0, 5, 1.0, 0.5);
    bm25_acc_reserve(&sized, sized.n + 5000);
    cap = sized.cap;
    ok(cap >= 8192 && (cap & (cap - 1)) == 0, "5,001 passages: a power of two >= 5001 / 0.7 (%zu)",
       cap);
    for (i = 0; i < 5000; i++) {
        uint32_t book = (uint32_t)(i % 7), ord = (uint32_t)(i * 2654435761u % 100003u);
        double s = 0.25 * (double)(i % 9), o = 0.5 * (double)(i % 3);

        bm25_acc_add(&sized, book, ord, s, o);
        bm25_acc_add(&grown, book, ord, s, o);
    }
    is_int((long long)cap, (long long)sized.cap, "no growth while adding the reserved passages");
    ng = bm25_acc_top(&grown, 50, tg);
    ns = bm25_acc_top(&sized, 50, ts);
    same = ng == ns && grown.n == sized.n;
    for (i = 0; same && i < ng; i++)
        same = tg[i].book == ts[i].book && tg[i].ordinal == ts[i].ordinal
               && tg[i].score == ts[i].score && tg[i].own == ts[i].own;
    ok(same && bm25_acc_best_own(&grown) == bm25_acc_best_own(&sized),
       "same passages, sums and top 50 as a table that grew (%zu passages)", sized.n);
    bm25_acc_reserve(&sized, 10);
    is_int((long long)cap, (long long)sized.cap, "a smaller reserve never shrinks");
    bm25_acc_free(&sized);
    bm25_acc_reserve(&sized, (size_t)-1);
    ok(sized.cap > 0 && sized.cap <= 2 * (BM25_ACC_RESERVE_MAX * 10 / 7 + 1),
       "a huge hint is capped at BM25_ACC_RESERVE_MAX (%zu slots)", sized.cap);
    bm25_acc_free(&sized);
    bm25_acc_free(&grown);
}

/* The test's own reference order: score descending, then book, then
 * ordinal ascending (bm25.h's tie rule), written apart from bm25.c's. */
static int ref_cmp(const void *a, const void *b)
{
    const struct bm25_hit *x = a, *y = b;

    if (x->score > y->score)
        return -1;
    if (x->score < y->score)
        return 1;
    if (x->book != y->book)
        return x->book < y->book ? -1 : 1;
    if (x->ordinal != y->ordinal)
        return x->ordinal < y->ordinal ? -1 : 1;
    return 0;
}

static uint64_t lcg_state;

static unsigned lcg(unsigned bound)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(lcg_state >> 33) % bound;
}

/* bm25_acc_top()'s bounded selection against a full sort of the
 * accumulator's contents on seeded random inputs: scores from a few
 * exact quarter steps, so that many passages tie (also at the k-th
 * place, where a wrong tie-break would show), k below, at and above n. */
static void test_acc_select(void)
{
    static const size_t ks[] = {1, 2, 3, 7, 40, 100};
    size_t trial, bad_below = 0, bad_at = 0, bad_above = 0, cut_ties = 0, runs_below = 0;

    lcg_state = 20261206;
    for (trial = 0; trial < 400; trial++) {
        struct bm25_acc a;
        struct bm25_hit *all, *got;
        size_t n_add = lcg(trial % 4 == 0 ? 30 : 3000), i, n = 0, j;
        unsigned nbooks = 1 + lcg(5), spread = 1 + lcg(4000);

        memset(&a, 0, sizeof(a));
        for (i = 0; i < n_add; i++)
            bm25_acc_add(&a, lcg(nbooks), lcg(spread), 0.25 * lcg(trial % 2 ? 4 : 12),
                         0.5 * lcg(4));
        all = malloc((a.n + 1) * sizeof(*all));
        got = malloc((a.n + 101) * sizeof(*got));
        if (all == NULL || got == NULL)
            bail("out of memory");
        for (i = 0; i < a.cap; i++)
            if (a.keys[i] != 0) {
                all[n].book = (uint32_t)(a.keys[i] >> 32) - 1;
                all[n].ordinal = (uint32_t)(a.keys[i] & 0xFFFFFFFFu);
                all[n].score = a.score[i];
                all[n++].own = a.own[i];
            }
        qsort(all, n, sizeof(*all), ref_cmp);
        for (j = 0; j < sizeof(ks) / sizeof(ks[0]) + 3; j++) {
            size_t k = j < 6 ? ks[j] : j == 6 ? (n > 0 ? n - 1 : 0) : j == 7 ? n : n + 100;
            size_t want = k < n ? k : n, m;
            int same;

            if (k == 0)
                continue;
            m = bm25_acc_top(&a, k, got);
            same = m == want;
            for (i = 0; same && i < want; i++)
                same = got[i].book == all[i].book && got[i].ordinal == all[i].ordinal
                       && got[i].score == all[i].score && got[i].own == all[i].own;
            if (k < n) {
                runs_below++;
                bad_below += !same;
                cut_ties += all[k - 1].score == all[k].score;
            } else if (k == n)
                bad_at += !same;
            else
                bad_above += !same;
        }
        free(all);
        free(got);
        bm25_acc_free(&a);
    }
    is_int(0, (long long)bad_below, "top k < n: the first k of a full sort, in order (%zu runs)",
           runs_below);
    is_int(0, (long long)bad_at, "top k == n: the whole full sort");
    is_int(0, (long long)bad_above, "top k > n: all n, in full-sort order");
    ok(cut_ties > runs_below / 4, "the k-th and (k+1)-th tie in %zu of %zu runs (tie-break tested)",
       cut_ties, runs_below);
}

static void test_rm3(void)
{
    struct analyze_counts d1, d2;
    struct bm25_fb_doc docs[2];
    struct bm25_wterm *rm, *mix, q[2];
    size_t n, i;
    double sum = 0;

    memset(&d1, 0, sizeof(d1));
    memset(&d2, 0, sizeof(d2));
    analyze_count_text(&d1, "norms norms agenda");               /* norm 2/3, agenda 1/3 */
    analyze_count_text(&d2, "norms protocol protocol protocol"); /* norm 1/4, protocol 3/4 */
    docs[0] = (struct bm25_fb_doc){&d1, 2.0};
    docs[1] = (struct bm25_fb_doc){&d2, 1.0};
    n = bm25_rm_estimate(docs, 2, &rm);
    is_int(3, (long long)n, "three distinct terms");
    is_string("norm", rm[0].term, "norm first");
    ok(fabs(rm[0].weight - (2.0 * 2 / 3 + 1.0 / 4)) < 1e-12, "w(norm) = 2 * 2/3 + 1 * 1/4");
    is_string("protocol", rm[1].term, "then protocol (3/4)");
    ok(fabs(rm[1].weight - 0.75) < 1e-12, "w(protocol) = 1 * 3/4");
    is_string("agenda", rm[2].term, "then agenda (2/3)");

    memset(q, 0, sizeof(q));
    strcpy(q[0].term, "norm");
    q[0].weight = 1;
    strcpy(q[1].term, "team");
    q[1].weight = 3;
    n = bm25_rm_interpolate(q, 2, rm, 2, 0.5, &mix);
    is_int(3, (long long)n, "union of query and the 2 kept feedback terms");
    for (i = 0; i < n; i++)
        sum += mix[i].weight;
    ok(fabs(sum - 1.0) < 1e-12, "weights sum to 1");
    /* sorted by term: norm, protocol, team */
    is_string("norm", mix[0].term, "sorted by term");
    ok(fabs(mix[0].weight - (0.5 * 0.25 + 0.5 * rm[0].weight / (rm[0].weight + rm[1].weight)))
           < 1e-12,
       "a term in both: alpha * q + (1 - alpha) * rm");
    ok(fabs(mix[2].weight - 0.5 * 0.75) < 1e-12, "a query-only term: alpha * q / |q|");
    free(rm);
    free(mix);
    analyze_counts_free(&d1);
    analyze_counts_free(&d2);
}

int main(void)
{
    plan(61);
    test_analyze();
    test_formula();
    test_postings();
    test_acc();
    test_acc_select();
    test_acc_reserve();
    test_rm3();
    return 0;
}
