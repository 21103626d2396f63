/*
 * PDF text cleanup; see clean.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "library/clean.h"
#include "util/alloc.h"
#include "util/buf.h"

/* The letters of a word that end just before end (start at or after
 * text) and of the word that starts at from; their lengths. */
static size_t word_before(const char *text, const char *end)
{
    const char *s = end;
    while (s > text && isalpha((unsigned char)s[-1]))
        s--;
    return (size_t)(end - s);
}

static size_t word_after(const char *from)
{
    size_t n = 0;
    while (isalpha((unsigned char)from[n]))
        n++;
    return n;
}

bool clean_hyphen_is_hard(const char *whole, const char *left, size_t ln, const char *right,
                          size_t rn)
{
    const char *p;
    size_t n = ln + 1 + rn;

    if (whole == NULL || ln == 0 || rn == 0)
        return false;
    /* "left-right" elsewhere in the text, as a word of its own. */
    for (p = strstr(whole, "-"); p != NULL; p = strstr(p + 1, "-")) {
        const char *s = p - ln;
        if ((size_t)(p - whole) < ln || strncasecmp(s, left, ln) != 0
            || strncasecmp(p + 1, right, rn) != 0)
            continue;
        if ((s > whole && isalpha((unsigned char)s[-1])) || isalpha((unsigned char)s[n]))
            continue;
        return true;
    }
    return false;
}

void clean_dehyphenate(char *text, const char *whole)
{
    char *r = text, *w = text;

    while (*r != '\0') {
        if (r[0] == '-' && r[1] == '\n' && r > text && isalpha((unsigned char)r[-1])) {
            size_t k = 2;

            while (r[k] == ' ' || r[k] == '\t')
                k++;
            if (islower((unsigned char)r[k])) {
                /* A hyphen the word really has ("co-plan") stays: the
                 * hyphenated word is written so elsewhere in the text. */
                size_t ln = word_before(text, r);
                bool hard = clean_hyphen_is_hard(whole, r - ln, ln, r + k, word_after(r + k));
                if (hard)
                    *w++ = '-';
                r += k;
                continue;
            }
        }
        *w++ = *r++;
    }
    *w = '\0';
}

bool clean_is_page_number(const char *line, size_t n)
{
    const char *p = line, *end = line + n;
    const char *num;
    size_t len;

    while (p < end && (isspace((unsigned char)*p) || *p == '-' || *p == '|'))
        p++;
    while (end > p && (isspace((unsigned char)end[-1]) || end[-1] == '-' || end[-1] == '|'))
        end--;
    if ((size_t)(end - p) > 5 && strncasecmp(p, "page ", 5) == 0)
        p += 5;
    num = p;
    while (p < end && isdigit((unsigned char)*p))
        p++;
    len = (size_t)(p - num);
    if (len == 0) {
        while (p < end && strchr("ivxlcdmIVXLCDM", *p) != NULL)
            p++;
        len = (size_t)(p - num);
        return len > 0 && p == end && doc_is_roman(num, len);
    }
    if (len > 5)
        return false;
    if (p == end)
        return true;
    /* "12 of 40" */
    while (p < end && *p == ' ')
        p++;
    if ((size_t)(end - p) > 3 && strncmp(p, "of ", 3) == 0) {
        p += 3;
        while (p < end && isdigit((unsigned char)*p))
            p++;
        return p == end;
    }
    return false;
}

/* One line of a page: where it is and the key it is compared by. */
struct edge_line {
    size_t page, start, len; /* byte range in the page text */
    char *key;               /* trimmed, page label cut off; owned */
    bool top;
};

/* Returns the comparison key of a header line: trimmed, white space
 * collapsed, the page's label removed from either end. */
static char *line_key(const char *s, size_t n, const char *label)
{
    struct buf b = BUF_INIT;
    size_t i, ll = strlen(label);
    const char *k;
    size_t kn;
    bool space = false;

    for (i = 0; i < n; i++) {
        if (isspace((unsigned char)s[i])) {
            space = b.len > 0;
            continue;
        }
        if (space)
            buf_putc(&b, ' ');
        space = false;
        buf_putc(&b, s[i]);
    }
    k = buf_str(&b);
    kn = b.len;
    if (ll > 0 && kn > ll && strncmp(k, label, ll) == 0 && k[ll] == ' ') {
        k += ll + 1;
        kn -= ll + 1;
    }
    if (ll > 0 && kn > ll && strncmp(k + kn - ll, label, ll) == 0 && k[kn - ll - 1] == ' ')
        kn -= ll + 1;
    {
        char *key = xstrndup(k, kn);

        buf_free(&b);
        return key;
    }
}

