/* Tests for coach/extractive and coach/sentences: passages split into
 * sentences at the right places, the composer picks the sentences that
 * answer the question, quotes them exactly and cites each, and what it
 * writes passes the verifier untouched. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coach/extractive.h"
#include "coach/sentences.h"
#include "coach/verify.h"
#include "tap/basic.h"

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

/* A passage of steps, the second sentence opening with "Then". */
static const char steps[] =
    "Teams first choose the learning targets that the common formative assessment will measure. "
    "Then they decide what proficiency on the formative assessment looks like. Next the team "
    "writes or chooses a few items for each target in the assessment. Finally the team scores "
    "the assessment together before they look at the results.";

/* Composes with the follow-up questions "How do we plan Tier 2?" and "What
 * should our team know about norms?". */
static char *compose(const char *question, const char *focus, const char *const *texts, size_t k,
                     const char *const *headings, size_t nheadings)
{
    static const char *const followups[] = {"How do we plan Tier 2?",
                                            "What should our team know about norms?"};
    struct extract_source src[8];
    struct extract_request rq = {.question = question,
                                 .focus = focus,
                                 .sources = src,
                                 .k = k,
                                 .headings = headings,
                                 .nheadings = nheadings,
                                 .followups = followups,
                                 .nfollowups = 2};
    size_t i;

    for (i = 0; i < k && i < 8; i++)
        src[i] = (struct extract_source){.text = texts[i]};
    return extractive_compose(&rq);
}

static bool has_span(const char *text, const struct sentence_span *s, size_t n, const char *want)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i].len == strlen(want) && strncmp(text + s[i].start, want, s[i].len) == 0)
            return true;
    return false;
}

