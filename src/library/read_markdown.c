/*
 * Markdown and plain text books; see read.h.
 *
 *     ---
 *     title: Learning by Doing
 *     authors: [A. Writer, B. Writer]      (or "A. Writer; B. Writer")
 *     edition: 2nd
 *     isbn: 978-...
 *     sku: ABC123
 *     product_url: https://...
 *     sample: true
 *     first_page: 1                         (label of the text before the
 *     ---                                    first page marker)
 *     <!-- page xii -->
 *     # Introduction
 *     <!-- page 1 -->
 *     # Chapter 1: Why Teams
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library/read.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/text.h"

#define MAX_LABEL 16

/* The parser's state while walking the body. */
struct md_state {
    struct doc *d;
    struct buf page; /* text of the page being built */
    char label[MAX_LABEL + 1];
    bool page_started; /* a marker opened the current page */
};

/* Sets err to a formatted reason. */
static bool fail(char *err, size_t errlen, const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    return false;
}

/* Returns true when line (n bytes) is a page marker "<!-- page L -->" and
 * copies L into label. */
static bool page_marker(const char *line, size_t n, char label[MAX_LABEL + 1])
{
    const char *p = line, *end = line + n, *l;
    size_t len;

    while (p < end && isspace((unsigned char)*p))
        p++;
    if ((size_t)(end - p) < 4 || memcmp(p, "<!--", 4) != 0)
        return false;
    p += 4;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if ((size_t)(end - p) < 4 || strncasecmp(p, "page", 4) != 0)
        return false;
    p += 4;
    if (p >= end || !isspace((unsigned char)*p))
        return false;
    while (p < end && isspace((unsigned char)*p))
        p++;
    l = p;
    while (p < end && (isalnum((unsigned char)*p) || *p == '-' || *p == '.'))
        p++;
    len = (size_t)(p - l);
    if (len == 0 || len > MAX_LABEL)
        return false;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if ((size_t)(end - p) < 3 || memcmp(p, "-->", 3) != 0)
        return false;
    p += 3;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p != end)
        return false;
    memcpy(label, l, len);
    label[len] = '\0';
    return true;
}

/* Ends the page being built: stores it unless it is the implicit first page
 * and holds nothing. */
