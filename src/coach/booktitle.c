/*
 * A question that names a book; see booktitle.h (the rule).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coach/booktitle.h"
#include "coach/words.h"
#include "util/buf.h"

#define NAME_MAX_WORDS 5 /* (a): words between "the" and the book noun */

static const char *const nouns[] = {"book",     "books",    "playbook", "handbook", "guidebook",
                                    "workbook", "textbook", "guide",    "manual",   NULL};

/* "book" followed by one of these is a modifier, not a book ("book study"). */
static const char *const book_modifiers[] = {
    "study",  "studies", "club",  "clubs",   "talk",     "talks",   "list",   "lists",
    "room",   "rooms",   "shelf", "shelves", "bag",      "bags",    "report", "reports",
    "fair",   "swap",    "order", "orders",  "review",   "reviews", "group",  "groups",
    "circle", "circles", "nook",  "budget",  "rotation", NULL};

/* (a): words right after "the" that say which part or which copy of a
 * book is meant, not its name ("the whole book", "the next handbook");
 * they are left out of the name (absent35b). */
static const char *const which[] = {
    "whole", "entire", "same",  "next",    "last",    "first",    "second",   "third",
    "final", "other",  "new",   "old",     "full",    "complete", "original", "actual",
    "main",  "right",  "wrong", "latest",  "current", "previous", "rest",     "little",
    "big",   "thick",  "thin",  "updated", "revised", NULL};

/* Small words of a title (they may stand between title words). */
static const char *const small[] = {"a",  "an", "the",  "of", "and",  "by",   "for", "in",
                                    "on", "to", "with", "at", "from", "that", NULL};

/* (a): "the X book" is a school's own record or document when X opens
 * with one of these. */
static const char *const owners[] = {
    "staff",    "student",  "students", "parent",   "parents", "family", "families", "teacher",
    "teachers", "employee", "faculty",  "district", "school",  "grade",  "grades",   "note",
    "notes",    "record",   "records",  "lesson",   "lessons", "plan",   "plans",    "year",
    "work",     "phone",    "address",  "guest",    "code",    "log",    "class",    "course",
    "answer",   "answers",  "sketch",   "pacing",   "scoring", "study",  "style",    "coloring",
    "picture",  "chapter",  "library",  NULL};

static bool is_noun(const struct words *ws, size_t i)
{
    if (!words_in_list(ws->w[i], nouns))
        return false;
    if (strcmp(ws->w[i], "book") != 0 && strcmp(ws->w[i], "books") != 0)
        return true;
    return i + 1 >= ws->n || !words_in_list(ws->w[i + 1], book_modifiers);
}

/* A word that starts with an upper-case letter and a lower-case one, not
 * the question's first word. */
static bool is_title(const char *q, const struct words *ws, size_t i)
{
    const char *s = q + ws->start[i];

    return i > 0 && ws->len[i] >= 2 && isupper((unsigned char)s[0]) && islower((unsigned char)s[1]);
}

static bool is_small(const struct words *ws, size_t i)
{
    return words_in_list(ws->w[i], small);
}

/* True when only spaces, hyphens, commas and colons lie between words i
 * and i + 1 (a title's words may be so joined; a clause's end not). */
static bool joined(const char *q, const struct words *ws, size_t i)
{
    size_t k;

    for (k = ws->start[i] + ws->len[i]; k < ws->start[i + 1]; k++)
        if (q[k] != ' ' && q[k] != '-' && q[k] != ',' && q[k] != ':')
            return false;
    return true;
}

/* The length of a double quote (straight or curly) at s, or 0. */
static size_t quote_at(const char *s)
{
    if (*s == '"')
        return 1;
    if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80
        && ((unsigned char)s[2] == 0x9c || (unsigned char)s[2] == 0x9d))
        return 3;
    return 0;
}

/* Word i's quoted region: the index of the region it lies in (1, 2, ...),
 * 0 when outside quotes.  Quotes pair up in order of appearance. */
