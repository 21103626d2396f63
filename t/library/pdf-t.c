/* Tests for library/read_pdf on the fixtures t/fixtures/mkpdf writes:
 * page labels, outline chapters, header and footer removal, hyphenation,
 * heading fallback, refusals, and exact chunk page ranges. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "library/chunk.h"
#include "library/ingest.h"
#include "library/read.h"
#include "tap/basic.h"
#include "util/alloc.h"
#include "util/buf.h"

static char dir[] = "/tmp/plc-pdf-t.XXXXXX";

/* Reads DIR/name into b; bails when it cannot. */
static void slurp(const char *name, struct buf *b)
{
    char path[256], chunk[8192];
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "rb");
    if (f == NULL)
        bail("cannot open %s", path);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(b, chunk, n);
    fclose(f);
}

static void cleanup(void)
{
    static const char *const names[] = {"book.pdf",    "headings.pdf", "image.pdf",
                                        "corrupt.pdf", "dense.pdf",    "stall.pdf"};
    char path[256];
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* Returns true when hay contains needle, any run of white space matching
 * any other (chunk text collapses the page's line breaks). */
static bool contains_ws(const char *hay, const char *needle)
{
    for (; *hay != '\0'; hay++) {
        const char *h = hay, *n = needle;

        while (*n != '\0' && *h != '\0') {
            if (isspace((unsigned char)*n) && isspace((unsigned char)*h)) {
                while (isspace((unsigned char)*n))
                    n++;
                while (isspace((unsigned char)*h))
                    h++;
            } else if (*n == *h) {
                n++;
                h++;
            } else {
                break;
            }
        }
        if (*n == '\0')
            return true;
    }
    return false;
}

/* Returns the index of the page whose text contains s, or -1. */
static long page_with(const struct doc *d, const char *s)
{
    size_t i;

    for (i = 0; i < d->n_pages; i++)
        if (strstr(d->pages[i].text, s) != NULL)
            return (long)i;
    return -1;
}

int main(void)
{
    const char *builddir = getenv("PLC_BUILDDIR") ? getenv("PLC_BUILDDIR") : PLC_BUILDDIR;
    struct buf b = BUF_INIT;
    struct doc d;
    struct chunk_list c = {NULL, 0, 0};
    char err[256], *cmd;
    size_t i, headers = 0, footers = 0, bad_ranges = 0;
    bool ok_read;
    long p3;

    if (mkdtemp(dir) == NULL)
        bail("mkdtemp failed");
    atexit(cleanup);
    /* fontconfig keeps its caches until exit: not our leak. */
    cmd = xasprintf("ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:detect_leaks=0\" '%s/t/fixtures/mkpdf' '%s'",
                    builddir, dir);
    if (system(cmd) != 0)
        bail("t/fixtures/mkpdf failed (%s)", cmd);
    free(cmd);
    plan(34);

    slurp("book.pdf", &b);
    ok_read = read_pdf(b.data, b.len, &d, err, sizeof(err));
    if (!ok(ok_read, "book.pdf is read"))
        diag("%s", err);
    is_int(12, (long long)d.n_pages, "12 pages");
    is_string("i", d.n_pages > 0 ? d.pages[0].label : "", "front matter is labelled i");
    is_string("iv", d.n_pages > 3 ? d.pages[3].label : "", "... up to iv");
    is_string("1", d.n_pages > 4 ? d.pages[4].label : "", "the body starts at 1, not 5");
    is_string("8", d.n_pages > 11 ? d.pages[11].label : "", "the last page is 8");
    is_string("Learning Together", d.title ? d.title : "", "Title metadata");
    is_int(2, (long long)d.n_authors, "two authors from Author metadata");
    is_string("Ben Example", d.n_authors > 1 ? d.authors[1] : "", "... split on ';'");
    is_int(3, (long long)d.n_chapters, "three outline entries: Preface and two chapters");
    if (d.n_chapters == 3) {
        ok(d.chapters[0].number == NULL && strcmp(d.chapters[0].title, "Preface") == 0,
           "Preface has no number");
        is_int(1, (long long)d.chapters[0].page, "... and starts on page ii");
        is_string("1", d.chapters[1].number ? d.chapters[1].number : "", "chapter 1's number");
        is_string("Why Teams Matter", d.chapters[1].title, "chapter 1's title");
        is_int(4, (long long)d.chapters[1].page, "chapter 1 starts on page index 4 (label 1)");
        is_int(8, (long long)d.chapters[2].page, "chapter 2 starts on page index 8 (label 5)");
    } else {
        for (i = 0; i < 6; i++)
            ok(false, "chapter details");
    }
    for (i = 4; i < d.n_pages; i++) {
        const char *t = d.pages[i].text;
        size_t len = strlen(t);

        if (strstr(t, "Learning Together") != NULL)
            headers++;
        if (len > 0 && strcmp(t + len - strlen(d.pages[i].label), d.pages[i].label) == 0
            && (len == strlen(d.pages[i].label) || t[len - strlen(d.pages[i].label) - 1] == '\n'))
            footers++;
    }
    is_int(0, (long long)headers, "the running header is gone from every body page");
    is_int(0, (long long)footers, "the page-number footers are gone");
    ok(page_with(&d, "Real collaboration between") >= 0, "collabo-/ration is joined");
    ok(page_with(&d, "well-known") >= 0, "a real hyphen stays");
    ok(d.n_pages > 5 && strstr(d.pages[5].text, "\n\n") != NULL, "paragraph breaks are kept");
    ok(d.n_headings == 1 && strcmp(d.headings[0].title, "Norms That Hold") == 0
           && d.headings[0].page == 6,
       "the outline's child entry is a section heading on page 3");
    ok(d.n_headings == 1
           && strncmp(d.pages[6].text + d.headings[0].offset, "Norms That Hold\n\nThis is", 24) == 0
           && (d.headings[0].offset == 0
               || strncmp(d.pages[6].text + d.headings[0].offset - 2, "\n\n", 2) == 0),
       "... placed at its line, which is made a paragraph of its own");
    {
        /* "AbC D": A and b touch; b and C 20 pt apart; C and D 1 pt apart
         * (kerning); a line break; "é" (two bytes, one box) then "x" far
         * but on the next line. */
        static const struct pdf_box box[] = {{0, 0, 5, 10},   {5, 0, 10, 10},  {30, 0, 35, 10},
                                             {35, 0, 38, 10}, {38, 0, 43, 10}, {43, 0, 43, 10},
                                             {0, 12, 5, 22},  {90, 24, 95, 34}};
        char *sp = read_pdf_space_gaps("AbC D\n\xc3\xa9x", box, 8);
        is_string("Ab C D\n\xc3\xa9x", sp, "a gap between characters of a line becomes a space");
        free(sp);
    }

    chunk_doc(&d, NULL, &c);
    ok(c.n >= 4, "the book gives several chunks (%zu)", c.n);
    for (i = 0; i < c.n; i++) {
        /* The first and last 30 bytes of a chunk sit on its first and last
         * page (sentences never cross a page). */
        char head[31], tail[31];
        const char *t = c.items[i].text;
        size_t len = strlen(t), nl;

        snprintf(head, sizeof(head), "%s", t);
        nl = strcspn(head, "\n");
        head[nl] = '\0';
        snprintf(tail, sizeof(tail), "%s", len > 30 ? t + len - 30 : t);
        if (strchr(tail, '\n') != NULL)
            memmove(tail, strrchr(tail, '\n') + 1, strlen(strrchr(tail, '\n')));
        if (!contains_ws(d.pages[c.items[i].page_first].text, head)
            || !contains_ws(d.pages[c.items[i].page_last].text, tail))
            bad_ranges++;
    }
    is_int(0, (long long)bad_ranges, "every chunk's first and last page hold its ends");
    p3 = page_with(&d, "This is body page 3 of");
    for (i = 0; i < c.n; i++)
        if (strstr(c.items[i].text, "This is body page 3 of") != NULL)
            break;
    ok(i < c.n && p3 >= 0 && (long)c.items[i].page_first <= p3 && (long)c.items[i].page_last >= p3,
       "the chunk with body page 3's first line covers label 3");
    for (i = 0; i < c.n; i++)
        if (c.items[i].chapter != CHUNK_NO_CHAPTER
            && c.items[i].page_first < d.chapters[c.items[i].chapter].page)
            break;
    is_int((long long)c.n, (long long)i, "no chunk starts before its chapter");
    chunk_list_free(&c);
    doc_free(&d);
    buf_reset(&b);

    slurp("headings.pdf", &b);
    ok_read = read_pdf(b.data, b.len, &d, err, sizeof(err));
    ok(ok_read && d.n_chapters == 2, "headings.pdf: two chapters from headings (%zu)",
       d.n_chapters);
    if (d.n_chapters == 2) {
        is_string("Getting Started", d.chapters[0].title, "\"Chapter 1\" takes the next line");
        is_string("Data Teams", d.chapters[1].title, "\"CHAPTER 2: Data Teams\"");
    } else {
        ok(false, "chapter 1 title");
        ok(false, "chapter 2 title");
    }
    doc_free(&d);
    buf_reset(&b);

    slurp("image.pdf", &b);
    ok(!read_pdf(b.data, b.len, &d, err, sizeof(err)) && strstr(err, "no text") != NULL,
       "image-only PDF refused: %s", err);
    buf_reset(&b);
    slurp("corrupt.pdf", &b);
    ok(!read_pdf(b.data, b.len, &d, err, sizeof(err)) && d.n_pages == 0,
       "truncated PDF refused: %s", err);
    ok(!read_pdf("hello", 5, &d, err, sizeof(err)) && strstr(err, "not a PDF") != NULL,
       "non-PDF bytes refused: %s", err);
    buf_free(&b);
    return 0;
}
