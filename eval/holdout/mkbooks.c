/*
 * mkbooks - renders the evaluation library's book sources as PDFs laid out
 * like a publisher's book (cairo + pango; built only for the tests).
 *
 *   mkbooks OUTDIR BOOK.book...
 *
 * Each BOOK.book becomes OUTDIR/BOOK.pdf.  The source format is described
 * in eval/holdout/README.md: front matter between "---" lines (title,
 * subtitle, authors, edition, sku), then pages, each opened by a
 * "<!-- page LABEL -->" line, holding blocks separated by blank lines:
 *
 *   # Chapter 3: Title   a chapter opener (or "# Preface", "# Appendix ...")
 *   ## Section           a section heading         ### Sub   a run-in heading
 *   - item / 1. item     list items                > text    a sidebar box
 *   | a | b |            table rows (first row bold; "|---|" rows skipped)
 *   ::title T  ::subtitle T  ::byline T  ::heading T  ::toc ENTRY | PAGE
 *   **bold**, *italic*   inline emphasis
 *
 * The page breaks are the source's, never the layout's: a page whose text
 * does not fit is an error (exit 1), so printed page labels do not depend
 * on the font or the machine.  The PDF gets what a publisher's file has:
 * page labels (roman front matter, arabic body), an outline (one top-level
 * entry per "# " heading, sections as children), Title/Author/Subject
 * metadata, running headers (book title on even body pages, the current
 * chapter's title on odd ones, none on chapter openers) and a page-number
 * footer (none on the title and copyright pages).
 */
#include "config.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <ctype.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 7 x 10 in, a common size for practitioner books. */
#define PAGE_W 504.0
#define PAGE_H 720.0
#define MARGIN_INNER 63.0
#define MARGIN_OUTER 54.0
#define TEXT_TOP 72.0
#define TEXT_BOTTOM 664.0
#define TEXT_W (PAGE_W - MARGIN_INNER - MARGIN_OUTER)
#define HEADER_Y 40.0
#define FOOTER_Y 684.0
#define FONT_FAMILY "DejaVu Serif"

enum kind {
    B_PARA,
    B_H1,
    B_H2,
    B_H3,
    B_BULLET,
    B_NUM,
    B_SIDEBAR,
    B_ROW,
    B_TITLE,
    B_SUBTITLE,
    B_BYLINE,
    B_HEADING,
    B_TOC
};

struct block {
    enum kind kind;
    char *text;      /* owned; sidebar sub-paragraphs separated by '\n' */
    char *cells[6];  /* table rows and ::toc: owned cell texts */
    size_t n_cells;  /* cells in use */
    bool header_row; /* the first row of a table */
    bool fresh;      /* sidebar: the next line starts a sub-paragraph */
};

struct page {
    char *label; /* owned */
    struct block *blocks;
    size_t n_blocks, cap;
};

struct book {
    char *title, *subtitle, *authors, *edition, *sku; /* owned, may be NULL */
    struct page *pages;
    size_t n_pages, cap;
    const char *path; /* borrowed: the source file */
};

/* Prints an error about the book being read and returns false. */
static bool fail(const struct book *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(const struct book *b, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "mkbooks: %s: ", b->path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return false;
}

/* Aborts on allocation failure; returns memory the caller frees. */
static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (q == NULL) {
        fprintf(stderr, "mkbooks: out of memory\n");
        exit(1);
    }
    return q;
}

