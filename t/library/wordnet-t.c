/* Tests for the WordNet reader (src/library/wordnet.c) and the related
 * words built from it (src/library/related.c): index and data lines,
 * the first sense only, synonyms, hypernyms and hyponyms one level away,
 * and the analysed rows (keys of one or two stems, one-stem targets, each
 * pair once with its closest relation).  A small WordNet is written into
 * a temporary directory, its offsets computed as the real files' are.
 * Also the Aiksaurus reader (src/library/aiksaurus.c) and its rows
 * (relation 4, after a WordNet synonym, before a hypernym). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "library/aiksaurus.h"
#include "library/related.h"
#include "library/wordnet.h"
#include "tap/basic.h"
#include "util/arena.h"

static void parse_lines(void)
{
    struct wordnet_index_entry e;
    struct wordnet_synset s;
    const char *idx = "ground_rule n 2 1 @ 2 0 07162194 07162200  ";
    const char *syn = "07162194 10 n 02 ground_rule 0 Rule 1 003 @ 06652242 n 0000 ! 01234567 n "
                      "0101 ~i 07162545 n 0000 | a basic rule";

    ok(wordnet_parse_index(idx, strlen(idx), &e), "an index line parses");
    is_string("ground_rule", e.lemma, "its lemma");
    is_int('n', e.pos, "its part of speech");
    is_int(7162194, e.first_offset, "the first (most frequent) synset, not the second");
    ok(!wordnet_parse_index("  1 This software", 17, &e), "a licence line is not an entry");
    ok(!wordnet_parse_index("rule n 2 3 @ ~", 14, &e), "a line cut short is refused");
    ok(!wordnet_parse_index("rule x 1 0 1 0 00000001", 23, &e), "an unknown part of speech");
    ok(wordnet_parse_synset(syn, strlen(syn), &s), "a data line parses");
    is_int(2, (long long)s.nwords, "two words");
    is_string("rule", s.words[1], "lower-cased");
    is_int(2, (long long)s.nptrs, "the antonym (!) pointer is left out");
    ok(s.ptrs[0].rel == WORDNET_HYPERNYM && s.ptrs[0].offset == 6652242 && s.ptrs[0].pos == 'n',
       "the hypernym");
    ok(s.ptrs[1].rel == WORDNET_HYPONYM && s.ptrs[1].offset == 7162545, "the instance hyponym");
    wordnet_synset_free(&s);
    syn = "00001740 00 s 02 able(a) 0 capable 0 000 | able";
    ok(wordnet_parse_synset(syn, strlen(syn), &s) && strcmp(s.words[0], "able") == 0,
       "an adjective's (a) marker is cut");
    wordnet_synset_free(&s);
    syn = "00001740 00 n 03 a 0 b 0";
    ok(!wordnet_parse_synset(syn, strlen(syn), &s) && s.words == NULL,
       "fewer words than w_cnt says: refused, nothing held");
    syn = "00001740 00 n 01 a 0 002 @ 00000001 n 0000";
    ok(!wordnet_parse_synset(syn, strlen(syn), &s), "fewer pointers than p_cnt says: refused");
}

/* Writes a data file whose lines are lines[] with "%08ld" at each
 * line's start replaced by its offset; offsets[] receives them. */
static void write_data(const char *path, const char *const *lines, size_t n, long *offsets)
{
    FILE *fp = fopen(path, "w");
    long off = 0;
    size_t i;

    if (fp == NULL)
        bail("cannot write %s", path);
    fputs("  1 licence line\n", fp);
    off = (long)strlen("  1 licence line\n");
    for (i = 0; i < n; i++) {
        offsets[i] = off;
        off += fprintf(fp, "%08ld%s\n", off, lines[i]);
    }
    fclose(fp);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (fp == NULL)
        bail("cannot write %s", path);
    fputs(text, fp);
    fclose(fp);
}

struct pairs {
    char v[32][2][64];
    int rel[32];
    size_t n;
};

static void keep(void *ctx, const char *lemma, const char *related, enum wordnet_rel rel)
{
    struct pairs *p = ctx;
    if (p->n < 32) {
        snprintf(p->v[p->n][0], 64, "%s", lemma);
        snprintf(p->v[p->n][1], 64, "%s", related);
        p->rel[p->n++] = (int)rel;
    }
}

static bool has(const struct pairs *p, const char *lemma, const char *related, int rel)
{
    size_t i;
    for (i = 0; i < p->n; i++)
        if (strcmp(p->v[i][0], lemma) == 0 && strcmp(p->v[i][1], related) == 0 && p->rel[i] == rel)
            return true;
    return false;
}

static bool row(const struct related_row *r, size_t n, const char *word, const char *term, int rel)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(r[i].word, word) == 0 && strcmp(r[i].term, term) == 0)
            return r[i].rel == rel;
    return false;
}

/* Appends a record to b: a NUL-ended spelling (words.dat) or nothing
 * (meanings.dat, spelling NULL), then big-endian numbers, then 0xFFFF. */
