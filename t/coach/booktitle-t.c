/* Tests for coach/booktitle: whether a question names a book, whether the
 * library holds it, and the refusal that names the library's closest
 * books (absent35; the rule: booktitle.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach/booktitle.h"
#include "tap/basic.h"

static const char *const a1[] = {"Jordan Ellis", "Sam Rivera"};
static const char *const a2[] = {"Taylor Brennan", "Avery Quinlan"};
static const char *const a3[] = {"Casey Morrow", "Riley Santos"};
static const char *const a4[] = {"Tomas Lindqvist", "Ayesha Rahman"};
static const char *const a5[] = {"Dana Whitcomb", "Luis Ortega", "Hannah Cho"};
static const char *const a6[] = {"Celeste Marchand"};
static const char *const a7[] = {"Priya Natarajan", "Owen Fletcher"};
static const char *const a8[] = {"Renata Alvarez", "Marcus Webb"};

/* The starter library (the first three, by title as books_titles lists
 * them) and, all eight, the starter and evaluation libraries. */
static const struct booktitle_book starter[] = {
    {"Assessment That Drives Learning", a2, 2},
    {"Curriculum, Intervention and Extension", a3, 2},
    {"Getting Started with Collaborative Teams", a1, 2},
};
static const struct booktitle_book both[] = {
    {"Assessment That Drives Learning", a2, 2},
    {"Curriculum, Intervention and Extension", a3, 2},
    {"Essential Standards in Practice", a4, 2},
    {"Every Child, Every Day", a5, 3},
    {"Getting Started with Collaborative Teams", a1, 2},
    {"Leading the Learning", a6, 1},
    {"Reading the Evidence", a7, 2},
    {"The Team Meeting Playbook", a8, 2},
};
#define NSTARTER (sizeof(starter) / sizeof(starter[0]))
#define NBOTH (sizeof(both) / sizeof(both[0]))

/* question names a book neither library holds. */
static void absent(const char *question, const char *name)
{
    struct book_named b;
    bool named = booktitle_named(question, &b);

    ok(named && strcmp(b.name, name) == 0 && !booktitle_held(&b, both, NBOTH),
       "absent: %s -> \"%s\" (got %s\"%s\")", question, name, named ? "" : "none, ", b.name);
}

/* question names a book only the evaluation library holds. */
static void absent_from_starter(const char *question)
{
    struct book_named b;
    bool named = booktitle_named(question, &b);

    ok(named && !booktitle_held(&b, starter, NSTARTER) && booktitle_held(&b, both, NBOTH),
       "absent from the starter library, held by both: %s (\"%s\")", question, b.name);
}

/* question names no book, or one the library (both) holds. */
static void kept(const char *question, const char *why)
{
    struct book_named b;
    bool named = booktitle_named(question, &b);

    ok(!named || booktitle_held(&b, both, NBOTH), "kept (%s): %s%s%s", why, question,
       named ? " -> held " : "", named ? b.name : "");
}

/* question names no book at all. */
static void none(const char *question, const char *why)
{
    struct book_named b;
    bool named = booktitle_named(question, &b);

    ok(!named && b.name[0] == '\0', "names no book (%s): %s%s%s", why, question,
       named ? " -> " : "", named ? b.name : "");
}

/* Every title of the two libraries, asked of the library holding both:
 * with and without "the", in lower case, and with one typo. */
