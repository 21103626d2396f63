/*
 * Follow-up rewriting; see rewrite.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "llm/llm.h"
#include "coach/rewrite.h"
#include "coach/words.h"
#include "library/search.h"
#include "library/synonyms.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/json.h"

#define REWRITE_SYSTEM                                                                             \
    "TASK: REWRITE\n"                                                                              \
    "You rewrite a teacher's follow-up question into one standalone question that can be "         \
    "understood without the conversation. Keep the teacher's words where you can and resolve "     \
    "what \"it\", \"that\" or \"what about\" refer to from the previous question. Answer with "    \
    "one JSON object and nothing else: {\"standalone_question\": \"...\", \"is_followup\": true "  \
    "or false}. is_followup is false when the follow-up already stands on its own; then "          \
    "standalone_question is the follow-up unchanged."

/* Openings that mark a follow-up, longest first where they share words. */
static const char *const openings[] = {
    "what about ", "how about ", "and what about ", "what if ", "same for ",
    "and ",        "also ",      "then ",           "but ",     "so ",
    "how come ",   "ok ",        "okay ",           "and?",     NULL};

/* Words that point back to the previous question. */
static const char *const pointers[] = {"it",    "that",  "this",  "they", "them",    "those",
                                       "these", "there", "one",   "ones", "instead", "else",
                                       "more",  "its",   "their", NULL};

/* Pronouns that stand for the earlier subject wherever they are. */
static const char *const pronouns[] = {"it", "them", "they", NULL};

/* Demonstratives stand for it only at the end or before one of these
 * (a verb or a preposition), not before a noun ("that meeting"). */
static const char *const demonstratives[] = {"this", "that", "these", "those", NULL};
static const char *const after_pronoun[] = {
    "is",     "are",   "was",    "were",    "fit",     "fits",    "work",    "works",   "mean",
    "means",  "look",  "looks",  "happen",  "happens", "apply",   "applies", "help",    "helps",
    "in",     "on",    "for",    "with",    "to",      "at",      "into",    "if",      "when",
    "during", "after", "before", "without", "change",  "changes", "differ",  "compare", "be",
    "go",     "goes",  "count",  "counts",  NULL};

/* Words after "so" that make it an adverb ("so many data routines"), not
 * a follow-up's opening ("so who runs it?"). */
static const char *const so_adverb[] = {"many", "much", "far", "few", NULL};

static size_t opening_length(const char *q)
{
    size_t i, n;
    char next[16];

    for (i = 0; openings[i] != NULL; i++) {
        n = strlen(openings[i]);
        if (strncasecmp(q, openings[i], n) != 0)
            continue;
        if (strcmp(openings[i], "so ") == 0 && sscanf(q + n, "%15[A-Za-z]", next) == 1) {
            for (size_t k = 0; next[k] != '\0'; k++)
                next[k] = (char)tolower((unsigned char)next[k]);
            if (words_in_list(next, so_adverb))
                return 0;
        }
        return n;
    }
    return 0;
}

/* Pointing words that can stand for a term the question names itself
 * ("how to write one" after "cfas"), and of them, those that stand for a
 * singular only. */
static const char *const own_pointers[] = {"one",  "ones", "it",    "that",  "this",
                                           "them", "they", "these", "those", NULL};
static const char *const singular_pointers[] = {"it", "that", "this", NULL};

/* True when w is an acronym of the library's list (synonyms.h: "cfa",
 * "rti", "gvc", ...), in the singular or, *plural set, with a plural "s"
 * ("cfas", "CFAs"). */
static bool known_acronym(const char *w, bool *plural)
{
    size_t n = strlen(w);

    *plural = n > 2 && w[n - 1] == 's' && synonym_by_abbrev(w, n - 1) != NULL;
    return *plural || synonym_by_abbrev(w, n) != NULL;
}

/* True when the pointing word at i of ws stands for an acronym of the
 * library's list that the question names before it and that agrees with
 * it in number: "one" and "ones" with either, "it", "that", "this" with a
 * singular, "them", "they", "these", "those" with a plural. */
static bool names_own_term(const struct words *ws, size_t i)
{
    size_t j;
    bool plural;

    if (!words_in_list(ws->w[i], own_pointers))
        return false;
    for (j = 0; j < i; j++) {
        if (!known_acronym(ws->w[j], &plural))
            continue;
        if (strcmp(ws->w[i], "one") == 0 || strcmp(ws->w[i], "ones") == 0
            || plural != words_in_list(ws->w[i], singular_pointers))
            return true;
    }
    return false;
}

/* True when a pointing word of ws stands for an acronym ws names before
 * it (names_own_term). */
static bool names_own(const struct words *ws)
{
    size_t i;

    for (i = 0; i < ws->n; i++)
        if (names_own_term(ws, i))
            return true;
    return false;
}

