/*
 * Rule-based classification; see route.h.
 *
 * Patterns are phrases of lower-case words; a word ending in '*' matches
 * any word it starts.  A question's words are runs of ASCII letters and
 * digits (an apostrophe inside a word is kept: "what's").
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "coach/route.h"
#include "library/domains.h"

#define MAX_WORDS 64
#define WORD_BYTES 32

struct words {
    char w[MAX_WORDS][WORD_BYTES];
    size_t n;
};

static void split_words(const char *s, struct words *out)
{
    size_t i = 0, n = strlen(s);

    out->n = 0;
    while (i < n && out->n < MAX_WORDS) {
        size_t len = 0;
        while (i < n && !isalnum((unsigned char)s[i]))
            i++;
        while (i < n
               && (isalnum((unsigned char)s[i])
                   || (s[i] == '\'' && i + 1 < n && isalpha((unsigned char)s[i + 1]) && len > 0))) {
            if (len + 1 < WORD_BYTES)
                out->w[out->n][len++] = (char)tolower((unsigned char)s[i]);
            i++;
        }
        if (len > 0) {
            out->w[out->n][len] = '\0';
            out->n++;
        }
    }
}

/* True when word w matches pattern word p (p may end in '*'). */
static bool word_match(const char *w, const char *p, size_t plen)
{
    if (plen > 0 && p[plen - 1] == '*')
        return strncmp(w, p, plen - 1) == 0;
    return strlen(w) == plen && strncmp(w, p, plen) == 0;
}

