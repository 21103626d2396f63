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
    h.fts_rank = fr;
    return h;
}

int main(void)
{
    struct search_hit h[6];
    static const char *dom_a[] = {"curriculum"}, *dom_b[] = {"assessment"};
    static const char *const boost[] = {"curriculum", NULL};
    float va[2] = {1, 0}, vb[2] = {0.99f, 0.14f}, vc[2] = {0, 1};
    size_t n;

    plan(16);

    /* RRF */
    h[0] = hit("a", "B1", 1, 1, 1, 0);
    h[1] = hit("b", "B1", 5, 5, 2, 1);
    h[2] = hit("c", "B2", 1, 1, 0, 2);
    search_fuse(h, 3, 60, NULL);
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
    search_fuse(h, 2, 60, boost);
    search_sort_fused(h, 2);
    is_string("b", h[0].chunk_id, "a boosted domain lifts rank 2 over rank 1");
    ok(fabs(h[0].fused - SEARCH_DOMAIN_BOOST / 62) < 1e-12, "by the boost factor");

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

    /* MMR: a near-duplicate of the best is pushed below a different one */
    h[0] = hit("a", "B1", 1, 1, 1, 0);
    h[0].vec = va;
    h[1] = hit("b", "B1", 5, 5, 2, 0);
    h[1].vec = vb;
    h[2] = hit("c", "B2", 1, 1, 3, 0);
    h[2].vec = vc;
    search_fuse(h, 3, 60, NULL);
    n = search_mmr(h, 3, 2, 0.7, 3);
    is_int(3, (long long)n, "MMR keeps k");
    is_string("a", h[0].chunk_id, "MMR keeps the best first");
    is_string("c", h[1].chunk_id, "then the different one");
    is_string("b", h[2].chunk_id, "then the near-duplicate");
    n = search_mmr(h, 3, 2, 1.0, 2);
    is_int(2, (long long)n, "k below n cuts");
    is_int(0, (long long)search_mmr(h, 0, 2, 0.7, 5), "nothing in, nothing out");
    return 0;
}