/* True when the word at i of ws has REWRITE_OWN_ANTECEDENT distinctive
 * words before it in the same question: a pronoun there stands for one of
 * them ("kids who finish their work super fast, what should they be
 * doing"), or when it stands for an acronym the question names itself
 * (names_own_term: "what is PBIS and who is it for"), not for the earlier
 * question's subject. */
static bool own_antecedent(const struct words *ws, size_t i)
{
    size_t j, n = 0;

    for (j = 0; j < i; j++)
        n += words_is_distinctive(ws->w[j]);
    return n >= REWRITE_OWN_ANTECEDENT || names_own_term(ws, i);
}

static bool has_pointer(const struct words *ws)
{
    size_t i;

    for (i = 0; i < ws->n; i++)
        if (words_in_list(ws->w[i], pointers) && !own_antecedent(ws, i))
            return true;
    return false;
}

/* True when ws is short and has little of its own: an ellipsis that
 * leans on the previous question ("who takes the notes?"). */
static bool is_ellipsis(const struct words *ws)
{
    return ws->n <= REWRITE_ELLIPSIS_WORDS && words_distinctive(ws) <= REWRITE_ELLIPSIS_DISTINCTIVE;
}

/* Markers that announce a new subject (docs/performance.md, "announce34":
 * written from general English before anything was measured), matched as
 * whole words at the start of a question after any run of fillers. */
static const char *const topic_markers[] = {"different question",
                                            "another question",
                                            "new question",
                                            "separate question",
                                            "unrelated question",
                                            "other question",
                                            "next question",
                                            "one more question",
                                            "random question",
                                            "diff question",
                                            "diff q",
                                            "new q",
                                            "another q",
                                            "random q",
                                            "new topic",
                                            "different topic",
                                            "another topic",
                                            "separate topic",
                                            "new subject",
                                            "different subject",
                                            "another subject",
                                            "different issue",
                                            "separate issue",
                                            "another issue",
                                            "different thing",
                                            "another thing",
                                            "one more thing",
                                            "something else",
                                            "something different",
                                            "question about something else",
                                            "unrelated",
                                            "off topic",
                                            "on another note",
                                            "on a different note",
                                            "on a separate note",
                                            "on an unrelated note",
                                            "switching gears",
                                            "shifting gears",
                                            "changing gears",
                                            "switching topics",
                                            "changing topics",
                                            "changing the subject",
                                            "to change the subject",
                                            "change of subject",
                                            "change of topic",
                                            "moving on",
                                            "by the way",
                                            "btw",
                                            "never mind",
                                            "nevermind",
                                            "forget that",
                                            "scratch that",
                                            NULL};

/* Words that may come before a marker ("ok so different question", "I
 * have another question", "quick question about something else"). */
static const char *const marker_fillers[] = {
    "ok",   "okay",  "k",     "alright", "so",         "also",     "and",   "but",
    "hey",  "hi",    "oh",    "well",    "um",         "now",      "right", "thanks",
    "cool", "great", "quick", "totally", "completely", "entirely", "a",     "an",
    "one",  "i",     "have",  "got",     NULL};

/* True when the words of ws from i on are those of phrase (words
 * separated by one space); *end receives the index after them. */
static bool phrase_at(const struct words *ws, size_t i, const char *phrase, size_t *end)
{
    const char *p = phrase;

    while (*p != '\0') {
        const char *sp = strchr(p, ' ');
        size_t l = sp != NULL ? (size_t)(sp - p) : strlen(p);
        if (i >= ws->n || strlen(ws->w[i]) != l || strncmp(ws->w[i], p, l) != 0)
            return false;
        i++;
        p += l + (sp != NULL ? 1 : 0);
    }
    *end = i;
    return true;
}

/* Returns the offset in q just past a topic-change marker that opens it
 * (after fillers only), or 0 when it opens with none. */
static size_t announce_length(const char *q)
{
    struct words *ws = &(struct words){0};
    size_t i, k, end;

    words_split(q, ws);
    for (i = 0; i < ws->n; i++) {
        for (k = 0; topic_markers[k] != NULL; k++)
            if (phrase_at(ws, i, topic_markers[k], &end))
                return ws->start[end - 1] + ws->len[end - 1];
        if (!words_in_list(ws->w[i], marker_fillers))
            return 0;
    }
    return 0;
}

static bool points_back_after_opening(const char *f);
static size_t trimmed(const char *followup, const char **f);

bool rewrite_announces_new(const char *question)
{
    const char *f;
    size_t n;

    trimmed(question, &f);
    n = announce_length(f);
    if (n == 0)
        return false;
    f += n;
    while (*f != '\0' && !isalnum((unsigned char)*f))
        f++;
    if (*f == '\0')
        return false; /* a marker alone asks nothing */
    f += opening_length(f);
    return !points_back_after_opening(f) && rewrite_ordinal(f) == 0;
}

