/*
 * The document model; see doc.h.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library/doc.h"
#include "util/alloc.h"

void doc_init(struct doc *d, enum doc_format format)
{
    memset(d, 0, sizeof(*d));
    d->format = format;
}

void doc_free(struct doc *d)
{
    size_t i;

    if (d == NULL)
        return;
    free(d->title);
    for (i = 0; i < d->n_authors; i++)
        free(d->authors[i]);
    free(d->authors);
    free(d->edition);
    free(d->isbn);
    free(d->sku);
    free(d->product_url);
    for (i = 0; i < d->n_pages; i++) {
        free(d->pages[i].label);
        free(d->pages[i].text);
    }
    free(d->pages);
    for (i = 0; i < d->n_chapters; i++) {
        free(d->chapters[i].number);
        free(d->chapters[i].title);
    }
    free(d->chapters);
    for (i = 0; i < d->n_headings; i++)
        free(d->headings[i].title);
    free(d->headings);
    doc_init(d, d->format);
}

size_t doc_add_page(struct doc *d, const char *label, const char *text)
{
    if (d->n_pages == d->cap_pages) {
        d->cap_pages = d->cap_pages ? d->cap_pages * 2 : 16;
        d->pages = xrealloc(d->pages, d->cap_pages * sizeof(*d->pages));
    }
    d->pages[d->n_pages].label = xstrdup(label);
    d->pages[d->n_pages].text = xstrdup(text);
    return d->n_pages++;
}

/* Reads the size_t field at byte offset field of element e. */
static size_t field_of(const char *e, size_t field)
{
    size_t v;

    memcpy(&v, e + field, sizeof(v));
    return v;
}

/* Makes room in v, an array of n elements of size bytes (capacity *cap,
 * first when it grows from none) kept in (page, offset) order, for one
 * more at (page, offset): the elements after it move up one, *n grows and
 * *at says where it goes.  The fields page and offset are at byte offsets
 * page_field and offset_field of an element.  Returns v (reallocated). */
static void *sorted_slot(void *v, size_t *n, size_t *cap, size_t size, size_t first,
                         size_t page_field, size_t offset_field, size_t page, size_t offset,
                         size_t *at)
{
    char *a, *prev;

    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : first;
        v = xrealloc(v, *cap * size);
    }
    a = v;
    /* Insertion keeps (page, offset) order; outlines are nearly sorted. */
    for (*at = *n; *at > 0; (*at)--) {
        prev = a + (*at - 1) * size;
        if (field_of(prev, page_field) < page
            || (field_of(prev, page_field) == page && field_of(prev, offset_field) <= offset))
            break;
    }
    memmove(a + (*at + 1) * size, a + *at * size, (*n - *at) * size);
    (*n)++;
    return v;
}

void doc_add_chapter(struct doc *d, const char *number, const char *title, size_t page,
                     size_t offset)
{
    size_t at;

    d->chapters = sorted_slot(d->chapters, &d->n_chapters, &d->cap_chapters, sizeof(*d->chapters),
                              8, offsetof(struct doc_chapter, page),
                              offsetof(struct doc_chapter, offset), page, offset, &at);
    d->chapters[at].number = number ? xstrdup(number) : NULL;
    d->chapters[at].title = xstrdup(title);
    d->chapters[at].page = page;
    d->chapters[at].offset = offset;
}

void doc_add_heading(struct doc *d, const char *title, int level, size_t page, size_t offset)
{
    size_t at;

    d->headings = sorted_slot(d->headings, &d->n_headings, &d->cap_headings, sizeof(*d->headings),
                              16, offsetof(struct doc_heading, page),
                              offsetof(struct doc_heading, offset), page, offset, &at);
    d->headings[at].title = xstrdup(title);
    d->headings[at].level = level;
    d->headings[at].page = page;
    d->headings[at].offset = offset;
}

/* Returns a copy of the n bytes at s without surrounding white space (and
 * without surrounding quotes when strip_quotes); NULL when nothing is left. */
static char *trimmed_copy(const char *s, size_t n, bool strip_quotes)
{
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    if (strip_quotes && n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        s++;
        n -= 2;
    }
    return n > 0 ? xstrndup(s, n) : NULL;
}

void doc_set(char **field, const char *value)
{
    free(*field);
    *field = value ? trimmed_copy(value, strlen(value), true) : NULL;
}

