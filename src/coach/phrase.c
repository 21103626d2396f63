/*
 * Headings phrased as questions; see phrase.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coach/phrase.h"
#include "coach/words.h"
#include "util/alloc.h"
#include "util/buf.h"

#define PHRASE_MAX_BYTES 300

/* Imperative verbs that open the headings of practical books ("Choose the
 * targets", "Score together"); a heading opening with one becomes "How do
 * we ...?".  Words that are as often nouns ("plan", "map", "focus",
 * "support", "check") are left out: those headings read as noun phrases. */
static const char *const verbs[] = {
    "choose",     "decide",    "write",    "set",     "score",     "build",   "use",
    "start",      "begin",     "make",     "give",    "keep",      "look",    "ask",
    "create",     "define",    "identify", "select",  "share",     "review",  "track",
    "monitor",    "respond",   "name",     "find",    "agree",     "collect", "analyze",
    "analyse",    "celebrate", "schedule", "protect", "establish", "develop", "design",
    "align",      "unpack",    "teach",    "reteach", "measure",   "prepare", "organize",
    "organise",   "run",       "hold",     "involve", "engage",    "invite",  "compare",
    "prioritize", "clarify",   "commit",   "extend",  "adjust",    "reflect", "communicate",
    "avoid",      "turn",      "take",     "bring",   "get",       "put",     "move",
    "revisit",    "rewrite",   "listen",   "learn",   "guard",     NULL};

/* Words that open a heading that is already a question. */
static const char *const question_words[] = {"what",  "how",    "why",   "who",   "which",
                                             "where", "is",     "are",   "do",    "does",
                                             "can",   "should", "could", "would", NULL};

/* Second words that make "What ...", "Who ..." a direct question ("What
 * makes a goal SMART", "Who decides"); after any other ("What the
 * principal does") the heading is an embedded question, a noun phrase. */
static const char *const direct[] = {
    "is",      "are",     "was",     "were",   "do",    "does",  "did",   "can",     "could",
    "should",  "would",   "will",    "has",    "have",  "makes", "make",  "made",    "changes",
    "happens", "works",   "matters", "counts", "helps", "goes",  "comes", "decides", "owns",
    "leads",   "belongs", "if",      "about",  "now",   "not",   NULL};

/* Words that stand for something said before the heading ("Who belongs
 * on it"): such a heading means nothing as a question on its own. */
static const char *const pronouns[] = {"it",    "its",   "they",  "them",
                                       "their", "these", "those", NULL};

/* True when a word of s (cleaned) is one of pronouns. */
static bool leans_on_context(const char *s)
{
    while (*s != '\0') {
        size_t n = strcspn(s, " ");
        if (words_in_list_n(s, n, pronouns))
            return true;
        s += n;
        while (*s == ' ')
            s++;
    }
    return false;
}

/* Words that name the asker's own group or setting, which every question
 * but a heading's own already names ("What should our team know about
 * ...", "How do we ..."): a heading with no other word but stop words
 * (words.h) says nothing as such a question ("The team": "What should
 * our team know about the team?"; small38). */
static const char *const own_group[] = {
    "team",     "teams",        "teammates", "plc",         "plcs",       "school", "schools",
    "staff",    "faculty",      "teacher",   "teachers",    "colleagues", "group",  "groups",
    "learning", "professional", "community", "communities", NULL};

/* True when every word of s (cleaned) is a stop word or one of own_group:
 * the question it makes would be about the asker's own team. */
static bool only_own_group(const char *s)
{
    struct words ws;
    size_t i;

    words_split(s, &ws);
    for (i = 0; i < ws.n; i++)
        if (!words_is_stop(ws.w[i]) && !words_in_list_n(ws.w[i], strlen(ws.w[i]), own_group))
            return false;
    return true;
}

