/* Tests for the WordNet reader (src/library/wordnet.c) and the related
 * words built from it (src/library/related.c): index and data lines,
 * the first sense only, synonyms, hypernyms and hyponyms one level away,
 * and the analysed rows (keys of one or two stems, one-stem targets, each
 * pair once with its closest relation).  A small WordNet is written into
 * a temporary directory, its offsets computed as the real files' are. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    size_t n;
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

    ok(related_from_wordnet(dir, &a, &rows, &n, err, sizeof(err)), "the rows build");
    ok(row(rows, n, "quiz", "test", 1), "quiz -> test (synonym)");
    ok(row(rows, n, "quiz", "examin", 2), "targets are stems: examination -> examin");
    ok(!row(rows, n, "quiz", "pop quiz", 3) && !row(rows, n, "quiz", "pop", 3),
       "a related word of two terms is left out");
    ok(row(rows, n, "ground rule", "examin", 2), "a two-word key: its stems joined by a space");
    is_int(3, (long long)n, "three rows");
    arena_free(&a);

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
    plan(30);
    parse_lines();
    whole_files();
    return 0;
}
