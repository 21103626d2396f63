/*
 * The pure parts of plccoach eval; see eval_metrics.h.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/eval_metrics.h"
#include "library/embed_local.h"
#include "util/alloc.h"
#include "util/text.h"

#define WORD_MAX 48

static bool isalnum_ascii(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

uint64_t eval_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The nearest-rank percentile p (0..100) of sorted v[0..n). */
static double percentile(const double *v, size_t n, double p)
{
    size_t r;

    if (n == 0)
        return 0;
    r = (size_t)ceil(p / 100.0 * (double)n);
    if (r < 1)
        r = 1;
    return v[r - 1];
}

void eval_bootstrap(const double *const *num, const double *const *den, size_t nmetrics, size_t n,
                    size_t resamples, uint64_t seed, struct eval_ci *out)
{
    double **vals = xcalloc(nmetrics ? nmetrics : 1, sizeof(*vals));
    size_t *nvals = xcalloc(nmetrics ? nmetrics : 1, sizeof(*nvals));
    double *sn = xcalloc(nmetrics ? nmetrics : 1, sizeof(*sn));
    double *sd = xcalloc(nmetrics ? nmetrics : 1, sizeof(*sd));
    uint64_t state = seed;
    size_t m, r, i;

    for (m = 0; m < nmetrics; m++) {
        double a = 0, b = 0;
        for (i = 0; i < n; i++) {
            a += num[m][i];
            b += den[m][i];
        }
        out[m].value = b > 0 ? a / b : 0;
        out[m].den = b;
        vals[m] = xmalloc((resamples ? resamples : 1) * sizeof(**vals));
    }
    for (r = 0; r < resamples && n > 0; r++) {
        memset(sn, 0, nmetrics * sizeof(*sn));
        memset(sd, 0, nmetrics * sizeof(*sd));
        for (i = 0; i < n; i++) {
            size_t q = (size_t)(eval_rand(&state) % n);
            for (m = 0; m < nmetrics; m++) {
                sn[m] += num[m][q];
                sd[m] += den[m][q];
            }
        }
        for (m = 0; m < nmetrics; m++)
            if (sd[m] > 0)
                vals[m][nvals[m]++] = sn[m] / sd[m];
    }
    for (m = 0; m < nmetrics; m++) {
        qsort(vals[m], nvals[m], sizeof(double), cmp_double);
        out[m].lo = nvals[m] ? percentile(vals[m], nvals[m], 2.5) : out[m].value;
        out[m].hi = nvals[m] ? percentile(vals[m], nvals[m], 97.5) : out[m].value;
        free(vals[m]);
    }
    free(vals);
    free(nvals);
    free(sn);
    free(sd);
}

/* The length of the UTF-8 punctuation at p that separates words (U+2010
 * to U+205F: dashes, curly quotes, the ellipsis), or 0: "\u201csupporting
 * standards\u201d" holds the words supporting and standards. */
static size_t punct_len(const unsigned char *p)
{
    if (p[0] == 0xe2
        && ((p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0xbf)
            || (p[1] == 0x81 && p[2] >= 0x80 && p[2] <= 0x9f)))
        return 3;
    return 0;
}

/* True when the byte at p is part of a word: an ASCII letter or digit, or
 * a byte of a non-ASCII character that is not punct_len's. */
static bool word_byte(const unsigned char *p)
{
    return isalnum_ascii(*p) || (*p >= 0x80 && punct_len(p) == 0);
}

/* Calls fn(ctx, stem, len) for each word of text as the baseline analyses
 * it; stop words are dropped when drop_stop. */
