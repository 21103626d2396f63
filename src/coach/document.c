/*
 * The parts of the answer document; see document.h.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "coach/document.h"
#include "coach/pipeline.h"
#include "library/domains.h"
#include "library/search.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/text.h"

static bool white(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *coach_question_trim(const char *s, size_t *chars)
{
    size_t n, i = 0;

    while (white(*s))
        s++;
    n = strlen(s);
    while (n > 0 && white(s[n - 1]))
        n--;
    *chars = 0;
    while (i < n) {
        size_t l = utf8_sequence_length(s + i, n - i);
        i += l ? l : 1;
        (*chars)++;
    }
    return xstrndup(s, n);
}

void coach_title(struct buf *out, const char *question)
{
    text_line(out, question, COACH_TITLE_CHARS, TEXT_AT_WORD);
}

void coach_citation_label(struct buf *out, const char *title, const char *const *authors,
                          size_t nauthors, const char *chapter_number, const char *chapter_title,
                          const char *page_start, const char *page_end)
{
    size_t i;

    buf_puts(out, title);
    for (i = 0; i < nauthors; i++)
        buf_printf(out, "%s%s", i == 0 ? " by " : i + 1 == nauthors ? " and " : ", ", authors[i]);
    if (chapter_number != NULL || chapter_title != NULL) {
        buf_puts(out, ", ");
        if (chapter_number != NULL)
            buf_printf(out, "Chapter %s%s", chapter_number, chapter_title ? ": " : "");
        if (chapter_title != NULL)
            buf_puts(out, chapter_title);
    }
    if (page_start != NULL) {
        if (page_end != NULL && strcmp(page_start, page_end) != 0)
            buf_printf(out, ", pp. %s-%s", page_start, page_end);
        else
            buf_printf(out, ", p. %s", page_start);
    }
}

json_object *coach_domains_json(unsigned set)
{
    json_object *a = json_object_new_array();
    size_t i;

    for (i = 0; i < DOMAIN_COUNT; i++)
        if (set & (1u << i))
            json_object_array_add(a, json_object_new_string(domain_name(i)));
    return a;
}

json_object *coach_citation_json(int n, const struct search_hit *h, const char *quote)
{
    json_object *c = json_object_new_object();
    struct buf label = BUF_INIT;

    json_object_object_add(c, "n", json_object_new_int(n));
    json_add_str(c, "chunk_id", h->chunk_id);
    search_hit_source_json(c, h, false);
    json_add_str(c, "quote", quote);
    /* The whole passage the quote comes from, so a reader can check the
     * quote in its surroundings (the web app's expandable "context"). */
    json_add_str(c, "context", h->text);
    coach_citation_label(&label, h->book_title ? h->book_title : "", h->authors, h->nauthors,
                         h->chapter_number, h->chapter_title, h->page_start, h->page_end);
    json_add_str(c, "display", buf_str(&label));
    buf_free(&label);
    return c;
}
