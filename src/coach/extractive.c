/*
 * The extractive composer; see extractive.h.
 *
 * Ownership: compose_state owns the candidates (and each one's terms),
 * the question's terms and the output buffer until the answer is stolen
 * from it; state_free() releases the rest.
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
#include "coach/sentences.h"
#include "util/alloc.h"
#include "util/buf.h"

#define SPANS_PER_PASSAGE 96
#define MAX_PASSAGES 64
#define TAKEAWAY_MIN_WORDS 6
#define TAKEAWAY_LONG_WORDS 22

struct candidate {
    size_t passage, index; /* source n - 1; sentence index in it */
    size_t start, len;     /* bytes of the passage (heading cut off) */
    size_t words, order;
    uint64_t *terms; /* owned */
    size_t nterms;
    double score;
    bool substance;      /* shares a substantive term with the question */
    bool needs_previous; /* opens with a pronoun or connective */
    bool taken;
    size_t previous; /* index of the sentence before it in its passage; NO_PREVIOUS */
};

#define NO_PREVIOUS ((size_t)-1)

struct compose_state {
    const struct extract_request *rq;
    struct candidate *c;
    size_t nc;
    uint64_t *q, *fq; /* the question's and the focus's terms */
    size_t nq, nf;
    struct candidate **chosen;
    size_t nchosen, words;
    size_t per_passage[MAX_PASSAGES];
};

/* Openings whose referent is in the sentence before. */
static const char *const dependent[] = {"this",
                                        "that",
                                        "these",
                                        "those",
                                        "it",
                                        "its",
                                        "they",
                                        "them",
                                        "their",
                                        "he",
                                        "she",
                                        "his",
                                        "her",
                                        "such",
                                        "however",
                                        "but",
                                        "and",
                                        "or",
                                        "so",
                                        "also",
                                        "then",
                                        "instead",
                                        "otherwise",
                                        "therefore",
                                        "thus",
                                        "still",
                                        "yet",
                                        "here",
                                        "both",
                                        "likewise",
                                        "similarly",
                                        "nevertheless",
                                        "moreover",
                                        "furthermore",
                                        "consequently",
                                        "hence",
                                        "for example",
                                        "for instance",
                                        "in addition",
                                        "as a result",
                                        "in other words",
                                        "on the other hand",
                                        "even so",
                                        "at the same time",
                                        "in that case",
                                        NULL};

bool extractive_asks_how(const char *question)
{
    static const char *const not_how[] = {"how many", "how much", "how often",
                                          "how long", "how come", "how well",
                                          "how big",  "how far",  NULL};
    const char *q = question;
    size_t i;

    while (isspace((unsigned char)*q))
        q++;
    if (strcasestr(q, "steps") != NULL || strcasestr(q, "step by step") != NULL
        || strcasestr(q, "step-by-step") != NULL)
        return true;
    for (i = 0; not_how[i] != NULL; i++)
        if (strncasecmp(q, not_how[i], strlen(not_how[i])) == 0)
            return false;
    return strncasecmp(q, "how ", 4) == 0 || strcasestr(q, " how do ") != NULL
           || strcasestr(q, " how to ") != NULL || strcasestr(q, " how can ") != NULL
           || strcasestr(q, " how should ") != NULL;
}

/* True when the sentence ends with a question mark (before closing quotes
 * or brackets). */
static bool ends_with_question(const char *s, size_t len)
{
    while (len > 0 && (strchr("\"')*", s[len - 1]) != NULL || (unsigned char)s[len - 1] >= 0x80))
        len--;
    return len > 0 && s[len - 1] == '?';
}

/* True when the sentence at s opens with a word or phrase of dependent[]
 * (followed by a space or a comma). */
static bool opens_dependent(const char *s, size_t len)
{
    size_t i;

    for (i = 0; dependent[i] != NULL; i++) {
        size_t n = strlen(dependent[i]);
        if (len > n && strncasecmp(s, dependent[i], n) == 0 && (s[n] == ' ' || s[n] == ','))
            return true;
    }
    return false;
}

/* Returns how many bytes of a heading glued to the start of the sentence
 * at s (len bytes) to cut: a known heading (optionally after "Chapter N:"
 * or "Step N:"), followed by white space and an upper-case letter, a
 * digit or a quote.  0 when none. */
