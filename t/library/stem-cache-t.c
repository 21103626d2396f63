/* Tests for the per-process stem cache (src/library/stem_cache.h): the
 * analyser gives the same terms with the cache off, cold, warm, and after
 * the cache has filled and started again; a warm cache answers every word
 * without the stemmer. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library/analyze.h"
#include "library/stem_cache.h"
#include "tap/basic.h"
#include "util/alloc.h"
#include "util/buf.h"

static const char passage[] =
    "Collaborative teams of teachers write common formative assessments, analyze "
    "the results together and plan interventions for students who struggle. The "
    "PLCs' norms, SMART goals and CFAs keep the team focused on learning; their "
    "principals support the teams' work by protecting time. Assessing, assessed, "
    "assessment: organizations organize organizational meetings. Don't stop "
    "re-teaching what didn't work — Ünïcode wörds stay words, caf\xc3\xa9 too.";

static void keep(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct buf *b = ctx;

    (void)len;
    buf_printf(b, "%s/%.*s ", term, (int)wlen, word);
}

/* The analysis of text as "term/word " pairs; the caller frees. */
static char *terms(const char *text)
{
    struct buf b = BUF_INIT;

    char *s;

    analyze_each(text, keep, &b);
    s = xstrdup(buf_str(&b));
    buf_free(&b);
    return s;
}

/* n distinct made-up words ("qa", "qb", ... in base 26 after a q). */
static char *many_words(size_t n)
{
    struct buf b = BUF_INIT;
    size_t i, k;
    char *s;

    for (i = 0; i < n; i++) {
        char w[16];
        size_t m = 0;
        w[m++] = 'q';
        k = i;
        do {
            w[m++] = (char)('a' + k % 26);
            k /= 26;
        } while (k > 0);
        w[m] = '\0';
        buf_printf(&b, "%sing ", w);
    }
    s = xstrdup(buf_str(&b));
    buf_free(&b);
    return s;
}

int main(void)
{
    char *ref, *cold, *warm, *again, *big_ref, *big;
    unsigned long hits0, added0, hits1, added1, hits2, added2;
    size_t used, words, big_n = STEM_CACHE_SLOTS;

    plan(10);
    stem_cache_enable(false);
    words = analyze_each(passage, NULL, NULL);
    ref = terms(passage);
    big = many_words(big_n);
    big_ref = terms(big);
    free(big);
    stem_cache_counts(&hits0, &added0, &used);
    is_int(0, (long)(hits0 + added0), "off: the cache neither answers nor keeps");
    stem_cache_enable(true);

    cold = terms(passage);
    stem_cache_counts(&hits1, &added1, &used);
    is_string(ref, cold, "cold: the same terms as the stemmer's");
    ok(added1 > 0 && used == added1, "cold: the words are kept (%lu)", added1);

    warm = terms(passage);
    stem_cache_counts(&hits2, &added2, &used);
    is_string(ref, warm, "warm: the same terms");
    is_int((long)added1, (long)added2, "warm: nothing new is kept");
    ok(hits2 - hits1 >= words, "warm: every kept word answered from the cache (%lu >= %zu)",
       hits2 - hits1, words);

    big = many_words(big_n);
    again = terms(big);
    is_string(big_ref, again, "%zu distinct words: the same terms as the stemmer's", big_n);
    stem_cache_counts(&hits2, &added2, &used);
    ok(used < STEM_CACHE_SLOTS / 4 * 3 && added2 - added1 >= big_n,
       "the cache filled and started again (%zu slots used)", used);
    free(again);
    again = terms(passage);
    is_string(ref, again, "after starting again: the same terms");
    free(again);
    again = terms(big);
    is_string(big_ref, again, "and the many words again, partly cached: the same terms");

    free(ref);
    free(cold);
    free(warm);
    free(again);
    free(big);
    free(big_ref);
    return 0;
}