bool rewrite_is_followup(const char *question)
{
    const char *q = question;
    struct words *ws = &(struct words){0};

    while (isspace((unsigned char)*q))
        q++;
    if (rewrite_announces_new(q))
        return false; /* "ok different question. ..." (announce34) */
    if (opening_length(q) > 0)
        return true;
    words_split(q, ws);
    if (is_ellipsis(ws))
        return true; /* ellipsis: "who takes the notes?" */
    return has_pointer(ws)
           && (words_distinctive(ws) <= REWRITE_FEW_DISTINCTIVE || ws->n <= REWRITE_SHORT_WORDS);
}

char *rewrite_query(const char *standalone, const char *followup, const char *item)
{
    return item != NULL ? xasprintf("%s %s %s %s", standalone, followup, item, item)
                        : xasprintf("%s %s", standalone, followup);
}

size_t rewrite_own_distinctive(const char *followup)
{
    struct words *ws = &(struct words){0};
    size_t skip = opening_length(followup);

    words_split(followup + skip, ws);
    return words_distinctive(ws);
}

/* Demonstratives that, before a noun, point back ("those days", "this
 * group"); "that" is left out: before a noun it is as often a conjunction
 * ("know that students learned"). */
static const char *const determiners[] = {"this", "these", "those", NULL};

/* True when ws has a demonstrative used as a determiner: a noun phrase
 * that points back without standing for the whole earlier subject. */
static bool has_determiner(const struct words *ws)
{
    size_t i;

    for (i = 0; i + 1 < ws->n; i++)
        if (words_in_list(ws->w[i], determiners) && !words_in_list(ws->w[i + 1], after_pronoun)
            && !words_is_stop(ws->w[i + 1]))
            return true;
    return false;
}

/* Returns the index of the word of ws that stands for the earlier subject,
 * or ws->n when none does. */
static size_t pronoun_at(const struct words *ws)
{
    size_t i;

    for (i = 0; i < ws->n; i++) {
        if (own_antecedent(ws, i))
            break;
        if (words_in_list(ws->w[i], pronouns))
            return i;
        if (words_in_list(ws->w[i], demonstratives)
            && (i + 1 == ws->n || words_in_list(ws->w[i + 1], after_pronoun)))
            return i;
    }
    return ws->n;
}

/* The length of previous without a trailing " (about: ...)" of an earlier
 * rewrite. */
static size_t main_part(const char *previous)
{
    const char *about = strstr(previous, " (about: ");

    return about != NULL ? (size_t)(about - previous) : strlen(previous);
}

/* Words after which a question's first distinctive word is its verb
 * ("How do we write team norms?"), not its subject. */
static const char *const subjects[] = {"we", "i", "you", "they", "to", NULL};

/* Sets *start and *len to the span of the earlier subject in previous:
 * from its first distinctive word (the one after the verb when the first
 * follows "we", "I", "you", "they" or "to"), widened to the generic words
 * right before it ("team norms"), to its last distinctive word.  False
 * when it has none. */
static bool subject_span(const char *previous, size_t *start, size_t *len)
{
    struct words *ws = &(struct words){0};
    char *main = xstrndup(previous, main_part(previous));
    size_t i, first = SIZE_MAX, last = 0;

    words_split(main, ws);
    free(main);
    for (i = 0; i < ws->n; i++)
        if (words_is_distinctive(ws->w[i])) {
            if (first == SIZE_MAX)
                first = i;
            last = i;
        }
    if (first == SIZE_MAX)
        return false;
    if (first > 0 && words_in_list(ws->w[first - 1], subjects) && first < last) {
        for (i = first + 1; i <= last && !words_is_distinctive(ws->w[i]); i++)
            ;
        first = i;
        while (first > 0 && ws->w[first - 1][0] != '\0' && !words_is_stop(ws->w[first - 1])
               && !words_is_distinctive(ws->w[first - 1]))
            first--;
    } else {
        while (first > 0 && !words_is_stop(ws->w[first - 1])
               && !words_is_distinctive(ws->w[first - 1]))
            first--;
    }
    *start = ws->start[first];
    *len = ws->start[last] + ws->len[last] - ws->start[first];
    return true;
}

/* Words that end a noun phrase although they are neither stop nor
 * generic words: adverbs and conjunctions that join clauses ("picking
 * power standards instead of just teaching"). */
static const char *const clause_breaks[] = {"instead", "rather",   "because", "since", "while",
                                            "before",  "after",    "without", "until", "unless",
                                            "though",  "although", NULL};

/* True when w can be a word of a noun phrase (agreeing_span). */
static bool phrase_word(const char *w)
{
    return !words_is_stop(w) && !words_in_list(w, clause_breaks);
}

/* True when pronoun (a word of pronouns or demonstratives) stands for a
 * plural. */