static void words(const char *text, bool drop_stop, void (*fn)(void *, const char *, size_t),
                  void *ctx)
{
    const unsigned char *p = (const unsigned char *)text;

    while (*p != '\0') {
        char w[WORD_MAX];
        size_t n = 0;
        bool long_word = false;

        while (*p != '\0' && !word_byte(p))
            p += punct_len(p) > 0 ? punct_len(p) : 1;
        while (*p != '\0' && word_byte(p)) {
            if (n + 1 < sizeof(w))
                w[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
            else
                long_word = true;
            p++;
        }
        if (n == 0)
            break;
        w[n] = '\0';
        if (long_word || n < 2 || (drop_stop && embed_local_stop_word(w)))
            continue;
        n = embed_local_stem(w, n);
        fn(ctx, w, n);
    }
}

/* ---- the page index ---------------------------------------------------- */

struct posting {
    uint32_t page, tf;
};

struct term {
    char *text; /* NULL: empty slot */
    struct posting *v;
    size_t n, cap;
};

struct eval_pages {
    struct term *terms; /* open addressing */
    size_t nterms, cap;
    double *len; /* each page's length in terms */
    size_t npages;
    double avglen;
};

/* Returns the slot of term s (n bytes): its entry, or the empty slot it
 * would take. */
static struct term *slot(const struct eval_pages *p, const char *s, size_t n)
{
    size_t i = (size_t)fnv1a64(s, n) & (p->cap - 1);

    while (p->terms[i].text != NULL
           && !(strlen(p->terms[i].text) == n && memcmp(p->terms[i].text, s, n) == 0))
        i = (i + 1) & (p->cap - 1);
    return &p->terms[i];
}

static void grow(struct eval_pages *p)
{
    struct term *old = p->terms;
    size_t oldcap = p->cap, i;

    p->cap = p->cap ? p->cap * 2 : 1024;
    p->terms = xcalloc(p->cap, sizeof(*p->terms));
    for (i = 0; i < oldcap; i++)
        if (old[i].text != NULL)
            *slot(p, old[i].text, strlen(old[i].text)) = old[i];
    free(old);
}

struct add_ctx {
    struct eval_pages *p;
    uint32_t page;
};

static void add_word(void *ctx, const char *w, size_t n)
{
    struct add_ctx *a = ctx;
    struct eval_pages *p = a->p;
    struct term *t;

    if ((p->nterms + 1) * 2 > p->cap)
        grow(p);
    t = slot(p, w, n);
    if (t->text == NULL) {
        t->text = xstrndup(w, n);
        p->nterms++;
    }
    if (t->n > 0 && t->v[t->n - 1].page == a->page) {
        t->v[t->n - 1].tf++;
    } else {
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 4;
            t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
        }
        t->v[t->n].page = a->page;
        t->v[t->n++].tf = 1;
    }
    p->len[a->page] += 1;
}

struct eval_pages *eval_pages_new(const char *const *texts, size_t n)
{
    struct eval_pages *p = xcalloc(1, sizeof(*p));
    double total = 0;
    size_t i;

    grow(p);
    p->npages = n;
    p->len = xcalloc(n ? n : 1, sizeof(*p->len));
    for (i = 0; i < n; i++) {
        struct add_ctx a = {p, (uint32_t)i};
        words(texts[i] ? texts[i] : "", true, add_word, &a);
        total += p->len[i];
    }
    p->avglen = n ? total / (double)n : 1;
    return p;
}

void eval_pages_free(struct eval_pages *p)
{
    size_t i;

    if (p == NULL)
        return;
    for (i = 0; i < p->cap; i++) {
        free(p->terms[i].text);
        free(p->terms[i].v);
    }
    free(p->terms);
    free(p->len);
    free(p);
}

struct query_ctx {
    char (*w)[WORD_MAX];
    size_t n, cap;
};

static void add_query_word(void *ctx, const char *w, size_t n)
{
    struct query_ctx *q = ctx;

    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 16;
        q->w = xrealloc(q->w, q->cap * sizeof(*q->w));
    }
    memcpy(q->w[q->n], w, n);
    q->w[q->n++][n] = '\0';
}

struct scored {
    size_t page;
    double score;
};

static int cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->page < y->page ? -1 : x->page > y->page;
}

