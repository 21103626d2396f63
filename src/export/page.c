/*
 * Cited pages as PNG images; see page.h.
 *
 * The highlight is drawn with cairo's MULTIPLY operator in a warm yellow
 * over the rendered page, so the text under it stays as dark as it was
 * and the white around it turns yellow.  On a PDF page, the passage's
 * characters (match.h) are mapped to their boxes through poppler's text
 * layout (one rectangle per character of poppler_page_get_text), and the
 * boxes of one line are joined into one band.
 */
#include "config.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <poppler.h>
#include <stdio.h>
#include <string.h>

#include "export/amd.h"
#include "export/match.h"
#include "export/page.h"
#include "library/read.h"
#include "util/buf.h"

#define HL_R 1.0
#define HL_G 0.84
#define HL_B 0.30

static cairo_status_t write_png(void *closure, const unsigned char *data, unsigned int length)
{
    return buf_append(closure, data, length) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static bool finish_png(cairo_surface_t *s, struct buf *png, char *err, size_t errlen)
{
    cairo_status_t st;

    cairo_surface_flush(s);
    st = cairo_surface_write_to_png_stream(s, write_png, png);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "the image could not be written: %s", cairo_status_to_string(st));
        return false;
    }
    return true;
}

static PopplerDocument *open_pdf(const char *data, size_t n, char *err, size_t errlen)
{
    GBytes *b = g_bytes_new_static(data, n);
    GError *gerr = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(b, NULL, &gerr);

    g_bytes_unref(b);
    if (doc == NULL) {
        snprintf(err, errlen, "the book's PDF does not open: %s",
                 gerr != NULL ? gerr->message : "unknown error");
        if (gerr != NULL)
            g_error_free(gerr);
    }
    return doc;
}

bool page_texts(const char *data, size_t n, const char *format, int first, int last,
                struct arena *a, struct page_text *out, char *err, size_t errlen)
{
    int i;

    if (first < 0 || last < first || last - first >= PAGE_MAX_RANGE) {
        snprintf(err, errlen, "the cited page range is not valid");
        return false;
    }
    if (strcmp(format, "pdf") == 0) {
        PopplerDocument *doc = open_pdf(data, n, err, errlen);
        if (doc == NULL)
            return false;
        if (last >= poppler_document_get_n_pages(doc)) {
            snprintf(err, errlen, "the book's PDF has no page %d", last + 1);
            g_object_unref(doc);
            return false;
        }
        for (i = first; i <= last; i++) {
            PopplerPage *pg = poppler_document_get_page(doc, i);
            char *label = poppler_page_get_label(pg), *text = poppler_page_get_text(pg);
            out[i - first].label =
                label && label[0] ? arena_strdup(a, label) : arena_printf(a, "%d", i + 1);
            out[i - first].text = arena_strdup(a, text ? text : "");
            g_free(label);
            g_free(text);
            g_object_unref(pg);
        }
        g_object_unref(doc);
        return true;
    } else {
        struct doc d;
        if (!read_markdown(data, n, strcmp(format, "text") == 0 ? DOC_TEXT : DOC_MARKDOWN, &d, err,
                           errlen))
            return false;
        if ((size_t)last >= d.n_pages) {
            snprintf(err, errlen, "the book has no page %d", last + 1);
            doc_free(&d);
            return false;
        }
        for (i = first; i <= last; i++) {
            out[i - first].label = arena_strdup(a, d.pages[i].label);
            out[i - first].text = arena_strdup(a, d.pages[i].text);
        }
        doc_free(&d);
        return true;
    }
}

/* Fills the character boxes of range r, joined line by line, with the
 * highlight (cr scaled to page points). */
