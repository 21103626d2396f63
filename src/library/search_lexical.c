/*
 * The BM25 side of retrieval; see search_lexical.h and
 * src/library/README.md, "Lexical retrieval, exactly".
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "db/acronyms.h"
#include "db/db.h"
#include "db/lexicon.h"
#include "db/related.h"
#include "library/analyze.h"
#include "library/bm25.h"
#include "library/lexical.h"
#include "library/search_lexical.h"
#include "library/initials.h"
#include "library/synonyms.h"
#include "library/trans.h"
#include "library/trans_model.h"
#include "util/alloc.h"
#include "util/log.h"

#define TYPO_CANDIDATES 5   /* vocabulary terms considered per unknown word */
#define TYPO_MIN_LEN 4      /* shorter unknown terms are left alone */
#define FB_CANDIDATES 4     /* RM3: fb_terms x this many candidates get their df checked */
#define RELATED_PER_KEY 24  /* related terms read per question word or word pair */
#define SPELLED_PER_WORD 3  /* phrases read per capitalised question word */
#define SPELLED_DOMINANCE 2 /* the first phrase needs this many times the second's passages */

/* A query term while the query is built. */
struct qterm {
    char term[ANALYZE_TERM_MAX];
    const char *word; /* in the arena */
    enum search_term_source source;
    double weight;
    double own; /* weight in the own score: 1 for the question's terms, 1 for a
                 * typo's correction, 1/m for each of the m held phrase terms
                 * of an unknown acronym; 0 otherwise */
    int64_t df;
    double idf;
    size_t corrected;    /* question term: index of its TYPO term, or NONE */
    size_t stands_for;   /* synonym term: the question term (an acronym) it expands, or NONE */
    bool expanded;       /* question term: unknown, but its phrase is held */
    double held_idf;     /* corrected or expanded question term: see search.h */
    bool translation;    /* added by translations() */
    double untranslated; /* a related term whose weight translations() raised:
                          * the weight before; -1 otherwise */
};

#define NONE ((size_t)-1)

/* What the first ranking of a pair read from the database, so that the
 * second reads none of it again (search_lexical_run(); src/library/
 * README.md, "Both rankings from one pass"): WordNet's related words, the
 * terms' df and the library's statistics, the typo candidates, and the
 * postings.  The first ranking is the translated one, whose terms include
 * every term of the untranslated one. */
struct lexical_memo {
    struct arena arena; /* owns the arrays below and their strings */
    bool replay;        /* false: the first ranking, recording; true: the second */
    struct related_hit *related;
    size_t nrelated;
    const char **sim_words; /* the unknown words the typo candidates are for */
    size_t nsim_words;
    struct lexicon_similar *sim;
    size_t nsim;
    const char **df_terms;
    int64_t *df;
    size_t ndf;
    struct lexicon_stats st;
    bool spelled_read; /* the acronym phrases below were read */
    struct acronym_hit *spelled;
    size_t nspelled;
    struct lexical_cache cache; /* the first ranking's cache: every postings list read */
};

struct query {
    struct qterm *v;
    size_t n, cap;
    struct arena *a;
    const char **seq; /* the question's terms in order, repeats kept (in the arena) */
    size_t nseq;
};

static ssize_t find(const struct query *q, const char *term)
{
    size_t i;
    for (i = 0; i < q->n; i++)
        if (strcmp(q->v[i].term, term) == 0)
            return (ssize_t)i;
    return -1;
}

static struct qterm *add(struct query *q, const char *term, const char *word, size_t wlen,
                         enum search_term_source source, double weight, double own)
{
    struct qterm *t;

    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 16;
        q->v = xrealloc(q->v, q->cap * sizeof(*q->v));
    }
    t = &q->v[q->n++];
    memset(t, 0, sizeof(*t));
    snprintf(t->term, sizeof(t->term), "%s", term);
    t->word = arena_strndup(q->a, word, wlen);
    t->source = source;
    t->weight = weight;
    t->own = own;
    t->corrected = NONE;
    t->stands_for = NONE;
    t->untranslated = -1;
    return t;
}

static void question_term(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct query *q = ctx;
    ssize_t i = find(q, term);

    (void)len;
    if ((q->nseq & (q->nseq - 1)) == 0) { /* 0, 1, 2, 4, ...: grow */
        const char **seq = arena_alloc(q->a, (q->nseq ? q->nseq * 2 : 8) * sizeof(*seq));
        if (q->nseq > 0)
            memcpy(seq, q->seq, q->nseq * sizeof(*seq));
        q->seq = seq;
    }
    q->seq[q->nseq++] = arena_strdup(q->a, term);
    if (i >= 0)
        q->v[i].weight += 1; /* query term frequency */
    else
        (void)add(q, term, word, wlen, SEARCH_TERM_QUESTION, 1, 1);
}

struct syn_ctx {
    struct query *q;
    const char *source;
    size_t stands_for; /* the question term the source is, or NONE (a phrase) */
    double base;       /* w_synonym */
    double weight;     /* of each term of the current expansion */
};

