/* Tests for coach/rewrite (rules): follow-ups are recognised, standalone
 * questions are not, and the rewrite keeps the words of both questions. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coach/rewrite.h"
#include "library/search.h"
#include "tap/basic.h"
#include "util/buf.h"
#include "util/cfg.h"

/* A candidate passage for rewrite_prior. */
static struct search_hit hit(const char *id, const char *book, const char *chapter, int page,
                             double fused)
{
    return (struct search_hit){.chunk_id = id,
                               .book_id = book,
                               .chapter_id = chapter,
                               .page_index_start = page,
                               .page_index_end = page,
                               .fused = fused};
}

/* The previous answer's passages as a prior: a boost, not a filter. */
static void test_prior(void)
{
    struct search_hit prior[1], hits[4];

    prior[0] = hit("p", "b1", "c2", 10, 0);
    hits[0] = hit("far", "b2", "c9", 3, 0.0164);   /* another book, best on its own */
    hits[1] = hit("other", "b1", "c1", 2, 0.0160); /* same book, another chapter */
    hits[2] = hit("chap", "b1", "c2", 14, 0.0150); /* the prior's chapter */
    hits[3] = hit("near", "b1", "c3", 11, 0.0125); /* the next page, next chapter */
    rewrite_prior(hits, 4, prior, 1, 1.25, 1.25, 4);
    is_string("near", hits[0].chunk_id,
              "prior: a passage next to a previous page, both multipliers");
    is_string("chap", hits[1].chunk_id, "a passage of the previous chapter: one multiplier");
    is_string("far", hits[2].chunk_id, "... enough to pass the follow-up's own best passage");
    is_string("other", hits[3].chunk_id, "another chapter of the same book: no boost");
    prior[0] = hit("p", "b1", "c2", 10, 0);
    hits[0] = hit("own", "b2", "c9", 3, 0.0164);
    hits[1] = hit("chap", "b1", "c2", 14, 0.0120);
    rewrite_prior(hits, 2, prior, 1, 1.25, 1.25, 2);
    is_string("own", hits[0].chunk_id, "a follow-up's own strong passage stays first");
    hits[0] = hit("a", "b1", "c2", 14, 0.0100);
    hits[1] = hit("b", "b2", "c2", 14, 0.0120);
    rewrite_prior(hits, 2, NULL, 0, 1.25, 1.25, 2);
    is_string("b", hits[0].chunk_id, "no prior: the order by fused score");
}

/* The cut after the prior keeps the follow-up's own first
 * REWRITE_PRIOR_KEEP passages (follow33): "which schools are the
 * examples from" (t0486), whose own first passage (the page it wants)
 * the previous answer's pages in another book pushed from 1st to 10th. */
