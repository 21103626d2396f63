/*
 * Sentence-aware chunking; see chunk.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "library/chunk.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"

/* A sentence (or a piece of one) on one page. */
struct unit {
    const char *text; /* in the chunker's arena */
    size_t len, words, page;
    size_t section; /* index into doc->headings, or CHUNK_NO_SECTION */
    int brk;        /* what precedes it: 0 space, 1 line break, 2 paragraph break */
    bool item;      /* part of a list item ("1. ", "- ", "* ", "+ ", a bullet) */
};

struct units {
    struct unit *v;
    size_t n, cap;
};

/* Words a period after which does not end a sentence. */
static const char *const abbreviations[] = {
    "al",   "approx", "ca",   "cf",   "ch",  "chap", "co",  "dept", "dr",  "ed",   "eds", "eg",
    "etal", "fig",    "figs", "ie",   "inc", "jr",   "ltd", "mr",   "mrs", "ms",   "mt",  "no",
    "nos",  "p",      "pp",   "prof", "rev", "sec",  "sr",  "st",   "vol", "vols", "vs",
};

static size_t tokens_of_words(size_t words)
{
    return (words * 13 + 9) / 10;
}

static size_t count_words(const char *s, size_t n)
{
    size_t i, w = 0;
    bool in = false;

    for (i = 0; i < n; i++) {
        bool sp = isspace((unsigned char)s[i]) != 0;

        if (!sp && !in)
            w++;
        in = !sp;
    }
    return w;
}

size_t chunk_tokens(const char *s)
{
    return tokens_of_words(count_words(s, strlen(s)));
}

/* Returns true when the word ending just before the period at s[i] is an
 * abbreviation or an initial, so the period does not end the sentence. */
static bool abbreviation_before(const char *s, size_t i)
{
    size_t ws = i, k, j = 0;
    char w[16];

    while (ws > 0 && !isspace((unsigned char)s[ws - 1]))
        ws--;
    while (ws < i && strchr("(\"'[", s[ws]) != NULL)
        ws++;
    if (i - ws == 1 && isalpha((unsigned char)s[ws]))
        return true; /* an initial: "J. Smith" */
    for (k = ws; k < i; k++) {
        if (s[k] == '.') {
            if (k + 1 < i)
                return true; /* "e.g", "U.S" */
            continue;
        }
        if (j + 1 >= sizeof(w))
            return false;
        w[j++] = (char)tolower((unsigned char)s[k]);
    }
    w[j] = '\0';
    for (k = 0; k < sizeof(abbreviations) / sizeof(abbreviations[0]); k++)
        if (strcmp(w, abbreviations[k]) == 0)
            return true;
    return false;
}

/* Returns the length of the sentence-closing characters at s (quotes and
 * brackets), 0 when there is none. */
static size_t closer(const char *s, size_t n)
{
    if (n >= 1 && strchr("\"')]", s[0]) != NULL && s[0] != '\0')
        return 1;
    if (n >= 3 && (memcmp(s, "\xe2\x80\x99", 3) == 0 || memcmp(s, "\xe2\x80\x9d", 3) == 0))
        return 3;
    return 0;
}

/* Returns the end of the first sentence in s (n bytes, white space already
 * collapsed): the index after its closing punctuation, or n. */
static size_t sentence_end(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        size_t j, c;
        unsigned char next;

        if (s[i] != '.' && s[i] != '!' && s[i] != '?')
            continue;
        j = i + 1;
        while (j < n && (s[j] == '.' || s[j] == '!' || s[j] == '?'))
            j++;
        while ((c = closer(s + j, n - j)) > 0)
            j += c;
        if (j >= n)
            return n;
        if (s[j] != ' ' || j + 1 >= n)
            continue;
        next = (unsigned char)s[j + 1];
        if (!(isupper(next) || isdigit(next) || next >= 0x80 || strchr("\"'([", next) != NULL))
            continue;
        if (s[i] == '.' && j == i + 1 && abbreviation_before(s, i))
            continue;
        if (s[i] == '.' && j == i + 1 && i > 0 && i <= 3 && strspn(s, "0123456789") == i)
            continue; /* a list item's number: "2. Stagger WIN time" */
        return j;
    }
    return n;
}

