/* Tests for coach/route: the scope decision on constructed evidence
 * (covered questions answered, uncovered ones refused, the cut where the
 * documented logit puts it), the safety topics refused whatever the
 * evidence, broad questions clarified (with the caller's library choices
 * when given), specific ones answered and routed to domains; definitions,
 * quantities and answers to a clarifying question are never sent back;
 * the specificity signal computed from a constructed search evidence;
 * two distinctive words clarified only when the best matches are spread
 * over ROUTE_SPREAD_BOOKS books, which evidence_route counts; "what's the
 * best ..." is no definition, evaluative words are not counted, and a
 * situation ending in a bare plea for help is clarified when its words
 * weigh at most ROUTE_PLEA_IDF unseen words (route_distinct_idf on a
 * constructed search evidence); scope38's second way out: a word's class by
 * a small WordNet the test writes (tagged sense counts, suffix rules,
 * exception lists), the library's unheld words counted by evidence_route,
 * and a question it would answer refused from ROUTE_NOUN_LOGIT on when
 * they are nouns and nothing else. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coach/evidence.h"
#include "coach/route.h"
#include "coach/wordclass.h"
#include "library/bm25.h"
#include "library/domains.h"
#include "library/search.h"
#include "tap/basic.h"

/* Evidence of a question the library covers well, and of one it does not. */
static const struct route_evidence covered = {.searched = true,
                                              .coverage = 1.0,
                                              .best = 0.45,
                                              .lexicon = 3,
                                              .unknown_words = 0,
                                              .specificity = 0.3};
static const struct route_evidence uncovered = {.searched = true,
                                                .coverage = 0.2,
                                                .best = 0.1,
                                                .lexicon = 0,
                                                .unknown_words = 2,
                                                .specificity = 0.8};

/* A search term with df passages of a library of n. */
static struct search_term term(const char *word, double df, double n)
{
    return (struct search_term){.term = word,
                                .word = word,
                                .df = (int64_t)df,
                                .idf = bm25_idf(n, df),
                                .in_library = df > 0};
}

static void specificity_tests(void)
{
    struct search_term t[4];
    struct search_evidence e = {.terms = t, .library_chunks = 100};
    double top = bm25_idf(100, 0), v;

    t[0] = term("norm", 50, 100);
    t[1] = term("mortgag", 0, 100);
    e.nterms = 2;
    v = route_specificity(&e);
    ok(fabs(v - (bm25_idf(100, 50) + top) / (2 * top)) < 1e-9,
       "specificity: the mean IDF over the largest (%.3f)", v);
    t[2] = term("2024", 0, 100);
    e.nterms = 3;
    ok(fabs(route_specificity(&e) - v) < 1e-12, "a word with a digit is left out");
    t[1] = term("norms", 0, 100);
    t[1].corrected = "norm";
    t[1].held_idf = bm25_idf(100, 50);
    e.nterms = 2;
    ok(fabs(route_specificity(&e) - bm25_idf(100, 50) / top) < 1e-9,
       "a spelling correction counts with its correction's IDF");
    t[0] = term("seri", 1, 100);
    t[1] = term("won", 2, 100);
    v = route_specificity(&e);
    t[0] = term("team", 80, 100);
    t[1] = term("assess", 60, 100);
    ok(v > 0.7 && route_specificity(&e) < 0.2,
       "words the library barely uses are specific (%.2f), its own words are not (%.2f)", v,
       route_specificity(&e));
    e.nterms = 0;
    ok(route_specificity(&e) == 1.0, "no content term: 1");
    e.library_chunks = 0;
    ok(route_specificity(&e) == 0.0, "an empty library: 0");
}

static enum coach_route classify(const char *q, const struct route_evidence *ev);