static size_t rec(unsigned char *b, size_t at, const char *spelling, const unsigned *v, size_t n)
{
    size_t i;
    if (spelling != NULL) {
        memcpy(b + at, spelling, strlen(spelling) + 1);
        at += strlen(spelling) + 1;
    }
    for (i = 0; i < n; i++) {
        b[at++] = (unsigned char)(v[i] >> 8);
        b[at++] = (unsigned char)(v[i] & 0xff);
    }
    b[at++] = 0xff;
    b[at++] = 0xff;
    return at;
}

struct thes_pairs {
    char v[32][2][64];
    size_t n;
};

static void keep_thes(void *ctx, const char *word, const char *related)
{
    struct thes_pairs *p = ctx;
    if (p->n < 32) {
        snprintf(p->v[p->n][0], 64, "%s", word);
        snprintf(p->v[p->n][1], 64, "%s", related);
        p->n++;
    }
}

static bool has_thes(const struct thes_pairs *p, const char *word, const char *related)
{
    size_t i;
    for (i = 0; i < p->n; i++)
        if (strcmp(p->v[i][0], word) == 0 && strcmp(p->v[i][1], related) == 0)
            return true;
    return false;
}

/* A small Aiksaurus in dir: words 0 quiz, 1 Test, 2 examination,
 * 3 huddle, 4 get:together, 5 caf\xe9 (Latin-1: skipped); meaning 0
 * (titles 0 1) holds 0 1 2 and word 9 (no such word: skipped), meaning
 * 1 (titles 3 4) holds 3 4 5.  Returns the bytes of words.dat. */
static size_t write_thesaurus(const char *dir, unsigned char *w, size_t *wlen, unsigned char *m,
                              size_t *mlen)
{
    static const unsigned m0[] = {0}, m01[] = {0, 1}, m1[] = {1};
    static const unsigned t0[] = {0, 1, 0, 1, 2, 9}, t1[] = {3, 4, 3, 4, 5};
    char path[256];
    FILE *fp;

    *wlen = rec(w, 0, "quiz", m0, 1);
    *wlen = rec(w, *wlen, "Test", m0, 1);
    *wlen = rec(w, *wlen, "examination", m0, 1);
    *wlen = rec(w, *wlen, "huddle", m1, 1);
    *wlen = rec(w, *wlen, "get:together", m01, 1);
    *wlen = rec(w, *wlen, "caf\xe9", m1, 1);
    *mlen = rec(m, 0, NULL, t0, 6);
    *mlen = rec(m, *mlen, NULL, t1, 5);
    snprintf(path, sizeof(path), "%s/words.dat", dir);
    if ((fp = fopen(path, "wb")) == NULL || fwrite(w, 1, *wlen, fp) != *wlen || fclose(fp) != 0)
        bail("cannot write %s", path);
    snprintf(path, sizeof(path), "%s/meanings.dat", dir);
    if ((fp = fopen(path, "wb")) == NULL || fwrite(m, 1, *mlen, fp) != *mlen || fclose(fp) != 0)
        bail("cannot write %s", path);
    return *wlen;
}

