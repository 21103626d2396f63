/*
 * The generation prompt; see prompt.h.
 */
#include "config.h"

#include <string.h>

#include "coach/prompt.h"
#include "library/search.h"
#include "util/buf.h"
#include "util/text.h"

const char prompt_system[] =
    "You are PLC Coach, a coach for K-12 educators who work in Professional Learning "
    "Communities. Answer the teacher's question using ONLY the numbered sources in the last "
    "message; never use outside knowledge and never invent facts, books or page numbers.\n"
    "Rules:\n"
    "- Cite every claim with the number of its source in square brackets, like [1] or [2]. "
    "Cite only numbers that appear in the sources.\n"
    "- When you quote, copy the source's exact words inside double quotes, followed by its "
    "citation: \"exact words\" [1].\n"
    "- If the sources do not answer the question, say so plainly instead of guessing.\n"
    "- Be concise and practical: at most 300-500 words, in short paragraphs or lists, with "
    "emphasis where it helps.\n"
    "- End with a short \"Key takeaways\" list (action items the team can use this week), then "
    "2-3 suggested follow-up questions under \"You might also ask\".";

/* Appends an attribute value with ", <, > and line breaks replaced. */
static void attr(struct buf *out, const char *s)
{
    for (; *s != '\0'; s++) {
        char c = *s;
        if (c == '"')
            c = '\'';
        else if (c == '<' || c == '>' || c == '\r' || c == '\n' || c == '\t')
            c = ' ';
        buf_putc(out, c);
    }
}

/* Appends a passage without any "</source>" inside it. */
static void passage(struct buf *out, const char *s)
{
    const char *p;

    while ((p = strstr(s, "</source>")) != NULL) {
        buf_append(out, s, (size_t)(p - s));
        buf_puts(out, "</ source>");
        s = p + strlen("</source>");
    }
    buf_puts(out, s);
}

void prompt_sources(struct buf *out, const struct search_hit *hits, size_t k)
{
    size_t i;

    for (i = 0; i < k; i++) {
        const struct search_hit *h = &hits[i];
        buf_printf(out, "<source n=\"%zu\" title=\"", i + 1);
        attr(out, h->book_title ? h->book_title : "");
        buf_puts(out, "\" chapter=\"");
        if (h->chapter_number != NULL) {
            attr(out, h->chapter_number);
            buf_puts(out, ": ");
        }
        attr(out, h->chapter_title ? h->chapter_title : "");
        buf_puts(out, "\" pages=\"");
        attr(out, h->page_start ? h->page_start : "");
        if (h->page_end != NULL && h->page_start != NULL
            && strcmp(h->page_end, h->page_start) != 0) {
            buf_putc(out, '-');
            attr(out, h->page_end);
        }
        buf_puts(out, "\">\n");
        passage(out, h->text ? h->text : "");
        buf_puts(out, "\n</source>\n");
    }
}

/* Copies at most max bytes of s (cut at a character) into the arena. */
static const char *cut(struct arena *a, const char *s, size_t max)
{
    size_t n = strlen(s), i = 0;

    if (n <= max)
        return arena_strdup(a, s);
    while (i < n) {
        size_t l = utf8_sequence_length(s + i, n - i);
        if (l == 0)
            l = 1;
        if (i + l > max)
            break;
        i += l;
    }
    return arena_printf(a, "%.*s...", (int)i, s);
}

struct llm_message *prompt_build(struct arena *arena, const struct prompt_turn *turns,
                                 size_t nturns, const struct search_hit *hits, size_t k,
                                 const char *question, const char *standalone, size_t *n)
{
    struct llm_message *m = arena_alloc(arena, (nturns + 2) * sizeof(*m));
    struct buf last = BUF_INIT;
    size_t i, c = 0;

    m[c++] = (struct llm_message){"system", prompt_system};
    for (i = 0; i < nturns; i++)
        m[c++] =
            (struct llm_message){strcmp(turns[i].role, "assistant") == 0 ? "assistant" : "user",
                                 cut(arena, turns[i].content, PROMPT_TURN_MAX_BYTES)};
    buf_puts(&last, "Sources:\n\n");
    if (hits != NULL)
        prompt_sources(&last, hits, k);
    buf_puts(&last, "\nQuestion: ");
    buf_puts(&last, question);
    if (standalone != NULL && strcmp(standalone, question) != 0) {
        buf_puts(&last, "\n(In the context of this conversation: ");
        buf_puts(&last, standalone);
        buf_putc(&last, ')');
    }
    m[c++] = (struct llm_message){"user", arena_strdup(arena, buf_str(&last))};
    buf_free(&last);
    *n = c;
    return m;
}
