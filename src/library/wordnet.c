/*
 * WordNet 3.0's database files; see wordnet.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library/wordnet.h"
#include "util/alloc.h"

#define WORDNET_FILE_MAX (64L << 20) /* a data file larger than this is refused */

/* A cursor over the space-separated fields of one line. */
struct fields {
    const char *p, *end;
};

/* The next field (start and length); false at the end of the line.  A
 * '|' field (the gloss) ends the line too. */
static bool next_field(struct fields *f, const char **s, size_t *n)
{
    while (f->p < f->end && *f->p == ' ')
        f->p++;
    if (f->p >= f->end || *f->p == '\n' || *f->p == '|')
        return false;
    *s = f->p;
    while (f->p < f->end && *f->p != ' ' && *f->p != '\n')
        f->p++;
    *n = (size_t)(f->p - *s);
    return true;
}

/* Parses a field of digits (base 10 or 16) into *v, at most 9 digits. */
static bool number(struct fields *f, int base, long *v)
{
    const char *s;
    size_t n, i;
    long x = 0;

    if (!next_field(f, &s, &n) || n == 0 || n > 9)
        return false;
    for (i = 0; i < n; i++) {
        int d;
        if (s[i] >= '0' && s[i] <= '9')
            d = s[i] - '0';
        else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
            d = s[i] - 'a' + 10;
        else if (base == 16 && s[i] >= 'A' && s[i] <= 'F')
            d = s[i] - 'A' + 10;
        else
            return false;
        x = x * base + d;
    }
    *v = x;
    return true;
}

static bool pos_char(const char *s, size_t n, char *pos)
{
    if (n != 1 || s[0] == '\0' || strchr("nvasr", s[0]) == NULL)
        return false;
    *pos = s[0] == 's' ? 'a' : s[0];
    return true;
}

/* Copies a word into out (lower case, an adjective's "(a)" marker cut);
 * false when it does not fit or is empty. */