/* Returns a NUL-terminated copy of n bytes of s; the caller frees it. */
static char *xstrndup(const char *s, size_t n)
{
    char *c = xrealloc(NULL, n + 1);

    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

/* Appends "sep" and n bytes of s to the heap string *dst (owned by the
 * caller; *dst may be NULL). */
static void append(char **dst, const char *sep, const char *s, size_t n)
{
    size_t have = *dst ? strlen(*dst) : 0, sl = *dst ? strlen(sep) : 0;

    *dst = xrealloc(*dst, have + sl + n + 1);
    memcpy(*dst + have, sep, sl);
    memcpy(*dst + have + sl, s, n);
    (*dst)[have + sl + n] = '\0';
}

/* Adds an empty block to page p and returns it (owned by the page). */
static struct block *add_block(struct page *p, enum kind k)
{
    struct block *bl;

    if (p->n_blocks == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->blocks = xrealloc(p->blocks, p->cap * sizeof(*p->blocks));
    }
    bl = &p->blocks[p->n_blocks++];
    memset(bl, 0, sizeof(*bl));
    bl->kind = k;
    return bl;
}

/* Trims spaces off both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    while (*n > 0 && isspace((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* Splits a "| a | b |" row into bl->cells (owned by the block). */
static bool split_cells(const struct book *b, struct block *bl, const char *s, size_t n)
{
    const char *end = s + n, *c = s + 1;

    while (c < end) {
        const char *bar = memchr(c, '|', (size_t)(end - c));
        const char *cs = c;
        size_t cn;

        if (bar == NULL)
            break;
        cn = (size_t)(bar - c);
        trim(&cs, &cn);
        if (bl->n_cells == sizeof(bl->cells) / sizeof(bl->cells[0]))
            return fail(b, "a table row has more than 6 cells");
        bl->cells[bl->n_cells++] = xstrndup(cs, cn);
        c = bar + 1;
    }
    return bl->n_cells > 0 || fail(b, "an empty table row");
}

/* Whether a line opens a block of its own (so it does not continue a
 * paragraph or list item). */
static bool opens_block(const char *s, size_t n)
{
    size_t i = 0;

    if (n >= 2 && (s[0] == '#' || s[0] == '>' || s[0] == '|'))
        return true;
    if (n >= 2 && s[0] == '-' && s[1] == ' ')
        return true;
    if (n >= 2 && s[0] == ':' && s[1] == ':')
        return true;
    while (i < n && isdigit((unsigned char)s[i]))
        i++;
    return i > 0 && i + 1 < n && s[i] == '.' && s[i + 1] == ' ';
}

/* Reads one source line into the current page; *cur is the block that a
 * plain line continues (NULL after a blank line). */
static bool parse_line(struct book *b, struct page *p, const char *s, size_t n, struct block **cur)
{
    static const struct {
        const char *prefix;
        enum kind kind;
    } singles[] = {
        {"### ", B_H3},
        {"## ", B_H2},
        {"# ", B_H1},
        {"::title ", B_TITLE},
        {"::subtitle ", B_SUBTITLE},
        {"::byline ", B_BYLINE},
        {"::heading ", B_HEADING},
    };
    size_t i;

    trim(&s, &n);
    if (n == 0) {
        *cur = NULL;
        return true;
    }
    for (i = 0; i < sizeof(singles) / sizeof(singles[0]); i++) {
        size_t pl = strlen(singles[i].prefix);

        if (n > pl && strncmp(s, singles[i].prefix, pl) == 0) {
            struct block *bl = add_block(p, singles[i].kind);

            bl->text = xstrndup(s + pl, n - pl);
            *cur = NULL;
            return true;
        }
    }
    if (n > 6 && strncmp(s, "::toc ", 6) == 0) {
        struct block *bl = add_block(p, B_TOC);
        const char *bar = memchr(s, '|', n);

        if (bar == NULL)
            return fail(b, "page %s: ::toc needs ENTRY | PAGE", p->label);
        {
            const char *e = s + 6, *pg = bar + 1;
            size_t en = (size_t)(bar - e), pn = (size_t)(s + n - pg);

            trim(&e, &en);
            trim(&pg, &pn);
            bl->cells[0] = xstrndup(e, en);
            bl->cells[1] = xstrndup(pg, pn);
            bl->n_cells = 2;
        }
        *cur = NULL;
        return true;
    }
    if (s[0] == '|') {
        struct block *prev = p->n_blocks ? &p->blocks[p->n_blocks - 1] : NULL;
        bool in_table = prev != NULL && prev->kind == B_ROW && *cur == prev;
        struct block *bl;

        if (n > 2 && s[1] == '-') {
            /* The "|---|---|" separator row draws nothing. */
            if (!in_table)
                return fail(b, "page %s: a table separator without a header row", p->label);
            return true;
        }
        bl = add_block(p, B_ROW);
        bl->header_row = !in_table;
        *cur = bl;
        return split_cells(b, bl, s, n);
    }
    if (s[0] == '>') {
        const char *t = s + 1;
        size_t tn = n - 1;
        bool item;

        trim(&t, &tn);
        item = tn > 2 && t[0] == '-' && t[1] == ' ';
        if (*cur == NULL || (*cur)->kind != B_SIDEBAR) {
            *cur = add_block(p, B_SIDEBAR);
            (*cur)->fresh = true;
        }
        if (tn == 0) {
            (*cur)->fresh = true;
            return true;
        }
        if (item) {
            /* "> - item": a bulleted line of its own */
            append(&(*cur)->text, "\n", "\xe2\x80\xa2 ", 4);
            append(&(*cur)->text, "", t + 2, tn - 2);
        } else {
            append(&(*cur)->text, (*cur)->fresh ? "\n" : " ", t, tn);
        }
        (*cur)->fresh = false;
        return true;
    }
    if (*cur != NULL
        && ((*cur)->kind == B_PARA || (*cur)->kind == B_BULLET || (*cur)->kind == B_NUM)
        && !opens_block(s, n)) {
        append(&(*cur)->text, " ", s, n);
        return true;
    }
    if (n > 2 && s[0] == '-' && s[1] == ' ') {
        *cur = add_block(p, B_BULLET);
        (*cur)->text = xstrndup(s + 2, n - 2);
        return true;
    }
    if (opens_block(s, n) && isdigit((unsigned char)s[0])) {
        const char *dot = memchr(s, '.', n);

        *cur = add_block(p, B_NUM);
        (*cur)->cells[0] = xstrndup(s, (size_t)(dot - s) + 1);
        (*cur)->n_cells = 1;
        (*cur)->text = xstrndup(dot + 2, n - (size_t)(dot - s) - 2);
        return true;
    }
    if (s[0] == '#' || (s[0] == ':' && n > 1 && s[1] == ':'))
        return fail(b, "page %s: unknown directive: %.*s", p->label, (int)n, s);
    *cur = add_block(p, B_PARA);
    (*cur)->text = xstrndup(s, n);
    return true;
}

/* Sets one front-matter key; values are owned by the book. */
static void front_matter(struct book *b, const char *s, size_t n)
{
    static const char *const keys[] = {"title", "subtitle", "authors", "edition", "sku"};
    char **dst[] = {&b->title, &b->subtitle, &b->authors, &b->edition, &b->sku};
    size_t i;

    for (i = 0; i < 5; i++) {
        size_t kl = strlen(keys[i]);
        const char *v;
        size_t vn;

        if (n <= kl || strncmp(s, keys[i], kl) != 0 || s[kl] != ':')
            continue;
        v = s + kl + 1;
        vn = n - kl - 1;
        trim(&v, &vn);
        if (i == 2 && vn >= 2 && v[0] == '[' && v[vn - 1] == ']') {
            /* [A, B] -> "A; B" (the PDF Author convention the ingester reads) */
            char *a = NULL;
            const char *c = v + 1, *end = v + vn - 1;

            while (c < end) {
                const char *comma = memchr(c, ',', (size_t)(end - c));
                const char *e = comma ? comma : end, *t = c;
                size_t tn = (size_t)(e - c);

                trim(&t, &tn);
                append(&a, "; ", t, tn);
                c = comma ? comma + 1 : end;
            }
            free(*dst[i]);
            *dst[i] = a;
        } else {
            free(*dst[i]);
            *dst[i] = xstrndup(v, vn);
        }
    }
}

/* Parses a whole source file into *b (which owns everything after). */
static bool parse_book(struct book *b, const char *data)
{
    const char *s = data;
    struct page *p = NULL;
    struct block *cur = NULL;
    int fm = 0; /* 0 before, 1 inside, 2 after the front matter */

    while (*s != '\0') {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        const char *t = s;
        size_t tn = n;

        trim(&t, &tn);
        if (fm < 2 && tn == 3 && strncmp(t, "---", 3) == 0) {
            fm++;
        } else if (fm == 1) {
            front_matter(b, t, tn);
        } else if (fm == 0 && tn > 0) {
            return fail(b, "the file must start with front matter (---)");
        } else if (tn > 14 && strncmp(t, "<!-- page ", 10) == 0
                   && strncmp(t + tn - 4, " -->", 4) == 0) {
            if (b->n_pages == b->cap) {
                b->cap = b->cap ? b->cap * 2 : 32;
                b->pages = xrealloc(b->pages, b->cap * sizeof(*b->pages));
            }
            p = &b->pages[b->n_pages++];
            memset(p, 0, sizeof(*p));
            p->label = xstrndup(t + 10, tn - 14);
            cur = NULL;
        } else if (tn > 0 && p == NULL) {
            return fail(b, "text before the first <!-- page N --> marker");
        } else if (p != NULL && !parse_line(b, p, s, n, &cur)) {
            return false;
        }
        s += n + (nl ? 1 : 0);
    }
    if (b->title == NULL || b->authors == NULL)
        return fail(b, "the front matter needs title and authors");
    if (b->n_pages == 0)
        return fail(b, "no pages");
    return true;
}

static void book_free(struct book *b)
{
    size_t i, j, k;

    for (i = 0; i < b->n_pages; i++) {
        for (j = 0; j < b->pages[i].n_blocks; j++) {
            free(b->pages[i].blocks[j].text);
            for (k = 0; k < b->pages[i].blocks[j].n_cells; k++)
                free(b->pages[i].blocks[j].cells[k]);
        }
        free(b->pages[i].blocks);
        free(b->pages[i].label);
    }
    free(b->pages);
    free(b->title);
    free(b->subtitle);
    free(b->authors);
    free(b->edition);
    free(b->sku);
}

/* Returns Pango markup for source text: &<> escaped, **bold** and *italic*,
 * typographic quotes and dashes.  The caller frees it. */
static char *markup(const char *s)
{
    char *m = NULL;
    bool bold = false, ital = false;
    size_t i, n = strlen(s);

    append(&m, "", "", 0);
    for (i = 0; i < n; i++) {
        char c = s[i];
        bool word_before = i > 0 && !isspace((unsigned char)s[i - 1]) && s[i - 1] != '('
                           && s[i - 1] != '[' && s[i - 1] != '-';

        if (c == '*' && i + 1 < n && s[i + 1] == '*') {
            append(&m, "", bold ? "</b>" : "<b>", bold ? 4 : 3);
            bold = !bold;
            i++;
        } else if (c == '*') {
            append(&m, "", ital ? "</i>" : "<i>", ital ? 4 : 3);
            ital = !ital;
        } else if (c == '&') {
            append(&m, "", "&amp;", 5);
        } else if (c == '<') {
            append(&m, "", "&lt;", 4);
        } else if (c == '>') {
            append(&m, "", "&gt;", 4);
        } else if (c == '\'') {
            append(&m, "", word_before ? "\xe2\x80\x99" : "\xe2\x80\x98", 3);
        } else if (c == '"') {
            append(&m, "", word_before ? "\xe2\x80\x9d" : "\xe2\x80\x9c", 3);
        } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
            append(&m, "", "\xe2\x80\x94", 3);
            i++;
        } else {
            append(&m, "", &s[i], 1);
        }
    }
    return m;
}

