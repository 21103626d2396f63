/*
 * The search's evidence for the coach; see evidence.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "coach/evidence.h"
#include "coach/phrase.h"
#include "coach/sentences.h"
#include "coach/wordclass.h"
#include "coach/words.h"
#include "library/domains.h"
#include "library/search.h"

/* Contractions written without their apostrophe: informal, not unknown. */
static const char *const contractions[] = {
    "didnt",   "doesnt",   "arent",   "youre",  "theyre", "thats",  "heres", "theres",
    "couldnt", "shouldnt", "wouldnt", "havent", "hasnt",  "werent", "wasnt", NULL};

static bool held(const struct search_term *t)
{
    return t->expanded || (t->in_library && t->corrected == NULL);
}

static bool unknown_word(const struct search_term *t)
{
    const char *w = t->word != NULL ? t->word : t->term;
    size_t i, n = strlen(w);
    char lower[WORDS_BYTES];

    if (held(t) || n < EVIDENCE_UNKNOWN_MIN_LETTERS || n >= sizeof(lower))
        return false;
    for (i = 0; i < n; i++) {
        if (isdigit((unsigned char)w[i]))
            return false;
        lower[i] = (char)tolower((unsigned char)w[i]);
    }
    lower[n] = '\0';
    return !words_in_list(lower, contractions);
}

/* Counts a question term the library does not hold (held() false) as a
 * noun or another word (wordclass.h) into ev: a word with a digit, of
 * fewer than EVIDENCE_UNHELD_MIN_LETTERS letters or generic (words.h)
 * names no subject and is left out, as is a word WordNet lacks (scope38)
 * and a contraction typed without its apostrophe or a clipping, which
 * stands for another word (wordclass_informal(), scope38b). */
static void count_unheld(const struct search_term *t, struct route_evidence *ev)
{
    const char *w = t->word != NULL ? t->word : t->term;
    size_t i, n = strlen(w);
    char lower[WORDS_BYTES];

    if (held(t) || t->source != SEARCH_TERM_QUESTION || n < EVIDENCE_UNHELD_MIN_LETTERS
        || n >= sizeof(lower))
        return;
    for (i = 0; i < n; i++) {
        if (isdigit((unsigned char)w[i]))
            return;
        lower[i] = (char)tolower((unsigned char)w[i]);
    }
    lower[n] = '\0';
    if (words_is_generic(lower) || wordclass_informal(lower))
        return;
    switch (wordclass_of(lower)) {
    case WORDCLASS_NOUN: ev->unheld_nouns++; break;
    case WORDCLASS_OTHER: ev->unheld_other++; break;
    case WORDCLASS_ABSENT: break;
    }
}

void evidence_route(const struct search_result *sr, const char *question, struct route_evidence *ev)
{
    const struct search_evidence *e = &sr->evidence;
    double all = 0, have = 0, scores[DOMAIN_COUNT];
    size_t i;

    memset(ev, 0, sizeof(*ev));
    ev->searched = true;
    for (i = 0; i < e->nterms; i++) {
        all += e->terms[i].idf;
        if (held(&e->terms[i]))
            have += e->terms[i].idf;
        ev->unknown_words += unknown_word(&e->terms[i]);
        count_unheld(&e->terms[i], ev);
    }
    ev->coverage = all > 0 ? have / all : 0;
    ev->best = e->best_bm25_norm;
    ev->distinct_idf = route_distinct_idf(e, question);
    domains_score(question, scores);
    for (i = 0; i < DOMAIN_COUNT; i++)
        if (scores[i] > ev->lexicon)
            ev->lexicon = scores[i];
    for (i = 0; i < sr->n && i < ROUTE_SPREAD_HITS; i++) {
        size_t j = 0;
        while (j < i
               && !(sr->hits[j].book_id != NULL && sr->hits[i].book_id != NULL
                    && strcmp(sr->hits[j].book_id, sr->hits[i].book_id) == 0))
            j++;
        ev->books += j == i && sr->hits[i].book_id != NULL;
    }
}

