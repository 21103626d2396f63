/*
 * The local embedder: signed feature hashing ("the hashing trick") of
 * stemmed words, word bigrams and character trigrams, after PLC acronyms
 * are expanded.  No network, no model files, deterministic.  What it is and
 * what it cannot do is written down in src/library/README.md.
 *
 *   1. synonyms_expand_text(): lower-case words, plus each acronym's phrase
 *      and each phrase's acronym;
 *   2. drop stop words (a fixed English list) and words of one letter;
 *   3. stem each word with a light suffix stripper (stem() below);
 *   4. features: each stem (weight 1.0), each pair of adjacent kept stems
 *      (0.5), each character trigram of "^stem$" (0.25 / number of its
 *      trigrams, so a long word does not outweigh a short one);
 *   5. each feature hashes (FNV-1a 64, a different seed per kind) to one of
 *      N dimensions and a sign; a feature seen tf times adds
 *      sign * weight * (1 + ln tf) (sublinear term frequency);
 *   6. the vector is L2-normalised (all zeros when there is no feature).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library/embed.h"
#include "library/embed_local.h"
#include "library/synonyms.h"
#include "util/alloc.h"
#include "util/buf.h"

static const char *const stop_words[] = {
    "a",       "about",   "above",  "after",  "again", "all",    "also",    "am",       "an",
    "and",     "any",     "are",    "as",     "at",    "be",     "because", "been",     "before",
    "being",   "between", "both",   "but",    "by",    "can",    "could",   "did",      "do",
    "does",    "doing",   "down",   "during", "each",  "few",    "for",     "from",     "further",
    "get",     "got",     "had",    "has",    "have",  "having", "he",      "her",      "here",
    "hers",    "him",     "his",    "how",    "i",     "if",     "in",      "into",     "is",
    "it",      "its",     "itself", "just",   "me",    "might",  "more",    "most",     "must",
    "my",      "no",      "nor",    "not",    "now",   "of",     "off",     "on",       "once",
    "one",     "only",    "or",     "other",  "our",   "ours",   "out",     "over",     "own",
    "same",    "she",     "should", "so",     "some",  "such",   "than",    "that",     "the",
    "their",   "theirs",  "them",   "then",   "there", "these",  "they",    "this",     "those",
    "through", "to",      "too",    "under",  "until", "up",     "us",      "very",     "was",
    "we",      "were",    "what",   "when",   "where", "which",  "while",   "who",      "whom",
    "why",     "will",    "with",   "would",  "you",   "your",   "yours",   "yourself", "use",
    "using",   "way",     "ways",   "make",   "good",  "best",   "really",  "thing",    "things",
    "need",    "want",    "know",   "like",   "tips",  "help",   "many",    "much",     "every",
    "s",       "t",       "don",    "doesn",  "isn",   "let",    "shall",   "may",
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool embed_local_stop_word(const char *w)
{
    static const char **sorted;
    static size_t n;

    if (sorted == NULL) { /* sorted once per process; never freed */
        n = sizeof(stop_words) / sizeof(stop_words[0]);
        sorted = xmalloc(n * sizeof(*sorted));
        memcpy(sorted, stop_words, n * sizeof(*sorted));
        qsort(sorted, n, sizeof(*sorted), cmp_str);
    }
    return bsearch(&w, sorted, n, sizeof(*sorted), cmp_str) != NULL;
}

static bool ends_with(const char *w, size_t len, const char *suf)
{
    size_t n = strlen(suf);
    return len > n && memcmp(w + len - n, suf, n) == 0;
}

static bool vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static bool has_vowel(const char *w, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (vowel(w[i]))
            return true;
    return false;
}

size_t embed_local_stem(char *w, size_t len)
{
    /* Longest suffixes first; each strip keeps a stem of >= 3 bytes that
     * still has a vowel.  Not Porter: a small, predictable stripper. */
    static const char *const sufs[] = {
        "izations", "ization", "ational", "fulness", "iveness", "ations", "ation", "ments",
        "ment",     "ness",    "ities",   "ity",     "ings",    "ing",    "ized",  "izes",
        "ize",      "ies",     "ied",     "ers",     "er",      "edly",   "ed",    "ly",
        "ives",     "ive",     "ful",     "als",     "al",      "es",     "s",
    };
    size_t i;

    if (len <= 3)
        return len;
    for (i = 0; i < sizeof(sufs) / sizeof(sufs[0]); i++) {
        size_t n = strlen(sufs[i]);
        if (!ends_with(w, len, sufs[i]) || len - n < 3 || !has_vowel(w, len - n))
            continue;
        if (strcmp(sufs[i], "s") == 0 && (w[len - 2] == 's' || w[len - 2] == 'u'))
            return len; /* class, focus */
        if (strcmp(sufs[i], "ies") == 0 || strcmp(sufs[i], "ied") == 0) {
            len -= n;
            w[len++] = 'y';
            w[len] = '\0';
            return len;
        }
        len -= n;
        /* Undouble a final consonant: planning -> plann -> plan. */
        if (len > 3 && w[len - 1] == w[len - 2] && !vowel(w[len - 1]) && w[len - 1] != 'l'
            && w[len - 1] != 's')
            len--;
        /* Drop a final e so "assess" and "assessed"... and "rate"/"rating"
         * meet: rating -> rat, rate -> rat. */
        if (len > 3 && w[len - 1] == 'e')
            len--;
        w[len] = '\0';
        return len;
    }
    if (len > 3 && w[len - 1] == 'e') {
        w[--len] = '\0';
    }
    return len;
}