/* The drawing state of one PDF. */
struct pdf {
    const struct book *b;
    cairo_surface_t *surface; /* owned */
    cairo_t *cr;              /* owned */
    double y;                 /* the next free line on the current page */
    double colw[6];           /* the current table's column widths */
    double left;              /* the text's left edge on the current page */
    const char *chapter;      /* borrowed: the running chapter title */
    int chapter_outline;      /* the outline id of the current "# " entry */
    bool ok;
};

/* Returns a layout of markup text in font FONT at width W (pt), justified
 * or aligned; the caller unrefs it. */
static PangoLayout *layout(struct pdf *d, const char *text, const char *font, double w,
                           PangoAlignment align, bool justify)
{
    PangoLayout *l = pango_cairo_create_layout(d->cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    char *m = markup(text);

    /* Sizes are in points: one point per PDF unit, not pango's 96 dpi. */
    pango_cairo_context_set_resolution(pango_layout_get_context(l), 72);
    pango_layout_context_changed(l);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, w < 0 ? -1 : (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    pango_layout_set_alignment(l, align);
    pango_layout_set_justify(l, justify);
    pango_layout_set_line_spacing(l, 1.25f);
    pango_layout_set_markup(l, m, -1);
    free(m);
    return l;
}

/* The layout's height in points. */
static double height(PangoLayout *l)
{
    int w, h;

    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

/* Draws the layout at (x, d->y) if it fits above the bottom margin, moves
 * d->y below it by `after` points, and unrefs the layout. */
static void place(struct pdf *d, PangoLayout *l, double x, double after, const char *label)
{
    double h = height(l);

    if (d->y + h > TEXT_BOTTOM + 0.5) {
        fprintf(stderr, "mkbooks: %s: page %s: the text does not fit (%.0f pt too long)\n",
                d->b->path, label, d->y + h - TEXT_BOTTOM);
        d->ok = false;
    }
    cairo_move_to(d->cr, x, d->y);
    pango_cairo_show_layout(d->cr, l);
    d->y += h + after;
    g_object_unref(l);
}

/* Draws a left-aligned heading in font, `before` points below the last
 * block and `after` points above the next. */
static void heading(struct pdf *d, const char *text, const char *font, double before, double after,
                    const char *label)
{
    d->y += before;
    place(d, layout(d, text, font, TEXT_W, PANGO_ALIGN_LEFT, false), d->left, after, label);
}

/* A "# " heading: "Chapter N: Title" -> N and Title (borrowed into num /
 * title buffers); other headings have no number. */
static void split_heading(const char *h, char *num, size_t numlen, const char **title)
{
    const char *colon = strchr(h, ':');

    num[0] = '\0';
    *title = h;
    if (strncmp(h, "Chapter ", 8) == 0 && colon != NULL) {
        snprintf(num, numlen, "%.*s", (int)(colon - h), h);
        *title = colon + 1;
        while (**title == ' ')
            (*title)++;
    }
}

/* Sets d->colw for the table whose header row is p->blocks[first]: each
 * column as wide as its widest cell plus a gutter, the slack shared out
 * evenly.  A table wider than the text block is an error. */
static void table_widths(struct pdf *d, const struct page *p, size_t first)
{
    double natural[6] = {0}, total = 0;
    size_t i, c, ncols = p->blocks[first].n_cells;

    for (i = first; i < p->n_blocks && p->blocks[i].kind == B_ROW; i++) {
        const struct block *bl = &p->blocks[i];

        if (i > first && bl->header_row)
            break;
        for (c = 0; c < bl->n_cells && c < ncols; c++) {
            PangoLayout *l =
                layout(d, bl->cells[c], FONT_FAMILY " Bold 8.5", -1, PANGO_ALIGN_LEFT, false);
            int w, h;

            pango_layout_get_size(l, &w, &h);
            if ((double)w / PANGO_SCALE + 12 > natural[c])
                natural[c] = (double)w / PANGO_SCALE + 12;
            g_object_unref(l);
        }
    }
    for (c = 0; c < ncols; c++)
        total += natural[c];
    if (total > TEXT_W) {
        fprintf(stderr, "mkbooks: %s: page %s: a table is %.0f pt too wide\n", d->b->path, p->label,
                total - TEXT_W);
        d->ok = false;
    }
    for (c = 0; c < 6; c++)
        d->colw[c] = c < ncols ? natural[c] + (TEXT_W - total) / (double)ncols : 0;
}

/* Draws a table row: its cells side by side in the widths table_widths()
 * chose, each on one line. */
static void draw_row(struct pdf *d, const struct block *bl, const char *label)
{
    double x = d->left, rowh = 0;
    size_t i;
    const char *font = bl->header_row ? FONT_FAMILY " Bold 8.5" : FONT_FAMILY " 8.5";

    for (i = 0; i < bl->n_cells; i++) {
        PangoLayout *l;

        if (d->colw[i] <= 0) {
            fprintf(stderr, "mkbooks: %s: page %s: a row has more cells than its header\n",
                    d->b->path, label);
            d->ok = false;
            break;
        }
        l = layout(d, bl->cells[i], font, d->colw[i] - 8, PANGO_ALIGN_LEFT, false);
        if (pango_layout_get_line_count(l) > 1) {
            fprintf(stderr, "mkbooks: %s: page %s: table cell \"%s\" does not fit one line\n",
                    d->b->path, label, bl->cells[i]);
            d->ok = false;
        }
        if (height(l) > rowh)
            rowh = height(l);
        cairo_move_to(d->cr, x, d->y + 2);
        pango_cairo_show_layout(d->cr, l);
        g_object_unref(l);
        x += d->colw[i];
    }
    cairo_set_line_width(d->cr, bl->header_row ? 0.8 : 0.3);
    cairo_move_to(d->cr, d->left, d->y + rowh + 4);
    cairo_line_to(d->cr, d->left + TEXT_W, d->y + rowh + 4);
    cairo_stroke(d->cr);
    d->y += rowh + 6;
    if (d->y > TEXT_BOTTOM + 0.5) {
        fprintf(stderr, "mkbooks: %s: page %s: the text does not fit (table)\n", d->b->path, label);
        d->ok = false;
    }
}

/* Draws a sidebar: a shaded box around its sub-paragraphs. */
static void draw_sidebar(struct pdf *d, const struct block *bl, const char *label)
{
    PangoLayout *l = layout(d, bl->text, FONT_FAMILY " 8.5", TEXT_W - 24, PANGO_ALIGN_LEFT, false);
    double h = height(l);

    pango_layout_set_spacing(l, 3 * PANGO_SCALE);
    h = height(l);
    cairo_save(d->cr);
    cairo_set_source_rgb(d->cr, 0.93, 0.93, 0.93);
    cairo_rectangle(d->cr, d->left, d->y, TEXT_W, h + 20);
    cairo_fill_preserve(d->cr);
    cairo_set_source_rgb(d->cr, 0.4, 0.4, 0.4);
    cairo_set_line_width(d->cr, 0.6);
    cairo_stroke(d->cr);
    cairo_restore(d->cr);
    d->y += 10;
    place(d, l, d->left + 12, 18, label);
}

/* Draws one block of page p (outline entries for headings). */
static void draw_block(struct pdf *d, const struct block *bl, const char *label, int pageno)
{
    char dest[32];
    const char *body = FONT_FAMILY " 10";

    snprintf(dest, sizeof(dest), "page=%d", pageno);
    switch (bl->kind) {
    case B_H1: {
        char num[64];
        const char *title;

        split_heading(bl->text, num, sizeof(num), &title);
        d->chapter = title;
        d->chapter_outline =
            cairo_pdf_surface_add_outline(d->surface, CAIRO_PDF_OUTLINE_ROOT, bl->text, dest, 0);
        d->y += 60;
        if (num[0] != '\0') {
            char upper[64];
            size_t i;

            for (i = 0; num[i] != '\0' && i + 1 < sizeof(upper); i++)
                upper[i] = (char)toupper((unsigned char)num[i]);
            upper[i] = '\0';
            heading(d, upper, "DejaVu Sans Bold 10", 0, 6, label);
        }
        heading(d, title, "DejaVu Sans Bold 19", 0, 28, label);
        break;
    }
    case B_HEADING: heading(d, bl->text, "DejaVu Sans Bold 17", 40, 22, label); break;
    case B_H2:
        (void)cairo_pdf_surface_add_outline(d->surface, d->chapter_outline, bl->text, dest, 0);
        heading(d, bl->text, "DejaVu Sans Bold 12", 6, 6, label);
        break;
    case B_H3: heading(d, bl->text, "DejaVu Sans Bold 10", 2, 3, label); break;
    case B_PARA:
        place(d, layout(d, bl->text, body, TEXT_W, PANGO_ALIGN_LEFT, true), d->left, 7, label);
        break;
    case B_BULLET:
    case B_NUM: {
        PangoLayout *mark = layout(d, bl->kind == B_BULLET ? "\xe2\x80\xa2" : bl->cells[0], body,
                                   20, PANGO_ALIGN_LEFT, false);

        cairo_move_to(d->cr, d->left + 6, d->y);
        pango_cairo_show_layout(d->cr, mark);
        g_object_unref(mark);
        place(d, layout(d, bl->text, body, TEXT_W - 24, PANGO_ALIGN_LEFT, false), d->left + 24, 4,
              label);
        break;
    }
    case B_SIDEBAR: draw_sidebar(d, bl, label); break;
    case B_ROW: draw_row(d, bl, label); break;
    case B_TITLE:
        d->y += 150;
        place(d, layout(d, bl->text, "DejaVu Sans Bold 26", TEXT_W, PANGO_ALIGN_CENTER, false),
              d->left, 16, label);
        break;
    case B_SUBTITLE:
        place(d, layout(d, bl->text, FONT_FAMILY " Italic 14", TEXT_W, PANGO_ALIGN_CENTER, false),
              d->left, 60, label);
        break;
    case B_BYLINE:
        place(d, layout(d, bl->text, FONT_FAMILY " 12", TEXT_W, PANGO_ALIGN_CENTER, false), d->left,
              10, label);
        break;
    case B_TOC: {
        PangoLayout *pg = layout(d, bl->cells[1], body, TEXT_W, PANGO_ALIGN_RIGHT, false);

        cairo_move_to(d->cr, d->left, d->y);
        pango_cairo_show_layout(d->cr, pg);
        g_object_unref(pg);
        place(d, layout(d, bl->cells[0], body, TEXT_W - 40, PANGO_ALIGN_LEFT, false), d->left, 6,
              label);
        break;
    }
    }
}

/* Whether page p opens with a "# " heading or is a front-matter page
 * without running headers (title, copyright, contents). */
static bool no_header(const struct page *p)
{
    return p->n_blocks == 0 || p->blocks[0].kind == B_H1 || p->blocks[0].kind == B_TITLE
           || p->blocks[0].kind == B_HEADING || !isdigit((unsigned char)p->label[0]);
}

/* Draws the running header and the footer of a page: the book's title on
 * a left-hand (even) page, the chapter's on a right-hand (odd) one. */
static void furniture(struct pdf *d, const struct page *p, bool even, bool folio)
{
    if (!no_header(p) && d->chapter != NULL) {
        PangoLayout *l = layout(d, even ? d->b->title : d->chapter, "DejaVu Sans Oblique 8.5",
                                TEXT_W, even ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT, false);

        cairo_move_to(d->cr, d->left, HEADER_Y);
        pango_cairo_show_layout(d->cr, l);
        g_object_unref(l);
        cairo_set_line_width(d->cr, 0.4);
        cairo_move_to(d->cr, d->left, HEADER_Y + 15);
        cairo_line_to(d->cr, d->left + TEXT_W, HEADER_Y + 15);
        cairo_stroke(d->cr);
    }
    if (folio) {
        PangoLayout *l = layout(d, p->label, FONT_FAMILY " 9", TEXT_W, PANGO_ALIGN_CENTER, false);

        cairo_move_to(d->cr, d->left, FOOTER_Y);
        pango_cairo_show_layout(d->cr, l);
        g_object_unref(l);
    }
}

/* Checks that fontconfig gives the font the layout was designed for: a
 * substitute would change line breaks, and so whether the pages fit. */
static bool font_available(void)
{
    PangoFontMap *map = pango_cairo_font_map_get_default();
    PangoContext *ctx = pango_font_map_create_context(map);
    PangoFontDescription *want = pango_font_description_from_string(FONT_FAMILY " 10");
    PangoFont *f = pango_font_map_load_font(map, ctx, want);
    PangoFontDescription *got = f ? pango_font_describe(f) : NULL;
    bool ok = got != NULL && strcmp(pango_font_description_get_family(got), FONT_FAMILY) == 0;

    if (!ok)
        fprintf(stderr, "mkbooks: the font \"%s\" is not installed (Debian: fonts-dejavu-core)\n",
                FONT_FAMILY);
    if (got != NULL)
        pango_font_description_free(got);
    if (f != NULL)
        g_object_unref(f);
    pango_font_description_free(want);
    g_object_unref(ctx);
    return ok;
}

/* Renders the parsed book to path; false (with a message) on any error. */
static bool render(const struct book *b, const char *path)
{
    struct pdf d = {.b = b, .ok = true, .chapter_outline = CAIRO_PDF_OUTLINE_ROOT};
    size_t i, j;

    d.surface = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_TITLE, b->title);
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_AUTHOR, b->authors);
    if (b->subtitle != NULL)
        cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_SUBJECT, b->subtitle);
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_KEYWORDS,
                                   "sample content; PLC Coach evaluation library");
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_CREATOR,
                                   "PLC Coach eval/holdout/mkbooks");
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   "2026-01-15T00:00:00Z");
    d.cr = cairo_create(d.surface);
    for (i = 0; i < b->n_pages; i++) {
        const struct page *p = &b->pages[i];
        int pageno = (int)i + 1;
        bool front = !isdigit((unsigned char)p->label[0]);
        /* No folio on the title and copyright pages (the first two). */
        bool folio = !(front && i < 2);
        /* Body pages face by their printed number, as in a bound book. */
        bool even = front ? pageno % 2 == 0 : atoi(p->label) % 2 == 0;

        cairo_pdf_surface_set_page_label(d.surface, p->label);
        d.left = even ? MARGIN_OUTER : MARGIN_INNER;
        d.y = TEXT_TOP;
        cairo_set_source_rgb(d.cr, 0, 0, 0);
        for (j = 0; j < p->n_blocks; j++) {
            if (p->blocks[j].kind == B_ROW && p->blocks[j].header_row)
                table_widths(&d, p, j);
            draw_block(&d, &p->blocks[j], p->label, pageno);
        }
        furniture(&d, p, even, folio);
        cairo_show_page(d.cr);
    }
    cairo_destroy(d.cr);
    cairo_surface_finish(d.surface);
    if (cairo_surface_status(d.surface) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "mkbooks: %s: %s\n", path,
                cairo_status_to_string(cairo_surface_status(d.surface)));
        d.ok = false;
    }
    cairo_surface_destroy(d.surface);
    if (!d.ok)
        (void)remove(path);
    return d.ok;
}

