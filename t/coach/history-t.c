/* Tests for coach/history: the chunk ids of a saved answer's citations
 * (messages.citations), the prior of a follow-up; the point of a saved
 * answer that a follow-up names by its place ("the second one"); the
 * choice of a clarification it names by its subject.  Locating them in the
 * library (db/books.c chunk_places) and the pipeline's use of them are
 * t/integration/coach.sh ("the follow-up's prior"). */
#include "config.h"

#include <string.h>

#include "coach/history.h"
#include "coach/rewrite.h"
#include "tap/basic.h"
#include "util/arena.h"

#define ID1 "0b7c1f9e-2d3a-4c5b-8e6f-7a8b9c0d1e2f"
#define ID2 "9f8e7d6c-5b4a-4321-8fed-cba987654321"

/* The previous answer's nth point. */
static void test_answer_item(void)
{
    struct arena a = ARENA_INIT;
    const char *answer = "Open with the protocol. [1]\n\n**Why** [1]\n\n"
                         "1. \"Piles show patterns.\" [1]\n\n**Steps** [1]\n\n"
                         "- \"It takes thirty minutes.\" [1]\n"
                         "1. \"Sort the student work into three piles.\" [1]\n"
                         "2. \"Name what each pile shows.\" [1]\n"
                         "3. \"Plan the reteaching.\" [2]\n"
                         "\n\n**Key takeaways**\n\n- \"Sort the student work\" [1]\n";

    is_string("\"Name what each pile shows.\" [1]", history_answer_item(answer, 2, &a),
              "the second point: the first one numbered 2 (numbering restarts in each section)");
    is_string("\"Piles show patterns.\" [1]", history_answer_item(answer, 1, &a),
              "the first: the first one numbered 1");
    is_string("\"Plan the reteaching.\" [2]", history_answer_item(answer, REWRITE_LAST, &a),
              "the last one: the last numbered, before the key takeaways, which repeat them");
    ok(history_answer_item(answer, 4, &a) == NULL, "no point numbered 4");
    ok(history_answer_item(answer, 0, &a) == NULL, "no ordinal: nothing");
    is_string("use exit tickets",
              history_answer_item("Try these:\n- check often\n* use exit tickets", 2, &a),
              "an answer of bullets only: the nth bullet");
    is_string("use exit tickets",
              history_answer_item("Try these:\n- check often\n* use exit tickets", -1, &a),
              "... and the last");
    is_string("Meet weekly.", history_answer_item("Tips:\n  12) Meet weekly.", 12, &a),
              "an indented \"12) \" too");
    ok(history_answer_item("Three piles. 2. Not a list item.", 1, &a) == NULL,
       "a number inside a line is not a list item");
    ok(history_answer_item("1.5 hours a week", 1, &a) == NULL, "nor a decimal number");
    ok(history_answer_item("Steps:\n44444444444444444444. Too long\n2. Meet.", 2, &a) != NULL
           && history_answer_item("44444444444444444444. Too long", 1, &a) == NULL,
       "a marker of many digits is no list item, and reading it does not overflow (fuzz)");
    arena_free(&a);
}

/* An answer's closing blocks hold none of its points (small38): an
 * extractive answer with too few takeaways for their block ends with its
 * suggested follow-up questions, numbered (fresh2-pages g0173's first
 * answer had one point in bullets, then two suggestions); a model's
 * answer ends with its own takeaways and "You might also ask". */
