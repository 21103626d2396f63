/*
 * The extractive composer; see extractive.h.
 *
 * Ownership: struct compose owns the parsed passages (src[].p, passage.h),
 * the per-unit state (src[].u) and the normal form of their pages
 * (src[].page), the sections and their term counts (sec[]), the query
 * (q) and the scratch buffer; compose_free() releases them.  Each try
 * writes its answer into a buffer of its own (compose_try), whose text
 * the caller takes.
 *
 * Setup and tries (extractive.h, 4, "The budget"): compose_setup() reads
 * and scores the passages once -- everything that does not depend on
 * the excerpts' budget; each try (compose_try) starts with
 * compose_reset(), which clears what the try before it chose (the try's
 * part of struct compose, struct ustate and struct section), and then
 * plans the steps, chooses the sections and writes the answer.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coach/extractive.h"
#include "coach/passage.h"
#include "coach/phrase.h"
#include "coach/sentences.h"
#include "coach/verify.h"
#include "coach/words.h"
#include "library/analyze.h"
#include "util/alloc.h"
#include "util/buf.h"

#define MAX_PASSAGES 64
#define QTY_TOKENS 160
#define QTY_NOUNS 4
#define QTY_ASKS 4
#define NONE ((size_t)-1)

struct qterm {
    char term[ANALYZE_TERM_MAX];
    double w, idf;
    bool own;    /* not only a term of relevance feedback (extract_term.own) */
    bool stands; /* the question's word or what stands in for one, never only a
                  * WordNet relation: may count as substance (extractive.h, 3; wnown35) */
    bool phrase; /* a word and its number ("tier 3"), looked for in the text */
    bool asked;  /* a word of the question (or the focus) as written */
    bool mine;   /* a word the teacher typed in this turn (extract_request.asked) */
    bool plain;  /* a distinctive word of the question as written (words.h) */
    int verb;    /* a verb of irregular[] the question uses as one: its group + 1, else 0 */
    bool form;   /* another form of it added by add_irregular(), not the question's */
    bool second; /* a second word for a verb's match (second_word()) */
};

/* What the composer knows of one unit of a passage: the setup's, then
 * the try's (compose_reset clears them). */
struct ustate {
    bool quotable;
    double score;         /* the query's weight it carries */
    double asked;         /* the library IDF of the question's own words it holds */
    size_t nterms;        /* its distinct terms */
    size_t central;       /* its terms central to its section (first passage only) */
    double central_score; /* what they add to score */
    bool chosen, written; /* the try's */
};

struct source {
    struct passage p;
    struct ustate *u; /* p.n */
    struct buf page;  /* the normal form of its pages' text (verify_normalise); empty: none */
};

struct section {
    size_t p, s; /* passage, section of it */
    const char *heading;
    size_t hlen;
    double score; /* BM25 times the rank prior; a try may raise it (one_step_asked) */
    double base;  /* score as the setup scored it: each try starts from it */
    bool substance;
    struct analyze_counts body, head;
};

/* A quantity a question asks (extractive.h, 3). */
enum qty_kind { QTY_ANY, QTY_COUNT, QTY_FREQ, QTY_TIME, QTY_SIZE };

struct qty {
    enum qty_kind kind;
    bool time; /* what is counted is time ("how many minutes", "how much time") */
    char noun[QTY_NOUNS][ANALYZE_TERM_MAX]; /* the stems of the words counted ("students") */
    size_t nnoun;
};

struct ref {
    size_t p, i; /* passage, unit */
};

struct compose {
    /* The setup's (compose_setup), for every try. */
    const struct extract_request *rq;
    struct source *src;
    size_t k;
    struct qterm *q;
    size_t nq;
    struct section *sec;
    size_t nsec;
    bool how, example, quantity;
    struct qty qty[QTY_ASKS]; /* what a quantity question asks */
    size_t nqty;
    double asked;  /* the library IDF of the question's own words, summed */
    double mine;   /* the library IDF of the turn's own words, summed */
    bool second;   /* a verb's match needs a second word (extractive.h, 3, fold35) */
    size_t fwords; /* the words the follow-up questions may take (followup_words) */
    struct buf scratch;
    /* The try's (compose_reset clears them). */
    size_t chosen[EXTRACT_MAX_SECTIONS], nchosen; /* indexes of sec, best first */
    bool own_only; /* units of the passages' own text only (extractive.h, "The page") */
    struct ref steps[EXTRACT_MAX_STEPS]; /* a how question's steps (extractive.h, 5) */
    size_t nsteps, steps_p;              /* steps_p: the passage that walks through them */
};

/* ---- questions --------------------------------------------------------- */

bool extractive_asks_how(const char *question)
{
    /* After a leading "how", the word that makes it a question about a
     * process: a modal or "do", "to", or the people who act ("how we
     * start").  "how fast", "how many", "how important" ask for a
     * degree or an amount, not for steps (src/coach/README.md). */
    static const char *const process[] = {"do",    "does", "did",   "can",  "could", "should",
                                          "would", "will", "might", "must", "shall", "to",
                                          "we",    "i",    "you",   "they", NULL};
    const char *q = question, *w;
    size_t wl;

    while (isspace((unsigned char)*q))
        q++;
    if (strcasestr(q, "steps") != NULL || strcasestr(q, "step by step") != NULL
        || strcasestr(q, "step-by-step") != NULL)
        return true;
    if (strncasecmp(q, "how ", 4) == 0) {
        w = q + 4;
        while (isspace((unsigned char)*w))
            w++;
        for (wl = 0; isalpha((unsigned char)w[wl]); wl++)
            ;
        return words_in_list_n(w, wl, process);
    }
    return strcasestr(q, " how do ") != NULL || strcasestr(q, " how to ") != NULL
           || strcasestr(q, " how can ") != NULL || strcasestr(q, " how should ") != NULL;
}

bool extractive_asks_quantity(const char *question)
{
    static const char *const phrases[] = {"how many", "how much",       "how often",
                                          "how long", "how big",        "how large",
                                          "how soon", "how frequently", NULL};
    size_t i;

    for (i = 0; phrases[i] != NULL; i++)
        if (strcasestr(question, phrases[i]) != NULL)
            return true;
    return false;
}

/* True when the word of wl letters at w is one that numbers a label,
 * not a quantity ("Tier 3", "chapters 2 and 3", "grade 4"). */
static bool label_word(const char *w, size_t wl)
{
    static const char *const labels[] = {
        "tier",  "tiers",    "chapter",   "chapters", "grade", "grades", "step",    "steps", "page",
        "pages", "figure",   "table",     "part",     "level", "levels", "section", "unit",  "item",
        "items", "question", "questions", "standard", "week",  "day",    NULL};

    return words_in_list_n(w, wl, labels);
}

/* True when the digits at s + i are a label's number: the word before
 * them, past other numbers, "and", "or" and commas, numbers a label. */
static bool label_number(const char *s, size_t i)
{
    while (i > 0) {
        size_t e, b;
        while (i > 0 && !isalnum((unsigned char)s[i - 1]))
            i--;
        e = i;
        while (i > 0 && isalnum((unsigned char)s[i - 1]))
            i--;
        b = i;
        if (e == b)
            return false;
        if (isdigit((unsigned char)s[b]) || (e - b == 3 && strncasecmp(s + b, "and", 3) == 0)
            || (e - b == 2 && strncasecmp(s + b, "or", 2) == 0))
            continue;
        return label_word(s + b, e - b);
    }
    return false;
}

/* True when word (a lower-case ASCII word) occurs in s as a whole word. */
static bool has_word(const char *s, const char *word)
{
    size_t n = strlen(word);
    const char *p = s;

    while ((p = strcasestr(p, word)) != NULL) {
        if ((p == s || !isalpha((unsigned char)p[-1])) && !isalpha((unsigned char)p[n]))
            return true;
        p += n;
    }
    return false;
}

bool extractive_asks_example(const char *question)
{
    static const char *const words[] = {"example",   "examples",   "sample",   "samples",
                                        "real",      "story",      "stories",  "instance",
                                        "look like", "looks like", "what did", NULL};
    size_t i;

    for (i = 0; words[i] != NULL; i++)
        if (has_word(question, words[i]))
            return true;
    return false;
}

/* ---- quantities (extractive.h, 3 and 5) -------------------------------- */

/* A word of a unit: its bytes, and whether a clause's punctuation comes
 * before it. */
struct tok {
    size_t b, e;
    bool brk;
};

/* Splits the n bytes at s into words (letters and digits; a hyphen
 * splits "forty-five"); returns how many, at most max. */
static size_t tokens(const char *s, size_t n, struct tok *t, size_t max)
{
    size_t i = 0, k = 0;
    bool brk = false;

    while (i < n && k < max) {
        if (!isalnum((unsigned char)s[i])) {
            if (s[i] != '\0' && strchr(".,;:!?()", s[i]) != NULL)
                brk = true;
            i++;
            continue;
        }
        t[k].b = i;
        while (i < n
               && (isalnum((unsigned char)s[i])
                   || (s[i] == '\'' && i + 1 < n && isalpha((unsigned char)s[i + 1]))))
            i++;
        t[k].e = i;
        t[k++].brk = brk;
        brk = false;
    }
    return k;
}

/* True when word t is in list, case ignored (a pattern ending in '*'
 * matches the words it begins). */
static bool tok_in(const char *s, const struct tok *t, const char *const *list)
{
    size_t i, n = t->e - t->b;

    for (i = 0; list[i] != NULL; i++) {
        size_t pl = strlen(list[i]);
        bool star = pl > 0 && list[i][pl - 1] == '*';
        if (star ? n >= pl - 1 && strncasecmp(s + t->b, list[i], pl - 1) == 0
                 : n == pl && strncasecmp(s + t->b, list[i], n) == 0)
            return true;
    }
    return false;
}

/* Copies word t of s, lower-cased, into w (size bytes, NUL-ended); false
 * when it does not fit. */
static bool tok_lower(const char *s, const struct tok *t, char *w, size_t size)
{
    size_t i, l = t->e - t->b;

    if (l >= size)
        return false;
    for (i = 0; i < l; i++)
        w[i] = (char)tolower((unsigned char)s[t->b + i]);
    w[l] = '\0';
    return true;
}

static bool tok_stop(const char *s, const struct tok *t)
{
    char w[WORDS_BYTES];

    return tok_lower(s, t, w, sizeof(w)) && words_is_stop(w);
}

static const char *const number_words[] = {
    "two",     "three",  "four",    "five",   "six",    "seven",   "eight", "nine",      "ten",
    "eleven",  "twelve", "fifteen", "twenty", "thirty", "forty",   "fifty", "sixty",     "ninety",
    "hundred", "dozen",  "half",    "twice",  "weekly", "monthly", "daily", "quarterly", NULL};

static const char *const time_units[] = {"second*", "minute*",   "min",      "mins",  "hour*",
                                         "hr",      "hrs",       "day*",     "week*", "month*",
                                         "year*",   "semester*", "quarter*", NULL};

/* True when word t is a number: digits that are not a label's ("Tier
 * 3"), or a number word (not "one"). */
static bool number_tok(const char *s, const struct tok *t)
{
    if (isdigit((unsigned char)s[t->b]))
        return !label_number(s, t->b);
    return tok_in(s, t, number_words);
}

/* True when the unit states a frequency in words ("weekly", "once",
 * "every week", "each month"). */
static bool frequency_words(const char *s, const struct tok *t, size_t k)
{
    static const char *const ly[] = {"weekly",   "daily",    "monthly", "quarterly", "yearly",
                                     "annually", "biweekly", "once",    "twice",     NULL};
    static const char *const every[] = {"every", "each", "per", NULL};
    size_t i;

    for (i = 0; i < k; i++) {
        if (tok_in(s, &t[i], ly))
            return true;
        if (tok_in(s, &t[i], every) && i + 1 < k && !t[i + 1].brk
            && tok_in(s, &t[i + 1], time_units))
            return true;
    }
    return false;
}

/* True when word t is one of the nouns the question counts (its stem). */
static bool counted_noun(const struct qty *q, const char *s, const struct tok *t)
{
    char w[ANALYZE_TERM_MAX], term[ANALYZE_TERM_MAX];
    size_t i;

    if (!tok_lower(s, t, w, sizeof(w)) || analyze_word(w, t->e - t->b, term) == 0)
        return false;
    for (i = 0; i < q->nnoun; i++)
        if (strcmp(q->noun[i], term) == 0)
            return true;
    return false;
}

/* True when the count that ends before word j (of k) measures the nouns
 * the question counts: nothing of its own follows it ("Forty-five is a
 * workable minimum"), or its words ("six students", "three of the
 * students") name one of them, or their unit (time, when time is
 * counted). */
static bool counts_noun(const struct qty *q, const char *s, const struct tok *t, size_t k, size_t j)
{
    static const char *const of[] = {"of", NULL};
    static const char *const det[] = {"the", "our", "your", "their", "these", "those",
                                      "its", "his", "her",  "all",   NULL};
    static const char *const pct[] = {"percent", NULL};
    static const char *const per[] = {"per", NULL}, *const cent[] = {"cent", NULL};
    size_t m;
    /* A share ("80 percent", "80%") counts only the nouns it names. */
    bool share = j > 0 && s[t[j - 1].e] == '%';

    if (!share && (j >= k || t[j].brk))
        return true;
    if (j >= k || t[j].brk)
        return false;
    if (q->time && tok_in(s, &t[j], time_units))
        return true;
    if (tok_in(s, &t[j], per) && j + 1 < k && !t[j + 1].brk && tok_in(s, &t[j + 1], cent))
        j++; /* "per cent" */
    if (tok_in(s, &t[j], pct) || tok_in(s, &t[j], cent)) {
        share = true;
        if (j + 1 >= k || t[j + 1].brk)
            return false;
        j++;
    }
    if (tok_in(s, &t[j], of)) {
        for (j++; j < k && !t[j].brk && tok_in(s, &t[j], det); j++)
            ;
        if (j >= k || t[j].brk || tok_stop(s, &t[j]))
            return !share; /* "six of them", not "80 percent of them" */
    } else if (tok_stop(s, &t[j]))
        return !share;
    for (m = j; m < k && m < j + 3 && !t[m].brk && !tok_stop(s, &t[m]); m++)
        if (counted_noun(q, s, &t[m]))
            return true;
    return false;
}

/* True when the number that ends before word j (of k; it starts at word
 * i) measures what the question asks (extractive.h, 3). */
static bool measures(const struct qty *q, const char *s, const struct tok *t, size_t k, size_t i,
                     size_t j)
{
    static const char *const times[] = {"times", NULL};
    static const char *const every[] = {"every", "each", NULL};
    static const char *const per[] = {"a", "an", "per", "each", "every", NULL};
    static const char *const lengths[] = {"word*", "page*",      "sentence*",
                                          "line*", "paragraph*", NULL};
    bool after = j < k && !t[j].brk;

    if (q->kind == QTY_FREQ) /* "four times a week", "every three weeks", "two days a week" */
        return after
               && (tok_in(s, &t[j], times)
                   || (tok_in(s, &t[j], time_units)
                       && ((i > 0 && tok_in(s, &t[i - 1], every))
                           || (j + 2 < k && tok_in(s, &t[j + 1], per)
                               && tok_in(s, &t[j + 2], time_units)))));
    if (q->kind == QTY_TIME) /* "thirty minutes", "two pages", or nothing of its own after it */
        return !after || tok_stop(s, &t[j]) || tok_in(s, &t[j], time_units)
               || tok_in(s, &t[j], lengths);
    if (q->kind == QTY_SIZE) /* a count, not a time */
        return !after || !tok_in(s, &t[j], time_units);
    return q->kind != QTY_COUNT || counts_noun(q, s, t, k, j);
}

/* True when the n bytes at s hold a quantity that measures what the
 * question asks (extractive.h, 3): a number (digits that are not a
 * label's, or a number word; with the numbers and "to", "and", "or"
 * after it: "eight and twelve") whose words say it measures the
 * question's own quantity, or for "how often" a frequency in words. */
static bool holds_quantity(const struct qty *q, const char *s, size_t n)
{
    static const char *const range[] = {"to", "and", "or", NULL};
    struct tok t[QTY_TOKENS];
    size_t k = tokens(s, n, t, QTY_TOKENS), i, j;

    if (q->kind == QTY_FREQ && frequency_words(s, t, k))
        return true;
    for (i = 0; i < k; i++) {
        if (!number_tok(s, &t[i]))
            continue;
        for (j = i + 1; j < k && !t[j].brk; j++)
            if (!number_tok(s, &t[j])
                && !(tok_in(s, &t[j], range) && j + 1 < k && !t[j + 1].brk
                     && number_tok(s, &t[j + 1])))
                break;
        if (measures(q, s, t, k, i, j))
            return true;
        i = j - 1;
    }
    return false;
}

/* Reads into *a what the quantity phrase of kind kd ('f', 't', 's', 'c')
 * that ends at at asks (extractive.h, 3): for "how many" / "how much",
 * the words it counts (up to QTY_NOUNS words after it, up to a stop
 * word: "how many students", "how much time"); "how many times" asks a
 * frequency. */
