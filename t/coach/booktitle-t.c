/* Tests for coach/booktitle: whether a question names a book, whether the
 * library holds it, and the refusal that names the library's closest
 * books (absent35; the rule: booktitle.h). */
#include "config.h"

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
    text = booktitle_refusal(&b, starter, NSTARTER);
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
    text = booktitle_refusal(&b, both, NBOTH);
    ok(strstr(text, "come closest are: \"The Team Meeting Playbook\"") != NULL
           && strstr(text, "Leading the Learning") == NULL,
       "of eight books, the closest three, the one sharing most words first: %s", text);
    free(text);
    ok(booktitle_named("who wrote \"Learning by Doing\"?", &b), "a quoted name");
    text = booktitle_refusal(&b, NULL, 0);
    ok(strstr(text, "holds no books yet") != NULL, "an empty library: %s", text);
    free(text);
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
    words();
    return 0;
}
