/*
 * Finding a quoted passage on a page; see match.h.
 */
#include "config.h"

#include <glib.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "export/match.h"
#include "util/alloc.h"

/* A text reduced to its folded letters and digits, each remembering the
 * bytes and the character it came from. */
struct norm {
    gunichar *c;
    size_t *byte, *byte_end, *chr;
    size_t n, cap;
};

static void push(struct norm *t, gunichar c, size_t byte, size_t byte_end, size_t chr)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->c = xrealloc(t->c, t->cap * sizeof(*t->c));
        t->byte = xrealloc(t->byte, t->cap * sizeof(size_t));
        t->byte_end = xrealloc(t->byte_end, t->cap * sizeof(size_t));
        t->chr = xrealloc(t->chr, t->cap * sizeof(size_t));
    }
    t->c[t->n] = c;
    t->byte[t->n] = byte;
    t->byte_end[t->n] = byte_end;
    t->chr[t->n] = chr;
    t->n++;
}

static void normalize(const char *s, size_t n, struct norm *t)
{
    size_t i = 0, ci = 0;

    memset(t, 0, sizeof(*t));
    while (i < n) {
        gunichar u = g_utf8_get_char_validated(s + i, (gssize)(n - i)), d[8];
        size_t len, k, j;

        if (u == (gunichar)-1 || u == (gunichar)-2) {
            i++;
            ci++;
            continue;
        }
        len = (size_t)g_utf8_skip[(unsigned char)s[i]];
        if (len > n - i)
            len = n - i;
        k = g_unichar_fully_decompose(u, TRUE, d, G_N_ELEMENTS(d));
        for (j = 0; j < k && j < G_N_ELEMENTS(d); j++)
            if (g_unichar_isalnum(d[j]))
                push(t, g_unichar_tolower(d[j]), i, i + len, ci);
        i += len;
        ci++;
    }
}

static void norm_free(struct norm *t)
{
    free(t->c);
    free(t->byte);
    free(t->byte_end);
    free(t->chr);
}

/* The first position of needle (m characters) in hay, or -1. */
static long find(const struct norm *hay, const gunichar *needle, size_t m)
{
    size_t i;

    if (m == 0 || m > hay->n)
        return -1;
    for (i = 0; i + m <= hay->n; i++)
        if (hay->c[i] == needle[0] && memcmp(hay->c + i, needle, m * sizeof(gunichar)) == 0)
            return (long)i;
    return -1;
}

/* The longest k in [lo, hi] such that the first (or, from_end, the last)
 * k of the qn characters q are on the page, found at *pos; 0 when not
 * even lo.  Being found is monotonic in k (a shorter beginning or end of
 * a found one is found too), so a binary search does. */
static size_t longest(const struct norm *page, const gunichar *q, size_t qn, bool from_end,
                      size_t lo, size_t hi, long *pos)
{
    size_t best = 0;

    while (lo <= hi) {
        size_t mid = lo + (hi - lo) / 2;
        long p = find(page, from_end ? q + qn - mid : q, mid);
        if (p >= 0) {
            best = mid;
            *pos = p;
            lo = mid + 1;
        } else {
            if (mid == 0)
                break;
            hi = mid - 1;
        }
    }
    return best;
}

/* Looks for one piece of the quote; true with *r set. */
static bool find_piece(const struct norm *page, const char *piece, size_t n, struct match_range *r)
{
    struct norm q;
    long pos = -1, ppos = -1, spos = -1;
    size_t len = 0, pre, suf;

    normalize(piece, n, &q);
    if (q.n >= 6)
        pos = find(page, q.c, q.n);
    if (pos >= 0) {
        len = q.n;
    } else if (q.n > MATCH_MIN_CHARS) {
        pre = longest(page, q.c, q.n, false, MATCH_MIN_CHARS, q.n - 1, &ppos);
        suf = longest(page, q.c, q.n, true, MATCH_MIN_CHARS, q.n - 1, &spos);
        /* which end of the quote is on this page */
        if (pre >= suf && pre > 0) {
            pos = ppos;
            len = pre;
        } else if (suf > 0) {
            pos = spos;
            len = suf;
        }
    }
    norm_free(&q);
    if (pos < 0 || len == 0)
        return false;
    r->byte_start = page->byte[pos];
    r->byte_end = page->byte_end[(size_t)pos + len - 1];
    r->char_start = page->chr[pos];
    r->char_end = page->chr[(size_t)pos + len - 1] + 1;
    return true;
}

size_t match_passage(const char *text, size_t n, const char *quote, struct match_range *out,
                     size_t max)
{
    struct norm page;
    const char *p = quote;
    size_t found = 0;

    normalize(text, n, &page);
    while (*p != '\0' && found < max) {
        /* pieces end at an ellipsis: "…" or "..." */
        const char *e1 = strstr(p, "\xE2\x80\xA6"), *e2 = strstr(p, "..."), *end;
        size_t skip;

        if (e1 != NULL && (e2 == NULL || e1 < e2)) {
            end = e1;
            skip = 3;
        } else if (e2 != NULL) {
            end = e2;
            skip = 3;
        } else {
            end = p + strlen(p);
            skip = 0;
        }
        if (find_piece(&page, p, (size_t)(end - p), &out[found]))
            found++;
        p = end + skip;
        while (skip > 0 && *p == '.')
            p++;
    }
    norm_free(&page);
    return found;
}
