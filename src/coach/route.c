/*
 * Classification; see route.h.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "coach/route.h"
#include "coach/words.h"
#include "library/bm25.h"
#include "library/domains.h"
#include "library/search.h"

/* ---- the safety topics (an extra rule, not the mechanism) --------------- */

#define SCOPE(topic)                                                                               \
    "I'm a coach for Professional Learning Community work, so I can't help with " topic ". "

#define HELP_WITH                                                                                  \
    "I can help with collaborative teams and their meetings, essential standards and "             \
    "curriculum, common formative assessments, looking at student data together, "                 \
    "interventions and extension, and the culture and leadership of a PLC."

static const char *const legal[] = {"sue",       "sued",    "suing",      "lawsuit*", "lawyer*",
                                    "attorney*", "legal",   "legally",    "liable",   "liability",
                                    "court",     "custody", "negligence", NULL};
static const char *const medical[] = {
    "medication*", "medicine*", "meds",         "dose",      "doses",   "dosage*", "prescri*",
    "symptom*",    "doctor*",   "pediatrician", "allerg*",   "fever",   "rash",    "vaccin*",
    "medical",     "melatonin", "supplement*",  "ibuprofen", "tylenol", NULL};
static const char *const plan_docs[] = {"504", "iep", "ieps", "individualized education", NULL};
static const char *const plan_verbs[] = {"write*", "draft*", "fill", "complete",
                                         "create", "make",   NULL};

struct safety {
    const char *topic;
    const char *refusal;
    const char *const *phrases;
    const char *const *also; /* when not NULL: one of these must occur too */
};

#define SAFETY(topic, extra, phrases, also)                                                        \
    {                                                                                              \
        topic, SCOPE(topic) extra HELP_WITH, phrases, also                                         \
    }

static const struct safety safety[] = {
    SAFETY("legal advice", "For legal questions, please ask your district's legal counsel. ", legal,
           NULL),
    SAFETY("medical advice",
           "For health and medication questions, please ask the school nurse or a doctor. ",
           medical, NULL),
    SAFETY("writing an individual student's 504 plan or IEP",
           "Plans for an individual student are written by the school's 504 or IEP team with the "
           "family. ",
           plan_docs, plan_verbs),
};

#define NOT_COVERED_TOPIC "this: the library does not cover it"
#define NOT_COVERED                                                                                \
    "I'm a coach for Professional Learning Community work, and the library doesn't cover this, "   \
    "so I won't guess. " HELP_WITH

/* ---- the evidence -------------------------------------------------------- */

static bool has_digit(const char *w)
{
    for (; *w != '\0'; w++)
        if (isdigit((unsigned char)*w))
            return true;
    return false;
}

double route_specificity(const struct search_evidence *e)
{
    double top, sum = 0;
    size_t i, n = 0;

    if (e->library_chunks <= 0)
        return 0;
    top = bm25_idf((double)e->library_chunks, 0);
    for (i = 0; i < e->nterms; i++) {
        const struct search_term *t = &e->terms[i];
        if (has_digit(t->word != NULL ? t->word : t->term))
            continue;
        sum += t->corrected != NULL || t->expanded ? t->held_idf : t->idf;
        n++;
    }
    if (n == 0)
        return 1;
    sum /= (double)n * top;
    return sum < 0 ? 0 : sum > 1 ? 1 : sum;
}

double route_scope_logit(const struct route_evidence *ev)
{
    double lex = ev->lexicon < ROUTE_LEXICON_CAP ? ev->lexicon : ROUTE_LEXICON_CAP;
    double unknown = ev->unknown_words < 3 ? (double)ev->unknown_words : 3.0;

    return ROUTE_W0 + ROUTE_W_COVERAGE * ev->coverage + ROUTE_W_BEST * ev->best
           + ROUTE_W_LEXICON * lex / ROUTE_LEXICON_CAP + ROUTE_W_UNKNOWN * unknown / 3.0
           + ROUTE_W_SPECIFICITY * ev->specificity;
}

