/*
 * The PDF export: cairo's PDF surface with pango for text; see export.h.
 *
 * Text is real text in fonts that cairo embeds as subsets (DejaVu, from
 * Debian's fonts-dejavu-core, found through fontconfig), so a reader can
 * search and copy it.  Two passes: the first lays every block out with
 * pango and places it line by line on US Letter pages (a page breaks only
 * between lines; a label or heading keeps with the two lines after it; a
 * paragraph never leaves one line alone at a page's foot), recording
 * where each line goes; the second draws the pages, now that their number
 * is known for the "Page N of M" footers.  Each question is a bookmark in
 * the document outline, and the title, author and creation date are the
 * document's metadata.
 */
#include "config.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "export/amd.h"
#include "export/export.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/retry.h"

/* US Letter, in points. */
#define PAGE_W 612.0
#define PAGE_H 792.0
#define LEFT 68.0
#define RIGHT (PAGE_W - 68.0)
#define TOP 64.0
#define BOTTOM (PAGE_H - 70.0)
#define FOOTER_BASELINE (PAGE_H - 40.0)
#define WIDTH (RIGHT - LEFT)
#define INDENT 18.0 /* a list level, a quote */

#define SERIF "DejaVu Serif"
#define SANS "DejaVu Sans"
#define MONO "DejaVu Sans Mono"

#define OUTLINE_CHARS 70 /* a bookmark's question text */

enum colour { INK, MUTED, ACCENT };

static const double colours[][3] = {
    {0.10, 0.10, 0.12}, /* INK */
    {0.38, 0.38, 0.42}, /* MUTED */
    {0.05, 0.33, 0.55}, /* ACCENT */
};

/* One line of a layout, placed on a page. */
struct placed {
    PangoLayout *layout; /* a reference held */
    int line;
    int page;
    double x, baseline;
    enum colour colour;
};

/* A quote's bar (a filled rectangle) or a rule (a line). */
struct deco {
    int page;
    bool rule;
    double x0, y0, x1, y1;
};

struct pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    struct arena *a;
    struct placed *items;
    size_t n, cap;
    struct deco *decos;
    size_t ndecos, capdecos;
    int page; /* while placing: the current page (0-based) */
    double y; /* while placing: the cursor */
};

/* ---- layouts ---------------------------------------------------------------- */

/* Whether this process drew text with pango's default font map, and
 * whether that map has been finalized since export_release() let go of it
 * (set from whichever thread drops the last reference). */
static bool fonts_used;
static gint font_map_gone;

/* How long export_release() waits for pango's threads, and the grace it
 * gives one to finish finalizing the map after disposing of it, in ms. */
#define RELEASE_WAIT_MS 2000
#define RELEASE_GRACE_MS 100

static PangoLayout *new_layout(struct pdf *p, const char *family, double size, bool bold,
                               bool italic, double width)
{
    PangoLayout *l;
    PangoFontDescription *fd = pango_font_description_new();

    fonts_used = true;
    l = pango_cairo_create_layout(p->cr);

    pango_font_description_set_family(fd, family);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_line_spacing(l, 1.25f);
    return l;
}

/* A layout of plain text (cleaned: pango wants valid UTF-8). */
static PangoLayout *text_layout(struct pdf *p, const char *text, const char *family, double size,
                                bool bold, bool italic, double width)
{
    PangoLayout *l = new_layout(p, family, size, bold, italic, width);
    struct buf clean = BUF_INIT;

    amd_clean(&clean, text, strlen(text));
    pango_layout_set_text(l, buf_str(&clean), (int)clean.len);
    buf_free(&clean);
    return l;
}

static void add_attr(PangoAttrList *list, PangoAttribute *attr, size_t start, size_t end)
{
    attr->start_index = (guint)start;
    attr->end_index = (guint)end;
    pango_attr_list_insert(list, attr);
}

/* Colours the citation markers "[n]" of text[from, to) in the accent. */
static void mark_citations(PangoAttrList *attrs, const char *text, size_t from, size_t to)
{
    size_t i, j;

    for (i = from; i < to; i++) {
        if (text[i] != '[')
            continue;
        for (j = i + 1; j < to && j - i <= 3 && text[j] >= '0' && text[j] <= '9'; j++)
            ;
        if (j > i + 1 && j < to && text[j] == ']') {
            add_attr(attrs, pango_attr_foreground_new(0x0d00, 0x5400, 0x8c00), i, j + 1);
            add_attr(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD), i, j + 1);
            i = j;
        }
    }
}

