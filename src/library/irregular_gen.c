/*
 * irregular-gen [-v] [-p POS...] DIR > src/library/irregular_forms.c
 *
 * Writes the irregular forms table (irregular.h) from the WordNet 3.0
 * files of DIR (/usr/share/wordnet): every form of the four exception
 * lists that the analyser would otherwise keep apart from its base, less
 * the forms that would merge unrelated words.  A form is left out when
 *
 *   1. it or its base is not a single lower-case ASCII word, or either is
 *      dropped by the analyser (a stop word, one letter);
 *   2. it stems to its base's stem already (nothing to do);
 *   3. its bases stem to more than one term ("axes": ax, axis; "bases":
 *      base, basis; "better": good, well), counting a lemma that
 *      WordNet's regular rules (morphy) give ("deeper": deeply on
 *      adv.exc, deep by the rule for -er);
 *   4. it is a word of its own: a noun or verb lemma of WordNet, or a
 *      lemma of its own list's part of speech ("found", to found; "saw",
 *      the tool; "left", the side; "led", the diode; "felt", the cloth).
 *      A participle that WordNet also lists as an adjective ("broken",
 *      "known", "written") is the same word and stays;
 *   5. it already stems to the term of another lemma ("lives": live,
 *      the verb; "leaves": leav, the verb leave);
 *   6. its base is a form of the lists too ("marchesi": marchese, itself
 *      a form of "marchesa"), so that no lookup needs a second one.
 *
 * Counts per rule go to standard error (docs/performance.md, morph26);
 * with -v, every form left out and why; -p nv reads only the lists of
 * those parts of speech (n, v, a, r: experiments).
 * Not installed; `make src/library/irregular-gen`.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library/analyze.h"
#include "library/wordnet.h"
#include "util/alloc.h"

/* A lemma of WordNet and the parts of speech it is listed under. */
struct lemma {
    char *word;   /* owned */
    unsigned pos; /* bits: POS_BIT() */
};

/* One (form, base, list) line of an exception list. */
struct exc {
    char *form, *base; /* owned */
    char pos;
};

struct vec {
    void *v;
    size_t n, cap, size;
};

#define POS_BIT(c) (1u << (strchr("nvar", (c)) - "nvar"))

static void *vec_push(struct vec *a)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 4096;
        a->v = xrealloc(a->v, a->cap * a->size);
    }
    return (char *)a->v + a->size * a->n++;
}

/* True for a single word of lower-case ASCII letters. */
static bool plain(const char *w)
{
    if (*w == '\0')
        return false;
    for (; *w != '\0'; w++)
        if (*w < 'a' || *w > 'z')
            return false;
    return true;
}

static void add_lemma(void *ctx, const char *lemma, char pos)
{
    struct lemma *l;

    if (!plain(lemma))
        return;
    l = vec_push(ctx);
    l->word = xstrdup(lemma);
    l->pos = POS_BIT(pos);
}

static const char *only_pos; /* -p: the lists read (experiments); NULL all */

static void add_exc(void *ctx, const struct wordnet_exception *e, char pos)
{
    size_t i;

    if (only_pos != NULL && strchr(only_pos, pos) == NULL)
        return;
    for (i = 0; i < e->nbases; i++) {
        struct exc *x = vec_push(ctx);
        x->form = xstrdup(e->form);
        x->base = xstrdup(e->bases[i]);
        x->pos = pos;
    }
}

static int cmp_lemma(const void *a, const void *b)
{
    return strcmp(((const struct lemma *)a)->word, ((const struct lemma *)b)->word);
}

static int cmp_exc(const void *a, const void *b)
{
    const struct exc *x = a, *y = b;
    int d = strcmp(x->form, y->form);
    return d ? d : strcmp(x->base, y->base);
}

/* A lemma's stem. */
struct stemmed {
    char stem[ANALYZE_TERM_MAX];
    const char *lemma; /* the struct lemma's word */
};

static int cmp_stemmed(const void *a, const void *b)
{
    return strcmp(((const struct stemmed *)a)->stem, ((const struct stemmed *)b)->stem);
}

static int cmp_key_lemma(const void *key, const void *e)
{
    return strcmp(key, ((const struct lemma *)e)->word);
}

/* The parts of speech of word, 0 when it is no lemma. */
static unsigned lemma_pos(const struct vec *lemmas, const char *word)
{
    const struct lemma *hit =
        bsearch(word, lemmas->v, lemmas->n, sizeof(struct lemma), cmp_key_lemma);
    return hit ? hit->pos : 0;
}

enum { KEPT, NOT_PLAIN, SAME_STEM, TWO_BASES, OWN_WORD, OTHER_LEMMA, CHAIN, RULES };
static const char *const rule_names[RULES] = {"kept",
                                              "not a plain word or dropped",
                                              "same stem already",
                                              "bases of two terms",
                                              "a word of its own",
                                              "stems to another lemma's term",
                                              "its base is a form too"};