/* Words that, before a verb mark, show the mark is in a relative clause
 * or an embedded question ("Signs a team is on track", "Choosing what is
 * essential"), not the heading's own verb; an article opening the heading
 * ("The time is for teams") does not. */
static const char *const clause_words[] = {"a",    "an",   "the", "that", "which", "who",
                                           "when", "what", "how", "why",  "where", NULL};

/* Words after which the first word of a heading is a verb (an imperative:
 * "Audit the meetings", "Plan the exit on the first day"). */
static const char *const determiners[] = {"the",   "a",    "an",    "your", "our",
                                          "their", "each", "every", NULL};

/* First words that are never imperative verbs, though a determiner follows
 * them. */
static const char *const not_verbs[] = {
    "in",     "on",      "at",     "inside",  "outside", "under",   "over",   "after",  "before",
    "beyond", "from",    "with",   "without", "within",  "across",  "around", "behind", "between",
    "into",   "through", "toward", "towards", "about",   "for",     "of",     "by",     "all",
    "only",   "just",    "not",    "once",    "during",  "against", "beside", "like",   "near",
    "every",  "each",    "both",   "half",    "why",     "what",    "how",    "when",   "where",
    "who",    "which",   "whose",  "if",      "as",      "so",      "to",     "up",     "down",
    "off",    "out",     "past",   "since",   "until",   "upon",    "via",    NULL};

/* Prepositions that open a heading naming a move ("From weak to strong",
 * "Beyond one principal"): "What should our team know about going ...?". */
static const char *const moves[] = {"from", "beyond", NULL};

/* Labels of a time before a heading's colon ("Week 3: response", "October:
 * the first common assessment"): the question asks about the rest, "in"
 * that time. */
static const char *const months[] = {"january",  "february", "march",  "april",     "may",
                                     "june",     "july",     "august", "september", "october",
                                     "november", "december", NULL};

/* Openings of a heading that sets an aside to the section before it
 * ("An example with numbers", "A note on time"): about nothing on its
 * own. */
static const char *const asides[] = {"an example ", "a note on ", NULL};

/* True when s (cleaned) opens with one of asides, case ignored. */
static bool is_aside(const char *s)
{
    size_t i;

    for (i = 0; asides[i] != NULL; i++)
        if (strncasecmp(s, asides[i], strlen(asides[i])) == 0)
            return true;
    return false;
}

/* Headings of a book's apparatus, not of its subject. */
static const char *const apparatus[] = {"introduction",
                                        "conclusion",
                                        "summary",
                                        "references",
                                        "notes",
                                        "appendix",
                                        "acknowledgments",
                                        "acknowledgements",
                                        "contents",
                                        "index",
                                        "preface",
                                        "foreword",
                                        "bibliography",
                                        "glossary",
                                        "about the authors",
                                        "about the author",
                                        "chapter summary",
                                        "key points",
                                        "reflection questions",
                                        "questions for reflection",
                                        "discussion questions",
                                        "questions for your team",
                                        "a last word",
                                        "a closing word",
                                        "a final word",
                                        "an example",
                                        NULL};

/* Marks of a heading that reads as a statement. */
static const char *const statements[] = {" does not ", " do not ",  " is not ", " are not ",
                                         " is ",       " are ",     " means ",  " mean ",
                                         " isn't ",    " doesn't ", NULL};

static bool is_numbering(const char *w, size_t n)
{
    size_t i, digits = 0, roman = 0;

    for (i = 0; i < n; i++) {
        if (isdigit((unsigned char)w[i]))
            digits++;
        else if (strchr("ivxlcIVXLC", w[i]) != NULL)
            roman++;
        else if (strchr(".:)-", w[i]) == NULL)
            return false;
    }
    return digits > 0 || roman > 0;
}

/* Copies heading into out without its numbering ("Chapter 3:", "Step 2 -",
 * "4."), trailing punctuation and runs of white space. */