static void parse_ask(struct qty *a, char kd, const char *at)
{
    static const char *const times[] = {"times", NULL};
    struct tok t[QTY_NOUNS + 1];
    size_t i, k = tokens(at, strlen(at), t, QTY_NOUNS + 1);

    a->kind = kd == 'f' ? QTY_FREQ : kd == 't' ? QTY_TIME : kd == 's' ? QTY_SIZE : QTY_COUNT;
    if (a->kind != QTY_COUNT)
        return;
    if (k > 0 && !t[0].brk && tok_in(at, &t[0], times)) {
        a->kind = QTY_FREQ;
        return;
    }
    for (i = 0; i < k && i < QTY_NOUNS && !t[i].brk && !tok_stop(at, &t[i]); i++) {
        char w[ANALYZE_TERM_MAX];
        size_t l = t[i].e - t[i].b, m;
        if (l >= sizeof(w))
            break;
        for (m = 0; m < l; m++)
            w[m] = (char)tolower((unsigned char)at[t[i].b + m]);
        w[l] = '\0';
        if (tok_in(at, &t[i], time_units) || strcmp(w, "time") == 0)
            a->time = true;
        if (analyze_word(w, l, a->noun[a->nnoun]) > 0)
            a->nnoun++;
    }
    if (a->nnoun == 0 && !a->time)
        a->kind = QTY_ANY; /* "how much should we ...": any number */
}

/* What quantities the question (or the focus) asks (extractive.h, 3):
 * every quantity phrase of it, up to QTY_ASKS ("how many kids ... and
 * how many times a week"). */
static void parse_quantity(struct compose *c, const char *q)
{
    static const char *const phrases[][2] = {
        {"how often", "f"}, {"how frequently", "f"}, {"how long", "t"}, {"how soon", "t"},
        {"how big", "s"},   {"how large", "s"},      {"how many", "c"}, {"how much", "c"}};
    size_t i;

    for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
        const char *p = q;
        size_t len = strlen(phrases[i][0]);
        while (c->nqty < QTY_ASKS && (p = strcasestr(p, phrases[i][0])) != NULL) {
            p += len;
            parse_ask(&c->qty[c->nqty++], phrases[i][1][0], p);
        }
    }
}

/* True when the n bytes at s hold a number that measures one of the
 * quantities the question asks (extractive.h, 3 and 5). */
static bool answers_quantity(const struct compose *c, const char *s, size_t n)
{
    static const struct qty any = {.kind = QTY_ANY};
    size_t i;

    for (i = 0; i < c->nqty; i++)
        if (holds_quantity(&c->qty[i], s, n))
            return true;
    return c->nqty == 0 && holds_quantity(&any, s, n);
}

/* ---- units ------------------------------------------------------------- */

/* The unit's text as a C string (in the scratch buffer, valid until the
 * next call). */
static const char *unit_text(struct compose *c, const struct passage *p,
                             const struct passage_unit *u)
{
    buf_reset(&c->scratch);
    buf_append(&c->scratch, p->text + u->start, u->len);
    return buf_str(&c->scratch);
}

/* True when unit u of s may be quoted for where it is: inside the
 * passage's own text, or found on the passage's pages (extractive.h, "The
 * page"). */
static bool in_own(const struct extract_source *x, const struct passage_unit *u)
{
    return x->own_end == 0 || (u->start >= x->own_start && u->start + u->len <= x->own_end);
}

/* True when passage p (its rank, from 0) may quote any section of its
 * pages, not only those holding its own text (extractive.h, "The page";
 * keys39). */
static bool whole_page(size_t p)
{
    return p < EXTRACT_PAGE_SOURCES;
}

/* True when unit u of passage p may be chosen while c->own_only: in the
 * passage's own text, or in a passage that may quote its whole page. */
static bool own_or_page(const struct compose *c, size_t p, const struct passage_unit *u)
{
    return !c->own_only || whole_page(p) || in_own(&c->rq->sources[p], u);
}

/* True when unit u of s may be quoted for where it is: in the passage's
 * own text, or found on the passage's pages and, but in a passage that
 * may quote its whole page (whole_page()), in a section that holds some
 * of its own text (extractive.h, "The page"). */
static bool on_pages(const struct compose *c, const struct source *s, const struct passage_unit *u)
{
    const struct extract_source *x = &c->rq->sources[s - c->src];
    const struct passage_section *ps = &s->p.s[u->section];
    bool empty = false, own = whole_page((size_t)(s - c->src));
    size_t i;

    if (in_own(x, u))
        return true;
    for (i = ps->first; i < ps->first + ps->n && !own; i++)
        own = in_own(x, &s->p.u[i]);
    return own && s->page.len > 0
           && verify_quote_in(s->p.text + u->start, u->len, s->page.data, &empty);
}

/* Marks the quotable units of source s (extractive.h, 2). */
/* True when unit i of s is a run-in label: a complete sentence of 2 to
 * EXTRACT_MIN_WORDS - 1 words ("Site visits.") followed in its paragraph
 * by a sentence long enough to quote. */
static bool short_label(const struct source *s, size_t i)
{
    const struct passage_unit *u = &s->p.u[i], *v = &s->p.u[i + 1];

    return u->kind == PASSAGE_SENTENCE && !u->lead && u->complete && !u->question && u->words >= 2
           && u->words < EXTRACT_MIN_WORDS && i + 1 < s->p.n && v->kind == PASSAGE_SENTENCE
           && v->para == u->para && v->complete && v->words >= EXTRACT_MIN_WORDS
           && v->words <= EXTRACT_MAX_WORDS;
}

static void mark_quotable(struct compose *c, struct source *s)
{
    size_t i;

    s->u = xcalloc(s->p.n + 1, sizeof(*s->u));
    for (i = 0; i < s->p.n; i++) {
        const struct passage_unit *u = &s->p.u[i];
        bool q = false;
        if (u->kind == PASSAGE_SENTENCE && !u->lead)
            q = u->complete && !u->question && u->words >= EXTRACT_MIN_WORDS
                && u->words <= EXTRACT_MAX_WORDS && (!u->narrative || c->example);
        else if (u->kind == PASSAGE_SENTENCE && u->lead) /* "It holds six things:" */
            q = u->words >= 2 && u->words <= EXTRACT_MAX_WORDS && (!u->narrative || c->example);
        if (u->kind == PASSAGE_ITEM)
            q = u->words >= 2 && u->words <= EXTRACT_MAX_ITEM_WORDS;
        if (!q && short_label(s, i)) /* "Site visits." before its sentence */
            q = !u->narrative || c->example;
        /* Outside the passage, only what is on the passage's pages. */
        if (q && !on_pages(c, s, u))
            q = false;
        /* A dependent sentence only right after its quotable referent. */
        if (q && u->dependent)
            q = i > 0 && s->p.u[i - 1].para == u->para && s->u[i - 1].quotable;
        s->u[i].quotable = q;
    }
}

/* ---- the query --------------------------------------------------------- */

static struct qterm *find_term(struct compose *c, const char *term)
{
    size_t i;

    for (i = 0; i < c->nq; i++)
        if (strcmp(c->q[i].term, term) == 0)
            return &c->q[i];
    return NULL;
}

static void add_term(struct compose *c, const char *term, double w, double idf, bool own,
                     bool stands)
{
    struct qterm *t = find_term(c, term);

    if (strlen(term) >= ANALYZE_TERM_MAX)
        return;
    if (t == NULL) {
        c->q = xrealloc(c->q, (c->nq + 1) * sizeof(*c->q));
        t = &c->q[c->nq++];
        memset(t, 0, sizeof(*t));
        strcpy(t->term, term);
    }
    if (w > t->w)
        t->w = w;
    if (idf > t->idf)
        t->idf = idf;
    t->own = t->own || own;
    t->stands = t->stands || stands;
}

static void add_own_word(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    (void)len;
    (void)word;
    (void)wlen;
    add_term(ctx, term, 0, 0, true, true);
}

/* Marks a term of the query that the question itself holds. */
static void mark_asked(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct qterm *t = find_term(ctx, term);

    (void)len;
    (void)word;
    (void)wlen;
    if (t != NULL)
        t->asked = true;
}

/* The query's term for word (its analysed term) when word is a
 * distinctive word (words.h: not a stop word, not a generic one such as
 * "team", "start", "steps"), else NULL: for mark_mine and mark_plain. */
static struct qterm *distinctive_term(struct compose *c, const char *term, const char *word,
                                      size_t wlen)
{
    struct qterm *t = find_term(c, term);
    char w[64];
    size_t i;

    if (t == NULL || wlen >= sizeof(w))
        return NULL;
    for (i = 0; i < wlen; i++)
        w[i] = (char)tolower((unsigned char)word[i]);
    w[wlen] = '\0';
    return words_is_distinctive(w) ? t : NULL;
}

/* Marks a term of the query that the teacher typed in this turn, from a
 * distinctive word. */
static void mark_mine(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct qterm *t = distinctive_term(ctx, term, word, wlen);

    (void)len;
    if (t != NULL)
        t->mine = true;
}

/* Marks a term of the query that the question holds as a distinctive
 * word, not only an expansion of one (extractive.h, 4). */
static void mark_plain(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct qterm *t = distinctive_term(ctx, term, word, wlen);

    (void)len;
    if (t != NULL)
        t->plain = true;
}

/* The number of times phrase (lower case, "tier 3") occurs in the n
 * bytes at s, case ignored, not followed by a digit or a letter. */
static unsigned count_phrase(const char *s, size_t n, const char *phrase)
{
    size_t pl = strlen(phrase), i;
    unsigned count = 0;

    for (i = 0; i + pl <= n; i++)
        if (strncasecmp(s + i, phrase, pl) == 0 && (i == 0 || !isalnum((unsigned char)s[i - 1]))
            && (i + pl == n || !isalnum((unsigned char)s[i + pl])))
            count++;
    return count;
}

/* Adds the numbered phrases of text (extractive.h, 3): a word of at least
 * two letters, a space, a number of one or two digits ("Tier 3", "grade
 * 4"), weighing as the word's term (1 when the query lacks it; the
 * focus's words already weigh twice). */
static void add_numbered(struct compose *c, const char *text)
{
    const char *p = text;

    while (*p != '\0') {
        const char *w = p, *d;
        size_t wl = 0, dl = 0;
        char phrase[ANALYZE_TERM_MAX], term[ANALYZE_TERM_MAX];
        if (!isalpha((unsigned char)*p) || (p > text && isalnum((unsigned char)p[-1]))) {
            p++;
            continue;
        }
        while (isalpha((unsigned char)w[wl]))
            wl++;
        p = w + wl;
        if (*p != ' ')
            continue;
        d = p + 1;
        while (isdigit((unsigned char)d[dl]))
            dl++;
        if (dl < 1 || dl > 2 || isalnum((unsigned char)d[dl]) || wl < 2
            || wl + 1 + dl >= sizeof(phrase))
            continue;
        {
            size_t i, tl;
            const struct qterm *t;
            double weight, idf;
            struct qterm *q;
            for (i = 0; i < wl; i++)
                phrase[i] = (char)tolower((unsigned char)w[i]);
            tl = analyze_word(phrase, wl, term);
            t = tl > 0 ? find_term(c, term) : NULL;
            weight = t != NULL && t->w > 0 ? t->w : 1;
            idf = t != NULL ? t->idf : 1;
            phrase[wl] = ' ';
            memcpy(phrase + wl + 1, d, dl);
            phrase[wl + 1 + dl] = '\0';
            add_term(c, phrase, weight, idf, true, true);
            q = find_term(c, phrase);
            if (q != NULL)
                q->phrase = true;
        }
    }
}

/* Verbs whose past forms the stemmer keeps apart from them ("broken" is
 * not "break"), each group its forms (extractive.h, 3). */
static const char *const irregular[][4] = {
    {"break", "broke", "broken", NULL},
    {"speak", "spoke", "spoken", NULL},
    {"write", "wrote", "written", NULL},
    {"choose", "chose", "chosen", NULL},
    {"give", "gave", "given", NULL},
    {"take", "took", "taken", NULL},
    {"forget", "forgot", "forgotten", NULL},
    {"begin", "began", "begun", NULL},
    {"know", "knew", "known", NULL},
    {"grow", "grew", "grown", NULL},
    {"drive", "drove", "driven", NULL},
    {"throw", "threw", "thrown", NULL},
    {"draw", "drew", "drawn", NULL},
    {"hide", "hid", "hidden", NULL},
    {"teach", "taught", NULL, NULL},
    {"think", "thought", NULL, NULL},
    {"bring", "brought", NULL, NULL},
    {"buy", "bought", NULL, NULL},
    {"catch", "caught", NULL, NULL},
    {"seek", "sought", NULL, NULL},
    {"keep", "kept", NULL, NULL},
    {"lose", "lost", NULL, NULL},
    {"mean", "meant", NULL, NULL},
    {"send", "sent", NULL, NULL},
    {"spend", "spent", NULL, NULL},
    {"build", "built", NULL, NULL},
    {"hold", "held", NULL, NULL},
    {"tell", "told", NULL, NULL},
    {"sell", "sold", NULL, NULL},
    {"hear", "heard", NULL, NULL},
    {"stand", "stood", NULL, NULL},
    {"understand", "understood", NULL, NULL},
};

/* True when text holds a word whose term is term used as a verb, base
 * being the verb's plain form (extractive.h, 3, compose34): another form
 * than the plain one ("breaks", "breaking"), or the plain one first in
 * the text or after "to", a modal, "do", "not" or a personal pronoun
 * ("will break", "we break"); the plain one after anything else may be a
 * noun ("winter break", "a break"). */
static bool verb_use(const char *text, const char *term, const char *base)
{
    static const char *const before[] = {"to",    "will", "would", "can",  "could", "should",
                                         "shall", "may",  "might", "must", "do",    "does",
                                         "did",   "not",  "never", "we",   "they",  "you",
                                         "i",     "he",   "she",   "who",  NULL};
    char w[ANALYZE_WORD_MAX + 1], prev[ANALYZE_WORD_MAX + 1] = "", t[ANALYZE_TERM_MAX];
    const char *s = text;

    while (*s != '\0') {
        size_t n = 0, k;
        bool start = prev[0] == '\0';
        if (!isalpha((unsigned char)*s)) {
            if (strchr(".:;!?", *s) != NULL)
                prev[0] = '\0'; /* a clause starts: an imperative */
            s++;
            continue;
        }
        while (isalpha((unsigned char)s[n]) || (s[n] == '\'' && isalpha((unsigned char)s[n + 1])))
            n++;
        if (n <= ANALYZE_WORD_MAX) {
            for (k = 0; k < n; k++)
                w[k] = (char)tolower((unsigned char)s[k]);
            w[n] = '\0';
            if (analyze_word(w, n, t) > 0 && strcmp(t, term) == 0) {
                bool after = false;
                for (k = 0; before[k] != NULL && !after; k++)
                    after = strcmp(prev, before[k]) == 0;
                if (strcmp(w, base) != 0 || start || after)
                    return true;
            }
            strcpy(prev, w);
        }
        s += n;
    }
    return false;
}

/* Adds to the query the other forms of an irregular verb a term of the
 * question's own is one of ("break": "broke", "broken"), each with that
 * term's weight and IDF, asked when it is, never typed or plain (the
 * steps' and the one more source's tests read the words as typed): a section
 * headed "When a norm is broken" holds what "when someone breaks them"
 * asks (extractive.h, 3). */
static void add_irregular(struct compose *c)
{
    char stem[4][ANALYZE_TERM_MAX];
    size_t g, f, n = c->nq, i;

    for (g = 0; g < sizeof(irregular) / sizeof(irregular[0]); g++) {
        size_t nf = 0;
        for (f = 0; f < 4 && irregular[g][f] != NULL; f++)
            if (analyze_word(irregular[g][f], strlen(irregular[g][f]), stem[nf]) > 0)
                nf++;
        for (i = 0; i < n; i++) {
            struct qterm t = c->q[i];
            bool in = false;
            if (t.phrase || !t.own || t.w <= 0)
                continue;
            for (f = 0; f < nf && !in; f++)
                in = strcmp(stem[f], t.term) == 0;
            if (in && !c->q[i].verb && verb_use(c->rq->question, t.term, irregular[g][0]))
                c->q[i].verb = (int)g + 1;
            for (f = 0; in && f < nf; f++)
                if (strcmp(stem[f], t.term) != 0) {
                    struct qterm *v = find_term(c, stem[f]);
                    bool added = v == NULL;
                    add_term(c, stem[f], t.w, t.idf, true, t.stands);
                    if ((v = find_term(c, stem[f])) != NULL) {
                        v->asked = v->asked || t.asked;
                        v->form = v->form || added;
                    }
                }
        }
    }
}

static bool substantive(const struct compose *c, const struct qterm *t);

/* True when t is a second word for a verb's match (extractive.h, 3,
 * compose34): a word of the question (or the focus) as written with
 * substance, not a verb of irregular[] or a form of one, nor a numbered
 * phrase. */
static bool second_word(const struct compose *c, const struct qterm *t)
{
    return t->asked && !t->verb && !t->form && !t->phrase && substantive(c, t);
}

