/*
 * Whether a word names a thing; see wordclass.h.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coach/wordclass.h"
#include "coach/words.h"
#include "library/wordnet.h"
#include "util/alloc.h"

#define SLOTS (1u << 18) /* WordNet 3.0: about 150,000 one-word lemmas and forms */

/* One word: its own tagged sense count in each part of speech (-1: none)
 * and the largest of its exception-list bases' (-1: none). */
struct entry {
    char *word; /* owned */
    long tagged[WORDCLASS_POS];
    long exc[WORDCLASS_POS];
    long full; /* the largest tagged count of a longer one-word synonym
                * beginning with it ("minute" of "min"), -1: none (scope38b) */
};

/* The table, open addressing; owned here (wordclass_free()). */
static struct entry **table;
static size_t used;
static bool tried;

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static struct entry *find(const char *w)
{
    uint32_t i;

    if (table == NULL)
        return NULL;
    for (i = hash(w) & (SLOTS - 1); table[i] != NULL; i = (i + 1) & (SLOTS - 1))
        if (strcmp(table[i]->word, w) == 0)
            return table[i];
    return NULL;
}

/* The entry of w, made when missing; NULL when the table is full. */
static struct entry *add(const char *w)
{
    uint32_t i;
    size_t k;

    for (i = hash(w) & (SLOTS - 1); table[i] != NULL; i = (i + 1) & (SLOTS - 1))
        if (strcmp(table[i]->word, w) == 0)
            return table[i];
    if (used + 1 >= SLOTS - SLOTS / 8)
        return NULL;
    table[i] = xmalloc(sizeof(*table[i]));
    table[i]->word = xstrdup(w);
    for (k = 0; k < WORDCLASS_POS; k++)
        table[i]->tagged[k] = table[i]->exc[k] = -1;
    table[i]->full = -1;
    used++;
    return table[i];
}

static int pos_index(char pos)
{
    const char *c = strchr("nvar", pos);
    return pos != '\0' && c != NULL ? (int)(c - "nvar") : -1;
}

static void on_index(void *ctx, const struct wordnet_index_entry *e)
{
    struct entry *x;
    int p = pos_index(e->pos);

    (void)ctx;
    if (p < 0 || strchr(e->lemma, '_') != NULL || (x = add(e->lemma)) == NULL)
        return;
    if (e->tagged > x->tagged[p])
        x->tagged[p] = e->tagged;
}

static void on_exc(void *ctx, char pos, const struct wordnet_exc *e)
{
    struct entry *x, *b;
    size_t i;
    int p = pos_index(pos);

    (void)ctx;
    if (p < 0 || strchr(e->word, '_') != NULL)
        return;
    for (i = 0; i < e->nbases; i++)
        if ((b = find(e->bases[i])) != NULL && b->tagged[p] >= 0 && (x = add(e->word)) != NULL
            && b->tagged[p] > x->exc[p])
            x->exc[p] = b->tagged[p];
}

/* An entry's largest own tagged count over its parts of speech (-1: none). */
static long tagged_max(const struct entry *e)
{
    long m = -1;
    size_t k;

    for (k = 0; k < WORDCLASS_POS; k++)
        if (e->tagged[k] > m)
            m = e->tagged[k];
    return m;
}

/* Each one-word lemma of a noun synset that begins another, longer one
 * ("min" and "minute", "info" and "information") records that one's
 * tagged count (scope38b). */
static void on_synset(void *ctx, const struct wordnet_synset *s)
{
    size_t i, j, n;
    struct entry *short_e, *long_e;

    (void)ctx;
    for (i = 0; i < s->nwords; i++) {
        if (strchr(s->words[i], '_') != NULL || (short_e = find(s->words[i])) == NULL)
            continue;
        n = strlen(s->words[i]);
        for (j = 0; j < s->nwords; j++)
            if (j != i && strlen(s->words[j]) > n && strncmp(s->words[j], s->words[i], n) == 0
                && strchr(s->words[j], '_') == NULL && (long_e = find(s->words[j])) != NULL
                && tagged_max(long_e) > short_e->full)
                short_e->full = tagged_max(long_e);
    }
}

void wordclass_free(void)
{
    size_t i;

    if (table != NULL)
        for (i = 0; i < SLOTS; i++)
            if (table[i] != NULL) {
                free(table[i]->word);
                free(table[i]);
            }
    free(table);
    table = NULL;
    used = 0;
    tried = false;
}

bool wordclass_load(const char *dir, char *err, size_t errlen)
{
    wordclass_free();
    tried = true;
    table = xcalloc(SLOTS, sizeof(*table));
    if (!wordnet_each_index(dir, on_index, on_exc, NULL, err, errlen)) {
        wordclass_free();
        tried = true;
        return false;
    }
    /* Without data.noun no word is known as a clipping; the classes stand. */
    (void)wordnet_each_synset(dir, 'n', on_synset, NULL, err, errlen);
    return true;
}

