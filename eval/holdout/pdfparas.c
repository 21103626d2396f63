/*
 * pdfparas - what the PDF reader makes of a book's paragraphs, for
 * eval/holdout/reader-paragraphs.py (reader35, docs/performance.md; built
 * only for the tests).
 *
 *   pdfparas FILE.pdf...
 *
 * For each file, read_pdf() and the chunker (chunk_doc(), default
 * parameters) as ingestion runs them, then one JSON object a line:
 *
 *   {"file":F,"page":LABEL,"para":TEXT}   each paragraph of each page,
 *                                         white space collapsed
 *   {"file":F,"chunk":I,"cut":TEXT,"kind":K}
 *                                         each passage-level cut that
 *                                         fires in chunk I: K "heading"
 *                                         for a heading cut off the
 *                                         sentence on its line (a known
 *                                         heading run in, unknown_heading,
 *                                         paragraph_heading), "title" for
 *                                         a title block (title_block)
 *
 * The known headings given to passage_parse() are the book's section
 * headings and chapter titles (the coach gives those of the passage's
 * chapter, its section and its chapter's title).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach/passage.h"
#include "library/chunk.h"
#include "library/read.h"
#include "util/alloc.h"
#include "util/buf.h"

/* Prints s (n bytes) as a JSON string, runs of white space as one space. */
static void json_string(const char *s, size_t n)
{
    size_t i;
    bool space = false;

    putchar('"');
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (isspace(c)) {
            space = true;
            continue;
        }
        if (space)
            putchar(' ');
        space = false;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

/* Prints page p's paragraphs (separated by blank lines). */
static void paragraphs(const char *file, const struct doc_page *p)
{
    const char *s = p->text;

    while (*s != '\0') {
        const char *e = strstr(s, "\n\n");
        size_t n = e ? (size_t)(e - s) : strlen(s);

        if (n > 0) {
            printf("{\"file\":");
            json_string(file, strlen(file));
            printf(",\"page\":");
            json_string(p->label, strlen(p->label));
            printf(",\"para\":");
            json_string(s, n);
            printf("}\n");
        }
        s += n;
        while (*s == '\n')
            s++;
    }
}

/* Prints the passage-level cuts that fire in chunk i of d. */
static void cuts(const char *file, const struct doc *d, const struct chunk *c, size_t i)
{
    const char **known = xmalloc((d->n_headings + d->n_chapters + 1) * sizeof(*known));
    struct passage_headings h = {.known = known, .nknown = 0, .section = NULL, .chapter = NULL};
    struct passage p;
    size_t k, j;

    for (k = 0; k < d->n_headings; k++)
        known[h.nknown++] = d->headings[k].title;
    for (k = 0; k < d->n_chapters; k++)
        known[h.nknown++] = d->chapters[k].title;
    if (c->section != CHUNK_NO_SECTION)
        h.section = d->headings[c->section].title;
    if (c->chapter != CHUNK_NO_CHAPTER)
        h.chapter = d->chapters[c->chapter].title;
    passage_parse(c->text, &h, &p);
    for (k = 0; k < p.n; k++) {
        const struct passage_unit *u = &p.u[k];
        bool shared = false;

        if (u->kind != PASSAGE_HEADING && u->kind != PASSAGE_FRAGMENT)
            continue;
        /* A table row is a fragment of its own line, not a cut. */
        if (u->kind == PASSAGE_FRAGMENT && u->start > 0 && c->text[u->start - 1] == '|')
            continue;
        for (j = 0; j < p.n; j++)
            if (j != k && p.u[j].para == u->para)
                shared = true;
        if (!shared)
            continue;
        printf("{\"file\":");
        json_string(file, strlen(file));
        printf(",\"chunk\":%zu,\"cut\":", i);
        json_string(c->text + u->start, u->len);
        printf(",\"kind\":\"%s\"}\n", u->kind == PASSAGE_HEADING ? "heading" : "title");
    }
    passage_free(&p);
    free(known);
}

int main(int argc, char **argv)
{
    int a, status = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: pdfparas FILE.pdf...\n");
        return 2;
    }
    for (a = 1; a < argc; a++) {
        struct buf b = BUF_INIT;
        struct doc d;
        struct chunk_list c = {NULL, 0, 0};
        char err[256], chunk[65536];
        const char *base = strrchr(argv[a], '/') ? strrchr(argv[a], '/') + 1 : argv[a];
        FILE *f = fopen(argv[a], "rb");
        size_t n, i;

        if (f == NULL) {
            fprintf(stderr, "pdfparas: cannot open %s\n", argv[a]);
            return 1;
        }
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
            buf_append(&b, chunk, n);
        fclose(f);
        if (!read_pdf(b.data ? b.data : "", b.len, &d, err, sizeof(err))) {
            fprintf(stderr, "pdfparas: %s: %s\n", argv[a], err);
            status = 1;
            buf_free(&b);
            continue;
        }
        for (i = 0; i < d.n_pages; i++)
            paragraphs(base, &d.pages[i]);
        chunk_doc(&d, NULL, &c);
        for (i = 0; i < c.n; i++)
            cuts(base, &d, &c.items[i], i);
        chunk_list_free(&c);
        doc_free(&d);
        buf_free(&b);
    }
    return status;
}
