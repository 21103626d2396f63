/*
 * Follow-up questions rewritten into standalone ones for retrieval and
 * classification (architecture.md, the coach pipeline, step 1; issue 12,
 * section 4).
 *
 * A question is a follow-up when it opens like one ("what about", "how
 * about", "and", "also", "what if", "same for", "then", "but", "so",
 * "how come", "ok"), or when it points back ("it", "that", "this",
 * "they", "them", "those", "these", "there", "one", "ones", "instead",
 * "else", "more"; not one after REWRITE_OWN_ANTECEDENT distinctive words
 * of the question's own, which it stands for: "kids who finish their work
 * super fast, what should they be doing"; nor one standing for an acronym
 * of the library's list that the question names before it and that agrees
 * with it in number, rewrite_names_own_subject: "what is PBIS and who is
 * it for"; nor "so" before "many", "much",
 * "far" or "few") and has at most REWRITE_FEW_DISTINCTIVE distinctive
 * words of its own (words.h) or at most REWRITE_SHORT_WORDS words, or
 * when it is an ellipsis: at most REWRITE_ELLIPSIS_WORDS words, of which
 * at most REWRITE_ELLIPSIS_DISTINCTIVE distinctive ("who takes the
 * notes?" after a question about the meeting agenda).
 *
 * By rules (rewrite_rules):
 *   - a follow-up that is already standalone (no follow-up opening, no
 *     pronoun to resolve, no "this", "these" or "those" before a noun,
 *     at least two distinctive words of its own, not an ellipsis) is left
 *     alone; "what do we do on those days" is not, and carries the
 *     earlier words;
 *   - otherwise the first "it", "them", "they" (and "this", "that",
 *     "these", "those" used as pronouns: at the end or before a verb or a
 *     preposition) is replaced by the earlier noun phrase that agrees
 *     with it in number: of the previous question's runs of words that
 *     are neither stop words nor clause breaks ("instead", "because",
 *     "before", ...), each without the verb that opens it after "we",
 *     "I", "you", "they" or "to", the first with a distinctive word whose
 *     last word is plural (ends in "s", not "ss", "us" or "is") for
 *     "them", "they", "these", "those" and singular for the others ("and
 *     what about a pretest before it starts?" after "how many CFAs should
 *     we give in a 4 week unit?" -> "... before 4 week unit starts?";
 *     "what about when someone breaks them?" after "How do we write team
 *     norms?" -> "... breaks team norms?"); when no run agrees, by the
 *     earlier subject: the previous question's span from its first to
 *     its last distinctive word ("them" after "what are a guiding
 *     coalition and a vision statement?" -> "guiding coalition and a
 *     vision statement").  Number is read from the spelling alone, so a
 *     verb in -s opening a run reads as a plural ("them" after "what
 *     makes a goal SMART?" -> "makes");
 *   - the previous question's distinctive words that the result lacks
 *     follow in parentheses: "what about Tier 3? (about: tiers RTI)".
 * The follow-up as resolved (without the parentheses) is its focus: the
 * words the answer must be about (the extractive composer counts them
 * twice).  A follow-up that names a point of the previous answer by its
 * place ("the second one", "step 3", "the last one": rewrite_ordinal) is
 * never left alone as standalone, and carries that point's words, read
 * from the answer's saved text (history_answer_item), into its retrieval
 * (rewrite_query), with the previous answer's prior whatever its own
 * words.  Right after a clarification (no answer, no citations, so no
 * prior), the choice the follow-up names by its subject takes that
 * point's place in rewrite_query (history_clarify_choice: the choice
 * sharing the most distinctive words with the standalone question, none
 * on a tie): a teacher answers "which of these?" by asking about one of
 * them in her own words ("how often do we go back to it" after the
 * choices named the one-page team charter).
 *
 * Retrieval for a rewritten follow-up (src/coach/pipeline.c) weighs the
 * follow-up's own words above the carried ones (rewrite_query) and, when
 * the follow-up has little of its own, takes the passages the previous
 * answer cited (its saved citations, history.h) as a prior
 * (rewrite_prior); the weights were chosen on
 * eval/holdout/tune.jsonl and eval/followups.jsonl (docs/performance.md).
 *
 * By the model (when one is configured): a request whose system message
 * holds "TASK: REWRITE" and whose user message has the lines "Previous
 * question: ..." and "Follow-up: ..."; its answer must be exactly one JSON
 * object {"standalone_question": "...", "is_followup": true|false} and
 * nothing else (rewrite_parse): the question a non-empty string of at most
 * REWRITE_MAX_BYTES bytes on one line, no other member.  "is_followup"
 * false leaves the follow-up as asked (no carried words, no prior).  The
 * rules are used whenever the call fails, times out, or answers anything
 * else (malformed JSON, wrong types, an over-long question).
 *
 * Ownership: every char * returned is malloc'd; the caller frees it.
 */