/* The second argument of verb_counts() for a text whose counts are a
 * (and b, when not NULL): true when the question has no second word
 * (c->second false) or the text holds one. */
static bool holds_second(const struct compose *c, const struct analyze_counts *a,
                         const struct analyze_counts *b)
{
    size_t j;

    if (!c->second)
        return true;
    for (j = 0; j < c->nq; j++)
        if (c->q[j].second
            && (analyze_counts_get(a, c->q[j].term) > 0
                || (b != NULL && analyze_counts_get(b, c->q[j].term) > 0)))
            return true;
    return false;
}

/* True when a match of t in text counts (extractive.h, 3, compose34):
 * always, but when the question holds a second word (c->second) and text
 * none of them (second false), the match of a verb of irregular[] counts
 * only where text uses it as a verb, and another form of it not at all
 * ("By winter break, ..." does not hold "when someone breaks them"). */
static bool verb_counts(const struct compose *c, const struct qterm *t, const char *text,
                        bool second)
{
    if (!c->second || second || (!t->verb && !t->form))
        return true;
    return !t->form && verb_use(text, t->term, irregular[t->verb - 1][0]);
}

/* The query (extractive.h, 3); without the caller's terms, the IDF of
 * the question's words among the candidate sections. */
static void build_query(struct compose *c)
{
    const struct extract_request *rq = c->rq;
    struct analyze_counts focus = {0};
    size_t i, j, n = 0;

    if (rq->terms != NULL) {
        for (i = 0; i < rq->nterms; i++)
            if (rq->terms[i].term != NULL && rq->terms[i].term[0] != '\0')
                add_term(c, rq->terms[i].term, rq->terms[i].idf * rq->terms[i].weight,
                         rq->terms[i].idf, rq->terms[i].own,
                         rq->terms[i].own && !rq->terms[i].related);
    } else {
        analyze_each(rq->question, add_own_word, c);
        for (i = 0; i < c->nsec; i++)
            n += c->sec[i].body.length > 0;
        for (i = 0; i < c->nq; i++) {
            size_t df = 0;
            for (j = 0; j < c->nsec; j++)
                df += c->sec[j].body.length > 0
                      && (analyze_counts_get(&c->sec[j].body, c->q[i].term) > 0
                          || analyze_counts_get(&c->sec[j].head, c->q[i].term) > 0);
            c->q[i].idf = log(1.0 + ((double)n - (double)df + 0.5) / ((double)df + 0.5));
            c->q[i].w = c->q[i].idf;
        }
    }
    analyze_each(rq->question, mark_asked, c);
    analyze_each(rq->question, mark_plain, c);
    if (rq->focus != NULL)
        analyze_each(rq->focus, mark_asked, c);
    analyze_each(rq->asked != NULL ? rq->asked : rq->question, mark_mine, c);
    for (i = 0; i < c->nq; i++) {
        if (c->q[i].asked)
            c->asked += c->q[i].idf;
        if (c->q[i].mine)
            c->mine += c->q[i].idf;
    }
    add_numbered(c, rq->question);
    if (rq->focus != NULL) {
        analyze_count_text(&focus, rq->focus);
        for (i = 0; i < c->nq; i++)
            if (!c->q[i].phrase && analyze_counts_get(&focus, c->q[i].term) > 0)
                c->q[i].w *= 2;
        analyze_counts_free(&focus);
        add_numbered(c, rq->focus);
    }
    add_irregular(c);
    for (i = 0; i < c->nq; i++) {
        c->q[i].second = second_word(c, &c->q[i]);
        c->second = c->second || c->q[i].second;
    }
}

/* A term that counts as substance (extractive.h, 4). */
static bool substantive(const struct compose *c, const struct qterm *t)
{
    return t->stands && (c->rq->terms == NULL || t->idf >= EXTRACT_SUBSTANCE_IDF) && t->w > 0;
}

/* ---- sections ---------------------------------------------------------- */

/* The sections of every passage that have quotable units, with their
 * terms. */
static void build_sections(struct compose *c)
{
    size_t p, s, i;

    for (p = 0; p < c->k; p++) {
        const struct passage *ps = &c->src[p].p;
        if (c->rq->sources[p].steps_only)
            continue; /* quoted as a step only (extractive.h, 5, steps33) */
        for (s = 0; s < ps->ns; s++) {
            const struct passage_section *x = &ps->s[s];
            struct section sec = {.p = p, .s = s, .heading = x->heading, .hlen = x->hlen};
            bool any = false;
            for (i = x->first; i < x->first + x->n; i++)
                if (c->src[p].u[i].quotable && own_or_page(c, p, &ps->u[i])) {
                    analyze_count_text(&sec.body, unit_text(c, ps, &ps->u[i]));
                    any = true;
                }
            if (!any) {
                analyze_counts_free(&sec.body);
                continue;
            }
            if (sec.heading != NULL) {
                buf_reset(&c->scratch);
                buf_append(&c->scratch, sec.heading, sec.hlen);
                analyze_count_text(&sec.head, buf_str(&c->scratch));
            }
            c->sec = xrealloc(c->sec, (c->nsec + 1) * sizeof(*c->sec));
            c->sec[c->nsec++] = sec;
        }
    }
}

/* The frequency of a numbered phrase in section x: in its quotable
 * units, and EXTRACT_HEADING_WEIGHT times in its heading. */
static double phrase_tf(const struct compose *c, const struct section *x, const char *phrase)
{
    const struct source *s = &c->src[x->p];
    const struct passage_section *ps = &s->p.s[x->s];
    double tf = 0;
    size_t i;

    for (i = ps->first; i < ps->first + ps->n; i++)
        if (s->u[i].quotable)
            tf += count_phrase(s->p.text + s->p.u[i].start, s->p.u[i].len, phrase);
    if (x->heading != NULL)
        tf += EXTRACT_HEADING_WEIGHT * count_phrase(x->heading, x->hlen, phrase);
    return tf;
}

/* The section of c->sec that unit i of passage p is in, or NULL. */
static const struct section *section_of(const struct compose *c, size_t p, size_t i)
{
    size_t j;

    for (j = 0; j < c->nsec; j++)
        if (c->sec[j].p == p && c->sec[j].s == c->src[p].p.u[i].section)
            return &c->sec[j];
    return NULL;
}

/* True when a match of t in section x counts (verb_counts(): in its
 * heading or a quotable unit; second, x holds a second word). */
static bool section_verb(struct compose *c, const struct section *x, const struct qterm *t,
                         bool second)
{
    const struct source *s = &c->src[x->p];
    const struct passage_section *ps = &s->p.s[x->s];
    bool counts = false;
    size_t i;

    if (verb_counts(c, t, "", second))
        return true;
    if (x->heading != NULL) {
        buf_reset(&c->scratch);
        buf_append(&c->scratch, x->heading, x->hlen);
        counts = verb_counts(c, t, buf_str(&c->scratch), second);
    }
    for (i = ps->first; i < ps->first + ps->n && !counts; i++)
        if (s->u[i].quotable)
            counts = verb_counts(c, t, unit_text(c, &s->p, &s->p.u[i]), second);
    return counts;
}

/* BM25 of section x (its quotable units and its heading; avg, the mean
 * length), times the rank prior (extractive.h, 4). */
static double section_score(struct compose *c, struct section *x, double avg)
{
    double s = 0, norm = EXTRACT_K1 * (1 - EXTRACT_B + EXTRACT_B * (double)x->body.length / avg);
    bool second = holds_second(c, &x->body, &x->head);
    size_t j;

    for (j = 0; j < c->nq; j++) {
        double tf = c->q[j].phrase
                        ? phrase_tf(c, x, c->q[j].term)
                        : analyze_counts_get(&x->body, c->q[j].term)
                              + EXTRACT_HEADING_WEIGHT * analyze_counts_get(&x->head, c->q[j].term);
        if (tf <= 0 || !section_verb(c, x, &c->q[j], second))
            continue;
        s += c->q[j].w * tf * (EXTRACT_K1 + 1) / (tf + norm);
        x->substance = x->substance || substantive(c, &c->q[j]);
    }
    return s * (1 + EXTRACT_RANK_PRIOR / (double)(x->p + 1));
}

/* The mean length of the candidate sections. */
static double mean_length(const struct compose *c)
{
    double avg = 0;
    size_t i;

    for (i = 0; i < c->nsec; i++)
        avg += (double)c->sec[i].body.length;
    return c->nsec > 0 && avg > 0 ? avg / (double)c->nsec : 1;
}

/* The weight a quantity carries for a quantity question: the mean weight
 * of the question's own terms (extractive.h, 3). */
static double qty_weight(const struct compose *c)
{
    double w = 0;
    size_t i, n = 0;

    for (i = 0; i < c->nq; i++)
        if (c->q[i].asked && !c->q[i].phrase) {
            w += c->q[i].w;
            n++;
        }
    return n > 0 ? w / (double)n : 1;
}

/* The terms of unit i of passage p (its terms u) that are central to its
 * section: twice or more in the section's quotable text, or in its
 * heading (extractive.h, 4). */
static size_t central_terms(const struct compose *c, size_t p, size_t i,
                            const struct analyze_counts *u)
{
    const struct section *x = section_of(c, p, i);
    size_t m, n = 0;

    for (m = 0; x != NULL && m < u->n; m++)
        n += analyze_counts_get(&x->body, u->v[m].term) >= 2
             || analyze_counts_get(&x->head, u->v[m].term) > 0;
    return n;
}

/* Adds to each sentence of the first-ranked passage
 * EXTRACT_CENTRAL_WEIGHT times the mean weight of the question's own
 * terms for each term central to its section, in a section where a unit
 * carries the query (extractive.h, 4). */
static void add_central(struct compose *c)
{
    const struct passage *ps = &c->src[0].p;
    struct ustate *u = c->src[0].u;
    double w = EXTRACT_CENTRAL_WEIGHT * qty_weight(c);
    size_t i, j;

    for (i = 0; c->k > 0 && i < ps->n; i++) {
        bool query = false;
        for (j = 0; j < ps->n && !query && u[i].central > 0; j++)
            query = ps->u[j].section == ps->u[i].section && u[j].score > 0;
        if (query)
            u[i].central_score = w * (double)u[i].central;
    }
    for (i = 0; c->k > 0 && i < ps->n; i++)
        u[i].score += u[i].central_score;
}

/* Scores every section (BM25 over its quotable units and its heading)
 * and every quotable unit (the query's weight it carries). */
static void score(struct compose *c)
{
    static const struct qty any = {.kind = QTY_ANY}; /* any number (extractive.h, 3) */
    double avg = mean_length(c);
    size_t i, j, p;

    for (i = 0; i < c->nsec; i++)
        c->sec[i].score = section_score(c, &c->sec[i], avg);
    for (p = 0; p < c->k; p++) {
        const struct passage *ps = &c->src[p].p;
        for (i = 0; i < ps->n; i++) {
            struct analyze_counts u = {0};
            const char *text;
            bool second;
            if (!c->src[p].u[i].quotable)
                continue;
            text = unit_text(c, ps, &ps->u[i]);
            analyze_count_text(&u, text);
            second = holds_second(c, &u, NULL);
            for (j = 0; j < c->nq; j++)
                if (verb_counts(c, &c->q[j], text, second)
                    && (c->q[j].phrase
                            ? count_phrase(ps->text + ps->u[i].start, ps->u[i].len, c->q[j].term)
                                  > 0
                            : analyze_counts_get(&u, c->q[j].term) > 0)) {
                    c->src[p].u[i].score += c->q[j].w;
                    if (c->q[j].asked && !c->q[j].phrase)
                        c->src[p].u[i].asked += c->q[j].idf;
                }
            c->src[p].u[i].nterms = u.n;
            if (p == 0 && ps->u[i].kind == PASSAGE_SENTENCE)
                c->src[p].u[i].central = central_terms(c, p, i, &u);
            analyze_counts_free(&u);
            if (c->quantity && holds_quantity(&any, ps->text + ps->u[i].start, ps->u[i].len))
                c->src[p].u[i].score += qty_weight(c);
        }
    }
    add_central(c);
}

/* True when unit i of passage p has the text of a unit already chosen
 * (passages overlap by a sentence or two). */
static bool taken_elsewhere(const struct compose *c, size_t p, size_t i)
{
    const struct passage_unit *u = &c->src[p].p.u[i];
    const char *t = c->src[p].p.text + u->start;
    size_t q, j;

    for (q = 0; q < c->k; q++)
        for (j = 0; j < c->src[q].p.n; j++) {
            const struct passage_unit *v = &c->src[q].p.u[j];
            if (c->src[q].u[j].chosen && v->len == u->len
                && memcmp(c->src[q].p.text + v->start, t, u->len) == 0)
                return true;
        }
    return false;
}

/* The words a unit costs in the answer (its citation marker and its
 * bullet or number counted). */
static size_t cost(const struct passage_unit *u)
{
    return u->words + 2;
}

/* True when unit i of s is a sentence that carries nothing of the query
 * (not a list's lead-in or item). */
static bool idle(const struct source *s, size_t i)
{
    return s->p.u[i].kind == PASSAGE_SENTENCE && !s->p.u[i].lead && s->u[i].score <= 0;
}

/* True when unit i of s is a sentence that carries nothing of the query
 * but its terms central to its section (not a list's lead-in or item). */
static bool edge_idle(const struct source *s, size_t i)
{
    return s->p.u[i].kind == PASSAGE_SENTENCE && !s->p.u[i].lead
           && s->u[i].score - s->u[i].central_score <= 0;
}

/* True when unit i of s is a list item that opens with a pronoun or a
 * connective ("She showed the board ...") and its list's lead-in, which
 * names its referent, is not chosen (extractive.h, 2). */
static bool orphan_item(const struct source *s, size_t i)
{
    const struct passage_unit *u = &s->p.u[i];
    size_t f = i;

    if (u->kind != PASSAGE_ITEM || !passage_opens_dependent(s->p.text + u->start, u->len))
        return false;
    while (f > 0 && s->p.u[f - 1].kind == PASSAGE_ITEM && s->p.u[f - 1].list == u->list)
        f--;
    return !(f > 0 && s->p.u[f - 1].lead && s->u[f - 1].chosen);
}

/* True when idx[i], of a run starting at idx[from], is a dependent
 * sentence whose referent, the unit before it, is not chosen right before
 * it (taken already under another passage, or left out): it would open a
 * point without its referent (extractive.h, 2). */
static bool orphan_sentence(const struct source *s, const size_t *idx, size_t from, size_t i)
{
    if (!s->p.u[idx[i]].dependent)
        return false;
    return !(i > from && idx[i - 1] + 1 == idx[i] && s->u[idx[i - 1]].chosen);
}

/* True when a run of idx[] (n candidate units) starting or ending at
 * position at would cut a list: idx[at] is an item and idx[at - 1] an item
 * of the same list or its lead-in. */
static bool mid_list(const struct source *s, const size_t *idx, size_t n, size_t at)
{
    const struct passage_unit *u, *v;

    if (at == 0 || at >= n)
        return false;
    u = &s->p.u[idx[at]];
    v = &s->p.u[idx[at - 1]];
    return u->kind == PASSAGE_ITEM
           && ((v->kind == PASSAGE_ITEM && v->list == u->list)
               || (v->lead && idx[at - 1] + 1 == idx[at]));
}

/* Chooses the units of section x within budget words (extractive.h, 4):
 * all of them when they fit, else the contiguous run carrying the most
 * weight that cuts no list (any run when none fits), without the
 * sentences that carry nothing of the query.  Returns the words taken. */