static void clean(const char *heading, struct buf *out)
{
    const char *p = heading, *q;
    size_t n;

    while (isspace((unsigned char)*p))
        p++;
    for (;;) { /* "Chapter 3:", "Step 2.", "Part II", "4." */
        size_t w = strcspn(p, " \t\n");
        if ((w == 7 && strncasecmp(p, "chapter", 7) == 0)
            || (w == 4 && strncasecmp(p, "step", 4) == 0)
            || (w == 4 && strncasecmp(p, "part", 4) == 0)
            || (w == 7 && strncasecmp(p, "section", 7) == 0)) {
            q = p + w;
            while (isspace((unsigned char)*q))
                q++;
            n = strcspn(q, " \t\n");
            if (n == 0 || !is_numbering(q, n))
                break;
            p = q + n;
        } else if (w > 0 && is_numbering(p, w)
                   && (p[w - 1] == '.' || p[w - 1] == ')' || p[w - 1] == ':')) {
            p += w;
        } else {
            break;
        }
        while (isspace((unsigned char)*p) || *p == ':' || *p == '-' || *p == '.')
            p++;
    }
    for (; *p != '\0'; p++) {
        if (isspace((unsigned char)*p)) {
            if (out->len > 0 && out->data[out->len - 1] != ' ')
                buf_putc(out, ' ');
        } else {
            buf_putc(out, *p);
        }
    }
    while (out->len > 0 && strchr(" .:;,", out->data[out->len - 1]) != NULL)
        out->data[--out->len] = '\0';
}

/* Words kept as written even in Title Case: names. */
static const char *const names[] = {
    "january",   "february",  "march",   "april",    "may",      "june",   "july",
    "august",    "september", "october", "november", "december", "monday", "tuesday",
    "wednesday", "thursday",  "friday",  "english",  "spanish",  "i",      NULL};

/* True when the n bytes at w are one word in Title Case (an upper-case
 * letter, then lower-case letters or apostrophes), not a name. */
static bool title_case(const char *w, size_t n)
{
    size_t j;

    if (n == 0 || !isupper((unsigned char)w[0]) || words_in_list_n(w, n, names))
        return false;
    for (j = 1; j < n; j++)
        if (!islower((unsigned char)w[j]) && w[j] != '\'')
            return false;
    return true;
}

/* The length of word w (n bytes) without the punctuation after it. */
static size_t word_core(const char *w, size_t n)
{
    while (n > 0 && strchr(",:;.!?)\"", w[n - 1]) != NULL)
        n--;
    return n;
}

/* Appends word w (n bytes) lower-cased when it (or each hyphenated part)
 * is in Title Case, except before a number ("Tier 2", "Week 0"); the
 * punctuation after it does not count.  next: the word after it or "". */
static void put_word(struct buf *out, const char *w, size_t n, const char *next)
{
    size_t core = word_core(w, n), i, start = 0;
    bool before_number = isdigit((unsigned char)next[0]);

    for (i = 0; i <= core; i++) {
        size_t j;
        bool lower;
        if (i < core && w[i] != '-')
            continue;
        lower = !before_number && title_case(w + start, i - start);
        for (j = start; j < i; j++)
            buf_putc(out, lower ? (char)tolower((unsigned char)w[j]) : w[j]);
        if (i < core)
            buf_putc(out, '-');
        start = i + 1;
    }
    buf_append(out, w + core, n - core);
}

/* Words after which "you" is a subject ("Learn before you decide", "What
 * do you do"): conjunctions and auxiliaries; after any other word ("items
 * that teach you something", "what they need from you") it is an object. */
static const char *const before_subject[] = {
    "before",  "after", "when", "if",   "once",  "until",  "while", "as",
    "because", "so",    "that", "what", "how",   "where",  "since", "unless",
    "do",      "does",  "did",  "can",  "could", "should", "would", "will",
    "are",     "were",  "have", "and",  "or",    "but",    NULL};

