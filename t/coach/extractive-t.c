/* Tests for coach/extractive and coach/sentences: passages split into
 * sentences at the right places; the composer quotes the section that
 * answers the question as a coherent excerpt (a list kept whole and in
 * order under its lead-in, no heading glued to a sentence, no sentence
 * without its referent, no story unless one is asked for), within the
 * answer's length, every quotation exact and cited, and what it writes
 * passes the verifier untouched. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach/extractive.h"
#include "coach/passage.h"
#include "coach/phrase.h"
#include "coach/sentences.h"
#include "coach/verify.h"
#include "library/analyze.h"
#include "tap/basic.h"
#include "util/buf.h"

/* The opening paragraph of a chapter on writing a CFA and its first two
 * steps: two tests below, one with the paragraph under no heading, one
 * under the chapter's title. */
#define CFA_OPENING_AND_STEPS                                                                      \
    "Writing a common formative assessment does not require special training in test "             \
    "design. A team that writes one together learns what its standards ask of students.\n\n"       \
    "## Step 1: Choose the targets\n\n"                                                            \
    "Start with the essential standard the team will teach in the next two or three weeks. "       \
    "A CFA should assess only two or three targets.\n\n"                                           \
    "## Step 2: Write or choose the items\n\n"                                                     \
    "Match the item type to the target the common formative assessment measures."

static const char *const passages[] = {
    ("## Tier 2: additional time and support\n\n"
     "Tier 2 provides targeted, short-term help for students who have not yet mastered specific "
     "essential standards. It is usually planned and delivered by the collaborative team, based on "
     "common formative assessment results. Groups meet e.g. three times a week.\n\n"
     "1. They target a specific skill identified by assessment, not a general weakness."),
    ("Team norms are the agreements that guide how a team works together. A team that writes its "
     "norms in its first meeting and reviews them every quarter keeps them alive. Dr. Rivera "
     "calls them \"the team's promises\" to each other."),
    ("Tier 3 serves students who lack foundational skills far below grade level. These students "
     "need intensive, individualized help delivered by staff with specific expertise."),
};

/* A page of a PDF book as the library stores it: a chapter opener, a
 * story, a section heading on its own line, a lead-in and four bullets. */
static const char playbook[] =
    "CHAPTER 2\n\n"
    "Westfield Intermediate had norms. Every team had written them during the August institute "
    "and taped them to the wall. By November, a visitor could have asked any teacher to recite "
    "their team's norms and received a shrug.\n\n"
    "Norms are the written agreements about how a team will work together. A good norm describes "
    "a behavior that a visitor could observe, and a good set of norms is short enough that "
    "members can remember it.\n\n"
    "Four tests of a norm with teeth\n\n"
    "We use four tests when coaching a team on its norms:\n\n"
    "\xe2\x80\xa2 Few. Four to six norms. A team with twelve norms has none, because nobody can "
    "hold twelve in mind during a tense conversation.\n\n"
    "\xe2\x80\xa2 Observable. Each norm names something you could see or hear.\n\n"
    "\xe2\x80\xa2 Owned. The team wrote the norms from its own experience, so that every member "
    "can explain why each one is there.\n\n"
    "\xe2\x80\xa2 Checked. The team has a routine for looking at how well it kept the norms, and a "
    "plan for what happens when one is broken.\n\n"
    "The rest of this chapter takes up each test in turn.";

/* A passage of steps, the second sentence opening with "Then". */
static const char steps[] =
    "Teams first choose the learning targets that the common formative assessment will measure. "
    "Then they decide what proficiency on the formative assessment looks like. Next the team "
    "writes or chooses a few items for each target in the assessment. Finally the team scores "
    "the assessment together before they look at the results.";

/* The question's analysed terms, each with the same library IDF. */
struct terms {
    char t[32][ANALYZE_TERM_MAX];
    struct extract_term x[32];
    size_t n;
};

static void add_term(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct terms *ts = ctx;

    (void)word;
    (void)wlen;
    if (ts->n < 32 && len < ANALYZE_TERM_MAX) {
        memcpy(ts->t[ts->n], term, len);
        ts->t[ts->n][len] = '\0';
        ts->x[ts->n] = (struct extract_term){.term = ts->t[ts->n], .weight = 1, .own = true};
        ts->n++;
    }
}

static void terms_for(struct terms *ts, const char *question, double idf)
{
    size_t i;

    ts->n = 0;
    analyze_each(question, add_term, ts);
    for (i = 0; i < ts->n; i++)
        ts->x[i].idf = idf;
}

/* perf34 (extractive.h, 4, "The budget"): every composition of this
 * file is also made from one setup (extractive_setup), asked first for
 * the steps its answer lacks and then composed twice: the steps wanted
 * are extractive_steps_wanted's and both answers extractive_compose's,
 * byte for byte (each try clears what the one before chose).  Counted
 * here, checked at the end. */
static size_t setup_composed, setup_differs;

static bool same_text(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static char *compose_checked(const struct extract_request *rq)
{
    char *a = extractive_compose(rq), *b, *c;
    struct extract_setup *x = extractive_setup(rq);
    const char *book1 = NULL, *book2 = NULL;
    int o1[EXTRACT_STEPS_FETCH] = {0}, o2[EXTRACT_STEPS_FETCH] = {0};
    size_t n1 = extractive_steps_wanted(rq, &book1, o1, EXTRACT_STEPS_FETCH),
           n2 = extractive_setup_steps_wanted(x, &book2, o2, EXTRACT_STEPS_FETCH);

    b = extractive_setup_compose(x);
    c = extractive_setup_compose(x);
    setup_composed++;
    if (n1 != n2 || book1 != book2 || memcmp(o1, o2, sizeof(o1)) != 0 || !same_text(a, b)
        || !same_text(a, c))
        setup_differs++;
    free(b);
    free(c);
    extractive_setup_free(x);
    return a;
}

/* Composes with the follow-up questions "How do we plan Tier 2?" and "What
 * should our team know about norms?"; with idf > 0, every word of the
 * question has that library IDF. */
static char *compose_in(const char *question, const char *focus, const char *const *texts, size_t k,
                        double idf, const char *const *chapters);

static char *compose(const char *question, const char *focus, const char *const *texts, size_t k,
                     double idf)
{
    return compose_in(question, focus, texts, k, idf, NULL);
}

/* compose() with source i in chapter chapters[i] of one book (NULL: all
 * in "Norms with Teeth"). */
static char *compose_in(const char *question, const char *focus, const char *const *texts, size_t k,
                        double idf, const char *const *chapters)
{
    static const char *const heads[] = {"Four tests of a norm with teeth",
                                        "The four critical questions"};
    struct extract_source src[8];
    struct terms ts;
    struct extract_request rq = {.question = question,
                                 .focus = focus,
                                 .sources = src,
                                 .k = k,
                                 .headings = heads,
                                 .nheadings = 2};
    size_t i;

    for (i = 0; i < k && i < 8; i++)
        src[i] =
            (struct extract_source){.text = texts[i],
                                    .chapter = chapters != NULL ? chapters[i] : "Norms with Teeth",
                                    .book = chapters != NULL ? "playbook" : NULL,
                                    .ordinal = (int)i};
    if (idf > 0) {
        terms_for(&ts, question, idf);
        rq.terms = ts.x;
        rq.nterms = ts.n;
    }
    return compose_checked(&rq);
}

static bool has_span(const char *text, const struct sentence_span *s, size_t n, const char *want)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i].len == strlen(want) && strncmp(text + s[i].start, want, s[i].len) == 0)
            return true;
    return false;
}

/* With PLC_TEST_SHOW set, prints the answer as diagnostics (to read
 * what the composer wrote). */
static void show(const char *a)
{
    const char *p = a, *nl;

    if (getenv("PLC_TEST_SHOW") == NULL)
        return;
    while (p != NULL && *p != '\0') {
        nl = strchr(p, '\n');
        diag("%.*s", (int)(nl != NULL ? nl - p : (long)strlen(p)), p);
        p = nl != NULL ? nl + 1 : NULL;
    }
}

/* The words of s. */
static size_t words(const char *s)
{
    return s != NULL ? sentence_words(s, strlen(s)) : 0;
}

/* True when the answer verifies against texts untouched. */
static bool verifies(const char *a, const char *const *texts, size_t k, size_t min_quotes)
{
    struct verify_result r;
    bool good;

    verify_answer(a != NULL ? a : "", texts, k, &r);
    good =
        a != NULL && strcmp(r.text, a) == 0 && verify_all_ok(&r) && r.quotes_verified >= min_quotes;
    verify_result_free(&r);
    return good;
}

/* The checks that end a case: the answer verifies against texts (at
 * least min_quotes quotations verified), is shown, and is freed. */
static void verified(char *a, const char *const *texts, size_t k, size_t min_quotes)
{
    ok(verifies(a, texts, k, min_quotes), "... and it verifies");
    show(a);
    free(a);
}

/* Composes from the one passage text, in the chapter "Building a Common
 * Formative Assessment" (the starter library's step-headed walkthrough). */
static char *compose_cfa(const char *question, const char *const *text)
{
    static const char *const chapters[] = {"Building a Common Formative Assessment"};

    return compose_in(question, NULL, text, 1, 2.0, chapters);
}

/* The steps' request (steps33): texts[i] in the chapter "Building a
 * Common Formative Assessment" of one book at ordinals[i]; the first
 * nretrieved retrieved, the others fetched for the steps (steps_only). */
struct steps_rq {
    struct extract_source src[4];
    struct terms ts;
    struct extract_request rq;
};

static void steps_rq(struct steps_rq *r, const char *question, const char *const *texts, size_t k,
                     size_t nretrieved, const int *ordinals)
{
    size_t i;

    for (i = 0; i < k && i < 4; i++)
        r->src[i] = (struct extract_source){.text = texts[i],
                                            .chapter = "Building a Common Formative Assessment",
                                            .book = "assessment",
                                            .ordinal = ordinals[i],
                                            .steps_only = i >= nretrieved};
    terms_for(&r->ts, question, 2.0);
    r->rq = (struct extract_request){
        .question = question, .sources = r->src, .k = k, .terms = r->ts.x, .nterms = r->ts.n};
}

/* Composes from texts (chapter "Teams at Work") with the question's
 * terms (terms_for(), library IDF 2.0), the term of "team" at IDF 0.07
 * (a word nearly every passage holds), and the extra terms
 * (NULL-terminated, IDF 2.0, own): related[i] for a WordNet relation,
 * else what retrieval put in a word's place (wnown35). */
static char *compose_extra(const char *question, const char *const *texts, size_t k,
                           const char *const *extra, const bool *related)
{
    struct extract_source src[4];
    struct terms ts;
    struct extract_request rq = {.question = question, .sources = src, .k = k};
    size_t i;

    for (i = 0; i < k && i < 4; i++)
        src[i] = (struct extract_source){.text = texts[i], .chapter = "Teams at Work"};
    terms_for(&ts, question, 2.0);
    for (i = 0; i < ts.n; i++)
        if (strcmp(ts.t[i], "team") == 0)
            ts.x[i].idf = 0.07;
    for (i = 0; extra[i] != NULL && ts.n < 32; i++, ts.n++) {
        snprintf(ts.t[ts.n], ANALYZE_TERM_MAX, "%s", extra[i]);
        ts.x[ts.n] = (struct extract_term){
            .term = ts.t[ts.n], .idf = 2.0, .weight = 1, .own = true, .related = related[i]};
    }
    rq.terms = ts.x;
    rq.nterms = ts.n;
    return compose_checked(&rq);
}