static void test_closing_blocks(void)
{
    struct arena a = ARENA_INIT;
    const char *bullets = "\"For a four-week unit, a typical calendar looks like this:\" [1]\n\n"
                          "**An assessment calendar for the unit** [1]\n\n"
                          "- \"Teams plan their common assessments on the calendar.\" [1]\n\n"
                          "**Suggested follow-up questions**\n\n"
                          "1. How do we go about scoring and returning results quickly?\n"
                          "2. What should our team know about formative and summative?";
    const char *steps = "Start here. [1]\n\n**Steps** [1]\n\n"
                        "1. \"Sort the work.\" [1]\n2. \"Name the patterns.\" [1]\n\n"
                        "**Suggested follow-up questions**\n\n"
                        "1. How do we go about grouping for the block?\n"
                        "2. What should our team know about reassessment?\n"
                        "3. What should our team know about anchor papers?";
    const char *model = "Norms guide the team [1].\n\n- Set them together [1]\n"
                        "- Review them often [2]\n\n### Key takeaways:\n\n"
                        "- Write four to six norms\n\n**You might also ask**\n\n"
                        "- What if a norm is broken?\n- How often do we review norms?";

    ok(history_answer_item(bullets, 2, &a) == NULL,
       "the second one of an answer with one point: none, not its second suggestion");
    is_string("\"Teams plan their common assessments on the calendar.\" [1]",
              history_answer_item(bullets, REWRITE_LAST, &a),
              "the last one: its last bullet, not a suggestion");
    is_string("\"Name the patterns.\" [1]", history_answer_item(steps, REWRITE_LAST, &a),
              "the last one of an answer in steps: the last step, not the last suggestion");
    ok(history_answer_item(steps, 3, &a) == NULL, "the third one: no third step, no suggestion");
    is_string("Review them often [2]", history_answer_item(model, REWRITE_LAST, &a),
              "a model's answer: its last point, not a takeaway nor a question it suggests");
    is_string("Set them together [1]", history_answer_item(model, 1, &a), "... and its first");
    is_string("Keep the takeaways short",
              history_answer_item("- Meet weekly\n- Key takeaways matter\n"
                                  "- Keep the takeaways short\n\n**Key takeaways**\n\n- Meet",
                                  -1, &a),
              "a point that only begins like a closing heading is a point");
    arena_free(&a);
}

/* The clarification's choice a follow-up names by its subject. */
static void test_clarify_choice(void)
{
    struct arena a = ARENA_INIT;
    const char *asked = "That covers a lot. Which of these is closest to what you need?\n\n"
                        "- What should our team know about the one-page team charter?\n"
                        "- What should our team know about the best team, worst team protocol?\n"
                        "- How do we go about monitoring the work of teams?\n";

    is_string("What should our team know about the one-page team charter?",
              history_clarify_choice(asked, "how often do we go back to team charter", &a),
              "the choice sharing the follow-up's subject (charter)");
    is_string("What should our team know about the best team, worst team protocol?",
              history_clarify_choice(asked, "and the worst team one?", &a),
              "another choice, by its own word");
    ok(history_clarify_choice(asked, "how often do we go back to it", &a) == NULL,
       "no distinctive word shared: no choice");
    ok(history_clarify_choice(asked, "team charter or monitoring?", &a) == NULL,
       "two choices sharing as many: none");
    ok(history_clarify_choice("1. Charter first\n2. Monitoring", "team charter", &a) == NULL,
       "only bullets are choices, not numbered points");
    arena_free(&a);
}

int main(void)
{
    struct arena a = ARENA_INIT;
    const char *ids[4];
    size_t n;

    plan(34);
    test_answer_item();
    test_closing_blocks();
    test_clarify_choice();
    n = history_cited_ids("[{\"n\":1,\"chunk_id\":\"" ID1 "\",\"quote\":\"q\"},"
                          "{\"n\":2,\"chunk_id\":\"" ID2 "\"},"
                          "{\"n\":3,\"chunk_id\":\"" ID1 "\"}]",
                          &a, ids, 4);
    is_int(2, (long)n, "two passages cited (one of them twice)");
    is_string(ID1, n > 0 ? ids[0] : NULL, "the first, in order");
    is_string(ID2, n > 1 ? ids[1] : NULL, "the second");
    n = history_cited_ids("[{\"chunk_id\":\"" ID1 "\"},{\"chunk_id\":\"" ID2 "\"}]", &a, ids, 1);
    is_int(1, (long)n, "at most max");
    is_int(0, (long)history_cited_ids("[]", &a, ids, 4), "an answer that cited nothing");
    is_int(0, (long)history_cited_ids(NULL, &a, ids, 4), "no answer");
    is_int(0, (long)history_cited_ids("{\"chunk_id\":\"" ID1 "\"}", &a, ids, 4), "not an array");
    is_int(0, (long)history_cited_ids("[{\"chunk_id\":", &a, ids, 4), "malformed JSON");
    n = history_cited_ids("[{\"n\":1},{\"chunk_id\":7},\"" ID1 "\",{\"chunk_id\":\"" ID2 "\"}]", &a,
                          ids, 4);
    is_int(1, (long)n, "citations without a chunk id string are skipped");
    is_string(ID2, n > 0 ? ids[0] : NULL, "... and the one with it kept");
    ok(n > 0 && ids[0] != NULL && strlen(ids[0]) == 36, "the id copied whole");
    arena_free(&a);
    return 0;
}