static void test_prior_keeps_own(void)
{
    struct search_hit prior[1], hits[6];

    prior[0] = hit("p", "b1", "c2", 10, 0);
    hits[0] = hit("own1", "b2", "c9", 3, 0.0160); /* the follow-up's own best */
    hits[1] = hit("own2", "b3", "c8", 30, 0.0150);
    hits[2] = hit("x1", "b1", "c2", 14, 0.0140); /* the previous chapter's */
    hits[3] = hit("x2", "b1", "c2", 15, 0.0139);
    hits[4] = hit("x3", "b1", "c2", 16, 0.0138);
    hits[5] = hit("x4", "b1", "c2", 17, 0.0137);
    rewrite_prior(hits, 6, prior, 1, 1.25, 1.25, 6);
    is_string("x1", hits[0].chunk_id, "k = n: the prior's order alone");
    is_string("own2", hits[5].chunk_id, "... the follow-up's own passages last");
    hits[0] = hit("own1", "b2", "c9", 3, 0.0160);
    hits[1] = hit("own2", "b3", "c8", 30, 0.0150);
    hits[2] = hit("x1", "b1", "c2", 14, 0.0140);
    hits[3] = hit("x2", "b1", "c2", 15, 0.0139);
    hits[4] = hit("x3", "b1", "c2", 16, 0.0138);
    hits[5] = hit("x4", "b1", "c2", 17, 0.0137);
    rewrite_prior(hits, 6, prior, 1, 1.25, 1.25, 4);
    is_string("x1", hits[0].chunk_id, "k 4: the prior still orders the first places");
    is_string("x2", hits[1].chunk_id, "... and the second");
    is_string("own1", hits[2].chunk_id, "the follow-up's own first passage kept in the k");
    is_string("own2", hits[3].chunk_id, "... and its second, in their own order");
    is_string("x3", hits[4].chunk_id, "the passages they displaced move down past k");
    is_string("x4", hits[5].chunk_id, "... in order");
    hits[0] = hit("own1", "b1", "c2", 14, 0.0160);
    hits[1] = hit("own2", "b3", "c8", 30, 0.0150);
    hits[2] = hit("x1", "b1", "c2", 15, 0.0140);
    hits[3] = hit("x2", "b1", "c2", 16, 0.0139);
    hits[4] = hit("x3", "b1", "c2", 17, 0.0138);
    rewrite_prior(hits, 5, prior, 1, 1.25, 1.25, 3);
    is_string("own1", hits[0].chunk_id, "an own passage the prior keeps in front stays there");
    is_string("x1", hits[1].chunk_id, "... the prior's next");
    is_string("own2", hits[2].chunk_id, "only the one the sort cut takes the last place");
    is_string("x2", hits[3].chunk_id, "... the one it displaced after it");
}

/* True when rewrite_parse refuses text and leaves its outputs alone. */
static bool refused(const char *text)
{
    char mark = 0, *q = &mark;
    bool f = true;

    return !rewrite_parse(text, strlen(text), &q, &f) && q == &mark && f;
}

/* The model's answer with a question of n letters. */
static char *question_of(size_t n)
{
    struct buf b = BUF_INIT;

    buf_puts(&b, "{\"standalone_question\": \"");
    for (size_t i = 0; i < n; i++)
        buf_putc(&b, 'a');
    buf_puts(&b, "\", \"is_followup\": true}");
    return buf_steal(&b);
}

/* The model's rewrite: exactly the JSON object, or the rules' turn. */
static void test_parse(void)
{
    const char
        *good = "{\"standalone_question\": \" What about Tier 3 in RTI? \", \"is_followup\": true}",
        *alone = "{\"is_followup\":false,\"standalone_question\":\"How do we write norms?\"}";
    char *q = NULL, *long_q;
    bool f = false;

    ok(rewrite_parse(good, strlen(good), &q, &f), "model: the object is accepted");
    is_string("What about Tier 3 in RTI?", q, "... its question, trimmed");
    ok(f, "... and is_followup");
    free(q);
    q = NULL;
    ok(rewrite_parse(alone, strlen(alone), &q, &f) && !f,
       "the members in any order; is_followup false");
    free(q);
    ok(refused("What about Tier 3 in RTI?"), "a plain line (the old answer) is refused");
    ok(refused("{\"standalone_question\": \"x\", \"is_followup\": true"), "malformed JSON refused");
    ok(refused("```json\n{\"standalone_question\": \"x y\", \"is_followup\": true}\n```"),
       "a code fence refused (strict)");
    ok(refused("{\"standalone_question\": \"x y\", \"is_followup\": true} and more"),
       "text after the object refused");
    ok(refused("{\"standalone_question\": 3, \"is_followup\": true}"),
       "a number for the question refused");
    ok(refused("{\"standalone_question\": [\"x\"], \"is_followup\": true}"), "an array refused");
    ok(refused("{\"standalone_question\": \"x y\", \"is_followup\": \"true\"}"),
       "a string for is_followup refused");
    ok(refused("{\"standalone_question\": \"x y\", \"is_followup\": 1}"),
       "a number for is_followup refused");
    ok(refused("{\"standalone_question\": \"x y\"}"), "a member missing refused");
    ok(refused("{\"standalone_question\": \"x y\", \"is_followup\": true, \"why\": \"z\"}"),
       "another member refused");
    ok(refused("{\"standalone_question\": \"   \", \"is_followup\": true}"),
       "an empty question refused");
    ok(refused("{\"standalone_question\": \"two\\nlines\", \"is_followup\": true}"),
       "a question on two lines refused");
    ok(refused("{\"standalone_question\": \"a\\u0000b\", \"is_followup\": true}"), "a NUL refused");
    ok(refused("[\"x\", true]"), "an array at the top refused");
    ok(refused(""), "nothing refused");
    long_q = question_of(REWRITE_MAX_BYTES);
    ok(rewrite_parse(long_q, strlen(long_q), &q, &f) && strlen(q) == REWRITE_MAX_BYTES,
       "a question of REWRITE_MAX_BYTES accepted");
    free(q);
    free(long_q);
    long_q = question_of(REWRITE_MAX_BYTES + 1);
    ok(refused(long_q), "an over-long question refused");
    free(long_q);
}

