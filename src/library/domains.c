/*
 * Rule-based domain tagging; see domains.h and README.md.
 *
 * The text is split into lowercase ASCII words (letters and digits).  A
 * lexicon entry is one to four stems; it matches where consecutive words
 * each match their stem.  A word matches a stem when it equals it, or when
 * the stem has at least four letters, the word starts with it and at most
 * four more letters follow ("assess" matches "assessing", "assessments"
 * does not: list "assessment" too).  Each entry counts at most
 * MAX_HITS times, times its weight.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "library/domains.h"
#include "util/alloc.h"
#include "util/arena.h"

#define MAX_HITS 3
#define MAX_STEMS 4

/* In the order of domain_names (util/domain.c). */
enum { ASSESS, COLLAB, LEAD, CURRIC, DATA, CULTURE, LEARN };

struct term {
    int domain;
    const char *stems; /* space-separated */
    double weight;
};

static const struct term lexicon[] = {
    /* assessment */
    {ASSESS, "assess", 2},
    {ASSESS, "assessment", 2},
    {ASSESS, "common formative assessment", 4},
    {ASSESS, "formative", 2},
    {ASSESS, "summative", 2},
    {ASSESS, "cfa", 3},
    {ASSESS, "cfas", 3},
    {ASSESS, "rubric", 2},
    {ASSESS, "quiz", 1},
    {ASSESS, "test", 1},
    {ASSESS, "exam", 1},
    {ASSESS, "grade", 1},
    {ASSESS, "grading", 2},
    {ASSESS, "scoring", 1},
    {ASSESS, "exit ticket", 3},
    {ASSESS, "item analysis", 3},
    {ASSESS, "proficien", 1},
    {ASSESS, "mastery", 1},
    {ASSESS, "benchmark", 1},
    {ASSESS, "evidence of learning", 2},
    {ASSESS, "feedback", 1},
    {ASSESS, "calibrat", 2},
    {ASSESS, "performance task", 2},
    /* collaboration */
    {COLLAB, "collaborat", 2},
    {COLLAB, "collaborative team", 4},
    {COLLAB, "team", 1},
    {COLLAB, "teammate", 1},
    {COLLAB, "norm", 2},
    {COLLAB, "team norm", 3},
    {COLLAB, "meeting", 1},
    {COLLAB, "agenda", 2},
    {COLLAB, "protocol", 2},
    {COLLAB, "consensus", 2},
    {COLLAB, "colleague", 1},
    {COLLAB, "conflict", 2},
    {COLLAB, "shared", 1},
    {COLLAB, "collective", 1},
    {COLLAB, "interdependen", 2},
    {COLLAB, "professional learning community", 3},
    {COLLAB, "plc", 1},
    {COLLAB, "plcs", 1},
    {COLLAB, "singleton", 3},
    {COLLAB, "vertical team", 3},
    {COLLAB, "grade level team", 3},
    {COLLAB, "team leader", 2},
    {COLLAB, "trust", 1},
    /* leadership */
    {LEAD, "leader", 2},
    {LEAD, "leadership", 3},
    {LEAD, "principal", 2},
    {LEAD, "administrat", 2},
    {LEAD, "superintendent", 2},
    {LEAD, "guiding coalition", 4},
    {LEAD, "leadership team", 3},
    {LEAD, "vision", 2},
    {LEAD, "mission", 2},
    {LEAD, "coach", 1},
    {LEAD, "coaching", 1},
    {LEAD, "district", 1},
    {LEAD, "change", 1},
    {LEAD, "implementation", 1},
    {LEAD, "empower", 2},
    {LEAD, "delegat", 2},
    {LEAD, "decision making", 2},
    {LEAD, "accountab", 1},
    {LEAD, "loose tight", 3},
    {LEAD, "priorit", 1},
    {LEAD, "resource", 1},
    /* curriculum */
    {CURRIC, "curriculum", 3},
    {CURRIC, "curricula", 3},
    {CURRIC, "standard", 2},
    {CURRIC, "essential standard", 4},
    {CURRIC, "power standard", 4},
    {CURRIC, "guaranteed and viable", 4},
    {CURRIC, "gvc", 4},
    {CURRIC, "unit", 1},
    {CURRIC, "unit plan", 3},
    {CURRIC, "pacing", 3},
    {CURRIC, "scope and sequence", 4},
    {CURRIC, "learning target", 3},
    {CURRIC, "learning objective", 2},
    {CURRIC, "lesson", 1},
    {CURRIC, "syllabus", 2},
    {CURRIC, "unwrap", 3},
    {CURRIC, "prioritiz", 1},
    {CURRIC, "content", 1},
    {CURRIC, "instruction", 1},
    {CURRIC, "instructional", 1},
    {CURRIC, "backward design", 3},
    {CURRIC, "course", 1},
    /* data analysis */
    {DATA, "data", 2},
    {DATA, "analysis", 2},
    {DATA, "analyz", 2},
    {DATA, "analyse", 2},
    {DATA, "result", 1},
    {DATA, "score", 1},
    {DATA, "percent", 2},
    {DATA, "trend", 2},
    {DATA, "spreadsheet", 3},
    {DATA, "chart", 2},
    {DATA, "graph", 2},
    {DATA, "data meeting", 4},
    {DATA, "data protocol", 4},
    {DATA, "measur", 1},
    {DATA, "metric", 2},
    {DATA, "smart goal", 3},
    {DATA, "baseline", 2},
    {DATA, "growth", 1},
    {DATA, "disaggregat", 3},
    {DATA, "subgroup", 2},
    {DATA, "item", 1},
    {DATA, "statistic", 2},
    {DATA, "evidence", 1},
    /* school culture */
    {CULTURE, "culture", 3},
    {CULTURE, "climate", 2},
    {CULTURE, "belief", 2},
    {CULTURE, "value", 1},
    {CULTURE, "relationship", 1},
    {CULTURE, "belonging", 2},
    {CULTURE, "celebrat", 2},
    {CULTURE, "morale", 2},
    {CULTURE, "commitment", 2},
    {CULTURE, "collective commitment", 4},
    {CULTURE, "collective efficacy", 3},
    {CULTURE, "equity", 2},
    {CULTURE, "inclusi", 2},
    {CULTURE, "safe", 1},
    {CULTURE, "respect", 1},
    {CULTURE, "isolation", 2},
    {CULTURE, "resistance", 2},
    {CULTURE, "buy in", 2},
    {CULTURE, "tradition", 1},
    {CULTURE, "expectation", 1},
    {CULTURE, "sustain", 1},
    /* student learning */
    {LEARN, "student", 1},
    {LEARN, "learner", 1},
    {LEARN, "learning", 1},
    {LEARN, "intervention", 3},
    {LEARN, "extension", 2},
    {LEARN, "enrichment", 2},
    {LEARN, "rti", 4},
    {LEARN, "mtss", 4},
    {LEARN, "response to intervention", 4},
    {LEARN, "multi tiered", 3},
    {LEARN, "tier", 2},
    {LEARN, "differentiat", 3},
    {LEARN, "scaffold", 2},
    {LEARN, "reteach", 3},
    {LEARN, "misconception", 2},
    {LEARN, "struggling", 2},
    {LEARN, "engagement", 2},
    {LEARN, "motivation", 2},
    {LEARN, "small group", 2},
    {LEARN, "support", 1},
    {LEARN, "individual student", 3},
    {LEARN, "student learning", 3},
    {LEARN, "every student", 2},
    {LEARN, "all students", 2},
};