static void synonym_term(void *ctx, const char *term, size_t len, const char *word, size_t wlen)
{
    struct syn_ctx *s = ctx;
    ssize_t i = find(s->q, term);

    (void)len;
    (void)word;
    (void)wlen;
    if (i < 0) {
        struct qterm *t =
            add(s->q, term, s->source, strlen(s->source), SEARCH_TERM_SYNONYM, s->weight, 0);
        t->stands_for = s->stands_for;
    } else if (s->q->v[i].source == SEARCH_TERM_SYNONYM && s->q->v[i].weight < s->weight) {
        s->q->v[i].weight = s->weight;
    }
}

static void synonym_expansion(void *ctx, const char *expansion, const char *source)
{
    struct syn_ctx *s = ctx;
    char term[ANALYZE_TERM_MAX];
    size_t n = analyze_word(source, strlen(source), term);
    ssize_t i = n > 0 && strchr(source, ' ') == NULL ? find(s->q, term) : -1;

    size_t m = analyze_each(expansion, NULL, NULL);

    /* The phrase's terms share the acronym's place: w_synonym / m each. */
    s->source = source;
    s->stands_for = i >= 0 && s->q->v[i].source == SEARCH_TERM_QUESTION ? (size_t)i : NONE;
    s->weight = m > 0 ? s->base / (double)m : s->base;
    analyze_each(expansion, synonym_term, s);
}

/* An unknown question acronym whose phrase the library holds stands in
 * through the phrase's held terms, each with own weight 1 / their number. */
static void expansion_stand_ins(struct query *q)
{
    size_t i, j;

    for (i = 0; i < q->n; i++) {
        size_t m = 0;
        if (q->v[i].source != SEARCH_TERM_QUESTION || q->v[i].df > 0)
            continue;
        for (j = 0; j < q->n; j++)
            m += q->v[j].stands_for == i && q->v[j].df > 0;
        if (m == 0)
            continue;
        q->v[i].expanded = true;
        for (j = 0; j < q->n; j++)
            if (q->v[j].stands_for == i && q->v[j].df > 0 && q->v[j].own < 1.0 / (double)m)
                q->v[j].own = 1.0 / (double)m;
    }
}

/* Acronyms the library spells out (initials.h): each capitalised
 * question word that is not on the acronym list, nor a thesaurus or stop
 * word, nor a term of the library, and whose initials one phrase of the
 * library's text has (or one phrase held by at least SPELLED_DOMINANCE
 * times the passages of the next), is expanded to that phrase as the
 * list's acronyms are (synonym_expansion(), w_synonym).  One statement,
 * none when the question has no such word; a pair's second ranking reads
 * the first's answer from the memo. */
static bool spelled_acronyms(struct db *db, struct query *q, const char *question,
                             const struct search_tuning *t, struct lexical_memo *m)
{
    struct initials_word w[INITIALS_QUESTION_MAX];
    const char *initials[INITIALS_QUESTION_MAX], *terms[INITIALS_QUESTION_MAX];
    char stems[INITIALS_QUESTION_MAX][ANALYZE_TERM_MAX];
    struct syn_ctx s = {.q = q, .stands_for = NONE, .base = t->w_synonym};
    struct acronym_hit *hits;
    size_t n = initials_question(question, w, INITIALS_QUESTION_MAX), nhits, i, j;

    if (n == 0)
        return true;
    if (m != NULL && m->replay && m->spelled_read) {
        hits = m->spelled;
        nhits = m->nspelled;
    } else {
        for (i = 0; i < n; i++) {
            if (analyze_word(w[i].lower, strlen(w[i].lower), stems[i]) == 0)
                stems[i][0] = '\0';
            initials[i] = w[i].initials;
            terms[i] = stems[i];
        }
        if (acronyms_lookup(db, initials, terms, n, SPELLED_PER_WORD, m != NULL ? &m->arena : q->a,
                            &hits, &nhits)
            != DB_OK)
            return false;
        if (m != NULL && !m->replay) {
            m->spelled = hits;
            m->nspelled = nhits;
            m->spelled_read = true;
        }
    }
    /* Rows come grouped by word, most passages first. */
    for (i = 0; i < nhits; i = j) {
        for (j = i + 1; j < nhits && hits[j].word == hits[i].word; j++)
            ;
        if (hits[i].word >= n
            || (j > i + 1 && hits[i].passages < SPELLED_DOMINANCE * hits[i + 1].passages))
            continue;
        synonym_expansion(&s, hits[i].phrase, w[hits[i].word].lower);
    }
    return true;
}

/* The idf standing in for corrected and expanded question terms. */
static void held_idf(struct query *q)
{
    size_t i, j;

    for (i = 0; i < q->n; i++) {
        struct qterm *t = &q->v[i];
        if (t->corrected != NONE) {
            t->held_idf = q->v[t->corrected].idf;
        } else if (t->expanded) {
            double sum = 0;
            size_t m = 0;
            for (j = 0; j < q->n; j++)
                if (q->v[j].stands_for == i && q->v[j].df > 0) {
                    sum += q->v[j].idf;
                    m++;
                }
            t->held_idf = m ? sum / (double)m : t->idf;
        }
    }
}

/* Related words (WordNet, related.h): the question's terms and pairs of
 * adjacent terms are looked up; the related terms some passage holds that
 * are not in the query yet join it, the m terms of one key sharing
 * weight (weight / m each; a term two keys bring takes the larger
 * share).  They count nothing in the own score. */
