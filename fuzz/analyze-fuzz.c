/* Fuzz target: the lexical analyser and the acronym expansion on an
 * untrusted question (GET /api/search?q=, the coach's question).  Every
 * term must be 1..ANALYZE_WORD_MAX bytes with no ASCII capital, no
 * separator and no NUL; the counted form must be sorted and distinct and
 * agree with the per-term walk; the acronym expansion must not crash; the
 * answer type's quantity count (search_quantities(), which also reads
 * every passage) is at most one per two bytes, and search_wants_quantity()
 * and search_asks_procedure() (proc38) must not crash.  The initials
 * matcher (initials.h) on the same bytes, as a passage and as a
 * question: every phrase's initials are 2..6 capitals, its phrase
 * lower-case letters and single spaces; every question word's initials
 * are 2..6 capitals and its lower form their lower case. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "library/analyze.h"
#include "library/initials.h"
#include "library/search.h"
#include "library/synonyms.h"

static void check_term(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    size_t *n = ctx, i;

    if (len == 0 || len > ANALYZE_WORD_MAX || strlen(term) != len || wlen == 0 || word == NULL)
        __builtin_trap();
    for (i = 0; i < len; i++)
        if ((term[i] >= 'A' && term[i] <= 'Z') || term[i] == ' ' || term[i] == '\'')
            __builtin_trap();
    (*n)++;
}

static void expansion(void *ctx, const char *exp, const char *source)
{
    (void)ctx;
    if (exp[0] == '\0' || source[0] == '\0')
        __builtin_trap();
}

static void phrase(void *ctx, const char *initials, const char *phrase)
{
    size_t n = strlen(initials), i;

    (void)ctx;
    if (n < INITIALS_MIN || n > INITIALS_MAX || phrase[0] == '\0' || phrase[0] == ' ')
        __builtin_trap();
    for (i = 0; i < n; i++)
        if (initials[i] < 'A' || initials[i] > 'Z')
            __builtin_trap();
    for (i = 0; phrase[i] != '\0'; i++)
        if (!(phrase[i] >= 'a' && phrase[i] <= 'z')
            && !(phrase[i] == ' ' && phrase[i + 1] != ' ' && phrase[i + 1] != '\0'))
            __builtin_trap();
}

static void check_initials(const char *text)
{
    struct initials_word w[INITIALS_QUESTION_MAX];
    size_t n = initials_question(text, w, INITIALS_QUESTION_MAX), i, j;

    initials_each(text, phrase, NULL);
    if (n > INITIALS_QUESTION_MAX)
        __builtin_trap();
    for (i = 0; i < n; i++) {
        size_t len = strlen(w[i].initials);
        if (len < INITIALS_MIN || len > INITIALS_MAX || strlen(w[i].lower) != len)
            __builtin_trap();
        for (j = 0; j < len; j++)
            if (w[i].initials[j] < 'A' || w[i].initials[j] > 'Z'
                || w[i].lower[j] != w[i].initials[j] + 32)
                __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    struct analyze_counts c;
    size_t n = 0, i, total = 0;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (analyze_each(text, check_term, &n) != n)
        __builtin_trap();
    memset(&c, 0, sizeof(c));
    analyze_count_text(&c, text);
    if (c.length != n)
        __builtin_trap();
    for (i = 0; i < c.n; i++) {
        if (i > 0 && strcmp(c.v[i - 1].term, c.v[i].term) >= 0)
            __builtin_trap();
        total += c.v[i].tf;
    }
    if (total != n)
        __builtin_trap();
    analyze_counts_free(&c);
    synonyms_each(text, expansion, NULL);
    if (search_quantities(text) > size / 2 + 1)
        __builtin_trap();
    (void)search_wants_quantity(text);
    (void)search_asks_procedure(text);
    check_initials(text);
    free(text);
    return 0;
}