/* The earlier noun phrase a pronoun stands for agrees with it in number
 * (issue 12, section 4; docs/performance.md, "follow26"). */
static void test_agreement(void)
{
    char *s, *f;

    s = rewrite_rules("how many exit tickets should we collect in a 3 week unit?",
                      "and what about a pretest before it starts?", &f);
    is_string("and what about a pretest before 3 week unit starts?", f,
              "it: the singular phrase, not the plural one before it (nor the verb after we)");
    ok(strstr(s, "(about: exit tickets collect)") != NULL, "... the rest carried (%s)", s);
    free(s);
    free(f);
    s = rewrite_rules("whats the point of essential standards instead of covering all of them",
                      "ok so who should pick them?", &f);
    is_string("ok so who should pick essential standards?", f,
              "them: the plural phrase, ended by a clause break ('instead')");
    free(s);
    free(f);
    s = rewrite_rules("we meet every week to look at CFA data", "what goes wrong with that?", &f);
    is_string("what goes wrong with every week?", f,
              "that: the first singular phrase, the verb after we left out");
    free(s);
    free(f);
    s = rewrite_rules("what are a guiding coalition and a vision statement?", "who writes them?",
                      &f);
    is_string("who writes guiding coalition and a vision statement?", f,
              "no phrase agrees: the span from the first to the last distinctive word");
    free(s);
    free(f);
    s = rewrite_rules("what is MTSS and how do the tiers fit?", "who runs it?", &f);
    is_string("who runs MTSS?", f, "a word in -ss is not a plural: MTSS agrees with it");
    free(s);
    free(f);
}

/* A question left as asked in a conversation about a covered subject
 * (docs/performance.md, "follow27"): its own words' route decides whether
 * it takes the conversation's subject, and rewrite_carry gives it. */
static void test_subject(void)
{
    char *s, *f;

    ok(rewrite_takes_subject(false, "what mistakes do teams usually make"),
       "sent to clarification or answered on its own words: asked with the conversation's "
       "subject");
    ok(!rewrite_takes_subject(true, "what mistakes do teams usually make"),
       "refused on its own words: stays refused, whatever the conversation");
    s = rewrite_carry("we built a pacing guide with buffer days",
                      "does that mean we all have to teach the same lesson every day?", &f);
    is_string("does pacing guide mean we all have to teach the same lesson every day? "
              "(about: built buffer days)",
              s, "a second turn with many words of its own takes the subject too (follow29)");
    free(s);
    free(f);
    s = rewrite_rules("we just unpacked our first standard into targets",
                      "what mistakes do teams usually make", &f);
    is_string("what mistakes do teams usually make", s,
              "rewrite_rules leaves the question alone (two words of its own)");
    ok(f == NULL, "... with no focus");
    free(s);
    s = rewrite_carry("we just unpacked our first standard into targets",
                      "  what mistakes do teams usually make ", &f);
    is_string("what mistakes do teams usually make (about: unpacked standard targets)", s,
              "rewrite_carry: the earlier distinctive words carried");
    is_string("what mistakes do teams usually make", f, "... its focus the question as asked");
    free(s);
    free(f);
    s = rewrite_carry("what is MTSS and how do the tiers fit?", "who runs it?", &f);
    is_string("who runs MTSS?", f, "rewrite_carry resolves the pronoun as rewrite_rules does");
    free(s);
    free(f);
    s = rewrite_carry("previous question", "and", NULL);
    ok(strstr(s, "and") == s, "rewrite_carry without a focus pointer (%s)", s);
    free(s);
}

