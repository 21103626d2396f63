/* Tests for the analyser's irregular forms (src/library/analyze.h step 3,
 * src/library/irregular.h): an irregular form and its base give one
 * term, with the stem cache on and off, in a passage and in a question
 * alike; a form the generator's rules leave out (a word of its own, two
 * bases, a stop word's) keeps its own term; the table is sorted, plain
 * and without chains. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library/analyze.h"
#include "library/irregular.h"
#include "library/stem_cache.h"
#include "tap/basic.h"

/* The term of the word w (a static buffer; "" when it is dropped). */
static const char *term(const char *w)
{
    static char out[ANALYZE_TERM_MAX];

    if (analyze_word(w, strlen(w), out) == 0)
        out[0] = '\0';
    return out;
}

/* True when words a and b analyse to the same, non-empty term. */
static bool same(const char *a, const char *b)
{
    char ta[ANALYZE_TERM_MAX];

    snprintf(ta, sizeof(ta), "%s", term(a));
    return ta[0] != '\0' && strcmp(ta, term(b)) == 0;
}

static void joined(void)
{
    char out[ANALYZE_TERM_MAX];

    ok(same("broken", "break"), "broken and break: one term");
    ok(same("broke", "breaks"), "broke and breaks: one term");
    is_string("break", term("broken"), "the base's stem");
    ok(same("taught", "teaching"), "taught and teaching");
    ok(same("children", "child"), "children and child");
    ok(same("written", "writes"), "written and writes");
    ok(same("began", "beginning"), "began and beginning");
    ok(same("sought", "seek"), "sought and seek");
    ok(same("held", "holding"), "held and holding");
    ok(same("phenomena", "phenomenon"), "phenomena and phenomenon (a noun's plural)");
    is_int(6, (long long)analyze_stem("broken", 6, out), "without the table, broken ...");
    is_string("broken", out, "... stays broken (what the table changes)");
}

static void kept_apart(void)
{
    ok(!same("left", "leave"), "left (the side, a noun of WordNet) stays apart from leave");
    ok(!same("found", "find"), "found (to found, a verb of its own) stays apart from find");
    ok(!same("saw", "see"), "saw (the tool) stays apart from see");
    ok(!same("axes", "axis") && !same("axes", "ax"), "axes (two bases) stays apart");
    ok(!same("bases", "basis"), "bases (base or basis) stays apart from basis");
    ok(!same("lives", "life") && same("lives", "live"), "lives stays with the verb live, not life");
    ok(same("went", "goes"), "went and goes (go is no stop word)");
    is_string("", term("was"), "a stop word's form stays dropped");
}

struct collected {
    char terms[16][ANALYZE_TERM_MAX];
    size_t n;
};

static void keep(void *ctx, const char *t, size_t len, const char *word, size_t wlen)
{
    struct collected *c = ctx;

    (void)len;
    (void)word;
    (void)wlen;
    if (c->n < 16)
        snprintf(c->terms[c->n++], ANALYZE_TERM_MAX, "%s", t);
}

static bool holds(const struct collected *c, const char *t)
{
    size_t i;
    for (i = 0; i < c->n; i++)
        if (strcmp(c->terms[i], t) == 0)
            return true;
    return false;
}

/* The trial's follow-up and the page that answers it share the term. */
static void texts(void)
{
    struct collected q = {.n = 0}, p = {.n = 0};
    struct analyze_counts c = {0};

    analyze_each("What about when someone breaks them?", keep, &q);
    analyze_each("When a norm is BROKEN, the team names it.", keep, &p);
    ok(holds(&q, "break") && holds(&p, "break"), "question and passage share break");
    analyze_count_text(&c, "Norms get broken; a team that breaks one broke trust.");
    is_int(3, (long long)analyze_counts_get(&c, "break"), "counted as one term, 3 times");
    is_int(0, (long long)analyze_counts_get(&c, "broken"), "no term broken");
    analyze_counts_free(&c);
    stem_cache_enable(false);
    ok(same("broken", "break") && !same("left", "leave"), "the same with the stem cache off");
    stem_cache_enable(true);
}

static void table(void)
{
    size_t i, unsorted = 0, chains = 0, odd = 0;

    ok(irregular_forms_count > 1000, "the table has %zu forms", irregular_forms_count);
    for (i = 0; i < irregular_forms_count; i++) {
        const char *f = irregular_forms[i].form, *b = irregular_forms[i].base;
        if (i > 0 && strcmp(irregular_forms[i - 1].form, f) >= 0)
            unsorted++;
        if (irregular_base(b, strlen(b)) != NULL)
            chains++;
        if (strspn(f, "abcdefghijklmnopqrstuvwxyz") != strlen(f)
            || strspn(b, "abcdefghijklmnopqrstuvwxyz") != strlen(b))
            odd++;
    }
    is_int(0, (long long)unsorted, "sorted, each form once (binary search)");
    is_int(0, (long long)chains, "no base is itself a form on the table");
    is_int(0, (long long)odd, "lower-case ASCII words only");
    is_string("break", irregular_base("brokenly", 6), "the length bounds the lookup");
    ok(irregular_base("broke", 5) != NULL && irregular_base("brok", 4) == NULL,
       "a prefix is not a form");
    ok(irregular_base("zzzzzz", 6) == NULL && irregular_base("a", 1) == NULL, "past either end");
}

int main(void)
{
    plan(31);
    joined();
    kept_apart();
    texts();
    table();
    return 0;
}
