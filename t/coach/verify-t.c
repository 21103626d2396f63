/* Tests for coach/verify: markers naming no source are removed, invented
 * quotations take their sentence with them, normalisation lets curly
 * quotes, dashes, case and white space differ, and the citations left
 * carry the right quote. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coach/verify.h"
#include "tap/basic.h"
#include "util/buf.h"

static const char *const sources[] = {
    ("Tier 2 provides targeted, short-term help for students who have not yet mastered specific "
     "essential standards. It is usually planned and delivered by the collaborative team.\n\n"
     "Tier 3 serves students who lack foundational skills\xe2\x80\x94reading, writing, number "
     "sense\xe2\x80\x94"
     "far below grade level."),
    ("Team norms are the agreements that guide how a team works together. A team that writes its "
     "norms in its first meeting\nand reviews them every quarter keeps them alive."),
};

static void check(const char *answer, struct verify_result *r)
{
    verify_answer(answer, sources, 2, r);
}

int main(void)
{
    struct verify_result r;
    struct buf b = BUF_INIT;
    bool empty;

    plan(45);

    /* Normalisation. */
    verify_normalise(&b, "  \xe2\x80\x9cHello\xe2\x80\x9d \xe2\x80\x94 **World**\xe2\x80\xa6\n ",
                     30);
    is_string("\"hello\" - world...", buf_str(&b),
              "normalise: quotes, dash, emphasis, case, space");
    buf_free(&b);
    {
        struct buf src = BUF_INIT;
        verify_normalise(&src, sources[0], strlen(sources[0]));
        ok(verify_quote_in("tier 2 provides targeted, short-term help.", 42, buf_str(&src), &empty),
           "quote: case and the trailing period do not matter");
        ok(verify_quote_in("Tier 2 provides ... essential standards", 39, buf_str(&src), &empty),
           "quote: an ellipsis joins parts found in order");
        ok(!verify_quote_in("essential standards ... Tier 2 provides", 39, buf_str(&src), &empty),
           "quote: parts out of order fail");
        ok(!verify_quote_in("...", 3, buf_str(&src), &empty) && empty, "quote: nothing to check");
        buf_free(&src);
    }

    /* A faithful answer is left alone. */
    check("Teams plan the help: \"It is usually planned and delivered by the collaborative "
          "team.\" [1] Norms matter too [2].",
          &r);
    is_string("Teams plan the help: \"It is usually planned and delivered by the collaborative "
              "team.\" [1] Norms matter too [2].",
              r.text, "faithful answer unchanged");
    is_int(2, (long long)r.ncites, "two citations");
    ok(r.cites[0].n == 1 && r.cites[0].quoted
           && strcmp(r.cites[0].quote,
                     "It is usually planned and delivered by the collaborative team.")
                  == 0,
       "citation 1 carries the verified quotation");
    ok(r.cites[1].n == 2 && !r.cites[1].quoted && strstr(r.cites[1].quote, "Team norms") != NULL,
       "citation 2 without a quotation gets the source's best sentence");
    ok(verify_all_ok(&r), "all verified");
    verify_result_free(&r);

    /* [9] of 2 sources. */
    check("Tier 2 is short-term help [9]. Norms guide teams [2, 9].", &r);
    is_string("Tier 2 is short-term help. Norms guide teams [2].", r.text,
              "[9] removed, [2, 9] -> [2]");
    is_int(2, (long long)r.markers_removed, "two numbers removed");
    is_int(1, (long long)r.ncites, "one citation left");
    ok(r.ncites == 1 && r.cites[0].n == 2, "it is source 2");
    ok(!verify_all_ok(&r), "not all verified");
    verify_result_free(&r);

    /* An invented quotation drops its sentence. */
    check("Norms help. \"Teams should vote on every decision by secret ballot.\" [2] Tier 3 is "
          "intensive [1].",
          &r);
    is_string("Norms help. Tier 3 is intensive [1].", r.text, "the invented sentence is gone");
    ok(strstr(r.text, "secret ballot") == NULL, "no trace of the invented words");
    is_int(1, (long long)r.quotes_failed, "one failed quotation");
    is_int(1, (long long)r.sentences_dropped, "one dropped sentence");
    verify_result_free(&r);

    /* A real quotation attributed to the wrong source fails too. */
    check("\"Team norms are the agreements that guide how a team works together.\" [1]", &r);
    is_string("", r.text, "wrong source: dropped");
    is_int(0, (long long)r.ncites, "nothing cited");
    verify_result_free(&r);

    /* Curly quotes, other dashes, white space across a line break. */
    check("\xe2\x80\x9cTier 3 serves students who lack foundational skills\xe2\x80\x93reading, "
          "writing, number sense\xe2\x80\x93"
          "far below grade level\xe2\x80\x9d [1]. And "
          "\"writes its norms in its first meeting and reviews them\" [2].",
          &r);
    is_int(2, (long long)r.quotes_verified, "curly quotes, en dash for em dash, a line break");
    is_int(0, (long long)r.quotes_failed, "nothing failed");
    ok(strstr(r.text, "Tier 3 serves") != NULL, "kept");
    verify_result_free(&r);

    /* A quotation inside quotation marks of the other kind. */
    check("\xe2\x80\x9cIt is usually planned and delivered by the \"collaborative\" "
          "team.\xe2\x80\x9d "
          "[1]",
          &r);
    ok(r.quotes_verified == 0 && r.quotes_failed == 1,
       "a curly quotation holding straight quotes is one quotation (and not the source's words)");
    verify_result_free(&r);

    /* Uncited quotations: a term stays, a long invented claim goes. */
    check("Some call it \"flex time\" at school. The book says \"every team must meet daily "
          "before school\" and so on.",
          &r);
    is_string("Some call it \"flex time\" at school.", r.text,
              "short term kept, uncited claim dropped");
    verify_result_free(&r);
    check("The authors write \"Tier 2 provides targeted, short-term help\" for students.", &r);
    ok(strstr(r.text, "Tier 2 provides") != NULL, "an uncited real quotation stays");
    is_int(0, (long long)r.ncites, "but it is no citation");
    ok(!verify_all_ok(&r), "so the answer is not grounded");
    verify_result_free(&r);

    /* Markdown structure: list items, headings, links, blank lines. */
    check("## Answer\n\n- \"Made up words that no source has.\" [1]\n- Norms guide teams [2].\n\n"
          "See [1](http://example.org).\n\n\n**Key takeaways**",
          &r);
    is_string("## Answer\n\n- Norms guide teams [2].\n\nSee [1](http://example.org).\n\n"
              "**Key takeaways**",
              r.text, "an emptied list item goes; a link is no marker");
    is_int(1, (long long)r.ncites, "one citation");
    verify_result_free(&r);

    /* Sentence boundaries around quotations and markers. */
    check("He said \"Tier 2 provides targeted, short-term help.\" [1] Then \"nonsense that is not "
          "there at all\" [1]. Finally norms [2].",
          &r);
    is_string("He said \"Tier 2 provides targeted, short-term help.\" [1] Finally norms [2].",
              r.text, "the marker after a quoted sentence belongs to it");
    verify_result_free(&r);
    check("Use e.g. \"Tier 2 provides targeted\" help [1] daily.", &r);
    is_int(1, (long long)r.quotes_verified, "e.g. does not end a sentence");
    verify_result_free(&r);

    /* Ranges and odd markers. */
    check("Both say so [1-2]. Not a marker: [a] or [] or [1x].", &r);
    is_int(2, (long long)r.ncites, "[1-2] cites both");
    ok(strstr(r.text, "[a] or [] or [1x]") != NULL, "non-markers untouched");
    verify_result_free(&r);
    check("Range past the end [1-9].", &r);
    is_string("Range past the end [1, 2].", r.text, "a range is cut to the sources");
    verify_result_free(&r);

    /* No sources at all. */
    verify_answer("Anything [1] \"quoted words here now\".", NULL, 0, &r);
    is_string("", r.text, "no sources: the uncited claim goes with its sentence");
    is_int(1, (long long)r.sentences_dropped, "one sentence dropped");
    verify_result_free(&r);

    /* Empty and hostile input. */
    check("", &r);
    is_string("", r.text, "empty answer");
    ok(r.ncites == 0 && !verify_all_ok(&r), "empty: not grounded");
    verify_result_free(&r);
    check("\"unclosed quotation [1]", &r);
    ok(r.text != NULL && r.ncites == 1, "an unclosed quotation is text");
    verify_result_free(&r);
    check("bad \xff\xfe bytes [2] \"\xc3\" [1]", &r);
    ok(r.text != NULL, "invalid UTF-8 survives");
    verify_result_free(&r);
    {
        char big[5000];
        size_t i;
        for (i = 0; i + 4 < sizeof(big); i += 4)
            memcpy(big + i, "[1] ", 4);
        big[i] = '\0';
        check(big, &r);
        ok(r.text != NULL && r.ncites == 1, "hundreds of markers on one line");
        verify_result_free(&r);
        for (i = 0; i + 2 < sizeof(big); i += 2)
            memcpy(big + i, "\" ", 2);
        big[i] = '\0';
        check(big, &r);
        ok(r.text != NULL, "thousands of quotation marks");
        verify_result_free(&r);
    }
    ok(r.text == NULL && r.cites == NULL, "free clears");
    verify_result_free(&r);
    return 0;
}