static void push_unit(struct units *u, const char *text, size_t len, size_t words, size_t page,
                      int brk)
{
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 64;
        u->v = xrealloc(u->v, u->cap * sizeof(*u->v));
    }
    u->v[u->n].text = text;
    u->v[u->n].len = len;
    u->v[u->n].words = words;
    u->v[u->n].page = page;
    u->v[u->n].brk = brk;
    u->v[u->n].section = CHUNK_NO_SECTION;
    u->v[u->n].item = false;
    u->n++;
}

/* Splits one paragraph or list line (white space collapsed, in the arena)
 * into sentence units; sentences longer than max_words become pieces. */
static void split_sentences(struct units *u, const char *s, size_t n, size_t page, int brk,
                            size_t max_words, size_t piece_words)
{
    while (n > 0) {
        size_t e = sentence_end(s, n), words = count_words(s, e);

        if (words > max_words) {
            /* Cut after piece_words words. */
            size_t k = 0, w = 0;
            bool in = false;

            for (; k < e; k++) {
                bool sp = s[k] == ' ';

                if (!sp && !in && ++w > piece_words)
                    break;
                in = !sp;
            }
            e = k;
            while (e > 0 && s[e - 1] == ' ')
                e--;
            words = piece_words;
        }
        push_unit(u, s, e, words, page, brk);
        brk = 0;
        while (e < n && s[e] == ' ')
            e++;
        s += e;
        n -= e;
    }
}

/* Returns true when a line starts a list item ("- ", "* ", "+ ", "1. ",
 * "1) ", or a bullet U+2022 or U+25AA-25AB, U+25CF, U+25E6 as PDF text
 * gives them), leading spaces ignored. */
static bool list_item(const char *s, size_t n)
{
    size_t i = 0;

    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    if (n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ')
        return true;
    if (n >= 3 && memcmp(s, "\xe2\x80\xa2", 3) == 0) /* U+2022 */
        return true;
    if (n >= 3 && memcmp(s, "\xe2\x97", 2) == 0
        && (s[2] == '\xaa' || s[2] == '\xab' || s[2] == '\x8f' || s[2] == '\xa6'))
        return true;
    while (i < n && i < 3 && isdigit((unsigned char)s[i]))
        i++;
    return i > 0 && i + 1 < n && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ';
}

/* Where a chapter segment starts, for finding the section of a spot. */
struct segment {
    const struct doc *d;
    size_t page, offset;
};

/* Returns the index of the heading in force at (page, offset) within the
 * segment: the last heading at or before it and not before the segment's
 * start; CHUNK_NO_SECTION when there is none. */
static size_t section_at(const struct segment *sg, size_t page, size_t offset)
{
    const struct doc *d = sg->d;
    size_t lo = 0, hi = d->n_headings, h;

    /* First heading after (page, offset). */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct doc_heading *x = &d->headings[mid];
        if (x->page < page || (x->page == page && x->offset <= offset))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return CHUNK_NO_SECTION;
    h = lo - 1;
    if (d->headings[h].page < sg->page
        || (d->headings[h].page == sg->page && d->headings[h].offset < sg->offset))
        return CHUNK_NO_SECTION;
    return h;
}

/* Returns true when a and b (an and bn bytes) hold the same text, white
 * space and ASCII case ignored. */
static bool same_words(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;

    for (;;) {
        while (i < an && isspace((unsigned char)a[i]))
            i++;
        while (j < bn && isspace((unsigned char)b[j]))
            j++;
        if (i == an || j == bn)
            return i == an && j == bn;
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[j]))
            return false;
        i++;
        j++;
    }
}

/* Returns true when the paragraph para, whose first line starts at byte
 * start of page text, is a section heading's own paragraph: a heading of
 * the segment is recorded on this page at start or in the white space just
 * before it, and the paragraph's words are the heading's title.  (A heading
 * the reader did not find on its page is recorded at the page's top, or
 * after the previous section, over prose: the title test tells them
 * apart.) */
static bool heading_para(const struct segment *sg, const char *text, size_t page, size_t start,
                         const struct buf *para)
{
    size_t h = section_at(sg, page, start);

    for (; h != CHUNK_NO_SECTION; h--) {
        const struct doc_heading *x = &sg->d->headings[h];
        size_t k;

        if (x->page != page)
            return false;
        for (k = x->offset; k < start; k++)
            if (!isspace((unsigned char)text[k]))
                return false;
        if (same_words(x->title, strlen(x->title), para->data, para->len))
            return true;
        if (h == 0)
            break;
    }
    return false;
}

