/*
 * The previous answer's cited passages; see history.h.
 */
#include "config.h"

#include <ctype.h>
#include <json-c/json.h>
#include <string.h>
#include <strings.h>

#include "coach/history.h"
#include "coach/words.h"
#include "db/books.h"
#include "db/status.h"
#include "library/search.h"
#include "util/arena.h"

size_t history_cited_ids(const char *citations, struct arena *a, const char **ids, size_t max)
{
    json_object *arr;
    size_t i, j, n = 0, len;

    if (citations == NULL)
        return 0;
    arr = json_tokener_parse(citations);
    if (arr == NULL || !json_object_is_type(arr, json_type_array)) {
        json_object_put(arr);
        return 0;
    }
    len = json_object_array_length(arr);
    for (i = 0; i < len && n < max; i++) {
        json_object *c = json_object_array_get_idx(arr, i), *v;
        const char *id;
        bool seen = false;
        if (!json_object_is_type(c, json_type_object)
            || !json_object_object_get_ex(c, "chunk_id", &v)
            || !json_object_is_type(v, json_type_string))
            continue;
        id = json_object_get_string(v);
        for (j = 0; j < n && !seen; j++)
            seen = strcmp(ids[j], id) == 0;
        if (!seen)
            ids[n++] = arena_strdup(a, id);
    }
    json_object_put(arr);
    return n;
}

bool history_cited(struct db *db, struct arena *a, const char *citations, struct search_hit **hits,
                   size_t *n)
{
    const char *ids[HISTORY_MAX_CITED];
    size_t nids = history_cited_ids(citations, a, ids, HISTORY_MAX_CITED), np = 0, i;
    struct chunk_place *places = NULL;

    *hits = NULL;
    *n = 0;
    if (nids == 0)
        return true;
    if (chunk_places(db, a, ids, nids, &places, &np) != DB_OK)
        return false;
    *hits = arena_alloc(a, (np > 0 ? np : 1) * sizeof(**hits));
    memset(*hits, 0, (np > 0 ? np : 1) * sizeof(**hits));
    for (i = 0; i < np; i++) {
        (*hits)[i].chunk_id = places[i].chunk_id;
        (*hits)[i].book_id = places[i].book_id;
        (*hits)[i].chapter_id = places[i].chapter_id;
        (*hits)[i].page_index_start = places[i].page_index_start;
        (*hits)[i].page_index_end = places[i].page_index_end;
    }
    *n = np;
    return true;
}

/* The length of the list marker ("1. ", "12) ", "- ", "* ", "\u2022 ")
 * that line (len bytes) starts with, after its indentation, and in *num
 * its number (0 for a bullet); 0 when it is not a list item. */
static size_t list_marker(const char *line, size_t len, int *num)
{
    size_t i = 0, d;

    *num = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    for (d = i; d < len && isdigit((unsigned char)line[d]); d++)
        if (d - i < 3) /* a marker has at most 2 digits: no overflow on more */
            *num = *num * 10 + (line[d] - '0');
    if (d > i && d - i <= 2 && d + 1 < len && (line[d] == '.' || line[d] == ')')
        && line[d + 1] == ' ')
        return d + 2;
    *num = 0;
    if (d == i && i + 1 < len && (line[i] == '-' || line[i] == '*') && line[i + 1] == ' ')
        return i + 2;
    if (d == i && i + 4 <= len && memcmp(line + i, "\xe2\x80\xa2 ", 4) == 0)
        return i + 4;
    return 0;
}

/* The headings of the blocks that close an answer, after its own points:
 * the extractive answer's key takeaways, which repeat its points, and
 * its suggested follow-up questions (coach/extractive.c), and the
 * model's "You might also ask" (coach/prompt.c).  None of their items is
 * a point of the answer (small38). */
static const char *const closing[] = {"key takeaways", "suggested follow-up questions",
                                      "you might also ask", NULL};