/* Two distinctive words and matches spread across the library's books. */
static void spread_tests(void)
{
    struct route_evidence ev = covered;
    struct coach_class c;
    struct search_hit hits[6] = {{.book_id = "a"},  {.book_id = "b"}, {.book_id = "a"},
                                 {.book_id = NULL}, {.book_id = "c"}, {.book_id = "d"}};
    struct search_result sr = {.hits = hits, .n = 6};

    evidence_route(&sr, "how do we lift our scores", &ev);
    ok(ev.books == 3, "books: the distinct books of the first five passages (%zu)", ev.books);
    ev = covered;
    ev.books = ROUTE_SPREAD_BOOKS;
    ok(route_too_broad_spread("how do we lift our scores", &ev), "two distinctive words, spread");
    route_classify("how do we lift our scores", true, &ev, &c);
    ok(c.route == COACH_CLARIFY, "... clarified");
    route_classify("how do we lift our scores", false, &ev, &c);
    ok(c.route == COACH_ANSWER, "... but not right after a clarifying question");
    ok(!route_too_broad_spread("how do we write common formative assessments together?", &ev),
       "three distinctive words, spread: not too broad");
    ok(!route_too_broad_spread("what is a guaranteed curriculum?", &ev),
       "a definition, spread: not too broad");
    ev.books = ROUTE_SPREAD_BOOKS - 1;
    ok(!route_too_broad_spread("how do we lift our scores", &ev)
           && classify("how do we lift our scores", &ev) == COACH_ANSWER,
       "two distinctive words in fewer books: answered");
    ev.books = ROUTE_SPREAD_BOOKS;
    ev.followup = true;
    ok(!route_too_broad_spread("reassessment grading", &ev)
           && classify("reassessment grading", &ev) == COACH_ANSWER,
       "a rewritten follow-up, spread: answered");
    ev.followup = false;
    ev.searched = false;
    ok(!route_too_broad_spread("how do we lift our scores", &ev), "no search: no spread");
}

/* Too broad by the question's own words and the library's evidence
 * (branch clarify26): "what's the best ..." is no definition, evaluative
 * words are not counted, and a situation with a bare request for help is
 * clarified when its distinctive words weigh little. */
static void clarify26_tests(void)
{
    struct search_term t[4];
    struct search_evidence e = {.terms = t, .library_chunks = 100};
    struct route_evidence ev = covered;
    double top = bm25_idf(100, 0), v;

    ok(route_too_broad("what's the best way to lead teachers")
           && route_too_broad("what are best practices for teams"),
       "what's the best X, what are best X: a verdict asked, not a definition");
    ok(!route_too_broad("What is a PLC?")
           && !route_too_broad("what are the four critical questions?")
           && !route_too_broad("how many norms is too many?"),
       "... while a subject right after what is / how many is still a definition or a quantity");
    ev.books = ROUTE_SPREAD_BOOKS;
    ok(route_too_broad_spread("how do we make our time together more useful", &ev)
           && !route_too_broad_spread("how do we make our time together more focused", &ev),
       "useful is evaluative like better: two distinctive words left, spread");
    ev = covered;
    ev.distinct_idf = 0.68;
    ok(route_too_broad_plea("our scores are low what do we do", &ev)
           && route_too_broad_plea("i just got asked to be team lead next year, advice?", &ev)
           && route_too_broad_plea("we keep missing our targets every year, help", &ev),
       "a situation and a bare plea, its words light: too broad");
    ok(classify("our scores are low what do we do", &ev) == COACH_CLARIFY, "... and clarified");
    ok(!route_too_broad_plea("help with grading for our reteach", &ev)
           && !route_too_broad_plea("what do we do", &ev)
           && !route_too_broad_plea("how many norms, any tips?", &ev),
       "no plea at the end, nothing before it, or a quantity: not by the plea");
    ev.distinct_idf = 1.16;
    ok(!route_too_broad_plea("kids keep skipping flex. what can we do", &ev)
           && classify("kids keep skipping flex. what can we do", &ev) == COACH_ANSWER,
       "a plea after words heavier than ROUTE_PLEA_IDF: answered");
    ev.distinct_idf = 0.68;
    ev.followup = true;
    ok(!route_too_broad_plea("our scores are low what do we do", &ev), "a follow-up: not");
    ev.followup = false;
    ev.searched = false;
    ok(!route_too_broad_plea("our scores are low what do we do", &ev), "no search: not");

    t[0] = term("scores", 50, 100);
    t[1] = term("low", 10, 100);
    t[2] = term("useful", 5, 100);
    t[3] = term("scores", 50, 100);
    e.nterms = 4;
    v = route_distinct_idf(&e, "our scores are low, more useful scores?");
    ok(fabs(v - (bm25_idf(100, 50) + bm25_idf(100, 10)) / top) < 1e-9,
       "distinct IDF: distinctive words once each, evaluative left out, over an unseen word's"
       " (%.3f)",
       v);
    t[1].source = SEARCH_TERM_FEEDBACK;
    ok(fabs(route_distinct_idf(&e, "our scores are low, more useful scores?")
            - bm25_idf(100, 50) / top)
           < 1e-9,
       "... the question's own terms only");
    e.library_chunks = 0;
    ok(route_distinct_idf(&e, "our scores are low") == 0, "an empty library: 0");
}