static size_t glued_heading(const struct extract_request *rq, size_t passage, const char *s,
                            size_t len)
{
    size_t i, best = 0;

    for (i = 0; i <= rq->nheadings; i++) {
        const char *h = i < rq->nheadings ? rq->headings[i] : rq->sources[passage].section;
        size_t hl, at = 0;
        if (h == NULL)
            continue;
        while (isspace((unsigned char)*h) || *h == '#')
            h++;
        hl = strlen(h);
        while (hl > 0 && isspace((unsigned char)h[hl - 1]))
            hl--;
        if (hl == 0 || hl >= len)
            continue;
        if (strncmp(s, h, hl) != 0) {
            /* "Chapter 2: Norms That Work" when the heading is "Norms That Work" */
            const char *colon = memchr(s, ':', len < 24 ? len : 24);
            if (colon == NULL || (size_t)(colon - s) + 2 + hl >= len || colon[1] != ' '
                || strncmp(colon + 2, h, hl) != 0)
                continue;
            at = (size_t)(colon - s) + 2;
        }
        at += hl;
        while (at < len && (s[at] == ':' || s[at] == '.'))
            at++;
        if (at < len && isspace((unsigned char)s[at])) {
            size_t next = at;
            while (next < len && isspace((unsigned char)s[next]))
                next++;
            if (next < len
                && (isupper((unsigned char)s[next]) || isdigit((unsigned char)s[next])
                    || s[next] == '"' || (unsigned char)s[next] >= 0x80)
                && next > best)
                best = next;
        }
    }
    return best;
}

/* Words that open sentences: after a heading run into a sentence (PDF
 * text), one of these follows a lower-case word without punctuation. */
static const char *const openers[] = {
    "The",     "A",        "An",       "By",    "In",    "On",    "At",   "When", "If",
    "After",   "Before",   "During",   "Every", "Each",  "Most",  "Many", "Some", "Our",
    "We",      "It",       "This",     "These", "For",   "As",    "One",  "Two",  "Three",
    "Once",    "Then",     "Here",     "There", "What",  "How",   "Why",  "No",   "All",
    "Because", "With",     "Without",  "Teams", "Start", "Begin", "Ask",  "Use",  "Most",
    "Schools", "Students", "Teachers", NULL};

/* A heading glued to the sentence that we were not told about: a run of
 * 2 to 9 words, the first capitalised, then an opener after a word ending
 * in a lower-case letter or a digit.  Returns where the sentence starts,
 * or 0. */
static size_t unknown_heading(const char *s, size_t len)
{
    size_t i = 0, words = 0, k;

    if (len == 0 || !isupper((unsigned char)s[0]))
        return 0;
    while (i < len && words < 10) {
        size_t start = i, n;
        while (i < len && !isspace((unsigned char)s[i]))
            i++;
        n = i - start;
        if (words >= 2 && isupper((unsigned char)s[start])
            && (islower((unsigned char)s[start - 2]) || isdigit((unsigned char)s[start - 2])))
            for (k = 0; openers[k] != NULL; k++)
                if (strlen(openers[k]) == n && strncmp(s + start, openers[k], n) == 0)
                    return start;
        if (n > 0 && strchr(".,;:!?", s[i - 1]) != NULL)
            return 0; /* punctuation: a sentence, not a heading */
        while (i < len && isspace((unsigned char)s[i]))
            i++;
        words++;
    }
    return 0;
}

/* The weight of question term t: the library's IDF when given, else the
 * BM25 IDF among the candidates. */
static double weight(const struct compose_state *st, uint64_t t, bool *substantive)
{
    size_t i, df = 0;

    if (st->rq->weights != NULL) {
        for (i = 0; i < st->rq->nweights; i++)
            if (st->rq->weights[i].term == t) {
                *substantive = st->rq->weights[i].idf >= EXTRACT_SUBSTANCE_IDF;
                return st->rq->weights[i].idf;
            }
        *substantive = false; /* a term the library was not asked about (an expansion) */
        return 0.5;
    }
    *substantive = true;
    for (i = 0; i < st->nc; i++)
        df += terms_has(st->c[i].terms, st->c[i].nterms, t);
    return log(1.0 + ((double)st->nc - (double)df + 0.5) / ((double)df + 0.5));
}

