/* Tests for library/read_markdown: front matter, headings as chapters,
 * page markers (arabic and roman), plain text, refusals. */
#include "config.h"

#include <string.h>

#include "library/read.h"
#include "tap/basic.h"

int main(void)
{
    static const char book[] = "---\n"
                               "title: \"Learning by Doing\"\n"
                               "authors: [Ada Sample, Ben Example]\n"
                               "edition: 2nd\n"
                               "isbn: 978-0-00-000000-0\n"
                               "sku: SAMPLE1\n"
                               "product_url: https://example.org/book\n"
                               "sample: true\n"
                               "first_page: xi\n"
                               "---\n"
                               "Opening words on page xi.\n"
                               "<!-- page xii -->\n"
                               "# Introduction\n"
                               "Why this book.\n"
                               "<!-- page 1 -->\n"
                               "# Chapter 1: Why Teams\n"
                               "Teams matter.\n"
                               "\n"
                               "## A section\n"
                               "More text.\n"
                               "# Chapter 2 - Data\r\n"
                               "Data on the same page.\r\n"
                               "<!-- page 2 -->\n"
                               "Last page.\n";
    struct doc d;
    char err[256];
    bool ok_read;

    plan(35);
    ok_read = read_markdown(book, strlen(book), DOC_MARKDOWN, &d, err, sizeof(err));
    if (!ok(ok_read, "the book is read"))
        diag("%s", err);
    is_string("Learning by Doing", d.title ? d.title : "", "title (quotes removed)");
    is_int(2, (long long)d.n_authors, "two authors from a [list]");
    is_string("Ben Example", d.n_authors > 1 ? d.authors[1] : "", "second author");
    is_string("2nd", d.edition ? d.edition : "", "edition");
    is_string("978-0-00-000000-0", d.isbn ? d.isbn : "", "isbn");
    is_string("SAMPLE1", d.sku ? d.sku : "", "sku");
    is_string("https://example.org/book", d.product_url ? d.product_url : "", "product_url");
    ok(d.sample, "sample: true");
    is_int(4, (long long)d.n_pages, "four pages");
    is_string("xi", d.n_pages > 0 ? d.pages[0].label : "", "text before a marker is on first_page");
    is_string("Opening words on page xi.", d.n_pages > 0 ? d.pages[0].text : "", "... its text");
    is_string("xii", d.n_pages > 1 ? d.pages[1].label : "", "a roman page marker");
    is_string("1", d.n_pages > 2 ? d.pages[2].label : "", "an arabic page marker");
    is_int(3, (long long)d.n_chapters, "three chapters");
    if (d.n_chapters == 3) {
        ok(d.chapters[0].number == NULL, "# Introduction has no number");
        is_string("Introduction", d.chapters[0].title, "... its title");
        is_int(1, (long long)d.chapters[0].page, "... on page xii");
        is_string("1", d.chapters[1].number ? d.chapters[1].number : "", "# Chapter 1: -> 1");
        is_string("Why Teams", d.chapters[1].title, "... title without the number");
        is_string("2", d.chapters[2].number ? d.chapters[2].number : "", "# Chapter 2 - Data");
        is_int(2, (long long)d.chapters[2].page, "chapter 2 starts on the same page as 1");
        ok(d.chapters[2].offset > 0
               && strncmp(d.pages[2].text + d.chapters[2].offset, "Chapter 2", 9) == 0,
           "... at the offset of its heading");
        ok(strstr(d.pages[2].text, "\n\nA section\n\n") != NULL,
           "## sub-heading kept as a paragraph");
        ok(d.n_headings == 1 && strcmp(d.headings[0].title, "A section") == 0
               && d.headings[0].level == 2 && d.headings[0].page == 2
               && strncmp(d.pages[2].text + d.headings[0].offset, "A section", 9) == 0,
           "... and recorded as a section heading at its place");
    } else {
        int i;
        for (i = 0; i < 9; i++)
            ok(false, "chapter details");
    }
    doc_free(&d);

    {
        /* A blank line between a page marker and a chapter heading: the
         * chapter opens its page, and the one before ends a page earlier. */
        static const char blank[] = "---\ntitle: T\n---\n<!-- page 1 -->\n\n# Chapter 1: A\n\n"
                                    "Words.\n\n<!-- page 2 -->\n\nMore.\n\n<!-- page 3 -->\n\n"
                                    "# Chapter 2: B\n\nLast.\n";

        ok_read = read_markdown(blank, strlen(blank), DOC_MARKDOWN, &d, err, sizeof(err));
        ok(ok_read && d.n_chapters == 2 && d.chapters[1].page == 2,
           "blank line before a heading: chapter 2 starts on page 3");
        is_int(0, ok_read && d.n_chapters == 2 ? (long long)d.chapters[1].offset : -1,
               "... at the top of the page");
        is_int(1, ok_read && d.n_chapters == 2 ? (long long)doc_chapter_last_page(&d, 0) : -1,
               "... and chapter 1 ends on page 2");
        if (ok_read)
            doc_free(&d);
    }

    {
        static const char text[] = "Chapter 3: Plain Facts\n\nSome words here.\n\n"
                                   "CHAPTER 4\nMore words.\n";
        ok_read = read_markdown(text, strlen(text), DOC_TEXT, &d, err, sizeof(err));
        ok(ok_read && d.n_chapters == 2, "plain text: chapters from \"Chapter N\" lines");
        is_string("1", ok_read ? d.pages[0].label : "", "no front matter: page 1");
        doc_free(&d);
    }
    ok(!read_markdown("caf\xe9\n", 5, DOC_MARKDOWN, &d, err, sizeof(err))
           && strstr(err, "UTF-8") != NULL,
       "Latin-1 refused: %s", err);
    ok(!read_markdown("a\0b", 3, DOC_TEXT, &d, err, sizeof(err)), "NUL byte refused");
    ok(!read_markdown("---\ntitle: x\n", 13, DOC_MARKDOWN, &d, err, sizeof(err))
           && strstr(err, "not closed") != NULL,
       "unclosed front matter refused");
    ok(!read_markdown("---\ntitle: x\n---\n\n  \n", 20, DOC_MARKDOWN, &d, err, sizeof(err))
           && strstr(err, "no text") != NULL,
       "no text refused");
    ok(!read_markdown("---\nsample: maybe\n---\nx\n", 24, DOC_MARKDOWN, &d, err, sizeof(err)),
       "sample must be a boolean");
    return 0;
}