static bool plural_pronoun(const char *pronoun)
{
    static const char *const plural[] = {"them", "they", "these", "those", NULL};

    return words_in_list(pronoun, plural);
}

/* True when w reads as a plural noun: it ends in "s" but not in "ss",
 * "us" or "is" ("norms", "CFAs"; not "MTSS", "focus", "analysis"). */
static bool plural_word(const char *w)
{
    size_t n = strlen(w);

    return n >= 3 && w[n - 1] == 's' && strchr("siu", w[n - 2]) == NULL;
}

/* Sets *start and *len to the noun phrase of previous that pronoun stands
 * for by number (rewrite.h): of its runs of words that are neither stop
 * words nor clause breaks, each without the verb that opens it after
 * "we", "I", "you", "they" or "to", the first with a distinctive word
 * whose last word agrees with pronoun ("them" after "picking power
 * standards instead of just teaching": "picking power standards"; "it"
 * after "how many CFAs should we give in a 4 week unit": "4 week unit").
 * False when no run agrees. */
static bool agreeing_span(const char *previous, const char *pronoun, size_t *start, size_t *len)
{
    struct words *ws = &(struct words){0};
    char *main = xstrndup(previous, main_part(previous));
    bool plural = plural_pronoun(pronoun);
    size_t i = 0, j, first, distinct;

    words_split(main, ws);
    free(main);
    while (i < ws->n) {
        if (!phrase_word(ws->w[i])) {
            i++;
            continue;
        }
        first = i;
        if (first > 0 && words_in_list(ws->w[first - 1], subjects))
            first++; /* the verb after "we" */
        for (j = i, distinct = 0; j < ws->n && phrase_word(ws->w[j]); j++)
            distinct += j >= first && words_is_distinctive(ws->w[j]);
        i = j;
        if (first < j && distinct > 0 && plural_word(ws->w[j - 1]) == plural) {
            *start = ws->start[first];
            *len = ws->start[j - 1] + ws->len[j - 1] - ws->start[first];
            return true;
        }
    }
    return false;
}

/* Appends to out the distinctive words of previous that text lacks. */
static void carried_words(const char *previous, const char *text, struct buf *out)
{
    struct words *pw = &(struct words){0}, *tw = &(struct words){0};
    size_t i, j;

    words_split(previous, pw);
    words_split(text, tw);
    for (i = 0; i < pw->n; i++) {
        bool seen = false;
        if (!words_is_distinctive(pw->w[i]))
            continue;
        for (j = 0; j < tw->n && !seen; j++)
            seen = strcmp(pw->w[i], tw->w[j]) == 0;
        for (j = 0; j < i && !seen; j++)
            seen = strcmp(pw->w[i], pw->w[j]) == 0;
        if (seen)
            continue;
        if (out->len > 0)
            buf_putc(out, ' ');
        buf_append(out, previous + pw->start[i], pw->len[i]);
    }
}

/* The follow-up f (n bytes, trimmed; ws its words) rewritten: its pronoun
 * standing for the earlier subject, the earlier distinctive words it
 * lacks carried (rewrite_rules, after its standalone test). */
static char *resolve(const char *previous, const char *f, size_t n, const struct words *ws,
                     char **focus)
{
    struct buf resolved = BUF_INIT, carried = BUF_INIT, out = BUF_INIT;
    size_t at = pronoun_at(ws), sstart = 0, slen = 0;

    if (at < ws->n && ws->start[at] < n
        && (agreeing_span(previous, ws->w[at], &sstart, &slen)
            || subject_span(previous, &sstart, &slen))) {
        buf_append(&resolved, f, ws->start[at]);
        buf_append(&resolved, previous + sstart, slen);
        buf_append(&resolved, f + ws->start[at] + ws->len[at], n - ws->start[at] - ws->len[at]);
    } else {
        buf_append(&resolved, f, n);
    }
    carried_words(previous, buf_str(&resolved), &carried);
    buf_puts(&out, buf_str(&resolved));
    if (carried.len > 0)
        buf_printf(&out, " (about: %s)", buf_str(&carried));
    if (focus != NULL)
        *focus = buf_steal(&resolved);
    buf_free(&resolved);
    buf_free(&carried);
    return buf_steal(&out);
}

/* followup with its surrounding blanks cut: *f its start, the length. */
static size_t trimmed(const char *followup, const char **f)
{
    size_t n;

    *f = followup;
    while (isspace((unsigned char)**f))
        (*f)++;
    n = strlen(*f);
    while (n > 0 && isspace((unsigned char)(*f)[n - 1]))
        n--;
    return n;
}