static void held_titles(void)
{
    static const char *const forms[] = {
        /* title case, with "the" and a book noun */
        "what does the Assessment That Drives Learning book say about feedback?",
        "in the Curriculum, Intervention and Extension book, what is a guaranteed curriculum?",
        "what does the Essential Standards in Practice book say about unpacking?",
        "is there a chapter in the Every Child, Every Day book on tier 2?",
        "what does the Getting Started with Collaborative Teams book say about norms?",
        "who is the Leading the Learning book written for?",
        "what does the Reading the Evidence book say about data protocols?",
        "who is The Team Meeting Playbook written for?",
        /* without "the": a title-cased run and a book noun or a question about a book */
        "who wrote Assessment That Drives Learning?",
        "what is Curriculum, Intervention and Extension about?",
        "who wrote Essential Standards in Practice?",
        "who is Every Child, Every Day written for?",
        "is Getting Started with Collaborative Teams a good book for new teams?",
        "what is Leading the Learning about?",
        "who wrote Reading the Evidence?",
        "who is Team Meeting Playbook written for?",
        /* lower case */
        "what does the assessment that drives learning book say about grading?",
        "what does the curriculum intervention and extension book say about extension?",
        "what does the essential standards in practice book say?",
        "does the every child every day book cover win time?",
        "what does the getting started with collaborative teams book say about roles?",
        "what does the leading the learning book say about principals?",
        "what does the reading the evidence book say about item analysis?",
        "who is the team meeting playbook written for?",
        /* one typo each */
        "what does the Assesment That Drives Learning book say?",
        "what does the Curriculum, Interventon and Extension book say?",
        "what does the Esential Standards in Practice book say?",
        "what does the every chlid every day book say?",
        "what does the getting started with colaborative teams book say?",
        "what does the Leading the Laerning book say?",
        "what does the reading the evidense book say?",
        "who is the team meting playbook written for?",
        /* a short name and an author */
        "what does the assessment book say about exit tickets?",
        "what does the meetings playbook say about agendas?",
        "what does the Alvarez book say about norms?",
        "have you got Leading the Learning by Marchand?",
    };
    size_t i;

    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
        kept(forms[i], "a held title");
    absent("what does the every child every dya book say?", "every child every dya book");
    diag("... a word of 3 letters takes no typo: \"dya\" is not \"day\"");
}

/* Questions that mention a playbook, guide or book study without naming
 * a book. */
static void generic(void)
{
    none("how do we build a playbook for our meetings?", "an indefinite article");
    none("what should go in our team playbook?", "a possessive: the team's own");
    none("any tips for running a book study with our team?", "book as a modifier");
    none("we're starting a book study on PLCs, where do we begin", "book as a modifier");
    none("what's a good guide for writing norms?", "an indefinite article");
    none("how do we use the pacing guide with our common assessments?", "a school's guide");
    none("can we build a scoring guide for the CFA?", "an indefinite article");
    none("what does the book say about norms?", "the book: points back, names none");
    none("what book should our new team read?", "no name");
    none("should the staff handbook include our norms?", "a school's own document");
    none("where do we record it in the grade book?", "a record, not a book");
    none("how do we write SMART Goals for Tier 2?", "a capitalised run, no book asked about");
    none("What is the RTI Model in our district?", "capitalised words, no book, no 'about'");
    none("what does the end of a book tell us about the author?", "an article inside: no name");
    none("should my struggling team read the whole book", "which part of a book: no name");
    none("do we start with the next book or the same book?", "which copy: no name");
    kept("should our team read the whole meeting handbook first?", "which part, then a held name");
    none("", "empty");
    none("The", "one word");
}

static void refusal(void)
{
    struct book_named b;
    char *text;

    ok(booktitle_named("who is the team meeting playbook written for?", &b)
           && strcmp(b.name, "team meeting playbook") == 0 && b.nwords == 2
           && !booktitle_held(&b, starter, NSTARTER),
       "the newcomer trial's question: the team meeting playbook is absent from the starter");
    text = booktitle_refusal(&b, starter, NSTARTER, false);
    ok(strstr(text, "doesn't hold a book called \"team meeting playbook\"") != NULL
           && strstr(text, "are: \"Assessment That Drives Learning\" (Taylor Brennan and Avery "
                           "Quinlan); ")
           && strstr(text, "\"Curriculum, Intervention and Extension\"")
           && strstr(text, "; \"Getting Started with Collaborative Teams\" (Jordan Ellis and Sam "
                           "Rivera). Ask about"),
       "the refusal says so and names all three of a small library's books: %s", text);
    free(text);
    ok(booktitle_named("what does the Data Team Meetings Handbook say about agendas?", &b)
           && !booktitle_held(&b, both, NBOTH),
       "an invented handbook is absent from both libraries");
    text = booktitle_refusal(&b, both, NBOTH, false);
    ok(strstr(text, "come closest are: \"The Team Meeting Playbook\"") != NULL
           && strstr(text, "Leading the Learning") == NULL,
       "of eight books, the closest three, the one sharing most words first: %s", text);
    free(text);
    ok(booktitle_named("who wrote \"Learning by Doing\"?", &b), "a quoted name");
    text = booktitle_refusal(&b, NULL, 0, false);
    ok(strstr(text, "holds no books yet") != NULL, "an empty library: %s", text);
    free(text);
}

/* (d), absent36: a name asked about as the speaker of a text, with no
 * book noun. */