bool route_out_of_scope(const struct route_evidence *ev)
{
    return ev->searched && route_scope_logit(ev) >= ROUTE_OUT_LOGIT;
}

bool route_unheld_things(const struct route_evidence *ev)
{
    return ev->searched && !ev->followup && ev->unheld_nouns > 0 && ev->unheld_other == 0
           && route_scope_logit(ev) >= ROUTE_NOUN_LOGIT;
}

bool route_followup_out_of_scope(const struct route_evidence *own, bool points_back)
{
    return !points_back && route_out_of_scope(own);
}

/* ---- too broad: the question's own words (branch clarify26) -------------- */

/* Evaluative words that, like words.h's "better" and "effective", say
 * how well and not what: "how do we make our time together more useful". */
static const char *const evaluative[] = {"useful",     "helpful",  "productive", "meaningful",
                                         "worthwhile", "valuable", "efficient*", NULL};

/* A situation followed by a bare request for help ("..., advice?",
 * "... help", "our scores are low what do we do") asks the coach to pick
 * the subject. */
static const char *const plea[] = {"advice",
                                   "help",
                                   "tips",
                                   "ideas",
                                   "suggestions",
                                   "thoughts",
                                   "what do we do",
                                   "what can we do",
                                   "what should we do",
                                   "what do i do",
                                   "what can i do",
                                   "what should i do",
                                   NULL};

/* How many words of ws from word i on the phrase (pattern words separated
 * by one space) takes, or 0 when it does not start there. */
static size_t phrase_at(const struct words *ws, size_t i, const char *phrase)
{
    size_t n = 0;

    while (*phrase != '\0') {
        size_t len = strcspn(phrase, " ");
        if (i + n >= ws->n || !words_match(ws->w[i + n], phrase, len))
            return 0;
        n++;
        phrase += len;
        phrase += *phrase == ' ';
    }
    return n;
}

/* A distinctive word (words.h) that is not evaluative: what too broad
 * counts. */
static bool broad_distinctive(const char *w)
{
    return words_is_distinctive(w) && !words_in_list(w, evaluative);
}

/* True when ws ends in a plea with at least one word before it. */
static bool ends_in_plea(const struct words *ws)
{
    size_t k;

    for (k = 0; plea[k] != NULL; k++) {
        const char *p;
        size_t n = 1;
        for (p = plea[k]; *p != '\0'; p++)
            n += *p == ' ';
        if (ws->n > n && phrase_at(ws, ws->n - n, plea[k]) == n)
            return true;
    }
    return false;
}

double route_distinct_idf(const struct search_evidence *e, const char *question)
{
    struct words *ws = &(struct words){0};
    double sum = 0;
    size_t i, j, k;

    if (e->library_chunks <= 0)
        return 0;
    words_split(question, ws);
    for (i = 0; i < e->nterms; i++) {
        const struct search_term *t = &e->terms[i];
        bool mine = false, seen = false;
        if (t->source != SEARCH_TERM_QUESTION || t->word == NULL)
            continue;
        for (j = 0; j < ws->n && !mine; j++)
            mine = strcasecmp(ws->w[j], t->word) == 0 && broad_distinctive(ws->w[j]);
        for (k = 0; k < i && !seen; k++)
            seen = strcmp(e->terms[k].term, t->term) == 0;
        if (mine && !seen)
            sum += t->corrected != NULL || t->expanded ? t->held_idf : t->idf;
    }
    return sum / bm25_idf((double)e->library_chunks, 0);
}

/* ---- too broad ------------------------------------------------------------ */

static const char *const definitional[] = {"define*",   "definition", "meaning",
                                           "stand for", "stands for", NULL};
/* "What is X?" and "how many X?" define or count X only when X comes
 * right after them (stop words aside): "what's the best way to lead
 * teachers" asks for a verdict (branch clarify26). */
static const char *const asks_what[] = {"what is", "what's", "whats", "what are", NULL};
static const char *const quantity[] = {"how many", "how much", "how often",
                                       "how long", "how soon", NULL};

/* Generic words that name no subject: what they ask for is a priority or
 * a verdict ("what's the most important thing", "what's best"), so a
 * definition or quantity made of them alone defines nothing. */