static uint64_t fnv1a(uint64_t seed, const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    /* Final avalanche (from MurmurHash3's fmix64). */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/* One hashed feature: index, sign and weight, before term-frequency
 * scaling. */
struct feature {
    uint64_t hash;
    float weight;
};

static int cmp_feature(const void *a, const void *b)
{
    const struct feature *x = a, *y = b;
    return x->hash < y->hash ? -1 : x->hash > y->hash;
}

#define SEED_WORD 0x9e3779b97f4a7c15ULL
#define SEED_BIGRAM 0xc2b2ae3d27d4eb4fULL
#define SEED_TRIGRAM 0x165667b19e3779f9ULL

/* The features of one text, in the order its words come. */
struct features {
    struct feature *f; /* owned: xrealloc()ed by add_word(), freed by embed_local() */
    size_t n, cap;
    char prev[64]; /* the last kept stem, for the next bigram ("" at first) */
};

/* Copies the next word of *p (space-separated, cut to 62 bytes) into w and
 * moves *p past it and its space; returns the word's length. */
static size_t next_word(const char **p, char w[64])
{
    const char *start = *p;
    size_t len;

    while (**p != '\0' && **p != ' ')
        (*p)++;
    len = (size_t)(*p - start);
    if (**p == ' ')
        (*p)++;
    if (len >= 64 - 1)
        len = 64 - 2;
    memcpy(w, start, len);
    w[len] = '\0';
    return len;
}

/* Adds the features of the stem w[0..len): the word, the bigram with the
 * stem before it, its character trigrams of ^w$ (len of them). */
static void add_word(struct features *fs, const char *w, size_t len)
{
    char tri[70];
    size_t t;

    if (fs->n + len + 4 > fs->cap) {
        fs->cap = (fs->cap + len + 4) * 2;
        fs->f = xrealloc(fs->f, fs->cap * sizeof(*fs->f));
    }
    fs->f[fs->n++] = (struct feature){fnv1a(SEED_WORD, w, len), 1.0f};
    if (fs->prev[0] != '\0') {
        char bi[130];
        int n = snprintf(bi, sizeof(bi), "%s %s", fs->prev, w);
        fs->f[fs->n++] = (struct feature){fnv1a(SEED_BIGRAM, bi, (size_t)n), 0.5f};
    }
    memcpy(fs->prev, w, len + 1);
    tri[0] = '^';
    memcpy(tri + 1, w, len);
    tri[len + 1] = '$';
    for (t = 0; t + 3 <= len + 2; t++)
        fs->f[fs->n++] = (struct feature){fnv1a(SEED_TRIGRAM, tri + t, 3), 0.25f / (float)len};
}

/* Adds each distinct feature of fs to out[0..dims): sign * weight *
 * (1 + ln tf), weight the largest of its copies.  Sorts fs first so equal
 * features are adjacent (tf = run length) and the sum is taken in a fixed
 * order: the result is bit-for-bit deterministic. */
static void add_features(struct features *fs, size_t dims, float *out)
{
    struct feature *f = fs->f;
    size_t nf = fs->n, i;

    if (nf > 0)
        qsort(f, nf, sizeof(*f), cmp_feature);
    for (i = 0; i < nf;) {
        size_t j = i;
        float w = 0;
        double tf;
        while (j < nf && f[j].hash == f[i].hash) {
            if (f[j].weight > w)
                w = f[j].weight;
            j++;
        }
        tf = 1.0 + log((double)(j - i));
        {
            size_t idx = (size_t)((f[i].hash >> 1) % dims);
            float sign = (f[i].hash & 1) ? 1.0f : -1.0f;
            out[idx] += sign * w * (float)tf;
        }
        i = j;
    }
}

/* L2-normalises out[0..dims) (left all zeros when it is). */
static void normalise(float *out, size_t dims)
{
    double norm = 0;
    size_t i;

    for (i = 0; i < dims; i++)
        norm += (double)out[i] * out[i];
    if (norm > 0) {
        float inv = (float)(1.0 / sqrt(norm));
        for (i = 0; i < dims; i++)
            out[i] *= inv;
    }
}

void embed_local(const char *text, size_t dims, float *out)
{
    struct buf expanded = BUF_INIT; /* owned: freed once its words are read */
    struct features fs = {.f = NULL, .n = 0, .cap = 0, .prev = ""};
    const char *p;

    memset(out, 0, dims * sizeof(*out));
    synonyms_expand_text(text, &expanded);
    for (p = buf_str(&expanded); *p != '\0';) {
        char w[64];
        size_t len = next_word(&p, w);

        if (len < 2 || embed_local_stop_word(w))
            continue;
        add_word(&fs, w, embed_local_stem(w, len));
    }
    buf_free(&expanded);
    add_features(&fs, dims, out);
    free(fs.f);
    normalise(out, dims);
}