static size_t choose_units(struct compose *c, const struct section *x, size_t budget)
{
    struct source *s = &c->src[x->p];
    const struct passage_section *ps = &s->p.s[x->s];
    size_t *idx = xmalloc((ps->n + 1) * sizeof(*idx)), n = 0, i, a, b, total = 0;
    size_t best_a = 0, best_b = 0, best_words = 0;
    double best = -1;

    for (i = ps->first; i < ps->first + ps->n; i++)
        if (s->u[i].quotable && !taken_elsewhere(c, x->p, i) && own_or_page(c, x->p, &s->p.u[i])) {
            idx[n++] = i;
            total += cost(&s->p.u[i]);
        }
    if (total <= budget) {
        best_a = 0;
        best_b = n;
        best_words = total;
    } else {
        bool whole;
        /* First only runs that cut no list, then any (a list longer than
         * the budget). */
        for (whole = true, best = -1; best < 0; whole = false) {
            for (a = 0; a < n; a++) {
                double w = 0;
                size_t words = 0;
                if (s->p.u[idx[a]].dependent || (whole && mid_list(s, idx, n, a)))
                    continue;
                for (b = a; b < n && words + cost(&s->p.u[idx[b]]) <= budget; b++) {
                    words += cost(&s->p.u[idx[b]]);
                    w += s->u[idx[b]].score;
                }
                while (whole && b > a && mid_list(s, idx, n, b)) {
                    b--;
                    w -= s->u[idx[b]].score;
                    words -= cost(&s->p.u[idx[b]]);
                }
                if (b > a && w > best) {
                    best = w;
                    best_a = a;
                    best_b = b;
                    best_words = words;
                }
            }
            if (!whole)
                break;
        }
    }
    /* Sentences at the edges that carry nothing of the query are left
     * out (never the referent of the sentence after it); their terms
     * central to the section do not keep them (extractive.h, 4). */
    while (best_b > best_a && edge_idle(s, idx[best_b - 1])) {
        best_words -= cost(&s->p.u[idx[best_b - 1]]);
        best_b--;
    }
    while (best_b > best_a && edge_idle(s, idx[best_a])
           && !(best_a + 1 < best_b && s->p.u[idx[best_a + 1]].dependent)) {
        best_words -= cost(&s->p.u[idx[best_a]]);
        best_a++;
    }
    for (i = best_a; i < best_b; i++) {
        /* Inside too, a sentence that carries nothing of the query is left
         * out, unless the sentence after it depends on it; so is an item
         * whose pronoun or connective points to a lead-in not taken. */
        if ((idle(s, idx[i])
             && !(i + 1 < best_b && s->p.u[idx[i + 1]].dependent && idx[i + 1] == idx[i] + 1))
            || orphan_item(s, idx[i]) || orphan_sentence(s, idx, best_a, i)) {
            best_words -= cost(&s->p.u[idx[i]]);
            continue;
        }
        s->u[idx[i]].chosen = true;
    }
    /* A run-in label goes only with the sentence after it. */
    for (i = best_a; i < best_b; i++)
        if (s->u[idx[i]].chosen && s->p.u[idx[i]].words < EXTRACT_MIN_WORDS
            && s->p.u[idx[i]].kind == PASSAGE_SENTENCE
            && !(i + 1 < best_b && idx[i + 1] == idx[i] + 1 && s->u[idx[i + 1]].chosen)) {
            s->u[idx[i]].chosen = false;
            best_words -= cost(&s->p.u[idx[i]]);
        }
    free(idx);
    return best_words;
}

static int by_score(const void *a, const void *b)
{
    const struct section *x = *(const struct section *const *)a;
    const struct section *y = *(const struct section *const *)b;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->s < y->s ? -1 : x->s > y->s;
}

/* Chooses the units of each chosen section again, in the order they were
 * chosen, with the units of its passage's pages (extractive.h, "The
 * page"), within the words it took and what the sections left: what it
 * took stays (when the new run would leave any of it out, for a list's
 * lead-in before it that does not fit, the old run is kept). */
static void extend_sections(struct compose *c, const size_t *taken, size_t left)
{
    size_t i, j;

    c->own_only = false;
    for (i = 0; i < c->nchosen; i++) {
        const struct section *x = &c->sec[c->chosen[i]];
        const struct passage_section *ps = &c->src[x->p].p.s[x->s];
        struct ustate *u = c->src[x->p].u + ps->first;
        bool *was = xcalloc(ps->n + 1, sizeof(*was)), kept = true;
        size_t got;
        for (j = 0; j < ps->n; j++) {
            was[j] = u[j].chosen;
            u[j].chosen = false;
        }
        got = choose_units(c, x, taken[i] + left);
        for (j = 0; j < ps->n; j++)
            kept = kept && (!was[j] || u[j].chosen);
        if (!kept || got < taken[i]) {
            for (j = 0; j < ps->n; j++)
                u[j].chosen = was[j];
            got = taken[i];
        }
        free(was);
        left -= got - taken[i];
    }
}

/* The words section x's heading takes in the answer (its line). */
static size_t heading_words(const struct section *x)
{
    return x->heading != NULL ? sentence_words(x->heading, x->hlen) + 1 : 0;
}

/* True when section x holds a distinctive word of the question as
 * written (not only an expansion) with library IDF >= EXTRACT_SUBSTANCE_IDF
 * (extractive.h, 4). */
static bool holds_plain(const struct compose *c, const struct section *x)
{
    size_t j;

    for (j = 0; j < c->nq; j++)
        if (c->q[j].plain && !c->q[j].phrase && substantive(c, &c->q[j])
            && (analyze_counts_get(&x->body, c->q[j].term) > 0
                || analyze_counts_get(&x->head, c->q[j].term) > 0))
            return true;
    return false;
}

static bool title_acronym(const char *title, const char *term);

/* True when section x is headed with its chapter's title ("Building a
 * Common Formative Assessment", or "Chapter 2: Building a Common
 * Formative Assessment"): the passage's opening section of its chapter. */
static bool title_headed(const struct compose *c, const struct section *x)
{
    const char *title = c->rq->sources[x->p].chapter;
    size_t tl = title != NULL ? strlen(title) : 0;

    return x->heading != NULL && tl > 0 && x->hlen >= tl
           && strncasecmp(x->heading + x->hlen - tl, title, tl) == 0;
}

static bool step_planned(const struct compose *c, const char *h, size_t hlen);

/* True when no steps are written, or section x is headed as one of them
 * (written in its item: write_in_step), or it holds a distinctive word
 * of the question as written with substance (holds_plain) in its own
 * text, or in its heading when that is not its chapter's title: after the
 * steps, a section is about the question, not only in its chapter
 * (extractive.h, 4; take35). */
static bool own_substance(const struct compose *c, const struct section *x)
{
    size_t j;

    if (c->nsteps == 0 || (x->heading != NULL && step_planned(c, x->heading, x->hlen)))
        return true;
    for (j = 0; j < c->nq; j++)
        if (c->q[j].plain && !c->q[j].phrase && substantive(c, &c->q[j])
            && (analyze_counts_get(&x->body, c->q[j].term) > 0
                || (!title_headed(c, x) && analyze_counts_get(&x->head, c->q[j].term) > 0)))
            return true;
    return false;
}

/* True when no steps are written, or section x holds a word the teacher
 * typed that the steps' chapter's title holds (a word, or its initials):
 * the subject the steps are about ("cfas" and "Building a Common
 * Formative Assessment"), not only the question's verb ("write" in a
 * section on writing norms; extractive.h, 4). */
static bool holds_subject(const struct compose *c, const struct section *x)
{
    const char *title = c->nsteps > 0 ? c->rq->sources[c->steps_p].chapter : NULL;
    struct analyze_counts tt = {0};
    bool held = false;
    size_t j;

    if (c->nsteps == 0)
        return true;
    if (title == NULL)
        return false;
    analyze_count_text(&tt, title);
    for (j = 0; j < c->nq && !held; j++)
        held = c->q[j].mine && !c->q[j].phrase
               && (analyze_counts_get(&tt, c->q[j].term) > 0 || title_acronym(title, c->q[j].term))
               && (analyze_counts_get(&x->body, c->q[j].term) > 0
                   || analyze_counts_get(&x->head, c->q[j].term) > 0);
    analyze_counts_free(&tt);
    return held;
}

/* One more source (extractive.h, 4): the best section of order (the
 * sections best first; best, the first chosen one's score) from a passage
 * none of the chosen sections comes from, sharing substance and scoring
 * at least EXTRACT_RELATIVE of the best, gives one excerpt within words
 * (its heading counted).  Returns the words it took (0: none);
 * taken[c->nchosen - 1] is its excerpt's. */
static size_t another_source(struct compose *c, struct section *const *order, double best,
                             size_t words, size_t *taken)
{
    size_t i, m;

    for (i = 0; i < c->nsec && c->nchosen > 0 && c->nchosen < EXTRACT_MAX_SECTIONS; i++) {
        struct section *x = order[i];
        size_t head = heading_words(x), got;
        bool cited = false;
        for (m = 0; m < c->nchosen && !cited; m++)
            cited = c->sec[c->chosen[m]].p == x->p;
        if (cited || !x->substance || !holds_plain(c, x) || !holds_subject(c, x)
            || !own_substance(c, x) || x->score <= 0 || x->score < EXTRACT_RELATIVE * best
            || head + EXTRACT_MIN_WORDS + 1 > words)
            continue;
        got = choose_units(c, x, words - head);
        if (got == 0)
            continue;
        taken[c->nchosen] = got;
        c->chosen[c->nchosen++] = (size_t)(x - c->sec);
        return got + head;
    }
    return 0;
}

/* True when section x may be taken by choose_sections() (best, the best
 * section's score): it shares substance and scores at least
 * EXTRACT_RELATIVE of the best. */
static bool takeable(const struct compose *c, const struct section *x, double best)
{
    return x->substance && own_substance(c, x) && x->score > 0
           && x->score >= EXTRACT_RELATIVE * best;
}

/* The order choose_sections() takes sections in (extractive.h, 4,
 * "Spread"; cite33): of the takeable sections, each time the one whose
 * score times its passage's factor is highest (ties: order's), then the
 * others in order's.  A passage's factor is EXTRACT_PASSAGE_DECAY to the
 * power of its sections already ahead; a section that could not be the
 * one more source (another_source(): no distinctive word of the question
 * as written, or after steps not their subject) takes the smallest factor
 * of any passage, so that it never moves ahead for its passage's sake.
 * order: every section, best first; out: as many (the caller's array). */
static void order_spread(const struct compose *c, struct section *const *order,
                         struct section **out)
{
    double fac[MAX_PASSAGES], least = 1, top = 0;
    bool *placed = xcalloc(c->nsec + 1, sizeof(*placed)),
         *lift = xcalloc(c->nsec + 1, sizeof(*lift));
    size_t i, j, n = 0;

    for (i = 0; i < c->k; i++)
        fac[i] = 1;
    for (i = 0; i < c->nsec; i++) {
        if (order[i]->substance && own_substance(c, order[i]) && order[i]->score > top)
            top = order[i]->score;
        lift[i] = holds_plain(c, order[i]) && holds_subject(c, order[i]);
    }
    for (;;) {
        long at = -1;
        double at_score = 0;
        for (j = 0; j < c->nsec; j++) {
            double v = order[j]->score * (lift[j] ? fac[order[j]->p] : least);
            if (!placed[j] && takeable(c, order[j], top) && (at < 0 || v > at_score)) {
                at = (long)j;
                at_score = v;
            }
        }
        if (at < 0)
            break;
        placed[at] = true;
        out[n++] = order[at];
        fac[order[at]->p] *= EXTRACT_PASSAGE_DECAY;
        if (fac[order[at]->p] < least)
            least = fac[order[at]->p];
    }
    for (j = 0; j < c->nsec; j++)
        if (!placed[j])
            out[n++] = order[j];
    free(lift);
    free(placed);
}

/* Takes the best sections within budget words, EXTRACT_SOURCE_WORDS of
 * them kept for another_source() (extractive.h, 4). */
static void choose_sections(struct compose *c, size_t budget)
{
    struct section **order = xmalloc((c->nsec + 1) * sizeof(*order)),
                   **spread = xmalloc((c->nsec + 1) * sizeof(*spread));
    size_t i, used = 0, taken[EXTRACT_MAX_SECTIONS],
              room = budget >= 2 * EXTRACT_SOURCE_WORDS ? budget - EXTRACT_SOURCE_WORDS : budget;
    double best = 0;

    for (i = 0; i < c->nsec; i++)
        order[i] = &c->sec[i];
    qsort(order, c->nsec, sizeof(*order), by_score);
    order_spread(c, order, spread);
    for (i = 0; i < c->nsec && c->nchosen < EXTRACT_MAX_SECTIONS; i++) {
        struct section *x = spread[i];
        size_t head = heading_words(x), got;
        if (!x->substance || x->score <= 0)
            continue;
        if (!own_substance(c, x)) /* after the steps (extractive.h, 4; take35) */
            continue;
        if (c->nchosen > 0 && x->score < EXTRACT_RELATIVE * best)
            break;
        if (used + head + EXTRACT_MIN_WORDS + 1 > room)
            break;
        got = choose_units(c, x, room - used - head);
        if (got == 0)
            continue;
        if (c->nchosen == 0)
            best = x->score;
        taken[c->nchosen] = got;
        c->chosen[c->nchosen++] = (size_t)(x - c->sec);
        used += got + head;
    }
    free(spread);
    if (budget - used >= EXTRACT_SOURCE_WORDS)
        used += another_source(c, order, best, EXTRACT_SOURCE_WORDS, taken);
    free(order);
    extend_sections(c, taken, budget - used);
}

/* ---- writing ----------------------------------------------------------- */

/* True when the Markdown emphasis marks ('*') of the len bytes at text
 * pair up: as many runs of one '*' as can close each other, and of two,
 * and of three (extractive.h, "Every quotation"). */
static bool emphasis_balanced(const char *text, size_t len)
{
    size_t runs[4] = {0, 0, 0, 0}, i = 0, r;

    while (i < len) {
        if (text[i] != '*') {
            i++;
            continue;
        }
        for (r = 0; i < len && text[i] == '*'; i++)
            r++;
        runs[r < 3 ? r : 3]++;
    }
    return runs[1] % 2 == 0 && runs[2] % 2 == 0 && runs[3] % 2 == 0;
}

/* Appends text (len bytes) as an exact, cited quotation (extractive.h,
 * "Every quotation"): in straight double quotes, always; the text's own
 * straight pairs as U+201C/U+201D, so that the verifier pairs the marks
 * correctly and every quotation inside a quotation is curly; its Markdown
 * emphasis marks left out when they do not pair up within it (an italic
 * paragraph split into sentences). */
static void quote(struct buf *out, const char *text, size_t len, size_t n)
{
    bool strip = !emphasis_balanced(text, len);
    size_t i, nth = 0;

    buf_putc(out, '"');
    for (i = 0; i < len; i++)
        if (text[i] == '"')
            buf_puts(out, nth++ % 2 == 0 ? "\xe2\x80\x9c" : "\xe2\x80\x9d");
        else if (!(strip && text[i] == '*'))
            buf_putc(out, text[i]);
    buf_printf(out, "\" [%zu]", n);
}

/* True when unit j directly continues unit i in its paragraph (nothing
 * but white space between them). */
static bool continues(const struct passage *p, size_t i, size_t j)
{
    size_t b;

    if (j != i + 1 || p->u[i].para != p->u[j].para || p->u[i].kind != PASSAGE_SENTENCE
        || p->u[j].kind != PASSAGE_SENTENCE)
        return false;
    for (b = p->u[i].start + p->u[i].len; b < p->u[j].start; b++)
        if (!isspace((unsigned char)p->text[b]))
            return false;
    return true;
}

/* The end (inclusive) of the run that opens at unit i: the chosen
 * sentences after it that depend on it or follow a run-in label (with
 * all, every chosen sentence that continues it in its paragraph), up to a
 * list's lead-in. */
static size_t run_end(const struct source *s, size_t i, bool all)
{
    size_t j = i;

    while (j + 1 < s->p.n && s->u[j + 1].chosen && !s->u[j + 1].written && !s->p.u[j].lead
           && (all || s->p.u[j + 1].dependent || s->p.u[j].words < EXTRACT_MIN_WORDS)
           && continues(&s->p, j, j + 1))
        j++;
    return j;
}

/* True when unit i is a lead-in whose list's first item is chosen. */
static bool leads_list(const struct source *s, size_t i)
{
    return s->p.u[i].lead && i + 1 < s->p.n && s->p.u[i + 1].kind == PASSAGE_ITEM
           && s->u[i + 1].chosen;
}

/* Which openings a pass of opening() looks at (extractive.h, 5). */
enum open_kind {
    OPEN_ANY,
    OPEN_LIST,   /* a lead-in whose list is chosen (a how question) */
    OPEN_NUMBER, /* a run holding a number that measures the question's quantity */
    OPEN_ADVICE, /* such a run that states what is recommended ("five to seven is plenty") */
};

/* True when a unit of the run i..j of s holds a number that measures what
 * the question asks (extractive.h, 3). */
static bool run_answers(const struct compose *c, const struct source *s, size_t i, size_t j)
{
    size_t m;

    for (m = i; m <= j; m++)
        if (answers_quantity(c, s->p.text + s->p.u[m].start, s->p.u[m].len))
            return true;
    return false;
}

/* True when a unit of the run i..j of s states what is recommended
 * ("five to seven norms is plenty", "aim for", "at least"), not what
 * goes wrong ("a team that writes fifteen norms will remember none";
 * extractive.h, 5). */
static bool run_recommends(const struct source *s, size_t i, size_t j)
{
    static const char *const words[] = {
        "enough",  "plenty",  "should",   "recommend", "recommends", "recommended",
        "aim",     "ideal",   "ideally",  "keep",      "limit",      "least",
        "maximum", "minimum", "workable", "suggest",   "suggests",   NULL};
    size_t m;

    for (m = i; m <= j; m++) {
        const char *t = s->p.text + s->p.u[m].start;
        size_t n = s->p.u[m].len, a = 0, b;
        while (a < n) {
            while (a < n && !isalpha((unsigned char)t[a]))
                a++;
            for (b = a; b < n && isalpha((unsigned char)t[b]); b++)
                ;
            if (b > a && words_in_list_n(t + a, b - a, words))
                return true;
            a = b;
        }
    }
    return false;
}

/* True when the n bytes at t are quoted in the conversation's previous
 * answer (extractive.h, 5). */