size_t eval_pages_rank(const struct eval_pages *p, const char *question, size_t k, size_t *out)
{
    struct query_ctx q = {NULL, 0, 0};
    double *score = xcalloc(p->npages ? p->npages : 1, sizeof(*score));
    struct scored *s;
    size_t i, j, n = 0;

    words(question, true, add_query_word, &q);
    /* Each occurrence of a word in the question adds its term again, as a
     * query term frequency. */
    for (i = 0; i < q.n; i++) {
        const struct term *t = slot(p, q.w[i], strlen(q.w[i]));
        double idf, df;

        if (t->text == NULL)
            continue;
        df = (double)t->n;
        idf = log(1.0 + ((double)p->npages - df + 0.5) / (df + 0.5));
        for (j = 0; j < t->n; j++) {
            double tf = t->v[j].tf,
                   norm = 1 - EVAL_BASE_B + EVAL_BASE_B * p->len[t->v[j].page] / p->avglen;
            score[t->v[j].page] += idf * tf * (EVAL_BASE_K1 + 1) / (tf + EVAL_BASE_K1 * norm);
        }
    }
    s = xmalloc((p->npages ? p->npages : 1) * sizeof(*s));
    for (i = 0; i < p->npages; i++)
        if (score[i] > 0) {
            s[n].page = i;
            s[n++].score = score[i];
        }
    qsort(s, n, sizeof(*s), cmp_scored);
    if (k > n)
        k = n;
    for (i = 0; i < k; i++)
        out[i] = s[i].page;
    free(s);
    free(score);
    free(q.w);
    return k;
}

size_t eval_key_terms_found(const char *text, const char *const *terms, size_t n)
{
    struct query_ctx t = {NULL, 0, 0};
    size_t i, j, k, found = 0;

    words(text, false, add_query_word, &t);
    for (i = 0; i < n; i++) {
        struct query_ctx w = {NULL, 0, 0};
        bool hit = false;

        if (terms[i] != NULL)
            words(terms[i], false, add_query_word, &w);
        for (j = 0; w.n > 0 && j + w.n <= t.n && !hit; j++) {
            for (k = 0; k < w.n && strcmp(t.w[j + k], w.w[k]) == 0; k++)
                ;
            hit = k == w.n;
        }
        found += hit;
        free(w.w);
    }
    free(t.w);
    return found;
}

/* The length of the line at s (without its newline). */
static size_t line_len(const char *s)
{
    const char *e = strchr(s, '\n');

    return e != NULL ? (size_t)(e - s) : strlen(s);
}

/* True when the line at s (len bytes) starts with one of headings[0..n)
 * after its Markdown marks. */
static bool heads_block(const char *s, size_t len, const char *const *headings, size_t n)
{
    size_t i = 0, h;

    while (i < len && strchr("#*_ \t", s[i]) != NULL)
        i++;
    for (h = 0; h < n; h++) {
        size_t hl = headings[h] != NULL ? strlen(headings[h]) : 0;
        if (hl > 0 && len - i >= hl && strncasecmp(s + i, headings[h], hl) == 0)
            return true;
    }
    return false;
}

/* True when the line at s (len bytes) is blank or a list item. */
static bool blank_or_item(const char *s, size_t len)
{
    size_t i = 0, d;

    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
        i++;
    if (i == len)
        return true;
    if (i + 1 < len && strchr("-*+", s[i]) != NULL && s[i + 1] == ' ')
        return true;
    for (d = i; d < len && s[d] >= '0' && s[d] <= '9'; d++)
        ;
    return d > i && d + 1 < len && (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ';
}

char *eval_answer_without(const char *text, const char *const *headings, size_t n)
{
    size_t len = strlen(text), w = 0;
    char *out = xmalloc(len + 1);
    const char *s = text;
    bool cutting = false;

    while (*s != '\0') {
        size_t l = line_len(s), next = l + (s[l] == '\n');
        if (heads_block(s, l, headings, n))
            cutting = true;
        else if (cutting && !blank_or_item(s, l))
            cutting = false;
        if (!cutting) {
            memcpy(out + w, s, next);
            w += next;
        }
        s += next;
    }
    out[w] = '\0';
    return out;
}

char *eval_answer_told(const char *text)
{
    static const char *const headings[] = {"Suggested follow-up questions", "You might also ask"};

    return eval_answer_without(text, headings, sizeof(headings) / sizeof(headings[0]));
}
