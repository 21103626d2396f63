/* Tests for library/clean: hyphenation, page-number lines, running
 * headers and footers, heading fallback; and library/doc's outline kept
 * in (page, offset) order whatever order it is added in. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "library/clean.h"
#include "tap/basic.h"

/* Runs clean_dehyphenate on a copy of s (whole: the book's text, or
 * NULL) and compares. */
static void dehyph_in(const char *s, const char *whole, const char *want, const char *what)
{
    char b[256];

    snprintf(b, sizeof(b), "%s", s);
    clean_dehyphenate(b, whole);
    is_string(want, b, "%s", what);
}

static void dehyph(const char *s, const char *want, const char *what)
{
    dehyph_in(s, NULL, want, what);
}

/* A book of five pages under two outline chapters (pages 0-2 and 3-4),
 * laid out as a publisher does: the chapter title as the running header
 * of its pages except the opener, whose own title line is the same words
 * ("CHAPTER 2" above it). */
static void chapter_titles(void)
{
    static const char *const pages[] = {
        "CHAPTER 1\nNorms with Teeth\nA norm the team wrote.\n1",
        "Norms with Teeth\nThe second page, where co-plan is written whole.\n2",
        "Norms with Teeth\nThe third page of the chapter has co-\nplan and collabo-\nration.\n3",
        "CHAPTER 2\nThe Short One\nOnly two pages in this chapter.\n4",
        "The Short One\nIts second page; the header is on one page only.\n5",
    };
    struct doc d;
    size_t i;

    doc_init(&d, DOC_PDF);
    for (i = 0; i < 5; i++) {
        char label[8];
        snprintf(label, sizeof(label), "%zu", i + 1);
        (void)doc_add_page(&d, label, pages[i]);
    }
    doc_add_chapter(&d, "1", "Norms with Teeth", 0, 0);
    doc_add_chapter(&d, "2", "The Short One", 3, 0);
    clean_doc(&d);
    ok(strstr(d.pages[0].text, "Norms with Teeth") != NULL,
       "the opener keeps its title although running headers repeat it on 3 pages");
    ok(strstr(d.pages[1].text, "Norms with Teeth") == NULL, "the running header goes");
    ok(strstr(d.pages[3].text, "The Short One") != NULL,
       "a short chapter's opener keeps its title");
    ok(strstr(d.pages[4].text, "The Short One") == NULL,
       "a short chapter's running header goes although it heads one page only");
    ok(strstr(d.pages[2].text, "co-plan and collaboration.") != NULL,
       "in clean_doc: a hyphen the book writes elsewhere stays, a soft one goes");
    doc_free(&d);
}

/* Adds 40 chapters and 40 headings in a scrambled order (past both
 * first allocations, several on one page).  Entry k is placed so that
 * (page, offset) order is the order of k, so each list must end up
 * holding "c0" to "c39" in that order. */
static void outline_order(void)
{
    struct doc d;
    size_t i, chapters_ok = 0, headings_ok = 0;
    char want[16];

    doc_init(&d, DOC_PDF);
    for (i = 0; i < 40; i++) {
        size_t k = (i * 17) % 40; /* 17 and 40 are coprime: every k once */
        snprintf(want, sizeof(want), "c%zu", k);
        doc_add_chapter(&d, NULL, want, k / 4, (k % 4) * 10);
        doc_add_heading(&d, want, 2, k / 3, (k % 3) * 10);
    }
    for (i = 0; i < 40; i++) {
        snprintf(want, sizeof(want), "c%zu", i);
        chapters_ok += i < d.n_chapters && strcmp(d.chapters[i].title, want) == 0;
        headings_ok += i < d.n_headings && strcmp(d.headings[i].title, want) == 0;
    }
    ok(d.n_chapters == 40 && chapters_ok == 40,
       "chapters added out of order are kept in (page, offset) order, all 40");
    ok(d.n_headings == 40 && headings_ok == 40, "and headings too");
    doc_free(&d);
}

int main(void)
{
    struct doc d;
    char text[256];
    int i;

    plan(30);
    dehyph("collabo-\nration works", "collaboration works", "a split word is joined");
    dehyph("collabo-\n   ration", "collaboration", "... also with indentation");
    dehyph("the well-\nKnown Group", "the well-\nKnown Group", "kept before a capital");
    dehyph("pages 10-\n12", "pages 10-\n12", "kept after a digit");
    dehyph("a well-known fact", "a well-known fact", "an inner hyphen is untouched");
    dehyph_in("we co-\nplan units", "teams that co-plan", "we co-plan units",
              "a hyphen the book writes elsewhere stays (co-plan)");
    dehyph_in("we co-\nplan units", "teams that coplan", "we coplan units",
              "... not when the book writes the word without one");
    dehyph_in("we co-\nplan units", "to co-planner", "we coplan units",
              "... nor when it is only inside a longer word");
    chapter_titles();
    outline_order();

    ok(clean_is_page_number("12", 2), "12 is a page number");
    ok(clean_is_page_number("  xii ", 6), "xii is");
    ok(clean_is_page_number("Page 7", 6), "Page 7 is");
    ok(clean_is_page_number("- 7 -", 5), "- 7 - is");
    ok(clean_is_page_number("3 of 40", 7), "3 of 40 is");
    ok(!clean_is_page_number("12 angry teachers", 17), "a sentence is not");
    ok(!clean_is_page_number("Mix", 3), "a word of roman letters is not");

    doc_init(&d, DOC_PDF);
    for (i = 1; i <= 5; i++) {
        char label[8];

        snprintf(label, sizeof(label), "%d", i);
        snprintf(text, sizeof(text),
                 "%s\n%s\nBody line one of page %d.\nBody line two with collabo-\n"
                 "ration.\n\nSecond paragraph, page %d.\n%s  Teams Handbook\n",
                 i % 2 ? "Teams Handbook" : "Chapter Running Head", i == 3 ? "Chapter 2" : "Intro",
                 i, i, label);
        (void)doc_add_page(&d, label, text);
    }
    clean_doc(&d);
    ok(strstr(d.pages[0].text, "Teams Handbook") == NULL, "a header on 3 of 5 tops is removed");
    ok(strstr(d.pages[1].text, "Chapter Running Head") != NULL,
       "a top line on only 2 pages stays (CLEAN_MIN_REPEATS is 3)");
    ok(strstr(d.pages[4].text, "Teams Handbook") == NULL,
       "a footer with the page number is removed");
    ok(strstr(d.pages[2].text, "Chapter 2") != NULL, "a line on one page only stays");
    ok(strstr(d.pages[0].text, "collaboration.") != NULL, "hyphenation joined in clean_doc");
    ok(strstr(d.pages[0].text, "\n\nSecond paragraph, page 1.") != NULL, "paragraph break kept");
    is_int(1, (long long)clean_detect_chapters(&d), "one heading found on a page top");
    is_int(2, (long long)(d.n_chapters ? d.chapters[0].page : 0), "... on page index 2");
    doc_free(&d);
    return 0;
}
