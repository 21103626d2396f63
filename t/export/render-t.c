/* Tests for src/export: the answer Markdown subset (amd.c), and the PDF,
 * Markdown and text renderers, the PDF read back with poppler: every
 * question, answer and citation in its text, embedded subset fonts, one
 * bookmark per question, the metadata, page numbers, pagination. */
#include "config.h"

#include <pango/pangocairo.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/amd.h"
#include "export/export.h"
#include "tap/basic.h"
#include "util/buf.h"

/* The spans of block i of d as "flags:text|..." (flags s, e, c, l). */
static const char *spans_of(struct arena *a, const struct amd_doc *d, size_t i)
{
    struct buf b = BUF_INIT;
    const char *out;
    size_t k;

    if (i >= d->nblocks)
        return "(none)";
    for (k = 0; k < d->blocks[i].nspans; k++) {
        const struct amd_span *s = &d->blocks[i].spans[k];
        if (k > 0)
            buf_putc(&b, '|');
        if (s->flags & AMD_STRONG)
            buf_putc(&b, 's');
        if (s->flags & AMD_EM)
            buf_putc(&b, 'e');
        if (s->flags & AMD_CODE_SPAN)
            buf_putc(&b, 'c');
        if (s->href)
            buf_printf(&b, "l(%s)", s->href);
        buf_printf(&b, ":%.*s", (int)s->len, s->text);
    }
    out = arena_strdup(a, buf_str(&b));
    buf_free(&b);
    return out;
}

static void test_amd(void)
{
    struct arena a = ARENA_INIT;
    struct amd_doc d;
    const char *md = "# Heading one ##\n"
                     "A paragraph with **strong**, *em*, _under_ and `code` [1].\n"
                     "Continued line with a [link](https://example.org/x) and snake_case.\n"
                     "\n"
                     "- first item\n"
                     "  - nested *item*\n"
                     "- second\n"
                     "3. third, ordered\n"
                     "> quoted\n"
                     "> more\n"
                     "---\n"
                     "```\n"
                     "code **not bold**\n"
                     "```\n"
                     "\\*not em\\* and <b>html</b> and **unclosed";

    amd_parse(&a, md, strlen(md), &d);
    is_int(10, (long long)d.nblocks, "ten blocks");
    is_int(AMD_HEADING, d.blocks[0].kind, "a heading");
    is_int(1, d.blocks[0].level, "of level 1");
    is_string(":Heading one", spans_of(&a, &d, 0), "without its closing #s");
    is_string(
        ":A paragraph with |s:strong|:, |e:em|:, |e:under|: and |c:code|: [1]. Continued line "
        "with a |l(https://example.org/x):link|: and snake_case.",
        spans_of(&a, &d, 1),
        "spans: strong, emphasis, code, link; lines joined; "
        "no emphasis inside snake_case; [1] kept");
    is_int(AMD_BULLET, d.blocks[2].kind, "a bullet");
    is_int(1, d.blocks[3].level, "nested by indentation");
    is_string(":nested |e:item", spans_of(&a, &d, 3), "nested item's spans");
    is_int(AMD_ORDERED, d.blocks[5].kind, "an ordered item");
    is_int(3, d.blocks[5].number, "with its number");
    is_int(AMD_QUOTE, d.blocks[6].kind, "a quote");
    is_string(":quoted more", spans_of(&a, &d, 6), "quote lines joined");
    is_int(AMD_RULE, d.blocks[7].kind, "a rule");
    is_int(AMD_CODE, d.blocks[8].kind, "a code block");
    is_string("c:code **not bold**", spans_of(&a, &d, 8), "code is literal");
    amd_parse(&a, "\\*not em\\* and <b>html</b> and **unclosed", 41, &d);
    is_string(":*not em* and <b>html</b> and **unclosed", spans_of(&a, &d, 0),
              "escapes, raw HTML as text, an unclosed delimiter as text");
    amd_parse(&a,
              "a\x01"
              "b\xff"
              "c\r\nd",
              8, &d);
    is_string(":a"
              "b\xEF\xBF\xBD"
              "c d",
              spans_of(&a, &d, 0),
              "control bytes dropped, invalid UTF-8 replaced, CRLF a line break");
    amd_parse(&a, "***both*** and ``a ` b`` and ![alt](http://i/x.png)", 51, &d);
    is_string("se:both|: and |c:a ` b|: and |l(http://i/x.png):alt", spans_of(&a, &d, 0),
              "strong emphasis, a double-backtick span, an image as its text");
    amd_parse(&a, "", 0, &d);
    is_int(0, (long long)d.nblocks, "nothing gives no block");
    arena_free(&a);
}

