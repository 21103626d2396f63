/* Tests for the translations of query expansion (src/library/README.md,
 * "Translations"): trans_lookup() finds a question stem's entries in a
 * sorted table and nothing for an absent stem; search_translate() adds a
 * question word's translations at w_trans x p(w | q), capped at the
 * word's own weight, drops those under the floor, leaves the question's
 * own words and the acronym list's words alone, and adds nothing for
 * words the table lacks; the compiled-in table is sorted and well
 * formed, and trans_lookup() (trans.c) finds every stem of it exactly
 * where a linear scan does. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "library/search.h"
#include "library/search_lexical.h"
#include "library/trans.h"
#include "library/trans_model.h"
#include "tap/basic.h"
#include "util/arena.h"

/* Sorted by q, then p descending, like trans_model[]. */
static const struct trans_entry table[] = {
    {"cfa", "assess", 0.4},  {"kid", "student", 0.5},   {"kid", "learner", 0.2},
    {"kid", "pupil", 0.005}, {"parent", "famili", 0.3}, {"parent", "student", 0.6},
    {"zzz", "student", 0.9},
};
static const size_t ntable = sizeof(table) / sizeof(table[0]);

/* The added term named term in v (n of them), or NULL. */
static const struct search_term *added(const struct search_term *v, size_t n, const char *term)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(v[i].term, term) == 0)
            return &v[i];
    return NULL;
}

static void test_lookup(void)
{
    size_t m = 99;
    const struct trans_entry *e = trans_lookup(table, ntable, "kid", &m);

    is_int(3, (long)m, "lookup: a stem's three entries");
    ok(e == &table[1], "lookup: from the first of them");
    e = trans_lookup(table, ntable, "cfa", &m);
    ok(e == &table[0] && m == 1, "lookup: the table's first stem");
    e = trans_lookup(table, ntable, "zzz", &m);
    ok(e == &table[6] && m == 1, "lookup: the table's last stem");
    e = trans_lookup(table, ntable, "kidd", &m);
    ok(e == NULL && m == 0, "lookup: an absent stem has none");
    e = trans_lookup(table, 0, "kid", &m);
    ok(e == NULL && m == 0, "lookup: an empty table has none");
}

static void test_expand(void)
{
    struct search_tuning t = search_tuning_default;
    struct arena arena = ARENA_INIT, *a = &arena;
    const struct search_term *s;
    struct search_term *v;
    size_t n;

    t.w_synonym = 0;
    t.w_thesaurus = 0;
    t.w_trans = 1.5;
    t.trans_floor = 0.01;
    n = search_translate("why are the kids bored", &t, table, ntable, a, &v);
    is_int(2, (long)n, "expand: kid's two translations above the floor");
    s = added(v, n, "student");
    ok(s != NULL && fabs(s->weight - 0.75) < 1e-9, "expand: student at 1.5 x 0.5");
    ok(s != NULL && s->source == SEARCH_TERM_RELATED && strcmp(s->word, "kids") == 0,
       "expand: a related term, from the word kids");
    s = added(v, n, "learner");
    ok(s != NULL && fabs(s->weight - 0.3) < 1e-9, "expand: learner at 1.5 x 0.2");
    ok(added(v, n, "pupil") == NULL, "expand: pupil is under the floor");

    t.w_trans = 4;
    n = search_translate("why are the kids bored", &t, table, ntable, a, &v);
    s = added(v, n, "student");
    ok(s != NULL && fabs(s->weight - 1.0) < 1e-9, "cap: 4 x 0.5 capped at the word's weight 1");
    n = search_translate("kids kids kids", &t, table, ntable, a, &v);
    s = added(v, n, "student");
    ok(s != NULL && fabs(s->weight - 2.0) < 1e-9, "cap: a word said three times allows 2");

    t.w_trans = 1;
    n = search_translate("kids and parents", &t, table, ntable, a, &v);
    s = added(v, n, "student");
    ok(s != NULL && fabs(s->weight - 0.6) < 1e-9, "two words: student takes the larger weight");
    is_int(3, (long)n, "two words: student added once");
    n = search_translate("what do students tell their kids", &t, table, ntable, a, &v);
    ok(added(v, n, "student") == NULL, "a question word is not added again");

    n = search_translate("how long should a planning meeting last", &t, table, ntable, a, &v);
    is_int(0, (long)n, "absent: words the table lacks add nothing");
    n = search_translate("", &t, table, ntable, a, &v);
    is_int(0, (long)n, "absent: an empty question adds nothing");

    n = search_translate("our CFA", &t, table, ntable, a, &v);
    ok(added(v, n, "assess") != NULL, "acronym: translated without the acronym list");
    t.w_synonym = 0.5;
    n = search_translate("our CFA", &t, table, ntable, a, &v);
    ok(added(v, n, "assess") == NULL || added(v, n, "assess")->source != SEARCH_TERM_RELATED,
       "acronym: not translated when the acronym list expands it");

    t.w_trans = 0;
    n = search_translate("why are the kids bored", &t, table, ntable, a, &v);
    is_int(0, (long)n, "w_trans 0: off");
    arena_free(a);
}