/* A layout of a block's styled spans. */
static PangoLayout *spans_layout(struct pdf *p, const struct amd_block *b, const char *family,
                                 double size, bool bold, double width)
{
    PangoLayout *l = new_layout(p, family, size, bold, false, width);
    PangoAttrList *attrs = pango_attr_list_new();
    struct buf text = BUF_INIT;
    size_t i;

    for (i = 0; i < b->nspans; i++) {
        const struct amd_span *s = &b->spans[i];
        size_t start = text.len, end;

        buf_append(&text, s->text, s->len);
        end = text.len;
        if (s->flags & AMD_STRONG)
            add_attr(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, end);
        if (s->flags & AMD_EM)
            add_attr(attrs, pango_attr_style_new(PANGO_STYLE_ITALIC), start, end);
        if (s->flags & AMD_CODE_SPAN) {
            add_attr(attrs, pango_attr_family_new(MONO), start, end);
            add_attr(attrs, pango_attr_scale_new(0.9), start, end);
        } else {
            mark_citations(attrs, text.data, start, end);
        }
        if (s->href != NULL) {
            add_attr(attrs, pango_attr_foreground_new(0x0d00, 0x5400, 0x8c00), start, end);
            add_attr(attrs, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), start, end);
            if (i + 1 == b->nspans || b->spans[i + 1].href != s->href) {
                /* the address, printed: a PDF is often read on paper */
                start = text.len;
                buf_puts(&text, " (");
                amd_clean(&text, s->href, strlen(s->href));
                buf_putc(&text, ')');
                add_attr(attrs, pango_attr_scale_new(0.85), start, text.len);
                add_attr(attrs, pango_attr_foreground_new(0x6000, 0x6000, 0x6b00), start, text.len);
            }
        }
    }
    pango_layout_set_text(l, buf_str(&text), (int)text.len);
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
    buf_free(&text);
    return l;
}

/* ---- placing ----------------------------------------------------------------- */

static void new_page(struct pdf *p)
{
    p->page++;
    p->y = TOP;
}

static struct placed *add_item(struct pdf *p)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->items = xrealloc(p->items, p->cap * sizeof(*p->items));
    }
    return &p->items[p->n++];
}

static void add_deco(struct pdf *p, bool rule, double x0, double y0, double x1, double y1)
{
    struct deco *d;

    if (p->ndecos == p->capdecos) {
        p->capdecos = p->capdecos ? p->capdecos * 2 : 64;
        p->decos = xrealloc(p->decos, p->capdecos * sizeof(*p->decos));
    }
    d = &p->decos[p->ndecos++];
    d->page = p->page;
    d->rule = rule;
    d->x0 = x0;
    d->y0 = y0;
    d->x1 = x1;
    d->y1 = y1;
}

/* The logical extents (top, height) and baseline of line i, in points. */
static void line_metrics(PangoLayout *l, int i, double *top, double *height, double *baseline)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    PangoRectangle logical;
    int k;

    for (k = 0; k < i; k++)
        pango_layout_iter_next_line(it);
    pango_layout_iter_get_line_extents(it, NULL, &logical);
    *top = (double)logical.y / PANGO_SCALE;
    *height = (double)logical.height / PANGO_SCALE;
    *baseline = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
    pango_layout_iter_free(it);
}

/* Height of the first k lines of l (all when fewer). */
static double first_lines_height(PangoLayout *l, int k)
{
    int n = pango_layout_get_line_count(l);
    double top, h, bl;

    if (k > n)
        k = n;
    if (k <= 0)
        return 0;
    line_metrics(l, k - 1, &top, &h, &bl);
    return top + h;
}

/* Places the lines of l (taken over: unreferenced here) at x after
 * `before` points of space (none at a page's top).  The first `keep`
 * lines, and `after` points past the layout (what must follow on the same
 * page: a heading's next lines), move to the next page together when they
 * do not fit.  bar: a quote's bar beside each line.  Returns the index of
 * the first line's item (or (size_t)-1 when l has no line). */