void doc_set_authors(struct doc *d, const char *list)
{
    const char *s = list, *end = list + strlen(list);
    char sep = ';';
    size_t i;

    for (i = 0; i < d->n_authors; i++)
        free(d->authors[i]);
    free(d->authors);
    d->authors = NULL;
    d->n_authors = 0;
    while (s < end && isspace((unsigned char)*s))
        s++;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    if (s < end && *s == '[' && end[-1] == ']') {
        s++;
        end--;
        sep = ',';
    }
    while (s < end) {
        const char *stop = memchr(s, sep, (size_t)(end - s));
        const char *and_at = NULL;
        char *name;

        if (stop == NULL)
            stop = end;
        /* "A and B" with no other separator. */
        if (sep == ';' && stop == end) {
            const char *p = s;
            while ((p = strstr(p, " and ")) != NULL && p < stop) {
                and_at = p;
                break;
            }
            if (and_at != NULL)
                stop = and_at;
        }
        name = trimmed_copy(s, (size_t)(stop - s), true);
        if (name != NULL) {
            d->authors = xrealloc(d->authors, (d->n_authors + 1) * sizeof(*d->authors));
            d->authors[d->n_authors++] = name;
        }
        s = and_at ? and_at + 5 : stop + 1;
    }
}

size_t doc_chapter_last_page(const struct doc *d, size_t i)
{
    size_t next_page;

    if (d->n_pages == 0)
        return 0;
    if (i + 1 >= d->n_chapters)
        return d->n_pages - 1;
    next_page = d->chapters[i + 1].page;
    if (d->chapters[i + 1].offset > 0 || next_page <= d->chapters[i].page)
        return next_page;
    return next_page - 1;
}

/* Returns the value of a roman digit (any case), 0 for anything else. */
static int roman_digit(char c)
{
    switch (tolower((unsigned char)c)) {
    case 'i': return 1;
    case 'v': return 5;
    case 'x': return 10;
    case 'l': return 50;
    case 'c': return 100;
    case 'd': return 500;
    case 'm': return 1000;
    default: return 0;
    }
}

bool doc_is_roman(const char *s, size_t n)
{
    static const char *const units[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"};
    static const char *const tens[] = {"", "x", "xx", "xxx", "xl", "l", "lx", "lxx", "lxxx", "xc"};
    static const char *const hundreds[] = {"",  "c",  "cc",  "ccc",  "cd",
                                           "d", "dc", "dcc", "dccc", "cm"};
    char canon[24], lower[16];
    size_t i;
    int value = 0;
    bool upper = n > 0 && isupper((unsigned char)s[0]);

    if (n == 0 || n >= sizeof(lower))
        return false;
    for (i = 0; i < n; i++) {
        int v = roman_digit(s[i]), next = i + 1 < n ? roman_digit(s[i + 1]) : 0;

        if (v == 0 || (isupper((unsigned char)s[i]) != 0) != upper)
            return false; /* one case throughout: "Mix" is a word */
        value += v < next ? -v : v;
        lower[i] = (char)tolower((unsigned char)s[i]);
    }
    lower[n] = '\0';
    if (value <= 0 || value >= 4000)
        return false;
    snprintf(canon, sizeof(canon), "%.*s%s%s%s", value / 1000, "mmm", hundreds[value / 100 % 10],
             tens[value / 10 % 10], units[value % 10]);
    return strcmp(canon, lower) == 0;
}

/* Skips spaces and one separator (":", ".", "-", en/em dash) after a
 * chapter number; returns where the title starts. */
static const char *skip_separator(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == ':' || *p == '.' || *p == '-')
        p++;
    else if (strncmp(p, "\xe2\x80\x93", 3) == 0 || strncmp(p, "\xe2\x80\x94", 3) == 0)
        p += 3;
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

bool doc_parse_heading(const char *heading, char **number, char **title)
{
    const char *p = heading, *num;
    size_t n;

    while (isspace((unsigned char)*p))
        p++;
    *number = NULL;
    if (strncasecmp(p, "chapter", 7) == 0 && (p[7] == ' ' || p[7] == '\t')) {
        p += 7;
        while (*p == ' ' || *p == '\t')
            p++;
        num = p;
        while (isalnum((unsigned char)*p))
            p++;
        n = (size_t)(p - num);
        if (n > 0 && n <= 8 && (isdigit((unsigned char)*num) || doc_is_roman(num, n))
            && (*p == '\0' || !isalnum((unsigned char)*p))) {
            const char *t = skip_separator(p);

            *number = xstrndup(num, n);
            *title = trimmed_copy(t, strlen(t), false);
            if (*title == NULL)
                *title = trimmed_copy(heading, strlen(heading), false);
            return true;
        }
        p = heading;
        while (isspace((unsigned char)*p))
            p++;
    }
    num = p;
    while (isdigit((unsigned char)*p))
        p++;
    n = (size_t)(p - num);
    if (n > 0 && n <= 3 && *p == '.' && p[1] == ' ') {
        const char *t = skip_separator(p);

        char *tt = trimmed_copy(t, strlen(t), false);

        if (tt != NULL) {
            *number = xstrndup(num, n);
            *title = tt;
            return true;
        }
    }
    *title = trimmed_copy(heading, strlen(heading), false);
    if (*title == NULL)
        *title = xstrdup("Untitled");
    return false;
}