static bool related_words(struct db *db, struct query *q, const struct search_tuning *t,
                          double weight, struct lexical_memo *m)
{
    size_t nkeys = 0, i, nhits;
    const char **keys = xmalloc((2 * q->nseq + 1) * sizeof(*keys));
    struct related_hit *hits;
    size_t *fresh;
    bool ok;

    for (i = 0; i < q->nseq; i++) {
        keys[nkeys++] = q->seq[i];
        if (i + 1 < q->nseq)
            keys[nkeys++] = arena_printf(q->a, "%s %s", q->seq[i], q->seq[i + 1]);
    }
    if (m != NULL && m->replay) { /* the same keys: the same question */
        hits = m->related;
        nhits = m->nrelated;
        ok = true;
    } else {
        ok = related_lookup(db, keys, nkeys, t->related_rel, RELATED_PER_KEY,
                            m != NULL ? &m->arena : q->a, &hits, &nhits)
             == DB_OK;
        if (ok && m != NULL) {
            m->related = hits;
            m->nrelated = nhits;
        }
    }
    fresh = xcalloc(nkeys ? nkeys : 1, sizeof(*fresh));
    for (i = 0; ok && i < nhits; i++)
        if (find(q, hits[i].term) < 0 || q->v[find(q, hits[i].term)].source == SEARCH_TERM_RELATED)
            fresh[hits[i].key]++;
    for (i = 0; ok && i < nhits; i++) {
        ssize_t k = find(q, hits[i].term);
        double w;
        if (fresh[hits[i].key] == 0 || (k >= 0 && q->v[k].source != SEARCH_TERM_RELATED))
            continue;
        w = weight / (double)fresh[hits[i].key];
        if (k < 0) {
            struct qterm *nt = add(q, hits[i].term, keys[hits[i].key], strlen(keys[hits[i].key]),
                                   SEARCH_TERM_RELATED, w, 0);
            nt->df = hits[i].df;
        } else if (q->v[k].weight < w) {
            q->v[k].weight = w;
        }
    }
    free(fresh);
    free(keys);
    return ok;
}

/* Whether the acronym list or the thesaurus expands question term i. */
static bool stands_for_some(const struct query *q, size_t i)
{
    size_t j;

    for (j = 0; j < q->n; j++)
        if (q->v[j].stands_for == i)
            return true;
    return false;
}

/* Translations (trans_model.h): each question term's book words with
 * p(w | q) >= trans_floor join the query as RELATED terms of weight
 * w_trans x p(w | q), capped at the question term's own weight (a
 * translation never outweighs the word it comes from); a word several
 * question terms bring takes the largest.  A question word the acronym
 * list or the thesaurus expands (synonyms.h) is not translated: the list
 * says what it means.  A word already in the query from the question or
 * the lists is left as it is (a WordNet related word takes the larger
 * weight); words the library lacks get df 0 and score nothing.  They
 * count nothing in the own score.  src/library/README.md, "Translations". */
static void translations(struct query *q, const struct trans_entry *table, size_t ntable,
                         double w_trans, double floor)
{
    size_t nq = q->n, i, j, m;

    for (i = 0; i < nq; i++) {
        const struct trans_entry *e;
        if (q->v[i].source != SEARCH_TERM_QUESTION || stands_for_some(q, i))
            continue;
        e = trans_lookup(table, ntable, q->v[i].term, &m);
        for (j = 0; j < m; j++) {
            ssize_t k = find(q, e[j].w);
            double w = w_trans * e[j].p;
            if (e[j].p < floor)
                continue;
            if (w > q->v[i].weight)
                w = q->v[i].weight;
            if (k < 0) {
                add(q, e[j].w, q->v[i].word, strlen(q->v[i].word), SEARCH_TERM_RELATED, w, 0)
                    ->translation = true;
            } else if (q->v[k].source == SEARCH_TERM_RELATED && q->v[k].weight < w) {
                if (!q->v[k].translation && q->v[k].untranslated < 0)
                    q->v[k].untranslated = q->v[k].weight;
                q->v[k].weight = w;
            }
        }
    }
}

/* The translations' df ceiling (trans_max_df, trans_min_df), once every
 * df is known: a translation too common (search_trans_too_common()) is
 * taken out of the query, as if the table did not hold it (a related
 * word it raised gets its own weight back), so its postings are never
 * read.  Such a word carries little idf (Lucene's idf of a word in 30 %
 * of the passages is 1.2, in 45 % 0.8), and past postings_cap each costs
 * a capped read of every book's list.  Translations come last in the
 * query and nothing refers to them.  src/library/README.md,
 * "Translations"; docs/performance.md, "perf32". */
static void trans_ceiling(struct query *q, const struct search_tuning *t, double n_docs)
{
    size_t i, kept = 0;

    for (i = 0; i < q->n; i++) {
        struct qterm *v = &q->v[i];
        bool common = search_trans_too_common(t, v->df, n_docs);
        if (common && v->translation)
            continue;
        if (common && v->untranslated >= 0)
            v->weight = v->untranslated;
        if (kept != i)
            q->v[kept] = *v;
        kept++;
    }
    q->n = kept;
}