static bool said_before(const struct compose *c, const char *t, size_t n)
{
    const char *prev = c->rq->previous;

    return prev != NULL && n > 0 && memmem(prev, strlen(prev), t, n) != NULL;
}

/* The best opening of kind among the chosen units of section x; its value
 * in *top when above it (extractive.h, 5). */
static void opening_in(const struct compose *c, const struct section *x, enum open_kind kind,
                       struct ref *best, double *top)
{
    const struct source *s = &c->src[x->p];
    const struct passage_section *ps = &s->p.s[x->s];
    size_t i, j, m;

    for (i = ps->first; i < ps->first + ps->n; i++) {
        double w = 0, a = 0, v;
        size_t n = 0;
        if (!s->u[i].chosen || s->p.u[i].kind != PASSAGE_SENTENCE || s->p.u[i].dependent
            || said_before(c, s->p.text + s->p.u[i].start, s->p.u[i].len)
            || (i > 0 && s->u[i - 1].chosen && s->p.u[i - 1].words < EXTRACT_MIN_WORDS
                && continues(&s->p, i - 1, i))) /* its label's run opens it */
            continue;
        j = run_end(s, i, false);
        if ((kind == OPEN_LIST && !leads_list(s, j))
            || ((kind == OPEN_NUMBER || kind == OPEN_ADVICE) && !run_answers(c, s, i, j))
            || (kind == OPEN_ADVICE && !run_recommends(s, i, j)))
            continue;
        for (m = i; m <= j; m++) {
            w += s->u[m].score;
            a += s->u[m].asked;
            n += s->u[m].nterms;
        }
        v = w / pow((double)(n ? n : 1), EXTRACT_LENGTH_EXPONENT) * (1 + a) / (1 + c->asked)
            * x->score / c->sec[c->chosen[0]].score;
        if (leads_list(s, j))
            v *= c->how ? EXTRACT_HOW_LEAD_BONUS : EXTRACT_LEAD_BONUS;
        if (v > *top) {
            *top = v;
            *best = (struct ref){x->p, i};
        }
    }
}

/* True when a and b are both NULL or equal. */
static bool same_str(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* True when sections x and y are in one chapter: one passage, or
 * passages of the same book and chapter title. */
static bool same_chapter(const struct compose *c, const struct section *x, const struct section *y)
{
    const struct extract_source *a = &c->rq->sources[x->p], *b = &c->rq->sources[y->p];

    return x->p == y->p || (same_str(a->book, b->book) && same_str(a->chapter, b->chapter));
}

/* The chosen section of the best-ranked passage: its chapter is the one
 * the opening comes from (extractive.h, 5). */
static const struct section *dominant(const struct compose *c)
{
    const struct section *d = &c->sec[c->chosen[0]];
    size_t i;

    for (i = 1; i < c->nchosen; i++)
        if (c->sec[c->chosen[i]].p < d->p)
            d = &c->sec[c->chosen[i]];
    return d;
}

/* The opening (extractive.h, 5), or p == NONE: first among the chosen
 * sections of the dominant chapter, then (when none of them has one)
 * among all; in each, for a how question a lead-in with its list first,
 * for a quantity question a run that gives the number asked first. */
static struct ref opening(const struct compose *c)
{
    struct ref best = {NONE, 0};
    const struct section *d = dominant(c);
    enum open_kind first = c->how ? OPEN_LIST : c->quantity ? OPEN_ADVICE : OPEN_ANY, kind;
    double top = 0;
    size_t k;
    int pass;

    for (pass = 0; pass < 2; pass++)
        for (kind = first;; kind = kind == OPEN_ADVICE ? OPEN_NUMBER : OPEN_ANY) {
            for (k = 0; k < c->nchosen; k++)
                if (pass == 1 || same_chapter(c, d, &c->sec[c->chosen[k]]))
                    opening_in(c, &c->sec[c->chosen[k]], kind, &best, &top);
            if (best.p != NONE)
                return best;
            if (kind == OPEN_ANY)
                break;
        }
    return best;
}

/* Writes the run from unit i of passage p (run_end()) as one quotation;
 * returns the unit after it. */
static size_t write_run(struct buf *out, struct compose *c, size_t p, size_t i, bool all)
{
    struct source *s = &c->src[p];
    size_t j = run_end(s, i, all);

    quote(out, s->p.text + s->p.u[i].start, s->p.u[j].start + s->p.u[j].len - s->p.u[i].start,
          p + 1);
    for (; i <= j; i++)
        s->u[i].written = true;
    return j + 1;
}

/* Writes the chosen items of the list of unit i (an item) from there on,
 * each on a line after indent; returns the unit after them. */
static size_t write_items(struct buf *out, struct compose *c, size_t p, size_t i,
                          const char *indent, bool numbered)
{
    struct source *s = &c->src[p];
    unsigned list = s->p.u[i].list;
    size_t n = 0;

    for (; i < s->p.n && s->p.u[i].kind == PASSAGE_ITEM && s->p.u[i].list == list; i++) {
        if (!s->u[i].chosen || s->u[i].written)
            continue;
        buf_printf(out, "\n%s", indent);
        if (numbered)
            buf_printf(out, "%zu. ", ++n);
        else
            buf_puts(out, "- ");
        quote(out, s->p.text + s->p.u[i].start, s->p.u[i].len, p + 1);
        s->u[i].written = true;
    }
    return i;
}

/* The first unit after i that is an item of a list right after it. */
static size_t list_after(const struct passage *p, size_t i)
{
    return i + 1 < p->n && p->u[i + 1].kind == PASSAGE_ITEM ? i + 1 : NONE;
}

/* Writes the opening and what goes with it. */
static void write_opening(struct buf *out, struct compose *c, struct ref o)
{
    struct source *s = &c->src[o.p];
    size_t next = write_run(out, c, o.p, o.i, false), l;

    if (s->p.u[next - 1].lead && (l = list_after(&s->p, next - 1)) != NONE) {
        buf_putc(out, '\n');
        write_items(out, c, o.p, l, "", c->how || s->p.u[l].numbered);
    }
}

/* Writes the points of section x that are still to be written, as
 * bullets (number_points numbers them; extractive.h, 6). */
static void write_points(struct buf *out, struct compose *c, const struct section *x,
                         size_t *npoints)
{
    struct source *s = &c->src[x->p];
    const struct passage_section *ps = &s->p.s[x->s];
    size_t i = ps->first, end = ps->first + ps->n;

    while (i < end) {
        const struct passage_unit *u = &s->p.u[i];
        if (!s->u[i].chosen || s->u[i].written) {
            i++;
            continue;
        }
        if (u->kind == PASSAGE_ITEM) { /* a list without its lead-in */
            if (*npoints == 0)
                buf_putc(out, '\n');
            i = write_items(out, c, x->p, i, "", u->numbered || c->how);
            *npoints += 1;
            continue;
        }
        buf_puts(out, *npoints == 0 ? "\n\n- " : "\n- ");
        ++*npoints;
        i = write_run(out, c, x->p, i, true);
        if (s->p.u[i - 1].lead && i < end && s->p.u[i].kind == PASSAGE_ITEM)
            i = write_items(out, c, x->p, i, "    ", s->p.u[i].numbered || c->how);
    }
}

/* True when section x has chosen list items. */
static bool has_items(const struct compose *c, const struct section *x)
{
    const struct source *s = &c->src[x->p];
    const struct passage_section *ps = &s->p.s[x->s];
    size_t i;

    for (i = ps->first; i < ps->first + ps->n; i++)
        if (s->u[i].chosen && s->p.u[i].kind == PASSAGE_ITEM)
            return true;
    return false;
}

/* True when sections a and b are one group (extractive.h, 6). */
static bool same_group(const struct compose *c, const struct section *a, const struct section *b)
{
    const char *ba = c->rq->sources[a->p].book, *bb = c->rq->sources[b->p].book;

    return a == b
           || (a->heading != NULL && b->heading != NULL && ba != NULL && bb != NULL
               && strcmp(ba, bb) == 0 && a->hlen == b->hlen
               && strncasecmp(a->heading, b->heading, a->hlen) == 0);
}

/* True when section x has chosen units not yet written. */
static bool pending(const struct compose *c, const struct section *x)
{
    const struct source *s = &c->src[x->p];
    const struct passage_section *ps = &s->p.s[x->s];
    size_t i;

    for (i = ps->first; i < ps->first + ps->n; i++)
        if (s->u[i].chosen && !s->u[i].written)
            return true;
    return false;
}

/* Orders two sections of one group: by their passages' places in the
 * book, then by passage and section. */
static int place_cmp(const struct compose *c, const struct section *x, const struct section *y)
{
    int ox = c->rq->sources[x->p].ordinal, oy = c->rq->sources[y->p].ordinal;

    if (ox != oy)
        return ox < oy ? -1 : 1;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->s < y->s ? -1 : x->s > y->s;
}

/* True when numbered steps were written under the title of the chapter
 * of section x (same book, same chapter): its title is not written again
 * (extractive.h, 6). */
static bool steps_titled(const struct compose *c, const struct section *x)
{
    const struct extract_source *a = &c->rq->sources[c->steps_p], *b = &c->rq->sources[x->p];

    return c->nsteps > 0 && a->chapter != NULL && a->book != NULL && same_str(a->book, b->book)
           && same_str(a->chapter, b->chapter);
}

/* Numbers the points written from byte from of out ("- " at a line's
 * start; a list's items under a lead-in are indented) when there are at
 * least two of them: one point is no list of steps (extractive.h, 6). */
static void number_points(struct buf *out, size_t from)
{
    char *tail = xstrdup(buf_str(out) + from), *t;
    size_t n = 0;

    for (t = tail; (t = strstr(t, "\n- ")) != NULL; t += 3)
        n++;
    if (n >= 2) {
        out->len = from;
        out->data[from] = '\0';
        n = 0;
        for (t = tail; *t != '\0';) {
            if (t[0] == '\n' && t[1] == '-' && t[2] == ' ') {
                buf_printf(out, "\n%zu. ", ++n);
                t += 3;
            } else
                buf_putc(out, *t++);
        }
    }
    free(tail);
}

/* True when heading (hlen bytes) is the title of the chapter of section x,
 * written over the steps already (steps_titled). */
static bool steps_title(const struct compose *c, const struct section *x, const char *heading,
                        size_t hlen)
{
    const char *title = c->rq->sources[x->p].chapter;

    return title != NULL && steps_titled(c, x) && strlen(title) == hlen
           && strncasecmp(title, heading, hlen) == 0;
}

/* Writes the len bytes of a heading at s as a bold label's text: without
 * '*' (it would end the bold) or line breaks, and a straight double quote
 * as an apostrophe, since a straight mark outside a quotation would open
 * one for the verifier (verify.h; the fuzz target found a step headed
 * 'Write or"choose the items' whose quotation then failed to verify). */
static void put_label(struct buf *out, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (s[i] == '"')
            buf_putc(out, '\'');
        else if (s[i] != '*' && s[i] != '\n')
            buf_putc(out, s[i]);
}

/* Writes the group of section lead (and the chosen sections in it); first:
 * the answer's first group, whose points are numbered for a how question
 * with no steps (extractive.h, 6). */
static void write_group(struct buf *out, struct compose *c, const struct section *lead, bool first)
{
    const struct section *g[8];
    const char *heading = lead->heading;
    size_t hlen = lead->hlen, n = 0, i, j, npoints = 0, from;
    bool any = false, items = false;

    for (i = 0; i < c->nchosen; i++)
        if (same_group(c, lead, &c->sec[c->chosen[i]]))
            g[n++] = &c->sec[c->chosen[i]];
    /* In the book's order (a small insertion sort). */
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && place_cmp(c, g[j - 1], g[j]) > 0; j--) {
            const struct section *t = g[j];
            g[j] = g[j - 1];
            g[j - 1] = t;
        }
    for (i = 0; i < n; i++) {
        any = any || pending(c, g[i]);
        items = items || has_items(c, g[i]);
    }
    if (!any)
        return;
    if (heading == NULL && c->rq->sources[lead->p].chapter != NULL) {
        heading = c->rq->sources[lead->p].chapter;
        hlen = strlen(heading);
    }
    if (heading != NULL && steps_title(c, lead, heading, hlen)) { /* over the steps already */
        heading = NULL;
        buf_puts(out, "\n");
    }
    if (heading != NULL) {
        buf_puts(out, "\n\n**");
        put_label(out, heading, hlen);
        buf_printf(out, "** [%zu]", lead->p + 1);
    }
    from = out->len;
    for (i = 0; i < n; i++)
        write_points(out, c, g[i], &npoints);
    if (first && c->how && !items && c->nsteps == 0)
        number_points(out, from);
}

/* True when a chosen unit holds a quantity (extractive.h, 3). */
static bool chose_number(const struct compose *c)
{
    size_t p, i;

    for (p = 0; p < c->k; p++)
        for (i = 0; i < c->src[p].p.n; i++)
            if (c->src[p].u[i].chosen
                && answers_quantity(c, c->src[p].p.text + c->src[p].p.u[i].start,
                                    c->src[p].p.u[i].len))
                return true;
    return false;
}

/* ---- a how question's steps ------------------------------------------- */

/* The length of a step heading's label ("Step 2:", "Phase three.",
 * "2."), or 0 when heading (hlen bytes) names no step. */
static size_t step_label(const char *heading, size_t hlen)
{
    static const char *const marks[] = {"step", "phase", "stage", NULL};
    static const char *const ordinals[] = {"one",   "two",   "three", "four", "five", "six",
                                           "seven", "eight", "nine",  "ten",  NULL};
    size_t w = 0, d, i = 0;

    while (w < hlen && isalpha((unsigned char)heading[w]))
        w++;
    if (w > 0 && words_in_list_n(heading, w, marks) && w < hlen && heading[w] == ' ') {
        i = w + 1;
        for (d = i; d < hlen && isalnum((unsigned char)heading[d]); d++)
            ;
        if (d == i
            || !(isdigit((unsigned char)heading[i])
                 || words_in_list_n(heading + i, d - i, ordinals)))
            return 0;
        i = d;
    } else {
        for (d = 0; d < hlen && isdigit((unsigned char)heading[d]); d++)
            ;
        if (d == 0 || d == hlen || (heading[d] != '.' && heading[d] != ')'))
            return 0;
        i = d;
    }
    while (i < hlen
           && (heading[i] == ':' || heading[i] == '.' || heading[i] == ')' || heading[i] == ' '
               || heading[i] == '-'))
        i++;
    return i < hlen ? i : 0;
}

/* The number of a step heading ("Step 2:" 2, "Phase three." 3, "4)" 4),
 * or 0 when it names none or no number. */
static int step_number(const char *heading, size_t hlen)
{
    static const char *const ordinals[] = {"one", "two",   "three", "four", "five",
                                           "six", "seven", "eight", "nine", "ten"};
    size_t i = 0, d, o;
    int n = 0;

    if (step_label(heading, hlen) == 0)
        return 0;
    if (!isdigit((unsigned char)heading[0])) /* "Step", "Phase", "Stage", then a space */
        i = strcspn(heading, " ") + 1;
    for (d = i; d < hlen && isalnum((unsigned char)heading[d]); d++)
        ;
    if (isdigit((unsigned char)heading[i])) {
        for (; i < d && isdigit((unsigned char)heading[i]) && n < 1000; i++)
            n = n * 10 + (heading[i] - '0');
        return n;
    }
    for (o = 0; o < sizeof(ordinals) / sizeof(ordinals[0]); o++)
        if (d - i == strlen(ordinals[o]) && strncasecmp(heading + i, ordinals[o], d - i) == 0)
            return (int)o + 1;
    return 0;
}

/* The first sentence of section s of passage p that a step may quote: whole,
 * not a question nor dependent nor a story, EXTRACT_MIN_WORDS to
 * EXTRACT_MAX_WORDS words, in the passage's own text or found on its pages
 * (extractive.h, "The page"); NONE when there is none. */
static size_t step_sentence(const struct compose *c, size_t p, size_t s)
{
    const struct source *x = &c->src[p];
    const struct passage_section *ps = &x->p.s[s];
    size_t i;
    bool empty = false;

    for (i = ps->first; i < ps->first + ps->n; i++) {
        const struct passage_unit *u = &x->p.u[i];
        if (u->kind != PASSAGE_SENTENCE)
            continue;
        if (!u->complete || u->question || u->dependent || u->lead || (u->narrative && !c->example)
            || u->words < EXTRACT_MIN_WORDS || u->words > EXTRACT_MAX_WORDS)
            return NONE; /* the step's first sentence, or none */
        if (in_own(&c->rq->sources[p], u)
            || (x->page.len > 0
                && verify_quote_in(x->p.text + u->start, u->len, x->page.data, &empty)))
            return i;
        return NONE;
    }
    return NONE;
}

/* True when passage p has a section sharing substance with the question
 * (extractive.h, 4). */
static bool passage_substance(const struct compose *c, size_t p)
{
    size_t i;

    for (i = 0; i < c->nsec; i++)
        if (c->sec[i].p == p && c->sec[i].substance && c->sec[i].score > 0)
            return true;
    return false;
}

/* The words a step of unit i of passage p takes as written: its label, its
 * quotation, its number and marker. */