/* Compares a header key with a title: ASCII case and white space runs
 * ignored. */
static bool same_title(const char *key, const char *title)
{
    while (*key != '\0' || *title != '\0') {
        if (isspace((unsigned char)*key) && isspace((unsigned char)*title)) {
            while (isspace((unsigned char)*key))
                key++;
            while (isspace((unsigned char)*title))
                title++;
            continue;
        }
        if (tolower((unsigned char)*key) != tolower((unsigned char)*title))
            return false;
        key++;
        title++;
    }
    return true;
}

/* The chapter page p falls in (the last one starting at or before it);
 * NULL before the first. */
static const struct doc_chapter *chapter_of(const struct doc *d, size_t p)
{
    const struct doc_chapter *c = NULL;
    size_t i;

    for (i = 0; i < d->n_chapters && d->chapters[i].page <= p; i++)
        c = &d->chapters[i];
    return c;
}

/* A top line that names its page's chapter (the outline's title): on the
 * chapter's first page it is the opener's own title and stays (a running
 * header repeating it elsewhere does not remove it); on any other page of
 * the chapter it is a running header, however few pages the chapter has.
 * Returns 1 to keep, -1 to drop, 0 when the rule does not apply. */
static int chapter_title_line(const struct doc *d, const struct edge_line *l)
{
    const struct doc_chapter *c = l->top ? chapter_of(d, l->page) : NULL;

    if (c == NULL || !same_title(l->key, c->title))
        return 0;
    return c->page == l->page ? 1 : -1;
}

/* Appends the first or last CLEAN_EDGE_LINES non-blank lines of page p. */
static void collect_edges(const struct doc *d, size_t p, bool top, struct edge_line **v, size_t *n,
                          size_t *cap)
{
    const char *t = d->pages[p].text;
    size_t len = strlen(t), found = 0;
    size_t pos = top ? 0 : len;

    while (found < CLEAN_EDGE_LINES) {
        size_t s, e;

        if (top) {
            if (pos >= len)
                break;
            s = pos;
            e = s;
            while (e < len && t[e] != '\n')
                e++;
            pos = e + 1;
        } else {
            if (pos == 0)
                break;
            e = pos;
            s = e;
            while (s > 0 && t[s - 1] != '\n')
                s--;
            pos = s > 0 ? s - 1 : 0;
            if (s == 0 && e == 0)
                break;
        }
        {
            size_t i;
            bool blank = true;

            for (i = s; i < e; i++)
                if (!isspace((unsigned char)t[i]))
                    blank = false;
            if (blank) {
                if (!top && s == 0)
                    break;
                continue;
            }
        }
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *v = xrealloc(*v, *cap * sizeof(**v));
        }
        (*v)[*n].page = p;
        (*v)[*n].start = s;
        (*v)[*n].len = e - s;
        (*v)[*n].top = top;
        (*v)[*n].key = line_key(t + s, e - s, d->pages[p].label);
        (*n)++;
        found++;
        if (!top && s == 0)
            break;
    }
}

void clean_headers(struct doc *d)
{
    struct edge_line *v = NULL;
    size_t n = 0, cap = 0, i, j, p;
    bool *drop;

    for (p = 0; p < d->n_pages; p++) {
        size_t first = n;

        collect_edges(d, p, true, &v, &n, &cap);
        collect_edges(d, p, false, &v, &n, &cap);
        /* A short page's top and bottom lines may be the same line. */
        for (i = first; i < n; i++)
            for (j = first; j < i; j++)
                if (v[j].start == v[i].start)
                    v[i].len = 0;
    }
    drop = xcalloc(n ? n : 1, sizeof(*drop));
    for (i = 0; i < n; i++) {
        size_t pages = 0, last_page = (size_t)-1;

        if (v[i].len == 0)
            continue;
        if (clean_is_page_number(d->pages[v[i].page].text + v[i].start, v[i].len)
            || v[i].key[0] == '\0') {
            drop[i] = true;
            continue;
        }
        if (chapter_title_line(d, &v[i]) != 0) {
            drop[i] = chapter_title_line(d, &v[i]) < 0;
            continue;
        }
        if (d->n_pages < CLEAN_MIN_REPEATS || strlen(v[i].key) > 120)
            continue;
        for (j = 0; j < n; j++)
            if (v[j].top == v[i].top && v[j].page != last_page && strcmp(v[j].key, v[i].key) == 0) {
                pages++;
                last_page = v[j].page;
            }
        drop[i] = pages >= CLEAN_MIN_REPEATS;
    }
    /* Blank dropped lines out (keeps the offsets of the others valid), then
     * squeeze each page. */
    for (i = 0; i < n; i++) {
        if (drop[i])
            memset(d->pages[v[i].page].text + v[i].start, ' ', v[i].len);
        free(v[i].key);
    }
    free(v);
    free(drop);
}