/* The asker's team's own word for the heading's word at w (core bytes,
 * the punctuation after it not counted) when it is "you" or "your"...,
 * else NULL: every question names the asker's team as "we" ("Learn
 * before you decide" -> "How do we learn before we decide?"); "you"
 * opening the words or after a word of before_subject is "we", else
 * "us".  prev: the word before it (prevlen bytes, 0 when none). */
static const char *our_word(const char *w, size_t core, const char *prev, size_t prevlen)
{
    static const char *const yours[] = {"your", "yours", "yourself", "yourselves", NULL};
    static const char *const ours[] = {"our", "ours", "ourselves", "ourselves", NULL};
    size_t i;

    if (core == 3 && strncasecmp(w, "you", 3) == 0)
        return prevlen == 0 || words_in_list_n(prev, prevlen, before_subject) ? "we" : "us";
    for (i = 0; yours[i] != NULL; i++)
        if (strlen(yours[i]) == core && strncasecmp(w, yours[i], core) == 0)
            return ours[i];
    return NULL;
}

/* Appends the words of s (one space between them) lower-cased as above,
 * "you" and "your"... as the asker's team's own (our_word()). */
static void put_words(struct buf *out, const char *s)
{
    const char *prev = s;
    size_t prevlen = 0;

    while (*s != '\0') {
        size_t n = strcspn(s, " "), core = word_core(s, n);
        const char *next = s[n] == ' ' ? s + n + 1 : s + n;
        const char *ours = our_word(s, core, prev, prevlen);
        if (ours != NULL) {
            buf_puts(out, ours);
            buf_append(out, s + core, n - core);
        } else
            put_word(out, s, n, next);
        prev = s;
        prevlen = core;
        s = next;
        if (*s != '\0')
            buf_putc(out, ' ');
    }
}

static size_t count_words(const char *s)
{
    size_t n = 0;

    while (*s != '\0') {
        while (*s == ' ')
            s++;
        if (*s == '\0')
            break;
        n++;
        s += strcspn(s, " ");
    }
    return n;
}

/* True when s (cleaned) reads as a statement: a verb mark within its
 * first PHRASE_STATEMENT_WORDS words ("Team leader and facilitator are
 * not the same job"), with no article, relative or question word after
 * its first word before it. */
static bool is_statement(const char *s)
{
    size_t i, w;
    const char *p = s;

    if (words_in_list_n(s, strcspn(s, " "), question_words))
        return false;
    for (w = 0; w < PHRASE_STATEMENT_WORDS && *p != '\0'; w++) {
        size_t n = strcspn(p, " ");
        if (w > 0 && words_in_list_n(p, n, clause_words))
            return false;
        p += n;
        for (i = 0; statements[i] != NULL; i++)
            if (strncasecmp(p, statements[i], strlen(statements[i])) == 0)
                return true;
        if (*p == ' ')
            p++;
    }
    return false;
}

/* True when the n bytes at s are a label of a time (phrase.h): "Week 3",
 * "Day 1", or month names joined by "and", "to" or "through" ("August
 * and September", "February to April"). */
static bool time_label(const char *s, size_t n)
{
    static const char *const units[] = {"week", "day", "month", "year", NULL};
    static const char *const joins[] = {"and", "to", "through", NULL};
    size_t i = 0, w = 0;

    while (i < n) {
        size_t l = strcspn(s + i, " ");
        if (l > n - i)
            l = n - i;
        if (w == 0 && words_in_list_n(s, l, units)) {
            const char *d = s + l + 1;
            return l + 1 < n && isdigit((unsigned char)*d) && strspn(d, "0123456789") == n - l - 1;
        }
        if (!words_in_list_n(s + i, l, w % 2 == 0 ? months : joins))
            return false; /* month, join, month, ... */
        w++;
        i += l;
        while (i < n && s[i] == ' ')
            i++;
    }
    return w % 2 == 1;
}