int main(void)
{
    struct sentence_span s[32];
    size_t n, i;
    char *a;
    uint64_t *t1, *t2;
    size_t n1, n2;

    plan(206);

    n = sentence_split(passages[0], s, 32);
    is_int(4, (long long)n, "four sentences (the heading is skipped, e.g. ends none)");
    ok(has_span(passages[0], s, n,
                "They target a specific skill identified by assessment, not a general weakness."),
       "the list marker is not part of the sentence");
    ok(has_span(passages[0], s, n, "Groups meet e.g. three times a week."),
       "e.g. inside a sentence");
    n = sentence_split(passages[1], s, 32);
    is_int(3, (long long)n, "Dr. does not end a sentence");
    is_int(0, (long long)sentence_split("", s, 32), "empty text: none");
    is_int(1, (long long)sentence_split("no punctuation at all", s, 32), "a fragment is one");
    is_int(4, (long long)sentence_words("  four  words in\nthis ", 22), "words");
    is_int(4, (long long)sentence_list_marker("\xe2\x80\xa2 Few.", 9),
           "a PDF's bullet is a list marker");
    n = sentence_split_range("One. Two is here. Three", 5, 23, s, 32);
    ok(n == 2 && s[0].start == 5 && has_span("One. Two is here. Three", s, n, "Three"),
       "a range is split with offsets into the text");

    t1 = terms_of("How do we write CFAs?", 21, true, &n1);
    t2 = terms_of("common formative assessments", 28, false, &n2);
    is_int((long long)n2, (long long)terms_overlap(t1, n1, t2, n2),
           "an acronym expands to its phrase's terms");
    free(t1);
    free(t2);

    /* The list in the passage: kept whole, in order, under its lead-in. */
    {
        const char *const one[] = {playbook};
        const char *few, *obs, *own, *chk, *lead;
        a = compose("how do we make our team norms stick and have teeth?", NULL, one, 1, 2.0);
        lead = a ? strstr(a, "\"We use four tests when coaching a team on its norms:\" [1]") : NULL;
        few = a ? strstr(a, "\"Few. Four to six norms. A team with twelve norms has none, because "
                            "nobody can hold twelve in mind during a tense conversation.\" [1]")
                : NULL;
        obs = a ? strstr(a, "\"Observable. Each norm names something you could see or hear.\" [1]")
                : NULL;
        own = a ? strstr(a, "\"Owned. The team wrote") : NULL;
        chk = a ? strstr(a, "\"Checked. The team has a routine") : NULL;
        ok(a != NULL && lead != NULL, "the list's lead-in is quoted");
        ok(few != NULL && obs != NULL && own != NULL && chk != NULL,
           "every item of the list is quoted, each whole");
        ok(lead != NULL && few != NULL && lead < few && few < obs && obs < own && own < chk,
           "... after its lead-in, in the source's order");
        ok(few != NULL && chk != NULL && strstr(a, "\n1. \"Few.") != NULL
               && strstr(a, "\n4. \"Checked.") != NULL,
           "a how question: the items are numbered steps");
        ok(a != NULL && strstr(a, "CHAPTER") == NULL && strstr(a, "teeth We use") == NULL
               && strstr(a, "\"Four tests of") == NULL,
           "no heading is quoted, alone or glued to a sentence");
        ok(a != NULL && strstr(a, "Westfield") == NULL && strstr(a, "By November") == NULL,
           "the story told in the past tense is left out");
        ok(a != NULL && strstr(a, "The rest of this chapter") == NULL,
           "a sentence at the section's end that shares nothing with the question is left out");
        ok(verifies(a, one, 1, 6), "every quotation is exact text of its source and verifies");
        ok(a != NULL && words(a) <= EXTRACT_ANSWER_WORDS, "within %d words (%zu)",
           EXTRACT_ANSWER_WORDS, words(a));
        {
            const char *kt = a ? strstr(a, "**Key takeaways**\n\n- ") : NULL;
            const char *fu = a ? strstr(a, "**Suggested follow-up questions**") : NULL;
            bool shorter = kt != NULL && fu != NULL;
            const char *q = kt;
            size_t nk = 0;
            /* Each takeaway is shorter than any point it comes from: no
             * takeaway repeats a point whole. */
            while (shorter && (q = strstr(q + 1, "\n- \"")) != NULL && q < fu) {
                const char *end = strstr(q + 4, "\" [");
                char quoted[512];
                size_t len = end ? (size_t)(end - q - 4) : 0;
                if (end == NULL || len + 3 >= sizeof(quoted))
                    break;
                memcpy(quoted, q + 4, len);
                memcpy(quoted + len, "\" [", 4);
                shorter = strstr(a, quoted) == q + 4; /* not elsewhere as a whole quotation */
                nk++;
            }
            ok(shorter && nk >= 2 && nk <= EXTRACT_TAKEAWAYS,
               "2-%d key takeaways, none repeating a point whole (%zu)", EXTRACT_TAKEAWAYS, nk);
        }
        show(a);
        free(a);

        a = compose("what did Westfield Intermediate's norms look like, a real example?", NULL, one,
                    1, 2.0);
        ok(a != NULL && strstr(a, "By November, a visitor could have asked") != NULL,
           "asked for an example, the story may be quoted");
        show(a);
        free(a);
    }

    /* The shape: the opening, takeaways, follow-ups. */
    a = compose("What is Tier 3 and who delivers the intensive help?", NULL, passages, 3, 0);
    ok(a != NULL, "composed an answer");
    ok(a != NULL
           && strncmp(a,
                      "\"Tier 3 serves students who lack foundational skills far below grade "
                      "level.",
                      strlen("\"Tier 3 serves students who lack foundational skills far below "
                             "grade level."))
                  == 0,
       "it opens with the sentence that answers most directly");
    ok(a != NULL
           && strstr(a, "far below grade level. These students need intensive, individualized help "
                        "delivered by staff with specific expertise.\" [3]")
                  != NULL,
       "the sentence that depends on it follows it in the same quotation, cited [3]");
    ok(a != NULL && strstr(a, "Team norms") == NULL, "nothing about norms");
    {
        /* No quoted section is among the chapter's headings and the
         * sources have no section of their own: the chapter's headings
         * in order (sugg37b; before, no suggestion). */
        char *q0 = phrase_question("Four tests of a norm with teeth");
        const char *f = a != NULL ? strstr(a, "**Suggested follow-up questions**") : NULL;
        ok(f != NULL && q0 != NULL && strstr(f, "\n1. ") != NULL
               && strncmp(strstr(f, "\n1. ") + 4, q0, strlen(q0)) == 0,
           "no quoted section among the chapter's headings: its first heading is suggested");
        free(q0);
    }
    ok(verifies(a, passages, 3, 1), "the verifier keeps it all");
    show(a);
    free(a);

    {
        /* sugg37 (extractive.h, 7): the suggested questions are headings of
         * the chapters the answer cites.  Source 2, in another chapter, is
         * retrieved but not quoted: its neighbouring heading ("Keeping
         * norms alive all year long", what the pipeline suggested before;
         * its words make the reserve room for two) and the next
         * chapter's title (right after the quoted section among the
         * headings) are not suggested; the quoted section's neighbour
         * is, then (fewer than two) the heading after it. */
        static const char *const heads[] = {"Tiered Support",
                                            "Tier 1: core instruction",
                                            "Tier 2: targeted help",
                                            "Tier 3: intensive help",
                                            "Norms with Teeth",
                                            "Norms",
                                            "Keeping norms alive all year long",
                                            "Sample norms from a fourth-grade team"};
        static const struct extract_chapter chapters[] = {
            {.book = "handbook", .title = "Tiered Support", .first = 1, .n = 3},
            {.book = "handbook", .title = "Norms with Teeth", .first = 5, .n = 3}};
        static const char *const texts[] = {
            "## Tier 3: intensive help\n\nTier 3 serves students who lack foundational skills "
            "far below grade level. These students need intensive, individualized help "
            "delivered by staff with specific expertise.",
            "## Norms\n\nTeam norms are the agreements that guide how a team works together. A "
            "team that writes its norms in its first meeting keeps its norms in mind."};
        struct extract_source src[2] = {{.text = texts[0],
                                         .section = "Tier 3: intensive help",
                                         .chapter = "Tiered Support",
                                         .book = "handbook",
                                         .ordinal = 7},
                                        {.text = texts[1],
                                         .section = "Norms",
                                         .chapter = "Norms with Teeth",
                                         .book = "handbook",
                                         .ordinal = 12}};
        struct extract_request rq = {.question =
                                         "What is Tier 3 and who delivers the intensive help?",
                                     .sources = src,
                                     .k = 2,
                                     .headings = heads,
                                     .nheadings = 8,
                                     .chapters = chapters,
                                     .nchapters = 2};
        const char *f;
        char *q2 = phrase_question("Tier 2: targeted help"),
             *q1 = phrase_question("Tier 1: core instruction");
        a = compose_checked(&rq);
        f = a != NULL ? strstr(a, "**Suggested follow-up questions**") : NULL;
        ok(a != NULL && strstr(a, "[1]") != NULL && strstr(a, "[2]") == NULL,
           "the answer cites the Tier 3 chapter only");
        ok(f != NULL && strstr(f, "orms") == NULL,
           "... so no suggested question names a section of the norms chapter, nor its title");
        ok(f != NULL && q2 != NULL && q1 != NULL && strstr(f, "Tier 3") == NULL
               && strstr(f, "\n1. ") != NULL && strncmp(strstr(f, "\n1. ") + 4, q2, strlen(q2)) == 0
               && strstr(f, "\n2. ") != NULL
               && strncmp(strstr(f, "\n2. ") + 4, q1, strlen(q1)) == 0,
           "... the quoted section's neighbour first, then the heading after it, never itself");
        ok(verifies(a, texts, 2, 1), "... and it verifies");
        show(a);
        free(a);
        free(q1);
        free(q2);
    }

    a = compose("how do we keep our norms alive?", NULL, passages, 3, 0);
    ok(a != NULL && strstr(a, "reviews them every quarter") != NULL, "the norms answer");
    show(a);
    free(a);
    a = compose("what promises does Rivera call the norms?", NULL, passages, 3, 0);
    ok(a != NULL
           && strstr(a, "\"Dr. Rivera calls them \xe2\x80\x9cthe team's promises\xe2\x80\x9d to "
                        "each other.\" [2]")
                  != NULL,
       "a quotation holding straight quotes is quoted in straight marks like every other, "
       "its own quotation in curly ones (one style: compose29)");
    ok(verifies(a, passages, 3, 1), "and verifies");
    show(a);
    free(a);

    ok(compose("zebra xylophone", NULL, passages, 3, 0) == NULL,
       "nothing in common with the question: no answer");
    {
        const char *const two[] = {passages[0], passages[2]};
        a = compose("targeted or intensive help?", NULL, two, 2, 0);
        ok(a != NULL && strncmp(a, "\"Tier 2 provides", 16) == 0,
           "without a focus, the first source opens");
        free(a);
        a = compose("targeted or intensive help?", "what about intensive help?", two, 2, 0);
        ok(a != NULL && strncmp(a, "\"Tier 3 serves", 14) == 0,
           "the follow-up's own words weigh more: the intensive help opens");
        free(a);
        a = compose("what is Tier 3?", NULL, two, 2, 0);
        show(a);
        ok(a != NULL && strncmp(a, "\"Tier 3 serves", 14) == 0,
           "a word and its number (\"Tier 3\") count as a phrase: Tier 3 opens");
        free(a);
    }
    {
        const char *const none[] = {"## Only a heading", "short.",
                                    "Is this a question the book asks its readers?"};
        ok(compose("anything heading question book", NULL, none, 3, 0) == NULL,
           "no usable sentence (a heading, a fragment, a question): NULL");
    }
    {
        const char *many[6];
        char *big = malloc(40 * sizeof(steps));
        for (i = 0, big[0] = '\0'; i < 39; i++)
            strcat(strcat(big, steps), "\n\n");
        for (i = 0; i < 6; i++)
            many[i] = i % 2 ? steps : big;
        a = compose("What are the steps teams follow to build a common assessment?", NULL, many, 6,
                    2.0);
        ok(a != NULL && words(a) <= EXTRACT_ANSWER_WORDS && words(a) >= 100,
           "long passages: the answer stays within %d words (%zu)", EXTRACT_ANSWER_WORDS, words(a));
        ok(verifies(a, many, 6, 2), "... and verifies");
        show(a);
        free(a);
        free(big);
    }

    /* A how question over sentences: numbered steps in the source's order. */
    {
        const char *two[] = {steps, passages[0]};
        const char *p1, *p2, *p3;
        a = compose("How does a team build a common formative assessment, step by step?", NULL, two,
                    2, 2.0);
        p1 = a ? strstr(a, "Teams first choose the learning targets") : NULL;
        p2 = a ? strstr(a, "Then they decide what proficiency") : NULL;
        p3 = a ? strstr(a, "Finally the team scores the assessment together") : NULL;
        ok(p1 != NULL && p2 != NULL && p3 != NULL && p1 < p2 && p2 < p3, "in the passage's order");
        ok(a != NULL && strstr(a, "will measure. Then they decide") != NULL,
           "a sentence opening with \"Then\" stays right after the one it follows");
        ok(verifies(a, two, 2, 1), "the steps verify");
        show(a);
        free(a);
    }

    /* A heading glued to its first sentence (PDF text) is cut off. */
    {
        const char *glued[] = {"The four critical questions A collaborative team spends its "
                               "time on four questions about the students it shares. The "
                               "first question asks what every student must learn."};
        a = compose("what are the four critical questions for a team?", NULL, glued, 1, 0);
        ok(a != NULL
               && strstr(a, "\"A collaborative team spends its time on four questions") != NULL
               && strstr(a, "questions A collaborative") == NULL,
           "a glued heading is cut off the sentence");
        ok(a != NULL && strstr(a, "**The four critical questions** [1]") != NULL,
           "... and written as the section's heading, apart");
        show(a);
        free(a);
    }

    /* A sentence whose referent is missing is never quoted alone. */
    {
        const char *dep[] = {
            "These reviews keep norms visible and honest. Teams revisit norms every quarter.",
            "Norms need a quarterly review by the whole team. They fade when nobody reviews "
            "them at all."};
        a = compose("how often should a team review its norms?", NULL, dep, 2, 0);
        ok(a != NULL && strstr(a, "These reviews keep norms") == NULL,
           "a first sentence opening with \"These\" is skipped");
        ok(a != NULL
               && (strstr(a, "They fade") == NULL
                   || strstr(a, "Norms need a quarterly review by the whole team. They fade")
                          != NULL),
           "\"They ...\" comes only after the sentence it refers to");
        show(a);
        free(a);
    }

    /* A section longer than the budget: the run taken never cuts a list
     * (its lead-in with all its items, or none of them), even where the
     * run carrying the most of the question would start inside it. */
    {
        static char longsec[8000];
        const char *one[] = {longsec};
        size_t nitems = 0, k;
        strcpy(longsec, "We follow ten rules in forming intervention groups:\n\n");
        for (k = 0; k < 10; k++) {
            char item[200];
            snprintf(item, sizeof(item),
                     "%zu. Rule %c: each group stays small and changes as soon as its "
                     "students are ready for the next unit.\n",
                     k + 1, (char)('A' + k));
            strcat(longsec, item);
        }
        strcat(longsec, "\n");
        for (k = 0; k < 12; k++)
            strcat(longsec, "Teams form intervention groups by skill from the newest common "
                            "assessment, and every group has one named skill and one adult. ");
        a = compose("how do we form intervention groups by skill?", NULL, one, 1, 2.0);
        for (k = 0; a != NULL && k < 10; k++) {
            char rule[16];
            snprintf(rule, sizeof(rule), "Rule %c:", (char)('A' + k));
            nitems += strstr(a, rule) != NULL;
        }
        ok(a != NULL && (nitems == 0 || nitems == 10),
           "a list is taken whole or not at all when its section is too long (%zu of 10)", nitems);
        ok(a != NULL && (strstr(a, "ten rules in forming") == NULL) == (nitems == 0),
           "... its lead-in with it");
        ok(verifies(a, one, 1, 1), "... and it verifies");
        show(a);
        free(a);
    }

    /* A sentence that carries nothing of the question is left out, inside
     * an excerpt too, unless the next sentence depends on it. */
    {
        const char *one[] = {"Exit criteria name the score a student must reach to leave the "
                             "intervention group. Our district bought new laptops for every "
                             "classroom last winter. Exit criteria are set on the first day of "
                             "the intervention. Lunch is served at noon in the cafeteria. This "
                             "keeps the intervention group honest about its exit criteria."};
        a = compose("what exit criteria should an intervention group use?", NULL, one, 1, 2.0);
        ok(a != NULL && strstr(a, "Exit criteria name the score") != NULL
               && strstr(a, "set on the first day") != NULL,
           "the sentences about the question are quoted");
        ok(a != NULL && strstr(a, "laptops") == NULL,
           "a sentence between them that shares nothing with the question is left out");
        ok(a != NULL && strstr(a, "Lunch is served at noon in the cafeteria. This keeps") != NULL,
           "... but not the one a following sentence depends on");
        ok(verifies(a, one, 1, 2), "... and it verifies");
        show(a);
        free(a);
    }

    /* Substance: the library's IDF decides what counts. */
    ok(compose("what do teams do?", NULL, passages, 3, 0.2) == NULL,
       "only words the whole library uses: no answer");
    a = compose("what do teams do?", NULL, passages, 3, 2.5);
    ok(a != NULL, "the same words, rare in the library: an answer");
    show(a);
    free(a);

    ok(extractive_asks_how("How do we write norms?") && extractive_asks_how("steps to start a CFA")
           && !extractive_asks_how("how many norms should we have?")
           && !extractive_asks_how("what is a norm?"),
       "how questions, not how many");
    ok(extractive_asks_how("how should we score CFAs?") && extractive_asks_how("How we start a PLC")
           && extractive_asks_how("my team wonders how to write a CFA")
           && !extractive_asks_how("how fast should we score CFAs")
           && !extractive_asks_how("How quickly do teams give feedback?")
           && !extractive_asks_how("how important are norms?")
           && !extractive_asks_how("how come our team never agrees?"),
       "a how question asks for a process, not a degree");
    ok(extractive_asks_example("can you give an example of a norm?")
           && extractive_asks_example("what does it look like in a meeting?")
           && !extractive_asks_example("how do we write norms?")
           && !extractive_asks_example("is this really needed?"),
       "example questions, whole words only");

    {
        /* The opening says what was asked: not the best section's shortest
         * sentence naming the subject, but the sentence of any chosen
         * section holding most of the question's own words (extractive.h,
         * 5). */
        static const char *const two[] = {
            "A common summative assessment comes at the end of the unit and measures the "
            "common standards. Common assessments of the unit are written by the common team "
            "before the unit starts, and every common assessment is given in the same week.",
            "Teams use the results of a common formative assessment to regroup students and "
            "reteach a target while learning is still happening. The data meeting comes within "
            "two days of the assessment."};
        a = compose("How should our team use common formative assessment results?", NULL, two, 2,
                    2.0);
        ok(a != NULL && strncmp(a, "\"Teams use the results", 22) == 0
               && strstr(a, "\"A common summative") != NULL,
           "the opening is the sentence that answers the question, from any chosen section");
        show(a);
        free(a);
    }

    {
        /* The opening comes from the dominant chapter (the best section's),
         * not from another chapter's sentence that happens to hold more of
         * the question's words (extractive.h, 5). */
        static const char *const three[] = {
            ("Exit ticket results sort students into groups for reteaching the next morning. "
             "Exit ticket results show which target each student missed. Reteaching is "
             "planned from exit ticket results before the next lesson."),
            ("Exit ticket results are the fastest evidence a team has. Exit ticket results "
             "are kept in one shared sheet."),
            "Teams file exit ticket results during the unit in the main office binder."};
        static const char *const chapters[] = {"Common Formative Assessment",
                                               "Common Formative Assessment", "Paperwork"};
        a = compose_in("what should teams do with exit ticket results during the unit?", NULL,
                       three, 3, 2.0, chapters);
        ok(a != NULL && strstr(a, "main office binder") != NULL,
           "the other chapter's sentence is chosen");
        ok(a != NULL && strncmp(a, "\"Teams file", 11) != 0
               && strncmp(a + strcspn(a, "\n") - 3, "[3]", 3) != 0,
           "... but the opening comes from the dominant chapter");
        ok(verifies(a, three, 3, 2), "... and it verifies");
        show(a);
        free(a);
    }

    {
        /* A list item opening with a pronoun ("She ...") is quoted only
         * with its lead-in, which names whom it means (extractive.h, 2). */
        static const char *const one[] = {
            "A weekly late start gives every team sixty minutes of collaborative time. The "
            "late start keeps the required minutes when the other days grow a little.\n\n"
            "Harlan Valley's principal wrote to the board about the late start:\n\n"
            "- She showed the board the late start schedules of three nearby districts.\n"
            "- She arranged supervision in the gym for students on late start mornings.\n"
            "- Families received a one-page letter about the late start in plain language.\n"};
        a = compose("what does a late start for team time need?", NULL, one, 1, 2.0);
        ok(a != NULL && strstr(a, "gives every team sixty minutes") != NULL,
           "the sentences about the question are quoted");
        ok(a != NULL && strstr(a, "\"She ") == NULL,
           "an item opening with \"She\" is not quoted without its lead-in");
        ok(a != NULL && strstr(a, "one-page letter") != NULL,
           "... an item that names its subject is");
        ok(verifies(a, one, 1, 2), "... and it verifies");
        show(a);
        free(a);
    }
    {
        /* A quantity question ("how many minutes"): the sentence that
         * gives the number carries the question although it holds none of
         * its words; a label's number ("Tier 3", "chapters 2 and 3") is
         * not a quantity (extractive.h, 3). */
        static const char *const one[] = {
            "Protected collaborative time is the first thing a principal schedules. Forty-five is "
            "a workable minimum; ninety is a luxury. The rest of the week stays with teachers. "
            "Chapters 2 and 3 describe what happens in it. Tier 3 help comes from specialists."};
        a = compose("how many minutes of collaborative time should a principal schedule?", NULL,
                    one, 1, 2.0);
        ok(a != NULL && strstr(a, "Forty-five is a workable minimum") != NULL,
           "a quantity question quotes the sentence that gives the number");
        ok(a != NULL && strstr(a, "Chapters 2 and 3") == NULL,
           "... not a sentence whose number is a label's");
        ok(a != NULL && strstr(a, "Tier 3 help") == NULL, "... nor \"Tier 3\"");
        ok(verifies(a, one, 1, 2), "... and it verifies");
        show(a);
        free(a);
        a = compose("what should a principal schedule first for collaborative time?", NULL, one, 1,
                    2.0);
        ok(a != NULL && strstr(a, "Forty-five") == NULL,
           "another question leaves the number sentence out (it holds none of its words)");
        free(a);
        ok(extractive_asks_quantity("so how often should we meet"),
           "\"how often\" asks a quantity");
        ok(!extractive_asks_quantity("how do we write norms?"), "\"how do we\" does not");
    }
    {
        /* A quantity question the passages give no number for opens with
         * our sentence saying so, uncited; with a number, it does not
         * (extractive.h, 5). */
        static const char *const one[] = {
            "Intervention groups are formed by skill, never by label. An intervention group works "
            "on one named skill and changes as students learn it."};
        static const char *const nums[] = {
            "Intervention groups are formed by skill, never by label. An intervention group holds "
            "no more than six students."};
        a = compose("How many students should be in an intervention group?", NULL, one, 1, 2.0);
        ok(a != NULL && strncmp(a, EXTRACT_NO_NUMBER "\n\n", strlen(EXTRACT_NO_NUMBER) + 2) == 0,
           "a quantity question with no number in the answer opens by saying so");
        ok(a != NULL && strstr(a, "formed by skill") != NULL, "... then quotes what the book says");
        ok(verifies(a, one, 1, 1), "... and it verifies untouched (our sentence is not a quote)");
        show(a);
        free(a);
        a = compose("How many students should be in an intervention group?", NULL, nums, 1, 2.0);
        ok(a != NULL && strstr(a, "no more than six") != NULL
               && strstr(a, EXTRACT_NO_NUMBER) == NULL,
           "... not when a quoted sentence gives the number");
        free(a);
        a = compose("How are intervention groups formed?", NULL, one, 1, 2.0);
        ok(a != NULL && strstr(a, EXTRACT_NO_NUMBER) == NULL, "... nor for another question");
        free(a);
    }
    {
        /* The opening asks whether a quoted number measures the question's
         * own quantity (extractive.h, 3 and 5): "every one to three weeks"
         * does not answer "how many students"; a count of the students,
         * a number standing alone, a frequency for "how often" and a size
         * for "how big" do. */
        static const char *const weeks[] = {
            "Intervention groups are formed by skill, never by label. Intervention groups are "
            "regrouped every one to three weeks from the newest common assessment."};
        static const char *const alone[] = {
            "Intervention groups are formed by skill, never by label. For intervention groups, "
            "six is the most a teacher can coach at once."};
        static const char *const often[] = {
            "Intervention groups meet every week in the intervention block. Intervention groups "
            "are formed by skill, never by label."};
        static const char *const often4[] = {
            "Intervention groups are formed by skill, never by label. Intervention groups meet "
            "four times a week in the intervention block."};
        static const char *const big[] = {
            "A guiding coalition of the building is chosen for trust. Most guiding coalitions "
            "have between eight and twelve members."};
        a = compose("How many students should be in an intervention group?", NULL, weeks, 1, 2.0);
        ok(a != NULL && strstr(a, "one to three weeks") != NULL
               && strncmp(a, EXTRACT_NO_NUMBER "\n\n", strlen(EXTRACT_NO_NUMBER) + 2) == 0,
           "an incidental number (\"every one to three weeks\" for how many students) gets "
           "the no-number opening");
        ok(verifies(a, weeks, 1, 1), "... and it verifies");
        show(a);
        free(a);
        {
            static const char *const share[] = {
                "Intervention groups are formed by skill, never by label. After two weeks in "
                "an intervention group, 80 percent of them are proficient on the target."};
            static const char *const pcent[] = {
                "Intervention groups are formed by skill, never by label. After two weeks in "
                "an intervention group, 80% of them are proficient on the target."};
            a = compose("How many students should be in an intervention group?", NULL, share, 1,
                        2.0);
            ok(a != NULL && strstr(a, "80 percent of them") != NULL
                   && strncmp(a, EXTRACT_NO_NUMBER "\n\n", strlen(EXTRACT_NO_NUMBER) + 2) == 0,
               "a share (\"80 percent of them\") is no count of the students: the no-number "
               "opening");
            free(a);
            a = compose("How many students should be in an intervention group?", NULL, pcent, 1,
                        2.0);
            ok(a != NULL && strstr(a, "80% of them") != NULL
                   && strncmp(a, EXTRACT_NO_NUMBER "\n\n", strlen(EXTRACT_NO_NUMBER) + 2) == 0,
               "... nor \"80%% of them\"");
            free(a);
        }
        a = compose("How many students should be in an intervention group?", NULL, alone, 1, 2.0);
        ok(a != NULL && strstr(a, "six is the most") != NULL
               && strstr(a, EXTRACT_NO_NUMBER) == NULL,
           "a number standing for the students counted (\"six is the most\") keeps no opening");
        free(a);
        a = compose("How often should intervention groups meet?", NULL, often, 1, 2.0);
        ok(a != NULL && strstr(a, "every week") != NULL && strstr(a, EXTRACT_NO_NUMBER) == NULL,
           "a frequency in words (\"every week\") answers how often: no opening");
        free(a);
        a = compose("How big should our guiding coalition be?", NULL, big, 1, 2.0);
        ok(a != NULL && strstr(a, "eight and twelve members") != NULL
               && strstr(a, EXTRACT_NO_NUMBER) == NULL,
           "a count (\"between eight and twelve members\") answers how big: no opening");
        free(a);
        a = compose("How long should intervention groups last?", NULL, weeks, 1, 2.0);
        ok(a != NULL && strstr(a, EXTRACT_NO_NUMBER) == NULL,
           "\"one to three weeks\" answers how long: no opening");
        free(a);
        a = compose("How many kids in an intervention group, and how many times a week do "
                    "intervention groups meet?",
                    NULL, often4, 1, 2.0);
        ok(a != NULL && strstr(a, "four times a week") != NULL
               && strstr(a, EXTRACT_NO_NUMBER) == NULL,
           "a question asking two quantities: a number measuring either keeps no opening");
        free(a);
    }
    {
        /* A quantity question opens with the sentence that gives the
         * number asked, not with the one naming most of its words
         * (extractive.h, 5). */
        static const char *const review[] = {
            "Team norms are the agreements a team writes together, and a team that reviews its "
            "team norms often keeps its team norms alive. Most schools put the review on the "
            "calendar of every team at the start of each quarter."};
        a = compose("How often should our team review its team norms?", NULL, review, 1, 2.0);
        ok(a != NULL && strncmp(a, "\"Most schools put the review", 28) == 0,
           "a quantity question opens with the sentence giving the number (\"each quarter\")");
        ok(a != NULL && strstr(a, "Team norms are the agreements") != NULL,
           "... and still quotes the other sentence");
        ok(verifies(a, review, 1, 2), "... and it verifies");
        show(a);
        free(a);
        a = compose("Why are team norms the agreements a team writes together?", NULL, review, 1,
                    2.0);
        ok(a != NULL && strncmp(a, "\"Team norms are the agreements", 30) == 0,
           "... another question opens with the sentence holding most of its words");
        free(a);
    }
    {
        /* No suggested follow-up asks about a section the answer quotes
         * nor about the chapter's title; the heading next to the quoted
         * section does (extractive.h, 7). */
        static const char *const heads[] = {"Norms with Teeth", "Norms", "Keeping norms alive"};
        static const struct extract_chapter chapter = {
            .title = "Norms with Teeth", .first = 1, .n = 2};
        struct extract_source src = {.text = "## Norms\n\nTeam norms are the agreements that "
                                             "guide how a team works together. A team that "
                                             "writes its norms in its first meeting keeps its "
                                             "norms in mind.",
                                     .chapter = "Norms with Teeth"};
        struct extract_request rq = {.question = "What are team norms?",
                                     .sources = &src,
                                     .k = 1,
                                     .headings = heads,
                                     .nheadings = 3,
                                     .chapters = &chapter,
                                     .nchapters = 1};
        const char *f;
        a = compose_checked(&rq);
        f = a != NULL ? strstr(a, "**Suggested follow-up questions**") : NULL;
        ok(a != NULL && strstr(a, "**Norms** [1]") != NULL && f != NULL,
           "the answer quotes the section Norms");
        ok(f != NULL && strstr(f, "What should our team know about norms?") == NULL,
           "... so no follow-up asks about it");
        ok(f != NULL && strstr(f, "1. How do we go about keeping norms alive?") != NULL
               && strstr(f, "eeth") == NULL && strstr(f, "2. ") == NULL,
           "... the heading after it does, and not the chapter's title");
        show(a);
        free(a);
    }
    {
        /* Overlapping passages: the referent of "They ..." is quoted under
         * the first; the second does not quote "They ..." as a point of
         * its own (extractive.h, 2). */
        static const char *const two[] = {
            "Common formative assessments show which students need more help with a target. "
            "Teams write common formative assessments together before a unit begins.",
            "Teams write common formative assessments together before a unit begins. They score "
            "the common formative assessments together within two days of giving them."};
        a = compose("how do teams write common formative assessments?", NULL, two, 2, 2.0);
        ok(a != NULL && strstr(a, "Teams write common formative assessments together") != NULL,
           "the referent is quoted once");
        ok(a != NULL && strstr(a, "\"They score") == NULL,
           "... and the sentence depending on it is not quoted without it");
        show(a);
        free(a);
    }
    {
        /* A passage whose chunk ends inside a section, with the passages
         * next to it on its page (extractive.h, "The page"): the section's
         * rest is quoted from the page, cited as the passage; a sentence
         * of the next passage that is not on the passage's page (the next
         * page's) is not. */
        static const char *const chunks[] = {
            "Grouping for intervention\n\nGroups are formed from the most recent common "
            "assessment, not from last year's test scores. Each intervention group works on one "
            "named skill.",
            "Each intervention group works on one named skill. Intervention groups stay small: "
            "no more than six students in a Tier 2 group. Small intervention groups also meet "
            "four times a week.\n\nScheduling the block\n\nThe block runs thirty minutes."};
        static const char page[] =
            "Grouping for intervention\n\nGroups are formed from the most recent common\n"
            "assessment, not from last year's test scores. Each intervention group works\n"
            "on one named skill. Intervention groups stay small: no more than six\nstudents in a "
            "Tier 2 group.";
        static const char *const heads[] = {"Grouping for intervention", "Scheduling the block"};
        struct buf joined = BUF_INIT, norm = BUF_INIT;
        struct extract_source src;
        struct terms ts;
        struct extract_request rq = {.question = "how should we form intervention groups and "
                                                 "keep them small?",
                                     .sources = &src,
                                     .k = 1,
                                     .headings = heads,
                                     .nheadings = 2};
        const char *texts[1];
        bool empty = false;

        passage_join(&joined, chunks, 2, 0, &src.own_start, &src.own_end);
        src = (struct extract_source){.text = buf_str(&joined),
                                      .own_start = src.own_start,
                                      .own_end = src.own_end,
                                      .section = "Grouping for intervention",
                                      .chapter = "Every Child"};
        terms_for(&ts, rq.question, 2.0);
        rq.terms = ts.x;
        rq.nterms = ts.n;
        a = compose_checked(&rq); /* without the page: the passage's own text only */
        ok(a != NULL && strstr(a, "stay small") == NULL,
           "without its page, nothing outside the passage is quoted");
        free(a);
        src.page = page;
        a = compose_checked(&rq);
        ok(a != NULL
               && strstr(a, "\"Intervention groups stay small: no more than six students "
                            "in a Tier 2 group.")
                      != NULL,
           "a passage that ends inside a section gets the section's rest from its page");
        ok(a != NULL && strstr(a, "Tier 2 group.") != NULL
               && strncmp(strstr(a, "Tier 2 group.") + 13, "\" [1]", 5) == 0,
           "... cited as the passage (its pages)");
        verify_normalise(&norm, page, strlen(page));
        ok(verify_quote_in("Intervention groups stay small: no more than six students in a Tier 2 "
                           "group.",
                           77, buf_str(&norm), &empty),
           "... and it is on the page (as eval checks a quote)");
        ok(a != NULL && strstr(a, "four times a week") == NULL,
           "a sentence of the next passage that is not on the page is not quoted");
        texts[0] = buf_str(&joined);
        ok(verifies(a, texts, 1, 2), "... and the answer verifies against the joined text");
        show(a);
        free(a);
        buf_free(&joined);
        buf_free(&norm);
    }
    {
        /* keys39 (extractive.h, "The page"): a passage ranked first or
         * second may quote another section of its page, one that holds
         * none of its own text ("Keeping groups small", from the next
         * chunk on the page), cited as the passage; the third may not. */
        static const char *const chunks[] = {
            "Grouping for intervention\n\nGroups are formed from the most recent common "
            "assessment, not from last year's test scores.",
            "Keeping groups small\n\nIntervention groups stay small: no more than six students "
            "in a Tier 2 group, so the teacher hears every student read."};
        static const char page[] =
            "Grouping for intervention\n\nGroups are formed from the most recent common\n"
            "assessment, not from last year's test scores.\n\nKeeping groups small\n\n"
            "Intervention groups stay small: no more than six students\nin a Tier 2 group, so "
            "the teacher hears every student read.";
        static const char *const heads[] = {"Grouping for intervention", "Keeping groups small",
                                            "Norms", "Pacing"};
        static const char *const fillers[] = {
            "Norms\n\nNorms keep intervention meetings short and focused on students.",
            "Pacing\n\nPacing guides give intervention its place in the calendar of a unit."};
        struct buf joined = BUF_INIT;
        struct extract_source src[3];
        struct terms ts;
        struct extract_request rq = {.question = "how small should intervention groups be?",
                                     .sources = src,
                                     .headings = heads,
                                     .nheadings = 4};
        const char *texts[3];
        size_t own_start, own_end, r;

        passage_join(&joined, chunks, 2, 0, &own_start, &own_end);
        terms_for(&ts, rq.question, 2.0);
        rq.terms = ts.x;
        rq.nterms = ts.n;
        for (r = 0; r < 3; r += 2) {
            size_t f;
            /* The joined passage at rank r + 1, the fillers around it. */
            for (f = 0; f < 3; f++)
                src[f] =
                    (struct extract_source){.text = fillers[f < r ? f : 1], .chapter = "Other"};
            src[r] = (struct extract_source){.text = buf_str(&joined),
                                             .own_start = own_start,
                                             .own_end = own_end,
                                             .page = page,
                                             .section = "Grouping for intervention",
                                             .chapter = "Every Child"};
            rq.k = r + 1;
            a = compose_checked(&rq);
            if (r == 0) {
                ok(a != NULL
                       && strstr(a, "\"Intervention groups stay small: no more than six "
                                    "students in a Tier 2 group, so the teacher hears every "
                                    "student read.\" [1]")
                              != NULL,
                   "the first passage quotes another section of its page, cited as the passage");
            } else {
                ok(a != NULL && strstr(a, "stay small") == NULL,
                   "the third passage does not quote a section of its page that holds none of "
                   "its own text");
            }
            for (f = 0; f <= r; f++)
                texts[f] = src[f].text;
            ok(verifies(a, texts, r + 1, 1), "... and the answer verifies against the joined text");
            show(a);
            free(a);
        }
        buf_free(&joined);
    }
    {
        /* How many: the opening states the recommended number, not the
         * number of what goes wrong (extractive.h, 5). */
        static const char *const one[] = {
            "Keep the list short: five to seven norms is plenty. A team that writes fifteen "
            "norms will remember none of them, and a team that writes two norms has left "
            "out its hardest problem."};
        a = compose("how many norms should our team have?", NULL, one, 1, 2.0);
        ok(a != NULL
               && strncmp(a, "\"Keep the list short: five to seven norms is plenty.", 51) == 0,
           "a how-many answer opens with the number the book recommends");
        ok(verifies(a, one, 1, 1), "... and it verifies");
        show(a);
        free(a);
    }
    {
        /* A sentence that opens with a quotation of its own shows one
         * opening mark, not two, and still verifies (extractive.h,
         * "Every quotation"). */
        static const char *const one[] = {
            "A good norm describes a behavior that someone could observe in a meeting.\n\n"
            "\"We let each speaker finish before responding\" is a norm a team can check."};
        a = compose("what makes a good norm a team can check?", NULL, one, 1, 2.0);
        ok(a != NULL
               && strstr(a, "\"\xe2\x80\x9cWe let each speaker finish before "
                            "responding\xe2\x80\x9d is a norm a team can check.\" [1]")
                      != NULL,
           "a sentence opening with a quotation is quoted in straight marks, its own in curly "
           "ones (one style: compose29)");
        ok(a != NULL && strstr(a, "\xe2\x80\x9c\"") == NULL && strstr(a, "\"\"") == NULL,
           "... and no two marks of one style stand together");
        ok(verifies(a, one, 1, 2), "... and it verifies untouched");
        show(a);
        free(a);
    }
    {
        /* Key takeaways are no fragments: no sentence of under four words
         * ("Few."), no bold label alone, no clause left open (extractive.h,
         * 7). */
        static const char *const one[] = {
            "We use three tests when coaching a team on its norms:\n\n"
            "- Few. Four to six norms. A team with twelve norms has none, because nobody can "
            "hold twelve in mind.\n"
            "- **Observable norms (each one).** Each norm names something a visitor could see "
            "or hear.\n"
            "- A practical norms document names, for each team: the norm, its reason and its "
            "check.\n"
            "- Owned norms come from the team's own experience of its meetings, so every member "
            "can explain them.\n"
            "- Checked norms are rated at the end of each meeting, and a low rating starts the "
            "next agenda."};
        const char *k;
        a = compose("what tests should team norms pass when coaching a team?", NULL, one, 1, 2.0);
        k = a != NULL ? strstr(a, "**Key takeaways**") : NULL;
        ok(k != NULL, "the answer has key takeaways");
        ok(k != NULL && strstr(k, "\"Few.") == NULL, "... none with a sentence of one word");
        ok(k != NULL && strstr(k, "\"**Observable") == NULL, "... nor a bold label alone");
        ok(k != NULL && strstr(k, "names, for each team\"") == NULL,
           "... nor a clause left open (\"for each team\")");
        ok(k != NULL && strstr(k, "\"Owned norms come from the team's own experience") != NULL,
           "... a whole clause is one");
        ok(verifies(a, one, 1, 2), "... and it verifies");
        show(a);
        free(a);
    }
    {
        /* A follow-up's answer does not open with the sentence the
         * previous answer opened with (extractive.h, 5). */
        static const char *const one[] = {
            "Team norms are the agreements that guide how a team works together. A team reviews "
            "its norms every quarter and rates how well it kept each norm."};
        struct extract_source src = {.text = one[0], .chapter = "Norms with Teeth"};
        struct extract_request rq = {.question = "What are team norms and how often does a team "
                                                 "review its norms?",
                                     .sources = &src,
                                     .k = 1};
        char *b;
        size_t o;
        a = compose_checked(&rq);
        o = a != NULL && a[0] == '"' ? strcspn(a + 1, "\"") : 0;
        ok(o > 20, "the first answer opens with a quoted sentence");
        rq.previous = a;
        rq.question = "What are team norms and how often does a team review its norms? "
                      "what about checking them";
        rq.focus = "what about checking them";
        b = compose_checked(&rq);
        ok(b != NULL && o > 0 && strncmp(b, a, o + 1) != 0,
           "a follow-up does not open with the previous answer's opening sentence");
        rq.previous = NULL;
        free(b);
        b = compose_checked(&rq);
        ok(b != NULL && o > 0 && strncmp(b, a, o + 1) == 0,
           "... which it would open with otherwise");
        ok(verifies(b, one, 1, 1), "... and it verifies");
        show(b);
        free(a);
        free(b);
    }
    {
        /* The first-ranked passage's central sentences: a sentence inside
         * an excerpt that holds none of the question's words but terms
         * central to its section stays; at the excerpt's edge it does not,
         * nor in a passage ranked lower (extractive.h, 4). */
        static const char *const two[] = {
            "## Protocols for looking at results\n\n"
            "A protocol protects a data meeting from the team's own habits. It separates "
            "observing from explaining, and observing always comes first. Explaining before "
            "observing leads teams to the comfortable conclusions. A protocol ends every data "
            "meeting with a decision. Observing and explaining are different habits.",
            "## Reading results together\n\n"
            "A protocol gives each data meeting a fixed order. Colleagues who rush to "
            "conclusions skip the evidence and trust old conclusions. A protocol keeps each data "
            "meeting on the evidence, and colleagues read the evidence before any conclusions."};
        a = compose("how does a protocol help a data meeting?", NULL, two, 2, 2.0);
        ok(a != NULL && strstr(a, "Explaining before observing leads teams") != NULL,
           "a central sentence inside the first passage's excerpt is quoted");
        ok(a != NULL && strstr(a, "Observing and explaining are different habits") == NULL,
           "... not one at the excerpt's edge");
        ok(a != NULL && strstr(a, "Colleagues who rush to conclusions") == NULL,
           "... nor one of a passage ranked lower");
        ok(verifies(a, two, 2, 2), "... and it verifies");
        show(a);
        free(a);
    }
    {
        /* A run-in label ("Site visits.") is quoted with the sentence after
         * it, never alone (extractive.h, 2). */
        static const char *const one[] = {
            "## Learn before you decide\n\n"
            "Site visits. A team of three teachers visits a school that already runs WIN time and "
            "reports back to the staff.\n\n"
            "Book study. Lunch is served at noon in the cafeteria on most days of the week."};
        a = compose("how does a team of teachers learn about WIN time from a school visit?", NULL,
                    one, 1, 2.0);
        ok(a != NULL
               && strstr(a, "\"Site visits. A team of three teachers visits a school") != NULL,
           "a run-in label is quoted with its sentence");
        ok(a != NULL && strstr(a, "Book study") == NULL && strstr(a, "Lunch") == NULL,
           "... and not without it");
        ok(verifies(a, one, 1, 1), "... and it verifies");
        show(a);
        free(a);
    }
    {
        /* An italic paragraph split into sentences: each quotation's
         * emphasis marks pair up or are left out, and the quotations are
         * still found in the source (extractive.h, "Every quotation"). */
        static const char *const one[] = {
            "## A sample CFA plan\n\n"
            "*Team: Grade 8 science teachers plan one common formative assessment. Why Tuesday? "
            "Items: four "
            "selected-response items for the first target of the plan. Given: Tuesday, with the "
            "data meeting on Thursday of the same week.* A **proficiency** bar is set for each "
            "target of the sample plan."};
        const char *q;
        a = compose("what does a sample CFA plan look like with items and a data meeting?", NULL,
                    one, 1, 2.0);
        ok(a != NULL && strstr(a, "\"Team: Grade 8 science") != NULL
               && strstr(a, "\"Items: four") != NULL && strstr(a, "\"*Team") == NULL
               && strstr(a, "week.*") == NULL,
           "an italic paragraph's stray emphasis marks are left out of its sentences' quotations");
        ok(a != NULL && strstr(a, "**proficiency**") != NULL,
           "... and marks that pair up within a quotation stay");
        for (q = a; q != NULL && (q = strchr(q, '"')) != NULL;) {
            const char *e = strchr(q + 1, '"');
            size_t stars = 0;
            if (e == NULL)
                break;
            for (; q < e; q++)
                stars += *q == '*';
            if (stars % 2 != 0)
                break;
            q = e + 1;
        }
        ok(a != NULL && q == NULL, "... no quotation holds an odd number of them");
        ok(verifies(a, one, 1, 2), "... and it verifies");
        show(a);
        free(a);
    }
    {
        /* A how question whose second passage walks through the process
         * under step headings: numbered steps in the source's order, first
         * (extractive.h, 5). */
        static const char *const two[] = {
            "## Common summative assessments\n\n"
            "Teams should write the summative assessment before teaching the unit, not the night "
            "before it is given. Writing it first forces the team to be clear about the end goal, "
            "and each common formative assessment can then be a checkpoint.",
            "Writing a common formative assessment does not require special training in test "
            "design.\n\n"
            "## Step 1: Choose the targets\n\n"
            "Start with the essential standard the team will teach in the next two or three weeks. "
            "A CFA should assess only two or three targets.\n\n"
            "## Step 2: Decide what proficiency looks like\n\n"
            "Before writing items, the team agrees on the level of rigor for each target.\n\n"
            "## Step 3: Write or choose the items\n\n"
            "Match the item type to the target the common formative assessment measures."};
        static const char *const chapters[] = {"Pre-assessments and Summative Assessments",
                                               "Building a Common Formative Assessment"};
        const char *s1, *s2, *s3;
        a = compose_in("my team wants to start doing cfas but we have no idea how to write one",
                       NULL, two, 2, 2.0, chapters);
        s1 = a != NULL ? strstr(a, "1. **Choose the targets**: \"Start with the essential") : NULL;
        s2 = a != NULL ? strstr(a, "2. **Decide what proficiency looks like**: \"Before") : NULL;
        s3 = a != NULL ? strstr(a, "3. **Write or choose the items**: \"Match the item") : NULL;
        ok(a != NULL && strncmp(a, "**Building a Common Formative Assessment** [2]\n\n", 48) == 0,
           "a how question opens with the chapter that walks through the process");
        ok(s1 != NULL && s2 > s1 && s3 > s2, "... its steps numbered, in the source's order");
        ok(a != NULL && strstr(a, "the night before it is given") != NULL
               && strstr(a, "the night before it is given") > s3,
           "... and the other passage after them");
        ok(verifies(a, two, 2, 4), "... and it verifies");
        show(a);
        free(a);
        a = compose_in("what should a team know about the summative assessment?", NULL, two, 2, 2.0,
                       chapters);
        ok(a != NULL && strstr(a, "1. **Choose the targets**") == NULL,
           "... not when the question asks no how");
        free(a);
    }
    {
        /* A step heading holding a straight double quote (the fuzz target
         * found 'Write or"choose the items'): its label writes it as an
         * apostrophe, so the verifier does not read a quotation opening in
         * the label and every quotation verifies. */
        static const char *const quoted[] = {
            "Writing a common formative assessment does not require special training in test "
            "design.\n\n"
            "## Step 1: Choose the targets\n\n"
            "Start with the essential standard the team will teach in the next two or three weeks. "
            "A CFA should assess only two or three targets.\n\n"
            "## Step 2: Write or \"choose\" the items\n\n"
            "Match the item type to the target the common formative assessment measures."};
        static const char *const chapters[] = {"Building a Common Formative Assessment"};
        a = compose_in("how do we write a cfa as a team?", NULL, quoted, 1, 2.0, chapters);
        ok(a != NULL && strstr(a, "2. **Write or 'choose' the items**: \"Match the item") != NULL,
           "a step label's straight double quotes are written as apostrophes");
        verified(a, quoted, 1, 2);
    }

    /* One more source (extractive.h, 4): the first passage's one long
     * section would take the whole budget; the second passage's section,
     * sharing the question's substance, still gives an excerpt, cited. */
    {
        static const char *const adj[] = {"short",   "written", "shared", "checked", "posted",
                                          "revised", "owned",   "clear",  "honest",  "kind"};
        const char *two[2];
        char *big = malloc(8192);
        size_t j;
        for (j = 0, strcpy(big, "## Norms in every meeting\n\n"); j < 40; j++)
            sprintf(big + strlen(big),
                    "Team norms that are %s keep meeting number %zu focused on the agenda. ",
                    adj[j % 10], j + 1);
        two[0] = big;
        two[1] = "## A new member\n\nTeam norms keep a meeting focused when a new colleague "
                 "learns them from the charter.";
        a = compose("how do team norms keep a meeting focused?", NULL, two, 2, 2.0);
        ok(a != NULL && strstr(a, "[1]") != NULL && strstr(a, "[2]") != NULL
               && strstr(a, "learns them from the charter") != NULL,
           "the long first section leaves room for one excerpt of the second passage, cited");
        ok(a != NULL && words(a) <= EXTRACT_ANSWER_WORDS, "... within %d words (%zu)",
           EXTRACT_ANSWER_WORDS, a != NULL ? words(a) : 0);
        verified(a, two, 2, 2);
        free(big);
    }
    /* compose30 (extractive.h, 4): the one more source shares a
     * distinctive word of the question as written; "idea" is generic
     * (words.h), so a passage holding only "ideas" gives no excerpt. */
    {
        static const char *const adj[] = {"short",   "written", "shared", "checked", "posted",
                                          "revised", "owned",   "clear",  "honest",  "kind"};
        const char *two[2];
        char *big = malloc(8192);
        size_t j;
        for (j = 0, strcpy(big, "## Norms in every meeting\n\n"); j < 40; j++)
            sprintf(big + strlen(big),
                    "Team norms that are %s keep meeting number %zu focused on the agenda. ",
                    adj[j % 10], j + 1);
        two[0] = big;
        two[1] = "## The three big ideas in plain language\n\nEverything a team does rests on "
                 "three ideas, and a team should start with the ideas.";
        a = compose(
            "we have no idea how team norms keep a meeting focused, where does a team start", NULL,
            two, 2, 2.0);
        ok(a != NULL && strstr(a, "[1]") != NULL && strstr(a, "three ideas") == NULL,
           "the one more source needs a distinctive word of the question, not \"idea\"");
        verified(a, two, 2, 1);
        free(big);
    }
    /* compose30 (extractive.h, 5): the words typed ask for one step
     * ("score" and "Step 3: Score together"): that step's section leads,
     * not the whole list. */
    {
        static const char *const one[] = {
            "Writing a common formative assessment does not require special training in test "
            "design.\n\n"
            "## Step 1: Choose the targets\n\n"
            "Start with the essential standard the team will teach in the next two or three weeks. "
            "A CFA should assess only two or three targets, or it takes too long to score and "
            "the team writes a unit test.\n\n"
            "## Step 2: Write or choose the items\n\n"
            "Match the item type to the target the common formative assessment measures. Keep "
            "the whole assessment short enough to give in fifteen minutes and to score in one "
            "planning period, and write it before teaching the unit.\n\n"
            "## Step 3: Score together\n\n"
            "Teachers score a sample of student work side by side before scoring the rest. "
            "Scoring together keeps the team's judgments consistent from room to room."};
        a = compose_cfa("how should we score CFAs as a team?", one);
        ok(a != NULL && strstr(a, "Choose the targets**:") == NULL
               && strstr(a, "\"Teachers score a sample") != NULL
               && strstr(a, "\"Teachers score a sample") < a + 120,
           "a how question asking for one step opens with that step's section");
        verified(a, one, 1, 1);
        a = compose_cfa("how do we write a CFA?", one);
        ok(a != NULL && strstr(a, "1. **Choose the targets**:") != NULL,
           "... the whole list when the words fit the chapter, not one step");
        free(a);
    }
    /* compose30 (extractive.h, 6): the chapter's title is written once, over
     * the steps; the chapter's opening paragraph after them is no numbered
     * item. */
    {
        static const char *const one[] = {CFA_OPENING_AND_STEPS};
        const char *t;
        a = compose_cfa("how does a team write a common formative assessment together?", one);
        t = a != NULL ? strstr(a, "**Building a Common Formative Assessment**") : NULL;
        ok(t != NULL && strstr(t + 1, "**Building a Common Formative Assessment**") == NULL
               && strstr(a, "1. **Choose the targets**") != NULL,
           "the chapter's title is written once, over the steps");
        ok(a != NULL && strstr(a, "1. \"Writing a common") == NULL
               && strstr(a, "\"Writing a common formative") != NULL,
           "... and its opening paragraph is no numbered item");
        verified(a, one, 1, 2);
    }
    /* compose30 (extractive.h, 7): a label and its data ("Proficiency: 3 of
     * 4", "Targets: (1) identify") is no takeaway. */
    {
        static const char *const one[] = {
            "## A sample plan for team norms\n\n"
            "*Team: Grade 4. Targets: (1) identify the team norms a team breaks in its meetings; "
            "(2) rewrite each norm the team breaks. Proficiency: 3 of 4 team norms, 2 of 3 norm "
            "checks, and a rating of 3 in every meeting.*\n\n"
            "Owned norms come from the team's own experience of its meetings, so every member "
            "can explain them. Checked norms are rated at the end of each meeting, and a low "
            "rating starts the next agenda."};
        a = compose("what proficiency targets should a sample plan for team norms identify?", NULL,
                    one, 1, 2.0);
        {
            const char *k = a != NULL ? strstr(a, "**Key takeaways**") : NULL;
            ok(k != NULL && strstr(k, "Proficiency: 3 of 4") == NULL
                   && strstr(k, "Targets: (1)") == NULL,
               "a label and its data is no takeaway");
        }
        verified(a, one, 1, 1);
    }
    /* compose33 (extractive.h, 3): the other forms of an irregular verb
     * of the question count as it: "when someone breaks them" opens in
     * the section headed "When a norm is broken", not in the one that
     * names norms most often. */
    {
        static const char *const one[] = {
            "## Keeping norms alive\n\n"
            "Norms posted on a wall and never mentioned again are decoration. At the start of "
            "each meeting, someone reads the team norms aloud. Review the team norms twice a "
            "year, because teams change and team norms should change with them.\n\n"
            "## When a norm is broken\n\n"
            "Sooner or later a member will violate a norm during a meeting. Address it early "
            "and address the behavior, not the person. Ignoring a broken norm teaches the team "
            "that its norms are optional."};
        a = compose("what about when someone breaks team norms?",
                    "what about when someone breaks them?", one, 1, 2.0);
        ok(a != NULL && strncmp(a, "\"Ignoring a broken norm", 23) == 0
               && strstr(a, "**When a norm is broken** [1]") != NULL,
           "\"breaks\" finds \"broken\": the answer opens in that section");
        verified(a, one, 1, 2);
    }
    /* fold35 (compose34's rule, extractive.h, 3): a verb of the question ("breaks")
     * matched in a sentence only as a noun ("By winter break") holds
     * nothing of the question without a second word of it ("norms"); a
     * sentence that uses it as a verb ("keeps breaking ...") still
     * does. */
    {
        static const char *const two[] = {
            "## When a norm is broken\n\n"
            "Sooner or later a member will violate a norm during a meeting. Address it early "
            "and address the behavior, not the person. A member who keeps breaking the same "
            "commitment hears from the team leader in private. Ignoring a broken norm teaches "
            "the team that its norms are optional.",
            "## November and December\n\n"
            "By winter break, each grade level should have completed at least one full cycle "
            "of intervention and recheck. The winter break is a good time to rest, and after "
            "the break a new cycle of intervention starts."};
        a = compose("what about when someone breaks team norms?",
                    "what about when someone breaks them?", two, 2, 2.0);
        ok(a != NULL && strstr(a, "winter break") == NULL && strstr(a, "[2]") == NULL,
           "a verb of the question matched only as a noun (\"winter break\") is not quoted");
        ok(a != NULL && strstr(a, "keeps breaking the same commitment") != NULL,
           "... the verb used as one (\"keeps breaking the same commitment\") is");
        verified(a, two, 2, 2);
    }
    /* fold35 (compose34's rule, extractive.h, 6): the other sentences of
     * a step's section go in that step's item, not under its heading
     * again after the list. */
    {
        static const char *const one[] = {
            CFA_OPENING_AND_STEPS "\n\n## Quick checks between CFAs\n\n"
                                  "Teams do not need to write a formal CFA for every target, but "
                                  "quick checks help between CFAs. Quick checks between CFAs are "
                                  "quick to write, and every CFA target can have one."};
        a = compose_cfa("how do we write cfas?", one);
        ok(a != NULL && strstr(a, "**Step 1: Choose the targets**") == NULL
               && strstr(a, "weeks.\" [1] \"A CFA should assess only two or three targets.\" [1]")
                      != NULL,
           "a step's other sentence is in its item, its heading not written again");
        verified(a, one, 1, 3);
    }
    /* compose33 (extractive.h, 6): a section headed with the chapter's
     * title (the chapter's opening paragraph) is written under the title
     * over the steps, not under a second line of it. */
    {
        static const char *const one[] = {
            "# Building a Common Formative Assessment\n\n" CFA_OPENING_AND_STEPS};
        const char *t;
        a = compose_cfa("how does a team write a common formative assessment together?", one);
        t = a != NULL ? strstr(a, "**Building a Common Formative Assessment**") : NULL;
        ok(t != NULL && strstr(t + 1, "**Building a Common Formative Assessment**") == NULL
               && strstr(a, "1. **Choose the targets**") != NULL
               && strstr(a, "\"Writing a common formative") != NULL,
           "a section headed with the chapter's title: the title is written once, over the steps");
        verified(a, one, 1, 2);
    }
    /* compose33 (extractive.h, 4): after the steps, the one more source
     * holds the steps' subject as typed ("cfas", the initials of the
     * chapter's title), not only the question's verb ("write" in a
     * section on writing norms). */
    {
        static const char *const chapters[] = {"Building a Common Formative Assessment",
                                               "Norms That Work"};
        const char *two[2];
        char *big = malloc(16384);
        size_t j;
        strcpy(big, "## Step 1: Choose the targets\n\n");
        for (j = 0; j < 30; j++)
            sprintf(big + strlen(big),
                    "A CFA on fractions measures target %zu with items about denominators. ",
                    j + 1);
        strcat(big, "\n\n## Step 2: Decide what proficiency looks like\n\n");
        for (j = 0; j < 30; j++)
            sprintf(big + strlen(big), "Proficiency on CFA item %zu means three of four right. ",
                    j + 1);
        two[0] = big;
        two[1] = "## A protocol for writing norms\n\nNorm writing should take about thirty "
                 "minutes, and every member writes the norms on sticky notes.";
        a = compose_in("how do we write cfas?", NULL, two, 2, 2.0, chapters);
        ok(a != NULL && strstr(a, "1. **Choose the targets**") != NULL
               && strstr(a, "Norm writing") == NULL,
           "after the steps, the one more source holds their subject, not only the verb");
        verified(a, two, 2, 2);
        free(big);
    }
    /* take35 (extractive.h, 7): an answer in numbered steps takes its key
     * takeaways from the steps' own sentences first, in the steps' order
     * (a step's sentence whole when it has no shorter clause), not from a
     * section after the steps whose first clauses carry more of the
     * query; that section is still written (it holds "cfa" and "write"). */
    {
        static const char *const one[] = {
            CFA_OPENING_AND_STEPS "\n\n## Quick checks between CFAs\n\n"
                                  "Teams write quick checks between CFAs, and every CFA target "
                                  "can have a quick check. A quick check is written in minutes, "
                                  "so teams write one for each CFA target."};
        const char *k;
        a = compose_cfa("how do we write cfas?", one);
        k = a != NULL ? strstr(a, "**Key takeaways**") : NULL;
        ok(k != NULL
               && strncmp(k,
                          "**Key takeaways**\n\n- \"Start with the essential standard the team "
                          "will teach in the next two or three weeks.\" [1]\n- \"Match the item "
                          "type to the target",
                          strlen("**Key takeaways**\n\n- \"Start with the essential standard the "
                                 "team will teach in the next two or three weeks.\" [1]\n- "
                                 "\"Match the item type to the target"))
                      == 0,
           "an answer in steps: its takeaways are the steps' sentences first, in their order");
        ok(a != NULL && strstr(a, "**Quick checks between CFAs** [1]") != NULL,
           "... and the section after the steps that holds the question's words is written");
        verified(a, one, 1, 3);
    }
    /* dedup38 (extractive.h, 7): with fewer than two cited clauses that
     * are takeaways, the answer still ends with key takeaways: the cited
     * sentences that are one whole, those carrying the most of the query
     * first, after the clause (the starter library's norms answer once
     * had one clause and so no takeaways: t/integration/coach.sh 23). */
    {
        static const char *const one[] = {
            "## Keeping norms alive\n\n"
            "Norms posted on a wall and never mentioned again are decoration. At the end of "
            "each meeting, spend one minute on a quick norms check: each member rates how well "
            "the team honored its norms. Review the written norms formally twice a year."};
        static const char *const none[] = {
            "## Keeping norms alive\n\n"
            "Norms posted on a wall and never mentioned again are decoration. Review the "
            "written norms formally twice a year. Teams change their norms as they grow."};
        static const char *const alone[] = {"## Keeping norms alive\n\n"
                                            "Review the written norms formally twice a year."};
        const char *k;
        a = compose("how do we keep our written norms alive?", NULL, one, 1, 2.0);
        k = a != NULL ? strstr(a, "**Key takeaways**") : NULL;
        ok(k != NULL
               && strncmp(k,
                          "**Key takeaways**\n\n- \"At the end of each meeting, spend one "
                          "minute on a quick norms check\" [1]\n- \"",
                          strlen("**Key takeaways**\n\n- \"At the end of each meeting, spend "
                                 "one minute on a quick norms check\" [1]\n- \""))
                      == 0,
           "one clause: key takeaways, the clause first, then a cited sentence whole");
        ok(k != NULL
               && strstr(k, "[1]\n- \"Review the written norms formally twice a year.\" "
                            "[1]\n\n**Suggested")
                      != NULL,
           "... the cited sentence carrying the most of the query, and only two");
        verified(a, one, 1, 2);
        a = compose("how do we keep our written norms alive?", NULL, none, 1, 2.0);
        k = a != NULL ? strstr(a, "**Key takeaways**") : NULL;
        ok(k != NULL
               && strncmp(k,
                          "**Key takeaways**\n\n- \"Review the written norms formally twice a "
                          "year.\" [1]\n- \"Norms posted on a wall and never mentioned again "
                          "are decoration.\" [1]\n\n**Suggested",
                          strlen("**Key takeaways**\n\n- \"Review the written norms formally "
                                 "twice a year.\" [1]\n- \"Norms posted on a wall and never "
                                 "mentioned again are decoration.\" [1]\n\n**Suggested"))
                      == 0,
           "no clause: key takeaways from two cited sentences whole");
        verified(a, none, 1, 2);
        a = compose("how do we keep our written norms alive?", NULL, alone, 1, 2.0);
        ok(a != NULL && strstr(a, "Review the written norms") != NULL
               && strstr(a, "**Key takeaways**") == NULL,
           "one cited sentence: no key takeaways (one would repeat the answer)");
        verified(a, alone, 1, 1);
    }
    /* take35 (extractive.h, 4): after the steps, a section whose words of
     * the question are only in its heading, the chapter's title, is not
     * written: its sentence carries only a generic word of the question
     * ("team"), not its substance. */
    {
        static const char *const one[] = {
            "# Building a Common Formative Assessment\n\n"
            "Every team in the building meets each week to plan the next unit together.\n\n"
            "## Step 1: Choose the targets\n\n"
            "Start with the essential standard the team will teach in the next two or three "
            "weeks.\n\n"
            "## Step 2: Write or choose the items\n\n"
            "Match the item type to the target the common formative assessment measures."};
        a = compose_cfa("how does our team write a common formative assessment?", one);
        ok(a != NULL && strstr(a, "1. **Choose the targets**") != NULL
               && strstr(a, "Every team in the building") == NULL,
           "after the steps, no section holding the question only in its chapter's title");
        verified(a, one, 1, 2);
    }
    /* compose33 (extractive.h, 6): a how question with no steps numbers
     * the points of the answer's first group only, and only two or more:
     * a sample plan's paragraphs after it are bullets, not steps. */
    {
        static const char *const one[] = {
            "## Score together\n\n"
            "Scoring student work together is one of the best ways a team calibrates its "
            "scoring. The team scores a few papers together and then splits the rest of the "
            "scoring.\n\n"
            "## A sample scoring plan\n\n"
            "Team: Grade 8 science teachers score the constructed response on a four-point "
            "rubric for scoring.\n\n"
            "Data meeting: the team brings the scoring results on Thursday."};
        a = compose("how should we score student work as a team?", NULL, one, 1, 2.0);
        ok(a != NULL && strstr(a, "**A sample scoring plan** [1]") != NULL
               && strstr(a, "\n1. \"") == NULL && strstr(a, "\n- \"Data meeting") != NULL,
           "a how answer's later paragraphs are bullets, not numbered steps");
        verified(a, one, 1, 2);
    }
    /* cite33 (extractive.h, 4, "Spread"): six sections of the first
     * passage score a little above the second passage's one section; by
     * score alone they fill EXTRACT_MAX_SECTIONS and the second passage
     * is not cited.  Each section taken of a passage makes its next count
     * EXTRACT_PASSAGE_DECAY times less, so the second passage's section
     * comes second and is quoted and cited. */
    {
        const char *two[2];
        char *big = malloc(8192);
        size_t j;
        for (j = 0, big[0] = '\0'; j < 6; j++)
            sprintf(big + strlen(big),
                    "## Norms for meeting %zu\n\nTeam norms keep meeting %zu focused on "
                    "student learning.\n\n",
                    j + 1, j + 1);
        two[0] = big;
        two[1] = "## Norms in every meeting\n\nA new member learns the team norms from the "
                 "charter, and the norms keep every meeting focused.";
        a = compose("what keeps team norms focused in a meeting?", NULL, two, 2, 2.0);
        ok(a != NULL && strstr(a, "[1]") != NULL && strstr(a, "[2]") != NULL
               && strstr(a, "learns the team norms from the charter") != NULL,
           "the first passage's sixth section does not crowd out the second passage");
        ok(a != NULL && words(a) <= EXTRACT_ANSWER_WORDS, "... within %d words (%zu)",
           EXTRACT_ANSWER_WORDS, a != NULL ? words(a) : 0);
        verified(a, two, 2, 2);
        free(big);
    }
    /* keys31 (extractive.h, 4, "The budget"): the words the takeaways and
     * the follow-up questions leave of their reserve go to the excerpts:
     * the answer comes close to EXTRACT_ANSWER_WORDS, never past it. */
    {
        static const char *const adj[] = {"short",   "written", "shared", "checked", "posted",
                                          "revised", "owned",   "clear",  "honest",  "kind"};
        static const char *const nums[] = {"one",  "two", "three", "four",
                                           "five", "six", "seven", "eight"};
        const char *one[1];
        char *big = malloc(32768);
        size_t j, m;
        for (j = 0, big[0] = '\0'; j < 8; j++) {
            sprintf(big + strlen(big), "## Norms for meeting %s\n\n", nums[j]);
            for (m = 0; m < 8; m++)
                sprintf(big + strlen(big),
                        "Team norms that are %s keep meeting %zu focused on student learning "
                        "for %s teachers in week %zu. ",
                        adj[(j + m) % 10], j + 1, adj[(j + 2 * m + 1) % 10], m + 1);
            strcat(big, "\n\n");
        }
        one[0] = big;
        {
            /* Its sections are its chapter's, so that the answer suggests
             * questions (extractive.h, 7) within the words reserved. */
            static const char *const heads[] = {
                "Norms for meeting one",   "Norms for meeting two",  "Norms for meeting three",
                "Norms for meeting four",  "Norms for meeting five", "Norms for meeting six",
                "Norms for meeting seven", "Norms for meeting eight"};
            const char *question = "how do team norms keep a meeting focused on student learning?";
            struct extract_source src = {
                .text = big, .section = "Norms for meeting one", .chapter = "Norms with Teeth"};
            struct terms ts;
            struct extract_request rq = {
                .question = question, .sources = &src, .k = 1, .headings = heads, .nheadings = 8};
            terms_for(&ts, question, 2.0);
            rq.terms = ts.x;
            rq.nterms = ts.n;
            a = compose_checked(&rq);
        }
        ok(a != NULL && strstr(a, "**Suggested follow-up questions**") != NULL,
           "the answer suggests questions");
        ok(a != NULL && words(a) <= EXTRACT_ANSWER_WORDS && words(a) + 40 >= EXTRACT_ANSWER_WORDS,
           "the excerpts take the words the reserve left: %zu words of %d", words(a),
           EXTRACT_ANSWER_WORDS);
        verified(a, one, 1, 2);
        free(big);
    }
    /* sugg37b (extractive.h, 7): the answer quotes units under a level-3
     * heading the chapter's list of section headings does not hold; its
     * source's own section stands for the quoted one: its neighbours are
     * suggested, not itself (before, no suggestion at all). */
    {
        static const char *const heads[] = {"Teams that work", "Agree on norms",
                                            "Building the intervention system",
                                            "Renewing the charter"};
        static const struct extract_chapter ch[] = {
            {.book = "b", .title = "Teams that work", .first = 1, .n = 3}};
        struct extract_source src = {.text = "### Write the system down\n\nThe team writes its "
                                             "intervention system down on one page. Every teacher "
                                             "keeps the written intervention system in the team "
                                             "binder.",
                                     .section = "Building the intervention system",
                                     .chapter = "Teams that work",
                                     .book = "b"};
        struct extract_request rq = {.question = "how do teams write the intervention system down?",
                                     .sources = &src,
                                     .k = 1,
                                     .headings = heads,
                                     .nheadings = 4,
                                     .chapters = ch,
                                     .nchapters = 1};
        char *qa = phrase_question(heads[1]), *qb = phrase_question(heads[2]),
             *qc = phrase_question(heads[3]);
        const char *f;
        a = compose_checked(&rq);
        f = a != NULL ? strstr(a, "**Suggested follow-up questions**") : NULL;
        ok(a != NULL && strstr(a, "writes its intervention system down") != NULL && f != NULL
               && qa != NULL && qc != NULL && strstr(f, qa) != NULL && strstr(f, qc) != NULL,
           "units under a level-3 heading: the neighbours of their source's section are suggested");
        ok(f != NULL && qb != NULL && strstr(f, qb) == NULL, "... not that section itself");
        show(a);
        free(a);
        free(qa);
        free(qb);
        free(qc);
    }
    /* sugg37b (extractive.h, 4, "The budget"): the fill counts the
     * suggested questions at the words reserved for them (the questions
     * the headings next to the source's own section make), not at those
     * written.  Two requests alike but for the neighbouring heading: in
     * one it is the quoted section's heading in other capitals, so its
     * question is the quoted section's and is left out (no suggestion at
     * all); in the other a heading of as many words, suggested.  The same
     * reserve, so the answers' bodies (all before the suggestions) are the
     * same bytes, and both answers stay within EXTRACT_ANSWER_WORDS. */
    {
        static const char
            *const ha[] = {"Keeping norms alive in every meeting of the grade level team",
                           "Keeping goals alive in every meeting of the grade level team"},
                   *hb[] = {"Keeping norms alive in every meeting of the grade level team",
                            "Keeping Norms Alive in Every Meeting of the Grade Level Team"};
        char *b, *big = malloc(32768);
        struct extract_source src = {.chapter = "Norms with Teeth", .section = ha[0]};
        struct extract_request rq = {.question = "how do team norms keep a meeting focused?",
                                     .sources = &src,
                                     .k = 1,
                                     .nheadings = 2};
        const char *sa, *sb;
        size_t j;
        sprintf(big, "## %s\n\n", ha[0]);
        for (j = 0; j < 90; j++)
            sprintf(big + strlen(big), "Team norms keep meeting %zu on task.\n\n", j + 1);
        src.text = big;
        rq.headings = ha;
        a = compose_checked(&rq);
        rq.headings = hb;
        b = compose_checked(&rq);
        sa = a != NULL ? strstr(a, "\n\n**Suggested follow-up questions**") : NULL;
        sb = b != NULL ? strstr(b, "\n\n**Suggested follow-up questions**") : NULL;
        ok(sa != NULL && strstr(sa, "keeping goals alive") != NULL && b != NULL && sb == NULL,
           "the neighbour asking what the quoted section asks is left out: no suggestion");
        ok(sa != NULL && b != NULL && strlen(b) == (size_t)(sa - a)
               && strncmp(a, b, strlen(b)) == 0,
           "... and the answer's body is the same bytes");
        ok(a != NULL && b != NULL && words(a) <= EXTRACT_ANSWER_WORDS
               && words(b) <= EXTRACT_ANSWER_WORDS && words(a) + 40 >= EXTRACT_ANSWER_WORDS,
           "... both within %d words (%zu, %zu)", EXTRACT_ANSWER_WORDS, a != NULL ? words(a) : 0,
           b != NULL ? words(b) : 0);
        show(a);
        free(a);
        free(b);
        free(big);
    }
    /* steps33 (extractive.h, 5): steps 1-2 in one passage that ends in
     * step 2, steps 3-5 in the next one: the composer asks for it, and
     * given it (steps only) the list is whole, each step cited to its
     * own passage; without it, no step 3 is invented. */
    {
        static const char *const texts[] = {
            ("## Step 1: Choose the targets\n\n"
             "Start with the essential standard the team will teach in the next two or three "
             "weeks, and pick two or three targets for the CFA.\n\n"
             "## Step 2: Decide what proficiency looks like\n\n"
             "Before writing any items, the team agrees on what a proficient answer to the CFA "
             "looks like for each target."),
            ("## Step 3: Write or choose the items\n\n"
             "Match the item type to the target, and write a few items for each target on the "
             "CFA.\n\n"
             "## Step 4: Give the assessment\n\n"
             "Every teacher on the team gives the CFA in the same week and in the same way.\n\n"
             "## Step 5: Score together\n\n"
             "The team scores the CFA together, so that proficiency means the same thing in "
             "every room."),
            ("## Step 7: Celebrate the results\n\n"
             "Teams that finish a cycle of the CFA celebrate what their students have learned.")};
        static const char *const q = "how do we write cfas?";
        static const int at[] = {4, 5, 9}, gap[] = {4, 7};
        struct steps_rq r;
        const char *book = NULL;
        int ords[EXTRACT_STEPS_FETCH];
        size_t nw;

        steps_rq(&r, q, texts, 1, 1, at);
        nw = extractive_steps_wanted(&r.rq, &book, ords, EXTRACT_STEPS_FETCH);
        ok(nw == 3 && book != NULL && strcmp(book, "assessment") == 0 && ords[0] == 5
               && ords[2] == 7,
           "steps that end their passage: the passages after it are wanted (%zu)", nw);
        a = compose_checked(&r.rq);
        ok(a != NULL && strstr(a, "2. **Decide what proficiency looks like**") != NULL
               && strstr(a, "3. **") == NULL,
           "without them, steps 1-2 only: none invented");
        verified(a, texts, 1, 2);

        steps_rq(&r, q, texts, 2, 1, at);
        nw = extractive_steps_wanted(&r.rq, &book, ords, EXTRACT_STEPS_FETCH);
        a = compose_checked(&r.rq);
        ok(a != NULL && strstr(a, "3. **Write or choose the items**: \"Match") != NULL
               && strstr(a, "5. **Score together**: \"The team scores the CFA together") != NULL
               && strstr(a, "every room.\" [2]") != NULL
               && strstr(a, "Choose the targets**: \"Start") != NULL,
           "given the next passage, steps 1-5, steps 3-5 cited to it");
        ok(nw == 3 && ords[0] == 6 && ords[2] == 8,
           "... and the passages after step 5, which ends its passage, are wanted (%zu)", nw);
        verified(a, texts, 2, 5);

        {
            const char *const odd[] = {texts[0], texts[2]};
            steps_rq(&r, q, odd, 2, 1, at);
            a = compose_checked(&r.rq);
            ok(a != NULL && strstr(a, "Celebrate") == NULL && strstr(a, "3. **") == NULL,
               "a fetched passage's step that does not follow on is left out");
            verified(a, odd, 2, 2);
        }
        {
            static const char *const fivefirst[] = {
                "## Step 1: Choose the targets\n\n"
                "Start with the essential standard the team will teach in the next two or three "
                "weeks, and pick two or three targets for the CFA.\n\n"
                "## Step 2: Decide what proficiency looks like\n\n"
                "Before writing any items, the team agrees on what a proficient answer to the CFA "
                "looks like.\n\nA short paragraph follows the steps, not a step at all here.",
                "## Step 5: Score together\n\n"
                "The team scores the CFA together, so that proficiency means the same thing in "
                "every room.\n\n## A sample plan\n\nThe CFA writing is done once a unit."};
            steps_rq(&r, q, fivefirst, 2, 2, gap);
            nw = extractive_steps_wanted(&r.rq, &book, ords, EXTRACT_STEPS_FETCH);
            ok(nw == 2 && ords[0] == 5 && ords[1] == 6,
               "steps 1, 2 and 5 in passages 4 and 7: the two between are wanted (%zu)", nw);
        }
        {
            /* The passage joined with the next one on its page ("The
             * page"): steps 3-5's headings are in its text, their
             * sentences not on its page: the next passage is wanted. */
            char joined[2048];
            const char *const one[] = {joined};
            snprintf(joined, sizeof(joined), "%s\n\n%s", texts[0], texts[1]);
            steps_rq(&r, q, one, 1, 1, at);
            r.src[0].own_end = strlen(texts[0]);
            r.src[0].page = texts[0];
            nw = extractive_steps_wanted(&r.rq, &book, ords, EXTRACT_STEPS_FETCH);
            a = compose_checked(&r.rq);
            ok(nw >= 1 && ords[0] == 5 && a != NULL && strstr(a, "3. **") == NULL,
               "steps whose sentences are off the passage's page: none quoted, the next passage "
               "wanted (%zu)",
               nw);
            free(a);
        }
        steps_rq(&r, "what is a cfa?", texts, 1, 1, at);
        ok(extractive_steps_wanted(&r.rq, &book, ords, EXTRACT_STEPS_FETCH) == 0 && book == NULL,
           "no how question: nothing wanted");
    }
    /* wnown35 (extractive.h, 4): a WordNet relation of a question word
     * ("neglect" of "failing") weighs in the scores but is no substance:
     * a section holding only it is not written; the same term standing
     * in for a word (a thesaurus word) carries its section. */
    {
        static const char *const neglect[] = {"neglect", NULL};
        static const bool yes[] = {true}, no[] = {false};
        static const char *const two[] = {
            "## The standards tracker\n\nA tracker shows which students keep failing an "
            "essential standard, and which standard the team should reteach first.",
            "## Neglected routines\n\nA neglected routine is hard to restart. Neglect "
            "spreads: one neglected routine leads to the next neglected one."};
        a = compose_extra("what should our team do when a few kids keep failing the same "
                          "standard?",
                          two, 2, neglect, yes);
        ok(a != NULL && strstr(a, "tracker") != NULL && strstr(a, "eglect") == NULL
               && strstr(a, "[2]") == NULL,
           "a section holding only a WordNet relation of a question word is not written");
        verified(a, two, 2, 1);
        a = compose_extra("what should our team do when a few kids keep failing the same "
                          "standard?",
                          two, 2, neglect, no);
        ok(a != NULL && strstr(a, "tracker") != NULL && strstr(a, "Neglect") != NULL
               && strstr(a, "[2]") != NULL,
           "the same term standing in for a question word carries its section");
        verified(a, two, 2, 2);
    }
    ok(setup_composed >= 50 && setup_differs == 0,
       "one setup, its steps asked, composed twice: extractive_compose's answers and steps "
       "(%zu of %zu differ)",
       setup_differs, setup_composed);
    return 0;
}