static void highlight_boxes(cairo_t *cr, const PopplerRectangle *rects, guint nrects,
                            const struct match_range *r)
{
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    bool open = false;
    size_t i;

    cairo_set_operator(cr, CAIRO_OPERATOR_MULTIPLY);
    cairo_set_source_rgb(cr, HL_R, HL_G, HL_B);
    for (i = r->char_start; i < r->char_end && i < nrects; i++) {
        const PopplerRectangle *b = &rects[i];
        double h = b->y2 - b->y1, mid = (b->y1 + b->y2) / 2;

        if (b->x2 - b->x1 <= 0.01 || h <= 0.01)
            continue; /* a line break or an empty glyph */
        if (open && mid > y1 && mid < y2 && b->x1 >= x1 - 2) {
            if (b->x2 > x2)
                x2 = b->x2;
            if (b->y1 < y1)
                y1 = b->y1;
            if (b->y2 > y2)
                y2 = b->y2;
            continue;
        }
        if (open)
            cairo_rectangle(cr, x1 - 1, y1 - 1, x2 - x1 + 2, y2 - y1 + 2);
        x1 = b->x1;
        y1 = b->y1;
        x2 = b->x2;
        y2 = b->y2;
        open = true;
    }
    if (open)
        cairo_rectangle(cr, x1 - 1, y1 - 1, x2 - x1 + 2, y2 - y1 + 2);
    cairo_fill(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
}

bool page_png_pdf(const char *data, size_t n, int index, const char *quote, int width,
                  struct buf *png, bool *found, char *err, size_t errlen)
{
    PopplerDocument *doc;
    PopplerPage *pg;
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    struct match_range ranges[MATCH_MAX_RANGES];
    size_t nranges = 0, i;
    cairo_surface_t *s;
    cairo_t *cr;
    double pw, ph, scale;
    int height;
    char *text;
    bool ok;

    *found = false;
    doc = open_pdf(data, n, err, errlen);
    if (doc == NULL)
        return false;
    if (index < 0 || index >= poppler_document_get_n_pages(doc)) {
        snprintf(err, errlen, "the book's PDF has no page %d", index + 1);
        g_object_unref(doc);
        return false;
    }
    pg = poppler_document_get_page(doc, index);
    poppler_page_get_size(pg, &pw, &ph);
    if (pw < 1 || ph < 1) {
        pw = 612;
        ph = 792;
    }
    scale = width / pw;
    height = (int)ceil(ph * scale);
    if (height > width * 4)
        height = width * 4;
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(pg, cr);
    text = poppler_page_get_text(pg);
    if (text != NULL && quote[0] != '\0' && poppler_page_get_text_layout(pg, &rects, &nrects))
        nranges = match_passage(text, strlen(text), quote, ranges, MATCH_MAX_RANGES);
    for (i = 0; i < nranges; i++)
        highlight_boxes(cr, rects, nrects, &ranges[i]);
    *found = nranges > 0;
    g_free(rects);
    g_free(text);
    cairo_destroy(cr);
    ok = finish_png(s, png, err, errlen);
    cairo_surface_destroy(s);
    g_object_unref(pg);
    g_object_unref(doc);
    return ok;
}

static PangoLayout *layout(cairo_t *cr, const char *family, double px, bool bold, int width)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_new();

    pango_font_description_set_family(fd, family);
    pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, width * PANGO_SCALE);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    return l;
}

