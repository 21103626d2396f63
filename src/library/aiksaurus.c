/*
 * Aiksaurus's thesaurus files; see aiksaurus.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library/aiksaurus.h"
#include "util/alloc.h"

#define AIKSAURUS_FILE_MAX (8L << 20) /* a file larger than this is refused */
#define AIKSAURUS_END 0xFFFFu

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* Copies the spelling s[0..n) into out: lower case, ':' as a space.
 * Returns false for an empty or too long spelling, or one with a byte
 * that is not printable ASCII (the files are Latin-1). */
static bool word_copy(const unsigned char *s, size_t n, char out[AIKSAURUS_WORD_MAX])
{
    size_t i;

    if (n == 0 || n >= AIKSAURUS_WORD_MAX)
        return false;
    for (i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c < 0x20 || c >= 0x7f)
            return false;
        out[i] = c == ':' ? ' ' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (char)c;
    }
    out[n] = '\0';
    return true;
}

size_t aiksaurus_parse(const unsigned char *words, size_t wlen, const unsigned char *meanings,
                       size_t mlen, aiksaurus_fn fn, void *ctx)
{
    size_t *off = NULL, nw = 0, cap = 0, pos = 0, nmeanings = 0;
    size_t member[AIKSAURUS_MEANING_MAX];

    /* The words: each spelling's offset (its meaning numbers are not
     * needed: meanings.dat lists every meaning's words). */
    while (words != NULL && pos < wlen) {
        const unsigned char *nul = memchr(words + pos, '\0', wlen - pos);
        size_t p;
        if (nul == NULL)
            break;
        p = (size_t)(nul - words) + 1;
        while (p + 1 < wlen && be16(words + p) != AIKSAURUS_END)
            p += 2;
        if (p + 1 >= wlen)
            break; /* truncated: no end mark */
        if (nw == cap) {
            cap = cap ? 2 * cap : 4096;
            off = xrealloc(off, cap * sizeof(*off));
        }
        off[nw++] = pos;
        pos = p + 2;
    }
    pos = 0;
    while (meanings != NULL && pos + 4 <= mlen) {
        size_t n = 0, i, j;
        char a[AIKSAURUS_WORD_MAX], b[AIKSAURUS_WORD_MAX];
        pos += 4; /* the two title words */
        while (pos + 1 < mlen && be16(meanings + pos) != AIKSAURUS_END) {
            unsigned k = be16(meanings + pos);
            if (k < nw && n < AIKSAURUS_MEANING_MAX)
                member[n++] = k;
            pos += 2;
        }
        if (pos + 1 >= mlen)
            break; /* truncated: no end mark */
        pos += 2;
        nmeanings++;
        for (i = 0; i < n; i++) {
            const unsigned char *wi = words + off[member[i]];
            if (!word_copy(wi, strlen((const char *)wi), a))
                continue;
            for (j = 0; j < n; j++) {
                const unsigned char *wj = words + off[member[j]];
                if (j != i && word_copy(wj, strlen((const char *)wj), b) && strcmp(a, b) != 0)
                    fn(ctx, a, b);
            }
        }
    }
    free(off);
    return nmeanings;
}

/* Reads dir/name into *bytes (xmalloc'd, the caller frees) and *len. */
static bool read_file(const char *dir, const char *name, unsigned char **bytes, size_t *len,
                      char *err, size_t errlen)
{
    char path[4096];
    FILE *fp;
    long size;

    *bytes = NULL;
    *len = 0;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fp = fopen(path, "rb");
    if (fp == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || size > AIKSAURUS_FILE_MAX
        || fseek(fp, 0, SEEK_SET) != 0) {
        snprintf(err, errlen, "%s: cannot be read (or larger than %ld bytes)", path,
                 AIKSAURUS_FILE_MAX);
        fclose(fp);
        return false;
    }
    *bytes = xmalloc((size_t)size + 1);
    *len = fread(*bytes, 1, (size_t)size, fp);
    fclose(fp);
    return true;
}

/* A pair aiksaurus_each() holds back until the files are known good. */
struct counted {
    size_t n;
};

static void count_pair(void *ctx, const char *word, const char *related)
{
    (void)word;
    (void)related;
    ((struct counted *)ctx)->n++;
}

bool aiksaurus_each(const char *dir, aiksaurus_fn fn, void *ctx, char *err, size_t errlen)
{
    unsigned char *w = NULL, *m = NULL;
    size_t wlen, mlen;
    struct counted c = {0};
    bool ok = read_file(dir, "words.dat", &w, &wlen, err, errlen)
              && read_file(dir, "meanings.dat", &m, &mlen, err, errlen);

    /* Words must end in a NUL for strlen() above: a spelling runs to the
     * NUL memchr() found, so only complete records are used. */
    if (ok && (aiksaurus_parse(w, wlen, m, mlen, count_pair, &c) == 0 || c.n == 0)) {
        snprintf(err, errlen, "%s: no meaning could be read", dir);
        ok = false;
    }
    if (ok)
        aiksaurus_parse(w, wlen, m, mlen, fn, ctx);
    free(w);
    free(m);
    return ok;
}
