/* Tests for coach/passage: a passage read into headings, sentences and
 * list items (a PDF's bullets on lines of their own or run into a line,
 * Markdown lists), sections opened by headings (known, Markdown, a
 * chapter opener, a heading nobody named glued to its sentence), and the
 * roles of sentences (lead-in, question, dependent, narrative). */
#include "config.h"

#include <string.h>

#include "coach/passage.h"
#include "tap/basic.h"
#include "util/buf.h"

/* A page of a PDF book as the library stores it (eval/holdout's style). */
static const char playbook[] =
    "CHAPTER 2\n\n"
    "Westfield Intermediate had norms. Every team had written them during the August institute. "
    "By November, a visitor could have asked any teacher to recite them and received a shrug. "
    "They simply had no teeth: nobody checked them.\n\n"
    "Norms are the written agreements about how a team will work together. A good norm "
    "describes a behavior that a visitor could observe.\n\n"
    "Four tests of a norm with teeth\n\n"
    "We use four tests when coaching a team on its norms:\n\n"
    "\xe2\x80\xa2 Few. Four to six norms. A team with twelve norms has none.\n\n"
    "\xe2\x80\xa2 Observable. Each norm names something you could see or hear.\n\n"
    "\xe2\x80\xa2 Owned. The team wrote the norms from its own experience.\n\n"
    "\xe2\x80\xa2 Checked. The team has a routine for looking at how well it kept the norms.\n\n"
    "Why would a team skip this?\n";

/* The text of unit i. */
static int unit_is(const struct passage *p, size_t i, const char *want)
{
    return i < p->n && p->u[i].len == strlen(want)
           && strncmp(p->text + p->u[i].start, want, p->u[i].len) == 0;
}

/* The index of the unit whose text starts with prefix, or p->n. */
static size_t find(const struct passage *p, const char *prefix)
{
    size_t i;

    for (i = 0; i < p->n; i++)
        if (p->u[i].len >= strlen(prefix)
            && strncmp(p->text + p->u[i].start, prefix, strlen(prefix)) == 0)
            return i;
    return p->n;
}