/* The question's terms and the acronym list's and thesaurus's terms
 * (search_lexical(), before the library is consulted). */
static void question_query(struct query *q, const char *question, const struct search_tuning *t)
{
    analyze_each(question, question_term, q);
    if (t->w_synonym > 0) {
        struct syn_ctx s = {.q = q, .stands_for = NONE, .base = t->w_synonym};
        synonyms_each(question, synonym_expansion, &s);
    }
    if (t->w_thesaurus > 0) {
        struct syn_ctx s = {.q = q, .stands_for = NONE, .base = t->w_thesaurus};
        synonyms_thesaurus_each(question, synonym_expansion, &s);
    }
}

size_t search_translate(const char *question, const struct search_tuning *t,
                        const struct trans_entry *table, size_t ntable, struct arena *a,
                        struct search_term **out)
{
    struct query q = {NULL, 0, 0, a, NULL, 0};
    size_t i, n = 0, nq;

    question_query(&q, question, t);
    nq = q.n;
    if (t->w_trans > 0)
        translations(&q, table, ntable, t->w_trans, t->trans_floor);
    *out = arena_alloc(a, (q.n > nq ? q.n - nq : 1) * sizeof(**out));
    for (i = nq; i < q.n; i++, n++) {
        memset(&(*out)[n], 0, sizeof((*out)[n]));
        (*out)[n].term = arena_strdup(a, q.v[i].term);
        (*out)[n].word = q.v[i].word;
        (*out)[n].source = q.v[i].source;
        (*out)[n].weight = q.v[i].weight;
    }
    free(q.v);
    return n;
}

/* Says once per process that n books' postings were built by another
 * version of the text analysis (ANALYZE_VERSION): their words may not
 * meet the question's until `plccoach reindex --lexical` rebuilds them
 * (docs/operations.md, "Upgrading"). */
static void stale_warning(int64_t n)
{
    static bool said;

    if (said)
        return;
    said = true;
    log_warn("search: %lld book(s) were indexed by another version of the text analysis "
             "than this one's (%d): run plccoach reindex --lexical",
             (long long)n, ANALYZE_VERSION);
}

/* Fills df of terms [from, q->n) and stats from the memo's; false (q
 * perhaps partly filled) when a term is not in it. */
static bool memo_df(const struct lexical_memo *m, struct query *q, size_t from,
                    struct lexicon_stats *stats)
{
    size_t i, j;

    for (i = from; i < q->n; i++) {
        for (j = 0; j < m->ndf && strcmp(m->df_terms[j], q->v[i].term) != 0; j++)
            ;
        if (j == m->ndf)
            return false;
        q->v[i].df = m->df[j];
    }
    *stats = m->st;
    return true;
}

/* Keeps terms [from, q->n)'s df and stats in the memo. */
static void memo_keep_df(struct lexical_memo *m, const struct query *q, size_t from,
                         const struct lexicon_stats *stats)
{
    size_t n = m->ndf + (q->n - from), i;
    const char **terms = arena_alloc(&m->arena, (n ? n : 1) * sizeof(*terms));
    int64_t *df = arena_alloc(&m->arena, (n ? n : 1) * sizeof(*df));

    if (m->ndf > 0) {
        memcpy(terms, m->df_terms, m->ndf * sizeof(*terms));
        memcpy(df, m->df, m->ndf * sizeof(*df));
    }
    for (i = from; i < q->n; i++) {
        terms[m->ndf] = arena_strdup(&m->arena, q->v[i].term);
        df[m->ndf++] = q->v[i].df;
    }
    m->df_terms = terms;
    m->df = df;
    m->st = *stats;
}

/* Fills df and idf of terms [from, q->n) and, when stats is not NULL,
 * the library's statistics; with a memo (stats not NULL), from it or
 * into it. */
static bool lookup_df(struct db *db, struct query *q, size_t from, struct lexicon_stats *stats,
                      struct lexical_memo *m)
{
    size_t n = q->n - from, i;
    const char **terms = xmalloc((n ? n : 1) * sizeof(*terms));
    int64_t *df = xcalloc(n ? n : 1, sizeof(*df));
    struct lexicon_stats st;
    bool ok;

    if (m != NULL && m->replay && stats != NULL && memo_df(m, q, from, stats)) {
        free(terms);
        free(df);
        return true;
    }
    for (i = 0; i < n; i++)
        terms[i] = q->v[from + i].term;
    ok = lexicon_df(db, terms, n, ANALYZE_VERSION, &st, df) == DB_OK;
    if (ok && st.stale > 0)
        stale_warning(st.stale);
    if (ok) {
        for (i = 0; i < n; i++)
            q->v[from + i].df = df[i];
        if (stats != NULL)
            *stats = st;
        if (stats != NULL && m != NULL && !m->replay)
            memo_keep_df(m, q, from, &st);
    }
    free(terms);
    free(df);
    return ok;
}

static bool alphabetic(const char *s)
{
    for (; *s != '\0'; s++)
        if (!isalpha((unsigned char)*s))
            return false;
    return true;
}

/* Matches the question's unknown words to the vocabulary: a candidate
 * within edit distance 1 (terms of up to 5 letters) or 2 (longer), the
 * closest first, then the most similar by trigrams, then the most
 * frequent.  Adds it as a TYPO term standing for the word. */
