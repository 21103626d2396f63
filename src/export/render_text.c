/*
 * Markdown and plain-text exports; see export.h.
 *
 * Markdown is written from the parsed answer (amd.h), never copied: every
 * character that could start markup is escaped, so what a reader's
 * Markdown parser shows is exactly the text the PDF shows, and raw HTML in
 * an answer stays text.  Plain text drops the emphasis, keeps lists and
 * quotes as indentation, and wraps at TEXT_WIDTH characters.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "export/amd.h"
#include "export/export.h"
#include "util/buf.h"
#include "util/text.h"

#define TEXT_WIDTH 78

/* The heading of a reply by its kind. */
static const char *reply_heading(const struct export_message *m)
{
    if (m->kind != NULL && strcmp(m->kind, "clarification") == 0)
        return "Clarifying question";
    if (m->kind != NULL && strcmp(m->kind, "refusal") == 0)
        return "No answer";
    if (m->kind != NULL && strcmp(m->kind, "error") == 0)
        return "Answer not finished"; /* a saved failure (sql/013_answer_outcomes.sql) */
    return "Answer";
}

static const char *title_of(const struct export_conversation *c)
{
    return c->title[0] != '\0' ? c->title : "Untitled conversation";
}

/* ---- Markdown ------------------------------------------------------------- */

/* Appends n bytes of s escaped for Markdown text.  at_start: s begins a
 * block, where '#', '-', '+', '>', '=' and "1." would start markup. */
static void md_escape(struct buf *out, const char *s, size_t n, bool at_start)
{
    size_t i = 0;

    if (at_start) {
        size_t d = 0;
        while (d < n && s[d] >= '0' && s[d] <= '9')
            d++;
        if (d > 0 && d < n && (s[d] == '.' || s[d] == ')')) {
            buf_append(out, s, d);
            buf_putc(out, '\\');
            i = d;
        } else if (n > 0 && strchr("#-+>=|~", s[0]) != NULL) {
            buf_putc(out, '\\');
        } else if (n > 0 && s[0] == '[') {
            buf_putc(out, '\\');
        }
    }
    for (; i < n; i++) {
        char c = s[i];
        if (c == '\n') {
            /* a line break inside a question: a hard break */
            buf_puts(out, "\\\n");
            continue;
        }
        if (strchr("\\`*_<>&", c) != NULL || (c == '!' && i + 1 < n && s[i + 1] == '[')
            || (c == ']' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '[' || s[i + 1] == ':')))
            buf_putc(out, '\\');
        buf_putc(out, c);
    }
}

/* True for an address a Markdown link may carry. */
static bool safe_href(const char *h)
{
    return (strncmp(h, "https://", 8) == 0 || strncmp(h, "http://", 7) == 0
            || strncmp(h, "mailto:", 7) == 0)
           && strpbrk(h, " ()<>\"'\\") == NULL;
}

