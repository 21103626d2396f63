/*
 * Acronyms the library spells out; see initials.h.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "library/analyze.h"
#include "library/initials.h"
#include "library/synonyms.h"

#define RUN_WORDS 24   /* words of one run considered; a longer run is cut */
#define PHRASE_MAX 160 /* bytes of a phrase as given */

enum kind { CAPITAL, CONNECTOR };

/* One word of a run: where it is, what it is, and its initials. */
struct word {
    const char *p;
    size_t n;
    enum kind kind;
    char init[INITIALS_MAX + 1]; /* CAPITAL: its parts' first letters */
    size_t ninit;                /* CAPITAL: its parts (may exceed INITIALS_MAX) */
};

static bool upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static bool letter(unsigned char c)
{
    return upper(c) || lower(c);
}

static bool connector(const char *p, size_t n)
{
    static const char *const words[] = {"and", "of", "the", "to", "for"};
    size_t i;

    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i]) == n && memcmp(words[i], p, n) == 0)
            return true;
    return false;
}

/* Classifies the word p[0..n) (letters and inner hyphens) into w; false
 * when it is neither capitalised nor a connector. */
static bool classify(const char *p, size_t n, struct word *w)
{
    size_t i = 0;

    w->p = p;
    w->n = n;
    w->ninit = 0;
    if (connector(p, n)) {
        w->kind = CONNECTOR;
        return true;
    }
    w->kind = CAPITAL;
    while (i < n) {
        size_t start = i, caps = 0;
        for (; i < n && p[i] != '-'; i++)
            caps += upper((unsigned char)p[i]);
        if (!upper((unsigned char)p[start]) || (i - start > 1 && caps == i - start))
            return false;
        if (w->ninit < INITIALS_MAX)
            w->init[w->ninit] = p[start];
        w->ninit++;
        i++; /* the hyphen */
    }
    return true;
}

/* Gives the phrase words[s..e] with the connectors chosen by mask (bit j:
 * the j-th connector of the phrase counts), once per distinct initials. */
static void give(const struct word *w, size_t s, size_t e, initials_fn fn, void *ctx)
{
    char phrase[PHRASE_MAX + 1], seen[1 << INITIALS_CONNECTORS][INITIALS_MAX + 1];
    size_t i, k, len = 0, nconn = 0, nseen = 0;
    unsigned mask;

    for (i = s; i <= e; i++) {
        if (len + w[i].n + 1 > PHRASE_MAX)
            return;
        if (len > 0)
            phrase[len++] = ' ';
        for (k = 0; k < w[i].n; k++)
            phrase[len++] =
                w[i].p[k] == '-'
                    ? ' '
                    : (char)(upper((unsigned char)w[i].p[k]) ? w[i].p[k] + 32 : w[i].p[k]);
        nconn += w[i].kind == CONNECTOR;
    }
    phrase[len] = '\0';
    if (nconn > INITIALS_CONNECTORS)
        return;
    for (mask = 0; mask < (1u << nconn); mask++) {
        char init[INITIALS_MAX + 1];
        size_t n = 0, c = 0, j;
        bool fits = true;
        for (i = s; i <= e && fits; i++) {
            if (w[i].kind == CONNECTOR) {
                if (mask & (1u << c++)) {
                    fits = n < INITIALS_MAX;
                    if (fits)
                        init[n++] = (char)(w[i].p[0] - 32);
                }
                continue;
            }
            fits = n + w[i].ninit <= INITIALS_MAX;
            if (fits) {
                memcpy(init + n, w[i].init, w[i].ninit);
                n += w[i].ninit;
            }
        }
        if (!fits || n < INITIALS_MIN)
            continue;
        init[n] = '\0';
        for (j = 0; j < nseen && strcmp(seen[j], init) != 0; j++)
            ;
        if (j < nseen)
            continue;
        memcpy(seen[nseen++], init, n + 1);
        fn(ctx, init, phrase);
    }
}