/* Adds the candidate sentences of passage p. */
static void add_candidates(struct compose_state *st, size_t p, size_t *cap)
{
    const char *text = st->rq->sources[p].text;
    struct sentence_span spans[SPANS_PER_PASSAGE];
    size_t ns = sentence_split(text, spans, SPANS_PER_PASSAGE), j;
    size_t prev = NO_PREVIOUS, prev_index = NO_PREVIOUS;

    if (ns > SPANS_PER_PASSAGE)
        ns = SPANS_PER_PASSAGE;
    for (j = 0; j < ns; j++) {
        size_t start = spans[j].start, len = spans[j].len;
        size_t cut = glued_heading(st->rq, p, text + start, len), w;
        if (cut == 0)
            cut = unknown_heading(text + start, len);
        start += cut;
        len -= cut;
        w = sentence_words(text + start, len);
        /* Too short or long, not ending like a sentence (a heading, a cut
         * line), or a question (the book asking, not answering): not
         * quoted. */
        if (w < EXTRACT_MIN_WORDS || w > EXTRACT_MAX_WORDS
            || strchr(".!\"')", text[start + len - 1]) == NULL
            || ends_with_question(text + start, len)) {
            prev = NO_PREVIOUS;
            continue;
        }
        if (st->nc == *cap) {
            *cap = *cap ? *cap * 2 : 32;
            st->c = xrealloc(st->c, *cap * sizeof(*st->c));
        }
        st->c[st->nc] = (struct candidate){
            .passage = p,
            .index = j,
            .start = start,
            .len = len,
            .words = w,
            .order = p * 1000 + j,
            .needs_previous = opens_dependent(text + start, len),
        };
        st->c[st->nc].terms = terms_of(text + start, len, true, &st->c[st->nc].nterms);
        /* By index: the array may still move. */
        st->c[st->nc].previous = prev != NO_PREVIOUS && prev_index + 1 == j ? prev : NO_PREVIOUS;
        prev = st->nc;
        prev_index = j;
        st->nc++;
    }
}

/* The sentence before c in its passage when it is a candidate, or NULL. */
static struct candidate *previous_of(const struct compose_state *st, const struct candidate *c)
{
    return c->previous == NO_PREVIOUS ? NULL : &st->c[c->previous];
}

static void score(struct compose_state *st)
{
    size_t i, j;

    for (i = 0; i < st->nc; i++) {
        struct candidate *c = &st->c[i];
        double s = 0;
        for (j = 0; j < st->nq; j++) {
            bool substantive;
            double w;
            if (!terms_has(c->terms, c->nterms, st->q[j]))
                continue;
            w = weight(st, st->q[j], &substantive);
            c->substance = c->substance || substantive;
            s += w * (terms_has(st->fq, st->nf, st->q[j]) ? 2 : 1);
        }
        c->score =
            (s > 0 ? s / pow((double)(c->nterms ? c->nterms : 1), EXTRACT_LENGTH_EXPONENT) : 0)
            + EXTRACT_RANK_PRIOR / (double)(c->passage + 1);
    }
}