static const char *const vague[] = {"thing*",    "stuff",   "everything", "anything", "something",
                                    "important", "matter*", "best",       "good",     "great",
                                    "better",    "first",   "next",       "tips",     "tip",
                                    "advice",    "idea*",   NULL};

/* True when ws has a word that is neither a stop word nor vague: the
 * subject a definition or a quantity is about ("PLC" in "what is a
 * PLC?"). */
static bool has_subject(const struct words *ws)
{
    size_t i;

    for (i = 0; i < ws->n; i++)
        if (!words_is_stop(ws->w[i]) && !words_in_list(ws->w[i], vague))
            return true;
    return false;
}

/* True when one of phrases occurs in ws and the first word after it that
 * is not a stop word is neither vague nor missing: its subject. */
static bool subject_follows(const struct words *ws, const char *const *phrases)
{
    size_t i, j, k;

    for (i = 0; i < ws->n; i++)
        for (k = 0; phrases[k] != NULL; k++) {
            size_t n = phrase_at(ws, i, phrases[k]);
            if (n == 0)
                continue;
            for (j = i + n; j < ws->n && words_is_stop(ws->w[j]); j++)
                ;
            if (j < ws->n && !words_in_list(ws->w[j], vague))
                return true;
        }
    return false;
}

/* True when ws defines or counts a subject (never too broad). */
static bool defines_subject(const struct words *ws)
{
    return (words_has_any(ws, definitional) && has_subject(ws)) || subject_follows(ws, asks_what)
           || subject_follows(ws, quantity);
}

/* How many distinctive words question has (broad_distinctive), or
 * SIZE_MAX when it has no words or is a definition or a quantity of a
 * subject (never too broad). */
static size_t broad_words(const char *question)
{
    struct words *ws = &(struct words){0};
    size_t i, n = 0;

    words_split(question, ws);
    if (ws->n == 0 || defines_subject(ws))
        return SIZE_MAX;
    for (i = 0; i < ws->n; i++)
        n += broad_distinctive(ws->w[i]);
    return n;
}

bool route_too_broad(const char *question)
{
    return broad_words(question) <= ROUTE_BROAD_MAX_DISTINCTIVE;
}

bool route_too_broad_spread(const char *question, const struct route_evidence *ev)
{
    return ev->searched && !ev->followup && ev->books >= ROUTE_SPREAD_BOOKS
           && broad_words(question) == ROUTE_BROAD_MAX_DISTINCTIVE + 1;
}

bool route_too_broad_plea(const char *question, const struct route_evidence *ev)
{
    struct words *ws = &(struct words){0};

    if (!ev->searched || ev->followup || ev->distinct_idf > ROUTE_PLEA_IDF)
        return false;
    words_split(question, ws);
    return ends_in_plea(ws) && !defines_subject(ws);
}

bool route_too_broad_evidence(const char *question, const struct route_evidence *ev)
{
    return route_too_broad_spread(question, ev) || route_too_broad_plea(question, ev);
}

static const char *const general_choices[ROUTE_MAX_CHOICES] = {
    "How do we get a new collaborative team started?",
    "How do we decide which standards are essential?",
    "How do we write a common formative assessment together?",
    "What should we do when students don't learn it the first time?",
};

#define CLARIFY_GENERAL "PLC work covers a lot of ground. Which part would help you most right now?"
#define CLARIFY_DOMAIN "That covers a lot. Which of these is closest to what you need?"

unsigned route_domains(const char *question)
{
    double scores[DOMAIN_COUNT], best = 0;
    unsigned set = 0;
    size_t i, picked = 0;

    domains_score(question, scores);
    for (i = 0; i < DOMAIN_COUNT; i++)
        if (scores[i] > best)
            best = scores[i];
    while (picked < DOMAIN_MAX_TAGS) {
        size_t top = DOMAIN_COUNT;
        for (i = 0; i < DOMAIN_COUNT; i++)
            if (!(set & (1u << i)) && scores[i] >= ROUTE_DOMAIN_MIN && scores[i] >= best * 0.5
                && (top == DOMAIN_COUNT || scores[i] > scores[top]))
                top = i;
        if (top == DOMAIN_COUNT)
            break;
        set |= 1u << top;
        picked++;
    }
    return set;
}