static void flush_page(struct md_state *st, bool force)
{
    size_t len = st->page.len;
    const char *s = buf_str(&st->page);
    bool blank = true;
    size_t i;

    for (i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            blank = false;
    if (blank && !st->page_started && !force) {
        buf_reset(&st->page);
        return;
    }
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    if (st->page.data != NULL) {
        st->page.data[len] = '\0';
        st->page.len = len;
    }
    (void)doc_add_page(st->d, st->label, s);
    buf_reset(&st->page);
}

/* Applies one "key: value" line of front matter. */
static bool front_matter_line(struct doc *d, const char *line, size_t n, char *first_page,
                              char *err, size_t errlen)
{
    const char *colon = memchr(line, ':', n);
    char key[32], *value;
    size_t klen;
    bool ok = true;

    if (colon == NULL) {
        for (klen = 0; klen < n; klen++)
            if (!isspace((unsigned char)line[klen]))
                return fail(err, errlen, "front matter: a line has no \"key: value\"");
        return true;
    }
    klen = (size_t)(colon - line);
    while (klen > 0 && isspace((unsigned char)line[klen - 1]))
        klen--;
    if (klen == 0 || klen >= sizeof(key))
        return fail(err, errlen, "front matter: a line has no \"key: value\"");
    memcpy(key, line, klen);
    key[klen] = '\0';
    value = xstrndup(colon + 1, n - (size_t)(colon + 1 - line));
    if (strcmp(key, "title") == 0)
        doc_set(&d->title, value);
    else if (strcmp(key, "authors") == 0 || strcmp(key, "author") == 0)
        doc_set_authors(d, value);
    else if (strcmp(key, "edition") == 0)
        doc_set(&d->edition, value);
    else if (strcmp(key, "isbn") == 0)
        doc_set(&d->isbn, value);
    else if (strcmp(key, "sku") == 0)
        doc_set(&d->sku, value);
    else if (strcmp(key, "product_url") == 0)
        doc_set(&d->product_url, value);
    else if (strcmp(key, "sample") == 0) {
        char *v = NULL;

        doc_set(&v, value);
        ok = v != NULL && parse_bool(v, &d->sample);
        free(v);
        if (!ok)
            snprintf(err, errlen, "front matter: sample must be true or false");
    } else if (strcmp(key, "first_page") == 0) {
        char *v = NULL;
        size_t i;

        doc_set(&v, value);
        ok = v != NULL && strlen(v) <= MAX_LABEL;
        for (i = 0; ok && v[i] != '\0'; i++)
            ok = isalnum((unsigned char)v[i]) != 0;
        if (ok)
            strcpy(first_page, v);
        else
            snprintf(err, errlen, "front matter: first_page must be a page label like 1 or xii");
        free(v);
    }
    /* Unknown keys are ignored, so front matter written for other tools
     * still loads. */
    free(value);
    return ok;
}

/* Returns true when a plain-text line looks like a chapter heading. */
static bool text_heading(const char *line, size_t n)
{
    char *copy, *number = NULL, *title = NULL;
    bool yes;

    if (n < 8 || n > 100 || strncasecmp(line, "chapter ", 8) != 0)
        return false;
    copy = xstrndup(line, n);
    yes = doc_parse_heading(copy, &number, &title);
    free(copy);
    free(number);
    free(title);
    return yes;
}

/* Records a chapter whose heading text is h (n bytes) at the current spot,
 * and puts the heading into the page text as its own paragraph.  A heading
 * with only blank lines before it on its page opens that page (offset 0),
 * so the chapter before ends on the previous page. */
static void add_heading(struct md_state *st, const char *h, size_t n)
{
    char *copy = xstrndup(h, n), *number = NULL, *title = NULL;
    size_t k = 0;

    while (k < st->page.len && isspace((unsigned char)st->page.data[k]))
        k++;
    if (k == st->page.len)
        buf_reset(&st->page);
    (void)doc_parse_heading(copy, &number, &title);
    if (st->page.len > 0
        && !(st->page.len >= 2 && st->page.data[st->page.len - 1] == '\n'
             && st->page.data[st->page.len - 2] == '\n'))
        buf_puts(&st->page, st->page.data[st->page.len - 1] == '\n' ? "\n" : "\n\n");
    doc_add_chapter(st->d, number, title, st->d->n_pages, st->page.len);
    buf_append(&st->page, copy, strlen(copy));
    buf_puts(&st->page, "\n\n");
    free(copy);
    free(number);
    free(title);
}

/* Returns false, with err set, when data (n bytes) is not UTF-8 text or
 * holds a NUL byte. */
static bool check_utf8(const char *data, size_t n, char *err, size_t errlen)
{
    size_t i, len;

    for (i = 0; i < n; i += len) {
        len = utf8_sequence_length(data + i, n - i);
        if (len == 0 || data[i] == '\0') {
            snprintf(err, errlen, "not UTF-8 text (invalid byte at offset %zu); save it as UTF-8",
                     i);
            return false;
        }
    }
    return true;
}

/* Takes the line at *p (before end) into *line and moves *p past its "\n";
 * returns its length without the "\n" and a "\r" before it. */
static size_t next_line(const char **p, const char *end, const char **line)
{
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    size_t len = (size_t)((nl ? nl : end) - *p);

    *line = *p;
    *p = nl ? nl + 1 : end;
    if (len > 0 && (*line)[len - 1] == '\r')
        len--;
    return len;
}

/* Reads the front matter at *p, if the text opens with a "---" line, into
 * d and first_page, and moves *p past it.  False, with err set, when a
 * line is bad or the front matter is not closed; the caller frees d. */
static bool read_front_matter(struct doc *d, const char **p, const char *end,
                              char first_page[MAX_LABEL + 1], char *err, size_t errlen)
{
    const char *s = *p;

    if (!(end - s >= 3 && memcmp(s, "---", 3) == 0
          && (end - s == 3 || s[3] == '\n' || (s[3] == '\r' && end - s > 4 && s[4] == '\n'))))
        return true;
    s = memchr(s, '\n', (size_t)(end - s));
    *p = s ? s + 1 : end;
    while (*p < end) {
        const char *line;
        size_t len = next_line(p, end, &line);

        if (len == 3 && (memcmp(line, "---", 3) == 0 || memcmp(line, "...", 3) == 0))
            return true;
        if (!front_matter_line(d, line, len, first_page, err, errlen))
            return false;
    }
    return fail(err, errlen, "front matter is not closed by a \"---\" line");
}

/* Puts a Markdown sub-heading line ("## ...", len bytes) into the page text
 * as its own paragraph, and records it as a section heading when it has
 * words. */
static void add_subheading(struct md_state *st, const char *line, size_t len)
{
    size_t h = 0;

    while (h < len && line[h] == '#')
        h++;
    while (h < len && line[h] == ' ')
        h++;
    if (st->page.len > 0 && st->page.data[st->page.len - 1] != '\n')
        buf_putc(&st->page, '\n');
    if (st->page.len > 1 && st->page.data[st->page.len - 2] != '\n')
        buf_putc(&st->page, '\n');
    if (h < len) { /* a section heading: chunks after it fall under it */
        char *title = xstrndup(line + h, len - h);
        size_t lvl = 0;
        while (lvl < len && line[lvl] == '#')
            lvl++;
        doc_add_heading(st->d, title, (int)lvl, st->d->n_pages, st->page.len);
        free(title);
    }
    buf_append(&st->page, line + h, len - h);
    buf_puts(&st->page, "\n\n");
}

/* Handles one line of the body (len bytes, no line end): a page marker,
 * a heading, or text.  Sets *any_text when the line is not blank. */
static void body_line(struct md_state *st, enum doc_format format, const char *line, size_t len,
                      bool *any_text)
{
    char label[MAX_LABEL + 1];
    size_t i;

    if (page_marker(line, len, label)) {
        /* "<!-- page 1 -->" after text already on first_page 1 goes on
         * with that page rather than making a second page 1. */
        if (!st->page_started && st->d->n_pages == 0 && strcmp(label, st->label) == 0) {
            st->page_started = true;
            return;
        }
        flush_page(st, false);
        memcpy(st->label, label, sizeof(label));
        st->page_started = true;
        return;
    }
    for (i = 0; i < len; i++)
        if (!isspace((unsigned char)line[i]))
            *any_text = true;
    if (format == DOC_MARKDOWN && len >= 2 && line[0] == '#' && line[1] == ' ') {
        size_t k = 2;
        while (k < len && isspace((unsigned char)line[k]))
            k++;
        /* A heading with no words is no chapter: drop the line. */
        if (k < len)
            add_heading(st, line + 2, len - 2);
        return;
    }
    if (format == DOC_MARKDOWN && len > 0 && line[0] == '#') {
        /* Sub-headings stay in the text, as their own paragraph. */
        add_subheading(st, line, len);
        return;
    }
    if (format == DOC_TEXT && text_heading(line, len)
        && (st->page.len == 0 || (st->page.len >= 2 && st->page.data[st->page.len - 2] == '\n'))) {
        add_heading(st, line, len);
        return;
    }
    buf_append(&st->page, line, len);
    buf_putc(&st->page, '\n');
}

bool read_markdown(const char *data, size_t n, enum doc_format format, struct doc *d, char *err,
                   size_t errlen)
{
    /* st.page is owned here and freed before returning. */
    struct md_state st = {.d = d, .page = BUF_INIT, .label = "1", .page_started = false};
    const char *p = data, *end = data + n;
    char first_page[MAX_LABEL + 1] = "1";
    bool any_text = false;

    doc_init(d, format);
    if (!check_utf8(data, n, err, errlen))
        return false;
    if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    if (!read_front_matter(d, &p, end, first_page, err, errlen)) {
        doc_free(d);
        return false;
    }
    snprintf(st.label, sizeof(st.label), "%s", first_page);
    while (p < end) {
        const char *line;
        size_t len = next_line(&p, end, &line);

        body_line(&st, format, line, len, &any_text);
    }
    flush_page(&st, d->n_pages == 0 || st.page_started);
    buf_free(&st.page);
    if (!any_text) {
        doc_free(d);
        return fail(err, errlen, "the file has no text");
    }
    return true;
}