static int by_score(const void *a, const void *b)
{
    const struct candidate *x = *(const struct candidate *const *)a;
    const struct candidate *y = *(const struct candidate *const *)b;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int by_order(const void *a, const void *b)
{
    const struct candidate *x = *(const struct candidate *const *)a;
    const struct candidate *y = *(const struct candidate *const *)b;

    return x->order < y->order ? -1 : x->order > y->order;
}

/* True when c shares EXTRACT_DUPLICATE_SHARE of the smaller term set with
 * one already chosen. */
static bool near_duplicate(const struct compose_state *st, const struct candidate *c)
{
    size_t i;

    for (i = 0; i < st->nchosen; i++) {
        const struct candidate *o = st->chosen[i];
        size_t small = c->nterms < o->nterms ? c->nterms : o->nterms;
        if (small > 0
            && (double)terms_overlap(c->terms, c->nterms, o->terms, o->nterms)
                   >= EXTRACT_DUPLICATE_SHARE * (double)small)
            return true;
    }
    return false;
}

/* Takes x (and the sentence before it, when x needs it) if the limits
 * allow; returns true when taken. */
static bool take(struct compose_state *st, struct candidate *x)
{
    struct candidate *p = x->needs_previous ? previous_of(st, x) : NULL;
    size_t words = x->words + (p != NULL && !p->taken ? p->words : 0);
    size_t extra = p != NULL && !p->taken ? 2 : 1;

    if (x->taken || (x->needs_previous && p == NULL)
        || (p != NULL && p->needs_previous && !p->taken))
        return false;
    if (st->per_passage[x->passage] + extra > EXTRACT_MAX_PER_PASSAGE + (p != NULL)
        || (st->nchosen > 0 && st->words + words > EXTRACT_MAX_WORDS_TOTAL)
        || near_duplicate(st, x))
        return false;
    if (p != NULL && !p->taken) {
        p->taken = true;
        st->chosen[st->nchosen++] = p;
        st->per_passage[p->passage]++;
    }
    x->taken = true;
    st->chosen[st->nchosen++] = x;
    st->per_passage[x->passage]++;
    st->words += words;
    return true;
}

/* Appends the sentence as an exact, cited quotation. */
static void quote(struct buf *out, const struct compose_state *st, const struct candidate *c,
                  size_t len)
{
    const char *text = st->rq->sources[c->passage].text + c->start;
    bool straight = memchr(text, '"', len) != NULL;

    buf_puts(out, straight ? "\xe2\x80\x9c" : "\"");
    buf_append(out, text, len);
    buf_printf(out, "%s [%zu]", straight ? "\xe2\x80\x9d" : "\"", c->passage + 1);
}

/* The length of c's first clause when it can stand alone as a takeaway
 * (TAKEAWAY_MIN_WORDS or more, in a sentence of TAKEAWAY_LONG_WORDS or
 * more), else the whole sentence's. */
static size_t takeaway_length(const struct compose_state *st, const struct candidate *c)
{
    const char *s = st->rq->sources[c->passage].text + c->start;
    size_t i;

    if (c->words < TAKEAWAY_LONG_WORDS)
        return c->len;
    for (i = 0; i < c->len; i++) {
        bool mark = s[i] == ';' || s[i] == ':'
                    || (s[i] == ',' && i + 5 < c->len && strncmp(s + i, ", but ", 6) == 0)
                    || (i + 3 < c->len && strncmp(s + i, " \xe2\x80\x94", 4) == 0);
        if (mark && sentence_words(s, i) >= TAKEAWAY_MIN_WORDS) {
            size_t end = i;
            /* a quotation left open would not pair */
            size_t j, quotes = 0;
            for (j = 0; j < end; j++)
                quotes += s[j] == '"';
            return quotes % 2 == 0 ? end : c->len;
        }
    }
    return c->len;
}

static void write_takeaways(struct buf *out, const struct compose_state *st,
                            struct candidate *const *best, size_t nbest)
{
    const struct candidate *pick[EXTRACT_TAKEAWAYS];
    size_t n = 0, i, j, pass;

    /* Best first, one per source; then others to fill. */
    for (pass = 0; pass < 2 && n < EXTRACT_TAKEAWAYS; pass++)
        for (i = 0; i < nbest && n < EXTRACT_TAKEAWAYS; i++) {
            bool dup = false;
            for (j = 0; j < n; j++)
                dup = dup || pick[j] == best[i]
                      || (pass == 0 && pick[j]->passage == best[i]->passage);
            if (!dup)
                pick[n++] = best[i];
        }
    if (n < 2)
        return;
    buf_puts(out, "\n\n**Key takeaways**\n");
    for (i = 0; i < n; i++) {
        buf_puts(out, "\n- ");
        quote(out, st, pick[i], takeaway_length(st, pick[i]));
    }
}

/* True when c continues the run of the sentence before it in *chosen*
 * order: it needs that sentence, and that sentence is prev. */
static bool continues(const struct compose_state *st, const struct candidate *c,
                      const struct candidate *prev)
{
    return c->needs_previous && prev != NULL && previous_of(st, c) == prev;
}

/* Writes the opening run, then the other runs as points (numbered steps
 * when the question asks how), in source order. */
static void write_body(struct buf *out, struct compose_state *st, const struct candidate *opening)
{
    struct candidate **all = st->chosen;
    size_t n = st->nchosen, i, first = 0, npoints = 0;
    bool steps = extractive_asks_how(st->rq->focus != NULL ? st->rq->focus : st->rq->question);

    qsort(all, n, sizeof(*all), by_order);
    /* The run holding the opening. */
    for (i = 0; i < n; i++) {
        if (i == 0 || !continues(st, all[i], all[i - 1]))
            first = i;
        if (all[i] == opening)
            break;
    }
    for (i = first; i < n && (i == first || continues(st, all[i], all[i - 1])); i++) {
        if (i > first)
            buf_putc(out, ' ');
        quote(out, st, all[i], all[i]->len);
        all[i]->taken = false; /* written */
    }
    for (i = 0; i < n; i++) {
        if (!all[i]->taken)
            continue;
        if (i > 0 && all[i - 1]->taken && continues(st, all[i], all[i - 1])) {
            buf_putc(out, ' ');
        } else {
            buf_puts(out, npoints++ == 0 ? "\n\n" : "\n");
            if (steps)
                buf_printf(out, "%zu. ", npoints);
            else
                buf_puts(out, "- ");
        }
        quote(out, st, all[i], all[i]->len);
    }
    for (i = 0; i < n; i++)
        all[i]->taken = true;
}

static void write_answer(struct buf *out, struct compose_state *st, const struct candidate *opening)
{
    struct candidate **best = xmalloc((st->nchosen + 1) * sizeof(*best));
    size_t i, nbest = 0;

    write_body(out, st, opening);
    /* Takeaways from the cited sentences that stand alone, best first. */
    for (i = 0; i < st->nchosen; i++)
        if (!st->chosen[i]->needs_previous)
            best[nbest++] = st->chosen[i];
    qsort(best, nbest, sizeof(*best), by_score);
    write_takeaways(out, st, best, nbest);
    if (st->rq->nfollowups > 0) {
        buf_puts(out, "\n\n**Suggested follow-up questions**\n");
        for (i = 0; i < st->rq->nfollowups && i < EXTRACT_FOLLOWUPS; i++)
            buf_printf(out, "\n%zu. %s", i + 1, st->rq->followups[i]);
    }
    free(best);
}

static void state_free(struct compose_state *st)
{
    size_t i;

    for (i = 0; i < st->nc; i++)
        free(st->c[i].terms);
    free(st->c);
    free(st->chosen);
    free(st->q);
    free(st->fq);
}

char *extractive_compose(const struct extract_request *rq)
{
    struct compose_state st = {.rq = rq};
    struct candidate **order, *opening = NULL;
    struct buf out = BUF_INIT;
    size_t i, cap = 0, k = rq->k < MAX_PASSAGES ? rq->k : MAX_PASSAGES;

    st.q = terms_of(rq->question, strlen(rq->question), true, &st.nq);
    if (rq->focus != NULL)
        st.fq = terms_of(rq->focus, strlen(rq->focus), true, &st.nf);
    for (i = 0; i < k; i++)
        add_candidates(&st, i, &cap);
    score(&st);
    order = xmalloc((st.nc + 1) * sizeof(*order));
    st.chosen = xmalloc((st.nc + 1) * sizeof(*st.chosen));
    for (i = 0; i < st.nc; i++)
        order[i] = &st.c[i];
    qsort(order, st.nc, sizeof(*order), by_score);
    /* The opening's passage first (it answers best), then the rest. */
    for (i = 0; i < st.nc; i++) {
        struct candidate *x = order[i];
        if (!x->substance)
            continue;
        if (opening == NULL) {
            if (take(&st, x))
                opening = x;
            continue;
        }
        if (x->passage == opening->passage && st.nchosen < EXTRACT_OPENING_PASSAGE)
            take(&st, x);
    }
    for (i = 0; i < st.nc; i++) {
        struct candidate *x = order[i];
        if (!x->substance)
            continue;
        if (opening != NULL
            && (st.nchosen >= EXTRACT_MAX_POINTS + 1
                || x->score < EXTRACT_RELATIVE * opening->score))
            break;
        if (take(&st, x) && opening == NULL)
            opening = x;
    }
    if (opening != NULL)
        write_answer(&out, &st, opening);
    free(order);
    state_free(&st);
    if (opening == NULL) {
        buf_free(&out);
        return NULL;
    }
    return buf_steal(&out);
}