int main(void)
{
    struct sentence_span s[32];
    struct verify_result r;
    size_t n, i;
    char *a;
    uint64_t *t1, *t2;
    size_t n1, n2;

    plan(33);

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

    t1 = terms_of("How do we write CFAs?", 21, true, &n1);
    t2 = terms_of("common formative assessments", 28, false, &n2);
    is_int((long long)n2, (long long)terms_overlap(t1, n1, t2, n2),
           "an acronym expands to its phrase's terms");
    free(t1);
    free(t2);
    t1 = terms_of("the and of", 10, false, &n1);
    ok(t1 == NULL && n1 == 0, "stop words only: no terms");

    /* The shape: the opening, points, takeaways, follow-ups. */
    a = compose("What is Tier 3 and who delivers the intensive help?", NULL, passages, 3, NULL, 0);
    ok(a != NULL, "composed an answer");
    ok(a != NULL
           && strncmp(a,
                      "\"Tier 3 serves students who lack foundational skills far below grade "
                      "level.\" [3]",
                      strlen("\"Tier 3 serves students who lack foundational skills far below "
                             "grade level.\" [3]"))
                  == 0,
       "it opens with the sentence that answers most directly, quoted and cited [3]");
    ok(a != NULL && strstr(a, "Team norms") == NULL, "nothing about norms");
    ok(a != NULL && strstr(a, "\n\n**Key takeaways**\n\n- \"") != NULL, "key takeaways");
    ok(a != NULL
           && strstr(a, "**Suggested follow-up questions**\n\n1. How do we plan Tier 2?\n2. ")
                  != NULL,
       "the caller's follow-up questions, numbered");
    verify_answer(a ? a : "", passages, 3, &r);
    ok(a != NULL && strcmp(r.text, a) == 0 && verify_all_ok(&r) && r.quotes_verified >= 3,
       "the verifier keeps it all");
    verify_result_free(&r);
    free(a);

    a = compose("how do we keep our norms alive?", NULL, passages, 3, NULL, 0);
    ok(a != NULL && strstr(a, "reviews them every quarter") != NULL, "the norms answer");
    free(a);
    a = compose("what promises does Rivera call the norms?", NULL, passages, 3, NULL, 0);
    ok(a != NULL
           && strstr(a, "\xe2\x80\x9c"
                        "Dr. Rivera calls them \"the team's promises\" to each "
                        "other.\xe2\x80\x9d [2]")
                  != NULL,
       "a sentence with straight quotes is quoted with curly ones");
    verify_answer(a ? a : "", passages, 3, &r);
    ok(verify_all_ok(&r), "and verifies");
    verify_result_free(&r);
    free(a);

    ok(compose("zebra xylophone", NULL, passages, 3, NULL, 0) == NULL,
       "nothing in common with the question: no answer");
    a = compose("Tier 3? (follow-up to: how is Tier 2 help planned?)", "what about Tier 3?",
                passages, 3, NULL, 0);
    ok(a != NULL && strncmp(a, "\"Tier 3 serves", 14) == 0,
       "the follow-up's own words weigh more: Tier 3 opens");
    free(a);

    {
        const char *const none[] = {"## Only a heading", "short.",
                                    "Is this a question the book asks its readers?"};
        ok(compose("anything heading question book", NULL, none, 3, NULL, 0) == NULL,
           "no usable sentence (a heading, a fragment, a question): NULL");
    }
    {
        const char *many[3];
        size_t words = 0;
        char *p;
        for (i = 0; i < 3; i++)
            many[i] = steps;
        a = compose("What are the steps teams follow to build a common assessment?", NULL, many, 3,
                    NULL, 0);
        for (p = a; p != NULL && *p != '\0'; p++)
            words += (p == a || p[-1] == ' ' || p[-1] == '\n') && *p != ' ' && *p != '\n';
        ok(a != NULL && words <= 500, "the answer stays within 500 words (%zu)", words);
        free(a);
    }

    /* Points: by source, in the passage's order; numbered steps for how. */
    {
        const char *two[] = {steps, passages[0]};
        const char *p1, *p2, *p3;
        struct extract_source src[2] = {{.text = steps}, {.text = passages[0]}};
        struct extract_weight w[16];
        struct extract_request rq = {
            .question = "How does a team build a common formative assessment, step by step?",
            .sources = src,
            .k = 2,
            .weights = w};
        size_t nq;
        uint64_t *qt = terms_of(rq.question, strlen(rq.question), true, &nq);
        for (i = 0; i < nq && i < 16; i++) /* every word of the question equally rare */
            w[i] = (struct extract_weight){.term = qt[i], .idf = 2.0};
        rq.nweights = i;
        free(qt);
        a = extractive_compose(&rq);
        p1 = a ? strstr(a, "Teams first choose the learning targets") : NULL;
        p2 = a ? strstr(a, "Then they decide what proficiency") : NULL;
        p3 = a ? strstr(a, "Finally the team scores the assessment together") : NULL;
        ok(a != NULL && strstr(a, "\n1. \"") != NULL
               && strstr(a, "\n- \"") > strstr(a, "**Key takeaways**"),
           "a how question: numbered steps (bullets only in the takeaways)");
        ok(p1 != NULL && p2 != NULL && p3 != NULL && p1 < p2 && p2 < p3, "in the passage's order");
        ok(a != NULL && strstr(a, "will measure.\" [1] \"Then they decide") != NULL,
           "a sentence opening with \"Then\" stays right after the one it follows");
        verify_answer(a ? a : "", two, 2, &r);
        ok(a != NULL && verify_all_ok(&r) && strcmp(r.text, a) == 0, "the steps verify");
        verify_result_free(&r);
        free(a);
    }

    /* A heading glued to its first sentence (PDF text) is cut off. */
    {
        const char *glued[] = {"The four critical questions A collaborative team spends its "
                               "time on four questions about the students it shares. The "
                               "first question asks what every student must learn."};
        const char *const heads[] = {"The four critical questions"};
        struct extract_source src = {.text = glued[0], .section = NULL};
        struct extract_request rq = {.question = "what are the four critical questions for a team?",
                                     .sources = &src,
                                     .k = 1,
                                     .headings = heads,
                                     .nheadings = 1};
        a = extractive_compose(&rq);
        ok(a != NULL
               && strstr(a, "\"A collaborative team spends its time on four questions") != NULL
               && strstr(a, "questions A collaborative") == NULL,
           "a glued heading is cut off the sentence");
        free(a);
        src.section = "The four critical questions";
        rq.nheadings = 0;
        a = extractive_compose(&rq);
        ok(a != NULL && strstr(a, "\"A collaborative team spends") != NULL,
           "... also when it is only the passage's own section heading");
        free(a);
    }

    /* A sentence whose referent is missing is never quoted alone. */
    {
        const char *dep[] = {
            "These reviews keep norms visible and honest. Teams revisit norms every quarter.",
            "Norms need a quarterly review by the whole team. They fade when nobody reviews "
            "them at all."};
        a = compose("how often should a team review its norms?", NULL, dep, 2, NULL, 0);
        ok(a != NULL && strstr(a, "These reviews keep norms") == NULL,
           "a first sentence opening with \"These\" is skipped");
        ok(a != NULL
               && (strstr(a, "They fade") == NULL
                   || strstr(a, "\"Norms need a quarterly review by the whole team.\" [2] "
                                "\"They fade")
                          != NULL),
           "\"They ...\" comes only after the sentence it refers to");
        free(a);
    }

    /* Substance: the library's IDF decides what counts. */
    {
        uint64_t *qt;
        size_t nq;
        struct extract_weight w[8];
        struct extract_source src[3];
        struct extract_request rq = {.question = "what do teams do?", .sources = src, .k = 3};
        for (i = 0; i < 3; i++)
            src[i] = (struct extract_source){.text = passages[i]};
        qt = terms_of(rq.question, strlen(rq.question), true, &nq);
        for (i = 0; i < nq && i < 8; i++)
            w[i] = (struct extract_weight){.term = qt[i], .idf = 0.2}; /* everywhere */
        rq.weights = w;
        rq.nweights = nq < 8 ? nq : 8;
        a = extractive_compose(&rq);
        ok(a == NULL, "only words the whole library uses: no answer");
        free(a);
        for (i = 0; i < rq.nweights; i++)
            w[i].idf = 2.5;
        a = extractive_compose(&rq);
        ok(a != NULL, "the same words, rare in the library: an answer");
        free(a);
        free(qt);
    }

    ok(extractive_asks_how("How do we write norms?") && extractive_asks_how("steps to start a CFA")
           && !extractive_asks_how("how many norms should we have?")
           && !extractive_asks_how("what is a norm?"),
       "how questions, not how many");
    return 0;
}