/* ---- renderers ------------------------------------------------------------- */

#define NQ 40

static struct export_message msgs[NQ * 2];
static struct export_citation cites[NQ][2];
static char qtext[NQ][160], atext[NQ][1400];

static void build(struct export_conversation *c)
{
    size_t i;

    memset(c, 0, sizeof(*c));
    c->title = "Planning common formative assessments";
    c->author = "Ed Educator";
    c->created_at = "2024-05-01T14:03:09Z";
    c->exported_at = "2024-05-02T08:00:00Z";
    for (i = 0; i < NQ; i++) {
        snprintf(qtext[i], sizeof(qtext[i]),
                 "Question number %zu: how should our team handle "
                 "topic %zu when students do not learn it?",
                 i + 1, i + 1);
        snprintf(atext[i], sizeof(atext[i]),
                 "Answer number %zu starts with **a strong claim** and *an emphasis* [1].\n\n"
                 "- the first step of answer %zu\n- the second step, which is long enough to "
                 "wrap onto a second line of the page when it is laid out in the PDF [2]\n\n"
                 "1. ordered one\n2. ordered two\n\n"
                 "A closing paragraph for answer %zu that talks about collective responsibility "
                 "and shared learning targets, long enough to take several lines in the PDF so "
                 "that pages fill and break between lines rather than inside them.",
                 i + 1, i + 1, i + 1);
        msgs[2 * i].question = true;
        msgs[2 * i].content = qtext[i];
        msgs[2 * i].created_at = "2024-05-01T14:05:00Z";
        msgs[2 * i + 1].content = atext[i];
        msgs[2 * i + 1].kind = "answer";
        cites[i][0].n = 1;
        cites[i][0].label = "Learning by Doing by Richard DuFour and Rebecca DuFour, Chapter 3: "
                            "Results, pp. 44-45";
        cites[i][0].quote = "Teams must agree on what all students are to learn.";
        cites[i][1].n = 2;
        cites[i][1].label = "Collaborative Teams by A. Writer, p. 7";
        cites[i][1].quote = i == 0 ? "Caf\xC3\xA9 data \xE2\x80\x94 \xCF\x80 and \xC3\xBC." : "";
        msgs[2 * i + 1].citations = cites[i];
        msgs[2 * i + 1].ncitations = 2;
    }
    c->messages = msgs;
    c->nmessages = NQ * 2;
}

static bool has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

/* Counts the outline's top-level entries. */
static int outline_entries(PopplerDocument *doc, char *first, size_t len)
{
    PopplerIndexIter *it = poppler_index_iter_new(doc);
    int n = 0;

    if (it == NULL)
        return 0;
    do {
        PopplerAction *act = poppler_index_iter_get_action(it);
        if (n == 0 && act != NULL && act->any.title != NULL)
            snprintf(first, len, "%s", act->any.title);
        poppler_action_free(act);
        n++;
    } while (poppler_index_iter_next(it));
    poppler_index_iter_free(it);
    return n;
}