static int cmp_key_form(const void *key, const void *e)
{
    return strcmp(key, ((const struct exc *)e)->form);
}

/* True when word is a form of the exception lists (all[0..n), sorted). */
static bool is_form(const struct exc *all, size_t n, const char *word)
{
    return bsearch(word, all, n, sizeof(*all), cmp_key_form) != NULL;
}

/* WordNet's regular detachment rules (morphy(7WN)): suffix and ending
 * for each part of speech. */
static const struct {
    char pos;
    const char *suffix, *ending;
} detach[] = {
    {'n', "s", ""},      {'n', "ses", "s"},   {'n', "xes", "x"},   {'n', "zes", "z"},
    {'n', "ches", "ch"}, {'n', "shes", "sh"}, {'n', "men", "man"}, {'n', "ies", "y"},
    {'v', "s", ""},      {'v', "ies", "y"},   {'v', "es", "e"},    {'v', "es", ""},
    {'v', "ed", "e"},    {'v', "ed", ""},     {'v', "ing", "e"},   {'v', "ing", ""},
    {'a', "er", ""},     {'a', "est", ""},    {'a', "er", "e"},    {'a', "est", "e"},
};

/* True when a regular rule of morphy turns form into a lemma of WordNet
 * whose stem is not base_stem (a second reading: "deeper", deeply on
 * adv.exc, is also deep by rule). */
static bool regular_other(const char *form, const struct vec *lemmas, const char *base_stem)
{
    size_t i, n = strlen(form);

    for (i = 0; i < sizeof(detach) / sizeof(detach[0]); i++) {
        size_t s = strlen(detach[i].suffix);
        char cut[WORDNET_WORD_MAX + 8], st[ANALYZE_TERM_MAX];
        if (n <= s || strcmp(form + n - s, detach[i].suffix) != 0
            || n - s + strlen(detach[i].ending) >= WORDNET_WORD_MAX)
            continue;
        snprintf(cut, sizeof(cut), "%.*s%s", (int)(n - s), form, detach[i].ending);
        if ((lemma_pos(lemmas, cut) & POS_BIT(detach[i].pos)) != 0
            && analyze_stem(cut, strlen(cut), st) > 0 && strcmp(st, base_stem) != 0)
            return true;
    }
    return false;
}

/* Decides the forms x[0..n) (one form's lines); *base the base kept. */
static int decide(const struct exc *x, size_t n, const struct vec *lemmas,
                  const struct stemmed *stems, size_t nstems, const char **base)
{
    char fs[ANALYZE_TERM_MAX], bs[ANALYZE_TERM_MAX], first[ANALYZE_TERM_MAX] = "";
    size_t i;
    unsigned own;

    if (!plain(x[0].form) || analyze_stem(x[0].form, strlen(x[0].form), fs) == 0)
        return NOT_PLAIN;
    for (i = 0; i < n; i++) {
        if (!plain(x[i].base) || analyze_stem(x[i].base, strlen(x[i].base), bs) == 0)
            return NOT_PLAIN;
        if (first[0] == '\0') {
            strcpy(first, bs);
            *base = x[i].base;
        } else if (strcmp(first, bs) != 0) {
            return TWO_BASES;
        }
    }
    if (strcmp(first, fs) == 0)
        return SAME_STEM;
    if (regular_other(x[0].form, lemmas, first))
        return TWO_BASES;
    own = lemma_pos(lemmas, x[0].form);
    for (i = 0; i < n; i++)
        if (own & (POS_BIT('n') | POS_BIT('v') | POS_BIT(x[i].pos)))
            return OWN_WORD;
    /* Another lemma stems to the form's term (stems[] sorted by stem). */
    {
        struct stemmed key;
        const struct stemmed *hit;
        strcpy(key.stem, fs);
        hit = bsearch(&key, stems, nstems, sizeof(*stems), cmp_stemmed);
        if (hit != NULL) {
            while (hit > stems && strcmp(hit[-1].stem, fs) == 0)
                hit--;
            for (; hit < stems + nstems && strcmp(hit->stem, fs) == 0; hit++)
                if (strcmp(hit->lemma, x[0].form) != 0)
                    return OTHER_LEMMA;
        }
    }
    return KEPT;
}

