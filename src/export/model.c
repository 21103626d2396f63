/*
 * The export model: formats, file names, and the conversation read from
 * the database's JSON; see export.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "coach/pipeline.h"
#include "export/amd.h"
#include "export/export.h"
#include "util/buf.h"

#define FILENAME_TITLE_MAX 60

bool export_format_parse(const char *name, enum export_format *out)
{
    if (strcmp(name, "pdf") == 0)
        *out = EXPORT_PDF;
    else if (strcmp(name, "md") == 0)
        *out = EXPORT_MD;
    else if (strcmp(name, "txt") == 0)
        *out = EXPORT_TXT;
    else
        return false;
    return true;
}

const char *export_format_name(enum export_format f)
{
    return f == EXPORT_PDF ? "pdf" : f == EXPORT_MD ? "md" : "txt";
}

const char *export_content_type(enum export_format f)
{
    return f == EXPORT_PDF  ? "application/pdf"
           : f == EXPORT_MD ? "text/markdown; charset=utf-8"
                            : "text/plain; charset=utf-8";
}

const char *export_filename(struct arena *a, const char *title, const char *date,
                            enum export_format f)
{
    struct buf b = BUF_INIT;
    const char *out;
    bool dash = false;
    size_t i;

    for (i = 0; title[i] != '\0' && b.len < FILENAME_TITLE_MAX; i++) {
        unsigned char c = (unsigned char)title[i];
        if (isalnum(c) && c < 0x80) {
            if (dash && b.len > 0)
                buf_putc(&b, '-');
            buf_putc(&b, (char)tolower(c));
            dash = false;
        } else {
            dash = true;
        }
    }
    if (b.len == 0)
        buf_puts(&b, "conversation");
    if (date != NULL && strlen(date) >= 10 && isdigit((unsigned char)date[0]))
        buf_printf(&b, "-%.10s", date);
    buf_printf(&b, ".%s", export_format_name(f));
    out = arena_strdup(a, buf_str(&b));
    buf_free(&b);
    return out;
}

const char *export_time(struct arena *a, const char *iso)
{
    if (iso == NULL)
        return "";
    /* "2024-05-01T14:03:09Z" */
    if (strlen(iso) >= 16 && iso[4] == '-' && iso[7] == '-' && iso[10] == 'T' && iso[13] == ':')
        return arena_printf(a, "%.10s %.5s UTC", iso, iso + 11);
    return iso;
}