/* The typo candidates of words[0..nw): the memo's when it asked about the
 * same words, else the database's (kept in the memo, if any). */
static bool similar(struct db *db, const char **words, size_t nw, const struct search_tuning *t,
                    struct lexical_memo *m, struct arena *a, struct lexicon_similar **sim,
                    size_t *ns)
{
    size_t i;
    bool ok;

    if (m != NULL && m->replay && m->nsim_words == nw) {
        for (i = 0; i < nw && strcmp(m->sim_words[i], words[i]) == 0; i++)
            ;
        if (i == nw) {
            *sim = m->sim;
            *ns = m->nsim;
            return true;
        }
    }
    ok = lexicon_similar(db, words, nw, t->typo_min_sim, TYPO_CANDIDATES, m != NULL ? &m->arena : a,
                         sim, ns)
         == DB_OK;
    if (ok && m != NULL && !m->replay) {
        m->sim_words = arena_alloc(&m->arena, nw * sizeof(*m->sim_words));
        for (i = 0; i < nw; i++)
            m->sim_words[i] = arena_strdup(&m->arena, words[i]);
        m->nsim_words = nw;
        m->sim = *sim;
        m->nsim = *ns;
    }
    return ok;
}

static bool correct_typos(struct db *db, struct query *q, const struct search_tuning *t,
                          struct lexical_memo *m)
{
    const char **words = xmalloc((q->n ? q->n : 1) * sizeof(*words));
    size_t *which = xmalloc((q->n ? q->n : 1) * sizeof(*which));
    struct lexicon_similar *sim;
    size_t nw = 0, ns, i, j, nq = q->n;
    bool ok;

    for (i = 0; i < nq; i++)
        if (q->v[i].source == SEARCH_TERM_QUESTION && q->v[i].df == 0 && !q->v[i].expanded
            && strlen(q->v[i].term) >= TYPO_MIN_LEN && alphabetic(q->v[i].term)) {
            words[nw] = q->v[i].term;
            which[nw++] = i;
        }
    ok = nw == 0 || similar(db, words, nw, t, m, q->a, &sim, &ns);
    for (i = 0; ok && i < nw; i++) {
        struct qterm *orig = &q->v[which[i]];
        size_t limit = strlen(orig->term) <= 5 ? 1 : 2, best_d = limit + 1;
        const struct lexicon_similar *best = NULL;
        for (j = 0; j < ns; j++) {
            size_t d;
            if (sim[j].word != i)
                continue;
            d = search_edit_distance(orig->term, sim[j].term, limit);
            if (d > limit)
                continue;
            if (best == NULL || d < best_d
                || (d == best_d
                    && (sim[j].similarity > best->similarity
                        || (sim[j].similarity == best->similarity && sim[j].df > best->df)))) {
                best = &sim[j];
                best_d = d;
            }
        }
        if (best != NULL) {
            ssize_t k = find(q, best->term);
            double w = orig->weight;
            if (k < 0) {
                struct qterm *nt =
                    add(q, best->term, orig->word, strlen(orig->word), SEARCH_TERM_TYPO, w, 1);
                nt->df = best->df;
                k = (ssize_t)(q->n - 1);
            } else {
                q->v[k].weight += w;
                if (q->v[k].own < 1)
                    q->v[k].own = 1;
            }
            q->v[which[i]].corrected = (size_t)k; /* q->v may have moved */
        }
    }
    free(words);
    free(which);
    return ok;
}

/* Scores the query into acc. */
static bool pass(struct db *db, struct lexical_cache *cache, const struct query *q,
                 const struct bm25_params *p, double avglen, const struct search_tuning *t,
                 unsigned domains, struct bm25_acc *acc)
{
    struct lexical_term *lt = xcalloc(q->n ? q->n : 1, sizeof(*lt));
    size_t i;
    bool ok;

    for (i = 0; i < q->n; i++) {
        lt[i].term = q->v[i].term;
        lt[i].weight = q->v[i].weight;
        lt[i].own = q->v[i].own;
        lt[i].df = q->v[i].df;
        lt[i].idf = q->v[i].idf;
    }
    ok = lexical_score(db, cache, lt, q->n, p, &search_evidence_params, avglen, t->postings_cap,
                       domains, acc);
    free(lt);
    return ok;
}

/* RM3: re-weights q with the relevance model of the top passages of acc
 * (adding FEEDBACK terms).  The library holds n_docs passages. */