static size_t step_cost(const struct compose *c, size_t p, size_t i)
{
    const struct passage_section *ps = &c->src[p].p.s[c->src[p].p.u[i].section];
    size_t l = step_label(ps->heading, ps->hlen);

    return sentence_words(ps->heading + l, ps->hlen - l) + c->src[p].p.u[i].words + 2;
}

/* True when a step of heading h (hlen bytes) is planned already. */
static bool step_planned(const struct compose *c, const char *h, size_t hlen)
{
    size_t k;

    for (k = 0; k < c->nsteps; k++) {
        const struct source *x = &c->src[c->steps[k].p];
        const struct passage_section *ps = &x->p.s[x->p.u[c->steps[k].i].section];
        if (ps->hlen == hlen && strncasecmp(ps->heading, h, hlen) == 0)
            return true;
    }
    return false;
}

/* The number of planned step k (step_number), or 0. */
static int planned_number(const struct compose *c, size_t k)
{
    const struct source *x = &c->src[c->steps[k].p];
    const struct passage_section *ps = &x->p.s[x->p.u[c->steps[k].i].section];

    return step_number(ps->heading, ps->hlen);
}

/* True when a step of heading h (hlen bytes), of a passage fetched for the
 * steps (extract_source.steps_only), is one the planned steps lack: its
 * number is not planned, and it is below the highest planned or the one
 * after it (extractive.h, 5, steps33). */
static bool step_missing(const struct compose *c, const char *h, size_t hlen)
{
    int n = step_number(h, hlen), top = 0, m;
    size_t k;

    if (n == 0)
        return false;
    for (k = 0; k < c->nsteps; k++) {
        if ((m = planned_number(c, k)) == n || m == 0)
            return false;
        top = m > top ? m : top;
    }
    return top > 0 && n <= top + 1;
}

/* Adds the steps of passage q (a passage of the walkthrough's chapter)
 * within budget words; returns the words they take. */
static size_t add_steps(struct compose *c, size_t q, size_t budget)
{
    const struct passage *ps = &c->src[q].p;
    size_t s, i, used = 0;

    for (s = 0; s < ps->ns && c->nsteps < EXTRACT_MAX_STEPS; s++) {
        if (ps->s[s].heading == NULL || step_label(ps->s[s].heading, ps->s[s].hlen) == 0
            || step_planned(c, ps->s[s].heading, ps->s[s].hlen)
            || (c->rq->sources[q].steps_only && !step_missing(c, ps->s[s].heading, ps->s[s].hlen)))
            continue;
        i = step_sentence(c, q, s);
        if (i == NONE || used + step_cost(c, q, i) > budget)
            continue;
        used += step_cost(c, q, i);
        c->steps[c->nsteps++] = (struct ref){q, i};
    }
    return used;
}

/* Orders the steps by their passages' places in the book, then by their
 * places in the passage. */
static void sort_steps(struct compose *c)
{
    size_t a, b;

    for (a = 1; a < c->nsteps; a++)
        for (b = a; b > 0; b--) {
            struct ref x = c->steps[b - 1], y = c->steps[b];
            int ox = c->rq->sources[x.p].ordinal, oy = c->rq->sources[y.p].ordinal;
            if (ox < oy || (ox == oy && (x.p != y.p || x.i < y.i)))
                break;
            c->steps[b - 1] = y;
            c->steps[b] = x;
        }
}

/* True when term (analysed) is the initials of a run of two or more
 * capitalised words of title, with an "s" or not ("cfa", "cfas" for
 * "Building a Common Formative Assessment"). */
static bool title_acronym(const char *title, const char *term)
{
    size_t tl = strlen(term), i, n;

    if (tl > 0 && term[tl - 1] == 's')
        tl--;
    if (tl < 2)
        return false;
    for (i = 0; title[i] != '\0'; i++) {
        const char *w = title + i;
        if ((i > 0 && title[i - 1] != ' ') || !isupper((unsigned char)*w))
            continue;
        for (n = 0; n < tl; n++) {
            if (!isupper((unsigned char)*w) || tolower((unsigned char)*w) != term[n])
                break;
            w += strcspn(w, " ");
            while (*w == ' ')
                w++;
            while (*w != '\0' && !isupper((unsigned char)*w) && n + 1 < tl) /* "a", "of" */
                w += strcspn(w, " "), w += strspn(w, " ");
        }
        if (n == tl)
            return true;
    }
    return false;
}

/* The share of the library IDF of the words the teacher typed that the
 * title of passage p's chapter (a word, or its initials: "CFA") and its
 * step headings hold: the walkthrough is of what was asked ("how to
 * write one [a CFA]" and "Building a Common Formative Assessment", "Step
 * 3: Write or choose the items"), not of a chapter next to it
 * (extractive.h, 5). */
static double steps_asked(struct compose *c, size_t p)
{
    const struct passage *ps = &c->src[p].p;
    const char *title = c->rq->sources[p].chapter;
    struct analyze_counts h = {0};
    double held = 0;
    size_t s, t, l;

    buf_reset(&c->scratch);
    if (title != NULL)
        buf_puts(&c->scratch, title);
    for (s = 0; s < ps->ns; s++)
        if (ps->s[s].heading != NULL && (l = step_label(ps->s[s].heading, ps->s[s].hlen)) > 0) {
            buf_puts(&c->scratch, ". ");
            buf_append(&c->scratch, ps->s[s].heading + l, ps->s[s].hlen - l);
        }
    analyze_count_text(&h, buf_str(&c->scratch));
    for (t = 0; t < c->nq; t++)
        if (c->q[t].mine && !c->q[t].phrase
            && (analyze_counts_get(&h, c->q[t].term) > 0
                || (title != NULL && title_acronym(title, c->q[t].term))))
            held += c->q[t].idf;
    analyze_counts_free(&h);
    return c->mine > 0 ? held / c->mine : 0;
}

/* True when term is denser in section k of the steps' chapter (its
 * heading and quotable text) than in the chapter's other candidate
 * sections, EXTRACT_STEP_DENSITY times: the step is about it, the chapter
 * as a whole not ("score" in "Step 5: Score together", not "write" in
 * "Step 3: Write or choose the items" of a chapter on writing a CFA). */
static bool step_term(const struct compose *c, size_t k, const char *term)
{
    const struct extract_source *a = &c->rq->sources[c->steps[k].p];
    size_t sec = c->src[c->steps[k].p].p.u[c->steps[k].i].section, i, in_len = 0, out_len = 0;
    unsigned in = 0, out = 0;

    for (i = 0; i < c->nsec; i++) {
        const struct section *x = &c->sec[i];
        const struct extract_source *b = &c->rq->sources[x->p];
        unsigned n = analyze_counts_get(&x->body, term) + analyze_counts_get(&x->head, term);
        size_t len = x->body.length + x->head.length;
        if (x->p == c->steps[k].p && x->s == sec) {
            in += n;
            in_len += len;
        } else if (same_str(a->book, b->book) && same_str(a->chapter, b->chapter)) {
            out += n;
            out_len += len;
        }
    }
    return in > 0
           && (out == 0
               || (double)in * (double)out_len
                      >= EXTRACT_STEP_DENSITY * (double)out * (double)in_len);
}

/* The library IDF of the words the teacher typed that the heading of
 * step k holds and the chapter's title (words or initials) does not. */
static double step_only(struct compose *c, size_t k)
{
    const struct source *x = &c->src[c->steps[k].p];
    const struct passage_section *ps = &x->p.s[x->p.u[c->steps[k].i].section];
    const char *title = c->rq->sources[c->steps[k].p].chapter;
    struct analyze_counts h = {0}, tt = {0};
    size_t l = step_label(ps->heading, ps->hlen), t;
    double held = 0;

    buf_reset(&c->scratch);
    buf_append(&c->scratch, ps->heading + l, ps->hlen - l);
    analyze_count_text(&h, buf_str(&c->scratch));
    if (title != NULL)
        analyze_count_text(&tt, title);
    for (t = 0; t < c->nq; t++)
        if (c->q[t].mine && !c->q[t].phrase && analyze_counts_get(&h, c->q[t].term) > 0
            && analyze_counts_get(&tt, c->q[t].term) == 0 && step_term(c, k, c->q[t].term)
            && !(title != NULL && title_acronym(title, c->q[t].term)))
            held += c->q[t].idf;
    analyze_counts_free(&h);
    analyze_counts_free(&tt);
    return held;
}

/* True when the words typed ask for one step of the planned ones: its
 * heading alone holds at least EXTRACT_STEP_FOCUS of their IDF that the
 * title does not ("score" and "Step 5: Score together"), each such word
 * denser in that step's section than in the rest of the chapter
 * (step_term), and no other step's heading any; then that step's
 * section scores EXTRACT_STEP_LEAD times the best (extractive.h, 5). */
static bool one_step_asked(struct compose *c)
{
    size_t k, n = 0, at = 0, i;
    double best = 0, h, top = 0;

    for (k = 0; k < c->nsteps; k++)
        if ((h = step_only(c, k)) > 0) {
            n++;
            best = h;
            at = k;
        }
    if (n != 1 || c->mine <= 0 || best < EXTRACT_STEP_FOCUS * c->mine)
        return false;
    for (i = 0; i < c->nsec; i++)
        top = c->sec[i].score > top ? c->sec[i].score : top;
    for (i = 0; i < c->nsec; i++) /* that step's section ranks first */
        if (c->sec[i].p == c->steps[at].p
            && c->sec[i].s == c->src[c->steps[at].p].p.u[c->steps[at].i].section)
            c->sec[i].score = EXTRACT_STEP_LEAD * top;
    return true;
}

/* A how question's steps (extractive.h, 5): the first of the first
 * EXTRACT_STEPS_RANK passages, sharing substance with the question, whose
 * sections headed as steps ("Step 1: Choose the targets"), with those of
 * the other passages of its book and chapter, give at least two steps that
 * fit in budget words; each step its section's first sentence.  Returns
 * the words they take. */
static size_t plan_steps(struct compose *c, size_t budget)
{
    size_t p, q, used;

    if (!c->how)
        return 0;
    for (p = 0; p < c->k && p < EXTRACT_STEPS_RANK; p++) {
        const struct extract_source *a = &c->rq->sources[p];
        if (a->steps_only || !passage_substance(c, p) || steps_asked(c, p) < EXTRACT_STEPS_SHARE)
            continue;
        c->nsteps = 0;
        used = add_steps(c, p, budget);
        if (c->nsteps == 0)
            continue;
        for (q = 0; q < c->k; q++)
            if (q != p && same_str(a->book, c->rq->sources[q].book) && a->book != NULL
                && same_str(a->chapter, c->rq->sources[q].chapter))
                used += add_steps(c, q, budget - used);
        if (c->nsteps >= 2 && one_step_asked(c))
            break; /* that step's section leads instead */
        if (c->nsteps >= 2) {
            c->steps_p = p;
            sort_steps(c);
            return used;
        }
    }
    c->nsteps = 0;
    return 0;
}

/* Writes after a step's sentence the chosen units still to be written
 * of the sections headed as the step (heading, hlen), in its item: that
 * section is not written again under the step's heading (compose34's
 * rule, fold35).  It marks them written: the try's state, which
 * compose_reset() clears. */
static void write_in_step(struct buf *out, struct compose *c, const char *heading, size_t hlen)
{
    size_t m, i;

    for (m = 0; m < c->nchosen; m++) {
        const struct section *x = &c->sec[c->chosen[m]];
        const struct passage_section *ps = &c->src[x->p].p.s[x->s];
        if (x->heading == NULL || x->hlen != hlen || strncasecmp(x->heading, heading, hlen) != 0)
            continue;
        for (i = ps->first; i < ps->first + ps->n;) {
            const struct source *s = &c->src[x->p];
            if (!s->u[i].chosen || s->u[i].written)
                i++;
            else if (s->p.u[i].kind == PASSAGE_ITEM)
                i = write_items(out, c, x->p, i, "    ", s->p.u[i].numbered);
            else {
                buf_putc(out, ' ');
                i = write_run(out, c, x->p, i, true);
            }
        }
    }
}

/* Writes the steps: the chapter's title as their heading, then each step
 * numbered, its heading's words as its label, its sentence quoted and
 * cited to its passage. */
static void write_steps(struct buf *out, struct compose *c)
{
    const char *title = c->rq->sources[c->steps_p].chapter;
    size_t k;

    if (title != NULL) {
        buf_puts(out, "**");
        put_label(out, title, strlen(title));
        buf_printf(out, "** [%zu]\n\n", c->steps_p + 1);
    }
    for (k = 0; k < c->nsteps; k++) {
        struct source *x = &c->src[c->steps[k].p];
        const struct passage_unit *u = &x->p.u[c->steps[k].i];
        const struct passage_section *ps = &x->p.s[u->section];
        size_t l = step_label(ps->heading, ps->hlen);
        buf_printf(out, "%s%zu. **", k > 0 ? "\n" : "", k + 1);
        put_label(out, ps->heading + l, ps->hlen - l);
        buf_puts(out, "**: ");
        quote(out, x->p.text + u->start, u->len, c->steps[k].p + 1);
        x->u[c->steps[k].i].written = true;
        x->u[c->steps[k].i].chosen = true;
        write_in_step(out, c, ps->heading, ps->hlen);
    }
}

/* Writes the body: for a quantity question the answer gives no number
 * for, our sentence saying so; the opening, then the groups (extractive.h,
 * 6). */
static void write_body(struct buf *out, struct compose *c)
{
    struct ref o = c->nsteps > 0 ? (struct ref){NONE, 0} : opening(c);
    const struct section *first = NULL;
    bool *done = xcalloc(c->nchosen + 1, sizeof(*done));
    size_t i, j;

    if (c->quantity && !chose_number(c))
        buf_puts(out, EXTRACT_NO_NUMBER "\n\n");
    if (c->nsteps > 0)
        write_steps(out, c);
    if (o.p != NONE) {
        write_opening(out, c, o);
        for (i = 0; i < c->nchosen; i++) {
            const struct section *x = &c->sec[c->chosen[i]];
            if (x->p == o.p && o.i >= c->src[x->p].p.s[x->s].first
                && o.i < c->src[x->p].p.s[x->s].first + c->src[x->p].p.s[x->s].n)
                first = x;
        }
    }
    for (i = 0; c->nsteps > 0 && first == NULL && i < c->nchosen; i++) {
        const struct section *x = &c->sec[c->chosen[i]];
        if (steps_titled(c, x) && (x->heading == NULL || steps_title(c, x, x->heading, x->hlen)))
            first = x; /* the steps' chapter's own words, under its title */
    }
    if (first == NULL)
        first = &c->sec[c->chosen[0]];
    /* The opening's group, then the others by source number. */
    for (j = 0; j <= c->k; j++)
        for (i = 0; i < c->nchosen; i++) {
            const struct section *x = &c->sec[c->chosen[i]];
            size_t m;
            bool seen = false;
            if (done[i] || (j == 0 ? !same_group(c, first, x) : x->p != j - 1))
                continue;
            for (m = 0; m < c->nchosen; m++)
                if (same_group(c, x, &c->sec[c->chosen[m]])) {
                    seen = seen || done[m];
                    done[m] = true;
                }
            if (!seen)
                write_group(out, c, x, j == 0);
        }
    if (buf_str(out)[0] == '\n') { /* no opening: the first heading leads */
        char *t = xstrdup(buf_str(out) + 2);
        buf_reset(out);
        buf_puts(out, t);
        free(t);
    }
    free(done);
}

/* ---- key takeaways ----------------------------------------------------- */

/* The bytes of s (len) up to the end of its first sentence (sentences.h),
 * or len. */
static size_t first_sentence(const char *s, size_t len)
{
    struct sentence_span sp[2];
    size_t n = sentence_split_range(s, 0, len, sp, 2);

    return n >= 2 ? sp[0].start + sp[0].len : len;
}

/* The end of the first clause of s (extractive.h, 7), or len. */
static size_t first_clause(const char *s, size_t len)
{
    static const char *const marks[] = {"; ",       ": ",    " \xe2\x80\x94 ", ", but ",
                                        ", which ", ", so ", ", and ",         NULL};
    size_t i, best = len;

    for (i = 0; marks[i] != NULL; i++) {
        const char *m = memmem(s, len, marks[i], strlen(marks[i]));
        if (m != NULL && (size_t)(m - s) < best && sentence_words(s, (size_t)(m - s)) >= 4)
            best = (size_t)(m - s);
    }
    return best;
}

/* True when the t bytes of s are a fragment, not a takeaway (extractive.h,
 * 7): one of their sentences has fewer than four words ("Few.", a bold
 * label "**Sort individually (20 minutes).**"), or they end in a word
 * that leaves the clause open ("for each", "the"). */