static size_t place(struct pdf *p, PangoLayout *l, double x, double before, int keep, double after,
                    enum colour colour, bool bar)
{
    PangoLayoutIter *it;
    double base, shift = 0, last_bottom = 0;
    size_t first = (size_t)-1;
    int i = 0, on_page = 0, nlines = pango_layout_get_line_count(l);

    if (p->y > TOP)
        p->y += before;
    if (nlines > 0 && p->y > TOP
        && p->y + first_lines_height(l, keep < 1 ? 1 : keep) + after > BOTTOM)
        new_page(p);
    base = p->y;
    it = pango_layout_get_iter(l);
    do {
        PangoRectangle logical;
        double top, height, bl;
        struct placed *item;

        pango_layout_iter_get_line_extents(it, NULL, &logical);
        top = (double)logical.y / PANGO_SCALE;
        height = (double)logical.height / PANGO_SCALE;
        bl = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        /* a line that does not fit starts the next page; so does the
         * second-to-last line when the last would be left alone */
        if (on_page > 0
            && (base + top + height - shift > BOTTOM
                || (i == nlines - 2 && nlines >= 3
                    && base + first_lines_height(l, nlines) - shift > BOTTOM))) {
            new_page(p);
            base = p->y;
            shift = top;
            on_page = 0;
        }
        item = add_item(p);
        item->layout = g_object_ref(l);
        item->line = i;
        item->page = p->page;
        item->x = x;
        item->baseline = base + bl - shift;
        item->colour = colour;
        if (first == (size_t)-1)
            first = p->n - 1;
        if (bar)
            add_deco(p, false, x - INDENT + 4, base + top - shift, x - INDENT + 6.5,
                     base + top + height - shift);
        last_bottom = base + top + height - shift;
        on_page++;
        i++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
    if (nlines > 0)
        p->y = last_bottom;
    return first;
}

/* A marker (bullet, number) beside the first line of an item. */
static void place_marker(struct pdf *p, size_t first, const char *text, double x_right, double size)
{
    PangoLayout *l;
    PangoRectangle logical;
    struct placed *item;
    int page;
    double baseline;

    if (first == (size_t)-1)
        return;
    page = p->items[first].page;
    baseline = p->items[first].baseline;
    l = text_layout(p, text, SERIF, size, false, false, INDENT * 2);
    pango_layout_get_pixel_extents(l, NULL, &logical);
    item = add_item(p);
    item->layout = l; /* the item takes the reference */
    item->line = 0;
    item->page = page;
    item->x = x_right - logical.width;
    item->baseline = baseline;
    item->colour = MUTED;
}

/* ---- the conversation ------------------------------------------------------- */

static void place_answer(struct pdf *p, const char *markdown)
{
    struct amd_doc d;
    size_t i;

    amd_parse(p->a, markdown, strlen(markdown), &d);
    for (i = 0; i < d.nblocks; i++) {
        const struct amd_block *b = &d.blocks[i];
        double indent = (b->kind == AMD_BULLET || b->kind == AMD_ORDERED) ? INDENT * (b->level + 1)
                        : b->kind == AMD_QUOTE                            ? INDENT
                                                                          : 0;
        bool item = b->kind == AMD_BULLET || b->kind == AMD_ORDERED;
        bool prev_item =
            i > 0 && (d.blocks[i - 1].kind == AMD_BULLET || d.blocks[i - 1].kind == AMD_ORDERED);
        PangoLayout *l;
        size_t first;

        switch (b->kind) {
        case AMD_RULE:
            if (p->y > TOP)
                p->y += 6;
            add_deco(p, true, LEFT + WIDTH * 0.3, p->y, LEFT + WIDTH * 0.7, p->y);
            p->y += 6;
            continue;
        case AMD_HEADING:
            l = spans_layout(p, b, SANS, b->level <= 2 ? 11.5 : 10.5, true, WIDTH);
            place(p, l, LEFT, 8, 1, 28, INK, false);
            continue;
        case AMD_CODE:
            l = spans_layout(p, b, MONO, 8.5, false, WIDTH - INDENT);
            pango_layout_set_wrap(l, PANGO_WRAP_CHAR);
            place(p, l, LEFT + INDENT, 5, 2, 0, INK, true);
            continue;
        default: break;
        }
        l = spans_layout(p, b, SERIF, 10, false, WIDTH - indent);
        first = place(p, l, LEFT + indent, item && prev_item ? 2.5 : 6, 2, 0,
                      b->kind == AMD_QUOTE ? MUTED : INK, b->kind == AMD_QUOTE);
        if (b->kind == AMD_BULLET)
            place_marker(p, first, b->level % 2 ? "\xE2\x80\x93" : "\xE2\x80\xA2",
                         LEFT + indent - 6, 10);
        else if (b->kind == AMD_ORDERED)
            place_marker(p, first, arena_printf(p->a, "%ld.", b->number), LEFT + indent - 5, 10);
    }
}

static void place_sources(struct pdf *p, const struct export_message *m)
{
    size_t i;

    if (m->ncitations == 0)
        return;
    place(p, text_layout(p, "SOURCES", SANS, 7.5, true, false, WIDTH), LEFT, 12, 1, 24, MUTED,
          false);
    for (i = 0; i < m->ncitations; i++) {
        const struct export_citation *c = &m->citations[i];
        PangoLayout *l = text_layout(p, c->label, SANS, 8.5, false, false, WIDTH - INDENT * 1.5);
        size_t first = place(p, l, LEFT + INDENT * 1.5, 5, 2, 0, INK, false);

        place_marker(p, first, arena_printf(p->a, "[%d]", c->n), LEFT + INDENT * 1.5 - 5, 8.5);
        if (c->quote[0] != '\0')
            place(p, text_layout(p, c->quote, SERIF, 8.5, false, true, WIDTH - INDENT * 2.5),
                  LEFT + INDENT * 2.5, 2.5, 2, 0, MUTED, true);
    }
}

/* The outline's name for a question: "N. text", one line, cut. */
static const char *outline_name(struct pdf *p, size_t n, const char *question)
{
    struct buf b = BUF_INIT, clean = BUF_INIT;
    size_t i, chars = 0;
    const char *out;

    amd_clean(&clean, question, strlen(question));
    buf_printf(&b, "%zu. ", n);
    for (i = 0; i < clean.len && chars < OUTLINE_CHARS; i++) {
        char c = clean.data[i];
        if (c == '\n' || c == '\t')
            c = ' ';
        if (c == ' ' && b.len > 0 && b.data[b.len - 1] == ' ')
            continue;
        buf_putc(&b, c);
        if (((unsigned char)c & 0xC0) != 0x80)
            chars++;
    }
    /* never cut inside a UTF-8 sequence */
    while (i < clean.len && ((unsigned char)clean.data[i] & 0xC0) == 0x80)
        buf_putc(&b, clean.data[i++]);
    if (i < clean.len)
        buf_puts(&b, "\xE2\x80\xA6");
    out = arena_strdup(p->a, buf_str(&b));
    buf_free(&b);
    buf_free(&clean);
    return out;
}

static void place_conversation(struct pdf *p, const struct export_conversation *c)
{
    const char *title = c->title[0] ? c->title : "Untitled conversation";
    struct buf meta = BUF_INIT;
    size_t i, question = 0;

    place(p, text_layout(p, title, SANS, 19, true, false, WIDTH), LEFT, 0, 1, 0, INK, false);
    buf_printf(&meta, "Conversation of %s", c->author[0] ? c->author : "a PLC Coach user");
    if (c->created_at != NULL)
        buf_printf(&meta, " \xC2\xB7 started %s", export_time(p->a, c->created_at));
    buf_printf(&meta, "\nExported from PLC Coach %s", export_time(p->a, c->exported_at));
    if (c->shared_by != NULL)
        buf_printf(&meta, " \xC2\xB7 shared by %s (view-only link)", c->shared_by);
    place(p, text_layout(p, buf_str(&meta), SANS, 8.5, false, false, WIDTH), LEFT, 6, 1, 0, MUTED,
          false);
    buf_free(&meta);
    p->y += 10;
    add_deco(p, true, LEFT, p->y, RIGHT, p->y);
    p->y += 4;

    for (i = 0; i < c->nmessages; i++) {
        const struct export_message *m = &c->messages[i];

        if (m->question) {
            char link[96];
            const char *label;
            size_t first;

            question++;
            if (question > 1 && p->y > TOP) {
                p->y += 14;
                if (p->y + 60 > BOTTOM)
                    new_page(p);
                else
                    add_deco(p, true, LEFT, p->y, RIGHT, p->y);
            }
            label = m->created_at ? arena_printf(p->a, "QUESTION %zu \xC2\xB7 %s", question,
                                                 export_time(p->a, m->created_at))
                                  : arena_printf(p->a, "QUESTION %zu", question);
            first = place(p, text_layout(p, label, SANS, 7.5, true, false, WIDTH), LEFT, 12, 1, 40,
                          ACCENT, false);
            snprintf(link, sizeof(link), "page=%d pos=[%.1f %.1f]", p->items[first].page + 1, LEFT,
                     p->items[first].baseline - 12 > 0 ? p->items[first].baseline - 12 : 0);
            cairo_pdf_surface_add_outline(p->surface, CAIRO_PDF_OUTLINE_ROOT,
                                          outline_name(p, question, m->content), link, 0);
            /* the question stays with the start of its answer */
            place(p, text_layout(p, m->content, SERIF, 11.5, true, false, WIDTH), LEFT, 4, 99, 44,
                  INK, false);
            continue;
        }
        place(p,
              text_layout(p,
                          m->kind && strcmp(m->kind, "clarification") == 0 ? "CLARIFYING QUESTION"
                          : m->kind && strcmp(m->kind, "refusal") == 0     ? "NO ANSWER"
                          : m->kind && strcmp(m->kind, "error") == 0       ? "ANSWER NOT FINISHED"
                                                                           : "ANSWER",
                          SANS, 7.5, true, false, WIDTH),
              LEFT, 12, 1, 24, MUTED, false);
        place_answer(p, m->content);
        for (size_t k = 0; k < m->nchoices; k++) {
            size_t first =
                place(p, text_layout(p, m->choices[k], SERIF, 10, false, false, WIDTH - INDENT),
                      LEFT + INDENT, 2.5, 1, 0, INK, false);
            place_marker(p, first, "\xE2\x80\xA2", LEFT + INDENT - 6, 10);
        }
        place_sources(p, m);
    }
}

/* ---- drawing ------------------------------------------------------------------ */

static void draw_footer(struct pdf *p, const char *title, int page, int pages)
{
    PangoLayout *l = text_layout(p, title, SANS, 7.5, false, false, WIDTH * 0.6);
    char num[64];
    PangoRectangle logical;

    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    pango_layout_set_height(l, 0); /* one line */
    cairo_set_source_rgb(p->cr, colours[MUTED][0], colours[MUTED][1], colours[MUTED][2]);
    cairo_move_to(p->cr, LEFT, FOOTER_BASELINE);
    pango_cairo_show_layout_line(p->cr, pango_layout_get_line_readonly(l, 0));
    g_object_unref(l);
    snprintf(num, sizeof(num), "Page %d of %d", page + 1, pages);
    l = text_layout(p, num, SANS, 7.5, false, false, WIDTH);
    pango_layout_get_pixel_extents(l, NULL, &logical);
    cairo_move_to(p->cr, RIGHT - logical.width, FOOTER_BASELINE);
    pango_cairo_show_layout_line(p->cr, pango_layout_get_line_readonly(l, 0));
    g_object_unref(l);
}

static void draw(struct pdf *p, const char *title)
{
    int pages = p->page + 1, page;
    size_t i;

    for (page = 0; page < pages; page++) {
        for (i = 0; i < p->ndecos; i++) {
            const struct deco *d = &p->decos[i];
            if (d->page != page)
                continue;
            if (d->rule) {
                cairo_set_source_rgb(p->cr, 0.80, 0.80, 0.84);
                cairo_set_line_width(p->cr, 0.6);
                cairo_move_to(p->cr, d->x0, d->y0);
                cairo_line_to(p->cr, d->x1, d->y1);
                cairo_stroke(p->cr);
            } else {
                cairo_set_source_rgb(p->cr, 0.78, 0.84, 0.90);
                cairo_rectangle(p->cr, d->x0, d->y0, d->x1 - d->x0, d->y1 - d->y0);
                cairo_fill(p->cr);
            }
        }
        for (i = 0; i < p->n; i++) {
            const struct placed *it = &p->items[i];
            const double *rgb = colours[it->colour];
            if (it->page != page)
                continue;
            cairo_set_source_rgb(p->cr, rgb[0], rgb[1], rgb[2]);
            cairo_move_to(p->cr, it->x, it->baseline);
            pango_cairo_show_layout_line(p->cr,
                                         pango_layout_get_line_readonly(it->layout, it->line));
        }
        draw_footer(p, title, page, pages);
        cairo_show_page(p->cr);
    }
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
    struct buf *out = closure;

    return buf_append(out, data, length) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* "2024-05-01T14:03:09Z" as cairo's metadata wants it (the same text). */
static bool iso_time(const char *s)
{
    return s != NULL && strlen(s) >= 19 && s[4] == '-' && s[10] == 'T';
}

bool export_render_pdf(const struct export_conversation *c, struct buf *out, char *err,
                       size_t errlen)
{
    struct arena a = ARENA_INIT;
    struct pdf p;
    size_t start = out->len, i;
    cairo_status_t st;
    struct buf title = BUF_INIT, author = BUF_INIT;

    memset(&p, 0, sizeof(p));
    p.a = &a;
    p.y = TOP;
    p.surface = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
    p.cr = cairo_create(p.surface);
    amd_clean(&title, c->title[0] ? c->title : "Untitled conversation",
              strlen(c->title[0] ? c->title : "Untitled conversation"));
    amd_clean(&author, c->author, strlen(c->author));
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, buf_str(&title));
    if (author.len > 0)
        cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_AUTHOR, buf_str(&author));
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "PLC Coach");
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_SUBJECT,
                                   "A conversation with PLC Coach, with its sources");
    if (iso_time(c->exported_at))
        cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATE_DATE, c->exported_at);

    place_conversation(&p, c);
    draw(&p, buf_str(&title));

    cairo_destroy(p.cr);
    cairo_surface_finish(p.surface);
    st = cairo_surface_status(p.surface);
    cairo_surface_destroy(p.surface);
    for (i = 0; i < p.n; i++)
        g_object_unref(p.items[i].layout);
    free(p.items);
    free(p.decos);
    buf_free(&title);
    buf_free(&author);
    arena_free(&a);
    if (st != CAIRO_STATUS_SUCCESS || out->overflow) {
        snprintf(err, errlen, "the PDF could not be made: %s",
                 out->overflow ? "too large" : cairo_status_to_string(st));
        out->len = start;
        if (out->data != NULL)
            out->data[start] = '\0';
        return false;
    }
    return true;
}