static void spoken(void)
{
    static const char *const authors[] = {"Richard DuFour", "Rebecca DuFour", "Robert Eaker"};
    static const struct booktitle_book dufour[] = {{"Learning by Doing", authors, 3}};
    struct book_named b;
    char *text;

    absent("what does Learning by Doing say about SMART goals?", "Learning by Doing");
    absent("What does Learning by Doing recommend for tier 2?", "Learning by Doing");
    absent("according to Learning by Doing, how should we write SMART goals?", "Learning by Doing");
    absent("According to Taking Action what comes first?", "Taking Action");
    absent("In Learning by Doing, what do they say about norms?", "Learning by Doing");
    absent("what do they suggest in Taking Action for new teams?", "Taking Action");
    absent("what did \"Simplifying Response to Intervention\" say about tiers?",
           "Simplifying Response to Intervention");
    absent("what does DuFour say about collective commitments?", "DuFour");
    absent("what does Marzano say about feedback", "Marzano");
    absent("according to Hattie, what matters most?", "Hattie");
    absent("what does Common Core say about fractions?", "Common Core");
    diag("... a program's title-cased name is refused as a title: the library cannot speak for it");
    ok(booktitle_named("what does DuFour say about norms?", &b) && booktitle_held(&b, dufour, 1)
           && booktitle_named("what do DuFour and Eaker suggest for agendas?", &b)
           && booktitle_held(&b, dufour, 1)
           && booktitle_named("what does Learning by Doing say about norms?", &b)
           && booktitle_held(&b, dufour, 1),
       "the authors and the title of a held book are held");

    kept("what does Brennan say about feedback?", "a held author's surname");
    kept("what does Jordan Ellis say about norms?", "a held author's full name");
    kept("what do Alvarez and Webb suggest for agendas?", "two held authors");
    kept("according to Marchand, what should principals do first?", "a held author");
    kept("what does Leading the Learning say about principals?", "a held title");
    kept("In Reading the Evidence, what do they say about item analysis?", "a held title");
    kept("what does Assessment That Drives Learning recommend for retakes?", "a held title");
    kept("according to Every Child, Every Day, what is win time?", "a held title");
    kept("what does Getting Started with Colaborative Teams say about roles?", "a typo");

    none("what does the research say about homework?", "lower case: no name");
    none("what does RTI say about tier 3?", "an acronym: no lower-case letter");
    none("according to our principal, we need new norms", "lower case: no name");
    none("what does the district say about grading?", "lower case: no name");
    none("what does Guiding Coalition mean?", "mean asks what a term means");
    none("what does SMART stand for", "an acronym, and no verb of speaking");
    none("according to Response to Intervention guidelines, how many tiers are there?",
         "the name modifies a noun");
    none("In Tier 2, what do teachers say they need?", "one title word after in");
    none("in Texas, what do the standards say about it", "one title word after in");
    none("In Professional Learning Communities how should teams meet?", "no verb of speaking");
    none("what should i say in an interview about my weaknesses", "no name");
    none("does Simple Habits cover norms?", "no verb of speaking (absent35's by-design miss)");
    none("my coach says our goal is weak, what do you recommend", "no name");

    ok(booktitle_named("what does Learning by Doing say about SMART goals?", &b) && b.spoken
           && strcmp(b.subject, "SMART goals") == 0,
       "the subject after \"about\": \"%s\"", b.subject);
    text = booktitle_refusal(&b, starter, NSTARTER, true);
    ok(strstr(text, "doesn't hold \"Learning by Doing\" (no book of that title, and none by an "
                    "author of that name)")
               != NULL
           && strstr(text, "\"Getting Started with Collaborative Teams\"") != NULL
           && strstr(text, " Ask about one of them; or, since the library does have pages on "
                           "SMART goals, ask about SMART goals without naming the book")
                  != NULL,
       "a (d) name's refusal: a title or an author, and the subject the library covers: %s", text);
    free(text);
    text = booktitle_refusal(&b, starter, NSTARTER, false);
    ok(strstr(text, "does have pages") == NULL
           && strstr(text, "Ask about one of them, or ask your question about PLC work") != NULL,
       "not covered: no word of pages: %s", text);
    free(text);
    ok(booktitle_named("what does the Data Wise book say about protocols?", &b)
           && strcmp(b.subject, "protocols") == 0 && !b.spoken
           && booktitle_named("what does Marzano say about it?", &b) && b.subject[0] == '\0'
           && booktitle_named("who is the team meeting playbook written for?", &b)
           && b.subject[0] == '\0' && booktitle_named("what is Taking Action about?", &b)
           && b.subject[0] == '\0',
       "a subject only after \"about\", with a distinctive word");
}

