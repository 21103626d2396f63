/* Tests for the pure steps of hybrid retrieval: RRF, domain boost, page
 * de-duplication and MMR, on fixed inputs. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "library/search.h"
#include "tap/basic.h"

static struct search_hit hit(const char *id, const char *book, int s, int e, int vr, int fr)
{
    struct search_hit h;
    memset(&h, 0, sizeof(h));
    h.chunk_id = id;
    h.book_id = book;
    h.page_index_start = s;
    h.page_index_end = e;
    h.vec_rank = vr;
    h.bm25_rank = fr;
    return h;
}

/* Fills t[0] and t[1] with the question terms "team" (idf 2) and "norm"
 * (idf 3), both in the library, weight `weight`; the rest of `t` (n
 * terms) zeroed. */
static void team_norm(struct search_term *t, size_t n, double weight)
{
    memset(t, 0, n * sizeof(*t));
    t[0].term = "team";
    t[0].idf = 2;
    t[0].weight = weight;
    t[0].in_library = true;
    t[1].term = "norm";
    t[1].idf = 3;
    t[1].weight = weight;
    t[1].in_library = true;
}

int main(void)
{
    struct search_hit h[6];
    static const char *dom_a[] = {"curriculum"}, *dom_b[] = {"assessment"};
    static const char *const boost[] = {"curriculum", NULL};
    float va[2] = {1, 0}, vb[2] = {0.99f, 0.14f}, vc[2] = {0, 1};
    size_t n;

    plan(119);

    /* Which searches the learned re-ranking orders (rank29). */
    {
        struct search_opts o = {.question = "norms", .k = 5};

        ok(search_reranks(&o), "an answer's search is re-ranked");
        o.untranslated = true;
        ok(!search_reranks(&o), "the routing search is not: the route never moves");
        o.untranslated = false;
        o.no_rerank = true;
        ok(!search_reranks(&o), "nor one whose caller orders it (the follow-up search)");
    }

    /* RRF */
    h[0] = hit("a", "B1", 1, 1, 1, 0);
    h[1] = hit("b", "B1", 5, 5, 2, 1);
    h[2] = hit("c", "B2", 1, 1, 0, 2);
    search_fuse(h, 3, 60, 1, 1, NULL, 1);
    ok(fabs(h[0].fused - 1.0 / 61) < 1e-12, "vector-only rank 1: 1/61");
    ok(fabs(h[1].fused - (1.0 / 62 + 1.0 / 61)) < 1e-12, "in both lists: the sum");
    ok(fabs(h[2].fused - 1.0 / 62) < 1e-12, "text-only rank 2: 1/62");
    search_sort_fused(h, 3);
    is_string("b", h[0].chunk_id, "in both lists wins");
    is_string("a", h[1].chunk_id, "then rank 1");
    is_string("c", h[2].chunk_id, "then rank 2");

    /* Boost */
    h[0] = hit("a", "B1", 1, 1, 1, 0);
    h[0].domains = dom_b;
    h[0].ndomains = 1;
    h[1] = hit("b", "B1", 5, 5, 2, 0);
    h[1].domains = dom_a;
    h[1].ndomains = 1;
    search_fuse(h, 2, 60, 1, 1, boost, 1.25);
    search_sort_fused(h, 2);
    is_string("b", h[0].chunk_id, "a boosted domain lifts rank 2 over rank 1");
    ok(fabs(h[0].fused - 1.25 / 62) < 1e-12, "by the boost factor");

    /* De-duplication by page overlap (sorted best first) */
    h[0] = hit("a", "B1", 10, 12, 1, 0);
    h[1] = hit("b", "B1", 12, 13, 2, 0); /* overlaps a on 12 */
    h[2] = hit("c", "B2", 10, 12, 3, 0); /* other book */
    h[3] = hit("d", "B1", 13, 14, 4, 0); /* overlaps b only, which goes */
    h[4] = hit("e", "B1", 9, 9, 5, 0);   /* touches nothing */
    n = search_dedup(h, 5);
    is_int(4, (long long)n, "one overlapping hit dropped");
    ok(strcmp(h[0].chunk_id, "a") == 0 && strcmp(h[1].chunk_id, "c") == 0
           && strcmp(h[2].chunk_id, "d") == 0 && strcmp(h[3].chunk_id, "e") == 0,
       "the better one stays, order is kept");

    /* The answer's de-duplication (dedup37): only a hit showing no page of
     * its own goes; one that overlaps a better one but shows a page it
     * does not moves one place down, after the next distinct hit. */
    h[0] = hit("a", "B1", 3, 3, 1, 0);   /* pages 3-3 */
    h[1] = hit("b", "B1", 3, 4, 2, 0);   /* 3-4: shows page 4 */
    h[2] = hit("c", "B1", 3, 3, 3, 0);   /* inside a: goes */
    h[3] = hit("d", "B2", 9, 10, 4, 0);  /* other book, distinct */
    h[4] = hit("e", "B2", 10, 10, 5, 0); /* inside d: goes */
    n = search_dedup_shown(h, 5);
    is_int(3, (long long)n, "hits inside a better one's pages dropped");
    is_string("a", h[0].chunk_id, "the best stays first");
    is_string("d", h[1].chunk_id, "the next distinct hit moves up one");
    is_string("b", h[2].chunk_id, "the hit showing page 4 is kept, one place lower");
    h[0] = hit("a", "B1", 9, 10, 1, 0);
    h[1] = hit("b", "B1", 10, 11, 2, 0); /* overlaps a, shows 11 */
    h[2] = hit("c", "B1", 11, 11, 3, 0); /* inside b, which waits: goes */
    h[3] = hit("d", "B1", 11, 12, 4, 0); /* overlaps only b (not distinct): distinct */
    h[4] = hit("e", "B1", 20, 20, 5, 0);
    n = search_dedup_shown(h, 5);
    is_int(4, (long long)n, "inside a waiting hit is inside too");
    ok(strcmp(h[0].chunk_id, "a") == 0 && strcmp(h[1].chunk_id, "d") == 0
           && strcmp(h[2].chunk_id, "b") == 0 && strcmp(h[3].chunk_id, "e") == 0,
       "a waiting hit follows the next distinct one");
    h[0] = hit("a", "B1", 1, 2, 1, 0);
    h[1] = hit("b", "B1", 2, 3, 2, 0);
    h[2] = hit("c", "B1", 3, 4, 3, 0); /* overlaps b only, which waits */
    h[3] = hit("d", "B1", 2, 5, 4, 0); /* overlaps a: waits too */
    n = search_dedup_shown(h, 4);
    is_int(4, (long long)n, "nothing inside another");
    ok(strcmp(h[0].chunk_id, "a") == 0 && strcmp(h[1].chunk_id, "c") == 0
           && strcmp(h[2].chunk_id, "b") == 0 && strcmp(h[3].chunk_id, "d") == 0,
       "waiting hits keep their order, at the end when no distinct hit follows");
    is_int(0, (long long)search_dedup_shown(h, 0), "nothing in, nothing out");

    /* MMR: a near-duplicate of the best is pushed below a different one */
    h[0] = hit("a", "B1", 1, 1, 1, 0);
    h[0].vec = va;
    h[1] = hit("b", "B1", 5, 5, 2, 0);
    h[1].vec = vb;
    h[2] = hit("c", "B2", 1, 1, 3, 0);
    h[2].vec = vc;
    search_fuse(h, 3, 60, 1, 1, NULL, 1);
    n = search_mmr(h, 3, 2, 0.7, 3);
    is_int(3, (long long)n, "MMR keeps k");
    is_string("a", h[0].chunk_id, "MMR keeps the best first");
    is_string("c", h[1].chunk_id, "then the different one");
    is_string("b", h[2].chunk_id, "then the near-duplicate");
    n = search_mmr(h, 3, 2, 1.0, 2);
    is_int(2, (long long)n, "k below n cuts");
    is_int(0, (long long)search_mmr(h, 0, 2, 0.7, 5), "nothing in, nothing out");

    /* Weighted fusion: the vector list at a quarter of the BM25 list. */
    h[0] = hit("a", "B1", 1, 1, 1, 0);
    h[1] = hit("b", "B1", 5, 5, 0, 1);
    search_fuse(h, 2, 60, 1.0, 0.25, NULL, 1);
    ok(fabs(h[0].fused - 0.25 / 61) < 1e-12, "vector rank 1 at weight 0.25");
    ok(fabs(h[1].fused - 1.0 / 61) < 1e-12, "BM25 rank 1 at weight 1");
    search_fuse(h, 2, 60, 1.0, 0, NULL, 1);
    ok(h[0].fused == 0, "weight 0: the vector list adds nothing");

    /* Coverage: idf-weighted share held; a correction counts its idf. */
    {
        struct search_term t[3];
        memset(t, 0, sizeof(t));
        t[0].idf = 2;
        t[0].in_library = true;
        t[1].idf = 6; /* unknown */
        t[2].idf = 6;
        t[2].corrected = "collabor";
        t[2].held_idf = 1;
        ok(fabs(search_coverage(t, 3) - 3.0 / 9.0) < 1e-12, "coverage (2 + 1) / (2 + 6 + 1)");
        ok(search_coverage(t, 0) == 0, "no terms: coverage 0");
        t[1].in_library = true;
        ok(fabs(search_coverage(t, 3) - 1.0) < 1e-12, "all held: coverage 1");
    }

    /* Neighbourhood smoothing (recall33): what a passage's neighbours add
     * to its idf-weighted share of the question's own terms. */
    {
        struct search_term t[3];
        struct search_hit nb[5];
        struct search_hit *p[5];
        double g[5];
        size_t i;

        team_norm(t, sizeof(t) / sizeof(t[0]), 1);
        t[2].term = "zebra"; /* not in the library: never counts */
        t[2].idf = 9;
        t[2].weight = 1;
        nb[0] = hit("a", "B", 4, 4, 0, 1); /* team; section S of chapter C1 */
        nb[0].text = "The team met.";
        nb[1] = hit("b", "B", 5, 5, 0, 2); /* norms; same section, next page */
        nb[1].text = "Norms and a zebra.";
        nb[2] = hit("c", "B", 9, 9, 0, 3); /* norms; same chapter, other section, far page */
        nb[2].text = "Our norms.";
        nb[3] = hit("d", "B2", 5, 5, 0, 4); /* team norms; another book, same page index */
        nb[3].text = "Team norms.";
        nb[4] = hit("e", "B", 6, 6, 0, 5); /* no text; next page of b */
        for (i = 0; i < 5; i++)
            p[i] = &nb[i];
        nb[0].chapter_id = nb[1].chapter_id = nb[2].chapter_id = nb[4].chapter_id = "C1";
        nb[3].chapter_id = "C2";
        nb[0].section = nb[1].section = nb[3].section = nb[4].section = "S";
        nb[2].section = "T";
        search_neighbour_gain(p, 5, t, 3, SEARCH_NBR_SECTION, g);
        ok(fabs(g[0] - 0.6) < 1e-12, "section: a gains norm (3 / 5) from b, its section");
        ok(fabs(g[1] - 0.4) < 1e-12,
           "section: b gains team (2 / 5) from a; the zebra adds nothing");
        ok(g[2] == 0, "section: c, alone in section T, gains nothing");
        ok(g[3] == 0, "section: d holds both; another chapter's S is not its neighbour");
        ok(fabs(g[4] - 1.0) < 1e-12, "section: e (no text) gains all from a and b");
        search_neighbour_gain(p, 5, t, 3, SEARCH_NBR_PAGES, g);
        ok(fabs(g[0] - 0.6) < 1e-12 && fabs(g[1] - 0.4) < 1e-12,
           "pages: a and b, adjacent pages of one book, gain each other's term");
        ok(g[2] == 0 && g[3] == 0, "pages: c is far; d's book differs");
        ok(fabs(g[4] - 0.6) < 1e-12, "pages: e gains norm from b (page 5) only");
        search_neighbour_gain(p, 5, t, 3, SEARCH_NBR_CHAPTER, g);
        ok(fabs(g[2] - 0.4) < 1e-12, "chapter: c gains team from a, same chapter");
        t[0].in_library = t[1].in_library = false;
        search_neighbour_gain(p, 5, t, 3, SEARCH_NBR_CHAPTER, g);
        ok(g[0] == 0 && g[4] == 0, "no term the library holds: no gain");
    }

    /* Proximity: the smaller idf over the squared distance, per pair. */
    {
        struct search_term t[3];
        team_norm(t, sizeof(t) / sizeof(t[0]), 0);
        t[2].term = "zebra";
        t[2].idf = 9;
        ok(fabs(search_proximity("Team norms.", t, 3) - 2.0) < 1e-12,
           "adjacent: the smaller idf (2)");
        ok(fabs(search_proximity("The team drafted its norms.", t, 2) - 2.0 / 4) < 1e-12,
           "two terms apart, stop words not counted: 2 / 2^2");
        ok(fabs(
               search_proximity("Norms first, then agendas, then the team, then norms again.", t, 2)
               - 2.0)
               < 1e-12,
           "the closest occurrences count, in either order");
        ok(search_proximity("The team met. Nothing else.", t, 2) == 0, "one term alone: 0");
        ok(search_proximity("team zebra", &t[1], 2) == 0,
           "a term the library lacks (zebra) counts for nothing");
    }

    /* The best three-sentence window, and the first five put in order
     * again by it (docs/performance.md, "window26"). */
    {
        struct search_term t[2];
        struct search_hit w[7];
        static const char *const text[7] = {
            "The team met.",                                        /* window 2 / 5 */
            "Norms matter.",                                        /* 3 / 5 */
            "Team norms.",                                          /* 1 */
            "Nothing here.",                                        /* 0 */
            "Team. Agendas help. Data count. Goals matter. Norms.", /* 3 / 5: too far apart */
            "Team norms, team norms.",                              /* the best: 6.875 / 5 */
            "Norms.",
        };
        static const char *const id[7] = {"a", "b", "c", "d", "e", "f", "g"};
        size_t i;
        bool first5 = true, descending = true;

        team_norm(t, sizeof(t) / sizeof(t[0]), 1);
        ok(fabs(search_window("Team norms.", t, 2) - 1.0) < 1e-12, "window: every term once, 1");
        ok(fabs(search_window(text[4], t, 2) - 0.6) < 1e-12,
           "window: terms five sentences apart, the better one alone (3 / 5)");
        ok(fabs(search_window(text[5], t, 2) - 2 * 2.2 / 3.2) < 1e-12,
           "window: twice each, saturated at k1 1.2");
        ok(search_window("Team norms.", t, 0) == 0, "window: no terms, 0");
        for (i = 0; i < 7; i++) {
            w[i] = hit(id[i], "B", (int)i * 3, (int)i * 3 + 1, 0, (int)i + 1);
            w[i].text = text[i];
            w[i].bm25 = 10.0 - (double)i; /* over the first five's best: 1, .9, .8, .7, .6 */
            w[i].fused = 1.0 / (61 + (double)i);
        }
        search_window_reorder(w, 7, t, 2, 0);
        for (i = 0; i < 7; i++)
            first5 = first5 && strcmp(w[i].chunk_id, id[i]) == 0;
        ok(first5, "window weight 0: the order is untouched");
        search_window_reorder(w, 7, t, 2, 1);
        is_string("cbaed",
                  (char[]){w[0].chunk_id[0], w[1].chunk_id[0], w[2].chunk_id[0], w[3].chunk_id[0],
                           w[4].chunk_id[0], '\0'},
                  "the first five by bm25 / best + window: c 1.8, b 1.5, a 1.4, e 1.2, d 0.7");
        ok(strcmp(w[5].chunk_id, "f") == 0 && strcmp(w[6].chunk_id, "g") == 0,
           "the sixth (the best window of all) is not brought in; 6+ untouched");
        for (i = 0; i < 6; i++)
            descending = descending && w[i].fused > w[i + 1].fused;
        ok(descending && fabs(w[0].fused - 1.0 / 61) < 1e-15 && fabs(w[4].fused - 1.0 / 65) < 1e-15,
           "the first five's fused scores handed out in the new order: a sort keeps it");
        search_sort_fused(w, 7);
        ok(strcmp(w[0].chunk_id, "c") == 0 && strcmp(w[4].chunk_id, "d") == 0,
           "sorted by fused again, the new order stands");
        w[0] = hit("x", "B", 1, 1, 0, 1);
        w[0].text = "Nothing here.";
        w[0].bm25 = 2;
        w[1] = hit("y", "B", 5, 5, 0, 2);
        w[1].text = "Team norms.";
        w[1].bm25 = 1;
        search_window_reorder(w, 2, t, 2, 1);
        ok(strcmp(w[0].chunk_id, "y") == 0, "fewer than five: the two in order again (1.5 > 1)");
    }

    /* Edit distance with adjacent swaps, bounded. */
    is_int(1, (long long)search_edit_distance("colabor", "collabor", 2), "one insertion");
    is_int(1, (long long)search_edit_distance("asess", "assess", 2), "one insertion (asess)");
    is_int(1, (long long)search_edit_distance("tema", "team", 2), "a swap counts one");
    is_int(2, (long long)search_edit_distance("interventon", "intervent", 2), "two deletions");
    is_int(3, (long long)search_edit_distance("kitten", "sitting", 2), "over the limit: limit+1");
    is_int(0, (long long)search_edit_distance("same", "same", 0), "equal: 0");
    is_int(3, (long long)search_edit_distance("a", "abcdef", 2), "length gap over the limit");

    /* The tuning table. */
    {
        struct search_tuning t = search_tuning_default;
        char err[128];
        ok(search_tuning_set(&t, "k1=1.5", err, sizeof(err)) && t.k1 == 1.5, "set k1");
        ok(search_tuning_set(&t, "fb_docs=8", err, sizeof(err)) && t.fb_docs == 8, "set fb_docs");
        ok(search_tuning_set(&t, "typos=0", err, sizeof(err)) && !t.typos, "set typos off");
        ok(!search_tuning_set(&t, "b=1.5", err, sizeof(err)) && t.b == search_tuning_default.b,
           "b out of range refused");
        ok(!search_tuning_set(&t, "fb_docs=2.5", err, sizeof(err)), "a fraction refused");
        ok(!search_tuning_set(&t, "nope=1", err, sizeof(err)) && strstr(err, "unknown") != NULL,
           "an unknown name refused");
        ok(!search_tuning_set(&t, "k1", err, sizeof(err)), "no = refused");
        ok(search_tuning_set(&t, "w_quantity=0", err, sizeof(err)) && t.w_quantity == 0,
           "set w_quantity off");
        ok(!search_tuning_set(&t, "quantity_cap=0", err, sizeof(err)), "quantity_cap 0 refused");
        ok(search_tuning_set(&t, "w_window=0", err, sizeof(err)) && t.w_window == 0,
           "set w_window off");
        ok(search_tuning_default.w_nbr == 0
               && search_tuning_default.nbr_scope == SEARCH_NBR_SECTION,
           "neighbourhood smoothing is off by default (docs/performance.md, \"recall33\")");
        ok(search_tuning_set(&t, "nbr_scope=1", err, sizeof(err)) && t.nbr_scope == SEARCH_NBR_PAGES
               && !search_tuning_set(&t, "nbr_scope=4", err, sizeof(err)),
           "nbr_scope 1 taken, 4 refused");
    }

    /* Answer type: a question that asks for a quantity, and the
     * quantities a passage gives. */
    ok(search_wants_quantity("How many kids in a tier 2 group?"), "how many: a quantity");
    ok(search_wants_quantity("how big should our leadership team be"), "how big: a quantity");
    ok(search_wants_quantity("what does tier 3 look like - how often, how long"), "how often");
    ok(search_wants_quantity("When should we write the test?"), "when should");
    ok(!search_wants_quantity("how do we set norms?"), "how do: not a quantity");
    ok(!search_wants_quantity("why is the big group the problem"), "big without how: not one");
    ok(!search_wants_quantity("how"), "how alone: not one");

    /* A question asking for a procedure (proc38): its WordNet words
     * weigh related_how x w_related, none by default. */
    ok(search_asks_procedure("How do we decide which kids go to which group?"), "how do we");
    ok(search_asks_procedure("as principal, how should the team set goals"),
       "how should the team, after a comma");
    ok(search_asks_procedure("how to run a data meeting"), "how to");
    ok(search_asks_procedure("how we start PLCs at a big school"), "how we");
    ok(search_asks_procedure("can you walk me through a unit cycle"), "walk me through");
    ok(search_asks_procedure("what are the steps"), "steps");
    ok(search_asks_procedure("calibrating essays step by step"), "step by step");
    ok(search_asks_procedure("What's the process for writing norms?"), "the process for");
    ok(!search_asks_procedure("how does MTSS work for behavior"), "how a thing works: not one");
    ok(!search_asks_procedure("how does it work"), "how does it: not one");
    ok(!search_asks_procedure("how many kids in a tier 2 group"), "how many: not one");
    ok(!search_asks_procedure("how important are norms"), "how important: not one");
    ok(!search_asks_procedure("what is a guaranteed curriculum"), "what is: not one");
    ok(!search_asks_procedure("the next step after screening"), "one step: not one");
    ok(!search_asks_procedure("how"), "how alone: not one");
    ok(search_tuning_default.related_how == 0,
       "a procedure question takes no WordNet words by default (docs/performance.md, \"proc38\")");
    {
        struct search_tuning t = search_tuning_default;
        char err[128];
        ok(search_tuning_set(&t, "related_how=1", err, sizeof(err)) && t.related_how == 1
               && !search_tuning_set(&t, "related_how=2", err, sizeof(err)),
           "related_how 1 taken, 2 refused");
    }
    is_int(1, (long long)search_quantities("Meet for 20 minutes."), "digits and a unit");
    is_int(1, (long long)search_quantities("a twenty-minute check"), "a hyphenated number-unit");
    is_int(1, (long long)search_quantities("groups of three to six students"), "a range");
    is_int(2, (long long)search_quantities("three or four times a week"),
           "a range with or, then a frequency");
    is_int(2, (long long)search_quantities("Check weekly; review every month."), "frequencies");
    is_int(1, (long long)search_quantities("eleven members"), "a number word and a unit");
    is_int(1, (long long)search_quantities("one question at a time"), "one question: one");
    is_int(0, (long long)search_quantities("A student and a target, one of them or another."),
           "a + noun is not a quantity, nor a number two words before a unit without to/or");
    is_int(0, (long long)search_quantities("The team wrote norms."), "no number: none");
    is_int(0, (long long)search_quantities(""), "empty text: none");

    /* The translations' df ceiling (perf32): above both the share and the floor. */
    {
        struct search_tuning t = search_tuning_default;

        ok(t.trans_max_df < 1 && t.trans_min_df > 0, "the ceiling is on by default, with a floor");
        t.trans_max_df = 0.1;
        t.trans_min_df = 2000;
        ok(search_trans_too_common(&t, 45000, 100000), "45 %% of 100k passages: too common");
        ok(!search_trans_too_common(&t, 10000, 100000), "exactly 10 %%: kept");
        ok(search_trans_too_common(&t, 10001, 100000), "just above 10 %%: too common");
        ok(!search_trans_too_common(&t, 2000, 2500), "80 %% but not above the floor: kept");
        t.trans_min_df = 0;
        ok(search_trans_too_common(&t, 30, 228), "floor 0: the share alone decides");
        t.trans_max_df = 1;
        ok(!search_trans_too_common(&t, 228, 228), "share 1: the ceiling off");
    }
    return 0;
}