/* Reads a whole file; the caller frees the result.  NULL on error. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t len = 0, got;
    char buf[65536];

    if (f == NULL) {
        fprintf(stderr, "mkbooks: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
        data = xrealloc(data, len + got + 1);
        memcpy(data + len, buf, got);
        len += got;
    }
    fclose(f);
    if (data == NULL)
        data = xrealloc(NULL, 1);
    data[len] = '\0';
    if (memchr(data, '\0', len) != NULL) {
        fprintf(stderr, "mkbooks: %s: NUL byte in the source\n", path);
        free(data);
        return NULL;
    }
    return data;
}

/* Makes OUTDIR/<name of src without .book>.pdf; false on any error. */
static bool one_book(const char *outdir, const char *src)
{
    struct book b = {.path = src};
    const char *base = strrchr(src, '/');
    char out[4096];
    size_t bl;
    char *data = slurp(src);
    bool ok;

    if (data == NULL)
        return false;
    base = base ? base + 1 : src;
    bl = strlen(base);
    if (bl > 5 && strcmp(base + bl - 5, ".book") == 0)
        bl -= 5;
    snprintf(out, sizeof(out), "%s/%.*s.pdf", outdir, (int)bl, base);
    ok = parse_book(&b, data) && render(&b, out);
    free(data);
    book_free(&b);
    return ok;
}

int main(int argc, char **argv)
{
    int i, status = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: mkbooks OUTDIR BOOK.book...\n");
        return 2;
    }
    if (!font_available())
        return 1;
    for (i = 2; i < argc; i++)
        if (!one_book(argv[1], argv[i]))
            status = 1;
    /* Let go of the font caches so that leak checkers see only ours. */
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    FcFini();
    return status;
}