static bool feedback(struct db *db, struct query *q, const struct search_tuning *t,
                     const struct bm25_acc *acc, const struct lexical_cache *cache, double n_docs)
{
    struct bm25_hit *top = xmalloc(t->fb_docs * sizeof(*top));
    size_t ntop = bm25_acc_top(acc, t->fb_docs, top), i, nrm, ncand, kept = 0, nfinal;
    const char **books = xmalloc((ntop ? ntop : 1) * sizeof(*books));
    int *ords = xmalloc((ntop ? ntop : 1) * sizeof(*ords));
    const char **texts = xmalloc((ntop ? ntop : 1) * sizeof(*texts));
    struct analyze_counts *counts = xcalloc(ntop ? ntop : 1, sizeof(*counts));
    struct bm25_fb_doc *docs = xcalloc(ntop ? ntop : 1, sizeof(*docs));
    struct bm25_wterm *rm = NULL, *qv = NULL, *final = NULL, *fb = NULL;
    struct query cand = {NULL, 0, 0, q->a, NULL, 0};
    bool ok;

    for (i = 0; i < ntop; i++) {
        books[i] = cache->books[top[i].book];
        ords[i] = (int)top[i].ordinal;
    }
    ok = lexicon_passage_texts(db, books, ords, ntop, q->a, texts) == DB_OK;
    if (!ok || ntop == 0)
        goto done;
    for (i = 0; i < ntop; i++) {
        if (texts[i] != NULL)
            analyze_count_text(&counts[i], texts[i]);
        docs[i].terms = &counts[i];
        docs[i].score = top[i].score;
    }
    nrm = bm25_rm_estimate(docs, ntop, &rm);
    /* The best candidates, their df (known for query terms), then the
     * common ones dropped and fb_terms kept. */
    ncand = nrm < t->fb_terms * FB_CANDIDATES ? nrm : t->fb_terms * FB_CANDIDATES;
    for (i = 0; i < ncand; i++)
        (void)add(&cand, rm[i].term, "", 0, SEARCH_TERM_FEEDBACK, rm[i].weight, 0);
    ok = lookup_df(db, &cand, 0, NULL, NULL);
    if (!ok)
        goto done;
    fb = xmalloc(t->fb_terms * sizeof(*fb));
    for (i = 0; i < cand.n && kept < t->fb_terms; i++)
        if (cand.v[i].df > 0 && (double)cand.v[i].df <= t->fb_max_df * n_docs) {
            memcpy(fb[kept].term, cand.v[i].term, sizeof(fb[kept].term));
            fb[kept++].weight = cand.v[i].weight;
        }
    qv = xmalloc((q->n ? q->n : 1) * sizeof(*qv));
    for (i = 0; i < q->n; i++) {
        memcpy(qv[i].term, q->v[i].term, sizeof(qv[i].term));
        qv[i].weight = q->v[i].df > 0 ? q->v[i].weight : 0;
    }
    nfinal = bm25_rm_interpolate(qv, q->n, fb, kept, t->fb_alpha, &final);
    /* Apply: existing terms take their new weight, new ones are added. */
    for (i = 0; i < q->n; i++)
        q->v[i].weight = 0;
    for (i = 0; i < nfinal; i++) {
        ssize_t k = find(q, final[i].term);
        if (k >= 0) {
            q->v[k].weight = final[i].weight;
        } else {
            ssize_t c = find(&cand, final[i].term);
            struct qterm *nt =
                add(q, final[i].term, "", 0, SEARCH_TERM_FEEDBACK, final[i].weight, 0);
            nt->df = c >= 0 ? cand.v[c].df : 0;
            nt->idf = bm25_idf(n_docs, (double)nt->df);
        }
    }
done:
    for (i = 0; i < ntop; i++)
        analyze_counts_free(&counts[i]);
    free(counts);
    free(docs);
    free(top);
    free(books);
    free(ords);
    free(texts);
    free(rm);
    free(fb);
    free(qv);
    free(final);
    free(cand.v);
    return ok;
}

/* Copies the evidence out of q. */
static void evidence(const struct query *q, struct arena *a, struct search_evidence *ev)
{
    size_t i, nt = 0, ne = 0;

    ev->terms = arena_alloc(a, (q->n ? q->n : 1) * sizeof(*ev->terms));
    ev->expansions = arena_alloc(a, (q->n ? q->n : 1) * sizeof(*ev->expansions));
    for (i = 0; i < q->n; i++) {
        const struct qterm *t = &q->v[i];
        struct search_term *o =
            t->source == SEARCH_TERM_QUESTION ? &ev->terms[nt++] : &ev->expansions[ne++];
        o->term = arena_strdup(a, t->term);
        o->word = arena_strdup(a, t->word);
        o->source = t->source;
        o->df = t->df;
        o->idf = t->idf;
        o->in_library = t->df > 0;
        o->corrected = t->corrected != NONE ? arena_strdup(a, q->v[t->corrected].term) : NULL;
        o->expanded = t->expanded;
        o->held_idf = t->held_idf;
        o->weight = t->weight;
    }
    ev->nterms = nt;
    ev->nexpansions = ne;
}

/* A cache of its own for the second ranking of a pair, holding the lists
 * the first read (still the first's: c's arrays are c's, the lists'
 * bytes are from's); its books are numbered afresh, in the order this
 * ranking meets them, as a search of its own numbers them. */
static void cache_seed(struct lexical_cache *c, const struct lexical_cache *from)
{
    memset(c, 0, sizeof(*c));
    c->terms = xmalloc((from->nterms ? from->nterms : 1) * sizeof(*c->terms));
    c->lists = xmalloc((from->nlists + 1) * sizeof(*c->lists));
    if (from->nterms > 0)
        memcpy(c->terms, from->terms, from->nterms * sizeof(*c->terms));
    if (from->nlists > 0)
        memcpy(c->lists, from->lists, from->nlists * sizeof(*c->lists));
    c->nterms = from->nterms;
    c->nlists = from->nlists;
}