/* The compiled-in table: sorted by q then p descending, q != w, p in
 * (0, 1], a stem's p summing to at most 1. */
static void test_table(void)
{
    size_t i, bad = 0;
    double sum = 0;

    ok(trans_model_n > 0, "table: not empty");
    for (i = 0; i < trans_model_n; i++) {
        const struct trans_entry *e = &trans_model[i];
        int c = i > 0 ? strcmp(trans_model[i - 1].q, e->q) : -1;
        sum = c == 0 ? sum + e->p : e->p;
        if (c > 0 || (c == 0 && trans_model[i - 1].p < e->p) || strcmp(e->q, e->w) == 0
            || !(e->p > 0 && e->p <= 1) || sum > 1 + 1e-6)
            bad++;
    }
    is_int(0, (long)bad, "table: sorted and well formed");
}

/* Every stem of the compiled-in table, looked up, gives the run a linear
 * scan finds (its first entry and length); a stem just below or above
 * each, and the empty string, give none. */
static void test_lookup_table(void)
{
    size_t i = 0, stems = 0, bad = 0, absent = 0, m;
    char below[64], above[64];

    while (i < trans_model_n) {
        size_t end = i;
        const struct trans_entry *e;
        while (end < trans_model_n && strcmp(trans_model[end].q, trans_model[i].q) == 0)
            end++;
        e = trans_lookup(trans_model, trans_model_n, trans_model[i].q, &m);
        if (e != &trans_model[i] || m != end - i)
            bad++;
        snprintf(above, sizeof(above), "%s~", trans_model[i].q); /* '~' sorts after letters */
        snprintf(below, sizeof(below), "%.*s", (int)strlen(trans_model[i].q) - 1, trans_model[i].q);
        if (trans_lookup(trans_model, trans_model_n, above, &m) != NULL || m != 0)
            absent++;
        for (e = trans_model; e < trans_model + trans_model_n; e++)
            if (strcmp(e->q, below) == 0)
                break;
        if (e == trans_model + trans_model_n
            && (trans_lookup(trans_model, trans_model_n, below, &m) != NULL || m != 0))
            absent++;
        stems++;
        i = end;
    }
    ok(stems > 50, "table lookup: the table has its stems (%zu)", stems);
    is_int(0, (long)bad, "table lookup: every stem's entries, from the first, all of them");
    is_int(0, (long)absent, "table lookup: stems next to the table's have none");
    ok(trans_lookup(trans_model, trans_model_n, "", &m) == NULL && m == 0,
       "table lookup: the empty stem has none");
}

int main(void)
{
    plan(0);
    test_lookup();
    test_expand();
    test_table();
    test_lookup_table();
    return 0;
}