static bool word_copy(const char *s, size_t n, char out[WORDNET_WORD_MAX])
{
    size_t i;
    const char *paren = memchr(s, '(', n);

    if (paren != NULL)
        n = (size_t)(paren - s);
    if (n == 0 || n >= WORDNET_WORD_MAX)
        return false;
    for (i = 0; i < n; i++) {
        char c = s[i];
        /* WordNet writes a word's spaces as '_': a control byte (a NUL
         * above all, which would cut the word short) is no word */
        if ((unsigned char)c <= ' ' || c == 0x7f)
            return false;
        out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    out[n] = '\0';
    return true;
}

bool wordnet_parse_index(const char *line, size_t len, struct wordnet_index_entry *e)
{
    struct fields f = {line, line + len};
    const char *s;
    size_t n;
    long synsets, pointers, i, tagged, offset;

    memset(e, 0, sizeof(*e));
    if (len == 0 || line[0] == ' ')
        return false;
    if (!next_field(&f, &s, &n) || !word_copy(s, n, e->lemma))
        return false;
    if (!next_field(&f, &s, &n) || !pos_char(s, n, &e->pos))
        return false;
    if (!number(&f, 10, &synsets) || synsets < 1 || !number(&f, 10, &pointers))
        return false;
    for (i = 0; i < pointers; i++)
        if (!next_field(&f, &s, &n))
            return false;
    /* sense_cnt, tagsense_cnt, then the synsets, most frequent first. */
    if (!number(&f, 10, &i) || !number(&f, 10, &tagged) || tagged < 0 || !number(&f, 10, &offset))
        return false;
    e->tagged = tagged;
    e->first_offset = offset;
    return true;
}

void wordnet_synset_free(struct wordnet_synset *s)
{
    if (s == NULL)
        return;
    free(s->words);
    free(s->ptrs);
    memset(s, 0, sizeof(*s));
}

bool wordnet_parse_synset(const char *line, size_t len, struct wordnet_synset *s)
{
    struct fields f = {line, line + len};
    const char *t, *sym;
    size_t n, nsym;
    long v, words, pointers, i;
    char pos;

    memset(s, 0, sizeof(*s));
    /* offset, lex_filenum, ss_type */
    if (!number(&f, 10, &v) || !number(&f, 10, &v) || !next_field(&f, &t, &n)
        || !pos_char(t, n, &pos))
        return false;
    if (!number(&f, 16, &words) || words < 1 || words > 255)
        return false;
    s->words = xcalloc((size_t)words, sizeof(*s->words));
    for (i = 0; i < words; i++) {
        if (!next_field(&f, &t, &n) || !number(&f, 16, &v))
            goto bad;
        if (word_copy(t, n, s->words[s->nwords]))
            s->nwords++;
    }
    if (!number(&f, 10, &pointers) || pointers < 0 || pointers > 9999)
        goto bad;
    s->ptrs = xcalloc(pointers ? (size_t)pointers : 1, sizeof(*s->ptrs));
    for (i = 0; i < pointers; i++) {
        struct wordnet_pointer *p = &s->ptrs[s->nptrs];
        long offset;
        if (!next_field(&f, &sym, &nsym) || !number(&f, 10, &offset) || !next_field(&f, &t, &n)
            || !pos_char(t, n, &p->pos) || !next_field(&f, &t, &n) || n != 4)
            goto bad;
        if (nsym >= 1 && nsym <= 2 && sym[0] == '@' && (nsym == 1 || sym[1] == 'i'))
            p->rel = WORDNET_HYPERNYM;
        else if (nsym >= 1 && nsym <= 2 && sym[0] == '~' && (nsym == 1 || sym[1] == 'i'))
            p->rel = WORDNET_HYPONYM;
        else
            continue;
        p->offset = offset;
        s->nptrs++;
    }
    return true;
bad:
    wordnet_synset_free(s);
    return false;
}

/* A data file in memory. */
struct data_file {
    char *bytes;
    size_t len;
};

static bool read_file(const char *dir, const char *name, struct data_file *d, char *err,
                      size_t errlen)
{
    char path[4096];
    FILE *fp;
    long size;

    d->bytes = NULL;
    d->len = 0;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fp = fopen(path, "rb");
    if (fp == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || size > WORDNET_FILE_MAX
        || fseek(fp, 0, SEEK_SET) != 0) {
        snprintf(err, errlen, "%s: cannot be read (or larger than %ld bytes)", path,
                 WORDNET_FILE_MAX);
        fclose(fp);
        return false;
    }
    d->bytes = xmalloc((size_t)size + 1);
    d->len = fread(d->bytes, 1, (size_t)size, fp);
    d->bytes[d->len] = '\0';
    fclose(fp);
    return true;
}

/* The synset at a byte offset of a data file: it must start a line. */
static bool synset_at(const struct data_file *d, long offset, struct wordnet_synset *s)
{
    const char *p, *nl;

    if (offset < 0 || (size_t)offset >= d->len || (offset > 0 && d->bytes[offset - 1] != '\n'))
        return false;
    p = d->bytes + offset;
    nl = memchr(p, '\n', d->len - (size_t)offset);
    return wordnet_parse_synset(p, nl ? (size_t)(nl - p) : d->len - (size_t)offset, s);
}

static const char *const pos_names[] = {"noun", "verb", "adj", "adv"};
static const char pos_chars[] = "nvar";

static const struct data_file *data_of(const struct data_file *data, char pos)
{
    const char *c = strchr(pos_chars, pos);
    return c != NULL && *c != '\0' ? &data[c - pos_chars] : NULL;
}

/* Calls fn for the words of synset s (other than the lemma) with rel. */
static void words_of(const struct wordnet_synset *s, const char *lemma, enum wordnet_rel rel,
                     wordnet_fn fn, void *ctx)
{
    size_t i;
    for (i = 0; i < s->nwords; i++)
        if (strcmp(s->words[i], lemma) != 0)
            fn(ctx, lemma, s->words[i], rel);
}

bool wordnet_each(const char *dir, wordnet_fn fn, void *ctx, char *err, size_t errlen)
{
    struct data_file data[4];
    size_t k;
    bool ok = true;

    memset(data, 0, sizeof(data));
    for (k = 0; k < 4 && ok; k++) {
        char name[16];
        snprintf(name, sizeof(name), "data.%s", pos_names[k]);
        ok = read_file(dir, name, &data[k], err, errlen);
    }
    for (k = 0; k < 4 && ok; k++) {
        struct data_file index;
        const char *p, *end;
        char name[16];

        snprintf(name, sizeof(name), "index.%s", pos_names[k]);
        if (!(ok = read_file(dir, name, &index, err, errlen)))
            break;
        for (p = index.bytes, end = index.bytes + index.len; p < end;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
            struct wordnet_index_entry e;
            struct wordnet_synset s;

            if (wordnet_parse_index(p, len, &e) && e.pos == pos_chars[k]
                && synset_at(&data[k], e.first_offset, &s)) {
                size_t i;
                words_of(&s, e.lemma, WORDNET_SYNONYM, fn, ctx);
                for (i = 0; i < s.nptrs; i++) {
                    const struct data_file *d = data_of(data, s.ptrs[i].pos);
                    struct wordnet_synset r;
                    if (d != NULL && synset_at(d, s.ptrs[i].offset, &r)) {
                        words_of(&r, e.lemma, s.ptrs[i].rel, fn, ctx);
                        wordnet_synset_free(&r);
                    }
                }
                wordnet_synset_free(&s);
            }
            p += len + 1;
        }
        free(index.bytes);
    }
    for (k = 0; k < 4; k++)
        free(data[k].bytes);
    return ok;
}

bool wordnet_parse_exc(const char *line, size_t len, struct wordnet_exc *x)
{
    struct fields f = {line, line + len};
    const char *s;
    size_t n;

    memset(x, 0, sizeof(*x));
    if (!next_field(&f, &s, &n) || !word_copy(s, n, x->word))
        return false;
    while (x->nbases < WORDNET_EXC_BASES && next_field(&f, &s, &n))
        if (word_copy(s, n, x->bases[x->nbases]))
            x->nbases++;
    return x->nbases > 0;
}

bool wordnet_each_index(const char *dir, wordnet_index_fn on_index, wordnet_exc_fn on_exc,
                        void *ctx, char *err, size_t errlen)
{
    size_t k;

    for (k = 0; k < 8; k++) {
        struct data_file file;
        const char *p, *end;
        char name[16];

        snprintf(name, sizeof(name), k < 4 ? "index.%s" : "%s.exc", pos_names[k % 4]);
        if (!read_file(dir, name, &file, err, errlen)) {
            if (k < 4)
                return false;
            continue;
        }
        for (p = file.bytes, end = file.bytes + file.len; p < end;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
            struct wordnet_index_entry e;
            struct wordnet_exc x;

            if (k < 4 && wordnet_parse_index(p, len, &e) && e.pos == pos_chars[k])
                on_index(ctx, &e);
            else if (k >= 4 && wordnet_parse_exc(p, len, &x))
                on_exc(ctx, pos_chars[k % 4], &x);
            p += len + 1;
        }
        free(file.bytes);
    }
    return true;
}

bool wordnet_each_synset(const char *dir, char pos, wordnet_synset_fn fn, void *ctx, char *err,
                         size_t errlen)
{
    struct data_file file;
    const char *p, *end, *c = strchr(pos_chars, pos);
    char name[16];

    if (pos == '\0' || c == NULL) {
        snprintf(err, errlen, "no part of speech '%c'", pos);
        return false;
    }
    snprintf(name, sizeof(name), "data.%s", pos_names[c - pos_chars]);
    if (!read_file(dir, name, &file, err, errlen))
        return false;
    for (p = file.bytes, end = file.bytes + file.len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        struct wordnet_synset s;

        if (len > 0 && p[0] != ' ' && wordnet_parse_synset(p, len, &s)) {
            fn(ctx, &s);
            wordnet_synset_free(&s);
        }
        p += len + 1;
    }
    free(file.bytes);
    return true;
}
