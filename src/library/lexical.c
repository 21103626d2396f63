/*
 * Building and scoring the lexical index; see lexical.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "db/acronyms.h"
#include "db/db.h"
#include "db/lexicon.h"
#include "library/analyze.h"
#include "library/domains.h"
#include "library/initials.h"
#include "library/lexical.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/log.h"

const struct bm25_params lexical_index_params = {0.9, 0.4, 2.0, 1.0};

/* One posting before grouping: which term (its text is in the passage's
 * counts) and the posting itself. */
struct raw {
    const char *term;
    struct bm25_posting p;
};

static int cmp_raw(const void *a, const void *b)
{
    const struct raw *x = a, *y = b;
    int d = strcmp(x->term, y->term);
    return d ? d : (x->p.ordinal < y->p.ordinal ? -1 : x->p.ordinal > y->p.ordinal);
}

static uint8_t cap8(unsigned v)
{
    return (uint8_t)(v > 255 ? 255 : v);
}

/* Appends to *raw the postings of passage p: the union of its fields'
 * terms.  The counts stay alive (their strings are referenced). */
static void passage_postings(const struct lexical_passage *p, struct analyze_counts f[3],
                             struct raw **raw, size_t *nraw, size_t *cap)
{
    size_t i[3] = {0, 0, 0}, k;
    uint16_t len = (uint16_t)(f[0].length > 65535 ? 65535 : f[0].length);

    for (;;) {
        const char *least = NULL;
        struct raw r;

        for (k = 0; k < 3; k++)
            if (i[k] < f[k].n && (least == NULL || strcmp(f[k].v[i[k]].term, least) < 0))
                least = f[k].v[i[k]].term;
        if (least == NULL)
            break;
        memset(&r, 0, sizeof(r));
        r.term = least;
        r.p.ordinal = p->ordinal;
        r.p.length = len;
        r.p.domains = (uint8_t)(p->domains & 0xFF);
        for (k = 0; k < 3; k++) {
            if (i[k] < f[k].n && strcmp(f[k].v[i[k]].term, least) == 0) {
                uint8_t tf = cap8(f[k].v[i[k]].tf);
                if (k == 0)
                    r.p.tf_body = tf;
                else if (k == 1)
                    r.p.tf_section = tf;
                else
                    r.p.tf_chapter = tf;
                i[k]++;
            }
        }
        if (*nraw == *cap) {
            *cap = *cap ? *cap * 2 : 4096;
            *raw = xrealloc(*raw, *cap * sizeof(**raw));
        }
        (*raw)[(*nraw)++] = r;
    }
}

/* The capitalised phrases of a book's passages (initials.h) as they are
 * mined: one (initials, phrase, passage) each time a passage gives one. */
struct mined {
    const char *initials; /* in the arena */
    const char *phrase;   /* in the arena */
    size_t passage;
};

struct mine {
    struct arena arena; /* owns the strings */
    struct mined *v;    /* owned; free() */
    size_t n, cap;
    size_t passage; /* the passage being mined */
};

static void mine_phrase(void *ctx, const char *initials, const char *phrase)
{
    struct mine *m = ctx;

    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 1024;
        m->v = xrealloc(m->v, m->cap * sizeof(*m->v));
    }
    m->v[m->n].initials = arena_strdup(&m->arena, initials);
    m->v[m->n].phrase = arena_strdup(&m->arena, phrase);
    m->v[m->n++].passage = m->passage;
}

static int cmp_mined(const void *a, const void *b)
{
    const struct mined *x = a, *y = b;
    int c = strcmp(x->initials, y->initials);

    if (c == 0)
        c = strcmp(x->phrase, y->phrase);
    return c != 0 ? c : (x->passage > y->passage) - (x->passage < y->passage);
}

/* Mines the passages' capitalised phrases and stores each distinct
 * (initials, phrase) with the number of passages holding it
 * (db/acronyms.h), replacing the book's.  Runs in the caller's
 * transaction. */
static bool index_acronyms(struct db *db, const char *book_id, const struct lexical_passage *p,
                           size_t n)
{
    struct mine m = {ARENA_INIT, NULL, 0, 0, 0};
    struct acronym_row *rows;
    size_t i, j, nrows = 0;
    bool ok;

    for (i = 0; i < n; i++) {
        m.passage = i;
        initials_each(p[i].text, mine_phrase, &m);
    }
    if (m.n > 1)
        qsort(m.v, m.n, sizeof(*m.v), cmp_mined);
    rows = xcalloc(m.n ? m.n : 1, sizeof(*rows));
    for (i = 0; i < m.n; i = j) {
        int passages = 1;
        for (j = i + 1; j < m.n && strcmp(m.v[j].initials, m.v[i].initials) == 0
                        && strcmp(m.v[j].phrase, m.v[i].phrase) == 0;
             j++)
            passages += m.v[j].passage != m.v[j - 1].passage;
        rows[nrows].initials = m.v[i].initials;
        rows[nrows].phrase = m.v[i].phrase;
        rows[nrows++].passages = passages;
    }
    ok = acronyms_put_book(db, book_id, rows, nrows) == DB_OK;
    free(rows);
    free(m.v);
    arena_free(&m.arena);
    return ok;
}