static size_t quoted(const char *q, const struct words *ws, size_t i)
{
    size_t k = 0, region = 0, ql;
    bool inside = false;

    while (q[k] != '\0' && k < ws->start[i]) {
        ql = quote_at(q + k);
        if (ql > 0) {
            inside = !inside;
            if (inside)
                region++;
            k += ql;
        } else {
            k++;
        }
    }
    if (!inside)
        return 0;
    for (k = ws->start[i]; q[k] != '\0'; k++) /* a closing quote must follow */
        if (quote_at(q + k) > 0)
            return region;
    return 0;
}

/* Word w normalised for matching: "'s" and a plural "s" left off (not
 * from -ss, -us, -is), lower case already. */
static void norm_word(const char *w, char out[32])
{
    size_t n;

    snprintf(out, 32, "%s", w);
    n = strlen(out);
    if (n > 2 && out[n - 2] == '\'' && out[n - 1] == 's')
        out[n -= 2] = '\0';
    if (n > 3 && out[n - 1] == 's' && out[n - 2] != 's' && out[n - 2] != 'u' && out[n - 2] != 'i')
        out[n - 1] = '\0';
}

/* Fills b from words i..j (inclusive) of q, the name shown from byte
 * show_from to show_to; true when it has a content word and the name shows
 * at least one word. */
static bool take(const char *q, const struct words *ws, size_t i, size_t j, size_t show_from,
                 size_t show_to, struct book_named *b)
{
    size_t k, o = 0;

    b->nwords = 0;
    for (k = i; k <= j && b->nwords < BOOKTITLE_WORDS; k++)
        if (strlen(ws->w[k]) >= 2 && !words_is_stop(ws->w[k]) && !words_in_list(ws->w[k], nouns))
            norm_word(ws->w[k], b->words[b->nwords++]);
    if (b->nwords == 0)
        return false;
    for (k = show_from; k < show_to && o + 1 < sizeof(b->name); k++) {
        size_t ql = quote_at(q + k);

        char c = ql == 0 && (unsigned char)q[k] >= 0x20 ? q[k] : ' '; /* words stay apart */

        if (c != ' ' || (o > 0 && b->name[o - 1] != ' '))
            b->name[o++] = c;
        if (ql > 1)
            k += ql - 1;
    }
    b->cut = k < show_to;
    if (b->cut) /* cut at a word */
        while (o > 0 && b->name[o - 1] != ' ')
            o--;
    while (o > 0 && (b->name[o - 1] == ' ' || b->name[o - 1] == ','))
        o--;
    b->name[o] = '\0';
    if (o == 0) { /* its first word alone is longer than a name: no name */
        b->nwords = 0;
        b->cut = false;
        return false;
    }
    b->end = show_to;
    return true;
}

/* (a): "the" + 1..NAME_MAX_WORDS words + the book noun at j. */
static bool the_noun(const char *q, const struct words *ws, size_t j, struct book_named *b)
{
    size_t k = j, first;
    bool titled = true, guide = strcmp(ws->w[j], "guide") == 0 || strcmp(ws->w[j], "manual") == 0;

    for (;;) {
        if (k == 0)
            return false;
        k--;
        if (!joined(q, ws, k))
            return false;
        if (strcmp(ws->w[k], "the") == 0)
            break;
        if (j - k > NAME_MAX_WORDS || (words_is_stop(ws->w[k]) && !is_small(ws, k))
            || strcmp(ws->w[k], "a") == 0 || strcmp(ws->w[k], "an") == 0)
            return false;
        if (!is_title(q, ws, k) && !is_small(ws, k))
            titled = false;
    }
    first = k + 1;
    while (first < j && words_in_list(ws->w[first], which))
        first++;
    if (first == j || words_in_list(ws->w[first], owners))
        return false;
    if (guide && !titled
        && (quoted(q, ws, first) == 0 || quoted(q, ws, first) != quoted(q, ws, j - 1)))
        return false;
    return take(q, ws, first, j - 1, ws->start[first], ws->start[j] + ws->len[j], b);
}

/* Whether words i..i+n-1 are the phrase (lower-case words separated by
 * one space). */
