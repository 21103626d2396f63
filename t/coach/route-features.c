/*
 * route-features FILE.jsonl...: the scope decision's evidence for each
 * line of an evaluation set (eval/README.md's format), one JSON object a
 * line on stdout, for fitting the decision's weights on the sets tuned on
 * (t/coach/route-fit.py; src/coach/README.md, "Scope").  Each question is
 * searched as the coach searches it (a follow-up rewritten by the rules
 * against its context's last turn, the lexicon's domains boosted), and
 * its evidence read as the coach reads it (evidence_route, route.h),
 * with signals measured and not kept (passage_coverage below; the
 * passages' books and chapters) for route-fit.py's --also, and the
 * question's analysed stems and the words they came from ("stems",
 * "stem_words"), from which route-fit.py --words learns a word model,
 * and each passage's length and counts of the search's terms ("hits":
 * "length", "tf"; scope39).
 * Never run on eval/holdout/heldout.jsonl (eval/holdout/README.md).
 *
 * Memory: each line's parse, search and strings are freed before the next.
 */
#include "config.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coach/evidence.h"
#include "coach/pipeline.h"
#include "coach/rewrite.h"
#include "coach/words.h"
#include "coach/route.h"
#include "db/db.h"
#include "library/analyze.h"
#include "library/domains.h"
#include "library/search.h"
#include "util/alloc.h"
#include "util/cfg.h"
#include "util/log.h"