/* True when the phrase (words separated by one space) occurs in ws. */
static bool has_phrase(const struct words *ws, const char *phrase)
{
    size_t i;

    for (i = 0; i < ws->n; i++) {
        const char *p = phrase;
        size_t j = i;
        bool all = true;
        while (*p != '\0') {
            const char *sp = strchr(p, ' ');
            size_t l = sp ? (size_t)(sp - p) : strlen(p);
            if (j >= ws->n || !word_match(ws->w[j], p, l)) {
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

static bool has_any(const struct words *ws, const char *const *phrases)
{
    size_t i;

    for (i = 0; phrases[i] != NULL; i++)
        if (has_phrase(ws, phrases[i]))
            return true;
    return false;
}

static bool in_list(const char *w, const char *const *list)
{
    size_t i;

    for (i = 0; list[i] != NULL; i++)
        if (word_match(w, list[i], strlen(list[i])))
            return true;
    return false;
}

/* ---- out of scope ------------------------------------------------------ */

#define SCOPE(topic)                                                                               \
    "I'm a coach for Professional Learning Community work, so I can't help with " topic ". "

struct out_of_scope {
    const char *topic;
    const char *refusal;
    const char *const *phrases;
    const char *const *also; /* when not NULL: one of these must occur too */
};

#define HELP_WITH                                                                                  \
    "I can help with collaborative teams and their meetings, essential standards and "             \
    "curriculum, common formative assessments, looking at student data together, "                 \
    "interventions and extension, and the culture and leadership of a PLC."

static const char *const weather[] = {"weather",
                                      "forecast*",
                                      "going to snow",
                                      "going to rain",
                                      "snow tomorrow",
                                      "rain tomorrow",
                                      "hurricane*",
                                      "tornado*",
                                      "temperature outside",
                                      "snow day",
                                      "will it snow",
                                      "will it rain",
                                      NULL};
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
static const char *const tech[] = {"password*", "log in",        "login",       "google classroom",
                                   "clever",    "laminat*",      "printer*",    "projector*",
                                   "wifi",      "chromebook*",   "smartboard*", "canvas account",
                                   "reset my",  "email account", NULL};
static const char *const purchase[] = {"to buy",     "should i buy", "purchase*",
                                       "best brand", "amazon",       NULL};
static const char *const employment[] = {"sick day*", "union",
                                         "salary",    "salaries",
                                         "paycheck*", "pay raise",
                                         "pay scale", "retirement",
                                         "pension*",  "maternity",
                                         "paternity", "personal day*",
                                         "tenure",    "benefits enrollment",
                                         NULL};
static const char *const logistics[] = {"bus",        "buses",          "field trip*", "parking",
                                        "dress code", "cafeteria menu", "lunch menu",  NULL};
static const char *const everyday[] = {
    "recipe*",    "potluck",      "cook*",    "bake",   "baking",    "football",
    "basketball", "baseball",     "soccer",   "movie*", "horoscope", "lottery",
    "crypto*",    "stock market", "vacation", "dating", "joke",      NULL};

/* One entry: the topic, the refusal naming it, its phrases. */
#define OUT(topic, extra, phrases, also)                                                           \
    {                                                                                              \
        topic, SCOPE(topic) extra HELP_WITH, phrases, also                                         \
    }

static const struct out_of_scope scopes[] = {
    OUT("weather forecasts", "A weather service will know. ", weather, NULL),
    OUT("legal advice", "For legal questions, please ask your district's legal counsel. ", legal,
        NULL),
    OUT("medical advice",
        "For health and medication questions, please ask the school nurse or a doctor. ", medical,
        NULL),
    OUT("writing an individual student's 504 plan or IEP",
        "Plans for an individual student are written by the school's 504 or IEP team with the "
        "family. ",
        plan_docs, plan_verbs),
    OUT("technology support",
        "For accounts, passwords and devices, your district's help desk "
        "can help. ",
        tech, NULL),
    OUT("purchases and product recommendations", "", purchase, NULL),
    OUT("employment, pay or contract questions",
        "Your union representative or human resources office can answer those. ", employment, NULL),
    OUT("transport and district logistics",
        "Your school office or district handbook has those policies. ", logistics, NULL),
    OUT("topics outside PLC work", "", everyday, NULL),
};

/* ---- too broad ------------------------------------------------------------ */

static const char *const stop[] = {
    "a",   "an",   "the",   "to",     "of",    "in",     "on",    "at",    "for",   "and",
    "or",  "it",   "this",  "that",   "is",    "are",    "be",    "with",  "how",   "what",
    "i",   "we",   "me",    "us",     "my",    "our",    "you",   "your",  "do",    "does",
    "did", "can",  "could", "should", "would", "will",   "about", "any",   "some",  "please",
    "so",  "all",  "as",    "by",     "from",  "if",     "into",  "there", "these", "those",
    "why", "when", "where", "which",  "who",   "was",    "were",  "am",    "have",  "has",
    "get", "got",  "go",    "going",  "whats", "what's", "hows",  "how's", NULL};
static const char *const generic[] = {
    "plc",        "plcs",       "professional", "learning",   "communit*",   "doing",
    "done",       "work",       "works",        "working",    "run",         "running",
    "implement*", "make",       "build",        "tell",       "explain",     "help",
    "know",       "need",       "want",         "everything", "anything",    "stuff",
    "thing*",     "overview",   "basic*",       "guide",      "best",        "way",
    "ways",       "good",       "great",        "better",     "really",      "school*",
    "teacher*",   "staff",      "tips",         "advice",     "successful*", "effective*",
    "well",       "right",      "properly",     "correctly",  "whole",       "process",
    "model",      "approach",   "general*",     "idea*",      "more",        "info*",
    "learn",      "understand", "use",          "using",      "set",         "up",
    "setting",    "able",       "try",          "started",    "kind",        NULL};
static const char *const definitional[] = {"what is",    "what's",     "whats",   "what are",
                                           "define*",    "definition", "meaning", "stand for",
                                           "stands for", NULL};

struct headline {
    const char *word; /* pattern */
    int domain;       /* index into domains.h's names */
};

/* One domain's headline words: alone, they make a question too broad. */
static const struct headline headlines[] = {
    {"assessment*", 0},   {"assess*", 0},    {"grading", 0},    {"collaborat*", 1}, {"team", 1},
    {"teams", 1},         {"teamwork", 1},   {"leadership", 2}, {"lead", 2},        {"leading", 2},
    {"leader*", 2},       {"curriculum", 3}, {"standards", 3},  {"data", 4},        {"culture", 5},
    {"intervention*", 6}, {"rti", 6},        {"mtss", 6},       {"cfa", 0},         {"cfas", 0},
};

static const char *const general_choices[] = {
    "How do we get a new collaborative team started?",
    "How do we decide which standards are essential?",
    "How do we write a common formative assessment together?",
    "What should we do when students don't learn it the first time?",
};

static const char *const domain_choices[DOMAIN_COUNT][3] = {
    {"What is the difference between formative and summative assessment?",
     "How do we write a common formative assessment together?",
     "How should our team look at the results of a common assessment?"},
    {"How do we set team norms that people actually follow?",
     "What should a good team meeting agenda look like?", "How do we handle conflict on our team?"},
    {"How can a principal support collaborative teams?", "What does a guiding coalition do?",
     "How do we share leadership with teacher leaders?"},
    {"How do we choose essential standards?", "What is a guaranteed and viable curriculum?",
     "How do we turn standards into learning targets?"},
    {"How should our team analyze common assessment data?", "How do we write SMART goals?",
     "What protocol can we use in a data meeting?"},
    {"How do we build a culture of collective responsibility?",
     "How do we get staff buy-in for PLC work?", "How do we celebrate progress as a school?"},
    {"How do we plan Tier 2 interventions?",
     "How do we extend learning for students who already know it?",
     "How do we schedule an intervention block?"},
};

#define CLARIFY_GENERAL "PLC work covers a lot of ground. Which part would help you most right now?"
#define CLARIFY_DOMAIN "That covers a lot. Which of these is closest to what you need?"

/* Returns the domain of the question's one headline word, -1 for none,
 * or -2 when something more specific is left (not too broad). */
static int broad_domain(const struct words *ws)
{
    size_t i, h;
    int domain = -1, content = 0;

    for (i = 0; i < ws->n; i++) {
        int found = -1;
        if (in_list(ws->w[i], stop) || in_list(ws->w[i], generic))
            continue;
        for (h = 0; h < sizeof(headlines) / sizeof(headlines[0]); h++)
            if (word_match(ws->w[i], headlines[h].word, strlen(headlines[h].word))) {
                found = headlines[h].domain;
                break;
            }
        if (found < 0 || ++content > 1)
            return -2;
        domain = found;
    }
    return domain;
}

static unsigned route_domains(const char *question)
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

void route_classify(const char *question, bool allow_clarify, struct coach_class *out)
{
    struct words *ws = &(struct words){0};
    size_t i;
    int domain;

    memset(out, 0, sizeof(*out));
    split_words(question, ws);
    for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
        if (!has_any(ws, scopes[i].phrases))
            continue;
        if (scopes[i].also != NULL && !has_any(ws, scopes[i].also))
            continue;
        out->route = COACH_REFUSE;
        out->topic = scopes[i].topic;
        out->refusal = scopes[i].refusal;
        return;
    }
    out->domains = route_domains(question);
    out->route = COACH_ANSWER;
    if (!allow_clarify || ws->n > ROUTE_BROAD_MAX_WORDS || ws->n == 0 || has_any(ws, definitional))
        return;
    domain = broad_domain(ws);
    if (domain == -2)
        return;
    out->route = COACH_CLARIFY;
    if (domain < 0) {
        out->clarify = CLARIFY_GENERAL;
        for (i = 0; i < 4; i++)
            out->choices[i] = general_choices[i];
        out->nchoices = 4;
    } else {
        out->clarify = CLARIFY_DOMAIN;
        for (i = 0; i < 3; i++)
            out->choices[i] = domain_choices[domain][i];
        out->nchoices = 3;
        out->domains = 1u << domain;
    }
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
