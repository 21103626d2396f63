/* Fuzz target: the answer's Markdown as the exports read it (amd_parse,
 * cmark plus the flattening), then the Markdown and text renderers on a
 * one-answer conversation.  Every span must be valid UTF-8 without
 * control characters (but tabs, and a code block's newlines), every list
 * level in range, and both files valid UTF-8. */
#include "config.h"

#include <string.h>

#include "export/amd.h"
#include "export/export.h"
#include "fuzz/fuzz.h"
#include "util/buf.h"
#include "util/text.h"

static void check_text(const char *s, size_t n, bool code)
{
    size_t i;

    if (!utf8_valid(s, n))
        __builtin_trap();
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && !(code && c == '\n')) || c == 0x7f)
            __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = ARENA_INIT;
    struct amd_doc d;
    struct export_message m[2];
    struct export_citation cite = {1, "Book by A, p. 1", ""};
    struct export_conversation c;
    struct buf md = BUF_INIT, txt = BUF_INIT, text = BUF_INIT;
    size_t i, k;
    char err[64];

    amd_parse(&a, (const char *)data, size, &d);
    for (i = 0; i < d.nblocks; i++) {
        const struct amd_block *b = &d.blocks[i];
        if ((b->kind == AMD_RULE) != (b->nspans == 0) || (b->kind == AMD_CODE && b->nspans != 1))
            __builtin_trap();
        if (b->level < 0 || (b->kind == AMD_HEADING && b->level > 6)
            || (b->kind != AMD_HEADING && b->level > AMD_MAX_LEVEL))
            __builtin_trap();
        for (k = 0; k < b->nspans; k++) {
            if (b->spans[k].len != strlen(b->spans[k].text))
                __builtin_trap();
            check_text(b->spans[k].text, b->spans[k].len, b->kind == AMD_CODE);
            /* a span of ordinary text has no newline at all */
            if (b->kind != AMD_CODE && memchr(b->spans[k].text, '\n', b->spans[k].len) != NULL)
                __builtin_trap();
        }
    }
    /* the same bytes as a question, an answer and a quote */
    buf_append(&text, data, size);
    memset(m, 0, sizeof(m));
    memset(&c, 0, sizeof(c));
    m[0].question = true;
    m[0].content = buf_str(&text);
    m[1].content = buf_str(&text);
    m[1].citations = &cite;
    m[1].ncitations = 1;
    cite.quote = buf_str(&text);
    c.title = buf_str(&text);
    c.author = "Fuzz";
    c.exported_at = "2026-01-01T00:00:00Z";
    c.messages = m;
    c.nmessages = 2;
    if (!export_render(&c, EXPORT_MD, &md, err, sizeof(err))
        || !export_render(&c, EXPORT_TXT, &txt, err, sizeof(err)))
        __builtin_trap();
    if (!utf8_valid(buf_str(&md), md.len) || !utf8_valid(buf_str(&txt), txt.len))
        __builtin_trap();
    buf_free(&md);
    buf_free(&txt);
    buf_free(&text);
    arena_free(&a);
    return 0;
}
