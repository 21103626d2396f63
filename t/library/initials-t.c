/* Tests for the initials matcher (src/library/initials.h): the
 * capitalised phrases a passage spells out and their initials, and the
 * question words looked up. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library/initials.h"
#include "tap/basic.h"
#include "util/alloc.h"
#include "util/buf.h"

static void keep(void *ctx, const char *initials, const char *phrase)
{
    buf_printf(ctx, "%s=%s;", initials, phrase);
}

/* Every "INITIALS=phrase;" text gives, in order; the caller frees. */
static char *mined(const char *text)
{
    struct buf b = BUF_INIT;
    char *s;

    initials_each(text, keep, &b);
    s = xstrdup(buf_str(&b));
    buf_free(&b);
    return s;
}

/* Whether text gives initials for phrase. */
static int gives(const char *text, const char *initials, const char *phrase)
{
    char *all = mined(text), want[256];
    int found;

    snprintf(want, sizeof(want), "%s=%s;", initials, phrase);
    found = strstr(all, want) != NULL && (all == strstr(all, want) || strstr(all, want)[-1] == ';');
    free(all);
    return found;
}

/* The question's words to look up, space-separated; the caller frees. */
static char *asked(const char *question)
{
    struct initials_word w[INITIALS_QUESTION_MAX];
    size_t n = initials_question(question, w, INITIALS_QUESTION_MAX), i;
    struct buf b = BUF_INIT;
    char *s;

    for (i = 0; i < n; i++)
        buf_printf(&b, "%s%s/%s", i ? " " : "", w[i].initials, w[i].lower);
    s = xstrdup(buf_str(&b));
    buf_free(&b);
    return s;
}

int main(void)
{
    char *s;

    plan(22);
    ok(gives("Students on Check-In, Check-Out meet a mentor.", "CICO", "check in check out"),
       "hyphen parts and a comma: Check-In, Check-Out is CICO");
    ok(gives("**Check-In, Check-Out** after two referrals", "CICO", "check in check out"),
       "a bold phrase");
    ok(gives("often called WIN time (What I Need), flex time", "WIN", "what i need"),
       "in brackets, with the one-letter word I: What I Need is WIN");
    ok(gives("a Guaranteed and Viable Curriculum", "GVC", "guaranteed and viable curriculum")
           && gives("a Guaranteed and Viable Curriculum", "GAVC",
                    "guaranteed and viable curriculum"),
       "a connector counted or not");
    ok(gives("Response to Intervention works", "RTI", "response to intervention"),
       "a connector's initial: Response to Intervention is RTI");
    ok(gives("the Student Support Team meets", "SST", "student support team")
           && gives("the Student Support Team meets", "ST", "support team"),
       "every run of whole words, the phrase's parts too");
    ok(!gives("Check-In, Check-Out", "IC", "in check"),
       "no phrase starts inside a hyphenated word");
    s = mined("The team met. Data Chats help");
    ok(strstr(s, "TD=") == NULL && strstr(s, "DC=data chats;") != NULL, "a full stop ends a run");
    free(s);
    s = mined("our PLC Team Leader");
    ok(strstr(s, "PTL=") == NULL && strstr(s, "TL=team leader;") != NULL,
       "a word in capitals is no capitalised word");
    free(s);
    s = mined("the and of");
    is_string("", s, "connectors alone give nothing");
    free(s);
    s = mined("Reading First");
    is_string("RF=reading first;", s, "a two-word phrase");
    free(s);
    s = mined("Reading and the of Writing");
    is_string("", s, "more than two connectors between words: no phrase");
    free(s);
    s = mined("Alpha Beta Gamma Delta Epsilon Zeta Eta");
    ok(strstr(s, "ABGDEZE") == NULL && strstr(s, "ABGDEZ=alpha beta gamma delta epsilon zeta;"),
       "at most six initials");
    free(s);
    s = mined("caf\xc3\xa9 Au Lait 3rd Grade Team");
    ok(strstr(s, "AL=au lait;") != NULL && strstr(s, "RGT") == NULL
           && strstr(s, "GT=grade team;") != NULL,
       "a word glued to a digit is in no phrase");
    free(s);
    s = mined("Preface \nEvery Child, Every Day\r\nAlpha Beta");
    is_string("EC=every child;ECE=every child every;ECED=every child every day;CE=child every;"
              "CED=child every day;ED=every day;AB=alpha beta;",
              s, "a line break ends a run");
    free(s);
    s = mined("Alpha,Beta");
    is_string("", s, "a comma without a space ends a run");
    free(s);

    s = asked("whats CICO and who qualifies");
    is_string("CICO/cico", s, "a question's capitals");
    free(s);
    s = asked("our ODRs are up, what about SST and SST?");
    is_string("ODR/odr SST/sst", s, "a plural loses its s; each word once");
    free(s);
    s = asked("is a CFA the same as an RTI check, says my AP");
    is_string("", s, "words of the acronym list and the thesaurus are not looked up");
    free(s);
    s = asked("what is a team leader NOT supposed to do, and WHY");
    is_string("", s, "stop words are not looked up");
    free(s);
    s = asked("cico Cico CICOX2 X I ABCDEFG");
    is_string("", s, "lower case, capitalised, digits, one letter and seven letters are not");
    free(s);
    s = asked("QA QB QC QD QE QF QG QH QJ QK");
    is_string("QA/qa QB/qb QC/qc QD/qd QE/qe QF/qf QG/qg QH/qh", s, "at most %d words",
              INITIALS_QUESTION_MAX);
    free(s);
    return 0;
}
