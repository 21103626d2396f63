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

    plan(21);

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

    a = extractive_compose("What is Tier 3 and who delivers the intensive help?", NULL, passages,
                           3);
    ok(a != NULL, "composed an answer");
    ok(a != NULL && strncmp(a, EXTRACT_LEAD "\n\n", strlen(EXTRACT_LEAD) + 2) == 0,
       "the lead line");
    ok(a != NULL
           && strstr(a, "- \"Tier 3 serves students who lack foundational skills far below "
                        "grade level.\" [3]")
                  != NULL,
       "the Tier 3 sentence, quoted and cited [3]");
    ok(a != NULL && strstr(a, "Team norms") == NULL, "nothing about norms");
    verify_answer(a ? a : "", passages, 3, &r);
    ok(a != NULL && strcmp(r.text, a) == 0 && verify_all_ok(&r) && r.quotes_verified >= 1,
       "the verifier keeps it all");
    verify_result_free(&r);
    free(a);

    a = extractive_compose("how do we keep our norms alive?", NULL, passages, 3);
    ok(a != NULL && strstr(a, "reviews them every quarter") != NULL, "the norms answer");
    free(a);
    a = extractive_compose("what promises does Rivera call the norms?", NULL, passages, 3);
    ok(a != NULL
           && strstr(a, "- \xe2\x80\x9c"
                        "Dr. Rivera calls them \"the team's promises\" to each "
                        "other.\xe2\x80\x9d [2]")
                  != NULL,
       "a sentence with straight quotes is quoted with curly ones");
    verify_answer(a ? a : "", passages, 3, &r);
    ok(verify_all_ok(&r), "and verifies");
    verify_result_free(&r);
    free(a);

    ok(extractive_compose("zebra xylophone", NULL, passages, 3) == NULL,
       "nothing in common with the question: no answer");
    a = extractive_compose("Tier 3? (follow-up to: how is Tier 2 help planned?)",
                           "what about Tier 3?", passages, 3);
    ok(a != NULL && strstr(a, "Tier 3 serves") != NULL,
       "the follow-up's own words weigh more: Tier 3 is in");
    free(a);

    {
        const char *const none[] = {"## Only a heading", "short."};
        ok(extractive_compose("anything", NULL, none, 2) == NULL, "no usable sentence: NULL");
    }
    {
        const char *many[3];
        size_t words = 0;
        char *p;
        for (i = 0; i < 3; i++)
            many[i] = passages[0];
        a = extractive_compose("Tier 2 targeted help essential standards team assessment", NULL,
                               many, 3);
        for (p = a; p != NULL && *p != '\0'; p++)
            words += (p == a || p[-1] == ' ' || p[-1] == '\n') && *p != ' ' && *p != '\n';
        ok(a != NULL && words < 240, "the word budget holds (%zu words)", words);
        free(a);
    }
    return 0;
}