static void words(void)
{
    ok(booktitle_word_match("meeting", "meting") && booktitle_word_match("learning", "laerning")
           && booktitle_word_match("evidence", "evidense")
           && booktitle_word_match("playbook", "playbooks"),
       "a typo: one deletion, swap, substitution or insertion");
    ok(!booktitle_word_match("data", "date") && !booktitle_word_match("team", "tame")
           && !booktitle_word_match("meeting", "mending"),
       "words under 5 letters match only exactly; two edits do not match");
}

/* A name longer than BOOKTITLE_NAME_BYTES is cut at a word and says so
 * (b.cut), its words all kept; one whose first word alone is longer names
 * nothing (the fuzz target found both: a cut name was taken as whole, and
 * an empty name as a name). */
static void long_names(void)
{
    char q[400], word[120];
    struct book_named b;
    struct booktitle_book self;
    bool named;

    memset(word, 'A', sizeof(word) - 1);
    word[sizeof(word) - 1] = '\0';
    word[1] = 'x';
    snprintf(q, sizeof(q), "what does \"The Data %s Handbook\" say about norms?", word);
    named = booktitle_named(q, &b); /* before ok() reads b */
    ok(named && b.cut && strcmp(b.name, "The Data") == 0 && b.nwords == 2,
       "a name cut at a word is marked cut, its words kept (got \"%s\", %zu words)", b.name,
       b.nwords);
    self = (struct booktitle_book){.title = b.name, .authors = NULL, .nauthors = 0};
    ok(!booktitle_held(&b, &self, 1), "so its shown name alone does not hold it");
    snprintf(q, sizeof(q), "according to \"Learnin%s by Ortiz\", what?", word);
    named = booktitle_named(q, &b);
    ok(!named && b.name[0] == '\0' && b.nwords == 0,
       "a name whose first word is longer than a name names nothing");
    ok(booktitle_named("who wrote \"The Data Coaching Handbook\"?", &b) && !b.cut,
       "a name that fits is not cut");
}

/* The name and the subject are the teacher's bytes inside Markdown: a
 * name typed as a link, or a subject with emphasis, reads as typed. */
static void escaped(void)
{
    struct book_named b;
    char *text;
    bool named;

    named = booktitle_named("who wrote \"[Team Norms](https://x.example/) Guide\"?", &b);
    ok(named && strstr(b.name, "](") != NULL, "a quoted name written as a link: \"%s\"", b.name);
    text = booktitle_refusal(&b, starter, NSTARTER, false);
    ok(strstr(text, "called \"Team Norms\\]\\(https://x.example/\\) Guide\"") != NULL
           && strstr(text, "[Team Norms](") == NULL,
       "its brackets and parentheses are escaped, so it is no link: %s", text);
    free(text);
    named = booktitle_named("what does Learning by Doing say about <b>SMART</b> *goals*?", &b);
    ok(named && b.spoken, "a subject with HTML and emphasis");
    text = booktitle_refusal(&b, starter, NSTARTER, true);
    ok(strstr(text, "<b>") == NULL && strstr(text, " *goals") == NULL
           && strstr(text, "pages on b\\>SMART\\</b\\> \\*goals, ask about b\\>SMART") != NULL,
       "the subject is escaped both times it is written: %s", text);
    free(text);
}

int main(void)
{
    plan(0);
    absent_from_starter("who is the team meeting playbook written for?");
    absent_from_starter("what does the Reading the Evidence book say about item analysis?");
    absent_from_starter("who wrote Every Child, Every Day?");
    absent("who wrote Learning by Doing?", "Learning by Doing");
    absent("have you read Learning by Doing by DuFour", "Learning by Doing");
    absent("what does the Data Wise book say about protocols?", "Data Wise book");
    absent("what is Taking Action about?", "Taking Action");
    absent("who is the data coaching handbook written for?", "data coaching handbook");
    absent("what does the Principal's Guide say about walkthroughs?", "Principal's Guide");
    absent("is the \"Simplifying Response to Intervention\" book worth reading?",
           "Simplifying Response to Intervention book");
    none("is \"Simplifying Response to Intervention\" worth reading?",
         "a quoted run asked about as no book");
    absent("what does the book \"Collaborative Common Assessments\" say about pacing?",
           "Collaborative Common Assessments");
    absent("what's in the \xe2\x80\x9cMindset Meeting Manual\xe2\x80\x9d for new teams?",
           "Mindset Meeting Manual");
    held_titles();
    generic();
    refusal();
    spoken();
    long_names();
    escaped();
    words();
    return 0;
}
