/* Fuzz target: the extractive composer (and coach/passage's reading of a
 * passage) on a book's text, which comes from uploaded files.  The input
 * is split at \x01 bytes into a question and up to three passages (the
 * last line of the question, after a \x02 byte, is taken as a known
 * heading).  The composer must not crash, must stay within the answer's
 * length, and every quotation it writes must be exact text of the source
 * it cites: the verifier keeps the whole answer. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "coach/extractive.h"
#include "coach/passage.h"
#include "coach/sentences.h"
#include "coach/verify.h"
#include "fuzz/fuzz.h"
#include "util/buf.h"
#include "util/text.h"

/* True when a and b are the same text but for runs of white space (the
 * verifier writes the answer back with its spaces and blank lines
 * normalised; what must hold is that it removed nothing). */
static bool same_words(const char *a, const char *b)
{
    for (;;) {
        bool sa = false, sb = false;

        while (*a == ' ' || *a == '\n' || *a == '\t' || *a == '\r') {
            a++;
            sa = true;
        }
        while (*b == ' ' || *b == '\n' || *b == '\t' || *b == '\r') {
            b++;
            sb = true;
        }
        if (*a == '\0' || *b == '\0')
            return *a == *b;
        if (sa != sb || *a != *b)
            return false;
        a++;
        b++;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1), *rest, *heading;
    const char *texts[3];
    const char *heads[2];
    struct extract_source src[3];
    /* The passages' one chapter and its two headings, "Norms" (the
     * second passage's section) and the fuzzed one: the composer suggests
     * the heading next to a quoted section, never the quoted one
     * (extractive.h, 7). */
    static const struct extract_chapter chapter[] = {
        {.book = "b", .title = "Chapter", .first = 0, .n = 2}};
    struct extract_request rq = {.sources = src};
    struct passage p;
    struct buf joined = {0};
    const char *vtexts[3];
    size_t k = 0, i, u;
    char *a;

    /* Passages come from PostgreSQL (a UTF8 database refuses anything
     * else) and questions from strict JSON: both are valid UTF-8. */
    if (copy == NULL || !utf8_valid((const char *)data, size)) {
        free(copy);
        return 0;
    }
    memcpy(copy, data, size);
    copy[size] = '\0';
    rq.question = copy;
    rest = strchr(copy, '\x01');
    if (rest != NULL)
        *rest++ = '\0';
    while (rest != NULL && k < 3) {
        texts[k] = rest;
        rest = strchr(rest, '\x01');
        if (rest != NULL)
            *rest++ = '\0';
        src[k] = (struct extract_source){.text = texts[k],
                                         .section = k == 1 ? "Norms" : NULL,
                                         .chapter = "Chapter",
                                         .book = "b",
                                         .ordinal = (int)k};
        k++;
    }
    heading = strchr(copy, '\x02');
    if (heading != NULL) {
        *heading++ = '\0';
        heads[0] = "Norms";
        heads[1] = heading;
        rq.headings = heads;
        rq.nheadings = 2;
        rq.chapters = chapter;
        rq.nchapters = 1;
    }
    rq.k = k;
    /* The conversation's previous answer, whose opening the composer does
     * not open with again (extractive.h, 5): the last passage's text. */
    rq.previous = k >= 2 ? texts[k - 1] : NULL;
    /* With two passages or more the first is read on its page
     * (extractive.h, "The page"): all of them joined as the pipeline joins
     * a passage's neighbours, its own bytes marked, the joined text as the
     * page a unit outside it must be found on. */
    for (i = 0; i < k; i++)
        vtexts[i] = texts[i];
    if (k >= 2) {
        size_t own_start, own_end;

        passage_join(&joined, texts, k, 0, &own_start, &own_end);
        if (own_start > own_end || own_end > joined.len)
            __builtin_trap();
        if (joined.data != NULL && own_end > 0) {
            src[0].text = vtexts[0] = joined.data;
            src[0].own_start = own_start;
            src[0].own_end = own_end;
            src[0].page = joined.data;
        }
    }
    for (i = 0; i < k; i++) {
        struct passage_headings h = {.known = rq.headings,
                                     .nknown = rq.nheadings,
                                     .section = src[i].section,
                                     .chapter = src[i].chapter};
        passage_parse(vtexts[i], &h, &p);
        if (p.n > PASSAGE_MAX_UNITS)
            __builtin_trap();
        for (u = 0; u < p.n; u++)
            if (p.u[u].start + p.u[u].len > strlen(vtexts[i]))
                __builtin_trap();
        passage_free(&p);
    }
    a = extractive_compose(&rq);
    if (a != NULL) {
        struct verify_result r;
        if (sentence_words(a, strlen(a)) > EXTRACT_ANSWER_WORDS)
            __builtin_trap();
        verify_answer(a, vtexts, k, &r);
        if (!same_words(r.text, a) || !verify_all_ok(&r))
            __builtin_trap();
        verify_result_free(&r);
        free(a);
    }
    buf_free(&joined);
    free(copy);
    return 0;
}
