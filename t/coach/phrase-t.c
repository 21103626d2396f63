/* Tests for coach/phrase: library headings turned into the questions a
 * teacher would pick (clarification choices, suggested follow-ups), and
 * coach/evidence's clarification choices built from them; and
 * coach/words' words_in_list_n(), the word-list lookup phrase.c and
 * extractive.c share, and words_is_bare_contraction(). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coach/evidence.h"
#include "coach/phrase.h"
#include "coach/words.h"
#include "library/search.h"
#include "tap/basic.h"

static void check(const char *heading, const char *want, const char *why)
{
    char *q = phrase_question(heading);

    if (want == NULL)
        ok(q == NULL, "%s: %s -> none (%s)", why, heading, q ? q : "none");
    else
        ok(q != NULL && strcmp(q, want) == 0, "%s: %s -> %s", why, heading, q ? q : "(none)");
    free(q);
}

/* A word inside a text is its first n bytes; case is ignored, and only a
 * whole entry matches. */
static void in_list_n(void)
{
    static const char *const list[] = {"tier", "chapter", NULL};
    static const char *const none[] = {NULL};
    const char *text = "Tiers of Chapter 3";

    ok(words_in_list_n(text + 9, 7, list), "words_in_list_n: Chapter (7 bytes) is chapter");
    ok(words_in_list_n(text, 4, list) && !words_in_list_n(text, 5, list),
       "Tier (4 bytes) is in the list, Tiers (5) is not");
    ok(!words_in_list_n(text + 9, 4, list) && !words_in_list_n(text, 4, none),
       "nor Chap, a prefix of an entry; an empty list holds nothing");
}

/* words_is_bare_contraction(): the contractions typed without their
 * apostrophe, both forms; not the spellings that are words of their own. */
static void bare_contractions(void)
{
    ok(words_is_bare_contraction("dont") && words_is_bare_contraction("shouldnt")
           && words_is_bare_contraction("aint"),
       "words_is_bare_contraction: the negatives with n't");
    ok(words_is_bare_contraction("theres") && words_is_bare_contraction("theyd")
           && words_is_bare_contraction("youll"),
       "... the pronoun forms");
    ok(!words_is_bare_contraction("well") && !words_is_bare_contraction("shell")
           && !words_is_bare_contraction("its") && !words_is_bare_contraction("id"),
       "... not the spellings that are words ('id': a student ID)");
    ok(!words_is_bare_contraction("don't") && !words_is_bare_contraction("dontt")
           && !words_is_bare_contraction("don") && !words_is_bare_contraction(""),
       "... nor the apostrophe's own spelling, a longer or shorter word, nothing");
}

/* evidence_choices(): one choice per chapter, from the hit's section
 * heading, or its chapter's title when the heading asks about nothing. */
static void choices(void)
{
    struct search_hit hits[] = {
        {.chapter_id = "c2",
         .chapter_title = "The Guiding Coalition",
         .section = "Who belongs on it"},
        {.chapter_id = "c1", .chapter_title = "Foundations", .section = "Choose the targets"},
        {.chapter_id = "c2",
         .chapter_title = "The Guiding Coalition",
         .section = "Norms That Work"},
    };
    struct search_result sr = {.hits = hits, .n = 3};
    struct arena a = ARENA_INIT;
    const char *out[4];
    size_t n = evidence_choices(&sr, &a, out, 4);

    is_int(2, (long)n, "one choice per chapter");
    is_string("What should our team know about the guiding coalition?", n > 0 ? out[0] : NULL,
              "a section heading that leans on its context gives way to the chapter's title");
    is_string("How do we choose the targets?", n > 1 ? out[1] : NULL,
              "a section heading that stands alone is the choice");
    arena_free(&a);
}