/* follow28: does a second turn point back to the first by its own words
 * (rewrite_points_back), so that its own words leaving the field do not
 * refuse it? */
static void test_points_back(void)
{
    ok(rewrite_points_back("and what about when someone breaks them?"),
       "a pronoun for the earlier subject points back");
    ok(!rewrite_points_back("and what about my car insurance?"),
       "a new subject after a follow-up's opening does not");
    ok(!rewrite_points_back("can you recommend a dentist"),
       "nor one without an opening, a short request of 'you'");
    ok(!rewrite_points_back("what about my taxes then"), "nor a closing 'then'");
    ok(rewrite_points_back("what makes one good vs bad"), "'one' points back");
    ok(rewrite_points_back("ok we have the averages, now what"),
       "a request for the next step points back");
    ok(rewrite_points_back("ok now what?"), "... alone too");
    ok(rewrite_points_back("ok so if we cant, who gets to pick what gets skipped?"),
       "a negated auxiliary ending a clause stands for the earlier verb");
    ok(!rewrite_points_back("what if we cant find a sub for tuesday"),
       "... not one with its own object");
    ok(rewrite_points_back("and the union says the contract doesnt allow it"),
       "a pronoun ending the question points back after words of its own");
    ok(!rewrite_points_back("is it safe for dogs to eat grapes"),
       "the empty 'it' of 'is it safe ... to' does not");
    ok(rewrite_points_back("is it required?"), "... but 'is it' with little after it does");
    ok(!rewrite_points_back("when is diwali this year"), "'this year' points to now");
    ok(rewrite_points_back("what do we actually do on those days"),
       "a demonstrative before a noun points back");
    ok(rewrite_points_back("what about this group"), "... 'this' before another noun too");
    ok(rewrite_points_back("like what"), "an ellipsis without an opening points back");
    ok(rewrite_points_back("whats the biggest mistake"),
       "... 'the biggest mistake' of the subject");
    ok(!rewrite_points_back("and what about my dentist?"),
       "... not a new subject after a follow-up's opening");
}

/* follow37: a second turn that points back by a noun phrase, not a
 * pronoun (rewrite_refers_back): "one", or a definite or possessive noun
 * phrase naming no new subject; so that its own words refusing it do not.
 * The earlier turns are written for the test from general English. */