int main(void)
{
    static const char *const known[] = {"Four tests of a norm with teeth",
                                        "The four critical questions"};
    struct passage_headings h = {.known = known,
                                 .nknown = 2,
                                 .section = "Four tests of a norm with teeth",
                                 .chapter = "Norms with Teeth"};
    struct passage p;
    size_t i, lead, few;

    plan(45);

    passage_parse(playbook, &h, &p);
    ok(p.n > 0 && p.u[0].kind == PASSAGE_HEADING && unit_is(&p, 0, "CHAPTER 2"),
       "a chapter opener is a heading");
    ok(p.ns >= 2 && p.s[1].heading != NULL && strcmp(p.s[1].heading, "Norms with Teeth") == 0,
       "... that opens a section named by the chapter's title");
    i = find(&p, "Four tests of a norm");
    ok(i < p.n && p.u[i].kind == PASSAGE_HEADING, "a known heading on its own line is a heading");
    ok(p.s[0].heading == NULL,
       "the passage's own section named in the text: what comes before belongs to another");
    lead = find(&p, "We use four tests");
    ok(lead < p.n && p.u[lead].kind == PASSAGE_SENTENCE && p.u[lead].lead,
       "the sentence ending in ':' before a list is its lead-in");
    few = lead + 1;
    ok(unit_is(&p, few, "Few. Four to six norms. A team with twelve norms has none."),
       "an item is whole (its sentences are not split), without its bullet");
    ok(few + 3 < p.n && p.u[few].kind == PASSAGE_ITEM && p.u[few + 1].kind == PASSAGE_ITEM
           && p.u[few + 2].kind == PASSAGE_ITEM && p.u[few + 3].kind == PASSAGE_ITEM,
       "four items");
    ok(few + 3 < p.n && p.u[few].list != 0 && p.u[few].list == p.u[few + 3].list
           && !p.u[few].numbered,
       "... of one list, not numbered");
    ok(unit_is(&p, few + 3,
               "Checked. The team has a routine for looking at how well it kept the norms."),
       "... in order, the last one last");
    ok(few + 3 < p.n && p.u[few].section == p.u[lead].section && p.s[p.u[few].section].hlen == 31
           && strncmp(p.s[p.u[few].section].heading, "Four tests of a norm with teeth", 31) == 0,
       "the lead-in and its items are in the section the heading opens");
    i = find(&p, "Why would a team");
    ok(i < p.n && p.u[i].question && p.u[i].complete, "a question is marked");
    i = find(&p, "They simply had no teeth");
    ok(i < p.n && p.u[i].dependent, "\"They ...\" depends on the sentence before");
    i = find(&p, "Westfield Intermediate had norms.");
    ok(i < p.n && p.u[i].narrative, "a story in the past tense with a name and a month: narrative");
    i = find(&p, "Norms are the written agreements");
    ok(i < p.n && !p.u[i].narrative && p.u[i].complete && !p.u[i].dependent,
       "a principle in the present tense is not");
    passage_free(&p);
    ok(p.u == NULL && p.n == 0, "passage_free clears");

    /* Bullets run into a line (a PDF line that ingestion joined). */
    {
        static const char runin[] = "Teams do three things each cycle: \xe2\x80\xa2 Plan the unit "
                                    "together. \xe2\x80\xa2 Teach it. \xe2\x80\xa2 Check what "
                                    "the students learned.";
        passage_parse(runin, NULL, &p);
        is_int(4, (long long)p.n, "a lead-in and three run-in items");
        ok(p.n == 4 && p.u[0].lead && unit_is(&p, 0, "Teams do three things each cycle:"),
           "the text before the first bullet is the lead-in");
        ok(unit_is(&p, 1, "Plan the unit together.") && unit_is(&p, 2, "Teach it.")
               && unit_is(&p, 3, "Check what the students learned."),
           "the items, in order");
        passage_free(&p);
    }

    /* Markdown: a heading line and a numbered list. */
    {
        static const char md[] = "## Writing a SMART goal\n\n"
                                 "Use these steps:\n\n"
                                 "1. Start from last year's data.\n"
                                 "2. Name the students and the standard.\n";
        passage_parse(md, NULL, &p);
        ok(p.n == 4 && p.u[0].kind == PASSAGE_HEADING && unit_is(&p, 0, "Writing a SMART goal"),
           "a Markdown heading, without its marks");
        ok(p.n == 4 && p.u[2].kind == PASSAGE_ITEM && p.u[2].numbered && p.u[3].numbered
               && unit_is(&p, 3, "Name the students and the standard."),
           "a numbered list, without its numbers");
        passage_free(&p);
    }

    /* Headings glued to their sentence (a PDF's section heading runs into
     * the first sentence of its section). */
    {
        static const char glued[] = "The four critical questions A collaborative team spends its "
                                    "time on four questions.";
        static const char unknown[] =
            "The concerns ladder We find that most resistance is a question nobody has answered.";
        passage_parse(glued, &h, &p);
        ok(p.n == 2 && p.u[0].kind == PASSAGE_HEADING
               && unit_is(&p, 0, "The four critical questions")
               && unit_is(&p, 1, "A collaborative team spends its time on four questions."),
           "a known heading glued to a sentence is a heading of its own");
        passage_free(&p);
        passage_parse(unknown, NULL, &p);
        ok(p.n == 2 && p.u[0].kind == PASSAGE_HEADING && unit_is(&p, 0, "The concerns ladder")
               && unit_is(&p, 1, "We find that most resistance is a question nobody has answered."),
           "a heading nobody named, glued to its sentence, is cut off its sentence");
        ok(p.ns == 2 && p.s[1].heading != NULL && p.s[1].hlen == strlen("The concerns ladder")
               && strncmp(p.s[1].heading, "The concerns ladder", p.s[1].hlen) == 0
               && p.u[1].section == 1,
           "... and opens the section its sentence is in, as a known heading does");
        passage_free(&p);
        passage_parse("The team met on Monday. We find it useful to plan.", NULL, &p);
        ok(p.n == 2 && unit_is(&p, 0, "The team met on Monday."),
           "a sentence with punctuation is not taken for a heading");
        passage_free(&p);
    }

    /* A title page (title, subtitle, authors) and the next page's heading
     * joined into the paragraph of the next page's first sentence. */
    {
        static const char front[] =
            "Teams That Learn Together Meetings, Norms and Protocols for Grade-Level Teams "
            "Jordan Ellis and Sam Rivera Publisher's Note This edition is a sample written for "
            "testing. It is not taken from any book.";
        static const char *const wt[] = {"Working Together"};
        const struct passage_headings hk = {.known = wt, .nknown = 1};
        passage_parse(front, NULL, &p);
        ok(p.n == 3 && p.u[0].kind == PASSAGE_FRAGMENT
               && unit_is(&p, 0,
                          "Teams That Learn Together Meetings, Norms and Protocols for Grade-Level "
                          "Teams Jordan Ellis and Sam Rivera Publisher's Note")
               && p.u[1].kind == PASSAGE_SENTENCE
               && unit_is(&p, 1, "This edition is a sample written for testing."),
           "a title block run into a sentence is a fragment, cut off the sentence");
        ok(p.ns == 2 && p.s[1].heading == NULL && p.u[1].section == 1 && p.u[1].complete,
           "... never a heading: the sentence is in an unnamed section");
        passage_free(&p);
        passage_parse("Working Together Jordan Ellis and Sam Rivera Note This book is for team "
                      "leaders.",
                      &hk, &p);
        ok(p.n == 3 && p.u[0].kind == PASSAGE_HEADING && p.u[1].kind == PASSAGE_FRAGMENT
               && unit_is(&p, 1, "Jordan Ellis and Sam Rivera Note")
               && unit_is(&p, 2, "This book is for team leaders."),
           "a short title block right after a known heading is cut off too");
        passage_free(&p);
        passage_parse("At Cedar Hollow, Grade Four Teams meet every Tuesday.", NULL, &p);
        ok(p.n == 1 && p.u[0].kind == PASSAGE_SENTENCE && p.u[0].start == 0,
           "capitalised names before a plural noun are not a title block");
        passage_free(&p);
    }

    /* A sentence-case heading (a PDF heading line not in the outline) run
     * into the first sentence of its paragraph, with no opener after it. */
    {
        static const char named[] = "Keep the plan current Maria and her team rewrite one page "
                                    "every June.\n\nNot only reading Tier 3 covers behavior too.";
        passage_parse(named, NULL, &p);
        ok(p.n == 4 && p.u[0].kind == PASSAGE_HEADING && unit_is(&p, 0, "Keep the plan current")
               && p.u[1].kind == PASSAGE_SENTENCE
               && unit_is(&p, 1, "Maria and her team rewrite one page every June.")
               && p.u[2].kind == PASSAGE_HEADING && unit_is(&p, 2, "Not only reading")
               && unit_is(&p, 3, "Tier 3 covers behavior too."),
           "a sentence-case heading before a name or a numbered name is cut off its sentence");
        ok(p.ns == 3 && p.u[1].section == 1 && p.u[3].section == 2 && p.s[2].heading != NULL
               && strncmp(p.s[2].heading, "Not only reading", p.s[2].hlen) == 0,
           "... and each opens its section");
        passage_free(&p);
        passage_parse("Narrow, not broad A small group works on one skill at a time.", NULL, &p);
        ok(p.n == 2 && p.u[0].kind == PASSAGE_HEADING && unit_is(&p, 0, "Narrow, not broad")
               && unit_is(&p, 1, "A small group works on one skill at a time."),
           "a heading with one comma, before an opener, is cut off its sentence");
        passage_free(&p);
        passage_parse("The ninth grade English teachers met. The fifth grade team at Lakeside "
                      "gave a test.\n\nEach team writes its own SMART goal.\n\nStudents leaving "
                      "Tier 3 step down to Tier 2.\n\nThe first team visited Pine Street School.",
                      NULL, &p);
        ok(p.n == 5 && p.u[0].kind == PASSAGE_SENTENCE && p.u[1].kind == PASSAGE_SENTENCE
               && p.u[2].kind == PASSAGE_SENTENCE && p.u[3].kind == PASSAGE_SENTENCE
               && p.u[4].kind == PASSAGE_SENTENCE && p.ns == 1,
           "a school subject, a name inside a sentence, an acronym, a two-word run and a "
           "two-word name are not headings");
        passage_free(&p);
        passage_parse("Teams meet weekly. Keep the plan current Maria and her team rewrite it.",
                      NULL, &p);
        ok(p.n == 2 && p.u[1].kind == PASSAGE_SENTENCE
               && unit_is(&p, 1, "Keep the plan current Maria and her team rewrite it."),
           "only a paragraph's first sentence is read for a sentence-case heading");
        passage_free(&p);
    }

    passage_parse("", NULL, &p);
    ok(p.n == 0, "empty text: no units");
    passage_free(&p);
    passage_parse("| Vague norm | Observable rewrite |\n| Be on time | We start at 8:05 |", NULL,
                  &p);
    ok(p.n == 2 && p.u[0].kind == PASSAGE_FRAGMENT, "table rows are fragments");
    passage_free(&p);
    {
        char big[8192];
        size_t n = 0;
        while (n + 40 < sizeof(big)) {
            memcpy(big + n, "- An item of a very long list here.\n", 36);
            n += 36;
        }
        big[n] = '\0';
        passage_parse(big, NULL, &p);
        is_int(PASSAGE_MAX_UNITS, (long long)p.n, "at most PASSAGE_MAX_UNITS units are kept");
        passage_free(&p);
    }

    ok(passage_opens_dependent("However, teams differ.", 22)
           && passage_opens_dependent("For example, a team", 19)
           && !passage_opens_dependent("Thiskind of word", 16)
           && !passage_opens_dependent("Teams differ.", 13),
       "dependent openings: whole words and phrases only");
    ok(passage_opens_dependent("Writing it first forces clarity.", 32)
           && passage_opens_dependent("Teams often skip this one and regret it.", 40)
           && !passage_opens_dependent("Teams write items to measure it well.", 37)
           && !passage_opens_dependent("Teams itemise the targets.", 26),
       "a pronoun as the second or third word points back; later, or inside a word, not");
    ok(passage_past_tense("She asked the team to wait.", 27)
           && passage_past_tense("The team wrote its norms.", 25),
       "the past tense: a subject and -ed, an irregular form");
    ok(!passage_past_tense("The team has had trouble.", 25)
           && !passage_past_tense("Teams need shared norms.", 24),
       "not after an auxiliary, not the present");

    {
        /* Passages of one page joined (passage.h, passage_join): the
         * chunker's repeat of the last sentence is dropped, the passage
         * asked for is whole at its bytes. */
        static const char *const chunks[] = {
            "Norms are agreements. A good norm is observable.",
            "A good norm is observable. Teams check their norms each quarter.",
            "Teams check their norms each quarter.\n\nWhy norms fail\n\nNobody checks them."};
        struct buf b = BUF_INIT;
        size_t from, to;

        buf_puts(&b, "x");
        passage_join(&b, chunks, 3, 1, &from, &to);
        is_string("xNorms are agreements. A good norm is observable. Teams check their norms each "
                  "quarter.\n\nWhy norms fail\n\nNobody checks them.",
                  buf_str(&b), "the overlaps are dropped (appended after what out held)");
        ok(to - from == strlen(chunks[1]) && strncmp(b.data + from, chunks[1], to - from) == 0,
           "the passage asked for is whole at its bytes");
        buf_free(&b);
        {
            static const char *const apart[] = {"Norms are agreements.", "Teams check norms."};
            passage_join(&b, apart, 2, 0, &from, &to);
            is_string("Norms are agreements.\nTeams check norms.", buf_str(&b),
                      "passages that do not overlap are joined by a line break");
            ok(from == 0 && to == strlen(apart[0]), "... the first one at its place");
            buf_free(&b);
        }
        {
            /* "the norms." (10 bytes) ends one and opens the other: shorter
             * than PASSAGE_JOIN_MIN_OVERLAP, so a coincidence. */
            static const char *const near[] = {"Teams keep the norms.", "the norms. Others too."};
            passage_join(&b, near, 2, 1, &from, &to);
            is_string("Teams keep the norms.\nthe norms. Others too.", buf_str(&b),
                      "a short coincidence is not an overlap");
            buf_free(&b);
        }
    }
    return 0;
}
