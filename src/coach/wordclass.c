/*
 * Whether a word names a thing; see wordclass.h.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coach/wordclass.h"
#include "library/wordnet.h"
#include "util/alloc.h"

#define SLOTS (1u << 18) /* WordNet 3.0: about 150,000 one-word lemmas and forms */

/* One word: its own tagged sense count in each part of speech (-1: none)
 * and the largest of its exception-list bases' (-1: none). */
struct entry {
    char *word; /* owned */
    long tagged[WORDCLASS_POS];
    long exc[WORDCLASS_POS];
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
    return true;
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

enum wordclass wordclass_of(const char *word)
{
    char w[WORDNET_WORD_MAX], base[WORDNET_WORD_MAX + 4];
    long tagged[WORDCLASS_POS];
    const struct entry *e;
    size_t n = strlen(word), i, k;

    if (!tried) {
        char err[256];
        (void)wordclass_load(WORDNET_DIR_DEFAULT, err, sizeof(err));
    }
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
