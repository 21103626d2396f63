/* Tests for coach/history: the chunk ids of a saved answer's citations
 * (messages.citations), the prior of a follow-up.  Locating them in the
 * library (db/books.c chunk_places) and the pipeline's use of them are
 * t/integration/coach.sh ("the follow-up's prior"). */
#include "config.h"

#include <string.h>

#include "coach/history.h"
#include "tap/basic.h"
#include "util/arena.h"

#define ID1 "0b7c1f9e-2d3a-4c5b-8e6f-7a8b9c0d1e2f"
#define ID2 "9f8e7d6c-5b4a-4321-8fed-cba987654321"

int main(void)
{
    struct arena a = ARENA_INIT;
    const char *ids[4];
    size_t n;

    plan(11);
    n = history_cited_ids("[{\"n\":1,\"chunk_id\":\"" ID1 "\",\"quote\":\"q\"},"
                          "{\"n\":2,\"chunk_id\":\"" ID2 "\"},"
                          "{\"n\":3,\"chunk_id\":\"" ID1 "\"}]",
                          &a, ids, 4);
    is_int(2, (long)n, "two passages cited (one of them twice)");
    is_string(ID1, n > 0 ? ids[0] : NULL, "the first, in order");
    is_string(ID2, n > 1 ? ids[1] : NULL, "the second");
    n = history_cited_ids("[{\"chunk_id\":\"" ID1 "\"},{\"chunk_id\":\"" ID2 "\"}]", &a, ids, 1);
    is_int(1, (long)n, "at most max");
    is_int(0, (long)history_cited_ids("[]", &a, ids, 4), "an answer that cited nothing");
    is_int(0, (long)history_cited_ids(NULL, &a, ids, 4), "no answer");
    is_int(0, (long)history_cited_ids("{\"chunk_id\":\"" ID1 "\"}", &a, ids, 4), "not an array");
    is_int(0, (long)history_cited_ids("[{\"chunk_id\":", &a, ids, 4), "malformed JSON");
    n = history_cited_ids("[{\"n\":1},{\"chunk_id\":7},\"" ID1 "\",{\"chunk_id\":\"" ID2 "\"}]", &a,
                          ids, 4);
    is_int(1, (long)n, "citations without a chunk id string are skipped");
    is_string(ID2, n > 0 ? ids[0] : NULL, "... and the one with it kept");
    ok(n > 0 && ids[0] != NULL && strlen(ids[0]) == 36, "the id copied whole");
    arena_free(&a);
    return 0;
}