/* Splits a finished paragraph into units under the section in force at
 * its start; item says it is a list item. */
static void para_units(struct arena *a, struct units *u, const struct buf *para, size_t page,
                       int brk, size_t max_words, size_t piece_words, size_t section, bool item)
{
    size_t i = u->n;

    split_sentences(u, arena_strndup(a, para->data, para->len), para->len, page, brk, max_words,
                    piece_words);
    for (; i < u->n; i++) {
        u->v[i].section = section;
        u->v[i].item = item;
    }
}

/* Adds the finished paragraph para (first line at byte start of the page
 * text) as units.  brk is what precedes it; a page's first paragraph
 * usually continues the previous page's last one (brk 0), but a section
 * heading that opens the page starts a paragraph of its own (brk 2), so it
 * is never run into the sentence before it. */
static void flush_para(struct arena *a, struct units *u, const struct buf *para, const char *text,
                       size_t page, size_t start, int brk, const struct chunk_params *p, bool item,
                       const struct segment *sg)
{
    size_t max_words = p->max * 10 / 13, piece_words = p->target * 10 / 13;

    if (heading_para(sg, text, page, start, para))
        brk = 2;
    para_units(a, u, para, page, brk, max_words, piece_words, section_at(sg, page, start), item);
}

/* Turns the bytes [from, to) of a page into units. */
static void page_units(struct arena *a, struct units *u, const char *text, size_t from, size_t to,
                       size_t page, const struct chunk_params *p, bool *first,
                       const struct segment *sg)
{
    struct buf para = BUF_INIT;
    size_t i = from, para_start = from;
    int brk = 0;       /* a page usually continues the paragraph before it */
    bool item = false; /* the paragraph being gathered is a list item */

    while (i < to) {
        size_t e = i, s;
        bool blank = true;

        while (e < to && text[e] != '\n')
            e++;
        for (s = i; s < e; s++)
            if (!isspace((unsigned char)text[s]))
                blank = false;
        if (blank || list_item(text + i, e - i)) {
            while (para.len > 0 && para.data[para.len - 1] == ' ')
                para.data[--para.len] = '\0';
            if (para.len > 0) {
                flush_para(a, u, &para, text, page, para_start, *first ? 2 : brk, p, item, sg);
                *first = false;
                buf_reset(&para);
                brk = blank ? 2 : 1;
            } else if (blank) {
                brk = 2;
            } else if (brk == 0) {
                brk = 1;
            }
        }
        if (para.len == 0 && !blank) {
            para_start = i;
            item = list_item(text + i, e - i);
        }
        for (s = i; s < e; s++) {
            if (isspace((unsigned char)text[s])) {
                if (para.len > 0 && para.data[para.len - 1] != ' ')
                    buf_putc(&para, ' ');
            } else {
                buf_putc(&para, text[s]);
            }
        }
        if (para.len > 0 && para.data[para.len - 1] != ' ')
            buf_putc(&para, ' ');
        i = e + 1;
    }
    while (para.len > 0 && para.data[para.len - 1] == ' ')
        para.data[--para.len] = '\0';
    if (para.len > 0) {
        flush_para(a, u, &para, text, page, para_start, *first ? 2 : brk, p, item, sg);
        *first = false;
    }
    buf_free(&para);
}

static void emit(struct chunk_list *out, const struct units *u, size_t from, size_t to,
                 size_t chapter)
{
    struct buf b = BUF_INIT;
    size_t i;
    struct chunk *c;

    for (i = from; i < to; i++) {
        if (i > from)
            buf_puts(&b, u->v[i].brk == 2 ? "\n\n" : u->v[i].brk == 1 ? "\n" : " ");
        buf_append(&b, u->v[i].text, u->v[i].len);
    }
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 64;
        out->items = xrealloc(out->items, out->cap * sizeof(*out->items));
    }
    c = &out->items[out->n++];
    c->text = buf_steal(&b);
    c->chapter = chapter;
    c->page_first = u->v[from].page;
    c->page_last = u->v[to - 1].page;
    c->tokens = chunk_tokens(c->text);
    c->domains = 0;
    /* The section holding most of the chunk's words (the earlier one on a
     * tie); headings are in order, so a section's units form one run. */
    c->section = CHUNK_NO_SECTION;
    {
        size_t best = 0, run = 0, cur = u->v[from].section;
        for (i = from; i <= to; i++) {
            if (i == to || u->v[i].section != cur) {
                if (cur != CHUNK_NO_SECTION && run > best) {
                    best = run;
                    c->section = cur;
                }
                if (i == to)
                    break;
                cur = u->v[i].section;
                run = 0;
            }
            run += u->v[i].words;
        }
    }
}