/* Gives every phrase of the run w[0..n). */
static void run_phrases(const struct word *w, size_t n, initials_fn fn, void *ctx)
{
    size_t s, e;

    for (s = 0; s < n; s++) {
        size_t letters = 0;
        if (w[s].kind != CAPITAL)
            continue;
        for (e = s; e < n && letters <= INITIALS_MAX; e++) {
            if (w[e].kind != CAPITAL)
                continue;
            letters += w[e].ninit;
            if (letters <= INITIALS_MAX)
                give(w, s, e, fn, ctx);
        }
    }
}

void initials_each(const char *text, initials_fn fn, void *ctx)
{
    const char *p = text;
    struct word w[RUN_WORDS];
    size_t n = 0;

    for (;;) {
        const char *start = p;
        struct word cur;
        bool ok;

        /* A word: letters, with single hyphens between letters. */
        while (letter((unsigned char)*p)
               || (*p == '-' && p > start && letter((unsigned char)p[-1])
                   && letter((unsigned char)p[1])))
            p++;
        ok = p > start && classify(start, (size_t)(p - start), &cur);
        /* A word glued to a byte that is neither a separator nor an
         * opening mark ("3rd", "café") belongs to no phrase; "(What",
         * "**Check" and a quoted word open one. */
        if (ok && start > text && strchr(" \t\n\r([\"'*_", start[-1]) == NULL)
            ok = false;
        if (ok && n == RUN_WORDS) { /* a long run: its phrases so far, then start again */
            run_phrases(w, n, fn, ctx);
            n = 0;
        }
        if (ok)
            w[n++] = cur;
        /* The separator: spaces and tabs, perhaps after one comma,
         * continue the run; anything else ends it, a line break too (a
         * heading over the line after it, a title page's lines, table
         * cells: "Preface" over "Every Child" is no phrase). */
        if (ok && *p == ',' && (p[1] == ' ' || p[1] == '\t'))
            p++;
        if (ok && (*p == ' ' || *p == '\t')) {
            const char *q = p;
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q == '\n' || *q == '\r')
                p = q;
        }
        if (!ok || !(*p == ' ' || *p == '\t')) {
            while (n > 0 && w[n - 1].kind == CONNECTOR)
                n--;
            run_phrases(w, n, fn, ctx);
            n = 0;
            if (*p == '\0')
                return;
            if (p == start)
                p++; /* a byte of no word */
            else if (!ok)
                while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
                    p++;
            continue;
        }
        while (*p == ' ' || *p == '\t')
            p++;
    }
}

/* Whether the lower-case word w is a word of the thesaurus ("ap", "hs"). */
static bool thesaurus_word(const char *w)
{
    size_t i;

    for (i = 0; i < thesaurus_count; i++)
        if (strcmp(thesaurus[i].abbrev, w) == 0)
            return true;
    return false;
}

size_t initials_question(const char *question, struct initials_word *out, size_t max)
{
    const unsigned char *p = (const unsigned char *)question;
    size_t n = 0;

    while (*p != '\0') {
        const unsigned char *start;
        size_t len, caps = 0, i, j;
        char term[ANALYZE_TERM_MAX];
        struct initials_word w;

        while (*p != '\0' && !(letter(*p) || (*p >= '0' && *p <= '9') || *p >= 0x80))
            p++;
        start = p;
        while (letter(*p) || (*p >= '0' && *p <= '9') || *p >= 0x80)
            p++;
        len = (size_t)(p - start);
        for (i = 0; i < len && upper(start[i]); i++)
            caps++;
        if (caps + 1 == len && start[caps] == 's') /* a plural: "ODRs" */
            len--;
        if (caps != len || len < INITIALS_MIN || len > INITIALS_MAX || n == max)
            continue;
        for (i = 0; i < len; i++) {
            w.initials[i] = (char)start[i];
            w.lower[i] = (char)(start[i] + 32);
        }
        w.initials[len] = w.lower[len] = '\0';
        if (synonym_by_abbrev(w.lower, len) != NULL || thesaurus_word(w.lower)
            || analyze_word(w.lower, len, term) == 0)
            continue;
        for (j = 0; j < n && strcmp(out[j].initials, w.initials) != 0; j++)
            ;
        if (j == n)
            out[n++] = w;
    }
    return n;
}