static enum coach_route classify(const char *q, const struct route_evidence *ev)
{
    struct coach_class c;

    route_classify(q, true, ev, &c);
    return c.route;
}

static bool routed_to(const char *q, const char *domain)
{
    struct coach_class c;
    size_t i;

    route_classify(q, true, &covered, &c);
    return c.route == COACH_ANSWER && domain_parse(domain, &i) && (c.domains & (1u << i));
}

/* Writes name in dir with text. */
static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    if (f == NULL)
        bail("cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* scope38: the words the library lacks name things, not manners. */
static void unheld_tests(void)
{
    static const long noun[] = {2, 1, -1, -1}, tie[] = {1, -1, -1, 1}, verb[] = {-1, 2, -1, -1},
                      none[] = {-1, -1, -1, -1}, untagged[] = {0, -1, -1, -1};
    char dir[] = "/tmp/route-t.XXXXXX", err[256];
    struct search_term t[6];
    struct search_result sr = {.n = 0};
    struct route_evidence ev;
    const char *q = "how much should i spend on a wedding gift";

    ok(wordclass_decide(noun) == WORDCLASS_NOUN && wordclass_decide(untagged) == WORDCLASS_NOUN,
       "a noun used more than any other part of speech (or only a noun): a noun");
    ok(wordclass_decide(tie) == WORDCLASS_OTHER && wordclass_decide(verb) == WORDCLASS_OTHER,
       "a noun used as often as an adverb, or no noun: another word");
    ok(wordclass_decide(none) == WORDCLASS_ABSENT, "no part of speech: absent");
    if (mkdtemp(dir) == NULL)
        bail("mkdtemp");
    put(dir, "index.noun",
        "  1 licence line\n"
        "wedding n 1 1 @ 1 2 00000001\n"
        "nowhere n 1 0 1 1 00000002\n"
        "goose n 1 0 1 1 00000003\n"
        "ice_cream n 1 0 1 1 00000004\n"
        "memo n 1 1 @ 1 0 00000009\n"
        "memorandum n 1 1 @ 1 3 00000009\n"
        "gym n 1 1 @ 1 1 00000010\n"
        "gymnasium n 1 1 @ 1 2 00000010\n"
        "cant n 1 1 @ 1 1 00000011\n"
        "malformed n x\n");
    /* scope38b: "memo" (untagged) shares a synset with "memorandum"
     * (tagged), a clipping; "gym" is tagged itself. */
    put(dir, "data.noun",
        "  1 licence line\n"
        "00000009 10 n 02 memorandum 0 memo 0 000 | a note\n"
        "00000010 06 n 02 Gymnasium 0 gym 0 000 | a hall\n"
        "00000011 10 n 01 cant 0 000 | hypocritical talk\n"
        "00000012 10 n zz broken\n");
    put(dir, "index.verb", "wed v 1 0 1 1 00000005\nswap v 1 0 1 1 00000006\n");
    put(dir, "index.adj", "tiny a 1 0 1 2 00000007\n");
    put(dir, "index.adv", "nowhere r 1 0 1 1 00000008\n");
    put(dir, "noun.exc", "geese goose\nnobase\n");
    ok(wordclass_load(dir, err, sizeof(err)), "a WordNet of index and exception files loads");
    ok(wordclass_ready() && wordclass_of("wedding") == WORDCLASS_NOUN,
       "ready after a load: the tables stand, WordNet's default directory is not read over them");
    ok(wordclass_of("wedding") == WORDCLASS_NOUN && wordclass_of("Weddings") == WORDCLASS_NOUN
           && wordclass_of("geese") == WORDCLASS_NOUN,
       "a noun, its plural (suffix rule, any case), an exception's base: nouns");
    ok(wordclass_of("tiny") == WORDCLASS_OTHER && wordclass_of("swaps") == WORDCLASS_OTHER
           && wordclass_of("nowhere") == WORDCLASS_OTHER,
       "an adjective, a verb's -s form, a noun no more used than its adverb: other words");
    ok(wordclass_of("zqxv") == WORDCLASS_ABSENT && wordclass_of("ice") == WORDCLASS_ABSENT
           && wordclass_of("nobase") == WORDCLASS_ABSENT,
       "a word WordNet lacks (or holds only in a phrase, or a base-less exception): absent");

    /* scope38b: contractions and clippings stand for other words. */
    ok(wordclass_informal("memo") && wordclass_informal("Memos")
           && !wordclass_informal("memorandum"),
       "an untagged noun sharing a synset with a tagged longer word it begins (and its "
       "plural): a clipping; not the longer word");
    ok(!wordclass_informal("gym") && !wordclass_informal("wedding") && !wordclass_informal("zqxv"),
       "a tagged clipping, a noun, a word WordNet lacks: no clipping");
    ok(wordclass_informal("cant") && wordclass_informal("Dont") && wordclass_informal("theyre")
           && !wordclass_informal("well") && !wordclass_informal("shell"),
       "contractions typed without the apostrophe (not the spellings that are words)");
    ok(wordclass_informal("Shouldnt") && wordclass_informal("youd") && !wordclass_informal("id"),
       "the list of words_is_bare_contraction(), any case; not 'id' (a student ID names a thing)");
    ok(wordclass_informal("max") && wordclass_informal("min") && wordclass_informal("stats"),
       "the clippings WordNet does not record as such");
    ok(wordclass_of("cant") == WORDCLASS_NOUN && wordclass_of("memo") == WORDCLASS_NOUN,
       "both are nouns by WordNet all the same");

    /* evidence_route counts the question's unheld words by class. */
    t[0] = term("wed", 0, 100);
    t[0].word = "wedding";
    t[1] = term("gift", 3, 100);
    t[2] = term("tini", 0, 100);
    t[2].word = "tiny";
    t[3] = term("2024", 0, 100);
    t[4] = term("school", 0, 100);
    t[5] = term("swap", 0, 100);
    t[5].source = SEARCH_TERM_QUESTION + 1; /* not the question's own word */
    sr.evidence = (struct search_evidence){.terms = t, .nterms = 6, .library_chunks = 100};
    evidence_route(&sr, q, &ev);
    ok(ev.unheld_nouns == 1 && ev.unheld_other == 1,
       "unheld: a noun and an adjective; a held word, a number, a generic word and a word "
       "the question did not write are not counted (%zu, %zu)",
       ev.unheld_nouns, ev.unheld_other);
    t[0] = term("wed", 0, 100);
    t[0].word = "wedding";
    t[1].corrected = "gifts";
    t[1].word = "geese";
    sr.evidence.nterms = 2;
    evidence_route(&sr, q, &ev);
    ok(ev.unheld_nouns == 2 && ev.unheld_other == 0,
       "a word matched only through a spelling correction is unheld (%zu)", ev.unheld_nouns);

    /* scope38b: a contraction or a clipping unheld is not counted. */
    t[0] = term("cant", 0, 100);
    t[1] = term("memo", 0, 100);
    t[2] = term("max", 0, 100);
    t[3] = term("wed", 0, 100);
    t[3].word = "wedding";
    sr.evidence.nterms = 3;
    evidence_route(&sr, q, &ev);
    ok(ev.unheld_nouns == 0 && ev.unheld_other == 0,
       "unheld: a contraction, a clipping WordNet records, a listed clipping: none counted "
       "(%zu, %zu)",
       ev.unheld_nouns, ev.unheld_other);
    sr.evidence.nterms = 4;
    evidence_route(&sr, q, &ev);
    ok(ev.unheld_nouns == 1 && ev.unheld_other == 0, "... beside a noun: the noun counted (%zu)",
       ev.unheld_nouns);
    t[1] = term("gift", 3, 100);

    /* The decision: from ROUTE_NOUN_LOGIT on, only nouns unheld. */
    ev = (struct route_evidence){
        .searched = true, .coverage = 0.5, .lexicon = 0, .unknown_words = 1, .specificity = 0.6};
    for (ev.best = 1.0; ev.best > 0 && route_scope_logit(&ev) < ROUTE_NOUN_LOGIT; ev.best -= 0.01)
        ;
    ok(!route_out_of_scope(&ev) && !route_unheld_things(&ev),
       "between the two bounds, nothing unheld: main's decision answers (logit %.2f)",
       route_scope_logit(&ev));
    ev.unheld_nouns = 1;
    ok(route_unheld_things(&ev) && classify(q, &ev) == COACH_REFUSE, "... a noun unheld: refused");
    ev.best += 0.02;
    ok(route_scope_logit(&ev) < ROUTE_NOUN_LOGIT && classify(q, &ev) == COACH_ANSWER,
       "... the same below ROUTE_NOUN_LOGIT: answered");
    ev.best -= 0.02;
    ev.unheld_other = 1;
    ok(!route_unheld_things(&ev) && classify(q, &ev) == COACH_ANSWER,
       "a noun and a quality unheld (kids who finish super fast): answered");
    ev.unheld_other = 0;
    ev.followup = true;
    ok(classify(q, &ev) == COACH_ANSWER, "a rewritten follow-up: answered");
    ev.followup = false;
    ok(classify("help with weddings", &ev) == COACH_CLARIFY,
       "a question it clarifies is not refused by it");
    ev.searched = false;
    ok(!route_unheld_things(&ev), "no search: nothing");
    wordclass_free();
    ok(!wordclass_load("/nonexistent/wordnet", err, sizeof(err))
           && wordclass_of("wedding") == WORDCLASS_ABSENT,
       "no WordNet: every word absent, so the second way never fires");
    ok(!wordclass_ready(), "no WordNet: not ready, and no second load is tried");
    {
        struct search_term w = term("wed", 0, 100);
        struct route_evidence e2;

        w.word = "wedding";
        sr.evidence = (struct search_evidence){.terms = &w, .nterms = 1, .library_chunks = 100};
        evidence_route(&sr, q, &e2);
        e2.searched = true;
        e2.coverage = 0.5;
        e2.lexicon = 0;
        e2.unknown_words = 1;
        e2.specificity = 0.6;
        for (e2.best = 1.0; e2.best > 0 && route_scope_logit(&e2) < ROUTE_NOUN_LOGIT;
             e2.best -= 0.01)
            ;
        ok(e2.unheld_nouns == 0 && !route_out_of_scope(&e2) && classify(q, &e2) == COACH_ANSWER,
           "... a question whose unheld word is a noun is answered, not refused (logit %.2f)",
           route_scope_logit(&e2));
        ok(!wordclass_informal("memo") && wordclass_informal("cant"),
           "... no WordNet clipping known; the contractions still listed");
    }
    wordclass_free();
    {
        char path[512];
        snprintf(path, sizeof(path), "%s/data.noun", dir);
        unlink(path);
    }
    ok(wordclass_load(dir, err, sizeof(err)) && wordclass_of("memo") == WORDCLASS_NOUN
           && !wordclass_informal("memo"),
       "no data.noun: the classes load, no clipping is known (%s)", err);
    wordclass_free();
    {
        static const char *const files[] = {"index.noun", "index.verb", "index.adj",
                                            "index.adv",  "noun.exc",   "data.noun"};
        size_t i;
        char path[512];
        for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
            snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
            unlink(path);
        }
        rmdir(dir);
    }
}