bool page_png_text(const char *text, const char *heading, const char *label, const char *quote,
                   int width, struct buf *png, bool *found, char *err, size_t errlen)
{
    double unit = width / 612.0; /* one point of a US Letter page */
    int margin = (int)(54 * unit), inner = width - 2 * margin, height, max_h = width * 4;
    struct buf clean = BUF_INIT;
    struct match_range ranges[MATCH_MAX_RANGES];
    size_t nranges, i;
    cairo_surface_t *probe, *s;
    cairo_t *cr;
    PangoLayout *body, *head = NULL, *foot = NULL;
    PangoAttrList *attrs;
    PangoRectangle body_ext, head_ext = {0, 0, 0, 0}, foot_ext = {0, 0, 0, 0};
    bool ok;

    /* a first surface only to measure */
    probe = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cr = cairo_create(probe);
    amd_clean(&clean, text, strlen(text));
    body = layout(cr, "DejaVu Serif", 11.5 * unit, false, inner);
    pango_layout_set_line_spacing(body, 1.35f);
    pango_layout_set_text(body, buf_str(&clean), (int)clean.len);
    attrs = pango_attr_list_new();
    nranges =
        quote[0] ? match_passage(buf_str(&clean), clean.len, quote, ranges, MATCH_MAX_RANGES) : 0;
    for (i = 0; i < nranges; i++) {
        PangoAttribute *bg = pango_attr_background_new(0xffff, 0xd700, 0x4c00);
        bg->start_index = (guint)ranges[i].byte_start;
        bg->end_index = (guint)ranges[i].byte_end;
        pango_attr_list_insert(attrs, bg);
    }
    pango_layout_set_attributes(body, attrs);
    pango_attr_list_unref(attrs);
    *found = nranges > 0;
    if (heading != NULL && heading[0] != '\0') {
        struct buf h = BUF_INIT;
        amd_clean(&h, heading, strlen(heading));
        head = layout(cr, "DejaVu Sans", 8 * unit, true, inner);
        pango_layout_set_text(head, buf_str(&h), (int)h.len);
        pango_layout_set_ellipsize(head, PANGO_ELLIPSIZE_END);
        pango_layout_set_height(head, 0);
        pango_layout_get_pixel_extents(head, NULL, &head_ext);
        buf_free(&h);
    }
    if (label != NULL && label[0] != '\0') {
        struct buf f = BUF_INIT;
        amd_clean(&f, label, strlen(label));
        foot = layout(cr, "DejaVu Sans", 8.5 * unit, false, inner);
        pango_layout_set_alignment(foot, PANGO_ALIGN_CENTER);
        pango_layout_set_text(foot, buf_str(&f), (int)f.len);
        pango_layout_get_pixel_extents(foot, NULL, &foot_ext);
        buf_free(&f);
    }
    pango_layout_get_pixel_extents(body, NULL, &body_ext);
    height = margin * 2 + head_ext.height + (head ? margin / 2 : 0) + body_ext.height
             + (foot ? margin / 2 + foot_ext.height : 0);
    if (height < (int)(width * 11.0 / 8.5))
        height = (int)(width * 11.0 / 8.5);
    if (height > max_h) {
        /* cut the text to fit, ending in an ellipsis */
        int room = max_h - margin * 2 - head_ext.height - foot_ext.height - margin;
        pango_layout_set_height(body, room * PANGO_SCALE);
        pango_layout_set_ellipsize(body, PANGO_ELLIPSIZE_END);
        height = max_h;
    }
    cairo_destroy(cr);
    cairo_surface_destroy(probe);

    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    if (head != NULL) {
        pango_cairo_update_layout(cr, head);
        cairo_set_source_rgb(cr, 0.40, 0.40, 0.44);
        cairo_move_to(cr, margin, margin);
        pango_cairo_show_layout(cr, head);
    }
    pango_cairo_update_layout(cr, body);
    cairo_set_source_rgb(cr, 0.08, 0.08, 0.10);
    cairo_move_to(cr, margin, margin + (head ? head_ext.height + margin / 2 : 0));
    pango_cairo_show_layout(cr, body);
    if (foot != NULL) {
        pango_cairo_update_layout(cr, foot);
        cairo_set_source_rgb(cr, 0.40, 0.40, 0.44);
        cairo_move_to(cr, margin, height - margin / 2 - foot_ext.height);
        pango_cairo_show_layout(cr, foot);
        g_object_unref(foot);
    }
    if (head != NULL)
        g_object_unref(head);
    g_object_unref(body);
    buf_free(&clean);
    cairo_destroy(cr);
    ok = finish_png(s, png, err, errlen);
    cairo_surface_destroy(s);
    return ok;
}