static bool fragment(const char *s, size_t t)
{
    static const char *const open_end[] = {
        "a",    "an",   "the",   "of",  "for",  "to",   "in",    "on",   "at",   "by",
        "with", "from", "and",   "or",  "but",  "that", "which", "who",  "each", "every",
        "as",   "its",  "their", "our", "your", "this", "these", "such", NULL};
    static const char *const asides[] = {"for",    "in",     "on",    "at",      "by",
                                         "with",   "from",   "of",    "to",      "after",
                                         "before", "during", "about", "through", NULL};
    struct sentence_span sp[8];
    size_t n = sentence_split_range(s, 0, t, sp, 8), i, e = t, b;

    const char *bold = t > 4 && strncmp(s, "**", 2) == 0 ? memmem(s + 2, t - 2, "**", 2) : NULL;

    if (bold != NULL && (size_t)(bold - s) + 2 >= t) /* a bold label and nothing else */
        return true;
    for (i = 0; i < n; i++)
        if (sentence_words(s + sp[i].start, sp[i].len) < 4)
            return true;
    while (e > 0 && !isalnum((unsigned char)s[e - 1]))
        e--;
    for (b = e; b > 0 && isalpha((unsigned char)s[b - 1]); b--)
        ;
    if (e > b && words_in_list_n(s + b, e - b, open_end))
        return true;
    /* A clause cut inside an aside ("includes, for each unit"). */
    for (b = e; b > 1 && !(s[b - 2] == ',' && s[b - 1] == ' '); b--)
        ;
    if (b <= 1)
        return false;
    for (e = b; e < t && isalpha((unsigned char)s[e]); e++)
        ;
    return words_in_list_n(s + b, e - b, asides);
}

/* True when the t bytes of s open with a label and data, not a
 * takeaway (extractive.h, 7): one or two words and a colon, then a number
 * or a bracket ("Proficiency: 3 of 4", "Targets: (1) identify"). */
static bool label_data(const char *s, size_t t)
{
    size_t i = 0, words = 0;

    while (i < t && s[i] == '*')
        i++;
    for (; i < t && words < 3; words++) {
        while (i < t && (isalpha((unsigned char)s[i]) || s[i] == '-' || s[i] == '\''))
            i++;
        while (i < t && s[i] == '*')
            i++;
        if (i < t && s[i] == ':')
            break;
        if (i >= t || s[i] != ' ')
            return false;
        i++;
    }
    if (i >= t || s[i] != ':' || words >= 2)
        return false;
    for (i++; i < t && (s[i] == ' ' || s[i] == '*'); i++)
        ;
    return i < t && (isdigit((unsigned char)s[i]) || s[i] == '(' || s[i] == '[');
}

/* The takeaway of a unit: its length from its start, or 0 when none
 * (extractive.h, 7). */
static size_t takeaway_of(const struct passage_unit *u, const char *s)
{
    size_t len = u->len, t = 0, j, quotes = 0;

    if (u->kind == PASSAGE_ITEM) {
        const char *bold = strncmp(s, "**", 2) == 0 ? memmem(s + 2, len - 2, "**", 2) : NULL;
        size_t lead = bold != NULL ? (size_t)(bold - s) + 2 : first_sentence(s, len);
        if (lead < len && sentence_words(s, lead) <= 3) /* "Few." + the next sentence */
            t = lead + first_sentence(s + lead, len - lead);
        else
            t = lead;
        if (t >= len || sentence_words(s, t) > EXTRACT_TAKEAWAY_WORDS)
            t = first_clause(s, len);
    } else {
        t = first_clause(s, len);
    }
    while (t > 0 && (isspace((unsigned char)s[t - 1]) || strchr(",;:", s[t - 1]) != NULL))
        t--;
    for (j = 0; j < t; j++)
        quotes += s[j] == '"';
    if (t >= len || quotes % 2 != 0 || sentence_words(s, t) < 4
        || sentence_words(s, t) > EXTRACT_TAKEAWAY_WORDS || fragment(s, t) || label_data(s, len))
        return 0;
    return t;
}

struct pick {
    size_t p, i, len;
    double score;
};