int main(void)
{
    static const char *const safety[] = {
        "can I get sued if a kid gets hurt on the playground during my duty?",
        "what's a safe dose of ADHD meds for a 9 year old?",
        "write a 504 plan for my student with anxiety",
    };
    struct coach_class c;
    struct route_evidence ev;
    size_t i;
    double z;

    plan(90);
    specificity_tests();
    unheld_tests();
    clarify26_tests();
    /* The scope decision on evidence. */
    ok(classify("what is the best sourdough starter?", &uncovered) == COACH_REFUSE,
       "little coverage, a weak best match, no lexicon, unknown words: refused");
    ok(classify("how do we keep our norms alive?", &covered) == COACH_ANSWER,
       "covered, a good match, PLC words: answered");
    ok(classify("what is the best sourdough starter?", NULL) != COACH_REFUSE,
       "without evidence nothing is refused for want of it");
    ev = uncovered;
    ev.searched = false;
    ok(!route_out_of_scope(&ev), "evidence that was not searched decides nothing");
    z = route_scope_logit(&uncovered);
    ok(fabs(z
            - (ROUTE_W0 + ROUTE_W_COVERAGE * 0.2 + ROUTE_W_BEST * 0.1 + ROUTE_W_UNKNOWN * 2 / 3.0
               + ROUTE_W_SPECIFICITY * 0.8))
           < 1e-9,
       "the logit is the documented sum (%.3f)", z);
    ev = covered;
    ev.lexicon = 40;
    ok(fabs(route_scope_logit(&ev)
            - route_scope_logit(&(struct route_evidence){.searched = true,
                                                         .coverage = 1.0,
                                                         .best = 0.45,
                                                         .lexicon = ROUTE_LEXICON_CAP,
                                                         .specificity = 0.3}))
           < 1e-9,
       "the lexicon is capped");
    /* Walk the best match down from covered: refused exactly past the cut. */
    ev = (struct route_evidence){
        .searched = true, .coverage = 0.5, .lexicon = 0, .unknown_words = 1, .specificity = 0.6};
    for (ev.best = 1.0; ev.best > 0 && !route_out_of_scope(&ev); ev.best -= 0.01)
        ;
    ok(ev.best > 0 && route_scope_logit(&ev) >= ROUTE_OUT_LOGIT
           && route_scope_logit(&(struct route_evidence){.searched = true,
                                                         .coverage = 0.5,
                                                         .best = ev.best + 0.01,
                                                         .unknown_words = 1,
                                                         .specificity = 0.6})
                  < ROUTE_OUT_LOGIT,
       "refused from the cut on (best %.2f)", ev.best);
    /* Walk specificity up from covered evidence: refused exactly past the
     * cut, and words the library uses often keep a question in scope. */
    ev = (struct route_evidence){.searched = true, .coverage = 0.7, .best = 0.25};
    for (ev.specificity = 0; ev.specificity < 1 && !route_out_of_scope(&ev); ev.specificity += 0.01)
        ;
    ok(ev.specificity < 1 && route_scope_logit(&ev) >= ROUTE_OUT_LOGIT
           && route_scope_logit(&(struct route_evidence){.searched = true,
                                                         .coverage = 0.7,
                                                         .best = 0.25,
                                                         .specificity = ev.specificity - 0.01})
                  < ROUTE_OUT_LOGIT,
       "refused from the cut on (specificity %.2f)", ev.specificity);
    ev.specificity = 0.35;
    ok(!route_out_of_scope(&ev),
       "the same coverage and match in the library's own words: answered");
    /* follow28: a second turn's own words, scored alone. */
    ok(route_followup_out_of_scope(&uncovered, false),
       "a second turn whose own words leave the field, pointing nowhere: refused");
    ok(!route_followup_out_of_scope(&uncovered, true),
       "... pointing back to the earlier turn: not refused by its own words");
    ok(!route_followup_out_of_scope(&covered, false), "own words the library covers: not refused");
    ev = uncovered;
    ev.searched = false;
    ok(!route_followup_out_of_scope(&ev, false), "... nor without a search of them");
    ev = uncovered;
    ev.lexicon = 2;
    ok(classify("how to get buy-in", &ev) == COACH_CLARIFY,
       "too broad, in the lexicon's words, uncovered: clarified, not refused");
    ev.lexicon = 0;
    ok(classify("how to fix it", &ev) == COACH_REFUSE,
       "too broad, not in the lexicon's words, uncovered: refused");
    for (i = 0; i < sizeof(safety) / sizeof(safety[0]); i++) {
        route_classify(safety[i], true, &covered, &c);
        ok(c.route == COACH_REFUSE && c.refusal != NULL && strstr(c.refusal, c.topic) != NULL,
           "a safety topic, refused whatever the evidence: %s", safety[i]);
    }
    route_classify("what is the best sourdough starter?", true, &uncovered, &c);
    ok(strstr(c.refusal, "the library doesn't cover this") != NULL
           && strstr(c.refusal, "I can help with collaborative teams") != NULL,
       "the refusal says the library does not cover it and what the coach helps with");
    ok(classify("how should our team respond to students with 504 plans during intervention time?",
                &covered)
           == COACH_ANSWER,
       "504 without writing a plan: answered");

    /* Too broad. */
    route_classify("How do I do PLCs?", true, &covered, &c);
    ok(c.route == COACH_CLARIFY && c.nchoices >= 2 && c.nchoices <= 4 && c.clarify != NULL,
       "How do I do PLCs? is clarified with 2-4 choices");
    ok(route_is_clarification(c.clarify), "the clarifying question is recognised later");
    ok(classify("help with assessment", &covered) == COACH_CLARIFY,
       "one distinctive word and generic ones: clarified");
    ok(classify("how do we raise our scores", &covered) == COACH_CLARIFY
           && classify("how can we boost participation?", &covered) == COACH_CLARIFY
           && classify("ways to increase engagement", &covered) == COACH_CLARIFY,
       "raise, boost, increase are generic verbs like improve: one distinctive word, clarified");
    ok(classify("how do we raise reading scores for english learners?", &covered) == COACH_ANSWER,
       "... with more distinctive words: answered");
    ok(classify("What is a PLC?", &covered) == COACH_ANSWER
           && classify("how many norms is too many?", &covered) == COACH_ANSWER,
       "a definition, a quantity: answered");
    ok(classify("what's the most important thing", &covered) == COACH_CLARIFY
           && classify("what is best?", &covered) == COACH_CLARIFY,
       "a definition of nothing but vague words (a priority asked for): clarified");
    ok(classify("how do we write common formative assessments together?", &covered) == COACH_ANSWER,
       "two distinctive words: answered");
    route_classify("How do I do PLCs?", false, &covered, &c);
    ok(c.route == COACH_ANSWER, "never clarified twice in a row");
    {
        static const char *const lib[] = {"How do we choose the targets?",
                                          "What should our team know about norms that work?"};
        route_classify("How do I do PLCs?", true, &covered, &c);
        route_set_choices(&c, lib, 2);
        ok(c.route == COACH_CLARIFY && c.nchoices == 2 && c.choices[1] == lib[1]
               && route_is_clarification(c.clarify),
           "the library's choices replace the general ones");
    }

    spread_tests();

    /* Domains. */
    ok(routed_to("how do we grade CFAs fairly?", "assessment"), "CFAs: assessment");
    ok(routed_to("what should our team norms say about phones?", "collaboration"),
       "norms: collaboration");
    ok(strcmp(route_type_name(COACH_CLARIFY), "clarification") == 0
           && strcmp(route_name(COACH_REFUSE), "refuse") == 0,
       "type names");
    return 0;
}
