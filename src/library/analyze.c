/*
 * Text analysis for BM25; see analyze.h.
 */
#include "config.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "library/analyze.h"
#include "library/embed_local.h"
#include "library/stem_cache.h"
#include "library/synonyms.h"
#include "util/alloc.h"
#include "util/log.h"

/* Returns the length of the UTF-8 sequence at p (1 for a stray byte) and
 * sets *cp to its code point (the byte itself for a stray byte). */
static size_t utf8_next(const unsigned char *p, unsigned *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
        *cp = (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
        return 2;
    }
    if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        *cp = (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
        return 3;
    }
    if ((p[0] & 0xF8) == 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80
        && (p[3] & 0xC0) == 0x80) {
        *cp = (unsigned)(p[0] & 0x07) << 18 | (unsigned)(p[1] & 0x3F) << 12
              | (unsigned)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
        return 4;
    }
    *cp = p[0];
    return 1;
}

/* True when code point cp belongs to a word. */
static bool word_cp(unsigned cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp >= 0xA0 && cp <= 0xBF) /* no-break space, signs, guillemets */
        return false;
    if (cp == 0xD7 || cp == 0xF7) /* multiplication and division signs */
        return false;
    if (cp >= 0x2000 && cp <= 0x2BFF) /* punctuation, symbols, arrows, shapes */
        return false;
    if (cp >= 0x3000 && cp <= 0x303F) /* CJK punctuation */
        return false;
    if (cp >= 0xFE30 && cp <= 0xFE4F) /* compatibility forms */
        return false;
    if (cp >= 0xFF00 && cp <= 0xFF0F) /* full-width punctuation */
        return false;
    return true;
}

/* libstemmer fails only when memory runs out: the policy of util/alloc.h. */
static void __attribute__((noreturn)) stemmer_oom(void)
{
    log_error("analyze: the stemmer ran out of memory");
    abort();
}

/* True when w (n bytes) is two or more capitals and a final "s". */
static bool acronym_plural(const unsigned char *w, size_t n)
{
    size_t i;

    if (n < 3 || w[n - 1] != 's')
        return false;
    for (i = 0; i + 1 < n; i++)
        if (w[i] < 'A' || w[i] > 'Z')
            return false;
    return true;
}

static struct sb_stemmer *the_stemmer;

static void stemmer_free(void)
{
    sb_stemmer_delete(the_stemmer);
    the_stemmer = NULL;
}

static struct sb_stemmer *stemmer(void)
{
    if (the_stemmer == NULL) {
        the_stemmer = sb_stemmer_new("english", "UTF_8");
        if (the_stemmer == NULL) /* only out of memory: the algorithm is built in */
            stemmer_oom();
        atexit(stemmer_free); /* so that leak checkers see it released */
    }
    return the_stemmer;
}

size_t analyze_word(const char *w, size_t len, char out[ANALYZE_TERM_MAX])
{
    const sb_symbol *st;
    size_t n;

    if (len < 2 || len > ANALYZE_WORD_MAX)
        return 0;
    if (stem_cache_get(w, len, out, &n)) /* a word seen before (stem_cache.h) */
        return n;
    memcpy(out, w, len);
    out[len] = '\0';
    if (embed_local_stop_word(out)) {
        stem_cache_put(w, len, NULL, 0);
        return 0;
    }
    st = sb_stemmer_stem(stemmer(), (const sb_symbol *)out, (int)len);
    if (st == NULL)
        stemmer_oom();
    n = (size_t)sb_stemmer_length(stemmer());
    if (n == 0 || n > ANALYZE_WORD_MAX)
        n = len; /* never happens for English; keep the word as it is */
    else
        memcpy(out, st, n);
    out[n] = '\0';
    stem_cache_put(w, len, out, n);
    return n;
}

size_t analyze_each(const char *text, analyze_fn fn, void *ctx)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t count = 0;

    while (*p != '\0') {
        char word[ANALYZE_WORD_MAX + 8], term[ANALYZE_TERM_MAX];
        const unsigned char *start;
        size_t wl = 0, tl;
        bool too_long = false;
        unsigned cp;
        size_t k;

        /* Skip separators. */
        while (*p != '\0') {
            k = utf8_next(p, &cp);
            if (word_cp(cp))
                break;
            p += k;
        }
        if (*p == '\0')
            break;
        start = p;
        while (*p != '\0') {
            k = utf8_next(p, &cp);
            if (!word_cp(cp))
                break;
            if (wl + k <= ANALYZE_WORD_MAX) {
                size_t i;
                for (i = 0; i < k; i++)
                    word[wl + i] = (char)(k == 1 && p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
                wl += k;
            } else {
                too_long = true;
            }
            p += k;
        }
        if (too_long)
            continue;
        /* An acronym's plural ("CFAs", "PLCs", or "cfas" when "cfa" is on
         * the acronym list) is the acronym: Porter2 keeps that s. */
        if (wl >= 3 && wl <= 7 && word[wl - 1] == 's'
            && (acronym_plural(start, (size_t)(p - start))
                || synonym_by_abbrev(word, wl - 1) != NULL))
            wl--;
        tl = analyze_word(word, wl, term);
        if (tl == 0)
            continue;
        count++;
        if (fn != NULL)
            fn(ctx, term, tl, (const char *)start, (size_t)(p - start));
    }
    return count;
}

static int cmp_count(const void *a, const void *b)
{
    return strcmp(((const struct analyze_count *)a)->term, ((const struct analyze_count *)b)->term);
}

struct collect {
    struct analyze_count *v;
    size_t n, cap;
};

static void collect_term(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct collect *c = ctx;

    (void)word;
    (void)wlen;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
    }
    memcpy(c->v[c->n].term, term, len + 1);
    c->v[c->n++].tf = 1;
}

void analyze_count_text(struct analyze_counts *c, const char *text)
{
    struct collect t = {NULL, 0, 0};
    struct analyze_count *merged;
    size_t i, j, n = 0;

    analyze_each(text, collect_term, &t);
    c->length += t.n;
    if (t.n == 0)
        return;
    qsort(t.v, t.n, sizeof(*t.v), cmp_count);
    /* Collapse repeats in t, then merge the two sorted lists. */
    for (i = 1, j = 0; i < t.n; i++) {
        if (strcmp(t.v[i].term, t.v[j].term) == 0)
            t.v[j].tf++;
        else
            t.v[++j] = t.v[i];
    }
    t.n = j + 1;
    merged = xmalloc((c->n + t.n) * sizeof(*merged));
    for (i = 0, j = 0; i < c->n || j < t.n;) {
        int d = i >= c->n ? 1 : j >= t.n ? -1 : strcmp(c->v[i].term, t.v[j].term);
        if (d < 0) {
            merged[n++] = c->v[i++];
        } else if (d > 0) {
            merged[n++] = t.v[j++];
        } else {
            merged[n] = c->v[i++];
            merged[n++].tf += t.v[j++].tf;
        }
    }
    free(c->v);
    free(t.v);
    c->v = merged;
    c->n = n;
    c->cap = n;
}

unsigned analyze_counts_get(const struct analyze_counts *c, const char *term)
{
    struct analyze_count key;
    const struct analyze_count *hit;

    if (c->n == 0 || strlen(term) >= sizeof(key.term))
        return 0;
    strcpy(key.term, term);
    hit = bsearch(&key, c->v, c->n, sizeof(*c->v), cmp_count);
    return hit ? hit->tf : 0;
}

void analyze_counts_free(struct analyze_counts *c)
{
    if (c == NULL)
        return;
    free(c->v);
    memset(c, 0, sizeof(*c));
}