static bool phrase_at(const struct words *ws, size_t i, const char *phrase)
{
    char w[32];
    const char *p = phrase, *e;

    for (; *p != '\0'; i++) {
        e = strchr(p, ' ');
        if (e == NULL)
            e = p + strlen(p);
        if (i >= ws->n || (size_t)(e - p) >= sizeof(w))
            return false;
        memcpy(w, p, (size_t)(e - p));
        w[e - p] = '\0';
        if (strcmp(ws->w[i], w) != 0)
            return false;
        p = *e == ' ' ? e + 1 : e;
    }
    return true;
}

/* Whether the run i..j (2+ title words or quoted) is asked about as a
 * book: a book noun in, after or before it, or a question about a book
 * around it (the rule's (b) and (c)). */
static bool run_is_book(const struct words *ws, size_t i, size_t j)
{
    if (is_noun(ws, j) || (j + 1 < ws->n && is_noun(ws, j + 1)))
        return true;
    if (i >= 1 && (strcmp(ws->w[i - 1], "titled") == 0 || is_noun(ws, i - 1)))
        return true;
    if (i >= 2 && is_noun(ws, i - 2)
        && (strcmp(ws->w[i - 1], "called") == 0 || strcmp(ws->w[i - 1], "named") == 0))
        return true;
    if (i >= 2 && phrase_at(ws, i - 2, "who wrote"))
        return true;
    if (i >= 2 && (phrase_at(ws, i - 2, "who is") || phrase_at(ws, i - 2, "who was"))
        && (phrase_at(ws, j + 1, "written for") || phrase_at(ws, j + 1, "for")
            || phrase_at(ws, j + 1, "by")))
        return true;
    if (i >= 1 && (strcmp(ws->w[i - 1], "who's") == 0 || strcmp(ws->w[i - 1], "whos") == 0)
        && (phrase_at(ws, j + 1, "written for") || phrase_at(ws, j + 1, "for")))
        return true;
    if (phrase_at(ws, j + 1, "about")
        && ((i >= 2 && (phrase_at(ws, i - 2, "what is") || phrase_at(ws, i - 2, "what was")))
            || (i >= 1
                && (strcmp(ws->w[i - 1], "what's") == 0 || strcmp(ws->w[i - 1], "whats") == 0))))
        return true;
    return false;
}

/* Counts the title words of i..j. */
static size_t title_words(const char *q, const struct words *ws, size_t i, size_t j)
{
    size_t k, n = 0;

    for (k = i; k <= j; k++)
        n += is_title(q, ws, k);
    return n;
}

/* (b) and (c) on the run i..j: a name, or "X by Name" cut at its "by". */
static bool run_names(const char *q, const struct words *ws, size_t i, size_t j,
                      struct book_named *b)
{
    size_t k, to = j;

    for (k = j; k > i + 1; k--) /* "X by Name": the last "by" before a title word */
        if (strcmp(ws->w[k - 1], "by") == 0 && is_title(q, ws, k)
            && title_words(q, ws, i, k - 2) >= 2) {
            snprintf(b->author, sizeof(b->author), "%s", ws->w[j]);
            to = k - 2;
            break;
        }
    if (to == j && !run_is_book(ws, i, j))
        return false;
    if (!take(q, ws, i, to, ws->start[i], ws->start[to] + ws->len[to], b)) {
        b->author[0] = '\0';
        return false;
    }
    if (to == j && j + 1 < ws->n && is_noun(ws, j + 1) /* show the noun after it too */
        && !take(q, ws, i, j + 1, ws->start[i], ws->start[j + 1] + ws->len[j + 1], b))
        take(q, ws, i, to, ws->start[i], ws->start[to] + ws->len[to], b); /* as it was */
    return true;
}

/* The runs of 2+ title words (small words between them) and of quoted
 * words; true at the first that names a book. */