#ifndef PLC_COACH_REWRITE_H
#define PLC_COACH_REWRITE_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct search_hit;

#define REWRITE_SHORT_WORDS 8
#define REWRITE_FEW_DISTINCTIVE 3
#define REWRITE_MAX_BYTES 600
#define REWRITE_MODEL_MAX_TOKENS 200 /* the model's answer: the object around the question */
#define REWRITE_JSON_DEPTH 2
#define REWRITE_ELLIPSIS_WORDS 5
#define REWRITE_ELLIPSIS_DISTINCTIVE 2
#define REWRITE_OWN_ANTECEDENT 3   /* distinctive words before a pronoun that it stands for */
#define REWRITE_PRIOR_MAX_OWN 2    /* the prior applies up to this many own distinctive words */
#define REWRITE_PRIOR_CHAPTER 1.25 /* rewrite_prior's multipliers */
#define REWRITE_PRIOR_PAGE 1.25
#define REWRITE_PRIOR_NEAR 1  /* pages */
#define REWRITE_PRIOR_KEEP 2  /* the follow-up's own first passages the prior never cuts */
#define REWRITE_NEW_OWN 4     /* a new question: more distinctive words of its own than this */
#define REWRITE_NEW_TOP 1     /* ... and its first passage in another chapter (follow31) */
#define REWRITE_REFER_NEW 3   /* rewrite_refers_back: new distinctive words at most */
#define REWRITE_REFER_WORDS 3 /* ... and the words of a noun phrase after its determiner */

/* Returns how many distinctive words followup has of its own (after a
 * follow-up opening): more than REWRITE_PRIOR_MAX_OWN, and the follow-up
 * has evidence enough of its own to change the subject, so no prior. */
size_t rewrite_own_distinctive(const char *followup) __attribute__((nonnull));

/* Returns the query retrieval runs for a rewritten follow-up: the
 * standalone question, then the follow-up as asked, so that its own
 * words count twice (query term frequency) and the carried words once
 * (carried at 1/2 of the own words' weight; 1/3, 0.4, 2/3 and 1 were
 * measured: docs/performance.md); then, when item is not NULL, the
 * previous answer's point the follow-up names by its place
 * (rewrite_ordinal, history_answer_item) twice, as much as its own
 * words: that point is what it asks about. */
char *rewrite_query(const char *standalone, const char *followup, const char *item)
    __attribute__((nonnull(1, 2), warn_unused_result));

#define REWRITE_LAST (-1) /* rewrite_ordinal: "the last one" */

/* Returns which point of the previous answer followup refers to: n for
 * an ordinal word (first..tenth) before an item noun ("the second one",
 * "the third step", "that first idea"), or an item noun before a number
 * of at most two digits ("step 3", "number 2"); REWRITE_LAST for "the
 * last one"; 0 when none. */
int rewrite_ordinal(const char *followup) __attribute__((nonnull));

/* True when question opens by announcing a new subject and does not then
 * point back (docs/performance.md and src/coach/README.md, "announce34"):
 * after any run of fillers ("ok", "so", "also", "and", "quick", "a",
 * "i", "have", ...), a topic-change marker as whole words ("different
 * question", "another question", "new topic", "unrelated", "on another
 * note", "switching gears", "changing the subject", "one more thing",
 * "by the way", "never mind", ...; the list in rewrite.c, written from
 * general English before anything was measured), and the words after it
 * (past a follow-up opening) neither point back as rewrite_points_back
 * reads them, its ellipsis test aside (the marker says the question does
 * not lean on the earlier one), nor name a point of the previous answer
 * by its place (rewrite_ordinal).  Such a question is taken as asked:
 * rewrite_is_followup is false, rewrite_rules leaves it alone, and
 * rewrite_takes_subject gives it no conversation's subject.  "ok
 * different question. how do we set up team norms?" announces a new
 * subject; "ok different question, how do we grade it?" points back;
 * "also what about tier 3?" has no marker ("also", "and", "what about",
 * "how about" continue the subject). */