/* Appends a code span holding s: a backtick run longer than any inside. */
static void md_code_span(struct buf *out, const char *s, size_t n)
{
    size_t longest = 0, run = 0, i;

    for (i = 0; i < n; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    for (i = 0; i <= longest; i++)
        buf_putc(out, '`');
    if (n == 0 || s[0] == '`' || s[n - 1] == '`' || s[0] == ' ')
        buf_putc(out, ' ');
    buf_append(out, s, n);
    if (n == 0 || s[0] == '`' || s[n - 1] == '`' || s[0] == ' ')
        buf_putc(out, ' ');
    for (i = 0; i <= longest; i++)
        buf_putc(out, '`');
}

static void md_spans(struct buf *out, const struct amd_block *b)
{
    size_t i;

    for (i = 0; i < b->nspans; i++) {
        const struct amd_span *s = &b->spans[i];
        const char *t = s->text, *mark;
        size_t n = s->len, lead = 0, trail = 0;
        bool link = s->href != NULL && safe_href(s->href);

        if (s->flags & AMD_CODE_SPAN) {
            if (link)
                buf_putc(out, '[');
            md_code_span(out, t, n);
            if (link)
                buf_printf(out, "](%s)", s->href);
            continue;
        }
        /* delimiters must touch the text: white space goes outside */
        while (lead < n && (t[lead] == ' ' || t[lead] == '\t'))
            lead++;
        while (trail < n - lead && (t[n - 1 - trail] == ' ' || t[n - 1 - trail] == '\t'))
            trail++;
        buf_append(out, t, lead);
        mark = (s->flags & AMD_STRONG) && (s->flags & AMD_EM) ? "***"
               : (s->flags & AMD_STRONG)                      ? "**"
               : (s->flags & AMD_EM)                          ? "*"
                                                              : "";
        if (lead == n)
            continue;
        if (link)
            buf_putc(out, '[');
        buf_puts(out, mark);
        md_escape(out, t + lead, n - lead - trail, out->len == 0 || i == 0);
        buf_puts(out, mark);
        if (link)
            buf_printf(out, "](%s)", s->href);
        else if (s->href != NULL && (i + 1 == b->nspans || b->spans[i + 1].href != s->href)) {
            buf_puts(out, " (");
            md_escape(out, s->href, strlen(s->href), false);
            buf_putc(out, ')');
        }
        buf_append(out, t + n - trail, trail);
    }
}

static void md_answer(struct buf *out, struct arena *a, const char *text)
{
    struct amd_doc d;
    size_t i, k;

    amd_parse(a, text, strlen(text), &d);
    for (i = 0; i < d.nblocks; i++) {
        const struct amd_block *b = &d.blocks[i];
        bool list = b->kind == AMD_BULLET || b->kind == AMD_ORDERED;
        bool next_list =
            i + 1 < d.nblocks
            && (d.blocks[i + 1].kind == AMD_BULLET || d.blocks[i + 1].kind == AMD_ORDERED);

        switch (b->kind) {
        case AMD_HEADING: buf_puts(out, b->level <= 1 ? "##### " : "###### "); break;
        case AMD_BULLET:
        case AMD_ORDERED:
            for (k = 0; k < (size_t)b->level; k++)
                buf_puts(out, "    ");
            if (b->kind == AMD_BULLET)
                buf_puts(out, "- ");
            else
                buf_printf(out, "%ld. ", b->number);
            break;
        case AMD_QUOTE: buf_puts(out, "> "); break;
        case AMD_CODE: {
            const struct amd_span *s = &b->spans[0];
            size_t run = 0, longest = 2;
            for (k = 0; k < s->len; k++) {
                run = s->text[k] == '`' ? run + 1 : 0;
                if (run > longest)
                    longest = run;
            }
            for (k = 0; k <= longest; k++)
                buf_putc(out, '`');
            buf_putc(out, '\n');
            buf_append(out, s->text, s->len);
            buf_putc(out, '\n');
            for (k = 0; k <= longest; k++)
                buf_putc(out, '`');
            buf_puts(out, "\n\n");
            continue;
        }
        case AMD_RULE: buf_puts(out, "* * *\n\n"); continue;
        case AMD_PARA: break;
        }
        {
            /* spans escape their first character as a block's start */
            struct buf body = BUF_INIT;
            md_spans(&body, b);
            buf_append(out, body.data ? body.data : "", body.len);
            buf_free(&body);
        }
        buf_puts(out, list && next_list ? "\n" : "\n\n");
    }
}

/* A question: its paragraphs, escaped. */
static void md_plain(struct buf *out, const char *text)
{
    struct buf clean = BUF_INIT;
    const char *p, *end;

    amd_clean(&clean, text, strlen(text));
    p = buf_str(&clean);
    end = p + clean.len;
    while (p < end) {
        const char *q = strstr(p, "\n\n");
        size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
        while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == ' '))
            n--;
        while (n > 0 && (*p == '\n' || *p == ' ')) {
            p++;
            n--;
        }
        if (n > 0) {
            md_escape(out, p, n, true);
            buf_puts(out, "\n\n");
        }
        if (q == NULL)
            break;
        p = q + 2;
    }
    buf_free(&clean);
}

static void md_sources(struct buf *out, const struct export_message *m)
{
    size_t i;

    if (m->ncitations == 0)
        return;
    buf_puts(out, "#### Sources\n\n");
    for (i = 0; i < m->ncitations; i++) {
        const struct export_citation *c = &m->citations[i];
        struct buf q = BUF_INIT;

        buf_printf(out, "- **\\[%d\\]** ", c->n);
        md_escape(out, c->label, strlen(c->label), false);
        buf_puts(out, "\n");
        amd_clean(&q, c->quote, strlen(c->quote));
        if (q.len > 0) {
            /* one quoted paragraph: line breaks become spaces */
            for (size_t k = 0; k < q.len; k++)
                if (q.data[k] == '\n' || q.data[k] == '\t')
                    q.data[k] = ' ';
            buf_puts(out, "\n  > ");
            md_escape(out, q.data, q.len, true);
            buf_puts(out, "\n");
        }
        buf_puts(out, "\n");
        buf_free(&q);
    }
}

