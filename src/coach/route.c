/*
 * Classification; see route.h.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

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

/* ---- too broad ------------------------------------------------------------ */

static const char *const definitional[] = {"what is",    "what's",     "whats",   "what are",
                                           "define*",    "definition", "meaning", "stand for",
                                           "stands for", NULL};
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

/* How many distinctive words question has, or SIZE_MAX when it has no
 * words or is a definition or a quantity of a subject (never too broad). */
static size_t broad_words(const char *question)
{
    struct words *ws = &(struct words){0};

    words_split(question, ws);
    if (ws->n == 0
        || ((words_has_any(ws, definitional) || words_has_any(ws, quantity)) && has_subject(ws)))
        return SIZE_MAX;
    return words_distinctive(ws);
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
    broad = allow_clarify
            && (route_too_broad(question) || (ev != NULL && route_too_broad_spread(question, ev)));
    /* A too-broad question in the domain's own words ("how to get
     * buy-in") has too few terms for the library's evidence to say much:
     * it is clarified, not refused. */
    if (ev != NULL && route_out_of_scope(ev) && !(broad && ev->lexicon >= ROUTE_DOMAIN_MIN)) {
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