/* True when the line at s (len bytes) is the heading of a closing block:
 * one of closing, case ignored, with nothing but Markdown marks, a colon
 * or blanks around it ("**Key takeaways**", "### You might also ask:"). */
static bool closes_answer(const char *s, size_t len)
{
    size_t i = 0, k, hl;

    while (i < len && strchr("#*_ \t", s[i]) != NULL)
        i++;
    for (k = 0; closing[k] != NULL; k++) {
        hl = strlen(closing[k]);
        if (len - i >= hl && strncasecmp(s + i, closing[k], hl) == 0) {
            size_t j = i + hl;
            while (j < len && strchr("#*_: \t\r", s[j]) != NULL)
                j++;
            if (j == len)
                return true;
        }
    }
    return false;
}

/* Where answer's own points end: at the first closing block's heading
 * line, else at its end. */
static const char *answer_end(const char *answer)
{
    const char *p = answer;

    while (*p != '\0') {
        size_t l = strcspn(p, "\n");
        if (closes_answer(p, l))
            return p;
        p += l;
        if (*p == '\n')
            p++;
    }
    return p;
}

/* One list item found: where its text is. */
struct item {
    const char *text;
    size_t len;
};

const char *history_answer_item(const char *answer, int n, struct arena *a)
{
    const char *p = answer, *end = answer_end(answer);
    struct item numbered = {NULL, 0}, bullet = {NULL, 0}, last_numbered = {NULL, 0};
    size_t m;
    int num, bullets = 0;

    if (n == 0)
        return NULL;
    for (; p < end && numbered.text == NULL; p += *p == '\n' ? 1 : 0) {
        size_t l = strcspn(p, "\n");
        if (l > (size_t)(end - p))
            l = (size_t)(end - p);
        m = list_marker(p, l, &num);
        if (m > 0 && m < l) {
            struct item it = {p + m, l - m};
            if (num > 0 && n > 0 && num == n)
                numbered = it;
            else if (num > 0)
                last_numbered = it;
            else if (++bullets == n || n < 0)
                bullet = it;
        }
        p += l;
    }
    if (n < 0 && last_numbered.text != NULL)
        numbered = last_numbered;
    if (numbered.text == NULL && last_numbered.text == NULL)
        numbered = bullet; /* a list of bullets only: the nth */
    return numbered.text != NULL ? arena_strndup(a, numbered.text, numbered.len) : NULL;
}

/* How many distinctive words of choice (len bytes) are words of tw. */
static size_t shared_distinctive(const char *choice, size_t len, const struct words *tw,
                                 struct arena *a)
{
    struct words *cw = arena_alloc(a, sizeof(*cw));
    size_t i, j, k = 0;

    words_split(arena_strndup(a, choice, len), cw);
    for (i = 0; i < cw->n; i++) {
        bool seen = false;
        if (!words_is_distinctive(cw->w[i]))
            continue;
        for (j = 0; j < i && !seen; j++)
            seen = strcmp(cw->w[i], cw->w[j]) == 0;
        for (j = 0; j < tw->n && !seen; j++)
            if (strcmp(cw->w[i], tw->w[j]) == 0) {
                k++;
                break;
            }
    }
    return k;
}

const char *history_clarify_choice(const char *answer, const char *text, struct arena *a)
{
    struct words *tw = arena_alloc(a, sizeof(*tw));
    struct item best = {NULL, 0};
    const char *p = answer;
    size_t m, most = 0, k;
    int num;
    bool tie = false;

    words_split(text, tw);
    for (; *p != '\0'; p += *p == '\n' ? 1 : 0) {
        size_t l = strcspn(p, "\n");
        m = list_marker(p, l, &num);
        if (m > 0 && m < l && num == 0) {
            k = shared_distinctive(p + m, l - m, tw, a);
            tie = (k == most && k > 0) || (tie && k < most);
            if (k > most) {
                most = k;
                best = (struct item){p + m, l - m};
                tie = false;
            }
        }
        p += l;
    }
    return best.text != NULL && !tie ? arena_strndup(a, best.text, best.len) : NULL;
}
