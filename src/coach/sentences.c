/*
 * Sentences and terms; see sentences.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coach/sentences.h"
#include "library/embed_local.h"
#include "library/synonyms.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/text.h"

#define TERM_MAX_BYTES 48

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

size_t sentence_list_marker(const char *s, size_t n)
{
    size_t i = 0;

    if (n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+' || s[0] == '>') && s[1] == ' ')
        return 2;
    if (n >= 4 && memcmp(s, "\xe2\x80\xa2", 3) == 0 && is_space((unsigned char)s[3]))
        return 4; /* a PDF's bullet, U+2022 */
    while (i < n && i < 4 && isdigit((unsigned char)s[i]))
        i++;
    if (i > 0 && i + 1 < n && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ')
        return i + 2;
    return 0;
}

/* True when the word ending just before the period at s + at is an
 * abbreviation after which a period does not end a sentence. */
static bool abbreviation_before(const char *s, size_t start, size_t at)
{
    static const char *const abbrevs[] = {"e.g", "i.e", "etc", "vs", "dr", "mr", "mrs",
                                          "ms",  "pp",  "p",   "no", "cf", NULL};
    size_t b = at, i;

    while (b > start && !is_space((unsigned char)s[b - 1]) && s[b - 1] != '(')
        b--;
    for (i = 0; abbrevs[i] != NULL; i++)
        if (at - b == strlen(abbrevs[i]) && strncasecmp(s + b, abbrevs[i], at - b) == 0)
            return true;
    /* An initial: one capital letter ("J. Smith"). */
    return at - b == 1 && isupper((unsigned char)s[b]);
}

/* Returns the end (exclusive) of the sentence starting at s[start] in the
 * line s[..n), or n. */
static size_t sentence_end(const char *s, size_t start, size_t n)
{
    size_t i;

    for (i = start; i < n; i++) {
        size_t j, close;
        unsigned char next;
        if (s[i] != '.' && s[i] != '!' && s[i] != '?')
            continue;
        if (s[i] == '.' && abbreviation_before(s, start, i))
            continue;
        j = i + 1;
        /* closing quotes (straight, or U+201D / U+2019), brackets, emphasis */
        for (;;) {
            if (j < n && (s[j] == '"' || s[j] == '\'' || s[j] == ')' || s[j] == ']' || s[j] == '*'))
                j++;
            else if (j + 2 < n && (unsigned char)s[j] == 0xe2 && (unsigned char)s[j + 1] == 0x80
                     && ((unsigned char)s[j + 2] == 0x9d || (unsigned char)s[j + 2] == 0x99))
                j += 3;
            else
                break;
        }
        if (j >= n)
            return n;
        if (!is_space((unsigned char)s[j]))
            continue;
        close = j;
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        if (j >= n)
            return n;
        next = (unsigned char)s[j];
        if (isupper(next) || isdigit(next) || next == '"' || next == '(' || next == '['
            || next == '*' || next >= 0x80)
            return close;
    }
    return n;
}

size_t sentence_split(const char *text, struct sentence_span *out, size_t max)
{
    size_t n = strlen(text), pos = 0, count = 0;

    while (pos < n) {
        size_t eol = pos, s;
        while (eol < n && text[eol] != '\n')
            eol++;
        s = pos;
        while (s < eol && is_space((unsigned char)text[s]))
            s++;
        if (s < eol && text[s] == '#') {
            pos = eol + 1;
            continue;
        }
        s += sentence_list_marker(text + s, eol - s);
        count += sentence_split_range(text, s, eol,
                                      out != NULL ? out + (count < max ? count : max) : NULL,
                                      count < max ? max - count : 0);
        pos = eol + 1;
    }
    return count;
}

size_t sentence_split_range(const char *text, size_t from, size_t to, struct sentence_span *out,
                            size_t max)
{
    size_t s = from, e, count = 0;

    while (s < to) {
        size_t t;
        while (s < to && is_space((unsigned char)text[s]))
            s++;
        if (s >= to)
            break;
        e = sentence_end(text, s, to);
        t = e;
        while (t > s && is_space((unsigned char)text[t - 1]))
            t--;
        if (t > s) {
            if (out != NULL && count < max) {
                out[count].start = s;
                out[count].len = t - s;
            }
            count++;
        }
        s = e;
    }
    return count;
}

size_t sentence_words(const char *s, size_t n)
{
    size_t i = 0, words = 0;

    while (i < n) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        if (i < n)
            words++;
        while (i < n && !is_space((unsigned char)s[i]))
            i++;
    }
    return words;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static bool word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

uint64_t *terms_of(const char *s, size_t len, bool expand, size_t *n)
{
    struct buf expanded = BUF_INIT;
    const char *text = s;
    uint64_t *out = NULL;
    size_t cap = 0, count = 0, i = 0, w;
    char word[TERM_MAX_BYTES + 1];

    if (expand) {
        char *copy = xstrndup(s, len);
        synonyms_expand_text(copy, &expanded);
        free(copy);
        text = buf_str(&expanded);
        len = expanded.len;
    }
    while (i < len) {
        size_t start, wl;
        while (i < len && !word_byte((unsigned char)text[i]))
            i++;
        start = i;
        while (i < len && word_byte((unsigned char)text[i]))
            i++;
        wl = i - start;
        /* One-letter words are dropped, single digits kept ("Tier 3"). */
        if ((wl < 2 && !(wl == 1 && isdigit((unsigned char)text[start]))) || wl > TERM_MAX_BYTES)
            continue;
        for (w = 0; w < wl; w++)
            word[w] = (char)tolower((unsigned char)text[start + w]);
        word[wl] = '\0';
        if (embed_local_stop_word(word))
            continue;
        wl = embed_local_stem(word, wl);
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            out = xrealloc(out, cap * sizeof(*out));
        }
        out[count++] = fnv1a64(word, wl);
    }
    buf_free(&expanded);
    if (count > 1) {
        size_t j = 0;
        qsort(out, count, sizeof(*out), cmp_u64);
        for (i = 1; i < count; i++)
            if (out[i] != out[j])
                out[++j] = out[i];
        count = j + 1;
    }
    *n = count;
    return out;
}

bool terms_has(const uint64_t *a, size_t n, uint64_t h)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] == h)
            return true;
        if (a[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

size_t terms_overlap(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, k = 0;

    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            k++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return k;
}
