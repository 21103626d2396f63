/*
 * The citation verifier; see verify.h.
 *
 * One answer line at a time: its list marker or heading marker is set
 * aside, quotations and [n] markers are found, the rest is cut into
 * sentences, and each sentence is kept (with its invalid markers removed)
 * or dropped.  Everything allocated here is freed before returning except
 * what *out owns.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coach/sentences.h"
#include "coach/verify.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/text.h"

#define MARKER_MAX_NUMS 8
#define QUOTE_MAX_BYTES 600 /* a citation's quote is cut (at a character) past this */
#define LINE_MAX_ITEMS 256  /* quotations or markers per line considered */

struct quote {
    size_t open, start, end, close; /* marks at open and end; text [start, end) */
};

struct marker {
    size_t start, end; /* "[...]" */
    int nums[MARKER_MAX_NUMS];
    size_t nnums;
};

struct per_source {
    char *norm;         /* normalised source text */
    char *quote;        /* first verified quotation attributed to it */
    struct buf context; /* the kept sentences that cite it */
    bool cited;         /* some kept sentence cites it */
};

/* Decodes the UTF-8 sequence at s (len bytes available): returns its
 * length and the code point in *cp, or 0 when invalid. */
static size_t decode(const char *s, size_t len, uint32_t *cp)
{
    size_t n = utf8_sequence_length(s, len);
    const unsigned char *u = (const unsigned char *)s;

    switch (n) {
    case 1: *cp = u[0]; break;
    case 2: *cp = ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f); break;
    case 3:
        *cp = ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
        break;
    case 4:
        *cp = ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12)
              | ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
        break;
    default: *cp = 0; break;
    }
    return n;
}

static bool unicode_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v'
           || cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f
           || cp == 0x3000;
}

void verify_normalise(struct buf *out, const char *s, size_t n)
{
    size_t i = 0, start = out->len;
    bool space = false;

    while (i < n) {
        uint32_t cp;
        size_t len = decode(s + i, n - i, &cp);
        const char *rep = NULL;
        char one[2] = {0, 0};

        if (len == 0) {
            i++;
            continue;
        }
        if (unicode_space(cp)) {
            space = out->len > start;
            i += len;
            continue;
        }
        if (cp == '*') {
            i += len;
            continue;
        }
        if (cp < 0x80) {
            one[0] = (char)tolower((int)cp);
            rep = one;
        } else if (cp == 0x2018 || cp == 0x2019 || cp == 0x201a || cp == 0x201b || cp == 0x2032) {
            rep = "'";
        } else if (cp == 0x201c || cp == 0x201d || cp == 0x201e || cp == 0x201f || cp == 0x2033
                   || cp == 0xab || cp == 0xbb) {
            rep = "\"";
        } else if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212) {
            rep = "-";
        } else if (cp == 0x2026) {
            rep = "...";
        }
        if (space) {
            buf_putc(out, ' ');
            space = false;
        }
        if (rep != NULL)
            buf_puts(out, rep);
        else
            buf_append(out, s + i, len);
        i += len;
    }
}

/* True for the bytes trimmed off both ends of a quotation. */
static bool trim_byte(char c)
{
    return c == ' ' || c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?'
           || c == '\'' || c == '"' || c == '-';
}

bool verify_quote_in(const char *q, size_t n, const char *src_norm, bool *empty)
{
    struct buf norm = BUF_INIT;
    const char *p, *cursor = src_norm;
    bool found = true, any = false;

    verify_normalise(&norm, q, n);
    p = buf_str(&norm);
    while (*p != '\0') {
        const char *ell = strstr(p, "...");
        size_t plen = ell != NULL ? (size_t)(ell - p) : strlen(p);
        const char *a = p, *b = p + plen;
        while (a < b && trim_byte(*a))
            a++;
        while (b > a && trim_byte(b[-1]))
            b--;
        if (b > a) {
            char *part = xstrndup(a, (size_t)(b - a));
            const char *hit = strstr(cursor, part);
            any = true;
            if (hit == NULL)
                found = false;
            else
                cursor = hit + (b - a);
            free(part);
            if (!found)
                break;
        }
        p = ell != NULL ? ell + 3 : p + plen;
    }
    buf_free(&norm);
    *empty = !any;
    return any && found;
}