/* Words a number may follow in a heading that still reads as a topic: a
 * level of support or schooling ("Tier 2", "Grade 4"). */
static const char *const numbered_topics[] = {"tier",  "tiers",  "grade", "grades",
                                              "level", "levels", NULL};

/* First words of a heading that labels a figure or a handout of the page,
 * not a topic ("Figure 3.1", "Table: ...", "Worksheet"). */
static const char *const exhibits[] = {"figure",    "fig",     "table",    "exhibit", "chart",
                                       "worksheet", "handout", "template", "form",    NULL};

/* True when s (cleaned) does not read as a topic a teacher would ask about
 * (phrase.h): a time numbered ("Week 3:
 * response", "Day 1"), a number not after a level ("Tier 2", "Grade 4"
 * stay; "The 3 questions", "1990s" do not), a figure or a handout. */
static bool not_topic(const char *s)
{
    size_t i = 0, prev = 0, prevlen = 0, first = strcspn(s, " :.");

    if (words_in_list_n(s, first, exhibits))
        return true;
    while (s[i] != '\0') {
        size_t l = strcspn(s + i, " ");
        size_t k;
        for (k = 0; k < l; k++)
            if (isdigit((unsigned char)s[i + k])) {
                if (prevlen == 0 || !words_in_list_n(s + prev, prevlen, numbered_topics))
                    return true;
                break;
            }
        prev = i;
        prevlen = l;
        while (prevlen > 0 && strchr(":;,.", s[prev + prevlen - 1]) != NULL)
            prevlen--;
        i += l;
        while (s[i] == ' ')
            i++;
    }
    return false;
}

/* The label of a time before the colon of s, lower-cased but for month
 * names ("week 3", "August and September"), into out; returns the rest
 * after the colon, or NULL when s has no such label. */
static const char *time_rest(const char *s, struct buf *out)
{
    const char *colon = strstr(s, ": ");

    if (colon == NULL || !time_label(s, (size_t)(colon - s)))
        return NULL;
    if (words_in_list_n(s, strcspn(s, " :"), months))
        buf_append(out, s, (size_t)(colon - s));
    else {
        buf_putc(out, (char)tolower((unsigned char)s[0]));
        buf_append(out, s + 1, (size_t)(colon - s - 1));
    }
    return colon + 2;
}

/* True when s (cleaned) opens with a verb: one of verbs, or a word that
 * is not a plural noun, a preposition or a question word followed by a
 * determiner ("Audit the meetings", "Include a respected skeptic"). */
static bool opens_with_verb(const char *s, size_t first, const char *second)
{
    size_t i;

    if (words_in_list_n(s, first, verbs))
        return true;
    if (first < 3 || !words_in_list_n(second, strcspn(second, " "), determiners)
        || words_in_list_n(s, first, not_verbs) || (s[first - 1] == 's' && s[first - 2] != 's'))
        return false;
    for (i = 0; i < first; i++)
        if (!isalpha((unsigned char)s[i]))
            return false;
    return true;
}

/* True when s (cleaned) asks a quantity of nothing it names: "how many"
 * or "how much" right before a verb ("How many is right?", "How much is
 * too much?"), "how long" or "how often" right before "is" or "are"
 * ("How long is enough?"): the thing counted is the section's before. */
static bool asks_unnamed_quantity(const char *s)
{
    static const char *const counts[] = {"many", "much", NULL};
    static const char *const spans[] = {"long", "often", NULL};
    static const char *const verbs_after[] = {"is",    "are",   "was",   "were",   "do",
                                              "does",  "did",   "can",   "should", "will",
                                              "would", "could", "makes", "counts", NULL};
    const char *second, *third;
    size_t n1 = strcspn(s, " "), n2;

    if (n1 != 3 || strncasecmp(s, "how", 3) != 0 || s[n1] != ' ')
        return false;
    second = s + n1 + 1;
    n2 = strcspn(second, " ?");
    if (second[n2] != ' ')
        return false;
    third = second + n2 + 1;
    if (words_in_list_n(second, n2, counts))
        return words_in_list_n(third, strcspn(third, " ?"), verbs_after);
    return words_in_list_n(second, n2, spans)
           && words_in_list_n(third, strcspn(third, " ?"),
                              (const char *const[]){"is", "are", NULL});
}