/* Rewrites a page: trailing spaces off every line, blank lines collapsed to
 * one (a paragraph break), no blank lines at either end. */
static void squeeze(char **text)
{
    struct buf b = BUF_INIT;
    const char *s = *text;
    int blank_run = 0;

    while (*s != '\0') {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        size_t start = 0;

        while (len > 0 && isspace((unsigned char)s[len - 1]))
            len--;
        while (start < len && isspace((unsigned char)s[start]))
            start++;
        if (start == len) {
            blank_run++;
        } else {
            if (b.len > 0)
                buf_puts(&b, blank_run > 0 ? "\n\n" : "\n");
            blank_run = 0;
            buf_append(&b, s + start, len - start);
        }
        s = nl ? nl + 1 : s + strlen(s);
    }
    free(*text);
    *text = buf_steal(&b);
}

void clean_doc(struct doc *d)
{
    struct buf whole = BUF_INIT;
    size_t p;

    clean_headers(d);
    for (p = 0; p < d->n_pages; p++) {
        squeeze(&d->pages[p].text);
        buf_puts(&whole, d->pages[p].text);
        buf_putc(&whole, '\n');
    }
    for (p = 0; p < d->n_pages; p++)
        clean_dehyphenate(d->pages[p].text, buf_str(&whole));
    /* A word split across a page break: the fragment on the next page joins
     * the earlier page, where the word begins. */
    for (p = 0; p + 1 < d->n_pages; p++) {
        char *t = d->pages[p].text, *next = d->pages[p + 1].text;
        size_t len = strlen(t), frag = 0;

        if (len < 2 || t[len - 1] != '-' || !isalpha((unsigned char)t[len - 2])
            || !islower((unsigned char)next[0]))
            continue;
        while (next[frag] != '\0' && !isspace((unsigned char)next[frag]))
            frag++;
        {
            struct buf b = BUF_INIT;
            size_t ln = word_before(t, t + len - 1);
            bool hard =
                clean_hyphen_is_hard(buf_str(&whole), t + len - 1 - ln, ln, next, word_after(next));

            buf_append(&b, t, hard ? len : len - 1);
            buf_append(&b, next, frag);
            free(d->pages[p].text);
            d->pages[p].text = buf_steal(&b);
            while (next[frag] == ' ' || next[frag] == '\n')
                frag++;
            memmove(next, next + frag, strlen(next + frag) + 1);
        }
    }
    buf_free(&whole);
}

/* Returns the first non-blank line at or after *pos in t (n bytes in *len)
 * and moves *pos past it; NULL when there is none. */
static const char *next_line(const char *t, size_t *pos, size_t *len)
{
    while (t[*pos] != '\0') {
        const char *s = t + *pos;
        const char *nl = strchr(s, '\n');
        size_t l = nl ? (size_t)(nl - s) : strlen(s);

        *pos += l + (nl ? 1 : 0);
        while (l > 0 && isspace((unsigned char)s[l - 1]))
            l--;
        while (l > 0 && isspace((unsigned char)*s)) {
            s++;
            l--;
        }
        if (l > 0) {
            *len = l;
            return s;
        }
    }
    return NULL;
}

size_t clean_detect_chapters(struct doc *d)
{
    size_t p, found = 0;

    if (d->n_chapters > 0)
        return 0;
    for (p = 0; p < d->n_pages; p++) {
        size_t pos = 0, len = 0, len2 = 0;
        const char *line = next_line(d->pages[p].text, &pos, &len);
        char *copy, *number = NULL, *title = NULL;

        if (line == NULL || len > 80 || line[len - 1] == '.')
            continue;
        copy = xstrndup(line, len);
        if (doc_parse_heading(copy, &number, &title)) {
            /* A lone "Chapter 3": the title is on the next line. */
            if (strcmp(title, copy) == 0) {
                const char *l2 = next_line(d->pages[p].text, &pos, &len2);

                if (l2 != NULL && len2 <= 80 && l2[len2 - 1] != '.') {
                    free(title);
                    title = xstrndup(l2, len2);
                }
            }
            doc_add_chapter(d, number, title, p, 0);
            found++;
        }
        free(copy);
        free(number);
        free(title);
    }
    return found;
}