char *rewrite_rules(const char *previous, const char *followup, char **focus)
{
    struct words *ws = &(struct words){0};
    const char *f;
    size_t n = trimmed(followup, &f);

    if (focus != NULL)
        *focus = NULL;
    if (rewrite_announces_new(f))
        return xstrndup(f, n); /* a new subject announced: taken as asked */
    words_split(f, ws);
    if (opening_length(f) == 0 && pronoun_at(ws) == ws->n && !has_determiner(ws)
        && (words_distinctive(ws) >= 2 || names_own(ws)) && !is_ellipsis(ws)
        && rewrite_ordinal(f) == 0)
        return xstrndup(f, n); /* already standalone */
    return resolve(previous, f, n, ws, focus);
}

bool rewrite_names_own_subject(const char *question)
{
    struct words *ws = &(struct words){0};

    words_split(question, ws);
    return names_own(ws);
}

bool rewrite_takes_subject(bool refused, const char *question)
{
    return !refused && !rewrite_names_own_subject(question) && !rewrite_announces_new(question);
}

/* True when a and b are of the same book and chapter. */
static bool same_chapter(const struct search_hit *a, const struct search_hit *b)
{
    return a->chapter_id != NULL && b->chapter_id != NULL && strcmp(a->book_id, b->book_id) == 0
           && strcmp(a->chapter_id, b->chapter_id) == 0;
}

/* True when a's printed pages are within REWRITE_PRIOR_NEAR pages of b's,
 * in the same book. */
static bool near_pages(const struct search_hit *a, const struct search_hit *b)
{
    return strcmp(a->book_id, b->book_id) == 0
           && a->page_index_start <= b->page_index_end + REWRITE_PRIOR_NEAR
           && b->page_index_start <= a->page_index_end + REWRITE_PRIOR_NEAR;
}

bool rewrite_other_chapter(const struct search_hit *own, size_t n, const struct search_hit *conv,
                           size_t nc, size_t top)
{
    size_t i, j;

    if (n == 0 || nc == 0)
        return false;
    for (i = 0; i < n && i < top; i++)
        for (j = 0; j < nc; j++)
            if (same_chapter(&own[i], &conv[j]) || near_pages(&own[i], &conv[j]))
                return false;
    return true;
}

/* Phrases that ask for the next step of what was just said ("ok now
 * what?", "what's next"): they point back without a pronoun. */
static const char *const next_step[] = {"now what",   "what now", "what next", "what's next",
                                        "whats next", "do next",  NULL};

/* Negated auxiliaries that, ending a clause, stand for the earlier turn's
 * verb ("ok so if we can't, who picks?"). */
static const char *const aux_not[] = {"can't", "cant",    "don't",  "dont",   "won't",
                                      "wont",  "doesn't", "doesnt", "didn't", "didnt",
                                      "isn't", "isnt",    "aren't", "arent",  NULL};

/* Words after "this" that point to now, not to the earlier turn ("this
 * year", "this christmas"). */
static const char *const this_time[] = {"year",      "week",   "weekend", "month", "morning",
                                        "semester",  "summer", "spring",  "fall",  "winter",
                                        "christmas", "today",  "tonight", NULL};

/* True when a negated auxiliary of ws ends a clause in f (a comma, a
 * question mark or the end after it). */
static bool clause_ellipsis(const char *f, const struct words *ws)
{
    size_t i, end;

    for (i = 0; i < ws->n; i++) {
        if (!words_in_list(ws->w[i], aux_not))
            continue;
        end = ws->start[i] + ws->len[i];
        while (f[end] == ' ')
            end++;
        if (f[end] == ',' || f[end] == '?' || f[end] == '.' || f[end] == '\0')
            return true;
    }
    return false;
}

/* True when the pronoun at i is the empty "it" of "is it safe for dogs to
 * eat grapes" (after "is" or "was", with REWRITE_OWN_ANTECEDENT
 * distinctive words after it): the question's own words are its
 * subject, not the earlier turn's. */
static bool empty_it(const struct words *ws, size_t i)
{
    size_t j, n = 0;

    if (i == 0 || strcmp(ws->w[i], "it") != 0
        || !(strcmp(ws->w[i - 1], "is") == 0 || strcmp(ws->w[i - 1], "was") == 0))
        return false;
    for (j = i + 1; j < ws->n; j++)
        n += words_is_distinctive(ws->w[j]);
    return n >= REWRITE_OWN_ANTECEDENT;
}

/* True when the words of ws at i and i + 1 are "this" and a word of time
 * ("this year"): now, not the earlier turn. */
static bool this_time_at(const struct words *ws, size_t i)
{
    return i + 1 < ws->n && strcmp(ws->w[i], "this") == 0 && words_in_list(ws->w[i + 1], this_time);
}

/* True when ws has a demonstrative before a noun that points back, not
 * to now (has_determiner without "this year"). */
static bool points_back_determiner(const struct words *ws)
{
    size_t i;

    for (i = 0; i + 1 < ws->n; i++)
        if (words_in_list(ws->w[i], determiners) && !words_in_list(ws->w[i + 1], after_pronoun)
            && !words_is_stop(ws->w[i + 1]) && !this_time_at(ws, i))
            return true;
    return false;
}

