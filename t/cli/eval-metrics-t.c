/* Tests for plccoach eval's pure parts: the seeded percentile bootstrap,
 * the plain BM25 page baseline and the key-term rule. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/eval_metrics.h"
#include "tap/basic.h"

static void test_bootstrap(void)
{
    double n1[400], d1[400], n2[400], d2[400];
    const double *num[2] = {n1, n2}, *den[2] = {d1, d2};
    struct eval_ci a[2], b[2], c[2];
    uint64_t s1 = 7, s2 = 7;
    size_t i;

    for (i = 0; i < 400; i++) {
        n1[i] = i % 2; /* recall 0.5 over 400 questions */
        d1[i] = 1;
        n2[i] = i < 10; /* a metric over the first 20 questions only: 10 of 20 */
        d2[i] = i < 20;
    }
    ok(eval_rand(&s1) == eval_rand(&s2) && eval_rand(&s1) != eval_rand(&s1),
       "splitmix64: the same seed gives the same numbers");
    eval_bootstrap(num, den, 2, 400, 1000, 42, a);
    eval_bootstrap(num, den, 2, 400, 1000, 42, b);
    eval_bootstrap(num, den, 2, 400, 1000, 43, c);
    ok(a[0].value == 0.5 && a[0].den == 400, "the value is the ratio over all questions");
    ok(a[0].lo == b[0].lo && a[0].hi == b[0].hi, "the same seed gives the same interval");
    ok(a[0].lo != c[0].lo || a[0].hi != c[0].hi, "another seed, another draw");
    ok(a[0].lo < 0.5 && a[0].hi > 0.5, "the interval holds the value");
    /* Normal approximation: 1.96 * sqrt(0.25 / 400) = 0.049 each side. */
    ok(fabs(a[0].hi - a[0].lo - 0.098) < 0.02, "its width is about 2 x 1.96 x the standard error");
    ok(a[1].value == 0.5 && a[1].den == 20, "a metric over a subset: its own denominator");
    ok(a[1].hi - a[1].lo > 0.3, "... and a much wider interval (20 questions)");
    for (i = 0; i < 400; i++)
        n1[i] = 1;
    eval_bootstrap(num, den, 1, 400, 1000, 42, a);
    ok(a[0].lo == 1 && a[0].hi == 1, "all right: [1, 1]");
    eval_bootstrap(num, den, 1, 0, 1000, 42, a);
    ok(a[0].value == 0 && a[0].den == 0, "no questions: 0 of 0");
}

static void test_baseline(void)
{
    const char *pages[] = {"The team agreed on norms for the meeting agenda.",
                           "A formative assessment is a short quiz.",
                           "Norms, norms and more norms build trust.", ""};
    struct eval_pages *p = eval_pages_new(pages, 4);
    size_t out[4];

    is_int(2, (long long)eval_pages_rank(p, "our team's norms", 4, out),
           "two pages hold a question word");
    ok(out[0] == 0 && out[1] == 2, "the page with both words first, then the one with norms x3");
    is_int(1, (long long)eval_pages_rank(p, "Assessments", 4, out), "light stemming: assessments");
    is_int(1, (long long)out[0], "... finds assessment");
    is_int(0, (long long)eval_pages_rank(p, "the and of", 4, out), "stop words only: nothing");
    is_int(0, (long long)eval_pages_rank(p, "CFA", 4, out), "no acronym expansion in the baseline");
    is_int(1, (long long)eval_pages_rank(p, "team norms", 1, out), "k caps the list");
    eval_pages_free(p);
}

static void test_key_terms(void)
{
    const char *terms[] = {"common formative assessments", "norms", "summative tests",
                           "SMART goals"};
    const char *curly[] = {"SMART goals", "teams"};
    const char *answer = "Start with the common formative assessment the team wrote; "
                         "Norm-setting comes first. Formative and summative assessment differ.";

    is_int(2, (long long)eval_key_terms_found(answer, terms, 4),
           "a phrase in a row (plural stemmed) and a hyphenated word; not a broken phrase");
    is_int(1, (long long)eval_key_terms_found("Write smart goals.", terms + 3, 1),
           "case-insensitive");
    is_int(0, (long long)eval_key_terms_found("", terms, 4), "an empty answer holds none");
    is_int(2,
           (long long)eval_key_terms_found("The \xe2\x80\x9csmart goals\xe2\x80\x9d of "
                                           "teams\xe2\x80\x94"
                                           "common assessments.",
                                           curly, 2),
           "curly quotes and dashes separate words");
}

/* sugg37: a key term found only in a suggested question is not found. */
static void test_told(void)
{
    const char *terms[] = {"norms", "common formative assessments", "SMART goals"};
    const char *extractive = "\"Team norms are the agreements a team keeps.\" [1]\n\n"
                             "**Key takeaways**\n\n- \"Team norms are the agreements\" [1]\n\n"
                             "**Suggested follow-up questions**\n\n"
                             "1. How do we go about writing common formative assessments?\n"
                             "2. What should our team know about SMART goals?";
    const char *model = "Norms matter [1].\n\n### You might also ask:\n"
                        "- How do we write SMART goals?\n\n"
                        "Common formative assessments come later [2].";
    char *t;

    is_int(3, (long long)eval_key_terms_found(extractive, terms, 3),
           "the whole extractive answer holds all three");
    t = eval_answer_told(extractive);
    is_int(1, (long long)eval_key_terms_found(t, terms, 3),
           "without its suggested questions, only what it quotes");
    ok(strstr(t, "**Key takeaways**") != NULL && strstr(t, "Suggested") == NULL,
       "... the takeaways stay, the block of suggestions goes");
    free(t);
    t = eval_answer_told(model);
    is_int(2, (long long)eval_key_terms_found(t, terms, 3),
           "the model's \"You might also ask\" block goes, the paragraph after it stays");
    free(t);
    t = eval_answer_told("No suggestions here: norms.");
    is_string("No suggestions here: norms.", t, "an answer without suggestions is unchanged");
    free(t);
}

int main(void)
{
    plan(26);
    test_bootstrap();
    test_baseline();
    test_key_terms();
    test_told();
    return 0;
}