bool rewrite_announces_new(const char *question) __attribute__((nonnull));

/* True when question reads as a follow-up of an earlier one (never one
 * that announces a new subject, rewrite_announces_new). */
bool rewrite_is_followup(const char *question) __attribute__((nonnull));

/* Returns the standalone question by rules; *focus (when focus is not
 * NULL) receives the follow-up as resolved, or NULL when it was left
 * alone. */
char *rewrite_rules(const char *previous, const char *followup, char **focus)
    __attribute__((nonnull(1, 2), warn_unused_result));

/* Returns followup rewritten by rules as rewrite_rules does, but never
 * left alone as standalone: its pronoun resolved and the previous
 * question's distinctive words it lacks carried; *focus (when focus is
 * not NULL) receives the follow-up as resolved.  For a question that
 * rewrite_takes_subject gives the conversation's subject. */
char *rewrite_carry(const char *previous, const char *followup, char **focus)
    __attribute__((nonnull(1, 2), warn_unused_result));
/* Whether a question that the rules left as asked (not a follow-up by
 * its own words), in a conversation whose last answer cited the library,
 * is asked again with the conversation's subject (rewrite_carry) and
 * routed again, given how its own words were routed: yes when they were
 * sent to clarification (too broad on its own words: "what mistakes do
 * teams usually make" after "we just unpacked our first standard into
 * targets" -- the conversation names the subject) or answered, however
 * many words of its own it has ("does that mean we all have to teach the
 * same lesson every day?" after "we built a pacing guide with buffer
 * days": a second turn is read in its conversation, its own words counting
 * twice in the search and the subject's once; follow29 -- follow27 gave
 * the subject only to one with at most four distinctive words of its
 * own); never when they were refused: a question that leaves the
 * library's field on its own words ("can you recommend a dentist") stays
 * refused, whatever the conversation was about; nor when question names
 * its own subject (rewrite_names_own_subject: "... how to write one" after
 * "cfas"; follow31).  The pipeline also leaves a new question as asked
 * when its own words point at another chapter (rewrite_other_chapter;
 * src/coach/pipeline.c, ask_route_conversation; docs/performance.md,
 * follow27, follow29 and follow31). */
/* Nor when question announces a new subject (rewrite_announces_new,
 * announce34). */
bool rewrite_takes_subject(bool refused, const char *question) __attribute__((nonnull));

/* True when a pointing word of question stands for a term the question
 * names itself: an acronym of the library's list (synonyms.h) before it
 * that agrees with it in number ("one", "ones": either; "it", "that",
 * "this": singular; "them", "they", "these", "those": plural): "my team
 * wants to start doing cfas but we have no idea how to write one", "what
 * is PBIS and who is it for".  Such a question names its own subject: the
 * rules do not resolve that word to the earlier question's, and
 * rewrite_takes_subject gives it no conversation's subject (follow31). */
bool rewrite_names_own_subject(const char *question) __attribute__((nonnull));

/* True when none of the first top passages of own (n, the question
 * searched on its own words) is in the chapter of, or within
 * REWRITE_PRIOR_NEAR pages of, a passage of conv (nc, the passages the
 * conversation's last answer cited): the question's own words point at
 * another part of the library than the conversation's, so it is a new
 * question, left as asked (src/coach/pipeline.c, ask_route_conversation;
 * follow31).  False when either is empty. */
bool rewrite_other_chapter(const struct search_hit *own, size_t n, const struct search_hit *conv,
                           size_t nc, size_t top);