/* True when ws, a question without a follow-up opening, is an ellipsis
 * (is_ellipsis: "like what", "whats the biggest mistake") that names no
 * time of its own ("when is diwali this year" asks about now) and asks
 * nothing of "you" ("can you recommend a dentist": a request of its own). */
static bool points_back_ellipsis(const struct words *ws)
{
    size_t i;

    for (i = 0; i < ws->n; i++)
        if (this_time_at(ws, i) || strcmp(ws->w[i], "you") == 0)
            return false;
    return is_ellipsis(ws);
}

/* True when ws has a pointing word that is neither a pronoun nor a
 * demonstrative ("one", "else", "instead", "their", ...), not standing
 * for the question's own words. */
static bool other_pointer(const struct words *ws)
{
    size_t i;

    for (i = 0; i < ws->n; i++)
        if (words_in_list(ws->w[i], pointers) && !words_in_list(ws->w[i], pronouns)
            && !words_in_list(ws->w[i], demonstratives) && !own_antecedent(ws, i))
            return true;
    return false;
}

bool rewrite_points_back(const char *followup)
{
    struct words *ws = &(struct words){0};
    const char *f;

    trimmed(followup, &f);
    if (opening_length(f) == 0) {
        words_split(f, ws);
        if (points_back_ellipsis(ws))
            return true;
    }
    return points_back_after_opening(f + opening_length(f));
}

/* rewrite_points_back's tests for f, a question after its follow-up
 * opening, but for the ellipsis. */
static bool points_back_after_opening(const char *f)
{
    struct words *ws = &(struct words){0};
    size_t at;

    words_split(f, ws);
    at = pronoun_at(ws);
    return (at < ws->n && !empty_it(ws, at)) || points_back_determiner(ws) || other_pointer(ws)
           || (ws->n > 0 && words_in_list(ws->w[ws->n - 1], pronouns))
           || words_has_any(ws, next_step) || clause_ellipsis(f, ws);
}

/* Determiners of a definite or possessive noun phrase: it names
 * something already spoken of ("the list", "our whole setup"). */
static const char *const definite[] = {"the", "our", "your", "my", NULL};

/* Words that open a noun phrase's restrictive modifier (a preposition or
 * a relative pronoun): "the difference between a psychologist and a
 * psychiatrist", "the name of the song", "the one that ..." -- the phrase
 * is defined by its own words, not by the earlier turn. */
static const char *const restrictive[] = {"of",    "between", "among", "for",   "with",  "from",
                                          "about", "in",      "on",    "at",    "to",    "that",
                                          "which", "who",     "whom",  "where", "whose", NULL};

/* Words before "one" that make it no anaphor ("no one", "every one"). */
static const char *const one_not_after[] = {"no", "every", "each", "any", "at", NULL};

/* Words after "one" that make it a numeral or a pronoun of its own ("one
 * of", "one more", "one another"). */
static const char *const one_not_before[] = {"of", "more", "another", "thing", "things", NULL};

/* The length of w (n bytes) without a plural "s" (not "ss", nor a word
 * of three letters or fewer). */
static size_t stem_len(const char *w, size_t n)
{
    return n > 3 && tolower((unsigned char)w[n - 1]) == 's'
                   && tolower((unsigned char)w[n - 2]) != 's'
               ? n - 1
               : n;
}

/* True when text (NULL: none) holds the word w (lower-case), compared
 * without case and without a plural "s" ("groups" and "group"). */
static bool text_has_word(const char *text, const char *w)
{
    size_t wl = stem_len(w, strlen(w)), i = 0, start, len;

    if (text == NULL)
        return false;
    while (text[i] != '\0') {
        while (text[i] != '\0' && !isalnum((unsigned char)text[i]))
            i++;
        start = i;
        while (isalnum((unsigned char)text[i])
               || (text[i] == '\'' && isalpha((unsigned char)text[i + 1]) && i > start))
            i++;
        len = stem_len(text + start, i - start);
        if (len == wl && len > 0 && strncasecmp(text + start, w, wl) == 0)
            return true;
    }
    return false;
}

/* True when the word at i of ws is "one" (or "ones") standing for a noun
 * phrase spoken of before ("is there a cutoff to flag one", "what makes
 * one good"): not after "no", "every", ..., not before "of", "more",
 * "another", a distinctive word ("one day": a numeral), not standing for
 * the question's own words (own_antecedent). */
static bool one_anaphor(const struct words *ws, size_t i)
{
    if (strcmp(ws->w[i], "one") != 0 && strcmp(ws->w[i], "ones") != 0)
        return false;
    if (i > 0 && words_in_list(ws->w[i - 1], one_not_after))
        return false;
    if (i + 1 < ws->n
        && (words_in_list(ws->w[i + 1], one_not_before) || words_is_distinctive(ws->w[i + 1])))
        return false;
    return !own_antecedent(ws, i);
}

