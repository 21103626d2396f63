/*
 * Related words from WordNet; see related.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "library/analyze.h"
#include "library/related.h"
#include "library/wordnet.h"
#include "util/alloc.h"
#include "util/arena.h"

struct collect {
    struct arena *a;
    struct related_row *v;
    size_t n, cap;
    /* The last lemma's key, analysed once for its run of calls. */
    char lemma[WORDNET_WORD_MAX];
    char key[2 * ANALYZE_TERM_MAX];
    size_t nkey;
    char terms[2][ANALYZE_TERM_MAX];
};

struct terms {
    char t[3][ANALYZE_TERM_MAX];
    size_t n;
};

static void one_term(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct terms *t = ctx;

    (void)word;
    (void)wlen;
    if (t->n < 3)
        memcpy(t->t[t->n], term, len + 1);
    t->n++;
}

/* Analyses a WordNet word ('_' between words) into t. */
static void analyse(const char *w, struct terms *t)
{
    char buf[WORDNET_WORD_MAX];
    size_t i;

    for (i = 0; w[i] != '\0' && i + 1 < sizeof(buf); i++)
        buf[i] = w[i] == '_' ? ' ' : w[i];
    buf[i] = '\0';
    t->n = 0;
    analyze_each(buf, one_term, t);
}

static void collect(void *ctx, const char *lemma, const char *related, enum wordnet_rel rel)
{
    struct collect *c = ctx;
    struct terms r;

    if (strcmp(lemma, c->lemma) != 0) {
        struct terms k;
        snprintf(c->lemma, sizeof(c->lemma), "%s", lemma);
        analyse(lemma, &k);
        c->nkey = k.n <= 2 ? k.n : 0;
        if (c->nkey == 1)
            snprintf(c->key, sizeof(c->key), "%s", k.t[0]);
        else if (c->nkey == 2)
            snprintf(c->key, sizeof(c->key), "%s %s", k.t[0], k.t[1]);
        memcpy(c->terms, k.t, sizeof(c->terms));
    }
    if (c->nkey == 0)
        return;
    analyse(related, &r);
    if (r.n != 1 || strcmp(r.t[0], c->terms[0]) == 0
        || (c->nkey == 2 && strcmp(r.t[0], c->terms[1]) == 0))
        return;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 65536;
        c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
    }
    c->v[c->n].word = arena_strdup(c->a, c->key);
    c->v[c->n].term = arena_strdup(c->a, r.t[0]);
    c->v[c->n++].rel = (int)rel;
}

static int cmp_row(const void *x, const void *y)
{
    const struct related_row *a = x, *b = y;
    int d = strcmp(a->word, b->word);

    if (d == 0)
        d = strcmp(a->term, b->term);
    return d != 0 ? d : a->rel - b->rel;
}

bool related_from_wordnet(const char *dir, struct arena *a, struct related_row **rows, size_t *n,
                          char *err, size_t errlen)
{
    struct collect c;
    size_t i, k = 0;

    memset(&c, 0, sizeof(c));
    c.a = a;
    *rows = NULL;
    *n = 0;
    if (!wordnet_each(dir ? dir : WORDNET_DIR_DEFAULT, collect, &c, err, errlen)) {
        free(c.v);
        return false;
    }
    if (c.n > 1)
        qsort(c.v, c.n, sizeof(*c.v), cmp_row);
    for (i = 0; i < c.n; i++) /* each pair once, its closest relation first */
        if (k == 0 || strcmp(c.v[k - 1].word, c.v[i].word) != 0
            || strcmp(c.v[k - 1].term, c.v[i].term) != 0)
            c.v[k++] = c.v[i];
    *rows = arena_alloc(a, (k ? k : 1) * sizeof(**rows));
    memcpy(*rows, c.v, k * sizeof(**rows));
    *n = k;
    free(c.v);
    return true;
}

bool related_load(struct db *db, const char *dir, size_t *n, char *err, size_t errlen)
{
    struct arena a = ARENA_INIT;
    struct related_row *rows;
    bool ok = related_from_wordnet(dir, &a, &rows, n, err, errlen);

    if (ok && !(ok = related_replace(db, rows, *n) == DB_OK))
        snprintf(err, errlen, "%s", db->last_error);
    arena_free(&a);
    return ok;
}