bool lexical_index_book(struct db *db, const char *book_id, const struct lexical_passage *p,
                        size_t n)
{
    struct analyze_counts *fields = xcalloc(n ? n * 3 : 1, sizeof(*fields));
    struct raw *raw = NULL;
    struct lexicon_entry *entries = NULL;
    struct bm25_posting *group = NULL;
    unsigned char **datas = NULL;
    size_t nraw = 0, cap = 0, i, j, nentries = 0;
    int64_t length = 0;
    bool ok;

    for (i = 0; i < n; i++) {
        analyze_count_text(&fields[3 * i], p[i].text);
        if (p[i].section != NULL)
            analyze_count_text(&fields[3 * i + 1], p[i].section);
        if (p[i].chapter != NULL)
            analyze_count_text(&fields[3 * i + 2], p[i].chapter);
        length += (int64_t)fields[3 * i].length;
        passage_postings(&p[i], &fields[3 * i], &raw, &nraw, &cap);
    }
    if (nraw > 1)
        qsort(raw, nraw, sizeof(*raw), cmp_raw);
    entries = xcalloc(nraw ? nraw : 1, sizeof(*entries));
    datas = xcalloc(nraw ? nraw : 1, sizeof(*datas));
    group = xmalloc((n ? n : 1) * sizeof(*group));
    for (i = 0; i < nraw; i = j) {
        size_t m, g;
        for (j = i; j < nraw && strcmp(raw[j].term, raw[i].term) == 0; j++)
            ;
        m = j - i;
        for (g = 0; g < m; g++)
            group[g] = raw[i + g].p;
        bm25_postings_sort(group, m, &lexical_index_params, n ? (double)length / (double)n : 1.0);
        datas[nentries] = xmalloc(m * BM25_POSTING_BYTES);
        for (g = 0; g < m; g++)
            bm25_posting_encode(datas[nentries] + g * BM25_POSTING_BYTES, &group[g]);
        entries[nentries].term = raw[i].term;
        entries[nentries].df = (int)m;
        entries[nentries].data = datas[nentries];
        entries[nentries].len = m * BM25_POSTING_BYTES;
        nentries++;
    }
    ok = lexicon_put_book(db, book_id, entries, nentries, (int64_t)n, length, ANALYZE_VERSION)
             == DB_OK
         && index_acronyms(db, book_id, p, n);
    for (i = 0; i < nentries; i++)
        free(datas[i]);
    free(datas);
    free(entries);
    free(group);
    free(raw);
    for (i = 0; i < n * 3; i++)
        analyze_counts_free(&fields[i]);
    free(fields);
    return ok;
}

/* Parses a PostgreSQL text[] of domain names ("{assessment,curriculum}")
 * into a bit set; unknown names are ignored. */
static unsigned domain_bits(const char *arr)
{
    unsigned bits = 0;
    const char *p = arr;

    while (*p != '\0') {
        char name[64];
        size_t n = 0, d;

        while (*p == '{' || *p == ',' || *p == '}' || *p == '"')
            p++;
        while (*p != '\0' && *p != ',' && *p != '}' && *p != '"' && n + 1 < sizeof(name))
            name[n++] = *p++;
        name[n] = '\0';
        if (n > 0 && domain_parse(name, &d))
            bits |= 1u << d;
        if (n == 0 && *p != '\0')
            p++;
    }
    return bits;
}

bool lexical_reindex(struct db *db, void (*progress)(size_t done, size_t total))
{
    struct arena a = ARENA_INIT;
    const char **books;
    size_t nbooks, b;
    bool ok = true;

    if (lexicon_books(db, &a, &books, &nbooks) != DB_OK) {
        arena_free(&a);
        return false;
    }
    for (b = 0; b < nbooks && ok; b++) {
        struct arena pa = ARENA_INIT;
        struct lexicon_passage *rows;
        struct lexical_passage *p;
        size_t n, i;

        ok = store_tx(db, "BEGIN") && lexicon_book_passages(db, books[b], &pa, &rows, &n) == DB_OK;
        if (ok) {
            p = xcalloc(n ? n : 1, sizeof(*p));
            for (i = 0; i < n; i++) {
                p[i].ordinal = (uint32_t)rows[i].ordinal;
                p[i].text = rows[i].text;
                p[i].section = rows[i].section;
                p[i].chapter = rows[i].chapter;
                p[i].domains = domain_bits(rows[i].domains);
            }
            ok = lexical_index_book(db, books[b], p, n) && store_tx(db, "COMMIT");
            free(p);
        }
        if (!ok)
            (void)store_tx(db, "ROLLBACK");
        arena_free(&pa);
        if (ok && progress != NULL)
            progress(b + 1, nbooks);
    }
    arena_free(&a);
    return ok;
}

