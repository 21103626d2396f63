/*
 * Both rankings from one pass (src/library/README.md) against a real
 * library, run by t/integration/search-pair.sh on the starter library,
 * which passes PLCCOACH_DATABASE_URL: for seeded questions drawn from
 * teachers' words (words the translation table translates, the books'
 * own words, acronyms, misspellings, words no book holds), the
 * untranslated and the translated search given a search_pair return
 * exactly what the two searches without one return (every hit, its
 * scores and ranks, and the evidence), and the translated search given
 * the pair reads no postings (fewer statements than on its own).  Prints
 * TAP.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "library/search.h"
#include "tap/basic.h"
#include "util/cfg.h"

#define QUESTIONS 150
#define SEED 29u

static const char *const words[] = {
    /* translated (src/library/trans_model.c) */
    "kids", "parents", "teammates", "min", "wrong", "protocol", "zoom", "year", "wrote", "grading",
    "behind", "bored", "principal", "schedule", "quiz", "homework", "struggling", "messed",
    /* the books' own words */
    "team", "norms", "meeting", "data", "students", "assessment", "goals", "intervention",
    "learning", "collaboration", "standards", "feedback", "agenda", "evidence",
    /* acronyms */
    "CFA", "RTI", "SMART", "PLC", "MTSS", "GVC",
    /* misspelt, and in no book */
    "collaboraton", "asessment", "interventon", "xylophone", "mortgage", "sourdough",
    /* function words */
    "how", "do", "we", "the", "what", "our", "my", "when", "should", "about"};
#define NWORDS (sizeof(words) / sizeof(words[0]))

/* A 32-bit linear congruential draw (the same questions on every run). */
static unsigned draw(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fffu;
}

/* Question i: 2 to 8 words drawn from words[]. */
static void question(unsigned *s, char *q, size_t len)
{
    size_t n = 2 + draw(s) % 7, i, used = 0;

    q[0] = '\0';
    for (i = 0; i < n; i++)
        used +=
            (size_t)snprintf(q + used, len - used, "%s%s", i ? " " : "", words[draw(s) % NWORDS]);
}

static bool same_term(const struct search_term *a, const struct search_term *b)
{
    return strcmp(a->term, b->term) == 0 && strcmp(a->word, b->word) == 0 && a->source == b->source
           && a->df == b->df && a->idf == b->idf && a->weight == b->weight
           && a->held_idf == b->held_idf && a->expanded == b->expanded
           && (a->corrected == NULL) == (b->corrected == NULL)
           && (a->corrected == NULL || strcmp(a->corrected, b->corrected) == 0);
}

/* Whether a and b are the same ranking with the same evidence (scores
 * compared exactly: the same sums in the same order). */
static bool same(const struct search_result *a, const struct search_result *b)
{
    const struct search_evidence *x = &a->evidence, *y = &b->evidence;
    size_t i;

    if (a->n != b->n || a->nothing_relevant != b->nothing_relevant || x->nterms != y->nterms
        || x->nexpansions != y->nexpansions || x->coverage != y->coverage
        || x->best_bm25 != y->best_bm25 || x->max_bm25 != y->max_bm25
        || x->library_chunks != y->library_chunks)
        return false;
    for (i = 0; i < a->n; i++) {
        const struct search_hit *h = &a->hits[i], *k = &b->hits[i];
        if (strcmp(h->chunk_id, k->chunk_id) != 0 || h->bm25 != k->bm25
            || h->bm25_norm != k->bm25_norm || h->fused != k->fused || h->score != k->score
            || h->bm25_rank != k->bm25_rank || h->vec_rank != k->vec_rank)
            return false;
    }
    for (i = 0; i < x->nterms; i++)
        if (!same_term(&x->terms[i], &y->terms[i]))
            return false;
    for (i = 0; i < x->nexpansions; i++)
        if (!same_term(&x->expansions[i], &y->expansions[i]))
            return false;
    return true;
}

/* Searches q (untranslated or not, with pair or none) into res; bails when
 * the database failed. */