/* search_lexical(), with m NULL; with a memo, the first ranking of a pair
 * (m->replay false) records in m what it reads, and keeps its postings in
 * m->cache; the second (m->replay true) reads them from m. */
static bool rank(struct db *db, const char *question, const struct search_tuning *t,
                 unsigned domains, size_t want, struct lexical_memo *m, struct arena *a,
                 struct lexical_ranked **out, size_t *n, struct search_evidence *ev)
{
    struct bm25_params p = {t->k1, t->b, t->w_section, t->w_chapter};
    struct query q = {NULL, 0, 0, a, NULL, 0};
    struct lexical_cache own, *cache = m != NULL && !m->replay ? &m->cache : &own;
    struct lexicon_stats st = {0, 0, 0};
    struct bm25_acc acc;
    struct bm25_hit *top = NULL;
    double avglen, max = 0, related;
    size_t i, ntop;
    bool ok = false;

    if (m != NULL && m->replay)
        cache_seed(&own, &m->cache);
    else
        memset(&own, 0, sizeof(own));
    memset(&acc, 0, sizeof(acc));
    memset(ev, 0, sizeof(*ev));
    *out = NULL;
    *n = 0;
    question_query(&q, question, t);
    if (t->spelled && t->w_synonym > 0 && !spelled_acronyms(db, &q, question, t, m))
        goto done;
    /* A question asking for a procedure takes related_how of them
     * (search_asks_procedure(); docs/performance.md, "proc38"). */
    related = t->w_related * (search_asks_procedure(question) ? t->related_how : 1);
    if (related > 0 && !related_words(db, &q, t, related, m))
        goto done;
    if (t->w_trans > 0)
        translations(&q, trans_model, trans_model_n, t->w_trans, t->trans_floor);
    if (!lookup_df(db, &q, 0, &st, m))
        goto done;
    if (t->w_trans > 0)
        trans_ceiling(&q, t, (double)st.chunks);
    expansion_stand_ins(&q);
    if (t->typos && !correct_typos(db, &q, t, m))
        goto done;
    avglen = st.chunks > 0 ? (double)st.length / (double)st.chunks : 1;
    for (i = 0; i < q.n; i++)
        q.v[i].idf = bm25_idf((double)st.chunks, (double)q.v[i].df);
    held_idf(&q);
    for (i = 0; i < q.n; i++)
        if (q.v[i].source == SEARCH_TERM_QUESTION)
            max += bm25_term_max(&search_evidence_params,
                                 q.v[i].corrected != NONE || q.v[i].expanded ? q.v[i].held_idf
                                                                             : q.v[i].idf);
    if (!pass(db, cache, &q, &p, avglen, t, domains, &acc))
        goto done;
    ev->best_bm25 = bm25_acc_best_own(&acc);
    if (t->fb_docs > 0 && acc.n > 0) {
        if (!feedback(db, &q, t, &acc, cache, (double)st.chunks))
            goto done;
        bm25_acc_free(&acc);
        if (!pass(db, cache, &q, &p, avglen, t, domains, &acc))
            goto done;
    }
    top = xmalloc((want ? want : 1) * sizeof(*top));
    ntop = bm25_acc_top(&acc, want, top);
    *out = arena_alloc(a, (ntop ? ntop : 1) * sizeof(**out));
    for (i = 0; i < ntop; i++) {
        (*out)[i].book_id = arena_strdup(a, cache->books[top[i].book]);
        (*out)[i].ordinal = (int)top[i].ordinal;
        (*out)[i].score = top[i].score;
        (*out)[i].norm = max > 0 ? top[i].own / max : 0;
    }
    *n = ntop;
    ok = true;
done:
    evidence(&q, a, ev);
    ev->coverage = search_coverage(ev->terms, ev->nterms);
    ev->max_bm25 = max;
    ev->best_bm25_norm = max > 0 ? ev->best_bm25 / max : 0;
    ev->library_chunks = st.chunks;
    ev->avg_length = st.chunks > 0 ? (double)st.length / (double)st.chunks : 0;
    free(top);
    bm25_acc_free(&acc);
    lexical_cache_free(&own);
    free(q.v);
    return ok;
}

bool search_lexical(struct db *db, const char *question, const struct search_tuning *t,
                    unsigned domains, size_t want, struct arena *a, struct lexical_ranked **out,
                    size_t *n, struct search_evidence *ev)
{
    return rank(db, question, t, domains, want, NULL, a, out, n, ev);
}

/* ---- both rankings from one pass (src/library/README.md) ---------------- */

/* The translated BM25 list of one question, kept for the translated
 * search that may follow (struct search_pair). */
struct search_pair_entry {
    struct search_pair_entry *next;
    const char *question;
    const struct search_tuning *tuning; /* the translated search's */
    unsigned domains;
    size_t want;
    struct lexical_ranked *lex;
    size_t n;
    struct search_evidence ev;
};

/* Copies n ranked passages into a. */
static struct lexical_ranked *ranked_copy(struct arena *a, const struct lexical_ranked *v, size_t n)
{
    struct lexical_ranked *c = arena_alloc(a, (n ? n : 1) * sizeof(*c));
    size_t i;