/* True when w is a contraction written without its apostrophe ("theres
 * a column in the template"; words_is_bare_contraction()), or "id": in a
 * follow-up, I'd ("id like the short version"), not a subject of its own
 * (follow38). */
static bool bare_contraction(const char *w)
{
    return words_is_bare_contraction(w) || strcmp(w, "id") == 0;
}

/* True when ws has at most REWRITE_REFER_NEW distinctive words that
 * neither earlier text holds. */
static bool few_new_words(const struct words *ws, const char *prev_q, const char *prev_a)
{
    size_t i, n = 0;

    for (i = 0; i < ws->n; i++)
        n += words_is_distinctive(ws->w[i]) && !text_has_word(prev_q, ws->w[i])
             && !text_has_word(prev_a, ws->w[i]) && !bare_contraction(ws->w[i]);
    return n <= REWRITE_REFER_NEW;
}

/* Nouns that name the previous answer's form, not a subject of their
 * own: "can you shorten the list", "what do we call our whole setup",
 * "is the short version enough" (follow38). */
static const char *const form_words[] = {"list",    "lists",     "setup",   "plan",  "plans",
                                         "version", "versions",  "summary", "recap", "outline",
                                         "answer",  "breakdown", "rundown", NULL};

/* True when every distinctive word of ws from i to j (not included) is a
 * word of the earlier turn or names its form (form_words): the phrase
 * names no new subject. */
static bool named_before(const struct words *ws, size_t i, size_t j, const char *prev_q,
                         const char *prev_a)
{
    for (; i < j; i++)
        if (words_is_distinctive(ws->w[i]) && !text_has_word(prev_q, ws->w[i])
            && !text_has_word(prev_a, ws->w[i]) && !words_in_list(ws->w[i], form_words))
            return false;
    return true;
}

/* True when ws has a definite or possessive noun phrase (a determiner of
 * definite, then up to REWRITE_REFER_WORDS words that are neither stop
 * words, clause breaks nor restrictive) whose last word is distinctive,
 * whose distinctive words are all words of the earlier turn
 * (named_before), and that no restrictive modifier follows. */
static bool definite_earlier(const struct words *ws, const char *prev_q, const char *prev_a)
{
    size_t i, j;

    for (i = 0; i + 1 < ws->n; i++) {
        if (!words_in_list(ws->w[i], definite))
            continue;
        for (j = i + 1; j < ws->n && j <= i + REWRITE_REFER_WORDS && !words_is_stop(ws->w[j])
                        && !words_in_list(ws->w[j], restrictive) && phrase_word(ws->w[j]);
             j++)
            ;
        if (j < ws->n && words_in_list(ws->w[j], restrictive))
            continue; /* "the difference between ...": its own modifier defines it */
        if (j > i + 1 && words_is_distinctive(ws->w[j - 1])
            && named_before(ws, i + 1, j, prev_q, prev_a))
            return true;
    }
    return false;
}

bool rewrite_refers_back(const char *followup, const char *prev_q, const char *prev_a)
{
    struct words *ws = &(struct words){0};
    const char *f;
    size_t i;

    trimmed(followup, &f);
    words_split(f + opening_length(f), ws);
    if (!few_new_words(ws, prev_q, prev_a))
        return false;
    for (i = 0; i < ws->n; i++)
        if (one_anaphor(ws, i))
            return true;
    return definite_earlier(ws, prev_q, prev_a);
}

char *rewrite_carry(const char *previous, const char *followup, char **focus)
{
    struct words *ws = &(struct words){0};
    const char *f;
    size_t n = trimmed(followup, &f);

    words_split(f, ws);
    return resolve(previous, f, n, ws, focus);
}

/* Ordinal words, first to tenth; "last" is REWRITE_LAST. */
static const char *const ordinals[] = {"first",   "second", "third", "fourth", "fifth", "sixth",
                                       "seventh", "eighth", "ninth", "tenth",  NULL};

/* Nouns for an item of the previous answer ("the second one", "the third
 * step", "step 3", "number 2"). */
static const char *const items[] = {"one",   "step",   "steps",      "point",    "points",
                                    "item",  "idea",   "ideas",      "option",   "tip",
                                    "thing", "part",   "suggestion", "strategy", "stage",
                                    "phase", "bullet", "number",     NULL};