static void run(struct db *db, const struct config *cfg, const char *q, bool untranslated,
                struct search_pair *pair, struct search_result *res)
{
    struct search_opts so = {
        .question = q,
        .k = 8,
        .threshold = -1,
        .mode = SEARCH_HYBRID,
        .untranslated = untranslated,
        .pair = pair,
    };

    if (!search_run(db, cfg, &so, res))
        bail("search failed: %s", q);
}

int main(void)
{
    struct config cfg;
    struct db db;
    char err[256], q[256];
    unsigned s = SEED;
    size_t i, differ_u = 0, differ_t = 0, translated = 0, fewer = 0, hits = 0, drawn_proc = 0,
              proc = 0, same_cost = 0;
    static const char *const procedures[] = {"How should our team write CFAs?",
                                             "how do we decide which kids need tier 2"};

    plan(6);
    if (!config_load(&cfg, err, sizeof(err)))
        bail("config: %s", err);
    db_init(&db, &cfg);
    for (i = 0; i < QUESTIONS; i++) {
        struct search_result u1, t1, u2, t2;
        struct search_pair pair = SEARCH_PAIR_INIT;
        unsigned long before, alone, paired;

        question(&s, q, sizeof(q));
        run(&db, &cfg, q, true, NULL, &u1);
        before = db.counts.statements;
        run(&db, &cfg, q, false, NULL, &t1);
        alone = db.counts.statements - before;
        run(&db, &cfg, q, true, &pair, &u2);
        before = db.counts.statements;
        run(&db, &cfg, q, false, &pair, &t2);
        paired = db.counts.statements - before;
        if (!same(&u1, &u2)) {
            differ_u++;
            diag("untranslated rankings differ: %s", q);
        }
        if (!same(&t1, &t2)) {
            differ_t++;
            diag("translated rankings differ: %s", q);
        }
        translated += t1.evidence.nexpansions > u1.evidence.nexpansions;
        /* A procedure question's answer ranking holds fewer WordNet
         * words than its route's (related_how, proc38): it is read on
         * its own, as many statements as alone. */
        if (search_asks_procedure(q) && search_tuning_default.related_how != 1)
            drawn_proc++;
        else
            fewer += paired < alone;
        hits += t1.n;
        search_result_free(&u1);
        search_result_free(&t1);
        search_result_free(&u2);
        search_result_free(&t2);
        search_pair_free(&pair);
    }
    ok(translated >= QUESTIONS / 3 && translated < QUESTIONS,
       "questions with and without translations (%zu of %d translated)", translated, QUESTIONS);
    ok(hits >= QUESTIONS * 4, "they find passages (%zu hits)", hits);
    is_int(0, (long)differ_u, "the untranslated ranking from the pair is the search's own");
    is_int(0, (long)differ_t, "the translated ranking from the pair is the search's own");
    is_int(QUESTIONS - (long)drawn_proc, (long)fewer,
           "the translated search given the pair runs fewer statements");
    /* A procedure question's answer ranking holds fewer WordNet words
     * than its route's (related_how, proc38): read on its own, as many
     * statements as alone, and the same rankings. */
    for (i = 0; i < sizeof(procedures) / sizeof(procedures[0]); i++) {
        struct search_result u1, t1, u2, t2;
        struct search_pair pair = SEARCH_PAIR_INIT;
        unsigned long before, alone, paired;

        run(&db, &cfg, procedures[i], true, NULL, &u1);
        before = db.counts.statements;
        run(&db, &cfg, procedures[i], false, NULL, &t1);
        alone = db.counts.statements - before;
        run(&db, &cfg, procedures[i], true, &pair, &u2);
        before = db.counts.statements;
        run(&db, &cfg, procedures[i], false, &pair, &t2);
        paired = db.counts.statements - before;
        proc += search_asks_procedure(procedures[i]);
        same_cost += paired == alone && same(&u1, &u2) && same(&t1, &t2);
        search_result_free(&u1);
        search_result_free(&t1);
        search_result_free(&u2);
        search_result_free(&t2);
        search_pair_free(&pair);
    }
    is_int(
        (long)(proc + sizeof(procedures) / sizeof(procedures[0])), (long)(2 * same_cost),
        "a procedure question's rankings given the pair are its own, read on their own (proc38)");
    db_close(&db);
    config_free(&cfg);
    return 0;
}