size_t evidence_terms(const struct search_result *sr, struct extract_term *out, size_t max)
{
    const struct search_evidence *e = &sr->evidence;
    size_t i, n = 0;

    for (i = 0; i < e->nterms && n < max; i++)
        out[n++] = (struct extract_term){.term = e->terms[i].term,
                                         .idf = e->terms[i].idf,
                                         .weight = e->terms[i].weight,
                                         .own = true};
    for (i = 0; i < e->nexpansions && n < max; i++)
        out[n++] = (struct extract_term){.term = e->expansions[i].term,
                                         .idf = e->expansions[i].idf,
                                         .weight = e->expansions[i].weight,
                                         .own = e->expansions[i].source != SEARCH_TERM_FEEDBACK,
                                         .related = e->expansions[i].source == SEARCH_TERM_RELATED};
    return n;
}

/* Adds question q (malloc'd; taken over and freed) to out unless it is
 * NULL or already there; returns the new count. */
static size_t add_phrased(struct arena *a, char *q, const char **out, size_t n, size_t max)
{
    size_t i;

    if (q == NULL || n >= max) {
        free(q);
        return n;
    }
    for (i = 0; i < n; i++)
        if (strcmp(out[i], q) == 0) {
            free(q);
            return n;
        }
    out[n++] = arena_strdup(a, q);
    free(q);
    return n;
}

/* The question a hit stands for (malloc'd, or NULL): its section's, else
 * its chapter title's; also its chapter title's when the section's
 * heading makes no question (phrase.h: "Who belongs on it" asks about
 * nothing on its own). */
static char *hit_question(const struct search_hit *h)
{
    char *q = NULL;

    if (h->section != NULL && h->section[0] != '\0')
        q = phrase_question(h->section);
    if (q == NULL && h->chapter_title != NULL)
        q = phrase_question(h->chapter_title);
    return q;
}

size_t evidence_choices(const struct search_result *sr, struct arena *a, const char **out,
                        size_t max)
{
    size_t i, j, n = 0;

    for (i = 0; i < sr->n && n < max; i++) {
        bool seen = false;
        for (j = 0; j < i && !seen; j++) /* one choice per chapter */
            seen = sr->hits[i].chapter_id != NULL && sr->hits[j].chapter_id != NULL
                   && strcmp(sr->hits[i].chapter_id, sr->hits[j].chapter_id) == 0;
        if (!seen)
            n = add_phrased(a, hit_question(&sr->hits[i]), out, n, max);
    }
    return n;
}

bool evidence_sections(struct db *db, const struct search_result *sr, size_t k, struct arena *a,
                       struct evidence_sections *out)
{
    size_t i, j, m;

    memset(out, 0, sizeof(*out));
    out->headings = arena_alloc(a, EVIDENCE_MAX_HEADINGS * sizeof(*out->headings));
    out->chapters = arena_alloc(a, (k > 0 ? k : 1) * sizeof(*out->chapters));
    for (i = 0; i < sr->n && i < k; i++) {
        const struct search_hit *h = &sr->hits[i];
        struct extract_chapter *ch;
        struct search_section *secs;
        size_t n;
        bool seen = false;
        if (h->chapter_id == NULL)
            continue;
        for (j = 0; j < i && !seen; j++)
            seen = sr->hits[j].chapter_id != NULL
                   && strcmp(sr->hits[j].chapter_id, h->chapter_id) == 0;
        if (seen)
            continue;
        if (!search_chapter_sections(db, h->chapter_id, a, &secs, &n))
            return false;
        if (h->chapter_title != NULL && out->nheadings < EVIDENCE_MAX_HEADINGS)
            out->headings[out->nheadings++] = h->chapter_title;
        ch = &out->chapters[out->nchapters++];
        *ch = (struct extract_chapter){
            .book = h->book_id, .title = h->chapter_title, .first = out->nheadings};
        for (m = 0; m < n && out->nheadings < EVIDENCE_MAX_HEADINGS; m++)
            out->headings[out->nheadings++] = secs[m].title;
        ch->n = out->nheadings - ch->first;
    }
    return true;
}