bool wordclass_ready(void)
{
    if (!tried) {
        char err[256];
        (void)wordclass_load(WORDNET_DIR_DEFAULT, err, sizeof(err));
    }
    return table != NULL;
}

enum wordclass wordclass_decide(const long tagged[WORDCLASS_POS])
{
    int p;
    bool any = false;

    for (p = 0; p < WORDCLASS_POS; p++)
        any = any || tagged[p] >= 0;
    if (!any)
        return WORDCLASS_ABSENT;
    if (tagged[WORDCLASS_N] < 0)
        return WORDCLASS_OTHER;
    for (p = WORDCLASS_V; p < WORDCLASS_POS; p++)
        if (tagged[p] >= tagged[WORDCLASS_N])
            return WORDCLASS_OTHER;
    return WORDCLASS_NOUN;
}

/* WordNet's suffix rules (morphy), by part of speech: {ending, replacement}. */
struct rule {
    int pos;
    const char *end, *rep;
};

static const struct rule rules[] = {
    {WORDCLASS_N, "s", ""},      {WORDCLASS_N, "ses", "s"},   {WORDCLASS_N, "xes", "x"},
    {WORDCLASS_N, "zes", "z"},   {WORDCLASS_N, "ches", "ch"}, {WORDCLASS_N, "shes", "sh"},
    {WORDCLASS_N, "men", "man"}, {WORDCLASS_N, "ies", "y"},   {WORDCLASS_V, "s", ""},
    {WORDCLASS_V, "ies", "y"},   {WORDCLASS_V, "es", "e"},    {WORDCLASS_V, "es", ""},
    {WORDCLASS_V, "ed", "e"},    {WORDCLASS_V, "ed", ""},     {WORDCLASS_V, "ing", "e"},
    {WORDCLASS_V, "ing", ""},    {WORDCLASS_A, "er", ""},     {WORDCLASS_A, "est", ""},
    {WORDCLASS_A, "er", "e"},    {WORDCLASS_A, "est", "e"},
};

/* Lower-cases word into w (wsize bytes); false when it does not fit. */
static bool lower_copy(const char *word, char *w, size_t wsize)
{
    size_t i, n = strlen(word);

    if (n == 0 || n >= wsize)
        return false;
    for (i = 0; i <= n; i++)
        w[i] = word[i] >= 'A' && word[i] <= 'Z' ? (char)(word[i] - 'A' + 'a') : word[i];
    return true;
}

/* Clippings of English that WordNet does not record as its own words'
 * (wordclass.h): max as maximum, min as minimum, avg, approx, admin,
 * stats, info. */
static const char *const clippings[] = {"max",   "min",   "avg",  "approx",
                                        "admin", "stats", "info", NULL};

bool wordclass_informal(const char *word)
{
    char w[WORDNET_WORD_MAX], base[WORDNET_WORD_MAX + 4];
    const struct entry *e;
    size_t n, i, el;

    (void)wordclass_ready();
    if (!lower_copy(word, w, sizeof(w)))
        return false;
    if (words_is_bare_contraction(w) || words_in_list(w, clippings))
        return true;
    if ((e = find(w)) != NULL && tagged_max(e) <= 0 && e->full > 0)
        return true;
    n = strlen(w);
    for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        el = strlen(rules[i].end);
        if (rules[i].pos != WORDCLASS_N || n <= el || strcmp(w + n - el, rules[i].end) != 0)
            continue;
        memcpy(base, w, n - el);
        strcpy(base + n - el, rules[i].rep);
        if ((e = find(base)) != NULL && tagged_max(e) <= 0 && e->full > 0)
            return true;
    }
    return false;
}

enum wordclass wordclass_of(const char *word)
{
    char w[WORDNET_WORD_MAX], base[WORDNET_WORD_MAX + 4];
    long tagged[WORDCLASS_POS];
    const struct entry *e;
    size_t n = strlen(word), i, k;

    (void)wordclass_ready();
    if (table == NULL || n == 0 || n >= sizeof(w))
        return WORDCLASS_ABSENT;
    for (i = 0; i <= n; i++)
        w[i] = word[i] >= 'A' && word[i] <= 'Z' ? (char)(word[i] - 'A' + 'a') : word[i];
    for (k = 0; k < WORDCLASS_POS; k++)
        tagged[k] = -1;
    if ((e = find(w)) != NULL)
        for (k = 0; k < WORDCLASS_POS; k++) {
            if (e->tagged[k] > tagged[k])
                tagged[k] = e->tagged[k];
            if (e->exc[k] > tagged[k])
                tagged[k] = e->exc[k];
        }
    for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        size_t el = strlen(rules[i].end);
        if (n <= el || strcmp(w + n - el, rules[i].end) != 0)
            continue;
        memcpy(base, w, n - el);
        strcpy(base + n - el, rules[i].rep);
        if ((e = find(base)) != NULL && e->tagged[rules[i].pos] > tagged[rules[i].pos])
            tagged[rules[i].pos] = e->tagged[rules[i].pos];
    }
    return wordclass_decide(tagged);
}