/* Kind of quotation mark at s: 1 for ", 2 for U+201C (opens), 3 for
 * U+201D (closes), 0 for none; *len receives its length in bytes. */
static int quote_mark(const char *s, size_t n, size_t *len)
{
    if (n >= 1 && s[0] == '"') {
        *len = 1;
        return 1;
    }
    if (n >= 3 && (unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80
        && ((unsigned char)s[2] == 0x9c || (unsigned char)s[2] == 0x9d)) {
        *len = 3;
        return (unsigned char)s[2] == 0x9c ? 2 : 3;
    }
    *len = 0;
    return 0;
}

/* Parses a marker "[1]", "[1, 2]", "[1-3]" at s (n bytes); fills m
 * (offsets relative to s) and returns true. */
static bool parse_marker(const char *s, size_t n, struct marker *m)
{
    size_t i = 1;
    int cur = -1, range_from = -1;

    if (n < 3 || s[0] != '[')
        return false;
    m->nnums = 0;
    for (; i < n && s[i] != ']'; i++) {
        char c = s[i];
        if (isdigit((unsigned char)c)) {
            if (cur > 999)
                return false;
            cur = (cur < 0 ? 0 : cur * 10) + (c - '0');
            continue;
        }
        if (c != ',' && c != ' ' && c != '-')
            return false;
        if (c == ' ' && cur < 0)
            continue;
        if (cur >= 0) {
            if (range_from >= 0) {
                int v;
                for (v = range_from + 1; v <= cur && m->nnums < MARKER_MAX_NUMS; v++)
                    m->nums[m->nnums++] = v;
                range_from = -1;
            } else if (m->nnums < MARKER_MAX_NUMS) {
                m->nums[m->nnums++] = cur;
            }
            if (c == '-')
                range_from = cur;
            cur = -1;
        } else if (c == '-') {
            return false;
        }
    }
    if (i >= n || s[i] != ']')
        return false;
    if (cur >= 0) {
        if (range_from >= 0) {
            int v;
            for (v = range_from + 1;
                 v <= cur && v - range_from <= MARKER_MAX_NUMS && m->nnums < MARKER_MAX_NUMS; v++)
                m->nums[m->nnums++] = v;
        } else if (m->nnums < MARKER_MAX_NUMS) {
            m->nums[m->nnums++] = cur;
        }
    } else if (range_from >= 0) {
        return false;
    }
    if (m->nnums == 0)
        return false;
    /* A Markdown link "[1](url)" is not a citation. */
    if (i + 1 < n && s[i + 1] == '(')
        return false;
    m->start = 0;
    m->end = i + 1;
    return true;
}

/* Length of the list or heading marker (with its space) that starts line
 * s, after leading white space; 0 when none. */
static size_t line_prefix(const char *s, size_t n)
{
    size_t i = 0, j;

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+' || s[i] == '>') && s[i + 1] == ' ')
        return i + 2;
    j = i;
    while (j < n && s[j] == '#')
        j++;
    if (j > i && j < n && j - i <= 6 && s[j] == ' ')
        return j + 1;
    j = i;
    while (j < n && j - i < 4 && isdigit((unsigned char)s[j]))
        j++;
    if (j > i && j + 1 < n && (s[j] == '.' || s[j] == ')') && s[j + 1] == ' ')
        return j + 2;
    return i;
}

static bool starts_sentence(unsigned char c)
{
    return isupper(c) || isdigit(c) || c == '"' || c == '(' || c == '[' || c == '*' || c >= 0x80;
}

static bool abbreviation(const char *s, size_t from, size_t dot)
{
    static const char *const abbrevs[] = {"e.g", "i.e", "etc", "vs", "dr", "mr", "mrs",
                                          "ms",  "pp",  "p",   "no", "cf", NULL};
    size_t b = dot, i;

    while (b > from && s[b - 1] != ' ' && s[b - 1] != '(')
        b--;
    for (i = 0; abbrevs[i] != NULL; i++)
        if (dot - b == strlen(abbrevs[i]) && strncasecmp(s + b, abbrevs[i], dot - b) == 0)
            return true;
    return dot - b == 1 && isupper((unsigned char)s[b]);
}

struct line_scan {
    struct quote quotes[LINE_MAX_ITEMS];
    size_t nquotes;
    struct marker markers[LINE_MAX_ITEMS];
    size_t nmarkers;
};

static const struct marker *marker_at(const struct line_scan *ls, size_t pos)
{
    size_t i;

    for (i = 0; i < ls->nmarkers; i++)
        if (ls->markers[i].start == pos)
            return &ls->markers[i];
    return NULL;
}

/* Finds the quotations and markers of line s[from..n).  A quotation
 * opened by " ends at the next "; one opened by U+201C ends at the next
 * U+201D (straight quotes inside it are its text); a stray U+201D and an
 * unclosed quotation are ignored. */
static void scan_line(const char *s, size_t from, size_t n, struct line_scan *ls)
{
    size_t ignore[8], nignore = 0;

    for (;;) {
        size_t i = from, open = 0, start = 0, q, k;
        int opened = 0;

        ls->nquotes = ls->nmarkers = 0;
        while (i < n) {
            int kind = quote_mark(s + i, n - i, &q);
            struct marker m;
            bool skip = false;
            for (k = 0; k < nignore; k++)
                skip = skip || ignore[k] == i;
            if (kind != 0 && !skip) {
                if (opened == 0 && (kind == 1 || kind == 2)) {
                    open = i;
                    start = i + q;
                    opened = kind;
                } else if ((opened == 1 && kind == 1) || (opened == 2 && kind == 3)) {
                    if (ls->nquotes < LINE_MAX_ITEMS)
                        ls->quotes[ls->nquotes++] = (struct quote){open, start, i, i + q};
                    opened = 0;
                }
                i += q;
                continue;
            }
            if (opened == 0 && s[i] == '[' && ls->nmarkers < LINE_MAX_ITEMS
                && parse_marker(s + i, n - i, &m)) {
                m.start = i;
                m.end += i;
                ls->markers[ls->nmarkers++] = m;
                i = m.end;
                continue;
            }
            i += kind != 0 ? q : 1;
        }
        /* An unclosed quotation: its mark is text; scan again. */
        if (opened == 0 || nignore == sizeof(ignore) / sizeof(ignore[0]))
            return;
        ignore[nignore++] = open;
    }
}

/* Returns the quotation whose marks enclose position i, or NULL. */
static const struct quote *quote_around(const struct line_scan *ls, size_t i)
{
    size_t k;

    for (k = 0; k < ls->nquotes; k++)
        if (ls->quotes[k].open <= i && i < ls->quotes[k].close)
            return &ls->quotes[k];
    return NULL;
}

/* Returns the end of the sentence that starts at from in s[..n) and sets
 * *next to where the next one starts. */
static size_t answer_sentence_end(const char *s, size_t from, size_t n, const struct line_scan *ls,
                                  size_t *next)
{
    size_t i;

    for (i = from; i < n; i++) {
        const struct quote *q = quote_around(ls, i);
        size_t e, t, end_tok, sp;
        if (q != NULL) {
            /* A quotation ending in . ! ? may end the sentence after it. */
            if (q->close - 1 != i && i != q->end)
                continue;
            if (i != q->end || q->end == q->start
                || (s[q->end - 1] != '.' && s[q->end - 1] != '!' && s[q->end - 1] != '?'))
                continue;
            e = q->close;
        } else {
            if (s[i] != '.' && s[i] != '!' && s[i] != '?')
                continue;
            if (s[i] == '.' && abbreviation(s, from, i))
                continue;
            e = i + 1;
        }
        t = e;
        while (t < n && (s[t] == ')' || s[t] == '*'))
            t++;
        end_tok = t;
        for (;;) {
            const struct marker *m;
            sp = end_tok;
            while (sp < n && s[sp] == ' ')
                sp++;
            m = marker_at(ls, sp);
            if (m == NULL)
                break;
            end_tok = m->end;
            while (end_tok < n && (s[end_tok] == '.' || s[end_tok] == ')'))
                end_tok++;
        }
        if (sp >= n) {
            *next = n;
            return end_tok < n ? end_tok : n;
        }
        if (sp > end_tok && starts_sentence((unsigned char)s[sp])) {
            *next = sp;
            return end_tok;
        }
    }
    *next = n;
    return n;
}

/* Appends sentence s[a..b) to out with markers rewritten: numbers outside
 * 1..k are removed (a marker left empty goes with the space before it).
 * Marks the valid numbers in cited[] and counts removed ones. */
static void emit_sentence(struct buf *out, const char *s, size_t a, size_t b,
                          const struct line_scan *ls, size_t k, bool *cited, size_t *removed)
{
    size_t i = a, m;

    for (m = 0; m < ls->nmarkers; m++) {
        const struct marker *mk = &ls->markers[m];
        size_t j, nvalid = 0;
        int valid[MARKER_MAX_NUMS];
        if (mk->start < a || mk->end > b)
            continue;
        buf_append(out, s + i, mk->start - i);
        i = mk->end;
        for (j = 0; j < mk->nnums; j++) {
            if (mk->nums[j] >= 1 && (size_t)mk->nums[j] <= k) {
                valid[nvalid++] = mk->nums[j];
                cited[mk->nums[j] - 1] = true;
            } else {
                (*removed)++;
            }
        }
        if (nvalid == mk->nnums) {
            buf_append(out, s + mk->start, mk->end - mk->start);
        } else if (nvalid > 0) {
            buf_putc(out, '[');
            for (j = 0; j < nvalid; j++)
                buf_printf(out, j ? ", %d" : "%d", valid[j]);
            buf_putc(out, ']');
        } else {
            while (out->len > 0 && out->data[out->len - 1] == ' ')
                out->data[--out->len] = '\0';
        }
    }
    buf_append(out, s + i, b - i);
}

/* Cuts a quotation for display at QUOTE_MAX_BYTES (at a character). */
static char *display_quote(const char *s, size_t n)
{
    size_t i = 0;

    if (n <= QUOTE_MAX_BYTES)
        return xstrndup(s, n);
    while (i < n) {
        size_t l = utf8_sequence_length(s + i, n - i);
        if (l == 0)
            l = 1;
        if (i + l > QUOTE_MAX_BYTES - 3)
            break;
        i += l;
    }
    {
        char *out = xmalloc(i + 4);
        memcpy(out, s, i);
        memcpy(out + i, "...", 4);
        return out;
    }
}

/* Returns the sentence of source that shares the most terms with context
 * (the first on a tie; the opening of the source when it has none). */
static char *best_sentence(const char *source, const char *context)
{
    struct sentence_span spans[128];
    size_t n = sentence_split(source, spans, 128), i, best = 0, best_overlap = 0, nctx;
    uint64_t *ctx = terms_of(context, strlen(context), true, &nctx);

    if (n > 128)
        n = 128;
    for (i = 0; i < n; i++) {
        size_t nt, ov;
        uint64_t *t = terms_of(source + spans[i].start, spans[i].len, false, &nt);
        ov = terms_overlap(ctx, nctx, t, nt);
        free(t);
        if (ov > best_overlap) {
            best_overlap = ov;
            best = i;
        }
    }
    free(ctx);
    if (n == 0)
        return display_quote(source, strlen(source));
    return display_quote(source + spans[best].start, spans[best].len);
}

/* One answer line being verified: the state verify_line()'s steps share. */
struct line_check {
    const char *s;          /* the line (the answer's) */
    size_t k;               /* sources */
    struct per_source *src; /* the sources (verify_answer()'s) */
    struct line_scan *ls;   /* owned: its quotations and markers, freed by verify_line() */
    bool *cited;            /* owned: k entries (at least 1), freed by verify_line() */
    struct verify_result *r;
    struct buf *out; /* the kept line (the caller's) */
    size_t kept;     /* sentences kept so far */
};

/* Whether a marker inside sentence [pos, end) holds a number of a source. */
static bool cites_a_source(const struct line_check *lc, size_t pos, size_t end)
{
    const struct line_scan *ls = lc->ls;
    bool any_valid = false;
    size_t mi, j;

    for (mi = 0; mi < ls->nmarkers; mi++)
        if (ls->markers[mi].start >= pos && ls->markers[mi].end <= end)
            for (j = 0; j < ls->markers[mi].nnums; j++)
                if (ls->markers[mi].nums[j] >= 1 && (size_t)ls->markers[mi].nums[j] <= lc->k)
                    any_valid = true;
    return any_valid;
}

/* The source (1..k) in which quotation q of sentence [pos, end) is found,
 * trying the sentence's markers after the quotation first, then those before
 * it; 0 when none.  *empty: the quotation has no words to look for. */
static int quoted_source(const struct line_check *lc, const struct quote *q, size_t pos, size_t end,
                         bool *empty)
{
    int found = 0, pass;
    size_t mi, j;

    *empty = false;
    for (pass = 0; pass < 2 && found == 0; pass++)
        for (mi = 0; mi < lc->ls->nmarkers && found == 0; mi++) {
            const struct marker *mk = &lc->ls->markers[mi];
            if (mk->start < pos || mk->end > end
                || (pass == 0 ? mk->start < q->close : mk->start >= q->close))
                continue;
            for (j = 0; j < mk->nnums && found == 0; j++) {
                int v = mk->nums[j];
                if (v < 1 || (size_t)v > lc->k)
                    continue;
                if (verify_quote_in(lc->s + q->start, q->end - q->start, lc->src[v - 1].norm,
                                    empty))
                    found = v;
                if (*empty)
                    break;
            }
            if (*empty)
                break;
        }
    return found;
}

/* Checks quotation q of sentence [pos, end) and counts it verified or
 * failed; returns true when the sentence is to be dropped.  any_valid: the
 * sentence cites a source (cites_a_source()). */
static bool quote_fails(struct line_check *lc, const struct quote *q, size_t pos, size_t end,
                        bool any_valid)
{
    const char *text = lc->s + q->start;
    size_t len = q->end - q->start, si;
    bool empty, anywhere = false;
    int found = quoted_source(lc, q, pos, end, &empty);

    if (empty)
        return false;
    if (found > 0) {
        lc->r->quotes_verified++;
        if (lc->src[found - 1].quote == NULL)
            lc->src[found - 1].quote = display_quote(text, len);
        return false;
    }
    if (any_valid) {
        lc->r->quotes_failed++;
        return true;
    }
    if (sentence_words(text, len) < VERIFY_CLAIM_WORDS)
        return false;
    for (si = 0; si < lc->k && !anywhere; si++)
        anywhere = verify_quote_in(text, len, lc->src[si].norm, &empty);
    if (anywhere) {
        lc->r->quotes_verified++;
        return false;
    }
    lc->r->quotes_failed++;
    return true;
}

/* Appends the kept sentence [pos, end) to the line (markers rewritten) and
 * to the context of each source it cites. */
static void keep_sentence(struct line_check *lc, size_t pos, size_t end)
{
    size_t before = lc->out->len, ci;

    for (ci = 0; ci < lc->k; ci++)
        lc->cited[ci] = false;
    if (lc->kept > 0)
        buf_putc(lc->out, ' ');
    emit_sentence(lc->out, lc->s, pos, end, lc->ls, lc->k, lc->cited, &lc->r->markers_removed);
    for (ci = 0; ci < lc->k; ci++)
        if (lc->cited[ci]) {
            lc->src[ci].cited = true;
            buf_append(&lc->src[ci].context, lc->s + pos, end - pos);
            buf_putc(&lc->src[ci].context, ' ');
        }
    if (lc->out->len > before)
        lc->kept++;
}

/* Processes one line s[0..n) into out; returns false when the line is to
 * be dropped (all its sentences were). */
static bool verify_line(const char *s, size_t n, struct per_source *src, size_t k,
                        struct verify_result *r, struct buf *out)
{
    struct line_check lc = {.s = s,
                            .k = k,
                            .src = src,
                            .ls = xmalloc(sizeof(*lc.ls)),
                            .cited = xcalloc(k ? k : 1, sizeof(bool)),
                            .r = r,
                            .out = out,
                            .kept = 0};
    size_t prefix = line_prefix(s, n), pos, total = 0;

    scan_line(s, prefix, n, lc.ls);
    buf_append(out, s, prefix);
    pos = prefix;
    while (pos < n) {
        size_t next, end, qi;
        bool drop = false, any_valid;
        while (pos < n && s[pos] == ' ')
            pos++;
        if (pos >= n)
            break;
        end = answer_sentence_end(s, pos, n, lc.ls, &next);
        total++;
        any_valid = cites_a_source(&lc, pos, end);
        for (qi = 0; qi < lc.ls->nquotes && !drop; qi++) {
            const struct quote *q = &lc.ls->quotes[qi];
            if (q->open >= pos && q->close <= end)
                drop = quote_fails(&lc, q, pos, end, any_valid);
        }
        if (drop)
            r->sentences_dropped++;
        else
            keep_sentence(&lc, pos, end);
        pos = next;
    }
    free(lc.cited);
    free(lc.ls);
    return total == 0 || lc.kept > 0;
}

void verify_answer(const char *answer, const char *const *sources, size_t k,
                   struct verify_result *out)
{
    struct per_source *src;
    struct buf text = BUF_INIT, line = BUF_INIT;
    const char *p = answer;
    size_t i, blank = 0;

    memset(out, 0, sizeof(*out));
    if (k > VERIFY_MAX_SOURCES)
        k = VERIFY_MAX_SOURCES;
    src = xcalloc(k ? k : 1, sizeof(*src));
    for (i = 0; i < k; i++) {
        struct buf b = BUF_INIT;
        verify_normalise(&b, sources[i], strlen(sources[i]));
        src[i].norm = buf_steal(&b);
    }
    while (*p != '\0') {
        size_t n = strcspn(p, "\n");
        size_t len = n;
        while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        buf_reset(&line);
        if (len == 0) {
            blank++;
        } else if (verify_line(p, len, src, k, out, &line)) {
            if (text.len > 0)
                buf_puts(&text, blank > 0 ? "\n\n" : "\n");
            buf_append(&text, line.data, line.len);
            blank = 0;
        }
        p += n;
        if (*p == '\n')
            p++;
    }
    out->text = buf_steal(&text);
    buf_free(&line);
    for (i = 0; i < k; i++)
        if (src[i].cited)
            out->ncites++;
    out->cites = xcalloc(out->ncites ? out->ncites : 1, sizeof(*out->cites));
    out->ncites = 0;
    for (i = 0; i < k; i++) {
        struct verify_citation *c;
        if (!src[i].cited) {
            free(src[i].quote);
            free(src[i].norm);
            buf_free(&src[i].context);
            continue;
        }
        c = &out->cites[out->ncites++];
        c->n = (int)i + 1;
        c->quoted = src[i].quote != NULL;
        c->quote = src[i].quote != NULL ? src[i].quote
                                        : best_sentence(sources[i], buf_str(&src[i].context));
        free(src[i].norm);
        buf_free(&src[i].context);
    }
    free(src);
}

bool verify_all_ok(const struct verify_result *r)
{
    return r->ncites > 0 && r->markers_removed == 0 && r->quotes_failed == 0
           && r->sentences_dropped == 0;
}

void verify_result_free(struct verify_result *r)
{
    size_t i;

    if (r == NULL)
        return;
    for (i = 0; i < r->ncites; i++)
        free(r->cites[i].quote);
    free(r->cites);
    free(r->text);
    memset(r, 0, sizeof(*r));
}