int rewrite_ordinal(const char *followup)
{
    struct words *ws = &(struct words){0};
    size_t i, k;

    words_split(followup, ws);
    for (i = 0; i + 1 < ws->n; i++) {
        if (!words_in_list(ws->w[i + 1], items))
            continue;
        for (k = 0; ordinals[k] != NULL; k++)
            if (strcmp(ws->w[i], ordinals[k]) == 0)
                return (int)k + 1;
        if (strcmp(ws->w[i], "last") == 0)
            return REWRITE_LAST;
    }
    for (i = 0; i + 1 < ws->n; i++) /* "step 3", "number 2" */
        if (words_in_list(ws->w[i], items) && strcmp(ws->w[i], "one") != 0
            && isdigit((unsigned char)ws->w[i + 1][0]) && strlen(ws->w[i + 1]) <= 2)
            return atoi(ws->w[i + 1]);
    return 0;
}

bool rewrite_parse(const char *text, size_t n, char **question, bool *is_followup)
{
    const char *why = NULL, *q;
    json_object *root, *v, *f;
    size_t len;
    bool ok = false;

    root = json_parse_object_strict(text, n, REWRITE_JSON_DEPTH, &why);
    if (root == NULL)
        return false;
    if (json_object_object_length(root) != 2
        || !json_object_object_get_ex(root, "standalone_question", &v)
        || !json_object_is_type(v, json_type_string)
        || !json_object_object_get_ex(root, "is_followup", &f)
        || !json_object_is_type(f, json_type_boolean))
        goto done;
    q = json_object_get_string(v);
    len = (size_t)json_object_get_string_len(v);
    while (len > 0 && isspace((unsigned char)*q)) {
        q++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)q[len - 1]))
        len--;
    if (len == 0 || len > REWRITE_MAX_BYTES || memchr(q, '\n', len) != NULL
        || memchr(q, '\r', len) != NULL || memchr(q, '\0', len) != NULL)
        goto done;
    *question = xstrndup(q, len);
    *is_followup = json_object_get_boolean(f);
    ok = true;
done:
    json_object_put(root);
    return ok;
}

char *rewrite_model(const struct config *cfg, const char *previous, const char *followup,
                    bool *is_followup)
{
    struct llm_message msgs[2];
    struct llm_request req = {
        .messages = msgs, .nmessages = 2, .max_tokens = REWRITE_MODEL_MAX_TOKENS, .temperature = 0};
    struct llm_result res;
    char *user = xasprintf("Previous question: %s\nFollow-up: %s", previous, followup);
    char *out = NULL;
    bool follows = false;

    msgs[0] = (struct llm_message){.role = "system", .content = REWRITE_SYSTEM};
    msgs[1] = (struct llm_message){.role = "user", .content = user};
    if (llm_chat(cfg, &req, &res) == LLM_OK && res.text != NULL
        && rewrite_parse(res.text, res.len, &out, &follows)) {
        *is_followup = follows;
        if (!follows) { /* standalone by the model's reading: as asked */
            free(out);
            out = xstrdup(followup);
        }
    }
    llm_result_free(&res);
    free(user);
    return out;
}

/* Moves the passages own names (nown chunk ids, the follow-up's own first
 * passages, in their order) that the prior's sort left past the first k
 * of hits into the last places of those k, in their own order; the
 * passages they displace move down by one each (past k: the caller cuts
 * them).  Compares the ids' pointers: the same passages, moved. */
static void keep_own(struct search_hit *hits, size_t n, const char *const *own, size_t nown,
                     size_t k)
{
    size_t missing = 0, placed = 0, i, j;
    struct search_hit h;

    for (i = 0; i < nown; i++) {
        for (j = 0; j < n && hits[j].chunk_id != own[i]; j++)
            ;
        missing += j >= k && j < n;
    }
    for (i = 0; i < nown && missing <= k; i++) {
        size_t to = k - missing + placed;
        for (j = 0; j < n && hits[j].chunk_id != own[i]; j++)
            ;
        if (j < k || j >= n)
            continue;
        h = hits[j];
        memmove(&hits[to + 1], &hits[to], (j - to) * sizeof(h));
        hits[to] = h;
        placed++;
    }
}

void rewrite_prior(struct search_hit *hits, size_t n, const struct search_hit *prior, size_t np,
                   double chapter, double page, size_t k)
{
    const char *own[REWRITE_PRIOR_KEEP];
    size_t nown = n < REWRITE_PRIOR_KEEP ? n : REWRITE_PRIOR_KEEP, i, j;

    for (i = 0; i < nown; i++)
        own[i] = hits[i].chunk_id; /* the follow-up's own order, before the prior */
    for (i = 0; i < n; i++) {
        bool in_chapter = false, near = false;
        for (j = 0; j < np; j++) {
            in_chapter = in_chapter || same_chapter(&hits[i], &prior[j]);
            near = near || near_pages(&hits[i], &prior[j]);
        }
        if (in_chapter || near)
            hits[i].fused *= chapter;
        if (near)
            hits[i].fused *= page;
    }
    search_sort_fused(hits, n);
    if (k < n)
        keep_own(hits, n, own, nown, k);
}