void export_render_markdown(const struct export_conversation *c, struct buf *out)
{
    struct arena a = ARENA_INIT;
    size_t i, question = 0;
    const char *author;

    buf_puts(out, "# ");
    md_escape(out, title_of(c), strlen(title_of(c)), true);
    buf_puts(out, "\n\n");
    buf_puts(out, "*Conversation of ");
    author = c->author[0] ? c->author : "a PLC Coach user";
    md_escape(out, author, strlen(author), false);
    if (c->created_at != NULL)
        buf_printf(out, ", started %s", export_time(&a, c->created_at));
    buf_printf(out, "; exported from PLC Coach %s*\n\n", export_time(&a, c->exported_at));
    if (c->shared_by != NULL) {
        buf_puts(out, "*Shared by ");
        md_escape(out, c->shared_by, strlen(c->shared_by), false);
        buf_puts(out, " (view-only link)*\n\n");
    }
    buf_puts(out, "* * *\n\n");
    for (i = 0; i < c->nmessages; i++) {
        const struct export_message *m = &c->messages[i];
        if (m->question) {
            buf_printf(out, "## Question %zu\n\n", ++question);
            md_plain(out, m->content);
            continue;
        }
        buf_printf(out, "### %s\n\n", reply_heading(m));
        md_answer(out, &a, m->content);
        for (size_t k = 0; k < m->nchoices; k++) {
            buf_puts(out, "- ");
            md_escape(out, m->choices[k], strlen(m->choices[k]), false);
            buf_puts(out, k + 1 == m->nchoices ? "\n\n" : "\n");
        }
        md_sources(out, m);
    }
    arena_free(&a);
}

/* ---- plain text ------------------------------------------------------------ */

/* Appends text wrapped at TEXT_WIDTH: the first line after first, the
 * others after rest (both prefixes count in the width).  Runs of white
 * space are one space; a word longer than a line gets a line of its own. */