/* Returns the index of book id in the cache, adding it. */
static uint32_t book_number(struct lexical_cache *c, const char *id)
{
    size_t i;

    for (i = 0; i < c->nbooks; i++)
        if (strcmp(c->books[i], id) == 0)
            return (uint32_t)i;
    if ((c->nbooks & (c->nbooks - 1)) == 0) /* 0, 1, 2, 4, ...: grow */
        c->books = xrealloc(c->books, (c->nbooks ? c->nbooks * 2 : 8) * sizeof(*c->books));
    c->books[c->nbooks] = arena_strdup(&c->arena, id);
    return (uint32_t)c->nbooks++;
}

static ssize_t cached_term(const struct lexical_cache *c, const char *term)
{
    size_t i;
    for (i = 0; i < c->nterms; i++)
        if (strcmp(c->terms[i], term) == 0)
            return (ssize_t)i;
    return -1;
}

/* Reads into the cache the postings of the terms it does not hold. */
static bool fill_cache(struct db *db, struct lexical_cache *c, const struct lexical_term *terms,
                       size_t n, int64_t cap)
{
    const char **want = xmalloc((n ? n : 1) * sizeof(*want));
    int64_t *df = xmalloc((n ? n : 1) * sizeof(*df)), *caps = xmalloc((n ? n : 1) * sizeof(*caps));
    struct lexicon_list *lists;
    size_t nwant = 0, nl, i;
    bool ok = true;

    for (i = 0; i < n; i++) {
        size_t j;
        bool dup = false;
        if (terms[i].df <= 0 || cached_term(c, terms[i].term) >= 0)
            continue;
        for (j = 0; j < nwant && !dup; j++)
            dup = strcmp(want[j], terms[i].term) == 0;
        if (dup)
            continue;
        want[nwant] = terms[i].term;
        df[nwant] = terms[i].df;
        caps[nwant++] = cap;
    }
    if (nwant > 0) {
        ok = lexicon_postings(db, want, df, caps, nwant, BM25_POSTING_BYTES, &c->arena, &lists, &nl)
             == DB_OK;
        if (ok) {
            size_t base = c->nterms;
            c->terms = xrealloc(c->terms, (c->nterms + nwant) * sizeof(*c->terms));
            for (i = 0; i < nwant; i++)
                c->terms[c->nterms++] = arena_strdup(&c->arena, want[i]);
            c->lists = xrealloc(c->lists, (c->nlists + nl + 1) * sizeof(*c->lists));
            for (i = 0; i < nl; i++) {
                c->lists[c->nlists] = lists[i];
                c->lists[c->nlists].term = base + lists[i].term;
                c->nlists++;
            }
        }
    }
    free(want);
    free(df);
    free(caps);
    return ok;
}

/* The number of postings lexical_score() is about to add to the
 * accumulator (an upper bound on the passages: bm25_acc_reserve()). */
static size_t postings(const struct lexical_cache *cache, const struct lexical_term *terms,
                       size_t n)
{
    size_t i, l, total = 0;

    for (i = 0; i < n; i++) {
        ssize_t t = terms[i].df > 0 ? cached_term(cache, terms[i].term) : -1;
        if (t < 0 || (terms[i].weight <= 0 && terms[i].own <= 0))
            continue;
        for (l = 0; l < cache->nlists; l++)
            if (cache->lists[l].term == (size_t)t)
                total += cache->lists[l].len / BM25_POSTING_BYTES;
    }
    return total;
}

bool lexical_score(struct db *db, struct lexical_cache *cache, const struct lexical_term *terms,
                   size_t n, const struct bm25_params *p, const struct bm25_params *pe,
                   double avglen, int64_t cap, unsigned domains, struct bm25_acc *acc)
{
    size_t i, l;

    if (!fill_cache(db, cache, terms, n, cap))
        return false;
    bm25_acc_reserve(acc, acc->n + postings(cache, terms, n));
    for (i = 0; i < n; i++) {
        ssize_t t = terms[i].df > 0 ? cached_term(cache, terms[i].term) : -1;
        if (t < 0 || (terms[i].weight <= 0 && terms[i].own <= 0))
            continue;
        for (l = 0; l < cache->nlists; l++) {
            const struct lexicon_list *li = &cache->lists[l];
            uint32_t book;
            size_t k;
            if (li->term != (size_t)t)
                continue;
            book = book_number(cache, li->book_id);
            for (k = 0; k + BM25_POSTING_BYTES <= li->len; k += BM25_POSTING_BYTES) {
                struct bm25_posting po;
                double s, se = 0;
                bm25_posting_decode(li->data + k, &po);
                if (domains != 0 && (po.domains & domains) == 0)
                    continue;
                s = bm25_term(p, terms[i].idf, bm25_tf(p, po.tf_body, po.tf_section, po.tf_chapter),
                              po.length, avglen);
                if (terms[i].own > 0)
                    se = bm25_term(pe, terms[i].idf,
                                   bm25_tf(pe, po.tf_body, po.tf_section, po.tf_chapter), po.length,
                                   avglen);
                bm25_acc_add(acc, book, po.ordinal, terms[i].weight * s, terms[i].own * se);
            }
        }
    }
    return true;
}

void lexical_cache_free(struct lexical_cache *c)
{
    if (c == NULL)
        return;
    free(c->terms);
    free(c->lists);
    free(c->books);
    arena_free(&c->arena);
    memset(c, 0, sizeof(*c));
}
