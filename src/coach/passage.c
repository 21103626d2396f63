/*
 * The structure of a passage; see passage.h.
 *
 * Ownership: passage_parse() allocates out->u and out->s (passage_free()
 * releases them); nothing else is allocated.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coach/passage.h"
#include "coach/sentences.h"
#include "util/alloc.h"
#include "util/buf.h"

#define SPANS_PER_LINE 64
/* The longest heading run into its sentence, and title block. */
#define PASSAGE_HEADING_MAX_WORDS 9
#define PASSAGE_TITLE_MAX_WORDS 40
#define BULLET "\xe2\x80\xa2"
#define RUN_IN_BULLET " " BULLET " "

struct parse {
    const char *text;
    const struct passage_headings *h;
    struct passage *p;
    size_t cap_u, cap_s;
    unsigned para, list, lists; /* the line; the list being read (0: none); lists so far */
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

/* Pronouns that point back from the second or third word ("Writing it
 * first"), and phrases that do from the second to the fourth ("Teams
 * often skip this one"). */
static const char *const early_words[] = {"it", "them", NULL};
static const char *const early_phrases[] = {"this one", "that one", NULL};

/* True when one of list[] is at s + at (len bytes in all), a whole word. */
static bool word_at(const char *s, size_t len, size_t at, const char *const *list)
{
    size_t i;

    for (i = 0; list[i] != NULL; i++) {
        size_t n = strlen(list[i]);
        if (at + n < len && strncasecmp(s + at, list[i], n) == 0
            && strchr(" ,.;:", s[at + n]) != NULL)
            return true;
    }
    return false;
}

bool passage_opens_dependent(const char *s, size_t len)
{
    size_t i, w, at = 0;

    for (i = 0; dependent[i] != NULL; i++) {
        size_t n = strlen(dependent[i]);
        if (len > n && strncasecmp(s, dependent[i], n) == 0 && (s[n] == ' ' || s[n] == ','))
            return true;
    }
    for (w = 1; w <= 3; w++) { /* the second, third and fourth words */
        while (at < len && s[at] != ' ')
            at++;
        while (at < len && s[at] == ' ')
            at++;
        if ((w <= 2 && word_at(s, len, at, early_words)) || word_at(s, len, at, early_phrases))
            return true;
    }
    return false;
}

/* ---- units and sections ------------------------------------------------ */

static void open_section(struct parse *st, const char *heading, size_t hlen)
{
    struct passage *p = st->p;

    if (p->ns == st->cap_s) {
        st->cap_s = st->cap_s ? st->cap_s * 2 : 8;
        p->s = xrealloc(p->s, st->cap_s * sizeof(*p->s));
    }
    p->s[p->ns++] = (struct passage_section){.heading = heading, .hlen = hlen, .first = p->n};
}

static struct passage_unit *add_unit(struct parse *st, enum passage_kind kind, size_t start,
                                     size_t len)
{
    struct passage *p = st->p;
    struct passage_unit *u;

    if (p->n >= PASSAGE_MAX_UNITS)
        return NULL;
    if (p->n == st->cap_u) {
        st->cap_u = st->cap_u ? st->cap_u * 2 : 32;
        p->u = xrealloc(p->u, st->cap_u * sizeof(*p->u));
    }
    u = &p->u[p->n++];
    *u = (struct passage_unit){.kind = kind,
                               .start = start,
                               .len = len,
                               .words = sentence_words(st->text + start, len),
                               .para = st->para,
                               .section = (unsigned)(p->ns - 1)};
    p->s[p->ns - 1].n++;
    if (kind != PASSAGE_ITEM)
        st->list = 0;
    return u;
}

/* A heading unit, which opens a section named name (or by the unit's
 * own text when name is NULL). */
static void add_heading(struct parse *st, size_t start, size_t len, const char *name)
{
    if (st->p->n >= PASSAGE_MAX_UNITS)
        return;
    open_section(st, name != NULL ? name : st->text + start, name != NULL ? strlen(name) : len);
    add_unit(st, PASSAGE_HEADING, start, len);
}

/* ---- headings ------------------------------------------------------------ */

/* n, less the white space that ends the n bytes at s. */
static size_t trim_end(const char *s, size_t n)
{
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return n;
}

/* The n bytes at s without leading '#' and white space: where they start,
 * and (*len) their length without trailing white space. */
static const char *trim_heading(const char *s, size_t n, size_t *len)
{
    while (n > 0 && (isspace((unsigned char)*s) || *s == '#')) {
        s++;
        n--;
    }
    *len = trim_end(s, n);
    return s;
}

/* Calls back the known headings: known[], the section, the chapter. */
static const char *known_heading(const struct passage_headings *h, size_t i, size_t *len)
{
    const char *s = i < h->nknown ? h->known[i] : i == h->nknown ? h->section : h->chapter;
    return s != NULL ? trim_heading(s, strlen(s), len) : NULL;
}

/* True when s (len bytes, trailing ':' or '.' ignored) is a known heading. */
static bool is_known(const struct passage_headings *h, const char *s, size_t len)
{
    size_t i, hl;

    while (len > 0 && (s[len - 1] == ':' || s[len - 1] == '.'))
        len--;
    for (i = 0; i < h->nknown + 2; i++) {
        const char *k = known_heading(h, i, &hl);
        if (k != NULL && hl == len && hl > 0 && strncasecmp(k, s, len) == 0)
            return true;
    }
    return false;
}

/* A known heading run into the start of the sentence at s (len bytes),
 * optionally after "Chapter N: ", followed by white space and an
 * upper-case letter, a digit or a quote: returns where the sentence
 * starts, or 0. */
static size_t glued_known(const struct passage_headings *h, const char *s, size_t len)
{
    size_t i, best = 0;

    for (i = 0; i < h->nknown + 2; i++) {
        size_t hl, at = 0, next;
        const char *k = known_heading(h, i, &hl);
        if (k == NULL || hl == 0 || hl >= len)
            continue;
        if (strncmp(s, k, hl) != 0) {
            const char *colon = memchr(s, ':', len < 24 ? len : 24);
            if (colon == NULL || (size_t)(colon - s) + 2 + hl >= len || colon[1] != ' '
                || strncmp(colon + 2, k, hl) != 0)
                continue;
            at = (size_t)(colon - s) + 2;
        }
        at += hl;
        while (at < len && (s[at] == ':' || s[at] == '.'))
            at++;
        if (at >= len || !isspace((unsigned char)s[at]))
            continue;
        for (next = at; next < len && isspace((unsigned char)s[next]); next++)
            ;
        if (next < len
            && (isupper((unsigned char)s[next]) || isdigit((unsigned char)s[next]) || s[next] == '"'
                || (unsigned char)s[next] >= 0x80)
            && next > best)
            best = next;
    }
    return best;
}

/* Words that open sentences: after a heading run into a sentence (PDF
 * text), one of these follows a lower-case word without punctuation. */
static const char *const openers[] = {
    "The",   "A",     "An",     "By",     "In",      "On",       "At",       "When",
    "If",    "After", "Before", "During", "Every",   "Each",     "Most",     "Many",
    "Some",  "Our",   "We",     "It",     "This",    "These",    "For",      "As",
    "One",   "Two",   "Three",  "Once",   "Then",    "Here",     "There",    "What",
    "How",   "Why",   "No",     "All",    "Because", "With",     "Without",  "Teams",
    "Start", "Begin", "Ask",    "Use",    "Schools", "Students", "Teachers", NULL};

/* A heading nobody named run into its sentence: 2 to 9 words, the first
 * capitalised, then an opener after a word ending in a lower-case letter
 * or a digit.  Returns where the sentence starts, or 0. */
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

static bool in_list(const char *const *list, const char *w, size_t n, bool fold);

/* Words that do not end a clause (articles, prepositions, conjunctions,
 * pronouns, auxiliaries): a capitalised word after one of them is a name
 * inside the sentence ("in Tier 2", "asked her Grade 4 team"), not a
 * sentence after a heading. */
static const char *const clause_words[] = {
    "a",      "an",     "the",     "of",    "to",      "in",       "for",     "with",    "by",
    "on",     "at",     "from",    "and",   "or",      "but",      "as",      "than",    "that",
    "which",  "who",    "whom",    "whose", "is",      "are",      "was",     "were",    "be",
    "been",   "being",  "has",     "have",  "had",     "do",       "does",    "did",     "will",
    "would",  "can",    "could",   "may",   "might",   "must",     "should",  "shall",   "not",
    "no",     "nor",    "into",    "onto",  "upon",    "about",    "over",    "under",   "after",
    "before", "during", "between", "among", "through", "across",   "against", "toward",  "towards",
    "like",   "near",   "per",     "via",   "very",    "more",     "most",    "less",    "least",
    "so",     "if",     "when",    "while", "because", "although", "though",  "whether", "every",
    "each",   "our",    "their",   "his",   "her",     "its",      "my",      "your",    "this",
    "these",  "those",  "we",      "they",  "he",      "she",      "it",      "i",       "you",
    "since",  "until",  NULL};

/* School subjects, capitalised inside a sentence as adjectives ("the ninth
 * grade English teachers"). */
static const char *const subject_words[] = {"English", "Spanish", "French",  "Math", "Reading",
                                            "Science", "History", "Algebra", NULL};

/* True when the capitalised word w (n bytes, next the word after it)
 * can open the sentence after a heading: an opener, or a word that is
 * neither an acronym ("CFA") nor a school subject and is followed by a
 * lower-case word or a number ("Grace and", "Tier 2"). */
static bool opens_after_heading(const char *w, size_t n, const char *next)
{
    size_t i, caps = 0;

    if (in_list(openers, w, n, false))
        return true;
    for (i = 0; i < n; i++)
        caps += isupper((unsigned char)w[i]) || isdigit((unsigned char)w[i]) || w[i] == '-';
    if ((n >= 2 && caps == n) || in_list(subject_words, w, n, false))
        return false;
    return islower((unsigned char)*next) || isdigit((unsigned char)*next);
}

/* A sentence-case heading the reader ran into the first sentence of its
 * paragraph (a PDF heading line that is not in the outline: "Write the
 * system down Grace and her coalition keep ...", "Targeted, not general
 * A Tier 2 group works ..."): 3 to PASSAGE_HEADING_MAX_WORDS words, the
 * first capitalised and the others lower case or numbers, no punctuation
 * but one comma, then a capitalised word after a word that can end a
 * clause (not clause_words) that opens a sentence (opens_after_heading).
 * Prose does not put a capitalised word after such a word unless it is a
 * name, and names are caught by the sentence case: "When Grace ...",
 * "The fifth grade team at Lakeside K-8 ..." are not headings.  Returns
 * where the sentence starts, or 0. */
static size_t paragraph_heading(const char *s, size_t len)
{
    size_t i = 0, words = 0, commas = 0, prev = 0, prev_len = 0;

    if (len == 0 || !isupper((unsigned char)s[0]))
        return 0;
    while (i < len && words <= PASSAGE_HEADING_MAX_WORDS) {
        size_t start = i, n, next;
        while (i < len && !isspace((unsigned char)s[i]))
            i++;
        n = i - start;
        for (next = i; next < len && isspace((unsigned char)s[next]); next++)
            ;
        if (next >= len)
            return 0; /* the sentence's last word: nothing after a heading */
        if (words >= 3 && isupper((unsigned char)s[start])
            && (islower((unsigned char)s[prev + prev_len - 1])
                || isdigit((unsigned char)s[prev + prev_len - 1]))
            && !in_list(clause_words, s + prev, prev_len, true))
            return opens_after_heading(s + start, n, s + next) ? start : 0;
        if (words >= 1 && !islower((unsigned char)s[start]) && !isdigit((unsigned char)s[start]))
            return 0; /* not sentence case */
        if (s[i - 1] == ',') {
            if (++commas > 1)
                return 0;
        } else if (strchr(".;:!?()\"", s[i - 1]) != NULL) {
            return 0; /* a sentence's punctuation */
        }
        prev = start;
        prev_len = n;
        i = next;
        words++;
    }
    return 0;
}

/* The lower-case words a title keeps ("Norms, Agendas and Protocols for
 * Collaborative Teams"). */
static const char *const title_small[] = {"a",  "an", "and", "as", "at",  "by", "for",  "from",
                                          "in", "of", "on",  "or", "the", "to", "with", NULL};

/* The words that open the sentence after a title block: determiners and
 * pronouns, which a title does not end with (unlike "Teams", "Three"). */
static const char *const block_openers[] = {"The",  "A",  "An",    "This",  "These", "That", "Our",
                                            "We",   "It", "Every", "Each",  "Most",  "Many", "Some",
                                            "When", "If", "Here",  "There", NULL};

static bool title_word(const char *w, size_t n)
{
    return isupper((unsigned char)w[0]) || isdigit((unsigned char)w[0])
           || in_list(title_small, w, n, false);
}

/* A title block run into a sentence: the lines of a title page (title,
 * subtitle, authors, the next page's heading) that ingestion joined into
 * one paragraph, "The Team Meeting Playbook Norms, Agendas and Protocols
 * for Collaborative Teams Renata Alvarez and Marcus Webb Sample Content
 * Notice This book is ...".  At least 3 words, each capitalised, a
 * number or a small word of titles ("and", "for", "the"), no punctuation
 * but commas, then the sentence's first word (block_openers) and a word
 * that is none of those; the run holds a comma, is longer than a heading
 * (PASSAGE_HEADING_MAX_WORDS) or comes right after a heading
 * (after_heading: a heading is not followed by a second one in the same
 * sentence).  Returns where the sentence starts, or 0. */
static size_t title_block(const char *s, size_t len, bool after_heading)
{
    size_t i = 0, words = 0, prev = 0, prev_len = 0;
    bool comma = false;

    if (len == 0 || !isupper((unsigned char)s[0]))
        return 0;
    while (i < len && words <= PASSAGE_TITLE_MAX_WORDS) {
        size_t start = i, n;
        while (i < len && !isspace((unsigned char)s[i]))
            i++;
        n = i - start;
        if (!title_word(s + start, n)) {
            /* words - 1 words before the opener at prev */
            if (words < 4 || (!comma && !after_heading && words - 1 <= PASSAGE_HEADING_MAX_WORDS))
                return 0;
            return in_list(block_openers, s + prev, prev_len, false) ? prev : 0;
        }
        if (s[i - 1] == ',')
            comma = true;
        else if (strchr(".;:!?()\"", s[i - 1]) != NULL)
            return 0; /* a sentence's punctuation */
        prev = start;
        prev_len = n;
        while (i < len && isspace((unsigned char)s[i]))
            i++;
        words++;
    }
    return 0;
}

/* True for a chapter opener: "CHAPTER 3", "Chapter 3", "Chapter 3: Title"
 * (no sentence end, at most 12 words). */
static bool chapter_opener(const char *s, size_t len)
{
    size_t i = 8;

    if (len < 9 || strncasecmp(s, "chapter ", 8) != 0 || sentence_words(s, len) > 12
        || strchr(".!?", s[len - 1]) != NULL)
        return false;
    while (i < len && (isdigit((unsigned char)s[i]) || strchr("IVXLivxl", s[i]) != NULL))
        i++;
    return i > 8 && (i == len || s[i] == ':' || s[i] == ' ' || s[i] == '.');
}

/* ---- roles ------------------------------------------------------------- */

/* Ends like a sentence: . ! ? or ':' before closing quotes, brackets or
 * emphasis. */
static char end_mark(const char *s, size_t len)
{
    while (
        len > 0
        && (strchr("\"')*]", s[len - 1]) != NULL
            || (len >= 3 && (unsigned char)s[len - 3] == 0xe2 && (unsigned char)s[len - 2] == 0x80
                && ((unsigned char)s[len - 1] == 0x9d || (unsigned char)s[len - 1] == 0x99))))
        len -= (unsigned char)s[len - 1] >= 0x80 ? 3 : 1;
    return len > 0 && strchr(".!?:", s[len - 1]) != NULL ? s[len - 1] : '\0';
}

static bool in_list(const char *const *list, const char *w, size_t n, bool fold)
{
    size_t i;
    int first = n > 0 ? (fold ? tolower((unsigned char)w[0]) : (unsigned char)w[0]) : 0;

    for (i = 0; list[i] != NULL; i++)
        if ((fold ? tolower((unsigned char)list[i][0]) : (unsigned char)list[i][0]) == first
            && strlen(list[i]) == n
            && (fold ? strncasecmp(list[i], w, n) : strncmp(list[i], w, n)) == 0)
            return true;
    return false;
}

static const char *const past_forms[] = {
    "was",   "were",  "had",     "did",    "said", "told", "asked",   "went",  "came", "took",
    "wrote", "found", "began",   "became", "saw",  "knew", "thought", "felt",  "gave", "spent",
    "made",  "kept",  "brought", "sat",    "ran",  "met",  "left",    "heard", NULL};
static const char *const auxiliaries[] = {
    "is",    "are",  "be",     "been", "being", "was",   "were", "has",   "have",
    "had",   "get",  "gets",   "got",  "will",  "would", "can",  "could", "may",
    "might", "must", "should", "to",   "not",   "well",  NULL};
static const char *const subjects[] = {"she", "he", "they", "we", "i", NULL};
static const char *const not_names[] = {"Tier", "I",       "English", "Spanish",
                                        "Math", "Reading", "Science", NULL};
static const char *const time_words[] = {"January",  "February", "March",  "April",     "May",
                                         "June",     "July",     "August", "September", "October",
                                         "November", "December", "Monday", "Tuesday",   "Wednesday",
                                         "Thursday", "Friday",   NULL};
static const char *const time_phrases[] = {
    "last year",   "last spring",   "last fall",    "last week",   "last month",   "that year",
    "that fall",   "that spring",   "that week",    "weeks later", "months later", "days later",
    "years later", "the next year", "the next day", "one day",     "in the fall",  "in the spring",
    NULL};

struct word {
    size_t start, len;
};

/* The words of a sentence (runs of ASCII letters, apostrophes and
 * hyphens inside them); at most max. */
static size_t words_of(const char *s, size_t len, struct word *w, size_t max)
{
    size_t i = 0, n = 0;

    while (i < len && n < max) {
        size_t start;
        while (i < len && !isalpha((unsigned char)s[i]))
            i++;
        start = i;
        while (i < len && (isalpha((unsigned char)s[i]) || s[i] == '\'' || s[i] == '-'))
            i++;
        if (i > start)
            w[n++] = (struct word){start, i - start};
    }
    return n;
}

/* A capitalised word that does not open its sentence or follow a colon
 * or an opening quote, not all capitals, not a subject's name. */
static bool is_name(const char *s, const struct word *w, size_t i)
{
    const char *p = s + w[i].start;
    size_t b = w[i].start;

    if (i == 0 || w[i].len < 2 || !isupper((unsigned char)p[0]) || !islower((unsigned char)p[1])
        || in_list(not_names, p, w[i].len, false))
        return false;
    while (b > 0 && s[b - 1] == ' ')
        b--;
    return b > 0 && strchr(".:!?\"", s[b - 1]) == NULL && (unsigned char)s[b - 1] != 0x9c;
}

bool passage_past_tense(const char *s, size_t len)
{
    struct word w[96];
    size_t n = words_of(s, len, w, 96), i;

    for (i = 0; i < n; i++) {
        const char *p = s + w[i].start;
        if (i > 0 && in_list(auxiliaries, s + w[i - 1].start, w[i - 1].len, true))
            continue;
        if (in_list(past_forms, p, w[i].len, true))
            return true;
        if (i > 0 && w[i].len >= 5 && strncmp(p + w[i].len - 2, "ed", 2) == 0
            && (in_list(subjects, s + w[i - 1].start, w[i - 1].len, true) || is_name(s, w, i - 1)))
            return true;
    }
    return false;
}

/* True when phrase occurs (case ignored) within the len bytes at s; the
 * search stops there, not at the end of the passage (a passage of several
 * pages has many sentences). */
static bool holds_phrase(const char *s, size_t len, const char *phrase)
{
    size_t n = strlen(phrase), i;
    int first = tolower((unsigned char)phrase[0]);

    for (i = 0; i + n <= len; i++)
        if (tolower((unsigned char)s[i]) == first && strncasecmp(s + i, phrase, n) == 0)
            return true;
    return false;
}

static bool named_sentence(const char *s, size_t len)
{
    struct word w[96];
    size_t n = words_of(s, len, w, 96), i;

    for (i = 0; i < n; i++)
        if (is_name(s, w, i) || in_list(time_words, s + w[i].start, w[i].len, false))
            return true;
    for (i = 0; time_phrases[i] != NULL; i++)
        if (holds_phrase(s, len, time_phrases[i]))
            return true;
    return false;
}

/* Marks the narrative sentences of the paragraph of units [from, to). */
static void mark_narrative(struct passage *p, size_t from, size_t to)
{
    size_t i, sentences = 0, past = 0;
    bool named = false;
    bool *is_past = xcalloc(2 * (to - from) + 2, sizeof(*is_past)),
         *is_named = is_past + to - from + 1;

    for (i = from; i < to; i++) {
        const struct passage_unit *u = &p->u[i];
        if (u->kind != PASSAGE_SENTENCE)
            continue;
        sentences++;
        is_past[i - from] = passage_past_tense(p->text + u->start, u->len);
        past += is_past[i - from];
        is_named[i - from] = named_sentence(p->text + u->start, u->len);
        named = named || is_named[i - from];
    }
    if (named && past > 0 && 2 * past >= sentences)
        for (i = from; i < to; i++)
            p->u[i].narrative =
                p->u[i].kind == PASSAGE_SENTENCE && (is_past[i - from] || is_named[i - from]);
    free(is_past);
}

static void mark_roles(struct passage *p)
{
    size_t i, from = 0;

    for (i = 0; i < p->n; i++) {
        struct passage_unit *u = &p->u[i];
        const char *s = p->text + u->start;
        char end = end_mark(s, u->len);
        u->complete = end != '\0';
        u->question = end == '?';
        u->dependent = u->kind == PASSAGE_SENTENCE && passage_opens_dependent(s, u->len);
        u->lead = u->kind == PASSAGE_SENTENCE && end == ':' && i + 1 < p->n
                  && p->u[i + 1].kind == PASSAGE_ITEM;
        if (i + 1 == p->n || p->u[i + 1].para != u->para) {
            mark_narrative(p, from, i + 1);
            from = i + 1;
        }
    }
}

/* ---- lines ------------------------------------------------------------- */

/* Adds the items of text[from..to), split at run-in bullets. */
static void add_items(struct parse *st, size_t from, size_t to, bool numbered)
{
    if (st->list == 0)
        st->list = ++st->lists; /* a new list */
    while (from < to) {
        const char *b = memmem(st->text + from, to - from, RUN_IN_BULLET, strlen(RUN_IN_BULLET));
        size_t end = b != NULL ? (size_t)(b - st->text) : to;
        size_t e = end;
        while (e > from && isspace((unsigned char)st->text[e - 1]))
            e--;
        if (e > from) {
            unsigned list = st->list;
            struct passage_unit *u = add_unit(st, PASSAGE_ITEM, from, e - from);
            if (u != NULL) {
                u->list = list;
                u->numbered = numbered;
            }
            st->list = list;
        }
        from = b != NULL ? end + strlen(RUN_IN_BULLET) : to;
    }
}

/* Adds the sentences of text[from..to), a paragraph without bullets. */
static void add_prose(struct parse *st, size_t from, size_t to)
{
    struct sentence_span sp[SPANS_PER_LINE];
    size_t n = sentence_split_range(st->text, from, to, sp, SPANS_PER_LINE), i;

    if (n > SPANS_PER_LINE)
        n = SPANS_PER_LINE;
    for (i = 0; i < n; i++) {
        const char *s = st->text + sp[i].start;
        size_t len = sp[i].len, cut, tb;
        if (is_known(st->h, s, len)) {
            add_heading(st, sp[i].start, len, NULL);
            continue;
        }
        cut = glued_known(st->h, s, len);
        if (cut > 0)
            add_heading(st, sp[i].start, trim_end(s, cut), NULL);
        if ((tb = title_block(s + cut, len - cut, cut > 0)) > 0) {
            open_section(st, NULL, 0); /* never quoted, never a label */
            add_unit(st, PASSAGE_FRAGMENT, sp[i].start + cut, trim_end(s + cut, tb));
            cut += tb;
        } else if (cut == 0
                   && ((cut = unknown_heading(s, len)) > 0
                       || (i == 0 && (cut = paragraph_heading(s, len)) > 0))) {
            /* it opens a section, as a known one would */
            add_heading(st, sp[i].start, trim_end(s, cut), NULL);
        }
        if (cut < len)
            add_unit(st, PASSAGE_SENTENCE, sp[i].start + cut, len - cut);
    }
}

static void add_line(struct parse *st, size_t s, size_t e)
{
    const char *line = st->text + s;
    size_t len = e - s, m;
    const char *b;

    st->para++;
    if (line[0] == '#') {
        size_t hl;
        const char *h = trim_heading(line, len, &hl);
        add_heading(st, (size_t)(h - st->text), hl, NULL);
    } else if (is_known(st->h, line, len)) {
        add_heading(st, s, len, NULL);
    } else if (chapter_opener(line, len)) {
        add_heading(st, s, len, st->h->chapter);
    } else if (line[0] == '|') {
        add_unit(st, PASSAGE_FRAGMENT, s, len);
    } else if ((m = sentence_list_marker(line, len)) > 0 && line[0] != '>') {
        add_items(st, s + m, e, isdigit((unsigned char)line[0]));
    } else {
        if (line[0] == '>')
            s += m;
        b = memmem(st->text + s, e - s, RUN_IN_BULLET, strlen(RUN_IN_BULLET));
        add_prose(st, s, b != NULL ? (size_t)(b - st->text) : e);
        if (b != NULL)
            add_items(st, (size_t)(b - st->text) + strlen(RUN_IN_BULLET), e, false);
    }
}

void passage_parse(const char *text, const struct passage_headings *h, struct passage *out)
{
    static const struct passage_headings none = {0};
    struct parse st = {.text = text, .h = h != NULL ? h : &none, .p = out};
    size_t n = strlen(text), pos = 0, i;

    memset(out, 0, sizeof(*out));
    out->text = text;
    open_section(&st, st.h->section, st.h->section != NULL ? strlen(st.h->section) : 0);
    while (pos < n) {
        size_t eol = pos, s, e;
        while (eol < n && text[eol] != '\n')
            eol++;
        s = pos;
        e = eol;
        while (s < e && isspace((unsigned char)text[s]))
            s++;
        while (e > s && isspace((unsigned char)text[e - 1]))
            e--;
        if (e > s)
            add_line(&st, s, e);
        pos = eol + 1;
    }
    /* The passage's own section named in the text: what comes before it
     * belongs to an earlier, unnamed one. */
    for (i = 1; i < out->ns && st.h->section != NULL; i++)
        if (out->s[i].hlen == out->s[0].hlen
            && strncasecmp(out->s[i].heading, st.h->section, out->s[0].hlen) == 0) {
            out->s[0].heading = NULL;
            out->s[0].hlen = 0;
        }
    mark_roles(out);
}

void passage_free(struct passage *p)
{
    free(p->u);
    free(p->s);
    memset(p, 0, sizeof(*p));
}

/* The length of the longest end of a[0..alen) that b opens with (at
 * least PASSAGE_JOIN_MIN_OVERLAP bytes, starting a or after white space);
 * 0 when there is none. */
static size_t overlap(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t p;

    for (p = 0; p + PASSAGE_JOIN_MIN_OVERLAP <= alen; p++) {
        size_t m = alen - p;
        if (m > blen || (p > 0 && !isspace((unsigned char)a[p - 1])))
            continue;
        if (memcmp(a + p, b, m) == 0)
            return m;
    }
    return 0;
}

void passage_join(struct buf *out, const char *const *texts, size_t n, size_t self,
                  size_t *own_start, size_t *own_end)
{
    size_t base = out->len, i;

    *own_start = *own_end = base;
    for (i = 0; i < n; i++) {
        size_t len = strlen(texts[i]), m = 0;
        if (out->len > base) {
            m = overlap(out->data + base, out->len - base, texts[i], len);
            if (m == 0)
                buf_putc(out, '\n');
        }
        if (i == self)
            *own_start = out->len - m;
        buf_append(out, texts[i] + m, len - m);
        if (i == self)
            *own_end = out->len;
    }
}