static const char *str(json_object *o, const char *key)
{
    json_object *v;

    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

/* The standalone question of line (malloc'd). */
static char *standalone(json_object *line, const char *q)
{
    json_object *ctx;
    size_t n;

    if (!json_object_object_get_ex(line, "context", &ctx)
        || !json_object_is_type(ctx, json_type_array) || (n = json_object_array_length(ctx)) == 0
        || !rewrite_is_followup(q))
        return xstrdup(q);
    return rewrite_rules(json_object_get_string(json_object_array_get_idx(ctx, n - 1)), q, NULL);
}

/* A signal measured and not kept in the decision (src/coach/README.md,
 * "Scope"): the best single passage's coverage of the question, the
 * largest over the coach's COACH_SOURCES passages of the IDF-weighted
 * share of the question's content terms (held as written) its text holds.
 * Memory: each passage's term counts are freed before the next. */
static double passage_coverage(const struct search_result *sr)
{
    const struct search_evidence *e = &sr->evidence;
    double all = 0, best = 0;
    size_t i, j;

    for (i = 0; i < e->nterms; i++)
        all += e->terms[i].idf;
    for (j = 0; all > 0 && j < sr->n && j < COACH_SOURCES; j++) {
        struct analyze_counts c = {0};
        double have = 0;
        if (sr->hits[j].text == NULL)
            continue;
        analyze_count_text(&c, sr->hits[j].text);
        for (i = 0; i < e->nterms; i++) {
            const struct search_term *t = &e->terms[i];
            if (t->in_library && t->corrected == NULL && analyze_counts_get(&c, t->term) > 0)
                have += t->idf;
        }
        analyze_counts_free(&c);
        if (have / all > best)
            best = have / all;
    }
    return best;
}

/* A signal measured (src/coach/README.md, "Scope"): the best single
 * passage's share of the question's distinctive words (words.h; only the
 * question's own words, held as written, not expansions) that its text
 * holds, unweighted; 0 when the question has none.
 * Memory: each passage's term counts are freed before the next. */
static double passage_distinct(const struct search_result *sr)
{
    const struct search_evidence *e = &sr->evidence;
    double best = 0;
    size_t i, j, n = 0;

    for (i = 0; i < e->nterms; i++)
        n += e->terms[i].source == SEARCH_TERM_QUESTION && e->terms[i].word != NULL
             && words_is_distinctive(e->terms[i].word);
    for (j = 0; n > 0 && j < sr->n && j < COACH_SOURCES; j++) {
        struct analyze_counts c = {0};
        size_t have = 0;
        if (sr->hits[j].text == NULL)
            continue;
        analyze_count_text(&c, sr->hits[j].text);
        for (i = 0; i < e->nterms; i++) {
            const struct search_term *t = &e->terms[i];
            if (t->source == SEARCH_TERM_QUESTION && t->word != NULL
                && words_is_distinctive(t->word) && t->in_library && t->corrected == NULL
                && analyze_counts_get(&c, t->term) > 0)
                have++;
        }
        analyze_counts_free(&c);
        if ((double)have / (double)n > best)
            best = (double)have / (double)n;
    }
    return best;
}

/* A signal measured (issue 12 section 3, branch scope24): co-occurrence
 * coherence.  Do the question's distinctive words (words.h; its own
 * words, held by the library as written) occur together in one unit of
 * the coach's COACH_SOURCES passages?  The largest, over the units (a
 * whole passage, or one sentence of it when sentences is true), of the
 * share of the question's distinctive term pairs, each pair weighed by
 * the sum of its terms' library IDF, that the unit holds both of.  With
 * all true the words the library does not hold count in the pairs too
 * (and are never held).  1 when fewer than two terms are left.
 * Memory: each unit's term counts are freed before the next. */
#define COHERE_TERMS 16
static double cohere(const struct search_result *sr, bool sentences, bool all)
{
    const struct search_evidence *e = &sr->evidence;
    const struct search_term *t[COHERE_TERMS];
    double total = 0, best = 0;
    size_t i, j, k, n = 0;

    for (i = 0; i < e->nterms && n < COHERE_TERMS; i++) {
        const struct search_term *x = &e->terms[i];
        bool dup = false;
        if (x->source != SEARCH_TERM_QUESTION || x->word == NULL || !words_is_distinctive(x->word))
            continue;
        if (!all && (!x->in_library || x->corrected != NULL))
            continue;
        for (k = 0; k < n; k++)
            dup = dup || strcmp(t[k]->term, x->term) == 0;
        if (!dup)
            t[n++] = x;
    }
    if (n < 2)
        return 1;
    for (i = 0; i < n; i++)
        for (k = i + 1; k < n; k++)
            total += t[i]->idf + t[k]->idf;
    for (j = 0; j < sr->n && j < COACH_SOURCES; j++) {
        const char *p = sr->hits[j].text;
        while (p != NULL && *p != '\0') {
            size_t len = sentences ? strcspn(p, ".?!\n") : strlen(p);
            char *unit = xstrndup(p, len);
            struct analyze_counts c = {0};
            double have = 0;
            analyze_count_text(&c, unit);
            for (i = 0; i < n; i++)
                for (k = i + 1; k < n; k++)
                    if (t[i]->in_library && t[i]->corrected == NULL && t[k]->in_library
                        && t[k]->corrected == NULL && analyze_counts_get(&c, t[i]->term) > 0
                        && analyze_counts_get(&c, t[k]->term) > 0)
                        have += t[i]->idf + t[k]->idf;
            analyze_counts_free(&c);
            free(unit);
            if (have / total > best)
                best = have / total;
            p += len;
            while (*p != '\0' && strchr(".?!\n", *p) != NULL)
                p++;
        }
    }
    return best;
}

/* The question's analysed stems, in order (library/analyze.h: stop words
 * dropped, Porter2), and the words they came from, lower-cased, for the
 * learned word model (route-fit.py --words). */
struct stems {
    json_object *stems, *words;
};

static void add_stem(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct stems *s = ctx;
    char *w = xstrndup(word, wlen);
    size_t i;

    for (i = 0; i < wlen; i++)
        w[i] = (char)tolower((unsigned char)w[i]);
    json_object_array_add(s->stems, json_object_new_string_len(term, (int)len));
    json_object_array_add(s->words, json_object_new_string(w));
    free(w);
}

static bool one(struct db *db, const struct config *cfg, const char *file, json_object *line)
{
    const char *q = str(line, "question"), *boost[DOMAIN_COUNT + 1];
    char *sq;
    unsigned domains;
    size_t nb = 0, i;
    struct search_result sr;
    struct route_evidence ev;
    struct coach_class cls;
    json_object *o, *terms, *hits;

    if (q == NULL)
        return true;
    sq = standalone(line, q);
    domains = route_domains(sq);
    for (i = 0; i < DOMAIN_COUNT; i++)
        if (domains & (1u << i))
            boost[nb++] = domain_name(i);
    boost[nb] = NULL;
    struct search_opts so = {.question = sq,
                             .k = 5,
                             .threshold = -1,
                             .mode = SEARCH_HYBRID,
                             .boost = nb > 0 ? boost : NULL,
                             .untranslated = true}; /* as the coach routes (trans29) */
    if (!search_run(db, cfg, &so, &sr)) {
        search_result_free(&sr);
        free(sq);
        return false;
    }
    evidence_route(&sr, sq, &ev);
    ev.specificity = route_specificity(&sr.evidence);
    ev.followup = strcmp(sq, q) != 0;
    route_classify(sq, true, &ev, &cls);
    o = json_object_new_object();
    json_object_object_add(o, "file", json_object_new_string(file));
    json_object_object_add(o, "id", json_object_new_string(str(line, "id") ? str(line, "id") : ""));
    json_object_object_add(
        o, "category", json_object_new_string(str(line, "category") ? str(line, "category") : ""));
    json_object_object_add(o, "route",
                           json_object_new_string(str(line, "route") ? str(line, "route") : ""));
    json_object_object_add(o, "kind",
                           json_object_new_string(str(line, "kind") ? str(line, "kind") : ""));
    json_object_object_add(o, "question", json_object_new_string(sq));
    json_object_object_add(o, "coverage", json_object_new_double(ev.coverage));
    json_object_object_add(o, "best", json_object_new_double(ev.best));
    json_object_object_add(o, "lexicon", json_object_new_double(ev.lexicon));
    json_object_object_add(o, "unknown", json_object_new_int64((int64_t)ev.unknown_words));
    json_object_object_add(o, "rules", json_object_new_string(route_name(cls.route)));
    json_object_object_add(o, "safety", json_object_new_boolean(cls.safety));
    json_object_object_add(o, "specificity", json_object_new_double(ev.specificity));
    json_object_object_add(o, "distinct_idf", json_object_new_double(ev.distinct_idf));
    json_object_object_add(o, "unheld_nouns", json_object_new_int64((int64_t)ev.unheld_nouns));
    json_object_object_add(o, "unheld_other", json_object_new_int64((int64_t)ev.unheld_other));
    json_object_object_add(o, "plea",
                           json_object_new_boolean(route_too_broad_plea(
                               sq, &(struct route_evidence){.searched = true})));
    json_object_object_add(o, "passage", json_object_new_double(passage_coverage(&sr)));
    json_object_object_add(o, "passage_distinct", json_object_new_double(passage_distinct(&sr)));
    json_object_object_add(o, "cohere_p", json_object_new_double(cohere(&sr, false, false)));
    json_object_object_add(o, "cohere_s", json_object_new_double(cohere(&sr, true, false)));
    json_object_object_add(o, "cohere_pa", json_object_new_double(cohere(&sr, false, true)));
    json_object_object_add(o, "cohere_sa", json_object_new_double(cohere(&sr, true, true)));
    {
        struct words ws;
        words_split(sq, &ws);
        json_object_object_add(o, "distinctive",
                               json_object_new_int64((int64_t)words_distinctive(&ws)));
        json_object_object_add(o, "broad", json_object_new_boolean(route_too_broad(sq)));
        {
            size_t generic = 0, content = 0, k;
            for (k = 0; k < ws.n; k++) {
                if (words_is_stop(ws.w[k]))
                    continue;
                content++;
                generic += words_is_generic(ws.w[k]);
            }
            json_object_object_add(o, "content", json_object_new_int64((int64_t)content));
            json_object_object_add(o, "generic", json_object_new_int64((int64_t)generic));
        }
    }
    {
        struct stems st = {json_object_new_array(), json_object_new_array()};
        analyze_each(sq, add_stem, &st);
        json_object_object_add(o, "stems", st.stems);
        json_object_object_add(o, "stem_words", st.words);
    }
    json_object_object_add(o, "chunks", json_object_new_int64(sr.evidence.library_chunks));
    terms = json_object_new_array();
    for (i = 0; i < sr.evidence.nterms; i++) {
        const struct search_term *t = &sr.evidence.terms[i];
        json_object *x = json_object_new_object();
        json_object_object_add(x, "term", json_object_new_string(t->term));
        json_object_object_add(x, "word", json_object_new_string(t->word ? t->word : ""));
        json_object_object_add(x, "df", json_object_new_int64(t->df));
        json_object_object_add(x, "idf", json_object_new_double(t->idf));
        json_object_object_add(x, "held_idf", json_object_new_double(t->held_idf));
        json_object_object_add(x, "corrected", json_object_new_boolean(t->corrected != NULL));
        json_object_object_add(x, "expanded", json_object_new_boolean(t->expanded));
        json_object_object_add(x, "source", json_object_new_int((int)t->source));
        json_object_object_add(
            x, "distinctive",
            json_object_new_boolean(t->word != NULL && words_is_distinctive(t->word)));
        json_object_array_add(terms, x);
    }
    json_object_object_add(o, "terms", terms);
    hits = json_object_new_array();
    for (i = 0; i < sr.n; i++) {
        json_object *x = json_object_new_object();
        json_object_object_add(
            x, "chapter",
            json_object_new_string(sr.hits[i].chapter_id ? sr.hits[i].chapter_id : ""));
        json_object_object_add(
            x, "book", json_object_new_string(sr.hits[i].book_id ? sr.hits[i].book_id : ""));
        json_object_object_add(
            x, "section", json_object_new_string(sr.hits[i].section ? sr.hits[i].section : ""));
        json_object_object_add(x, "bm25_norm", json_object_new_double(sr.hits[i].bm25_norm));
        json_object_object_add(x, "bm25", json_object_new_double(sr.hits[i].bm25));
        json_object_object_add(x, "score", json_object_new_double(sr.hits[i].score));
        if (sr.hits[i].text != NULL) {
            /* the question's terms the passage holds, with their counts */
            struct analyze_counts c = {0};
            json_object *tf = json_object_new_object();
            size_t k;
            analyze_count_text(&c, sr.hits[i].text);
            for (k = 0; k < sr.evidence.nterms; k++) {
                unsigned n = analyze_counts_get(&c, sr.evidence.terms[k].term);
                if (n > 0)
                    json_object_object_add(tf, sr.evidence.terms[k].term,
                                           json_object_new_int((int)n));
            }
            json_object_object_add(x, "length", json_object_new_int64((int64_t)c.length));
            analyze_counts_free(&c);
            json_object_object_add(x, "tf", tf);
        }
        json_object_array_add(hits, x);
    }
    json_object_object_add(o, "hits", hits);
    puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    search_result_free(&sr);
    free(sq);
    return true;
}

int main(int argc, char **argv)
{
    struct config cfg;
    struct db db;
    char err[256], buf[65536];
    int i, rc = 0;

    log_init("cli", LOG_WARN);
    if (argc < 2) {
        fprintf(stderr, "usage: route-features FILE.jsonl...\n");
        return 2;
    }
    if (!config_load(&cfg, err, sizeof(err))) {
        fprintf(stderr, "route-features: %s\n", err);
        return 2;
    }
    db_init(&db, &cfg);
    if (db_conn(&db) == NULL) {
        fprintf(stderr, "route-features: %s\n", db.last_error);
        config_free(&cfg);
        return 1;
    }
    for (i = 1; i < argc && rc == 0; i++) {
        FILE *f = fopen(argv[i], "r");
        if (f == NULL) {
            perror(argv[i]);
            rc = 1;
            break;
        }
        while (rc == 0 && fgets(buf, sizeof(buf), f) != NULL) {
            json_object *line = json_tokener_parse(buf);
            if (line != NULL && !one(&db, &cfg, argv[i], line))
                rc = 1;
            json_object_put(line);
        }
        fclose(f);
    }
    db_close(&db);
    config_free(&cfg);
    return rc;
}