static int by_pick(const void *a, const void *b)
{
    const struct pick *x = a, *y = b;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The takeaway a unit u (its text s) is whole: its length without its
 * trailing white space when it has 4 to EXTRACT_TAKEAWAY_WORDS words,
 * balanced quotation marks, and is no fragment nor a label and its data;
 * else 0 (extractive.h, 7). */
static size_t whole_takeaway(const struct passage_unit *u, const char *s)
{
    size_t len = u->len, j, quotes = 0;

    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    for (j = 0; j < len; j++)
        quotes += s[j] == '"';
    if (quotes % 2 != 0 || sentence_words(s, len) < 4
        || sentence_words(s, len) > EXTRACT_TAKEAWAY_WORDS || fragment(s, len)
        || label_data(s, len))
        return 0;
    return len;
}

/* The takeaway of a step's sentence u (its text s): takeaway_of(), else
 * the whole sentence when it is one (whole_takeaway()): the point it
 * comes from is the step's item, its label and its sentence (extractive.h,
 * 7; take35). */
static size_t step_takeaway(const struct passage_unit *u, const char *s)
{
    size_t t = takeaway_of(u, s);

    return t > 0 ? t : whole_takeaway(u, s);
}

/* Append to chosen (n of them, their terms in terms and nterms) the
 * candidates cand[from..to) in order while fewer than max are chosen,
 * skipping one that has no term or shares EXTRACT_DUPLICATE_SHARE of its
 * terms with one chosen already.  The terms of those chosen are the
 * caller's to free. */
static void choose_takeaways(const struct compose *c, const struct pick *cand, size_t from,
                             size_t to, size_t max, struct pick *chosen, uint64_t **terms,
                             size_t *nterms, size_t *n)
{
    size_t i, j;

    for (i = from; i < to && *n < max; i++) {
        const char *t = c->src[cand[i].p].p.text + c->src[cand[i].p].p.u[cand[i].i].start;
        size_t nt;
        uint64_t *tt = terms_of(t, cand[i].len, false, &nt);
        bool dup = false;
        for (j = 0; j < *n && !dup; j++) {
            size_t small = nt < nterms[j] ? nt : nterms[j];
            dup = small > 0
                  && (double)terms_overlap(tt, nt, terms[j], nterms[j])
                         >= EXTRACT_DUPLICATE_SHARE * (double)small;
        }
        if (dup || nt == 0) {
            free(tt);
            continue;
        }
        terms[*n] = tt;
        nterms[*n] = nt;
        chosen[(*n)++] = cand[i];
    }
}

/* Key takeaways (extractive.h, 7): for an answer in numbered steps, the
 * steps' own sentences first, in the steps' order (take35); then the
 * other cited units' clauses, those carrying the most weight of the query
 * first; while fewer than EXTRACT_MIN_TAKEAWAYS, the cited sentences that
 * are a takeaway whole, by the same weight (dedup38). */
static void write_takeaways(struct buf *out, struct compose *c)
{
    struct pick *cand = NULL, chosen[EXTRACT_TAKEAWAYS];
    uint64_t *terms[EXTRACT_TAKEAWAYS];
    size_t nterms[EXTRACT_TAKEAWAYS], n = 0, nc = 0, nstep = 0, nclause, p, i, k;

    for (k = 0; k < c->nsteps; k++) {
        const struct ref r = c->steps[k];
        size_t len =
            step_takeaway(&c->src[r.p].p.u[r.i], c->src[r.p].p.text + c->src[r.p].p.u[r.i].start);
        if (len == 0)
            continue;
        cand = xrealloc(cand, (nc + 1) * sizeof(*cand));
        cand[nc++] = (struct pick){r.p, r.i, len, c->src[r.p].u[r.i].score};
    }
    nstep = nc;
    for (p = 0; p < c->k; p++)
        for (i = 0; i < c->src[p].p.n; i++) {
            const struct passage_unit *u = &c->src[p].p.u[i];
            size_t len;
            bool step = false;
            for (k = 0; k < c->nsteps && !step; k++)
                step = c->steps[k].p == p && c->steps[k].i == i;
            if (step || !c->src[p].u[i].chosen || u->dependent
                || (len = takeaway_of(u, c->src[p].p.text + u->start)) == 0)
                continue;
            cand = xrealloc(cand, (nc + 1) * sizeof(*cand));
            cand[nc++] = (struct pick){p, i, len, c->src[p].u[i].score};
        }
    if (nc > nstep)
        qsort(cand + nstep, nc - nstep, sizeof(*cand), by_pick);
    choose_takeaways(c, cand, 0, nc, EXTRACT_TAKEAWAYS, chosen, terms, nterms, &n);
    if (n < EXTRACT_MIN_TAKEAWAYS) {
        /* Too few clauses: a cited sentence that is a takeaway whole (a
         * step's was a candidate already, and so was a unit with a
         * clause). */
        nclause = nc;
        for (p = 0; p < c->k; p++)
            for (i = 0; i < c->src[p].p.n; i++) {
                const struct passage_unit *u = &c->src[p].p.u[i];
                const char *s = c->src[p].p.text + u->start;
                size_t len;
                bool step = false;
                for (k = 0; k < c->nsteps && !step; k++)
                    step = c->steps[k].p == p && c->steps[k].i == i;
                if (step || !c->src[p].u[i].chosen || u->dependent || takeaway_of(u, s) > 0
                    || (len = whole_takeaway(u, s)) == 0)
                    continue;
                cand = xrealloc(cand, (nc + 1) * sizeof(*cand));
                cand[nc++] = (struct pick){p, i, len, c->src[p].u[i].score};
            }
        if (nc > nclause)
            qsort(cand + nclause, nc - nclause, sizeof(*cand), by_pick);
        choose_takeaways(c, cand, nclause, nc, EXTRACT_MIN_TAKEAWAYS, chosen, terms, nterms, &n);
    }
    if (n >= EXTRACT_MIN_TAKEAWAYS) {
        buf_puts(out, "\n\n**Key takeaways**\n");
        for (i = 0; i < n; i++) {
            buf_puts(out, "\n- ");
            quote(out, c->src[chosen[i].p].p.text + c->src[chosen[i].p].p.u[chosen[i].i].start,
                  chosen[i].len, chosen[i].p + 1);
        }
    }
    for (i = 0; i < n; i++)
        free(terms[i]);
    free(cand);
}

/* ---- the whole --------------------------------------------------------- */

static void compose_free(struct compose *c)
{
    size_t i;

    for (i = 0; i < c->k; i++) {
        passage_free(&c->src[i].p);
        free(c->src[i].u);
        buf_free(&c->src[i].page);
    }
    for (i = 0; i < c->nsec; i++) {
        analyze_counts_free(&c->sec[i].body);
        analyze_counts_free(&c->sec[i].head);
    }
    free(c->src);
    free(c->sec);
    free(c->q);
    buf_free(&c->scratch);
}

/* ---- suggested follow-up questions ------------------------------------- */

/* The words the block of suggested questions may take, its heading's
 * included: the reserve (followup_words) counts that heading at 4 words,
 * but "**Suggested follow-up questions**" is 3, so the block of the
 * questions the reserve was made of takes one less (sugg37b). */
static size_t followup_block_words(size_t reserve)
{
    return reserve > 0 ? reserve - 1 : 0;
}

/* True when a and b are both NULL or the same string. */
static bool same_or_null(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* The index in rq->chapters of the chapter source p lies in (0 for every
 * source when rq->chapters is NULL: all the headings are one chapter),
 * its span of rq->headings into *first and *n; SIZE_MAX when there are
 * no headings or the source is in none of the chapters. */
static size_t source_chapter(const struct extract_request *rq, size_t p, size_t *first, size_t *n)
{
    const struct extract_source *s = &rq->sources[p];
    size_t j;

    if (rq->headings == NULL || rq->nheadings == 0)
        return SIZE_MAX;
    if (rq->chapters == NULL) {
        *first = 0;
        *n = rq->nheadings;
        return 0;
    }
    for (j = 0; j < rq->nchapters; j++) {
        const struct extract_chapter *ch = &rq->chapters[j];
        if (same_or_null(ch->book, s->book) && same_or_null(ch->title, s->chapter)
            && ch->first <= rq->nheadings && ch->n <= rq->nheadings - ch->first) {
            *first = ch->first;
            *n = ch->n;
            return j;
        }
    }
    return SIZE_MAX;
}

/* Adds the question heading makes (phrase.h) to out[] (*n of them, at
 * most EXTRACT_FOLLOWUPS) unless there is none or it is there already. */
static void add_estimate(const char *heading, char **out, size_t *n)
{
    char *f = *n < EXTRACT_FOLLOWUPS ? phrase_question(heading) : NULL;
    size_t i;

    for (i = 0; f != NULL && i < *n; i++)
        if (strcmp(out[i], f) == 0) {
            free(f);
            f = NULL;
        }
    if (f != NULL)
        out[(*n)++] = f;
}

/* The words the follow-up questions may take (extractive.h, 7: the
 * reserve): those of the questions the headings next to each source's own
 * section make (the first source of each chapter; its chapter's first
 * heading when it has no section), next then previous, at most
 * EXTRACT_FOLLOWUPS of them, each with its number, and 4 for the block's
 * heading; 0 when there are none. */
static size_t followup_words(const struct extract_request *rq, size_t k)
{
    char *f[EXTRACT_FOLLOWUPS];
    size_t n = 0, p, q, m, w = 0, first, len, first2, len2;

    for (p = 0; p < k; p++) {
        const char *sec = rq->sources[p].section;
        size_t j = source_chapter(rq, p, &first, &len);
        bool seen = false;
        if (rq->sources[p].steps_only || j == SIZE_MAX)
            continue;
        for (q = 0; q < p && !seen; q++)
            seen = !rq->sources[q].steps_only && source_chapter(rq, q, &first2, &len2) == j;
        if (seen)
            continue;
        if (sec == NULL && len > 0)
            add_estimate(rq->headings[first], f, &n);
        for (m = 0; sec != NULL && m < len; m++) {
            if (strcmp(rq->headings[first + m], sec) != 0)
                continue;
            if (m + 1 < len)
                add_estimate(rq->headings[first + m + 1], f, &n);
            if (m > 0)
                add_estimate(rq->headings[first + m - 1], f, &n);
        }
    }
    for (q = 0; q < n; q++) {
        w += sentence_words(f[q], strlen(f[q])) + 1;
        free(f[q]);
    }
    return w > 0 ? w + 4 : 0;
}

/* The heading of each chosen section (else its chapter's title; NULL
 * when none), malloc'd, into head[], and the question it makes
 * (phrase.h), malloc'd or NULL, into q[] (c->nchosen of each): what the
 * answer already quotes. */
static void quoted_questions(const struct compose *c, char **head, char **q)
{
    size_t k;

    for (k = 0; k < c->nchosen; k++) {
        const struct section *x = &c->sec[c->chosen[k]];
        const char *chapter = c->rq->sources[x->p].chapter;
        head[k] = x->heading != NULL ? xstrndup(x->heading, x->hlen)
                  : chapter != NULL  ? xstrdup(chapter)
                                     : NULL;
        q[k] = head[k] != NULL ? phrase_question(head[k]) : NULL;
    }
}

/* True when question f is one of the n questions of q[], or of the m of
 * out[]. */
static bool asked_already(const char *f, char *const *q, size_t n, char *const *out, size_t m)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (q[i] != NULL && strcmp(q[i], f) == 0)
            return true;
    for (i = 0; i < m; i++)
        if (strcmp(out[i], f) == 0)
            return true;
    return false;
}

/* Adds question f (malloc'd; taken over) to out[] (*n of them) when it is
 * not asked already and its words fit in *words; frees it otherwise. */
static void add_followup(char *f, char *const *q, size_t nq, char **out, size_t *n, size_t *words)
{
    size_t w = f != NULL ? sentence_words(f, strlen(f)) + 1 : 0;

    if (f == NULL || *n >= EXTRACT_FOLLOWUPS || w > *words || asked_already(f, q, nq, out, *n)) {
        free(f);
        return;
    }
    *words -= w;
    out[(*n)++] = f;
}

/* Marks in quoted[] (one flag per rq->headings) the headings of the
 * sections whose units the answer writes, within the span of their
 * source's chapter, and in cited[] (one per chapter) the chapters of the
 * sources it cites, each once into order[] (*nord), by source number. */
static void cited_sections(const struct compose *c, bool *quoted, bool *cited, size_t *order,
                           size_t *nord)
{
    const struct extract_request *rq = c->rq;
    size_t p, i, m, first, len, j;

    for (p = 0; p < c->k; p++) {
        const struct passage *ps = &c->src[p].p;
        bool any = false;
        j = source_chapter(rq, p, &first, &len);
        for (i = 0; i < ps->n; i++) {
            const struct passage_section *x = &ps->s[ps->u[i].section];
            char *h;
            if (!c->src[p].u[i].written)
                continue;
            any = true;
            if (j == SIZE_MAX || x->heading == NULL)
                continue;
            h = xstrndup(x->heading, x->hlen);
            for (m = 0; m < len; m++)
                if (phrase_same(rq->headings[first + m], h)) {
                    quoted[first + m] = true;
                    break;
                }
            free(h);
        }
        if (any && j != SIZE_MAX && !cited[j]) {
            cited[j] = true;
            order[(*nord)++] = j;
        }
    }
}

/* True when one of the headings [first, first + len) is quoted. */
static bool any_quoted(const bool *quoted, size_t first, size_t len)
{
    size_t m;

    for (m = 0; m < len; m++)
        if (quoted[first + m])
            return true;
    return false;
}

/* For each chapter the answer cites none of whose headings it quotes
 * (the units it writes lie under a heading the chapter's list does not
 * hold, a level-3 one, or under none in the passage's text), marks in
 * quoted[] the own section of the chapter's first source with a unit
 * written, when the chapter's span holds it: the answer quotes from that
 * section, so its neighbours are suggested (sugg37b). */
static void anchor_unquoted(const struct compose *c, bool *quoted)
{
    const struct extract_request *rq = c->rq;
    size_t p, i, m, first, len;
    bool any;

    for (p = 0; p < c->k; p++) {
        const char *sec = rq->sources[p].section;
        if (sec == NULL || source_chapter(rq, p, &first, &len) == SIZE_MAX
            || any_quoted(quoted, first, len))
            continue;
        for (i = 0, any = false; i < c->src[p].p.n && !any; i++)
            any = c->src[p].u[i].written;
        for (m = 0; any && m < len; m++)
            if (strcmp(rq->headings[first + m], sec) == 0) {
                quoted[first + m] = true;
                break;
            }
    }
}

/* How far heading first + m is from the nearest quoted one of its
 * chapter's span [first, first + len); 0 when it is quoted itself; when
 * none is, m + 1: the chapter's headings in its order (sugg37b). */
static size_t quoted_distance(const bool *quoted, size_t first, size_t len, size_t m)
{
    size_t d, best = 0;

    if (quoted[first + m])
        return 0;
    for (d = 0; d < len; d++)
        if (quoted[first + d] && (best == 0 || (d > m ? d - m : m - d) < best))
            best = d > m ? d - m : m - d;
    return best > 0 ? best : m + 1;
}

/* Chapter j's span of rq->headings into *first and *len (all of them, one
 * chapter, when rq->chapters is NULL). */
static void chapter_span(const struct extract_request *rq, size_t j, size_t *first, size_t *len)
{
    *first = rq->chapters != NULL ? rq->chapters[j].first : 0;
    *len = rq->chapters != NULL ? rq->chapters[j].n : rq->nheadings;
}

/* Writes the suggested follow-up questions (extractive.h, 7): section
 * headings of the chapters the answer cites, the ones right next to a
 * quoted section first, each chapter's in its order, then (while fewer
 * than two) those further away; none about a section the answer quotes;
 * the block, its heading included, within room words.  A cited chapter with no
 * quoted heading counts its first source's own section as quoted
 * (anchor_unquoted), else its headings in order (quoted_distance). */
static void write_followups(struct buf *out, const struct compose *c, size_t room)
{
    const struct extract_request *rq = c->rq;
    char *head[EXTRACT_MAX_SECTIONS] = {NULL}, *q[EXTRACT_MAX_SECTIONS] = {NULL};
    char *f[EXTRACT_FOLLOWUPS];
    size_t nchap = rq->chapters != NULL ? rq->nchapters : 1;
    size_t i, k, d, m, n = 0, nord = 0, words = room, first, len = 0, off, total = 0;
    bool *quoted, *cited;
    size_t *order, *dist;

    if (c->fwords == 0 || rq->headings == NULL || rq->nheadings == 0 || nchap == 0)
        return;
    words = words > 3 ? words - 3 : 0; /* the heading's words */
    quoted = xcalloc(rq->nheadings, sizeof(*quoted));
    cited = xcalloc(nchap, sizeof(*cited));
    order = xcalloc(nchap, sizeof(*order));
    quoted_questions(c, head, q);
    cited_sections(c, quoted, cited, order, &nord);
    anchor_unquoted(c, quoted);
    /* Each cited chapter's headings' distances, once: the chapters of
     * order[] one after another in dist[]. */
    for (k = 0; k < nord; k++) {
        chapter_span(rq, order[k], &first, &len);
        total += len;
    }
    dist = xcalloc(total > 0 ? total : 1, sizeof(*dist));
    for (k = 0, off = 0; k < nord; k++, off += len) {
        chapter_span(rq, order[k], &first, &len);
        for (m = 0; m < len; m++)
            dist[off + m] = quoted_distance(quoted, first, len, m);
    }
    for (d = 1; d < rq->nheadings && n < EXTRACT_FOLLOWUPS && (d == 1 || n < 2); d++)
        for (k = 0, off = 0; k < nord; k++, off += len) {
            chapter_span(rq, order[k], &first, &len);
            for (m = 0; m < len; m++)
                if (dist[off + m] == d)
                    add_followup(phrase_question(rq->headings[first + m]), q, c->nchosen, f, &n,
                                 &words);
        }
    if (n > 0)
        buf_puts(out, "\n\n**Suggested follow-up questions**\n");
    for (i = 0; i < n; i++) {
        buf_printf(out, "\n%zu. %s", i + 1, f[i]);
        free(f[i]);
    }
    for (k = 0; k < c->nchosen; k++) {
        free(head[k]);
        free(q[k]);
    }
    free(quoted);
    free(cited);
    free(order);
    free(dist);
}

/* Reads the passages of c->rq into c, builds its sections and query and
 * scores them, once for every try; returns the words the excerpts may
 * take before the fill (extractive.h, 4, "The budget"). */
static size_t compose_setup(struct compose *c)
{
    const struct extract_request *rq = c->rq;
    size_t i, budget, reserve = 2 + EXTRACT_TAKEAWAYS * (EXTRACT_TAKEAWAY_WORDS + 2);

    c->k = rq->k < MAX_PASSAGES ? rq->k : MAX_PASSAGES;
    c->fwords = followup_words(rq, c->k);
    reserve += c->fwords;
    c->how = extractive_asks_how(rq->focus != NULL ? rq->focus : rq->question);
    c->quantity = extractive_asks_quantity(rq->focus != NULL ? rq->focus : rq->question);
    if (c->quantity)
        parse_quantity(c, rq->focus != NULL ? rq->focus : rq->question);
    c->example = extractive_asks_example(rq->question)
                 || passage_past_tense(rq->question, strlen(rq->question))
                 || (rq->focus != NULL && extractive_asks_example(rq->focus));
    c->src = xcalloc(c->k + 1, sizeof(*c->src));
    for (i = 0; i < c->k; i++) {
        const struct extract_source *s = &rq->sources[i];
        struct passage_headings h = {.known = rq->headings,
                                     .nknown = rq->headings != NULL ? rq->nheadings : 0,
                                     .section = s->section,
                                     .chapter = s->chapter};
        passage_parse(s->text, &h, &c->src[i].p);
        if (s->own_end > 0 && s->page != NULL)
            verify_normalise(&c->src[i].page, s->page, strlen(s->page));
        mark_quotable(c, &c->src[i]);
    }
    c->own_only = true; /* until extend_sections */
    build_sections(c);
    build_query(c);
    score(c);
    for (i = 0; i < c->nsec; i++)
        c->sec[i].base = c->sec[i].score;
    if (c->quantity) /* room for EXTRACT_NO_NUMBER */
        reserve += sentence_words(EXTRACT_NO_NUMBER, strlen(EXTRACT_NO_NUMBER));
    budget = EXTRACT_ANSWER_WORDS > reserve ? EXTRACT_ANSWER_WORDS - reserve : 0;
    if (budget > EXTRACT_BODY_WORDS)
        budget = EXTRACT_BODY_WORDS;
    return budget;
}

/* Clears what a try chose, so that the next starts as the first did
 * after compose_setup(): no unit chosen or written, no section chosen,
 * no steps, every section's score the setup's, the passages' own text
 * only. */
static void compose_reset(struct compose *c)
{
    size_t p, i;

    for (p = 0; p < c->k; p++)
        for (i = 0; i < c->src[p].p.n; i++)
            c->src[p].u[i].chosen = c->src[p].u[i].written = false;
    for (i = 0; i < c->nsec; i++)
        c->sec[i].score = c->sec[i].base;
    c->nchosen = 0;
    c->nsteps = 0;
    c->steps_p = 0;
    c->own_only = true;
}

/* One try on c's setup: the answer with budget words for its excerpts
 * (extractive.h, 4, "The budget").  Returns malloc'd Markdown (the
 * caller's), or NULL when no section is chosen; into *words the words the
 * fill weighs it at: its body's and takeaways', and the suggested
 * questions' at the words reserved for their block
 * (followup_block_words), not those written; so the body does not depend
 * on the suggestions (sugg37b).  The block then takes at most the words
 * the body left of EXTRACT_ANSWER_WORDS, at least its reserve. */
static char *compose_try(struct compose *c, size_t budget, size_t *words)
{
    struct buf out = BUF_INIT;
    size_t body, room;

    *words = 0;
    compose_reset(c);
    budget -= plan_steps(c, budget / 2);
    choose_sections(c, budget);
    if (c->nchosen == 0)
        return NULL;
    write_body(&out, c);
    write_takeaways(&out, c);
    body = out.len > 0 ? sentence_words(out.data, out.len) : 0;
    *words = body + followup_block_words(c->fwords);
    room = body < EXTRACT_ANSWER_WORDS ? EXTRACT_ANSWER_WORDS - body : 0;
    if (room < followup_block_words(c->fwords))
        room = followup_block_words(c->fwords);
    write_followups(&out, c, room);
    /* At most one blank line between blocks and none at the end, as the
     * verifier writes the text that is stored. */
    {
        size_t r, w = 0;

        for (r = 0; r < out.len; r++)
            if (!(out.data[r] == '\n' && w >= 2 && out.data[w - 1] == '\n'
                  && out.data[w - 2] == '\n'))
                out.data[w++] = out.data[r];
        while (w > 0 && (out.data[w - 1] == '\n' || out.data[w - 1] == ' '))
            w--;
        out.data[w] = '\0';
        out.len = w;
    }
    return buf_steal(&out);
}

/* True when a passage of book with ordinal o is among the sources. */
static bool book_has(const struct compose *c, const char *book, int o)
{
    size_t p;

    for (p = 0; p < c->k; p++)
        if (c->rq->sources[p].ordinal == o && same_str(c->rq->sources[p].book, book))
            return true;
    return false;
}

/* Appends to ordinals (*n of them, at most max) the ordinals from o
 * stepping by dir (-1 or +1) while none is a source's and the last is not
 * past last (-1: no end), up to EXTRACT_STEPS_FETCH of them in all. */
static void want_from(const struct compose *c, const char *book, int o, int dir, int last,
                      int *ordinals, size_t *n, size_t max)
{
    size_t i;
    bool listed;

    for (; o >= 0 && *n < max && (last < 0 || (dir > 0 ? o <= last : o >= last)); o += dir) {
        if (book_has(c, book, o))
            return;
        for (i = 0, listed = false; i < *n; i++)
            listed = listed || ordinals[i] == o;
        if (!listed)
            ordinals[(*n)++] = o;
    }
}

/* Wants (want_from) the passages next to the steps' chapter's passages
 * whose text, joined with a neighbour's on its pages (extractive.h, "The
 * page"), holds a step the steps lack (step_missing) outside the
 * passage's own text: its sentence is on another page, so the
 * neighbour's own text gives it. */
static void want_unquoted(const struct compose *c, const char *book, int *ordinals, size_t *n,
                          size_t max)
{
    const struct extract_source *a = &c->rq->sources[c->steps_p], *b;
    size_t p, s, at;

    for (p = 0; p < c->k; p++) {
        const struct passage *ps = &c->src[p].p;
        b = &c->rq->sources[p];
        if (b->steps_only || b->own_end == 0 || !same_str(a->book, b->book)
            || !same_str(a->chapter, b->chapter))
            continue;
        for (s = 0; s < ps->ns; s++) {
            if (ps->s[s].heading == NULL || step_label(ps->s[s].heading, ps->s[s].hlen) == 0
                || step_planned(c, ps->s[s].heading, ps->s[s].hlen)
                || !step_missing(c, ps->s[s].heading, ps->s[s].hlen))
                continue;
            if (ps->s[s].heading >= ps->text && ps->s[s].heading < ps->text + strlen(ps->text))
                at = (size_t)(ps->s[s].heading - ps->text);
            else if (ps->s[s].n > 0)
                at = ps->u[ps->s[s].first].start;
            else
                continue;
            if (at >= b->own_end)
                want_from(c, book, b->ordinal + 1, 1, -1, ordinals, n, max);
            else if (at < b->own_start)
                want_from(c, book, b->ordinal - 1, -1, -1, ordinals, n, max);
        }
    }
}

/* A composition's setup, handed from extractive_setup_steps_wanted()
 * to extractive_setup_compose() (extractive.h): owns c (compose_free). */
struct extract_setup {
    struct compose c;
    size_t budget; /* compose_setup()'s */
};

struct extract_setup *extractive_setup(const struct extract_request *rq)
{
    struct extract_setup *x = xcalloc(1, sizeof(*x));

    x->c.rq = rq;
    x->budget = compose_setup(&x->c);
    return x;
}

void extractive_setup_free(struct extract_setup *x)
{
    if (x == NULL)
        return;
    compose_free(&x->c);
    free(x);
}

/* extractive_steps_wanted() on c's setup (budget, compose_setup()'s):
 * the steps the first try would plan. */
static size_t steps_wanted(struct compose *c, size_t budget, const char **book, int *ordinals,
                           size_t max)
{
    const struct extract_request *rq = c->rq;
    size_t n = 0, k, last;
    int num[EXTRACT_MAX_STEPS];

    *book = NULL;
    if (max > EXTRACT_STEPS_FETCH)
        max = EXTRACT_STEPS_FETCH;
    if (!c->how)
        return 0;
    compose_reset(c);
    plan_steps(c, budget / 2);
    for (k = 0; k < c->nsteps; k++)
        if ((num[k] = planned_number(c, k)) == 0)
            c->nsteps = 0; /* unnumbered: no gap to see */
    if (c->nsteps >= 2 && (*book = rq->sources[c->steps_p].book) != NULL) {
        const struct source *x;
        int o0 = rq->sources[c->steps[0].p].ordinal, o;
        if (num[0] > 1) /* the first steps are before the first passage */
            want_from(c, *book, o0 - 1, -1, -1, ordinals, &n, max);
        for (k = 1; k < c->nsteps; k++)
            if (num[k] > num[k - 1] + 1) { /* a gap between two passages */
                o = rq->sources[c->steps[k - 1].p].ordinal;
                want_from(c, *book, o + 1, 1, rq->sources[c->steps[k].p].ordinal - 1, ordinals, &n,
                          max);
            }
        last = c->nsteps - 1;
        x = &c->src[c->steps[last].p];
        if (x->p.u[c->steps[last].i].section + 1 == x->p.ns) /* the passage ends in the last */
            want_from(c, *book, rq->sources[c->steps[last].p].ordinal + 1, 1, -1, ordinals, &n,
                      max);
        want_unquoted(c, *book, ordinals, &n, max);
        if (n == 0)
            *book = NULL;
    }
    return n;
}

size_t extractive_steps_wanted(const struct extract_request *rq, const char **book, int *ordinals,
                               size_t max)
{
    struct extract_setup *x;
    size_t n;

    *book = NULL;
    if (!extractive_asks_how(rq->focus != NULL ? rq->focus : rq->question))
        return 0; /* no setup needed */
    x = extractive_setup(rq);
    n = steps_wanted(&x->c, x->budget, book, ordinals, max);
    extractive_setup_free(x);
    return n;
}

size_t extractive_setup_steps_wanted(struct extract_setup *x, const char **book, int *ordinals,
                                     size_t max)
{
    return steps_wanted(&x->c, x->budget, book, ordinals, max);
}

/* Composes with the reserve's estimate, then again with the words the
 * answer left of EXTRACT_ANSWER_WORDS given to the excerpts, keeping the
 * longest answer within it; a try that goes past it (a longer unit came
 * in, or longer takeaways) is tried again with half as many words more
 * (extractive.h, 4, "The budget").  An answer's words are compose_try()'s:
 * the suggested questions counted at their reserve.  The passages are read
 * and scored once (compose_setup); each try chooses and writes again
 * (compose_try). */
static char *compose_fill(struct compose *c, size_t budget)
{
    size_t more = 0, w, nw, step, round;
    char *best = compose_try(c, budget, &w);

    step = EXTRACT_ANSWER_WORDS > w ? EXTRACT_ANSWER_WORDS - w : 0;
    for (round = 0; best != NULL && round < EXTRACT_FILL_ROUNDS && step >= EXTRACT_FILL_MIN;
         round++) {
        char *next = compose_try(c, budget + more + step, &nw);
        if (next != NULL && nw <= EXTRACT_ANSWER_WORDS && nw >= w) {
            free(best);
            best = next;
            w = nw;
            more += step;
            step = EXTRACT_ANSWER_WORDS - w;
        } else {
            free(next);
            step /= 2;
        }
    }
    return best;
}

char *extractive_compose(const struct extract_request *rq)
{
    struct extract_setup *x = extractive_setup(rq);
    char *a = compose_fill(&x->c, x->budget);

    extractive_setup_free(x);
    return a;
}

char *extractive_setup_compose(struct extract_setup *x)
{
    return compose_fill(&x->c, x->budget);
}