static void thesaurus(const char *dir)
{
    unsigned char w[256], m[256];
    size_t wlen, mlen, n, nthes;
    struct thes_pairs p;
    struct arena a = ARENA_INIT;
    struct related_row *rows;
    char err[256], path[256];

    write_thesaurus(dir, w, &wlen, m, &mlen);
    memset(&p, 0, sizeof(p));
    is_int(2, (long long)aiksaurus_parse(w, wlen, m, mlen, keep_thes, &p), "two meanings read");
    ok(has_thes(&p, "quiz", "test") && has_thes(&p, "test", "quiz"),
       "words sharing a meaning: both ways, lower-cased");
    ok(has_thes(&p, "huddle", "get together"), "':' between words reads as a space");
    is_int(8, (long long)p.n, "eight pairs: no Latin-1 word, no number past the words");
    memset(&p, 0, sizeof(p));
    is_int(1, (long long)aiksaurus_parse(w, wlen, m, mlen - 3, keep_thes, &p),
           "a meaning cut short ends the file");
    ok(aiksaurus_parse(w, 7, m, mlen, keep_thes, &p) == 2, "words cut short: the rest skipped");

    ok(related_from_wordnet(dir, dir, &a, &rows, &n, &nthes, err, sizeof(err)),
       "the rows build with the thesaurus");
    ok(row(rows, n, "quiz", "test", 1), "a WordNet synonym stays a synonym");
    ok(row(rows, n, "quiz", "examin", RELATED_THESAURUS),
       "a WordNet hypernym the thesaurus also holds is the thesaurus's");
    ok(row(rows, n, "togeth", "huddl", RELATED_THESAURUS),
       "a thesaurus key analysed as WordNet's (\"get\" is a stop word)");
    ok(row(rows, n, "ground rule", "examin", 2), "WordNet's other rows are kept");
    is_int(7, (long long)nthes, "the thesaurus's rows counted");
    arena_free(&a);

    snprintf(path, sizeof(path), "%s/nowhere", dir);
    ok(!related_from_wordnet(dir, path, &a, &rows, &n, &nthes, err, sizeof(err))
           && strstr(err, "words.dat") != NULL,
       "a thesaurus named but missing: refused, the file named");
    arena_free(&a);
    snprintf(path, sizeof(path), "%s/words.dat", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/meanings.dat", dir);
    unlink(path);
}

static void whole_files(void)
{
    char dir[] = "/tmp/wordnet-t.XXXXXX", path[256], text[1024];
    /* Synsets: 0 quiz/test (first sense of quiz), 1 examination (its
     * hypernym), 2 pop quiz (its hyponym), 3 a second sense of quiz
     * (tease), 4 ground rule/rule of thumb with hypernym 1. */
    const char *lines[5];
    long off[5];
    char l0[160], l4[160];
    struct pairs p;
    struct arena a = ARENA_INIT;
    struct related_row *rows;
    size_t n, nthes;
    char err[256];
    static const char *const empty[] = {"verb", "adj", "adv"};
    size_t i;

    if (mkdtemp(dir) == NULL)
        bail("mkdtemp failed");
    /* Offsets are needed before the pointers can be written: lay the
     * file out once with placeholders of the same width, then again. */
    lines[0] = " 04 n 02 quiz 0 test 0 002 @ 00000000 n 0000 ~ 00000000 n 0000 | a test";
    lines[1] = " 04 n 01 examination 0 000 | exam";
    lines[2] = " 04 n 01 pop_quiz 0 000 | a surprise quiz";
    lines[3] = " 04 n 01 tease 0 000 | teasing";
    lines[4] = " 04 n 02 ground_rule 0 rule_of_thumb 0 001 @ 00000000 n 0000 | a rule";
    snprintf(path, sizeof(path), "%s/data.noun", dir);
    write_data(path, lines, 5, off);
    snprintf(l0, sizeof(l0), " 04 n 02 quiz 0 test 0 002 @ %08ld n 0000 ~ %08ld n 0000 | a test",
             off[1], off[2]);
    snprintf(l4, sizeof(l4), " 04 n 02 ground_rule 0 rule_of_thumb 0 001 @ %08ld n 0000 | a rule",
             off[1]);
    lines[0] = l0;
    lines[4] = l4;
    write_data(path, lines, 5, off);
    snprintf(
        text, sizeof(text),
        "  1 licence line\nground_rule n 1 1 @ 1 0 %08ld  \nquiz n 2 2 @ ~ 2 0 %08ld %08ld  \n",
        off[4], off[0], off[3]);
    snprintf(path, sizeof(path), "%s/index.noun", dir);
    write_file(path, text);
    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/index.%s", dir, empty[i]);
        write_file(path, "");
        snprintf(path, sizeof(path), "%s/data.%s", dir, empty[i]);
        write_file(path, "");
    }

    memset(&p, 0, sizeof(p));
    ok(wordnet_each(dir, keep, &p, err, sizeof(err)), "the small WordNet reads");
    ok(has(&p, "quiz", "test", WORDNET_SYNONYM), "quiz: test, a synonym");
    ok(has(&p, "quiz", "examination", WORDNET_HYPERNYM), "quiz: examination, its hypernym");
    ok(has(&p, "quiz", "pop_quiz", WORDNET_HYPONYM), "quiz: pop quiz, its hyponym");
    ok(!has(&p, "quiz", "tease", WORDNET_SYNONYM), "the second sense is not read");
    ok(has(&p, "ground_rule", "examination", WORDNET_HYPERNYM), "a two-word lemma");
    is_int(5, (long long)p.n, "five pairs, nothing else");

    ok(related_from_wordnet(dir, NULL, &a, &rows, &n, &nthes, err, sizeof(err)) && nthes == 0,
       "the rows build (no thesaurus)");
    ok(row(rows, n, "quiz", "test", 1), "quiz -> test (synonym)");
    ok(row(rows, n, "quiz", "examin", 2), "targets are stems: examination -> examin");
    ok(!row(rows, n, "quiz", "pop quiz", 3) && !row(rows, n, "quiz", "pop", 3),
       "a related word of two terms is left out");
    ok(row(rows, n, "ground rule", "examin", 2), "a two-word key: its stems joined by a space");
    is_int(3, (long long)n, "three rows");
    arena_free(&a);

    thesaurus(dir);

    memset(&p, 0, sizeof(p));
    snprintf(path, sizeof(path), "%s/nowhere", dir);
    ok(!wordnet_each(path, keep, &p, err, sizeof(err)) && strstr(err, "data.noun") != NULL
           && p.n == 0,
       "a missing directory: refused, the file named, nothing called");

    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/index.%s", dir, empty[i]);
        unlink(path);
        snprintf(path, sizeof(path), "%s/data.%s", dir, empty[i]);
        unlink(path);
    }
    snprintf(path, sizeof(path), "%s/index.noun", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/data.noun", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    plan(43);
    parse_lines();
    whole_files();
    return 0;
}
