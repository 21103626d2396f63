/*
 * The answer's Markdown as blocks of styled spans; see amd.h.
 *
 * cmark (the CommonMark reference parser, Debian's libcmark) parses the
 * cleaned text; one walk over its tree (cmark's iterator, not recursion)
 * flattens it: each paragraph, heading, code block, HTML block or rule is
 * a block (a paragraph in a list item is the item; later paragraphs of
 * the same item join it; one in a block quote is a quote), and the inline
 * nodes inside become spans whose style is the emphasis, strong, code and
 * link nodes around them.  Raw HTML is kept as its text.
 */
#include "config.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "export/amd.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/text.h"

#define MAX_LINKS 16 /* links and images nested deeper keep the outer address */
#define MAX_LISTS 64 /* lists nested deeper count as this deep */

size_t amd_clean(struct buf *out, const char *s, size_t n)
{
    size_t i = 0, start = out->len;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k;

        if (c == '\r') {
            buf_putc(out, '\n');
            i += i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
            continue;
        }
        if (c < 0x80) {
            if (c >= 0x20 || c == '\n' || c == '\t')
                buf_putc(out, (char)(c == 0x7f ? ' ' : c));
            i++;
            continue;
        }
        k = utf8_sequence_length(s + i, n - i);
        if (k == 0) {
            buf_puts(out, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        /* C1 controls (U+0080..U+009F) are dropped like C0 ones. */
        if (!(k == 2 && c == 0xC2 && (unsigned char)s[i + 1] < 0xA0))
            buf_append(out, s + i, k);
        i += k;
    }
    return out->len - start;
}

/* ---- flattening cmark's tree ------------------------------------------- */

struct flat {
    struct arena *arena;
    struct amd_block *blocks;
    size_t n, cap;
    struct amd_block *cur; /* the block taking inline spans, or NULL */
    struct amd_span *spans;
    size_t nspans, capspans;
    int strong, em;              /* enclosing strong and emphasis nodes */
    const char *href[MAX_LINKS]; /* enclosing links' addresses */
    int links;
    int lists;                   /* enclosing lists */
    long next_number[MAX_LISTS]; /* the next item's number, per list */
    bool item_open;              /* in an item whose first paragraph was seen */
    int quotes;                  /* enclosing block quotes */
    struct buf pending;          /* text of one style not yet a span */
    unsigned pending_flags;
    const char *pending_href;
};

static void flush(struct flat *f);

/* Ends the current block: its spans go to the arena. */
static void close_block(struct flat *f)
{
    if (f->cur == NULL)
        return;
    flush(f);
    if (f->nspans > 0) {
        struct amd_span *sp = arena_alloc(f->arena, f->nspans * sizeof(*sp));
        memcpy(sp, f->spans, f->nspans * sizeof(*sp));
        f->cur->spans = sp;
        f->cur->nspans = f->nspans;
    }
    f->nspans = 0;
    f->cur = NULL;
}

static void open_block(struct flat *f, enum amd_kind kind, int level, long number)
{
    close_block(f);
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->blocks = xrealloc(f->blocks, f->cap * sizeof(*f->blocks));
    }
    f->cur = &f->blocks[f->n++];
    memset(f->cur, 0, sizeof(*f->cur));
    f->cur->kind = kind;
    f->cur->level = level;
    f->cur->number = number;
}

/* Moves the pending text into a span. */
static void flush(struct flat *f)
{
    struct amd_span *s;

    if (f->pending.len == 0)
        return;
    if (f->nspans == f->capspans) {
        f->capspans = f->capspans ? f->capspans * 2 : 16;
        f->spans = xrealloc(f->spans, f->capspans * sizeof(*f->spans));
    }
    s = &f->spans[f->nspans++];
    s->text = arena_strndup(f->arena, f->pending.data, f->pending.len);
    s->len = f->pending.len;
    s->flags = f->pending_flags;
    s->href = f->pending_href;
    buf_reset(&f->pending);
}

/* Adds text in the current style (and flags) to the current block; text
 * of one style is gathered into one span. */
static void add_span(struct flat *f, const char *text, size_t len, unsigned flags)
{
    const char *href;
    size_t start, i;

    if (f->cur == NULL || len == 0)
        return;
    flags |= (f->strong > 0 ? AMD_STRONG : 0u) | (f->em > 0 ? AMD_EM : 0u);
    href = f->links > 0 ? f->href[f->links > MAX_LINKS ? MAX_LINKS - 1 : f->links - 1] : NULL;
    if (f->pending.len > 0 && (flags != f->pending_flags || href != f->pending_href))
        flush(f);
    f->pending_flags = flags;
    f->pending_href = href;
    start = f->pending.len;
    buf_append(&f->pending, text, len);
    /* raw HTML may span lines: outside a code block a span is one line */
    if (f->cur->kind != AMD_CODE)
        for (i = start; i < f->pending.len; i++)
            if (f->pending.data[i] == '\n')
                f->pending.data[i] = ' ';
}

static void add_literal(struct flat *f, cmark_node *node, unsigned flags)
{
    const char *t = cmark_node_get_literal(node);

    if (t != NULL)
        add_span(f, t, strlen(t), flags);
}

/* A paragraph starts a block: the list item's (its first paragraph; a
 * later one continues it), a quote's, or a paragraph. */