static void header(void)
{
    fputs("/*\n"
          " * The irregular forms of the analyser (irregular.h): GENERATED by\n"
          " * src/library/irregular_gen.c from the exception lists of WordNet 3.0\n"
          " * (Debian's wordnet-base); do not edit.  Regenerate with\n"
          " *     make -C var/build src/library/irregular-gen\n"
          " *     var/build/src/library/irregular-gen /usr/share/wordnet \\\n"
          " *         > src/library/irregular_forms.c\n"
          " * and raise ANALYZE_VERSION (analyze.h) when it changes.\n"
          " *\n"
          " * Derived from WordNet 3.0, whose licence requires this notice:\n"
          " *\n"
          " * WordNet Release 3.0 This software and database is being provided to\n"
          " * you, the LICENSEE, by Princeton University under the following\n"
          " * license. By obtaining, using and/or copying this software and\n"
          " * database, you agree that you have read, understood, and will comply\n"
          " * with these terms and conditions.: Permission to use, copy, modify and\n"
          " * distribute this software and database and its documentation for any\n"
          " * purpose and without fee or royalty is hereby granted, provided that\n"
          " * you agree to comply with the following copyright notice and\n"
          " * statements, including the disclaimer, and that the same appear on ALL\n"
          " * copies of the software, database and documentation, including\n"
          " * modifications that you make for internal use or for distribution.\n"
          " * WordNet 3.0 Copyright 2006 by Princeton University. All rights\n"
          " * reserved. THIS SOFTWARE AND DATABASE IS PROVIDED \"AS IS\" AND\n"
          " * PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR\n"
          " * IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY\n"
          " * MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT- ABILITY OR FITNESS\n"
          " * FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE,\n"
          " * DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS,\n"
          " * COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS. The name of Princeton\n"
          " * University or Princeton may not be used in advertising or publicity\n"
          " * pertaining to distribution of the software and/or database. Title to\n"
          " * copyright in this software, database and any associated documentation\n"
          " * shall at all times remain with Princeton University and LICENSEE\n"
          " * agrees to preserve same.\n"
          " */\n"
          "#include \"config.h\"\n\n"
          "#include \"library/irregular.h\"\n\n"
          "const struct irregular_form irregular_forms[] = {\n",
          stdout);
}

int main(int argc, char **argv)
{
    struct vec lemmas = {NULL, 0, 0, sizeof(struct lemma)};
    struct vec excs = {NULL, 0, 0, sizeof(struct exc)};
    char err[512];
    struct stemmed *stems;
    size_t i, j, k, nstems = 0, counts[RULES] = {0};
    struct exc *x;

    bool verbose = false;
    int a = 1;

    for (; a + 1 < argc && argv[a][0] == '-'; a++) {
        if (strcmp(argv[a], "-v") == 0)
            verbose = true;
        else if (strcmp(argv[a], "-p") == 0 && a + 2 < argc)
            only_pos = argv[++a];
        else
            break;
    }
    if (a + 1 != argc) {
        fprintf(stderr, "usage: irregular-gen [-v] [-p POS...] WORDNET-DIR > irregular_forms.c\n");
        return 2;
    }
    if (!wordnet_each_lemma(argv[a], add_lemma, &lemmas, err, sizeof(err))
        || !wordnet_each_exception(argv[a], add_exc, &excs, err, sizeof(err))) {
        fprintf(stderr, "irregular-gen: %s\n", err);
        return 1;
    }
    /* Lemmas: sorted, each once with every part of speech it has. */
    qsort(lemmas.v, lemmas.n, sizeof(struct lemma), cmp_lemma);
    {
        struct lemma *l = lemmas.v;
        for (i = 0, j = 0; i < lemmas.n; i++) {
            if (j > 0 && strcmp(l[j - 1].word, l[i].word) == 0) {
                l[j - 1].pos |= l[i].pos;
                free(l[i].word);
            } else {
                l[j++] = l[i];
            }
        }
        lemmas.n = j;
        stems = xcalloc(lemmas.n ? lemmas.n : 1, sizeof(*stems));
        for (i = 0; i < lemmas.n; i++) {
            if (analyze_stem(l[i].word, strlen(l[i].word), stems[nstems].stem) > 0)
                stems[nstems++].lemma = l[i].word;
        }
        qsort(stems, nstems, sizeof(*stems), cmp_stemmed);
    }
    x = excs.v;
    qsort(x, excs.n, sizeof(*x), cmp_exc);
    header();
    for (i = 0; i < excs.n; i = j) {
        const char *base = NULL;
        int rule;
        for (j = i + 1; j < excs.n && strcmp(x[j].form, x[i].form) == 0; j++)
            ;
        rule = decide(&x[i], j - i, &lemmas, stems, nstems, &base);
        if (rule == KEPT && is_form(x, excs.n, base))
            rule = CHAIN;
        counts[rule]++;
        if (verbose && rule != KEPT)
            fprintf(stderr, "left out: %s (%s)\n", x[i].form, rule_names[rule]);
        if (rule == KEPT)
            printf("    {\"%s\", \"%s\"},\n", x[i].form, base);
    }
    printf("};\n\nconst size_t irregular_forms_count = sizeof(irregular_forms) / "
           "sizeof(irregular_forms[0]);\n");
    for (k = 0; k < RULES; k++)
        fprintf(stderr, "%s: %zu\n", rule_names[k], counts[k]);
    for (i = 0; i < excs.n; i++) {
        free(x[i].form);
        free(x[i].base);
    }
    for (i = 0; i < lemmas.n; i++)
        free(((struct lemma *)lemmas.v)[i].word);
    free(stems);
    free(lemmas.v);
    free(excs.v);
    return 0;
}