static bool runs(const char *q, const struct words *ws, struct book_named *b)
{
    size_t i, j, last, region;

    for (i = 0; i < ws->n; i++) {
        region = quoted(q, ws, i);
        if (region > 0) {
            for (j = i; j + 1 < ws->n && quoted(q, ws, j + 1) == region; j++)
                ;
            if (j > i && run_names(q, ws, i, j, b))
                return true;
            i = j;
            continue;
        }
        if (!is_title(q, ws, i))
            continue;
        last = i;
        for (j = i;
             j + 1 < ws->n && joined(q, ws, j) && (is_title(q, ws, j + 1) || is_small(ws, j + 1));
             j++)
            if (is_title(q, ws, j + 1))
                last = j + 1;
        if (title_words(q, ws, i, last) >= 2 && run_names(q, ws, i, last, b))
            return true;
        i = last;
    }
    return false;
}

/* (d): verbs of speaking and advising (their subject a speaker or a
 * text), in the form they take after "does", "do" or "did". */
static const char *const speaks[] = {"say",   "recommend", "suggest", "advise", "propose",
                                     "argue", "claim",     "tell",    NULL};

/* (d): words of a form that speaks of a text or a speaker, in any tense
 * or person ("In X, what do they say ..."). */
static const char *const speaks_any[] = {
    "say",      "says",      "said",   "recommend", "recommends", "recommended", "suggest",
    "suggests", "suggested", "advise", "advises",   "advised",    "propose",     "proposes",
    "argue",    "argues",    "claim",  "claims",    "tell",       "tells",       NULL};

/* (d): the name run starting at word i: a quoted region, or title words
 * with small words between them (joined).  Sets *last to its last word
 * (a title word, or the region's last) and returns how many title words
 * (quoted words) it has; 0 when no run starts at i. */
static size_t name_run(const char *q, const struct words *ws, size_t i, size_t *last)
{
    size_t j, region = quoted(q, ws, i), n = 1;

    if (region > 0) {
        for (j = i; j + 1 < ws->n && quoted(q, ws, j + 1) == region; j++)
            n++;
        *last = j;
        return n;
    }
    if (!is_title(q, ws, i))
        return 0;
    *last = i;
    for (j = i;
         j + 1 < ws->n && joined(q, ws, j) && (is_title(q, ws, j + 1) || is_small(ws, j + 1)); j++)
        if (is_title(q, ws, j + 1)) {
            *last = j + 1;
            n++;
        }
    return n;
}

/* (d): whether word j, right after a name ending at j - 1, leaves the
 * name a name: none, not joined, or a stop word; a lower-case content
 * word joined to it makes the name its modifier. */
static bool name_ends(const char *q, const struct words *ws, size_t j)
{
    return j >= ws->n || !joined(q, ws, j - 1) || words_is_stop(ws->w[j]);
}

/* (d): "what does/do/did X <verb>" at word i; X from i + 2. */
static bool what_says(const char *q, const struct words *ws, size_t i, size_t *last)
{
    size_t k, end, region;

    if (strcmp(ws->w[i], "what") != 0 || i + 3 >= ws->n
        || !(strcmp(ws->w[i + 1], "does") == 0 || strcmp(ws->w[i + 1], "do") == 0
             || strcmp(ws->w[i + 1], "did") == 0)
        || name_run(q, ws, i + 2, &end) == 0)
        return false;
    region = quoted(q, ws, i + 2);
    for (k = i + 2; k <= end; k++) /* the first title word the verb follows */
        if ((region > 0 ? k == end : is_title(q, ws, k)) && k + 1 < ws->n
            && words_in_list(ws->w[k + 1], speaks)) {
            *last = k;
            return true;
        }
    return false;
}

/* (d): "according to X" or "in X" (2+ title words, a verb of speaking in
 * the question) at word i; X from i + 1 or i + 2. */
static bool cited_as(const char *q, const struct words *ws, size_t i, size_t *first, size_t *last)
{
    size_t k, n;

    if (phrase_at(ws, i, "according to")) {
        *first = i + 2;
        return *first < ws->n && name_run(q, ws, *first, last) > 0 && name_ends(q, ws, *last + 1);
    }
    if (strcmp(ws->w[i], "in") != 0 || i + 1 >= ws->n)
        return false;
    *first = i + 1;
    n = name_run(q, ws, *first, last);
    if (n < 2 || !name_ends(q, ws, *last + 1))
        return false;
    for (k = 0; k < ws->n; k++)
        if ((k < *first || k > *last) && words_in_list(ws->w[k], speaks_any))
            return true;
    return false;
}