/* True when followup points back to the earlier turn by its own words
 * (after its follow-up opening; src/coach/README.md, "Follow-ups that
 * leave the field (follow28)"):
 *   - a pronoun that stands for the earlier subject as rewrite_rules
 *     resolves it ("what about when someone breaks them?"), but not the
 *     empty "it" of "is it safe for dogs to eat grapes" (after "is" or
 *     "was", REWRITE_OWN_ANTECEDENT distinctive words after it);
 *   - "it", "them" or "they" ending the question, even after words of its
 *     own ("and the union says the contract doesnt allow it");
 *   - "this", "these" or "those" before a noun ("those days"), but not
 *     "this" before a word of time ("this year", "this christmas");
 *   - another pointing word that does not stand for its own earlier
 *     words ("one", "else", "instead", "more", "their", ...);
 *   - a request for the next step ("now what", "what's next");
 *   - a negated auxiliary ending a clause, which stands for the earlier
 *     verb ("ok so if we cant, who picks?");
 *   - a question without a follow-up opening that is an ellipsis (at most
 *     REWRITE_ELLIPSIS_WORDS words, REWRITE_ELLIPSIS_DISTINCTIVE
 *     distinctive: "like what", "whats the biggest mistake") naming no
 *     time of its own ("when is diwali this year" does not) and asking
 *     nothing of "you" ("can you recommend a dentist" is a request of
 *     its own).
 * "and what about my car insurance?" does not point back. */
bool rewrite_points_back(const char *followup) __attribute__((nonnull));

/* True when followup (past its follow-up opening) points back to the
 * earlier turn by a noun phrase, not a pronoun (docs/performance.md and
 * src/coach/README.md, "follow37"), and has at most REWRITE_REFER_NEW
 * distinctive words that neither prev_q (the previous question) nor
 * prev_a (the previous answer; either NULL: none) holds (a contraction
 * written without its apostrophe, "theres", is none; follow38):
 *   - "one" or "ones" standing for a noun phrase spoken of before ("what
 *     makes one good vs bad"), not "no one", "one of", "one more", "one
 *     day", nor one standing for the question's own words;
 *   - a definite or possessive noun phrase ("the", "our", "your", "my",
 *     then up to REWRITE_REFER_WORDS words that are not stop words) that
 *     names no new subject: its last word is distinctive and each of its
 *     distinctive words is a word of the earlier turn, compared without a
 *     plural "s" ("how often do we reshuffle the groups" after an answer
 *     on WIN-time groups), or a noun naming the previous answer's form
 *     ("can you shorten the list", "our whole setup": list, setup, plan,
 *     version, ...; follow38), and no preposition or relative pronoun follows
 *     it ("what's the difference between a psychologist and a
 *     psychiatrist": the phrase is defined by its own words).
 * "and what about my mortgage?" does not: "mortgage" is no word of a
 * conversation on PLC work; nor "why does my sourdough come out dense"
 * ("sourdough" is not either). */
bool rewrite_refers_back(const char *followup, const char *prev_q, const char *prev_a)
    __attribute__((nonnull(1)));

/* Parses the model's rewrite (n bytes of text) strictly, as described
 * above; true and *question (malloc'd, the caller frees it) and
 * *is_followup set when it is exactly that object, else false and both
 * untouched.  Exposed for the unit test and the fuzz target. */
bool rewrite_parse(const char *text, size_t n, char **question, bool *is_followup)
    __attribute__((nonnull, warn_unused_result));

/* Returns the standalone question written by the model (*is_followup
 * false: the follow-up as asked, which the model took as standalone), or
 * NULL when the call failed or answered anything rewrite_parse refuses. */
char *rewrite_model(const struct config *cfg, const char *previous, const char *followup,
                    bool *is_followup) __attribute__((nonnull, warn_unused_result));

/* The previous answer's passages as a prior for a follow-up's retrieval
 * (a boost, not a filter): a passage of the follow-up's candidates in the
 * chapter of one of the previous passages, or within REWRITE_PRIOR_NEAR
 * pages of one in the same book, has its fused score multiplied by
 * chapter, and by page as well in the second case; then the candidates
 * are sorted again, best first (search_sort_fused).  A follow-up that
 * changed the subject keeps its own best passages when its own evidence
 * outweighs the boost.  hits come in the follow-up's own order (best
 * first), and the caller keeps the first k of them after the call: the
 * follow-up's own first REWRITE_PRIOR_KEEP passages are never cut by the
 * prior (a previous answer that cited the wrong pages must not push out
 * what the follow-up's own words find first, follow33): any the sort
 * left past k take the last places of the k, in their own order, and
 * the passages there move down.  k >= n: the sort alone. */
void rewrite_prior(struct search_hit *hits, size_t n, const struct search_hit *prior, size_t np,
                   double chapter, double page, size_t k) __attribute__((nonnull(1)));

#endif