static void test_refers_back(void)
{
    const char *q1 = "our team norms need rewriting";
    const char *a1 = "Norms are the promises a team makes. Review them twice a year.";
    const char *q2 = "we stagger WIN time by grade";
    const char *a2 = "During WIN time students move to groups by need; the groups change "
                     "every three weeks from the common assessment data.";
    const char *q3 = "how do we write learning targets for a standard";
    const char *a3 = "Unpack the standard into targets with the team's template.";

    ok(rewrite_refers_back("what makes one good vs bad", q1, a1), "'one' for the earlier norms");
    ok(rewrite_refers_back("is there a cutoff people use to flag one", q2, a2),
       "... after words of its own");
    ok(rewrite_refers_back("what makes one good vs bad", q1, NULL),
       "... without the earlier answer too");
    ok(!rewrite_refers_back("is one day enough", q1, a1), "'one day' is a numeral, not an anaphor");
    ok(!rewrite_refers_back("is no one going to help me with my taxes", q1, a1), "nor 'no one'");
    ok(!rewrite_refers_back("which one of the vaccines does my puppy need first", q1, a1),
       "nor 'one of'");
    ok(rewrite_refers_back("how often do we reshuffle the groups", q2, a2),
       "a definite noun phrase the earlier answer names");
    ok(!rewrite_refers_back("how often do we reshuffle the groups", q2, NULL),
       "... not when neither earlier turn names it");
    ok(rewrite_refers_back("theres a vocabulary column in the template, whats that for", q3, a3),
       "'the template' of the earlier answer");
    ok(rewrite_refers_back("ok and how long should our norms be", q1, a1),
       "a possessive noun phrase of the earlier question, after an opening");
    ok(!rewrite_refers_back("and what about my mortgage?", q1, a1),
       "a possessive naming a new subject does not");
    ok(!rewrite_refers_back("why does my sourdough come out dense every time", q2, a2),
       "... nor one whose first word is new, whatever follows it");
    ok(!rewrite_refers_back("what's the difference between a psychologist and a psychiatrist",
                            "whats the difference between tier 2 and tier 3", a2),
       "nor a noun phrase its own modifier defines ('the difference between')");
    ok(!rewrite_refers_back("our hiking trip and the groups, any trail tips for colorado mountains",
                            q2, a2),
       "nor a question with more than REWRITE_REFER_NEW new words of its own");
    ok(!rewrite_refers_back("", q2, a2), "nothing asked, nothing pointed at");

    /* follow38: a noun naming the previous answer's form, and contractions
     * written without their apostrophe. */
    ok(rewrite_refers_back("can you shorten the list", q3, a3),
       "'the list': the earlier answer's form, though neither turn says 'list'");
    ok(rewrite_refers_back("so what do we call our whole setup", q2, a2),
       "'our whole setup': the earlier subject's form");
    ok(!rewrite_refers_back("ok is there a shorter version", q1, a1),
       "an indefinite 'a shorter version' is no definite phrase");
    ok(!rewrite_refers_back("and what about my grocery list", q1, a1),
       "a form word after a new word names a new subject ('grocery list')");
    ok(!rewrite_refers_back("who sang the original version of hallelujah", q1, a1),
       "nor one its own modifier defines ('the original version of ...')");
    ok(!rewrite_refers_back("what about the plan for my retirement savings", q1, a1),
       "nor 'the plan for ...'");
    ok(rewrite_refers_back("theres a vocabulary column and a glossary in the template", q3, a3),
       "'theres' is no new word: three new words ('vocabulary', 'column', 'glossary')");
    ok(!rewrite_refers_back("there is a vocabulary column and a glossary box in the template", q3,
                            a3),
       "... four are too many");

    /* unify38: the contractions of words_is_bare_contraction() (coach/words.h)
     * and "id" (I'd) are no new words either. */
    ok(rewrite_refers_back("shouldnt the template have a vocabulary column and a glossary", q3, a3),
       "'shouldnt' is no new word: three new words");
    ok(rewrite_refers_back("id like a vocabulary column and a glossary in the template", q3, a3),
       "nor 'id' (I'd) in a follow-up");
    ok(!rewrite_refers_back("should the template have a vocabulary column, a glossary and a key",
                            q3, a3),
       "... four new words are too many");
}

/* A pointing word that stands for an acronym the question names itself
 * (the newcomer trial's "write one" after "cfas"; follow31). */
static void test_own_subject(void)
{
    const char *cfas = "my team wants to start doing cfas but we have no idea how to write one";
    char *s, *f;

    ok(rewrite_names_own_subject(cfas), "one after cfas: the question names its own subject");
    ok(!rewrite_takes_subject(false, cfas), "... so it takes no conversation's subject");
    ok(rewrite_names_own_subject("what is PBIS and who is it for"), "it after PBIS (singular)");
    ok(rewrite_names_own_subject("our CFAs are too long, how do we shorten them"),
       "them after CFAs (plural)");
    ok(!rewrite_names_own_subject("what is a CFA and who writes them"),
       "them does not agree with a singular acronym");
    ok(!rewrite_names_own_subject("we have no idea how to write one"), "one with no acronym");
    ok(!rewrite_names_own_subject("how would that work for RTI"),
       "an acronym after the pointing word is not what it stands for");
    ok(!rewrite_is_followup("what is PBIS and who is it for"),
       "a question whose pronoun stands for its own acronym is not a follow-up");
    s = rewrite_rules("how should we group kids during WIN time?", "what is PBIS and who is it for",
                      &f);
    is_string("what is PBIS and who is it for", s, "... and the rules leave it as asked");
    ok(f == NULL, "... with no focus");
    free(s);
    ok(rewrite_is_followup("how do we write one?"),
       "one with nothing of its own to stand for still points back");
}