static void wrap(struct buf *out, const char *text, size_t n, const char *first, const char *rest)
{
    size_t col, i = 0, plen = strlen(first);
    bool line_empty = true;

    buf_puts(out, first);
    col = plen;
    while (i < n) {
        size_t start, bytes, chars = 0;

        while (i < n && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t'))
            i++;
        if (i >= n)
            break;
        start = i;
        while (i < n && text[i] != ' ' && text[i] != '\n' && text[i] != '\t') {
            size_t k = utf8_sequence_length(text + i, n - i);
            i += k ? k : 1;
            chars++;
        }
        bytes = i - start;
        if (!line_empty && col + 1 + chars > TEXT_WIDTH) {
            buf_putc(out, '\n');
            buf_puts(out, rest);
            col = strlen(rest);
            line_empty = true;
        }
        if (!line_empty) {
            buf_putc(out, ' ');
            col++;
        }
        buf_append(out, text + start, bytes);
        col += chars;
        line_empty = false;
    }
    buf_putc(out, '\n');
}

/* The plain text of a block's spans: links as "text (address)". */
static void text_spans(struct buf *out, const struct amd_block *b)
{
    size_t i;

    for (i = 0; i < b->nspans; i++) {
        const struct amd_span *s = &b->spans[i];
        buf_append(out, s->text, s->len);
        if (s->href != NULL && (i + 1 == b->nspans || b->spans[i + 1].href != s->href))
            buf_printf(out, " (%s)", s->href);
    }
}

static void text_answer(struct buf *out, struct arena *a, const char *text)
{
    struct amd_doc d;
    size_t i, k;

    amd_parse(a, text, strlen(text), &d);
    for (i = 0; i < d.nblocks; i++) {
        const struct amd_block *b = &d.blocks[i];
        struct buf t = BUF_INIT, first = BUF_INIT, rest = BUF_INIT;
        bool next_list =
            i + 1 < d.nblocks
            && (d.blocks[i + 1].kind == AMD_BULLET || d.blocks[i + 1].kind == AMD_ORDERED);

        switch (b->kind) {
        case AMD_CODE:
            for (k = 0; k < b->spans[0].len; k++) {
                if (k == 0 || b->spans[0].text[k - 1] == '\n')
                    buf_puts(out, "    ");
                buf_putc(out, b->spans[0].text[k]);
            }
            buf_puts(out, "\n\n");
            continue;
        case AMD_RULE: buf_puts(out, "    * * *\n\n"); continue;
        case AMD_BULLET:
        case AMD_ORDERED:
            for (k = 0; k < (size_t)b->level; k++) {
                buf_puts(&first, "    ");
                buf_puts(&rest, "    ");
            }
            if (b->kind == AMD_BULLET)
                buf_puts(&first, "  - ");
            else
                buf_printf(&first, "%3ld. ", b->number);
            while (rest.len < first.len)
                buf_putc(&rest, ' ');
            break;
        case AMD_QUOTE:
            buf_puts(&first, "  | ");
            buf_puts(&rest, "  | ");
            break;
        case AMD_HEADING:
        case AMD_PARA: break;
        }
        text_spans(&t, b);
        if (b->kind == AMD_HEADING) {
            /* headings in capitals would mangle non-ASCII: underline instead */
            wrap(out, buf_str(&t), t.len, "", "");
            buf_puts(out, "~~~~\n");
        } else {
            wrap(out, buf_str(&t), t.len, buf_str(&first), buf_str(&rest));
        }
        if (!((b->kind == AMD_BULLET || b->kind == AMD_ORDERED) && next_list))
            buf_putc(out, '\n');
        buf_free(&t);
        buf_free(&first);
        buf_free(&rest);
    }
}

/* True when n bytes of s hold only white space. */
static bool blank(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t')
            return false;
    return true;
}

/* Plain text as paragraphs (a question, a quote), cleaned and wrapped,
 * with an empty line between paragraphs. */
static void text_plain(struct buf *out, const char *text, const char *first, const char *rest)
{
    struct buf clean = BUF_INIT;
    const char *p, *end;
    bool any = false;

    amd_clean(&clean, text, strlen(text));
    p = buf_str(&clean);
    end = p + clean.len;
    while (p < end) {
        const char *q = strstr(p, "\n\n");
        size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
        if (!blank(p, n)) {
            if (any)
                buf_putc(out, '\n');
            wrap(out, p, n, any ? rest : first, rest);
            any = true;
        }
        if (q == NULL)
            break;
        p = q + 2;
    }
    buf_free(&clean);
}

/* The number of characters (code points) of s. */
static size_t chars_of(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

void export_render_text(const struct export_conversation *c, struct buf *out)
{
    struct arena a = ARENA_INIT;
    size_t i, k, question = 0, tl;
    const char *title = title_of(c);

    wrap(out, title, strlen(title), "", "");
    tl = chars_of(title);
    for (k = 0; k < tl && k < TEXT_WIDTH; k++)
        buf_putc(out, '=');
    buf_puts(out, "\n\n");
    buf_printf(out, "Conversation of %s\n", c->author[0] ? c->author : "a PLC Coach user");
    if (c->created_at != NULL)
        buf_printf(out, "Started %s\n", export_time(&a, c->created_at));
    buf_printf(out, "Exported from PLC Coach %s\n", export_time(&a, c->exported_at));
    if (c->shared_by != NULL)
        buf_printf(out, "Shared by %s (view-only link)\n", c->shared_by);
    buf_putc(out, '\n');
    for (i = 0; i < c->nmessages; i++) {
        const struct export_message *m = &c->messages[i];

        if (m->question) {
            for (k = 0; k < TEXT_WIDTH; k++)
                buf_putc(out, '-');
            buf_printf(out, "\n\nQUESTION %zu", ++question);
            if (m->created_at != NULL)
                buf_printf(out, " (%s)", export_time(&a, m->created_at));
            buf_puts(out, "\n\n");
            text_plain(out, m->content, "", "");
            buf_putc(out, '\n');
            continue;
        }
        buf_printf(out, "%s\n\n", reply_heading(m));
        text_answer(out, &a, m->content);
        for (k = 0; k < m->nchoices; k++)
            wrap(out, m->choices[k], strlen(m->choices[k]), "  - ", "    ");
        if (m->nchoices > 0)
            buf_putc(out, '\n');
        if (m->ncitations > 0) {
            buf_puts(out, "Sources\n\n");
            for (k = 0; k < m->ncitations; k++) {
                const struct export_citation *ci = &m->citations[k];
                char num[24];
                snprintf(num, sizeof(num), "  [%d] ", ci->n);
                wrap(out, ci->label, strlen(ci->label), num, "      ");
                if (ci->quote[0] != '\0') {
                    struct buf q = BUF_INIT;
                    buf_printf(&q, "\"%s\"", ci->quote);
                    text_plain(out, buf_str(&q), "      ", "      ");
                    buf_free(&q);
                }
                buf_putc(out, '\n');
            }
        }
    }
    arena_free(&a);
}