void route_classify(const char *question, bool allow_clarify, const struct route_evidence *ev,
                    struct coach_class *out)
{
    struct words *ws = &(struct words){0};
    size_t i;
    bool broad;

    memset(out, 0, sizeof(*out));
    words_split(question, ws);
    for (i = 0; i < sizeof(safety) / sizeof(safety[0]); i++) {
        if (!words_has_any(ws, safety[i].phrases))
            continue;
        if (safety[i].also != NULL && !words_has_any(ws, safety[i].also))
            continue;
        out->route = COACH_REFUSE;
        out->safety = true;
        out->topic = safety[i].topic;
        out->refusal = safety[i].refusal;
        return;
    }
    broad =
        allow_clarify
        && (route_too_broad(question) || (ev != NULL && route_too_broad_evidence(question, ev)));
    /* A too-broad question in the domain's own words ("how to get
     * buy-in") has too few terms for the library's evidence to say much:
     * it is clarified, not refused. */
    if (ev != NULL && route_out_of_scope(ev) && !(broad && ev->lexicon >= ROUTE_DOMAIN_MIN)) {
        route_refuse_uncovered(out);
        return;
    }
    /* A question it would answer whose missing words name what it is
     * about (scope38). */
    if (ev != NULL && !broad && route_unheld_things(ev)) {
        route_refuse_uncovered(out);
        return;
    }
    out->domains = route_domains(question);
    out->route = COACH_ANSWER;
    if (broad)
        route_clarify_general(out);
}

void route_clarify_general(struct coach_class *out)
{
    size_t i;

    out->route = COACH_CLARIFY;
    out->clarify = CLARIFY_GENERAL;
    for (i = 0; i < ROUTE_MAX_CHOICES; i++)
        out->choices[i] = general_choices[i];
    out->nchoices = ROUTE_MAX_CHOICES;
}

void route_refuse_uncovered(struct coach_class *out)
{
    memset(out, 0, sizeof(*out));
    out->route = COACH_REFUSE;
    out->topic = NOT_COVERED_TOPIC;
    out->refusal = NOT_COVERED;
}

void route_refuse_book(struct coach_class *out, const char *text)
{
    memset(out, 0, sizeof(*out));
    out->route = COACH_REFUSE;
    out->topic = "a book the library does not hold";
    out->refusal = text;
}

void route_set_choices(struct coach_class *out, const char *const *choices, size_t n)
{
    size_t i;

    out->route = COACH_CLARIFY;
    out->clarify = CLARIFY_DOMAIN;
    out->nchoices = n < ROUTE_MAX_CHOICES ? n : ROUTE_MAX_CHOICES;
    for (i = 0; i < out->nchoices; i++)
        out->choices[i] = choices[i];
}

const char *route_type_name(enum coach_route r)
{
    switch (r) {
    case COACH_ANSWER: return "answer";
    case COACH_CLARIFY: return "clarification";
    case COACH_REFUSE: return "refusal";
    }
    return "answer";
}

const char *route_name(enum coach_route r)
{
    switch (r) {
    case COACH_ANSWER: return "answer";
    case COACH_CLARIFY: return "clarify";
    case COACH_REFUSE: return "refuse";
    }
    return "answer";
}

bool route_parse(const char *name, enum coach_route *out)
{
    if (strcmp(name, "answer") == 0)
        *out = COACH_ANSWER;
    else if (strcmp(name, "clarify") == 0)
        *out = COACH_CLARIFY;
    else if (strcmp(name, "refuse") == 0)
        *out = COACH_REFUSE;
    else
        return false;
    return true;
}

bool route_is_clarification(const char *text)
{
    return strncmp(text, CLARIFY_GENERAL, strlen(CLARIFY_GENERAL)) == 0
           || strncmp(text, CLARIFY_DOMAIN, strlen(CLARIFY_DOMAIN)) == 0;
}