/* Returns true when word w matches stem s (see the file comment). */
static bool stem_match(const char *w, size_t wl, const char *s, size_t sl)
{
    if (wl == sl)
        return memcmp(w, s, sl) == 0;
    if (sl < 4 || wl < sl || wl - sl > 4)
        return wl == sl + 1 && w[sl] == 's' && memcmp(w, s, sl) == 0;
    return memcmp(w, s, sl) == 0;
}

struct word {
    const char *s;
    size_t len;
};

void domains_score(const char *text, double scores[DOMAIN_COUNT])
{
    struct arena a = ARENA_INIT;
    size_t n = strlen(text), nw = 0, i, t;
    struct word *w;
    char *lower = arena_alloc(&a, n + 1);

    for (i = 0; i < DOMAIN_COUNT; i++)
        scores[i] = 0;
    for (i = 0; i < n; i++)
        lower[i] = (char)tolower((unsigned char)text[i]);
    lower[n] = '\0';
    w = arena_alloc(&a, (n / 2 + 1) * sizeof(*w));
    for (i = 0; i < n;) {
        size_t s;

        while (i < n && !isalnum((unsigned char)lower[i]))
            i++;
        s = i;
        /* "buy-in" and "multi-tiered" become two words, "student's" one. */
        while (i < n && (isalnum((unsigned char)lower[i]) || lower[i] == '\''))
            i++;
        if (i > s) {
            w[nw].s = lower + s;
            w[nw].len = i - s;
            if (w[nw].len > 2 && lower[i - 2] == '\'' && lower[i - 1] == 's')
                w[nw].len -= 2;
            nw++;
        }
    }
    for (t = 0; t < sizeof(lexicon) / sizeof(lexicon[0]); t++) {
        struct word stems[MAX_STEMS];
        size_t ns = 0, hits = 0;
        const char *p = lexicon[t].stems;

        while (*p != '\0' && ns < MAX_STEMS) {
            const char *sp = strchr(p, ' ');
            size_t l = sp ? (size_t)(sp - p) : strlen(p);

            stems[ns].s = p;
            stems[ns++].len = l;
            p += l + (sp ? 1 : 0);
        }
        for (i = 0; i + ns <= nw && hits < MAX_HITS; i++) {
            size_t k;

            for (k = 0; k < ns; k++)
                if (!stem_match(w[i + k].s, w[i + k].len, stems[k].s, stems[k].len))
                    break;
            if (k == ns)
                hits++;
        }
        scores[lexicon[t].domain] += (double)hits * lexicon[t].weight;
    }
    arena_free(&a);
}

unsigned domains_best(const double scores[DOMAIN_COUNT])
{
    size_t i, best = COLLAB;
    double top = 0;

    for (i = 0; i < DOMAIN_COUNT; i++)
        if (scores[i] > top) {
            top = scores[i];
            best = i;
        }
    return 1u << best;
}

unsigned domains_tag(const char *text, unsigned fallback)
{
    double scores[DOMAIN_COUNT], top = 0;
    unsigned set = 0;
    size_t i, kept = 0;

    domains_score(text, scores);
    for (i = 0; i < DOMAIN_COUNT; i++)
        if (scores[i] > top)
            top = scores[i];
    if (top <= 0)
        return fallback ? fallback : 1u << COLLAB;
    /* Highest first, up to DOMAIN_MAX_TAGS. */
    while (kept < DOMAIN_MAX_TAGS) {
        size_t best = DOMAIN_COUNT;

        for (i = 0; i < DOMAIN_COUNT; i++)
            if (!(set & (1u << i)) && scores[i] >= DOMAIN_MIN_SCORE
                && scores[i] >= DOMAIN_RELATIVE * top
                && (best == DOMAIN_COUNT || scores[i] > scores[best]))
                best = i;
        if (best == DOMAIN_COUNT)
            break;
        set |= 1u << best;
        kept++;
    }
    return set ? set : domains_best(scores);
}