/* The question for s (cleaned, words words): by its first word (phrase.h),
 * into out. */
static void phrase_cleaned(const char *s, size_t words, struct buf *out)
{
    size_t first = strcspn(s, " ");
    const char *second = s[first] == ' ' ? s + first + 1 : s + first;

    if (*s == '\0' || asks_unnamed_quantity(s))
        return; /* "How many is right?": about what came before */
    if (s[strlen(s) - 1] == '?'
        || (words_in_list_n(s, first, question_words)
            && words_in_list_n(second, strcspn(second, " "), direct))) {
        if (words <= PHRASE_MIN_QUESTION_WORDS)
            return; /* "Who decides", "Why now": about what came before */
        buf_putc(out, (char)toupper((unsigned char)s[0]));
        put_words(out, s + 1);
        if (out->data[out->len - 1] != '?')
            buf_putc(out, '?');
    } else if (only_own_group(s)) {
        return; /* "The team": about the asker's own team, nothing else */
    } else if (words_in_list_n(s, first, (const char *const[]){"when", "if", NULL})) {
        buf_puts(out, "What should we do ");
        put_words(out, s);
        buf_putc(out, '?');
    } else if (is_statement(s)) {
        buf_puts(out, "Why does the library say that ");
        put_words(out, s);
        buf_putc(out, '?');
    } else if (first > 5 && strncasecmp(s + first - 3, "ing", 3) == 0) {
        buf_puts(out, "How do we go about ");
        put_words(out, s);
        buf_putc(out, '?');
    } else if (opens_with_verb(s, first, second)) {
        buf_puts(out, "How do we ");
        put_words(out, s);
        buf_putc(out, '?');
    } else {
        buf_puts(out, words_in_list_n(s, first, moves) ? "What should our team know about going "
                                                       : "What should our team know about ");
        put_words(out, s);
        buf_putc(out, '?');
    }
}

char *phrase_question(const char *heading)
{
    struct buf h = BUF_INIT, out = BUF_INIT, label = BUF_INIT;
    const char *s, *rest;
    size_t words;
    char *result = NULL;

    clean(heading, &h);
    s = buf_str(&h);
    words = count_words(s);
    if (words < PHRASE_MIN_WORDS || words > PHRASE_MAX_WORDS || h.len > PHRASE_MAX_BYTES
        || words_in_list_n(s, h.len, apparatus) || is_aside(s) || leans_on_context(s)
        || not_topic(s))
        goto done;
    if ((rest = time_rest(s, &label)) != NULL) { /* "August and September: foundations" */
        phrase_cleaned(rest, count_words(rest), &out);
        if (out.len == 0)
            goto done;
        out.data[--out.len] = '\0'; /* its '?' */
        buf_puts(&out, " in ");
        buf_append(&out, label.data, label.len);
        buf_putc(&out, '?');
    } else {
        if (strncasecmp(s, "sidebar: ", 9) == 0)
            s += 9;
        phrase_cleaned(s, count_words(s), &out);
    }
    if (out.len > 0)
        result = buf_steal(&out);
done:
    buf_free(&h);
    buf_free(&label);
    buf_free(&out);
    return result;
}

bool phrase_same(const char *a, const char *b)
{
    struct buf x = BUF_INIT, y = BUF_INIT;
    bool same;

    clean(a, &x);
    clean(b, &y);
    same = x.len == y.len && strncasecmp(buf_str(&x), buf_str(&y), x.len) == 0;
    buf_free(&x);
    buf_free(&y);
    return same;
}