static void test_pdf(const struct export_conversation *c)
{
    struct buf pdf = BUF_INIT, all = BUF_INIT;
    char err[256] = "", first[256] = "";
    PopplerDocument *doc;
    GError *gerr = NULL;
    PopplerFontInfo *fi;
    PopplerFontsIter *fit = NULL;
    GBytes *bytes;
    int pages, i, fonts = 0, embedded = 0, subset = 0;
    bool all_q = true, all_a = true, numbers = true;
    char *s;

    ok(export_render(c, EXPORT_PDF, &pdf, err, sizeof(err)), "the PDF renders (%s)", err);
    ok(pdf.len > 1000 && memcmp(pdf.data, "%PDF-", 5) == 0, "it is a PDF (%zu bytes)", pdf.len);
    if (getenv("PLC_EXPORT_DUMP") != NULL) {
        /* to look at it: PLC_EXPORT_DUMP=/tmp/x.pdf t/export/render-t */
        FILE *f = fopen(getenv("PLC_EXPORT_DUMP"), "wb");
        if (f != NULL) {
            fwrite(pdf.data, 1, pdf.len, f);
            fclose(f);
        }
    }
    bytes = g_bytes_new(pdf.data, pdf.len);
    doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    g_bytes_unref(bytes);
    ok(doc != NULL, "poppler opens it");
    if (doc == NULL)
        bail("cannot go on: %s", gerr ? gerr->message : "?");
    pages = poppler_document_get_n_pages(doc);
    ok(pages >= 8, "40 exchanges take several pages (%d)", pages);
    for (i = 0; i < pages; i++) {
        PopplerPage *pg = poppler_document_get_page(doc, i);
        char *t = poppler_page_get_text(pg);
        char want[64];
        snprintf(want, sizeof(want), "Page %d of %d", i + 1, pages);
        if (!has(t, want))
            numbers = false;
        buf_puts(&all, t);
        buf_putc(&all, '\n');
        g_free(t);
        g_object_unref(pg);
    }
    ok(numbers, "every page's footer says Page N of M");
    for (i = 0; i < NQ; i++) {
        char q[64], a[64], steps[64];
        snprintf(q, sizeof(q), "Question number %d: how should", i + 1);
        snprintf(a, sizeof(a), "Answer number %d starts with a strong claim", i + 1);
        snprintf(steps, sizeof(steps), "the first step of answer %d", i + 1);
        if (!has(all.data, q))
            all_q = false;
        if (!has(all.data, a) || !has(all.data, steps))
            all_a = false;
    }
    ok(all_q, "the text holds every question");
    ok(all_a, "and every answer (paragraphs and list items), as text");
    ok(has(all.data, "Learning by Doing by Richard DuFour and Rebecca DuFour, Chapter 3: Results, "
                     "pp. 44-45"),
       "citations as Title by Authors, Chapter N: Chapter title, pp. X-Y");
    ok(has(all.data, "Teams must agree on what all students are to learn."), "with the quote");
    ok(has(all.data, "Caf\xC3\xA9 data \xE2\x80\x94 \xCF\x80 and \xC3\xBC."),
       "non-ASCII text survives as text");
    ok(has(all.data, "Planning common formative assessments") && has(all.data, "Ed Educator"),
       "the title and who");
    ok(!has(all.data, "**") && !has(all.data, "- the first"),
       "Markdown syntax is drawn, not shown");
    is_int(NQ, outline_entries(doc, first, sizeof(first)), "one bookmark per question");
    is_string(
        "1. Question number 1: how should our team handle topic 1 when students do\xE2\x80\xA6",
        first, "named after the question, cut");
    s = poppler_document_get_title(doc);
    is_string("Planning common formative assessments", s, "metadata: title");
    g_free(s);
    s = poppler_document_get_author(doc);
    is_string("Ed Educator", s, "metadata: author");
    g_free(s);
    is_int(1714636800, (long long)poppler_document_get_creation_date(doc),
           "metadata: creation date");
    fi = poppler_font_info_new(doc);
    while (poppler_font_info_scan(fi, pages, &fit)) {
        if (fit == NULL)
            continue;
        do {
            fonts++;
            if (poppler_fonts_iter_is_embedded(fit))
                embedded++;
            if (poppler_fonts_iter_is_subset(fit))
                subset++;
        } while (poppler_fonts_iter_next(fit));
        poppler_fonts_iter_free(fit);
        fit = NULL;
    }
    g_object_unref(fi);
    ok(fonts >= 3, "several fonts (%d)", fonts);
    is_int(fonts, embedded, "all embedded");
    is_int(fonts, subset, "all subset");
    g_object_unref(doc);
    buf_free(&all);
    buf_free(&pdf);
}

static void test_text_formats(const struct export_conversation *c)
{
    struct buf md = BUF_INIT, txt = BUF_INIT;
    char err[64];

    ok(export_render(c, EXPORT_MD, &md, err, sizeof(err)), "Markdown renders");
    ok(has(md.data, "# Planning common formative assessments\n"), "a title heading");
    ok(has(md.data, "## Question 40\n\nQuestion number 40: how should"), "each question");
    ok(has(md.data, "**a strong claim** and *an emphasis* \\[1\\]")
           || has(md.data, "**a strong claim** and *an emphasis* [1]"),
       "answers keep their emphasis");
    ok(has(md.data, "- **\\[1\\]** Learning by Doing by Richard DuFour and Rebecca DuFour, Chapter "
                    "3: Results, pp. 44-45\n\n  > Teams must agree"),
       "sources with their quotes");
    ok(export_render(c, EXPORT_TXT, &txt, err, sizeof(err)), "text renders");
    ok(has(txt.data, "QUESTION 40") && has(txt.data, "Answer number 40 starts with a strong claim"),
       "text: questions and answers, without markup");
    ok(has(txt.data, "  [1] Learning by Doing by Richard DuFour and Rebecca DuFour, Chapter 3:"),
       "text: the citation label");
    ok(has(txt.data, "\"Teams must agree on what all students are to learn.\""), "text: the quote");
    {
        const char *p = txt.data;
        size_t longest = 0, cur = 0;
        for (; *p; p++) {
            if (*p == '\n') {
                cur = 0;
                continue;
            }
            if (((unsigned char)*p & 0xC0) != 0x80 && ++cur > longest)
                longest = cur;
        }
        ok(longest <= 78, "text lines wrap at 78 characters (longest %zu)", longest);
    }
    buf_free(&md);
    buf_free(&txt);
}

