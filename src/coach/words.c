/*
 * Question words and the shared word lists; see words.h.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "coach/words.h"

/* Function words. */
static const char *const stop[] = {
    "a",     "an",   "the",   "to",     "of",    "in",     "on",    "at",    "for",   "and",
    "or",    "it",   "this",  "that",   "is",    "are",    "be",    "with",  "how",   "what",
    "i",     "we",   "me",    "us",     "my",    "our",    "you",   "your",  "do",    "does",
    "did",   "can",  "could", "should", "would", "will",   "about", "any",   "some",  "please",
    "so",    "all",  "as",    "by",     "from",  "if",     "into",  "there", "these", "those",
    "why",   "when", "where", "which",  "who",   "was",    "were",  "am",    "have",  "has",
    "get",   "got",  "go",    "going",  "whats", "what's", "hows",  "how's", "they",  "them",
    "their", "its",  "it's",  "i'm",    "im",    "but",    "not",   "no",    "just",  "than",
    "then",  "very", "much",  "many",   "most",  "such",   "own",   "same",  "other", "each",
    "both",  "ok",   "okay",  "hi",     "hey",   "thanks", "thank", "been",  "being", "had",
    "here",  "her",  "his",   "she",    "he",    "him",    "one",   "ones",  "also",  "too",
    "yes",   "else", "up",    "out",    "off",   "over",   "again", "still", "even",  "only",
    "way",   "ways", "lot",   "lots",   "kind",  "sort",   "bit",   NULL};

/* Words that do not say which part of PLC work a question is about. */
static const char *const generic[] = {
    "plc",        "plcs",        "professional", "learning", "communit*",  "doing",
    "done",       "work",        "works",        "working",  "run",        "running",
    "implement*", "make",        "making",       "build",    "tell",       "explain",
    "help",       "helping",     "know",         "need",     "needs",      "want",
    "everything", "anything",    "something",    "stuff",    "thing*",     "overview",
    "basic*",     "guide",       "best",         "good",     "great",      "better",
    "really",     "school*",     "teacher*",     "staff",    "tips",       "tip",
    "advice",     "successful*", "effective*",   "well",     "right",      "properly",
    "correctly",  "whole",       "process",      "model",    "approach",   "general*",
    "idea*",      "more",        "info*",        "learn",    "understand", "use",
    "using",      "set",         "setting",      "able",     "try",        "start*",
    "begin*",     "fix",         "fixing",       "fixed",    "improv*",    "step",
    "steps",      "strateg*",    "team",         "teams",    "student*",   "kid*",
    "people",     "someone",     "everyone",     "anyone",   "handle",     "deal",
    "manage",     "new",         "next",         "first",    "important",  "matter*",
    "look",       "looks",       "like",         "thoughts", "questions",  "question",
    "raise*",     "raising",     "boost*",       "increas*", NULL};

/* Contractions without their apostrophe (see words_is_bare_contraction);
 * "whats" and "hows" are stop words too. */
static const char *const bare_contraction[] = {
    "aint",   "arent",   "cant",    "couldnt", "didnt",  "doesnt", "dont",     "hadnt", "hasnt",
    "havent", "isnt",    "mightnt", "mustnt",  "neednt", "shant",  "shouldnt", "wasnt", "werent",
    "wont",   "wouldnt", "ive",     "youre",   "youve",  "youll",  "youd",     "hes",   "shes",
    "itll",   "weve",    "theyre",  "theyve",  "theyll", "theyd",  "thats",    "whats", "wheres",
    "whos",   "hows",    "heres",   "theres",  NULL};

void words_split(const char *s, struct words *out)
{
    size_t i = 0, n = strlen(s);

    out->n = 0;
    while (i < n && out->n < WORDS_MAX) {
        size_t len = 0, start;
        while (i < n && !isalnum((unsigned char)s[i]))
            i++;
        start = i;
        while (i < n
               && (isalnum((unsigned char)s[i])
                   || (s[i] == '\'' && i + 1 < n && isalpha((unsigned char)s[i + 1]) && len > 0))) {
            if (len + 1 < WORDS_BYTES)
                out->w[out->n][len++] = (char)tolower((unsigned char)s[i]);
            i++;
        }
        if (len > 0) {
            out->w[out->n][len] = '\0';
            out->start[out->n] = start;
            out->len[out->n] = i - start;
            out->n++;
        }
    }
}

bool words_match(const char *w, const char *p, size_t plen)
{
    if (plen > 0 && p[plen - 1] == '*')
        return strncmp(w, p, plen - 1) == 0;
    return strlen(w) == plen && strncmp(w, p, plen) == 0;
}

bool words_has_phrase(const struct words *ws, const char *phrase)
{
    size_t i;

    for (i = 0; i < ws->n; i++) {
        const char *p = phrase;
        size_t j = i;
        bool all = true;
        while (*p != '\0') {
            const char *sp = strchr(p, ' ');
            size_t l = sp ? (size_t)(sp - p) : strlen(p);
            if (j >= ws->n || !words_match(ws->w[j], p, l)) {
                all = false;
                break;
            }
            j++;
            p += l + (sp ? 1 : 0);
        }
        if (all)
            return true;
    }
    return false;
}

bool words_has_any(const struct words *ws, const char *const *phrases)
{
    size_t i;

    for (i = 0; phrases[i] != NULL; i++)
        if (words_has_phrase(ws, phrases[i]))
            return true;
    return false;
}

bool words_in_list(const char *w, const char *const *list)
{
    size_t i;

    for (i = 0; list[i] != NULL; i++)
        if (words_match(w, list[i], strlen(list[i])))
            return true;
    return false;
}

bool words_in_list_n(const char *w, size_t n, const char *const *list)
{
    size_t i;

    for (i = 0; list[i] != NULL; i++)
        if (strlen(list[i]) == n && strncasecmp(w, list[i], n) == 0)
            return true;
    return false;
}

bool words_is_stop(const char *w)
{
    return words_in_list(w, stop);
}

bool words_is_generic(const char *w)
{
    return words_in_list(w, generic);
}

bool words_is_bare_contraction(const char *w)
{
    return words_in_list(w, bare_contraction);
}

bool words_is_distinctive(const char *w)
{
    size_t n = strlen(w);

    if (n == 0 || (n == 1 && !isdigit((unsigned char)w[0])))
        return false;
    return !words_is_stop(w) && !words_is_generic(w);
}

size_t words_distinctive(const struct words *ws)
{
    size_t i, n = 0;

    for (i = 0; i < ws->n; i++)
        n += words_is_distinctive(ws->w[i]);
    return n;
}