/* A question whose own best passages lie in other chapters than the
 * conversation's cited passages asks something new (follow31). */
static void test_other_chapter(void)
{
    struct search_hit conv[2], own[3];

    conv[0] = hit("c1", "b1", "ch2", 10, 0);
    conv[1] = hit("c2", "b1", "ch2", 11, 0);
    own[0] = hit("o1", "b2", "ch5", 30, 0.02);
    own[1] = hit("o2", "b1", "ch2", 12, 0.01);
    own[2] = hit("o3", "b1", "ch3", 40, 0.01);
    ok(rewrite_other_chapter(own, 3, conv, 2, 1), "top 1 in another book: another chapter");
    ok(!rewrite_other_chapter(own, 3, conv, 2, 2), "top 2 reaches the conversation's chapter");
    own[0] = hit("o1", "b1", "ch3", 12, 0.02);
    ok(!rewrite_other_chapter(own, 3, conv, 2, 1),
       "the next page, in the next chapter, is near the conversation's passages");
    own[0] = hit("o1", "b1", "ch3", 13, 0.02);
    ok(rewrite_other_chapter(own, 3, conv, 2, 1), "two pages on, another chapter: another");
    ok(!rewrite_other_chapter(own, 0, conv, 2, 1), "no passage of its own: not another chapter");
    ok(!rewrite_other_chapter(own, 3, conv, 0, 1), "nothing cited: not another chapter");
}

/* A question that announces a new subject is taken as asked unless its
 * words after the marker point back (announce34). */
static void test_announces_new(void)
{
    const char *norms = "ok different question. how do we set up team norms?";
    const char *prev = "how should we score CFAs as a team?";
    char *s, *f;

    ok(rewrite_announces_new(norms), "'ok different question.' announces a new subject");
    ok(!rewrite_is_followup(norms), "... so it is not a follow-up, though 'ok' opens it");
    s = rewrite_rules(prev, norms, &f);
    is_string(norms, s, "... the rules leave it as asked");
    ok(f == NULL, "... with no focus");
    free(s);
    ok(!rewrite_takes_subject(false, norms), "... and it takes no conversation's subject");
    ok(rewrite_announces_new("New topic: what goes in a team charter?"), "'New topic:'");
    ok(rewrite_announces_new("also, unrelated, but who sets the agenda for data meetings?"),
       "fillers before the marker");
    ok(rewrite_announces_new("I have another question about exit tickets for math"),
       "'I have another question'");
    ok(rewrite_announces_new("quick question about something else: what is a SMART goal"),
       "'quick question about something else'");
    ok(rewrite_announces_new("switching gears, what is a guiding coalition?"), "'switching gears'");
    ok(rewrite_announces_new("different question. what is RTI"),
       "a short question after the marker is not read as an ellipsis");
    ok(!rewrite_announces_new("ok different question, how do we grade it?"),
       "a pronoun after the marker points back");
    ok(rewrite_is_followup("ok different question, how do we grade it?"),
       "... so it is still a follow-up");
    ok(!rewrite_announces_new("one more thing: how long should the second one take?"),
       "an ordinal after the marker points back");
    ok(!rewrite_announces_new("one more thing, what about those students?"),
       "a determiner after the marker points back");
    ok(!rewrite_announces_new("also what about tier 3?"), "'also' alone announces nothing");
    ok(!rewrite_announces_new("what about a different question stem for the exit ticket?"),
       "a marker's words after other words are not a marker");
    ok(!rewrite_announces_new("different question"),
       "a marker alone asks nothing: no announcement");
    ok(rewrite_takes_subject(false, "ok so who runs the meeting?"),
       "'ok' without a marker still takes the subject");
}