/* (d): a name asked about as the speaker of a text; the subject is what
 * follows the first "about" after it. */
static bool spoken(const char *q, const struct words *ws, struct book_named *b)
{
    size_t i, first = 0, last = 0;
    bool found = false;

    for (i = 0; i < ws->n && !found; i++) {
        if (what_says(q, ws, i, &last)) {
            first = i + 2;
            found = true;
        } else if (cited_as(q, ws, i, &first, &last)) {
            found = true;
        }
    }
    if (!found || !take(q, ws, first, last, ws->start[first], ws->start[last] + ws->len[last], b))
        return false;
    b->spoken = true;
    return true;
}

/* The subject: what follows the first "about" after byte from, to the
 * question's last word, when it has a distinctive word ("about it" is
 * none). */
static void subject(const char *q, const struct words *ws, size_t from, struct book_named *b)
{
    size_t k, m, len;
    const char *s;

    for (k = 0; k + 1 < ws->n; k++)
        if (ws->start[k] >= from && strcmp(ws->w[k], "about") == 0)
            break;
    if (k + 1 >= ws->n)
        return;
    for (m = k + 1; m < ws->n && !words_is_distinctive(ws->w[m]); m++)
        ;
    if (m == ws->n)
        return;
    s = q + ws->start[k + 1];
    len = ws->start[ws->n - 1] + ws->len[ws->n - 1] - ws->start[k + 1];
    if (len >= sizeof(b->subject)) /* cut at a word */
        for (len = sizeof(b->subject) - 1; len > 0 && s[len] != ' '; len--)
            ;
    snprintf(b->subject, sizeof(b->subject), "%.*s", (int)len, s);
}

bool booktitle_named(const char *question, struct book_named *out)
{
    struct words ws;
    size_t j;

    memset(out, 0, sizeof(*out));
    words_split(question, &ws);
    if (runs(question, &ws, out))
        goto named;
    memset(out, 0, sizeof(*out));
    for (j = 1; j < ws.n; j++)
        if (is_noun(&ws, j) && the_noun(question, &ws, j, out))
            goto named;
    memset(out, 0, sizeof(*out));
    if (spoken(question, &ws, out))
        goto named;
    memset(out, 0, sizeof(*out));
    return false;
named:
    subject(question, &ws, out->end, out);
    return true;
}

bool booktitle_word_match(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;

    if (strcmp(a, b) == 0)
        return true;
    if (la < 5 || lb < 5 || (la > lb ? la - lb : lb - la) > 1)
        return false;
    for (i = 0; i < la && i < lb && a[i] == b[i]; i++)
        ;
    if (la == lb) {
        if (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i]) /* a swap */
            return strcmp(a + i + 2, b + i + 2) == 0;
        return strcmp(a + i + 1, b + i + 1) == 0; /* a substitution */
    }
    j = i;
    return la > lb ? strcmp(a + j + 1, b + j) == 0 : strcmp(a + j, b + j + 1) == 0;
}

/* How many of b's content words match a word of text (a title or a
 * name, its words normalised as the name's). */
static size_t matched(const struct book_named *b, const char *text)
{
    struct words ws;
    char w[32];
    size_t i, k, n = 0;

    words_split(text, &ws);
    for (i = 0; i < b->nwords; i++)
        for (k = 0; k < ws.n; k++) {
            norm_word(ws.w[k], w);
            if (booktitle_word_match(b->words[i], w)) {
                n++;
                break;
            }
        }
    return n;
}

/* The authors of book as one text (buf's). */
static void authors_text(struct buf *out, const struct booktitle_book *book)
{
    size_t k;

    for (k = 0; k < book->nauthors; k++)
        buf_printf(out, "%s%s",
                   k == 0                    ? ""
                   : k + 1 == book->nauthors ? " and "
                                             : ", ",
                   book->authors[k]);
}