static void test_names(void)
{
    struct arena a = ARENA_INIT;
    enum export_format f;

    is_string(
        "planning-cfas-for-grade-3-2024-05-01.pdf",
        export_filename(&a, "Planning CFAs: for grade 3!", "2024-05-01T10:00:00Z", EXPORT_PDF),
        "a file name from the title and date");
    is_string("conversation.md", export_filename(&a, "\xC3\xA9\xC3\xA9", NULL, EXPORT_MD),
              "a title with no ASCII letters");
    ok(export_format_parse("txt", &f) && f == EXPORT_TXT, "txt parses");
    ok(!export_format_parse("docx", &f), "docx does not");
    arena_free(&a);
}

static void test_from_json(void)
{
    struct arena a = ARENA_INIT;
    struct export_conversation c;
    json_object *j = json_tokener_parse(
        "{\"title\":\"T\",\"author\":\"Ann\",\"messages\":["
        "{\"role\":\"user\",\"content\":\"Q?\",\"created_at\":\"2024-01-01T00:00:00Z\"},"
        "{\"role\":\"assistant\",\"content\":\"A [1]\",\"type\":\"answer\",\"citations\":[{\"n\":1,"
        "\"book\":{\"title\":\"B\",\"authors\":[\"X\",\"Y\"]},\"chapter\":{\"number\":\"2\","
        "\"title\":\"Ch\"},\"pages\":{\"start\":\"3\",\"end\":\"4\"},\"quote\":\"qq\"}]},"
        "{\"role\":\"assistant\",\"content\":\"Which?\",\"type\":\"clarification\","
        "\"clarification\":{\"question\":\"Which?\",\"choices\":[\"a\",\"b\"]},\"citations\":[]}]"
        "}");

    ok(export_from_json(j, "2024-01-02T00:00:00Z", &a, &c), "the database's document reads");
    is_int(3, (long long)c.nmessages, "three messages");
    is_string("B by X and Y, Chapter 2: Ch, pp. 3-4", c.messages[1].citations[0].label,
              "the label is built from the citation's fields");
    is_int(2, (long long)c.messages[2].nchoices, "a clarification's choices");
    json_object_put(j);
    arena_free(&a);
}

/* A failure saved in an answer's place is headed as what it is. */
static void test_failure(void)
{
    struct export_message m[2];
    struct export_conversation c;
    struct buf md = BUF_INIT, txt = BUF_INIT;
    char err[64];

    memset(m, 0, sizeof(m));
    memset(&c, 0, sizeof(c));
    m[0].question = true;
    m[0].content = "What is a CFA?";
    m[1].kind = "error";
    m[1].content = "The answer could not be finished because the database was unavailable.";
    c.title = "Failed";
    c.author = "Ed Educator";
    c.exported_at = "2024-05-02T08:00:00Z";
    c.messages = m;
    c.nmessages = 2;
    ok(export_render(&c, EXPORT_MD, &md, err, sizeof(err)), "a failure renders as Markdown");
    ok(has(md.data, "### Answer not finished\n\nThe answer could not be finished"),
       "headed as an answer not finished");
    ok(!has(md.data, "### Answer\n"), "not as an answer");
    ok(export_render(&c, EXPORT_TXT, &txt, err, sizeof(err)), "and as text");
    ok(has(txt.data, "Answer not finished\n\n"), "text: the same heading");
    buf_free(&md);
    buf_free(&txt);
}

/* Holds the font map a while, as pango's own fontset-sorting thread can. */
static gpointer hold_map(gpointer map)
{
    g_usleep(200 * 1000);
    g_object_unref(map);
    return NULL;
}

/* export_release() while another thread still holds the font map whose
 * fonts a render cached: it waits for it before it resets cairo's static
 * data (without the wait, cairo's live_entries assertion aborts here). */
static void test_release_waits(void)
{
    GThread *t =
        g_thread_new("hold-map", hold_map, g_object_ref(pango_cairo_font_map_get_default()));

    export_release();
    ok(true, "export_release waits for a thread holding the font map, then resets");
    g_thread_join(t);
}

int main(void)
{
    struct export_conversation c;

    plan(0);
    test_amd();
    test_names();
    test_from_json();
    build(&c);
    test_text_formats(&c);
    test_failure();
    test_pdf(&c);
    test_release_waits();
    return 0;
}