int main(void)
{
    char *s, *f;

    plan(179);
    ok(rewrite_is_followup("what about Tier 3?"), "what about ...");
    ok(rewrite_is_followup("  And for middle school?"), "and ...");
    ok(rewrite_is_followup("how often should we do that?"), "a short question pointing back");
    ok(rewrite_is_followup("Why?") == false || true, "(why alone is not special)");
    ok(!rewrite_is_followup("How should our team write common formative assessments?"),
       "a standalone question");
    ok(!rewrite_is_followup("What is the difference between formative and summative assessment "
                            "and how does that change what our team does every week?"),
       "a long question with 'that' and its own subject is standalone");
    ok(rewrite_is_followup("so how do we fit those into our weekly meeting time every week?"),
       "a long question pointing back with little of its own is a follow-up");

    s = rewrite_rules("How do we write team norms?",
                      "kids who finish their work super fast, what should they be doing", NULL);
    is_string("kids who finish their work super fast, what should they be doing", s,
              "a pronoun after three distinctive words of its own stands for one of them");
    free(s);
    ok(!rewrite_is_followup("how do we even figure out what interventions our school has and "
                            "whether they work"),
       "... also in a longer question");
    ok(!rewrite_is_followup("so many data routines out there, which one fits which job?"),
       "so many ... is not a follow-up's opening");
    ok(rewrite_is_followup("so who runs it?"), "so ... is");
    s = rewrite_rules("How do we write team norms?",
                      "how can our instructional coach help teams without doing the work for them?",
                      NULL);
    is_string("how can our instructional coach help teams without doing the work for them?", s,
              "a pronoun with its antecedent in the question is not replaced");
    free(s);
    s = rewrite_rules("How do the tiers of RTI work?", "what about Tier 3?", &f);
    is_string("what about Tier 3? (about: tiers RTI)", s,
              "rules: the follow-up, then the earlier question's distinctive words");
    is_string("what about Tier 3?", f, "its focus: the follow-up's own words");
    free(s);
    free(f);
    s = rewrite_rules("How do we write team norms?", "what about when someone breaks them?", &f);
    is_string("what about when someone breaks team norms? (about: write)", s,
              "them: the earlier subject (after its verb), with the generic word before it");
    is_string("what about when someone breaks team norms?", f, "... also in the focus");
    free(s);
    free(f);
    s = rewrite_rules("what do we do with the results of a common formative assessment?",
                      "what if most of the class failed it?", NULL);
    is_string("what if most of the class failed common formative assessment? (about: results)", s,
              "it: the earlier noun phrase that agrees in number (not 'results')");
    free(s);
    test_agreement();
    s = rewrite_rules("what should be on our team meeting agenda?",
                      "how do we make that fit in a 45 minute meeting?", NULL);
    ok(strstr(s, "make team meeting agenda fit in a 45 minute meeting?")
           == s + strlen("how do we "),
       "that before a verb is a pronoun (%s)", s);
    free(s);
    s = rewrite_rules("How do we pick essential standards?",
                      "how do we know that students learned it?", NULL);
    ok(strstr(s, "know that students learned essential standards?") != NULL,
       "that before a noun is not; it is (%s)", s);
    free(s);
    s = rewrite_rules("How do we write team norms?",
                      "How should our team choose essential standards for math?", &f);
    is_string("How should our team choose essential standards for math?", s,
              "a standalone follow-up is left alone");
    ok(f == NULL, "... and has no focus of its own");
    free(s);
    s = rewrite_rules("how many buffer days go in the pacing guide",
                      "what do we actually do on those days", &f);
    is_string("what do we actually do on those days (about: buffer pacing)", s,
              "those + a noun points back: the earlier words are carried");
    free(s);
    free(f);
    s = rewrite_rules("How do we write team norms?",
                      "how do we know that students learned the standard?", NULL);
    is_string("how do we know that students learned the standard?", s,
              "that + a noun is a conjunction: left alone");
    free(s);
    s = rewrite_rules("How do we write norms?", "and how often should we review them?", NULL);
    ok(strstr(s, "and how often should we review norms?") == s, "and ...: them resolved (%s)", s);
    free(s);
    s = rewrite_rules("what about Tier 3? (about: tiers RTI)", "and who teaches it?", NULL);
    ok(strstr(s, "who teaches Tier 3?") != NULL && strstr(s, "RTI") != NULL,
       "a chain of follow-ups keeps the earlier words (%s)", s);
    free(s);
    ok(rewrite_is_followup("who takes the notes?"), "an ellipsis: short, little of its own");
    ok(!rewrite_is_followup("how do we write norms for virtual meetings?"),
       "a short question with a subject of its own is not one");
    s = rewrite_rules("what should be on our team meeting agenda?", "who takes the notes?", &f);
    is_string("who takes the notes? (about: meeting agenda)", s,
              "an ellipsis carries the earlier words");
    ok(f != NULL && strcmp(f, "who takes the notes?") == 0, "... and is its own focus");
    free(s);
    free(f);
    ok(rewrite_own_distinctive("how often should they meet") <= REWRITE_PRIOR_MAX_OWN,
       "a follow-up with little of its own takes the prior");
    ok(rewrite_own_distinctive("and what about Tier 3 intervention?") > REWRITE_PRIOR_MAX_OWN,
       "one that names a subject of its own does not (the opening is not counted)");
    s = rewrite_query("what about Tier 3? (about: tiers RTI)", "what about Tier 3?", NULL);
    is_string("what about Tier 3? (about: tiers RTI) what about Tier 3?", s,
              "the query: the follow-up's own words twice, the carried ones once");
    free(s);
    s = rewrite_query("and the second one? (about: norms)", "and the second one?",
                      "\"Start and end on time.\" [1]");
    is_string(
        "and the second one? (about: norms) and the second one? \"Start and end on time.\" [1] "
        "\"Start and end on time.\" [1]",
        s, "... and the previous answer's point it names, twice (as much as its own words)");
    free(s);
    is_int(2, rewrite_ordinal("can you say more about the second one?"),
           "an ordinal before 'one' names a point of the previous answer");
    is_int(3, rewrite_ordinal("how long does the third step take"), "... or before 'step'");
    is_int(4, rewrite_ordinal("what does step 4 look like"), "step N");
    is_int(REWRITE_LAST, rewrite_ordinal("and the last one?"), "the last one");
    is_int(0, rewrite_ordinal("how do we run the first meeting of the year"),
           "an ordinal before another noun names no point");
    is_int(0, rewrite_ordinal("how many steps are in 2 weeks"), "a number not after an item noun");
    is_int(0, rewrite_ordinal("what about it?"), "no ordinal");
    ok(rewrite_is_followup("how long does the last one take?"), "'one' points back");
    s = rewrite_rules("How do we write team norms?", "how long does the last one take?", &f);
    ok(strstr(s, "norms)") != NULL && f != NULL,
       "a follow-up naming a point by its place is not left alone as standalone (%s)", s);
    free(s);
    free(f);
    test_prior();
    test_prior_keeps_own();
    test_parse();
    test_subject();
    test_points_back();
    test_refers_back();
    test_own_subject();
    test_other_chapter();
    test_announces_new();
    s = rewrite_rules("previous", "what about ", NULL);
    ok(strstr(s, "what about") == s, "nothing after the opening: the follow-up whole");
    free(s);

    {
        struct config cfg;
        char err[256];
        unsetenv("PLCCOACH_LLM_BASE_URL");
        ok(config_load(&cfg, err, sizeof(err)), "configuration without a model");
        bool follows = true;
        ok(rewrite_model(&cfg, "How do the tiers of RTI work?", "what about Tier 3?", &follows)
               == NULL,
           "no model configured: no model rewrite");
        config_free(&cfg);
    }
    return 0;
}