/* The string member key of o, or NULL. */
static const char *member(json_object *o, const char *key)
{
    json_object *v;

    if (o == NULL || !json_object_object_get_ex(o, key, &v)
        || json_object_is_type(v, json_type_null))
        return NULL;
    if (json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    /* numbers (a chapter number, a page) are shown as JSON writes them */
    if (json_object_is_type(v, json_type_int))
        return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
    return NULL;
}

static json_object *child(json_object *o, const char *key)
{
    json_object *v;

    return o != NULL && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

void export_citation_label(struct buf *out, json_object *citation)
{
    json_object *book = child(citation, "book"), *chapter = child(citation, "chapter"),
                *pages = child(citation, "pages"), *authors = child(book, "authors");
    const char *title = member(book, "title"), *names[16];
    size_t n = 0, i;

    if (title == NULL) {
        /* an older or hand-made citation: whatever it says of itself */
        const char *display = member(citation, "display");
        if (display == NULL && json_object_is_type(book, json_type_string))
            display = json_object_get_string(book);
        buf_puts(out, display ? display : "Source");
        return;
    }
    if (authors != NULL && json_object_is_type(authors, json_type_array))
        for (i = 0; i < json_object_array_length(authors) && n < 16; i++) {
            json_object *a = json_object_array_get_idx(authors, i);
            if (json_object_is_type(a, json_type_string))
                names[n++] = json_object_get_string(a);
        }
    coach_citation_label(out, title, names, n, member(chapter, "number"), member(chapter, "title"),
                         member(pages, "start"), member(pages, "end"));
}

/* Reads one message object into *m. */
static bool message_from_json(json_object *o, struct arena *a, struct export_message *m)
{
    const char *role = member(o, "role"), *content = member(o, "content");
    json_object *cites = child(o, "citations"), *clar = child(o, "clarification");
    size_t i, n;

    memset(m, 0, sizeof(*m));
    if (role == NULL || content == NULL)
        return false;
    m->question = strcmp(role, "user") == 0;
    m->content = content;
    m->created_at = member(o, "created_at");
    m->kind = member(o, "type");
    if (!m->question && cites != NULL && json_object_is_type(cites, json_type_array)
        && (n = json_object_array_length(cites)) > 0) {
        struct export_citation *c = arena_alloc(a, n * sizeof(*c));
        for (i = 0; i < n; i++) {
            json_object *ci = json_object_array_get_idx(cites, i), *nv = child(ci, "n");
            struct buf label = BUF_INIT;
            const char *quote = member(ci, "quote");

            export_citation_label(&label, ci);
            c[i].n = nv != NULL && json_object_is_type(nv, json_type_int) ? json_object_get_int(nv)
                                                                          : (int)i + 1;
            c[i].label = arena_strdup(a, buf_str(&label));
            c[i].quote = quote ? quote : "";
            buf_free(&label);
        }
        m->citations = c;
        m->ncitations = n;
    }
    if (clar != NULL && (cites = child(clar, "choices")) != NULL
        && json_object_is_type(cites, json_type_array)
        && (n = json_object_array_length(cites)) > 0) {
        const char **ch = arena_alloc(a, n * sizeof(*ch));
        size_t k = 0;
        for (i = 0; i < n; i++) {
            json_object *v = json_object_array_get_idx(cites, i);
            if (json_object_is_type(v, json_type_string))
                ch[k++] = json_object_get_string(v);
        }
        m->choices = ch;
        m->nchoices = k;
    }
    return true;
}

bool export_from_json(json_object *conv, const char *exported_at, struct arena *a,
                      struct export_conversation *out)
{
    json_object *msgs = child(conv, "messages");
    struct export_message *m;
    size_t i, n, k = 0;

    memset(out, 0, sizeof(*out));
    if (msgs == NULL || !json_object_is_type(msgs, json_type_array))
        return false;
    out->title = member(conv, "title");
    out->author = member(conv, "author");
    out->created_at = member(conv, "created_at");
    out->shared_by = member(conv, "shared_by");
    out->exported_at = arena_strdup(a, exported_at);
    if (out->title == NULL)
        out->title = "";
    if (out->author == NULL)
        out->author = "";
    n = json_object_array_length(msgs);
    m = n ? arena_alloc(a, n * sizeof(*m)) : NULL;
    for (i = 0; i < n; i++)
        if (message_from_json(json_object_array_get_idx(msgs, i), a, &m[k]))
            k++;
    out->messages = m;
    out->nmessages = k;
    return true;
}

/* A copy of s cleaned like the Markdown parser cleans text (amd_clean);
 * one_line: white space runs as one space.  In a. */
static const char *cleaned(struct arena *a, const char *s, bool one_line)
{
    struct buf b = BUF_INIT;
    const char *out;
    size_t i, k = 0;

    if (s == NULL)
        return NULL;
    amd_clean(&b, s, strlen(s));
    if (one_line && b.len > 0) {
        for (i = 0; i < b.len; i++) {
            char ch = b.data[i] == '\n' || b.data[i] == '\t' ? ' ' : b.data[i];
            if (ch == ' ' && (k == 0 || b.data[k - 1] == ' '))
                continue;
            b.data[k++] = ch;
        }
        while (k > 0 && b.data[k - 1] == ' ')
            k--;
        b.len = k;
        b.data[k] = '\0';
    }
    out = arena_strdup(a, buf_str(&b));
    buf_free(&b);
    return out;
}

/* *out: c with every string cleaned, so the renderers see valid UTF-8
 * without control characters (single-line fields on one line). */
static void clean_conversation(const struct export_conversation *c, struct arena *a,
                               struct export_conversation *out)
{
    struct export_message *m = c->nmessages ? arena_alloc(a, c->nmessages * sizeof(*m)) : NULL;
    size_t i, k;

    *out = *c;
    out->title = cleaned(a, c->title, true);
    out->author = cleaned(a, c->author, true);
    out->created_at = cleaned(a, c->created_at, true);
    out->exported_at = cleaned(a, c->exported_at, true);
    out->shared_by = cleaned(a, c->shared_by, true);
    for (i = 0; i < c->nmessages; i++) {
        const struct export_message *in = &c->messages[i];
        struct export_citation *ci =
            in->ncitations ? arena_alloc(a, in->ncitations * sizeof(*ci)) : NULL;
        const char **ch = in->nchoices ? arena_alloc(a, in->nchoices * sizeof(*ch)) : NULL;

        m[i] = *in;
        m[i].content = cleaned(a, in->content, false);
        m[i].created_at = cleaned(a, in->created_at, true);
        m[i].kind = cleaned(a, in->kind, true);
        for (k = 0; k < in->ncitations; k++) {
            ci[k] = in->citations[k];
            ci[k].label = cleaned(a, in->citations[k].label, true);
            ci[k].quote = cleaned(a, in->citations[k].quote, false);
        }
        for (k = 0; k < in->nchoices; k++)
            ch[k] = cleaned(a, in->choices[k], true);
        m[i].citations = ci;
        m[i].choices = ch;
    }
    out->messages = m;
}

bool export_render(const struct export_conversation *c, enum export_format f, struct buf *out,
                   char *err, size_t errlen)
{
    struct arena a = ARENA_INIT;
    struct export_conversation clean;
    bool ok = true;

    clean_conversation(c, &a, &clean);
    switch (f) {
    case EXPORT_PDF: ok = export_render_pdf(&clean, out, err, errlen); break;
    case EXPORT_MD: export_render_markdown(&clean, out); break;
    case EXPORT_TXT: export_render_text(&clean, out); break;
    default: snprintf(err, errlen, "unknown format"); ok = false;
    }
    arena_free(&a);
    return ok;
}