int main(void)
{
    plan(72);
    in_list_n();
    bare_contractions();
    choices();
    check("Step 1: Choose the targets", "How do we choose the targets?",
          "an imperative, its numbering gone");
    check("Chapter 2: Building a Common Formative Assessment",
          "How do we go about building a common formative assessment?",
          "a gerund, Title Case lowered");
    check("Norms That Work", "What should our team know about norms that work?", "a noun phrase");
    check("What makes a goal SMART", "What makes a goal SMART?",
          "a direct question keeps acronyms");
    check("What the principal does", "What should our team know about what the principal does?",
          "an embedded question is a noun phrase");
    check("When a norm is broken", "What should we do when a norm is broken?", "when");
    check("Resistance is normal", "Why does the library say that resistance is normal?",
          "a statement");
    check("Signs a team is on track", "What should our team know about signs a team is on track?",
          "a verb inside a relative clause is no statement");
    check("Tier 2: additional time and support",
          "What should our team know about Tier 2: additional time and support?",
          "a word before a number keeps its case");
    check("August and September: foundations",
          "What should our team know about foundations in August and September?",
          "a time before a colon: the rest, in that time; month names stay");
    check("Week 3: response", NULL,
          "a numbered week before a colon is a timeline, not a topic (compose29)");
    check("Day 1: the first meeting", NULL, "... nor a numbered day");
    check("Figure 4: The data wall", NULL, "a figure's caption is no topic");
    check("Table: a sample CFA plan", NULL, "... nor a table's");
    check("The 4 critical questions", NULL, "a number in a heading reads as no topic");
    check("Grade 4 fractions", "What should our team know about Grade 4 fractions?",
          "... but a grade before its number does");
    check("May and June: reflect and plan ahead",
          "How do we reflect and plan ahead in May and June?",
          "... the rest phrased as itself (an imperative)");
    check("Week 2: who decides", NULL, "... none when the rest makes none");
    check("January: a SMART goal", "What should our team know about a SMART goal in January?",
          "one month");
    check("Sidebar: the expert who dominates",
          "What should our team know about the expert who dominates?", "a sidebar's label goes");
    check("Is the curriculum viable?", "Is the curriculum viable?",
          "a heading that is a question is itself, with one question mark");
    check("Selected response or constructed response?",
          "Selected response or constructed response?", "... whatever its first word");
    check("Why now", NULL, "a question of two words asks about the section before it");
    check("Audit the meetings", "How do we audit the meetings?",
          "a word before a determiner is an imperative");
    check("Signs the team is stuck", "What should our team know about signs the team is stuck?",
          "... not a plural noun before one");
    check("Inside the classroom", "What should our team know about inside the classroom?",
          "... nor a preposition");
    check("Beyond one principal", "What should our team know about going beyond one principal?",
          "a heading naming a move");
    check("Team leader and facilitator are not the same job",
          "Why does the library say that team leader and facilitator are not the same job?",
          "a statement whose verb is the fifth word");
    check("The time is for teams", "Why does the library say that the time is for teams?",
          "a statement opening with an article");
    check("Choosing What Is Essential", "How do we go about choosing what is essential?",
          "a verb mark in an embedded question is no statement");
    check("A closing word", NULL, "the book's apparatus: its last word");
    check("An example with numbers", NULL, "an aside to the section before it");
    check("A note on time", NULL, "... a note");
    check("Examples of strong goals", "What should our team know about examples of strong goals?",
          "... not a heading that only begins alike");
    check("Why Teams, Why Now", "What should our team know about why teams, why now?",
          "punctuation after a word does not stop lower-casing");
    check("RTI and MTSS", "What should our team know about RTI and MTSS?", "acronyms stay");
    check("  Who decides what counts  ", "Who decides what counts?", "white space trimmed");
    check("Who decides", NULL, "a question of two words asks about the section before it");
    check("Who belongs on it", NULL, "a pronoun whose referent came before the heading");
    check("Making them stick", NULL, "a pronoun inside a gerund phrase");
    check("Items that matter", "What should our team know about items that matter?",
          "a word that only begins with a pronoun's letters");
    check("The team", NULL,
          "only the asker's own team: \"What should our team know about the team?\"");
    check("Our School", NULL, "... the asker's own school");
    check("The PLC", NULL, "... their PLC");
    check("Teams and teachers", NULL, "... however many of such words");
    check("Building the Team", "How do we go about building the team?",
          "a heading with another word besides the team makes its question");
    check("The team health check", "What should our team know about the team health check?",
          "... a noun phrase too");
    check("What is a PLC?", "What is a PLC?", "a heading that is a question asks it itself");
    check("Learn before you decide", "How do we learn before we decide?",
          "\"you\" is the asker's team: \"we\"");
    check("Ask what families need from you", "How do we ask what families need from us?",
          "... \"us\" after a preposition");
    check("Writing items that teach you something",
          "How do we go about writing items that teach us something?", "... after a verb");
    check("Know your students", "How do we know our students?", "... \"your\" is \"our\"");
    check("When you disagree", "What should we do when we disagree?", "... in a \"when\" heading");
    check("What do you do when a member stops coming?", "What do we do when a member stops coming?",
          "... in a heading that is a question");
    check("How many is right?", NULL, "a quantity of something the heading does not name");
    check("How long is enough", NULL, "... a span of it");
    check("How many essential standards is right?", "How many essential standards is right?",
          "a quantity of what the heading names stays");
    check("Introduction", NULL, "the book's apparatus");
    check("References", NULL, "the book's apparatus");
    check("", NULL, "empty");
    check("One two three four five six seven eight nine ten eleven twelve thirteen", NULL,
          "too long");
    ok(phrase_same("Chapter 2: Norms That Work", "norms that work.")
           && !phrase_same("Norms That Work", "Meetings That Matter"),
       "the same heading, however numbered, cased or punctuated");
    return 0;
}