static void open_paragraph(struct flat *f, cmark_node *node)
{
    cmark_node *parent = cmark_node_parent(node);

    if (parent != NULL && cmark_node_get_type(parent) == CMARK_NODE_ITEM) {
        cmark_node *list = cmark_node_parent(parent);
        int depth = f->lists > 0 ? f->lists - 1 : 0;
        bool ordered = list != NULL && cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
        long *next = &f->next_number[(f->lists > MAX_LISTS ? MAX_LISTS : f->lists) - 1];

        if (f->item_open && f->n > 0
            && (f->blocks[f->n - 1].kind == AMD_BULLET
                || f->blocks[f->n - 1].kind == AMD_ORDERED)) {
            /* the item's next paragraph: one block, a space between */
            f->cur = &f->blocks[f->n - 1];
            f->nspans = 0;
            if (f->cur->nspans > 0) {
                while (f->capspans < f->cur->nspans + 1) {
                    f->capspans = f->capspans ? f->capspans * 2 : 16;
                    f->spans = xrealloc(f->spans, f->capspans * sizeof(*f->spans));
                }
                memcpy(f->spans, f->cur->spans, f->cur->nspans * sizeof(*f->spans));
                f->nspans = f->cur->nspans;
            }
            add_span(f, " ", 1, 0);
            return;
        }
        open_block(f, ordered ? AMD_ORDERED : AMD_BULLET,
                   depth > AMD_MAX_LEVEL ? AMD_MAX_LEVEL : depth, ordered ? (*next)++ : 0);
        f->item_open = true;
        return;
    }
    open_block(f, f->quotes > 0 ? AMD_QUOTE : AMD_PARA, 0, 0);
}

static void enter(struct flat *f, cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH: open_paragraph(f, node); break;
    case CMARK_NODE_HEADING:
        open_block(f, AMD_HEADING, cmark_node_get_heading_level(node), 0);
        break;
    case CMARK_NODE_CODE_BLOCK: {
        const char *t = cmark_node_get_literal(node);
        size_t len = t ? strlen(t) : 0;
        while (len > 0 && t[len - 1] == '\n')
            len--;
        open_block(f, AMD_CODE, 0, 0);
        add_span(f, t ? t : "", len, AMD_CODE_SPAN);
        close_block(f);
        break;
    }
    case CMARK_NODE_HTML_BLOCK:
        /* raw HTML is text */
        open_block(f, f->quotes > 0 ? AMD_QUOTE : AMD_PARA, 0, 0);
        add_literal(f, node, 0);
        close_block(f);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        open_block(f, AMD_RULE, 0, 0);
        close_block(f);
        break;
    case CMARK_NODE_BLOCK_QUOTE: f->quotes++; break;
    case CMARK_NODE_LIST:
        close_block(f);
        if (f->lists < MAX_LISTS)
            f->next_number[f->lists] = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
                                           ? cmark_node_get_list_start(node)
                                           : 0;
        f->lists++;
        f->item_open = false;
        break;
    case CMARK_NODE_ITEM:
        close_block(f);
        f->item_open = false;
        break;
    case CMARK_NODE_TEXT:
    case CMARK_NODE_HTML_INLINE: add_literal(f, node, 0); break;
    case CMARK_NODE_CODE: add_literal(f, node, AMD_CODE_SPAN); break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK: add_span(f, " ", 1, 0); break;
    case CMARK_NODE_STRONG: f->strong++; break;
    case CMARK_NODE_EMPH: f->em++; break;
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE: {
        const char *url = cmark_node_get_url(node);
        if (f->links < MAX_LINKS)
            f->href[f->links] = url && url[0] ? arena_strdup(f->arena, url) : NULL;
        f->links++;
        break;
    }
    default: break;
    }
}

static void leave(struct flat *f, cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_HEADING: close_block(f); break;
    case CMARK_NODE_BLOCK_QUOTE: f->quotes--; break;
    case CMARK_NODE_LIST:
        f->lists--;
        f->item_open = false;
        break;
    case CMARK_NODE_ITEM: f->item_open = false; break;
    case CMARK_NODE_STRONG: f->strong--; break;
    case CMARK_NODE_EMPH: f->em--; break;
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE: f->links--; break;
    default: break;
    }
}

void amd_parse(struct arena *arena, const char *s, size_t n, struct amd_doc *out)
{
    struct buf clean = BUF_INIT;
    struct flat f;
    cmark_node *doc;
    cmark_iter *it;
    cmark_event_type ev;
    struct amd_block *blocks;
    size_t i, k = 0;

    memset(&f, 0, sizeof(f));
    f.arena = arena;
    amd_clean(&clean, s, n);
    doc = cmark_parse_document(clean.data ? clean.data : "", clean.len, CMARK_OPT_DEFAULT);
    it = cmark_iter_new(doc);
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER)
            enter(&f, node);
        else if (ev == CMARK_EVENT_EXIT)
            leave(&f, node);
    }
    close_block(&f);
    cmark_iter_free(it);
    cmark_node_free(doc);
    buf_free(&clean);
    /* blocks that came out empty (an empty item, heading or code block)
     * go, but for rules: every other block has at least one span */
    blocks = f.n ? arena_alloc(arena, f.n * sizeof(*blocks)) : NULL;
    for (i = 0; i < f.n; i++)
        if (f.blocks[i].nspans > 0 || f.blocks[i].kind == AMD_RULE)
            blocks[k++] = f.blocks[i];
    free(f.blocks);
    free(f.spans);
    buf_free(&f.pending);
    out->blocks = blocks;
    out->nblocks = k;
}