    for (i = 0; i < n; i++) {
        c[i] = v[i];
        c[i].book_id = arena_strdup(a, v[i].book_id);
    }
    return c;
}

static struct search_term *terms_copy(struct arena *a, const struct search_term *v, size_t n)
{
    struct search_term *c = arena_alloc(a, (n ? n : 1) * sizeof(*c));
    size_t i;

    for (i = 0; i < n; i++) {
        c[i] = v[i];
        c[i].term = arena_strdup(a, v[i].term);
        c[i].word = arena_strdup(a, v[i].word);
        c[i].corrected = v[i].corrected != NULL ? arena_strdup(a, v[i].corrected) : NULL;
    }
    return c;
}

/* Copies evidence src into dst, its arrays and strings into a. */
static void evidence_copy(struct arena *a, struct search_evidence *dst,
                          const struct search_evidence *src)
{
    *dst = *src;
    dst->terms = terms_copy(a, src->terms, src->nterms);
    dst->expansions = terms_copy(a, src->expansions, src->nexpansions);
}

/* Whether the translations add a word to question's under t (then its
 * translated ranking is its untranslated one: src/coach/README.md, 4b). */
static bool translates(const char *question, const struct search_tuning *t)
{
    struct arena tmp = ARENA_INIT;
    struct search_term *added;
    size_t n = search_translate(question, t, trans_model, trans_model_n, &tmp, &added);

    arena_free(&tmp);
    return n > 0;
}

/* The kept translated list of question under tuning (and domains, want),
 * or NULL. */
static const struct search_pair_entry *pair_find(const struct search_pair *pair,
                                                 const char *question,
                                                 const struct search_tuning *tuning,
                                                 unsigned domains, size_t want)
{
    const struct search_pair_entry *e;

    for (e = pair->head; e != NULL; e = e->next)
        if (e->tuning == tuning && e->domains == domains && e->want == want
            && strcmp(e->question, question) == 0)
            return e;
    return NULL;
}

/* The untranslated ranking (t) into a, out, n, ev and the translated one
 * (tt) into e, from one reading: the translated ranking first, then the
 * untranslated one from its memo. */
static bool rank_pair(struct db *db, const char *question, const struct search_tuning *t,
                      const struct search_tuning *tt, unsigned domains, size_t want,
                      struct arena *ea, struct search_pair_entry *e, struct arena *a,
                      struct lexical_ranked **out, size_t *n, struct search_evidence *ev)
{
    struct lexical_memo m;
    bool ok;

    memset(&m, 0, sizeof(m));
    ok = rank(db, question, tt, domains, want, &m, ea, &e->lex, &e->n, &e->ev);
    m.replay = true;
    if (ok) {
        ok = rank(db, question, t, domains, want, &m, a, out, n, ev);
    } else {
        memset(ev, 0, sizeof(*ev));
        *out = NULL;
        *n = 0;
    }
    lexical_cache_free(&m.cache);
    arena_free(&m.arena);
    return ok;
}

bool search_lexical_run(struct db *db, const struct search_opts *opts,
                        const struct search_tuning *t, unsigned domains, size_t want,
                        struct arena *a, struct lexical_ranked **out, size_t *n,
                        struct search_evidence *ev)
{
    const struct search_tuning *tt = opts->tuning != NULL ? opts->tuning : &search_tuning_default;
    struct search_pair *pair = opts->pair;
    const struct search_pair_entry *kept;
    struct search_pair_entry *e;

    if (pair == NULL || tt->w_trans <= 0)
        return search_lexical(db, opts->question, t, domains, want, a, out, n, ev);
    /* A procedure question whose answer ranks with fewer WordNet words
     * than its route (related_how, proc38): the two rankings hold
     * different terms, so none is kept; the answer's is read on its own. */
    if (opts->untranslated && tt->related_how != 1 && search_asks_procedure(opts->question))
        return search_lexical(db, opts->question, t, domains, want, a, out, n, ev);
    if (!opts->untranslated) {
        kept = pair_find(pair, opts->question, tt, domains, want);
        if (kept == NULL)
            return search_lexical(db, opts->question, t, domains, want, a, out, n, ev);
        *out = ranked_copy(a, kept->lex, kept->n);
        *n = kept->n;
        evidence_copy(a, ev, &kept->ev);
        return true;
    }
    e = arena_alloc(&pair->arena, sizeof(*e));
    memset(e, 0, sizeof(*e));
    e->question = arena_strdup(&pair->arena, opts->question);
    e->tuning = tt;
    e->domains = domains;
    e->want = want;
    if (translates(opts->question, tt)) {
        if (!rank_pair(db, opts->question, t, tt, domains, want, &pair->arena, e, a, out, n, ev))
            return false;
    } else {
        if (!search_lexical(db, opts->question, t, domains, want, a, out, n, ev))
            return false;
        e->lex = ranked_copy(&pair->arena, *out, *n);
        e->n = *n;
        evidence_copy(&pair->arena, &e->ev, ev);
    }
    e->next = pair->head;
    pair->head = e;
    return true;
}

void search_pair_free(struct search_pair *pair)
{
    if (pair == NULL)
        return;
    arena_free(&pair->arena);
    pair->head = NULL;
}
