/*
 * The per-process stem cache; see stem_cache.h.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "library/stem_cache.h"
#include "util/alloc.h"
#include "util/text.h"

struct slot {
    unsigned char wlen; /* 0: free */
    unsigned char slen; /* 0: the word is dropped */
    char word[ANALYZE_WORD_MAX];
    char stem[ANALYZE_TERM_MAX];
};

static struct slot *slots; /* STEM_CACHE_SLOTS; owned here, freed at exit */
static size_t used;
static unsigned long n_hits, n_added;
static bool disabled;

static void cache_free(void)
{
    free(slots);
    slots = NULL;
    used = 0;
}

/* The slot holding w, or the free slot where it would go. */
static struct slot *find(const char *w, size_t len)
{
    size_t i = (size_t)fnv1a64(w, len) & (STEM_CACHE_SLOTS - 1);

    while (slots[i].wlen != 0 && (slots[i].wlen != len || memcmp(slots[i].word, w, len) != 0))
        i = (i + 1) & (STEM_CACHE_SLOTS - 1);
    return &slots[i];
}

bool stem_cache_get(const char *w, size_t len, char out[ANALYZE_TERM_MAX], size_t *n)
{
    const struct slot *s;

    if (disabled || slots == NULL || len < 1 || len > ANALYZE_WORD_MAX)
        return false;
    s = find(w, len);
    if (s->wlen == 0)
        return false;
    memcpy(out, s->stem, (size_t)s->slen + 1);
    *n = s->slen;
    n_hits++;
    return true;
}

void stem_cache_put(const char *w, size_t len, const char *stem, size_t n)
{
    struct slot *s;

    if (disabled || len < 1 || len > ANALYZE_WORD_MAX || n > ANALYZE_WORD_MAX
        || (n > 0 && stem == NULL))
        return;
    if (slots == NULL) {
        slots = xcalloc(STEM_CACHE_SLOTS, sizeof(*slots));
        atexit(cache_free); /* so that leak checkers see it released */
    }
    if (used >= STEM_CACHE_SLOTS / 4 * 3) { /* full enough: start again */
        memset(slots, 0, STEM_CACHE_SLOTS * sizeof(*slots));
        used = 0;
    }
    s = find(w, len);
    if (s->wlen == 0)
        used++;
    s->wlen = (unsigned char)len;
    memcpy(s->word, w, len);
    s->slen = (unsigned char)n;
    if (n > 0)
        memcpy(s->stem, stem, n);
    s->stem[n] = '\0';
    n_added++;
}

void stem_cache_counts(unsigned long *hits, unsigned long *added, size_t *in_use)
{
    *hits = n_hits;
    *added = n_added;
    *in_use = used;
}

void stem_cache_enable(bool on)
{
    disabled = !on;
}
