/* Tests for the local embedder, the synonym list and pgvector literals. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "library/embed.h"
#include "library/embed_local.h"
#include "library/synonyms.h"
#include "tap/basic.h"
#include "util/buf.h"

#define DIMS 384

static double cos_sim(const char *a, const char *b)
{
    float va[DIMS], vb[DIMS];
    double dot = 0;
    size_t i;

    embed_local(a, DIMS, va);
    embed_local(b, DIMS, vb);
    for (i = 0; i < DIMS; i++)
        dot += (double)va[i] * vb[i];
    return dot;
}

static const char *stemmed(const char *w)
{
    static char buf[64];
    size_t n = strlen(w);
    memcpy(buf, w, n + 1);
    embed_local_stem(buf, n);
    return buf;
}

/* synonyms_thesaurus_each() callback: "expansion<-source|". */
static void collect(void *ctx, const char *expansion, const char *source)
{
    buf_printf(ctx, "%s<-%s|", expansion, source);
}

int main(void)
{
    float a[DIMS], b[DIMS], big[2000];
    struct buf out = BUF_INIT;
    double norm = 0;
    size_t i;
    bool zero = true;

    plan(28);

    /* Determinism and normalisation */
    embed_local("Teams write common formative assessments together.", DIMS, a);
    embed_local("Teams write common formative assessments together.", DIMS, b);
    ok(memcmp(a, b, sizeof(a)) == 0, "the same text gives the same bits");
    for (i = 0; i < DIMS; i++)
        norm += (double)a[i] * a[i];
    ok(fabs(norm - 1) < 1e-5, "the vector is L2-normalised (%.6f)", norm);
    embed_local("the of and", DIMS, a);
    for (i = 0; i < DIMS; i++)
        zero = zero && a[i] == 0;
    ok(zero, "stop words only: the zero vector");
    embed_local("", DIMS, a);
    ok(a[0] == 0 && a[DIMS - 1] == 0, "empty text: the zero vector");
    embed_local("x", 1, a);
    ok(a[0] == 0, "one dimension, no feature: zero");
    embed_local("formative assessment", 2000, big);
    norm = 0;
    for (i = 0; i < 2000; i++)
        norm += (double)big[i] * big[i];
    ok(fabs(norm - 1) < 1e-5, "2000 dimensions normalise too");

    /* Similarity sanity */
    ok(cos_sim("common formative assessment", "common formative assessments") > 0.8,
       "plural barely changes the vector (%.3f)",
       cos_sim("common formative assessment", "common formative assessments"));
    ok(cos_sim("How do we write a CFA?", "writing a common formative assessment") > 0.3,
       "an acronym meets its expansion (%.3f)",
       cos_sim("How do we write a CFA?", "writing a common formative assessment"));
    ok(cos_sim("How do we write a CFA?", "writing a common formative assessment")
           > cos_sim("How do we write a CFA?", "team norms for meetings"),
       "and is nearer to it than to an unrelated topic");
    ok(cos_sim("team norms for meetings", "purple giraffes ride quantum spaceships") < 0.1,
       "unrelated texts are near orthogonal (%.3f)",
       cos_sim("team norms for meetings", "purple giraffes ride quantum spaceships"));
    ok(cos_sim("students struggling in reading", "struggling readers need support")
           > cos_sim("students struggling in reading", "celebrate small wins publicly"),
       "shared stems count");
    ok(cos_sim("intervention", "interventions") > 0.9, "stemming: intervention(s)");

    /* Stemmer and stop words */
    is_string("assess", stemmed("assessments"), "assessments -> assess (-ment and -s go)");
    is_string("plan", stemmed("planning"), "planning -> plan");
    is_string("study", stemmed("studies"), "studies -> study");
    is_string("class", stemmed("class"), "class stays");
    is_string("focus", stemmed("focus"), "focus stays");
    is_string("team", stemmed("teams"), "teams -> team");
    ok(embed_local_stop_word("the") && !embed_local_stop_word("team"), "stop words");

    /* Synonyms */
    synonyms_expand_text("What is a CFA?", &out);
    is_string("what is a cfa common formative assessment", buf_str(&out), "expand an acronym");
    buf_reset(&out);
    synonyms_expand_text("Our multi-tiered system of supports", &out);
    is_string("our multi tiered system of supports mtss", buf_str(&out), "expand a phrase");
    buf_reset(&out);
    synonyms_expand_text("rtiology", &out);
    is_string("rtiology", buf_str(&out), "acronyms only on word boundaries");
    buf_reset(&out);
    synonyms_thesaurus_each("Our kids hate the quiz; what ground rules help?", collect, &out);
    is_string("students<-kids|assessment<-quiz|norms<-ground rules|norms<-rules|", buf_str(&out),
              "the thesaurus: teachers' words to the books'");
    buf_reset(&out);
    synonyms_thesaurus_each("Kidsville quizzical", collect, &out);
    is_string("", buf_str(&out), "the thesaurus works on whole words");
    buf_reset(&out);
    ok(synonym_by_abbrev("GVC", 3) != NULL
           && strcmp(synonym_by_abbrev("GVC", 3)->phrase, "guaranteed and viable curriculum") == 0,
       "GVC is on the list");

    /* Vector literals */
    {
        float v[3] = {0.5f, -0.25f, 1e-3f}, w[3];
        embed_vector_literal(&out, v, 3);
        is_string("[0.5,-0.25,0.001]", buf_str(&out), "vector literal");
        ok(embed_vector_parse(buf_str(&out), 3, w) && w[1] == -0.25f, "and back");
        ok(!embed_vector_parse("[1,2]", 3, w) && !embed_vector_parse("[1,2,3,4]", 3, w)
               && !embed_vector_parse("[1,x,3]", 3, w) && !embed_vector_parse("1,2,3", 3, w),
           "wrong sizes and junk are refused");
    }
    buf_free(&out);
    return 0;
}