bool booktitle_held(const struct book_named *b, const struct booktitle_book *lib, size_t n)
{
    struct buf names = BUF_INIT;
    struct book_named author = {.nwords = 1};
    size_t i;
    bool held = false;

    snprintf(author.words[0], sizeof(author.words[0]), "%s", b->author);
    for (i = 0; i < n && !held; i++) {
        if (lib[i].title != NULL && matched(b, lib[i].title) == b->nwords)
            held = true;
        buf_reset(&names);
        authors_text(&names, &lib[i]);
        if (names.len > 0
            && (matched(b, buf_str(&names)) == b->nwords
                || (b->author[0] != '\0' && matched(&author, buf_str(&names)) == 1)))
            held = true;
    }
    buf_free(&names);
    return held;
}

/* How many of b's content words book's title and authors share. */
static size_t closeness(const struct book_named *b, const struct booktitle_book *book)
{
    struct buf names = BUF_INIT;
    size_t s = book->title != NULL ? matched(b, book->title) : 0;

    authors_text(&names, book);
    if (names.len > 0)
        s += matched(b, buf_str(&names));
    buf_free(&names);
    return s;
}

/* Whether i is one of order's first m. */
static bool chosen(const size_t *order, size_t m, size_t i)
{
    size_t k;

    for (k = 0; k < m; k++)
        if (order[k] == i)
            return true;
    return false;
}

char *booktitle_refusal(const struct book_named *b, const struct booktitle_book *lib, size_t n,
                        bool covered)
{
    struct buf out = BUF_INIT, names = BUF_INIT;
    size_t order[BOOKTITLE_CLOSEST], m = 0, i, best, s, best_s;
    char *text;

    /* The name and subject are the teacher's words: escaped, so a name
     * written as a link or emphasis reads as typed (README.md). */
    buf_puts(&out, b->spoken ? "The library doesn't hold \""
                             : "The library doesn't hold a book called \"");
    buf_md_escape(&out, b->name);
    buf_puts(&out, b->spoken ? "\" (no book of that title, and none by an author of that name), so "
                               "I can't tell you what it says or quote it. "
                             : "\", so I can't tell you about it or quote it. ");
    if (n == 0) {
        buf_puts(&out, "The library holds no books yet.");
        goto done;
    }
    if (n <= BOOKTITLE_FEW) {
        buf_puts(&out, "The books it holds are: ");
    } else { /* the closest, the library's order on a tie */
        buf_puts(&out, "The books it holds that come closest are: ");
        for (m = 0; m < BOOKTITLE_CLOSEST; m++) {
            best = n;
            best_s = 0;
            for (i = 0; i < n; i++) {
                if (chosen(order, m, i))
                    continue;
                s = closeness(b, &lib[i]);
                if (best == n || s > best_s) {
                    best = i;
                    best_s = s;
                }
            }
            order[m] = best;
        }
    }
    for (i = 0; i < (m > 0 ? m : n); i++) {
        const struct booktitle_book *bk = &lib[m > 0 ? order[i] : i];

        buf_printf(&out, "%s\"%s\"", i == 0 ? "" : "; ", bk->title != NULL ? bk->title : "");
        buf_reset(&names);
        authors_text(&names, bk);
        if (names.len > 0)
            buf_printf(&out, " (%s)", buf_str(&names));
    }
    if (covered && b->subject[0] != '\0') {
        buf_puts(&out, ". Ask about one of them; or, since the library does have pages on ");
        buf_md_escape(&out, b->subject);
        buf_puts(&out, ", ask about ");
        buf_md_escape(&out, b->subject);
        buf_puts(&out, " without naming the book and I'll answer from its own books.");
    } else
        buf_puts(&out, ". Ask about one of them, or ask your question about PLC work in your own "
                       "words and I'll answer from the library.");
done:
    buf_free(&names);
    text = buf_steal(&out);
    if (text == NULL)
        abort();
    return text;
}
