/*
 * The PLC acronym and synonym list; see synonyms.h.  Keep entries lower
 * case; add a line here when the starter library or the dev set shows a
 * term teachers abbreviate.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "library/synonyms.h"
#include "util/buf.h"

const struct synonym synonyms[] = {
    {"plc", "professional learning community"},
    {"plcs", "professional learning communities"},
    {"cfa", "common formative assessment"},
    {"cfas", "common formative assessments"},
    {"rti", "response to intervention"},
    {"mtss", "multi tiered system of supports"},
    {"gvc", "guaranteed and viable curriculum"},
    {"smart", "specific measurable attainable results oriented time bound"},
    {"sel", "social emotional learning"},
    {"pd", "professional development"},
    {"iep", "individualized education program"},
    {"ell", "english language learner"},
    {"ells", "english language learners"},
    {"el", "english learner"},
    {"sped", "special education"},
    {"pbis", "positive behavioral interventions and supports"},
    {"dok", "depth of knowledge"},
    {"ela", "english language arts"},
    {"stem", "science technology engineering and mathematics"},
    {"sme", "subject matter expert"},
    {"kpi", "key performance indicator"},
    {"ccss", "common core state standards"},
    {"ilt", "instructional leadership team"},
    {"glt", "guiding leadership team"},
};
const size_t synonyms_count = sizeof(synonyms) / sizeof(synonyms[0]);

/* Teachers' words for what PLC books say otherwise: one way, from the
 * question's word or phrase to the books' words.  General school
 * vocabulary, written from eval/dev.jsonl and eval/holdout/tune.jsonl
 * (never from the held-out questions); each entry must make sense for
 * any PLC library, not one question. */
const struct synonym thesaurus[] = {
    {"kid", "student"},
    {"kids", "students"},
    {"child", "student"},
    {"children", "students"},
    {"pupils", "students"},
    {"teammate", "team member colleague"},
    {"teammates", "team members colleagues"},
    {"coworker", "colleague"},
    {"admin", "principal administrator"},
    {"administration", "principal administrator"},
    {"ap", "assistant principal"},
    {"vp", "assistant principal"},
    {"boss", "principal"},
    {"quiz", "assessment"},
    {"quizzes", "assessments"},
    {"test", "assessment"},
    {"tests", "assessments"},
    {"exam", "assessment"},
    {"pretest", "pre-assessment"},
    {"grade", "score"},
    {"grading", "scoring"},
    {"graded", "scored"},
    {"hs", "high school"},
    {"ms", "middle school"},
    {"k 5", "elementary"},
    {"ground rules", "norms"},
    {"rules", "norms"},
    {"run", "facilitate lead"},
    {"running", "facilitating leading"},
    {"zoom", "virtual online video"},
    {"online", "virtual"},
    {"remote", "virtual"},
    {"win", "intervention"},
    {"flex", "intervention"},
    {"behind", "intervention support"},
    {"struggling", "intervention support"},
    {"gifted", "extension"},
    {"advanced", "extension"},
    {"enrichment", "extension"},
    {"already know", "extension proficient"},
    {"reteach", "reteaching intervention"},
    {"mission", "purpose"},
    {"purpose", "mission"},
    {"mandate", "tight non-negotiable"},
    {"nonnegotiable", "tight"},
    {"non negotiable", "tight"},
    {"optional", "loose"},
    {"scoring guide", "rubric"},
    {"mistakes", "errors misconceptions"},
    {"errors", "mistakes misconceptions"},
    {"parents", "families"},
    {"families", "parents"},
    {"union", "association contract"},
    {"absences", "attendance"},
    {"absent", "attendance"},
    {"discipline", "behavior"},
    {"planning time", "collaborative time"},
    {"collab time", "collaborative time"},
    {"agenda", "meeting plan"},
    {"notes", "minutes record"},
    {"new teacher", "novice first-year"},
    {"vote", "consensus decision"},
    {"disagree", "conflict"},
    {"argue", "conflict"},
    {"results", "data"},
    {"data", "results"},
    {"scores", "results data"},
    {"goal", "target"},
    {"spreadsheet", "data"},
    {"checklist", "list"},
    {"skip", "compact"},
};
const size_t thesaurus_count = sizeof(thesaurus) / sizeof(thesaurus[0]);

static bool word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

const struct synonym *synonym_by_abbrev(const char *w, size_t n)
{
    size_t i, j;

    for (i = 0; i < synonyms_count; i++) {
        const char *a = synonyms[i].abbrev;
        if (strlen(a) != n)
            continue;
        for (j = 0; j < n; j++)
            if (tolower((unsigned char)w[j]) != a[j])
                break;
        if (j == n)
            return &synonyms[i];
    }
    return NULL;
}

/* Appends the lower-cased words of text to out, one space between each
 * (and one before each unless out is empty). */
static void lower_words(const char *text, struct buf *out)
{
    const unsigned char *p = (const unsigned char *)text;

    while (*p != '\0') {
        while (*p != '\0' && !word_byte(*p))
            p++;
        if (*p == '\0')
            break;
        if (out->len > 0)
            buf_putc(out, ' ');
        while (word_byte(*p))
            buf_putc(out, (char)tolower(*p++));
    }
}

/* Returns true when the phrase occurs in words (space-separated, lower
 * case, as built by lower_words) on word boundaries. */
static bool has_phrase(const char *words, const char *phrase)
{
    size_t n = strlen(phrase);
    const char *p = words;

    while ((p = strstr(p, phrase)) != NULL) {
        if ((p == words || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return true;
        p++;
    }
    return false;
}

/* Returns true when the word occurs in words on word boundaries. */
static bool has_word(const char *words, const char *word)
{
    return has_phrase(words, word);
}

void synonyms_each(const char *text, synonyms_fn fn, void *ctx)
{
    struct buf words = BUF_INIT;
    size_t i;

    lower_words(text, &words);
    for (i = 0; i < synonyms_count; i++) {
        if (has_word(buf_str(&words), synonyms[i].abbrev))
            fn(ctx, synonyms[i].phrase, synonyms[i].abbrev);
        else if (has_phrase(buf_str(&words), synonyms[i].phrase))
            fn(ctx, synonyms[i].abbrev, synonyms[i].phrase);
    }
    buf_free(&words);
}

void synonyms_thesaurus_each(const char *text, synonyms_fn fn, void *ctx)
{
    struct buf words = BUF_INIT;
    size_t i;

    lower_words(text, &words);
    for (i = 0; i < thesaurus_count; i++)
        if (has_phrase(buf_str(&words), thesaurus[i].abbrev))
            fn(ctx, thesaurus[i].phrase, thesaurus[i].abbrev);
    buf_free(&words);
}

/* synonyms_each() callback of synonyms_expand_text(). */
static void append_expansion(void *ctx, const char *expansion, const char *source)
{
    struct buf *out = ctx;

    (void)source;
    if (out->len > 0)
        buf_putc(out, ' ');
    buf_puts(out, expansion);
}

void synonyms_expand_text(const char *text, struct buf *out)
{
    lower_words(text, out);
    synonyms_each(text, append_expansion, out);
}