/* Returns the words of units [from, to). */
static size_t words_between(const struct units *u, size_t from, size_t to)
{
    size_t w = 0;

    for (; from < to; from++)
        w += u->v[from].words;
    return w;
}

/* Where a chunk of units [i, j) that would end inside a list (unit j and
 * unit j - 1 are list items) ends instead: after the list when the whole
 * list fits under max, else before the list when the list starts after i
 * and what comes before it is at least half the target (the list then
 * opens the next chunk, after the overlap, usually the sentence that
 * introduces it); else j, the list cut where it must be. */
static size_t list_end(const struct units *u, size_t i, size_t j, const struct chunk_params *p)
{
    size_t e = j, s = j - 1;

    if (j >= u->n || j <= i || !u->v[j].item || !u->v[j - 1].item)
        return j;
    while (e < u->n && u->v[e].item)
        e++;
    if (tokens_of_words(words_between(u, i, e)) <= p->max)
        return e;
    while (s > i && u->v[s - 1].item)
        s--;
    if (s > i && tokens_of_words(words_between(u, i, s)) >= p->target / 2)
        return s;
    return j;
}

/* Packs a segment's units into chunks with overlap; a list is kept whole
 * when it can be (list_end()). */
static void pack(struct chunk_list *out, const struct units *u, size_t chapter,
                 const struct chunk_params *p)
{
    size_t i = 0;

    while (i < u->n) {
        size_t j = i, words = 0, k, ov = 0;

        while (j < u->n) {
            if (words > 0 && tokens_of_words(words + u->v[j].words) > p->max)
                break;
            words += u->v[j].words;
            j++;
            if (tokens_of_words(words) >= p->target)
                break;
        }
        j = list_end(u, i, j, p);
        emit(out, u, i, j, chapter);
        if (j >= u->n)
            break;
        k = j;
        while (k > i + 1 && j - k < 2 && tokens_of_words(ov + u->v[k - 1].words) <= p->overlap) {
            ov += u->v[k - 1].words;
            k--;
        }
        i = k;
    }
}

size_t chunk_count_sentences(const char *s)
{
    struct units u = {NULL, 0, 0};
    size_t n = strlen(s);

    split_sentences(&u, s, n, 0, 0, (size_t)-1, 1);
    free(u.v);
    return u.n;
}

void chunk_doc(const struct doc *d, const struct chunk_params *p, struct chunk_list *out)
{
    static const struct chunk_params defaults = {CHUNK_TARGET, CHUNK_MAX, CHUNK_OVERLAP};
    struct arena a = ARENA_INIT;
    struct units u = {NULL, 0, 0};
    size_t seg;

    if (p == NULL)
        p = &defaults;
    if (d->n_pages == 0)
        return;
    /* Segment 0 is the text before the first chapter; segment s > 0 is
     * chapter s - 1. */
    for (seg = 0; seg <= d->n_chapters; seg++) {
        size_t sp = seg == 0 ? 0 : d->chapters[seg - 1].page;
        size_t so = seg == 0 ? 0 : d->chapters[seg - 1].offset;
        size_t ep = seg < d->n_chapters ? d->chapters[seg].page : d->n_pages;
        size_t eo = seg < d->n_chapters ? d->chapters[seg].offset : 0;
        size_t pg;
        bool first = true;
        struct segment sg = {d, sp, so};

        u.n = 0;
        for (pg = sp; pg <= ep && pg < d->n_pages; pg++) {
            const char *t = d->pages[pg].text;
            size_t len = strlen(t);
            size_t from = pg == sp ? so : 0, to = pg == ep ? eo : len;

            if (to > len)
                to = len;
            if (from < to)
                page_units(&a, &u, t, from, to, pg, p, &first, &sg);
        }
        if (u.n > 0)
            pack(out, &u, seg == 0 ? CHUNK_NO_CHAPTER : seg - 1, p);
    }
    free(u.v);
    arena_free(&a);
}

void chunk_list_free(struct chunk_list *l)
{
    size_t i;

    if (l == NULL)
        return;
    for (i = 0; i < l->n; i++)
        free(l->items[i].text);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}