static void font_map_finalized(gpointer gone, GObject *map)
{
    (void)map;
    g_atomic_int_set((gint *)gone, 1);
}

void export_release(void)
{
    int ms;

    /* pango (>= 1.48) sorts a fontset's fonts in a thread of its own that
     * holds the font map until it ends, and under load it can outlive the
     * render: cairo_debug_reset_static_data() with the map's fonts still
     * alive fails cairo's assertion (hash_table->live_entries == 0, in
     * 'plccoach export --format pdf' of the fresh-clone CI, issue 16).  So
     * the map is let go of, waited for, and only then cairo and fontconfig
     * reset; if it outlives the wait, the process's exit frees it all. */
    if (fonts_used) {
        g_object_weak_ref(G_OBJECT(pango_cairo_font_map_get_default()), font_map_finalized,
                          &font_map_gone);
        pango_cairo_font_map_set_default(NULL);
        if (!g_atomic_int_get(&font_map_gone)) {
            /* Another thread holds it: the notification comes when that
             * thread disposes of the map, before it has finalized it (and
             * dropped its fontconfig references), hence the grace after. */
            for (ms = 0; !g_atomic_int_get(&font_map_gone) && ms < RELEASE_WAIT_MS; ms++)
                sleep_ms(1);
            if (!g_atomic_int_get(&font_map_gone))
                return;
            sleep_ms(RELEASE_GRACE_MS);
        }
    }
    cairo_debug_reset_static_data();
    FcFini();
}
