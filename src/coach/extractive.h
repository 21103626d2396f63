/*
 * The extractive composer: the coach's answer without a language model
 * (architecture.md: "an extractive composer that builds the answer from
 * the best sentences of the retrieved passages, every sentence cited";
 * issue 12, section 5).  Passage first: it chooses the sections of the
 * passages that answer the question and quotes them as coherent
 * excerpts, in the source's order, rather than single sentences from
 * everywhere.
 *
 * 1. Structure.  Each passage is read into headings, sentences and list
 *    items, and into the sections its headings open (passage.h), with
 *    the caller's headings (its chapter's section headings and title).
 *
 *    The page.  The caller may give a passage as its printed page(s):
 *    the passage joined with the passages of its book and chapter next
 *    to it on the same pages (passage_join; db/pages.h, pages_around: a
 *    chunk ends where the chunker's budget fell, often inside a
 *    section), with the bytes of the passage's own text (own_start,
 *    own_end) and the text of its pages as the pages table holds them.
 *    A unit outside the passage's own text may be quoted only when it is
 *    found on those pages (verify_quote_in, after verify_normalise) and
 *    its section holds some of the passage's own text, so that a
 *    quotation still cites the passage's pages exactly; without the page
 *    text, only the passage's own text.  The sections are scored and
 *    chosen on the passages' own units, as without the page (4); then
 *    each chosen section, in the order chosen, is chosen again with its
 *    units on the page too, within what it took and what the sections
 *    left of the budget, keeping every unit it took (else its first
 *    choice stands): the rest of a section the chunk cut, never another
 *    section of the page, whose words would take the place of another
 *    passage's section (measured: docs/performance.md, "compose25").
 *    But the passages ranked first to EXTRACT_PAGE_SOURCES (the first
 *    two) quote their pages whole: every unit of theirs found on their
 *    pages is quotable, in any section, and their sections are scored
 *    and chosen on those units from the start; the right page is the
 *    first or second source of most answers that cite it, and the key
 *    terms a good answer carries are often in a section of it the chunk
 *    did not hold; a lower passage's section keeps its place through
 *    the spread and the one more source (4; measured:
 *    docs/performance.md, "keys39").
 *
 * 2. What may be quoted.  A sentence that ends like a sentence, is not a
 *    question (the book asking, not answering), has EXTRACT_MIN_WORDS to
 *    EXTRACT_MAX_WORDS words (or 2 to EXTRACT_MIN_WORDS - 1, a run-in
 *    label such as "Site visits." followed in its paragraph by a sentence
 *    that may be quoted, and quoted only with that sentence) and is not narrative (a story told in
 * the past tense, passage.h), unless the question asks for an example
 *    ("example", "sample", "real", "story", "look like", "what did").  A
 *    list item, whole, of 2 to EXTRACT_MAX_ITEM_WORDS words.  A sentence
 *    that opens with a pronoun or a connective whose referent is in the
 *    sentence before ("This", "They", "However") only right after that
 *    sentence, itself quotable, in the same paragraph; a list item that
 *    opens so ("She showed the board ...") only with its list's lead-in,
 *    which names its referent; a heading never
 *    (it is a label, written apart, never glued to a sentence).
 *
 * 3. The query.  The terms retrieval searched with (the caller's, from
 *    the search's evidence: the question's own words and the expansions
 *    retrieval added: acronyms, the thesaurus, spelling corrections),
 *    each weighing its library IDF times its weight in the query, twice
 *    when the follow-up as asked (the focus) holds it.  Terms are
 *    analysed as the library's index analyses them (library/analyze.h).
 *    Without the caller's terms: the question's own words, weighing their
 *    IDF among the passages' sections.  The other forms of an irregular
 *    verb the stemmer keeps apart ("break", "broke", "broken"; "write",
 *    "wrote", "written"; a short list) are terms too, each with the
 *    weight and IDF of the form the question holds, asked when it is,
 *    never counted as typed or plain (compose33: "when someone breaks
 *    them" and the section "When a norm is broken").  A second word
 *    (compose34's rule, kept in fold35; the setup's): when the question
 *    holds a word of its own with substance (4) that is no such verb, a
 *    sentence or a section that holds none of those counts such a verb
 *    of the question only where it uses it as a verb (another form than
 *    the plain one, "breaks", "breaking"; or the plain one first in a
 *    clause or after "to", a modal, "do", "not" or a personal pronoun),
 *    and the other forms of any verb of the query ("broken") not at all;
 *    the plain form after anything else may be a noun ("By winter break,
 *    ..." holds nothing of "when someone breaks them"; only when the
 *    question uses the word as a verb itself).  A word followed by a
 *    number of one or two digits in the question or the focus ("Tier 3",
 *    "grade 4"; the analyser drops numbers) is also a term: the phrase,
 *    found in the text with case ignored and no digit or letter after
 *    it, weighing as its word.  For a question that asks a quantity ("how
 *    many", "how much", "how often", "how long", "how big", "how large",
 *    "how soon"), a quantity is a term too: a unit that holds a number in
 *    digits (not a label's: "Tier 3", "chapters 2 and 3", "grade 4") or a
 *    number word ("forty-five", "twice", "a dozen", "weekly"; not "one")
 *    carries the mean weight of the question's own terms, so the sentence
 *    that gives the number asked for ("Forty-five is a workable minimum")
 *    is not left out as carrying nothing of the question.  It does not
 *    count in a section's score or its substance.
 *
 *    What the question's quantity is, for the opening (5): each quantity
 *    phrase of the question (or the focus) is one ask ("how many kids
 *    ... and how many times a week" asks two), and a number (with the
 *    numbers, "to", "and", "or" after it: "one to three", "eight and
 *    twelve") measures an ask when the words after it say so: "how
 *    many" / "how much" <words> (up to four words before a stop word:
 *    "students", "minutes", "time") -> the number names one of them
 *    ("six students", "three of the students"; a unit of time when time
 *    is counted: "forty-five minutes"), or nothing of its own follows it
 *    ("Forty-five is a workable minimum"; a stop word or the clause's
 *    end), but a share ("80 percent", "80%") only when it names them
 *    ("80 percent of the students", not "80 percent of them"); "how
 *    many times" and "how often" / "how frequently" -> a frequency
 *    ("four times a week", "every three weeks", "two days a
 *    week", or in words: "weekly", "twice", "once", "every week", "each
 *    month"); "how long" / "how soon" -> a duration or a length ("thirty
 *    minutes", "two pages") or nothing of its own after it; "how big" /
 *    "how large" -> any count that is not a time; "how much" with no
 *    word counted ("how much should we ...") -> any number.  So "every
 *    one to three weeks" does not answer "how many students" (measured:
 *    docs/performance.md, "compose26"; for the score above, any number
 *    still counts: the stricter check lost key terms there).
 *
 * 4. Sections.  Each section's quotable units (and, EXTRACT_HEADING_WEIGHT
 *    times, its heading) are scored as one document with BM25 (k1
 *    EXTRACT_K1, b EXTRACT_B, the mean length of the candidate sections),
 *    times 1 + EXTRACT_RANK_PRIOR / the passage's retrieval rank.  A
 *    section must share substance with the question: a term of the
 *    question's own with library IDF >= EXTRACT_SUBSTANCE_IDF (held by
 *    fewer than about half the passages; any term of the question's own
 *    without the caller's terms).  The question's own, for substance: its
 *    words and what stands in for one (an acronym's phrase, a thesaurus
 *    word, a spelling correction), never a WordNet relation
 *    (extract_term.related) nor a feedback term, which weigh in the
 *    scores only (wnown35).  The best sections are taken whole,
 *    best first, while they score at least EXTRACT_RELATIVE of the best,
 *    at most EXTRACT_MAX_SECTIONS of them, within the budget: the answer
 *    has at most EXTRACT_ANSWER_WORDS words in all (citation markers,
 *    bullets and numbers counted), of which the excerpts take what the takeaways and the
 *    follow-up questions leave, at most EXTRACT_BODY_WORDS.  The budget
 *    (keys31): that reserve is an estimate (the takeaways are often
 *    shorter than EXTRACT_TAKEAWAYS times EXTRACT_TAKEAWAY_WORDS), so the
 *    answer is composed again with the words it left of
 *    EXTRACT_ANSWER_WORDS (counted as white-space separated words, as
 *    docs/api.md promises them) added to the excerpts' budget, at most
 *    EXTRACT_FILL_ROUNDS times while at least EXTRACT_FILL_MIN words are
 *    left; a try that goes past EXTRACT_ANSWER_WORDS (a longer unit came
 *    in, or other takeaways) is tried again with half as many words more,
 *    and the longest answer within it is kept (measured:
 *    docs/performance.md, "keys31").  The fill counts the suggested
 *    follow-up questions at the words reserved for them (7: the block of
 *    the questions the reserve was made of), not those written, which
 *    then take the words the body left: the body does not depend on
 *    which suggestions an answer gets, and a change to them leaves every
 *    body as it was (sugg37b).  The passages are read, and their
 *    sections and units scored, once (1-4: nothing of that depends on
 *    the budget); each try only chooses (the steps, the sections and
 *    their units) and writes again, and so does the how question's
 *    extractive_steps_wanted on the same setup when the caller hands it
 *    on (extractive_setup; measured: docs/performance.md, "perf34").
 *    Spread (cite33): the sections are
 *    taken in score order with each passage's score counted
 *    EXTRACT_PASSAGE_DECAY times less for every section of it already
 *    ahead (the relative cut and the scores unchanged), so that a
 *    passage's best section comes before a fourth or fifth section of a
 *    passage already quoted, which would otherwise fill the sections or
 *    the words first; a section that could not be the one more source
 *    (below: no distinctive word of the question as written, or after
 *    steps not their subject) is counted as much less as the most-quoted
 *    passage's, so it moves ahead for no passage's sake (measured:
 *    docs/performance.md, "cite33").  After numbered steps (5), every
 *    section taken (but one headed as a written step, which goes in its
 *    item) holds a distinctive word of the question as written with
 *    library IDF >= EXTRACT_SUBSTANCE_IDF in its own text, or in its
 *    heading when that heading is not its chapter's title ("Chapter 2:
 *    Building a Common Formative Assessment"): it is about the question,
 *    not only in the steps' chapter (take35).  One more
 *    source: the best sections take all but EXTRACT_SOURCE_WORDS of the
 *    excerpts' words (when they have at least twice that); then the best
 *    section left of a passage none of them comes from, sharing substance
 *    -- and holding a distinctive word (words.h) of the question as
 *    written with library IDF >= EXTRACT_SUBSTANCE_IDF, not only a
 *    generic one ("idea", "team") or an expansion (compose30); after
 *    numbered steps (5), one the teacher typed that the steps' chapter's
 *    title holds, word or initials: their subject ("cfas"), not only
 *    the question's verb ("write" in a section on writing norms;
 *    compose33) -- and
 *    scoring at least EXTRACT_RELATIVE of the best, gives one excerpt
 *    within those words (its heading counted), so that a page ranked
 *    lower, that the first sections would have crowded out, is quoted and
 *    cited; what no such section takes goes back to the chosen sections
 *    (below).  Measured: docs/performance.md, "keys29".  A section
 *    longer than what is left gives the contiguous run of its quotable
 *    units that carries the most weight of the query (not opening with a
 *    dependent sentence) and cuts no list: a lead-in comes with all its
 *    items or not at all, and a run neither starts nor ends inside a list
 *    (unless no such run fits: a list longer than what is left).  In what
 *    is taken, a sentence that carries nothing of the query is left out
 *    (at the edges and inside), unless the sentence after it depends on
 *    it.  The weight a unit carries: the query's terms it holds, and in
 *    the first-ranked passage, in a section where some unit holds a
 *    query term, EXTRACT_CENTRAL_WEIGHT times the mean weight of the
 *    question's own terms for each of its terms central to its section
 *    (twice or more in the section's quotable text, or in its heading):
 *    the page's own central sentences ("It separates observing from
 *    explaining") stay inside an excerpt and weigh in choosing its run,
 *    but never keep a sentence at an excerpt's edge (measured:
 *    docs/performance.md, "keys28").  A unit already taken from an overlapping passage is not taken
 *    twice, and a dependent sentence whose referent is not taken right
 *    before it (quoted under that other passage) is left out.
 *
 * 5. For a quantity question (3) whose chosen units hold no number that
 *    measures what it asks (3, "What the question's quantity is"), the
 *    answer opens with EXTRACT_NO_NUMBER, our sentence, neither quoted nor
 *    cited (its words are kept out of the budget for every quantity
 *    question), before the opening.
 *
 *    The opening comes from the dominant chapter: the chosen sections of
 *    the chapter (same book and chapter title) of the best-ranked passage
 *    any section was chosen from, never from another chapter while one of
 *    them has a candidate (then from any chosen section).  For a how
 *    question ("how do we", "steps"), the lead-in of a chosen list (a
 *    sentence ending in ':' before its items) in those sections; for a
 *    quantity question (3), a sentence (with the sentences that depend
 *    on it) holding a number that measures what it asks ("Most schools
 *    review the norms at the start of each quarter" for "how often
 *    should we review our norms", not the sentence naming most of the
 *    question's words: measured, docs/performance.md, "compose27"),
 *    first one that states what is recommended (a word such as
 *    "plenty", "enough", "should", "aim", "keep", "limit", "at least":
 *    "Keep the list short: five to seven norms is plenty", not "A team
 *    that writes fifteen norms will remember none of them"; "keys28");
 *    otherwise, and when there is none, the sentence of those sections
 *    that carries the most weight of the query per
 *    term (divided by its term count to the power
 *    EXTRACT_LENGTH_EXPONENT, times EXTRACT_LEAD_BONUS for a lead-in,
 *    EXTRACT_HOW_LEAD_BONUS for a how question), not dependent, times
 *    the share of the question's own words it holds ((1 + the library
 *    IDF of those it holds) / (1 + that of all)) and times its section's
 *    score over the best section's: the sentence that says most directly
 *    what was asked, not the shortest one that names its subject.  It
 *    comes first, with the sentences that depend on it and, for a
 *    lead-in, its list.  Never a sentence the conversation's previous
 *    answer quotes (the caller's previous): a follow-up's answer does not
 *    open with what the teacher has just read.
 *
 *    Steps (compose29).  A how question (extractive_asks_how) opens
 *    instead with numbered steps when one of the first EXTRACT_STEPS_RANK
 *    passages, sharing substance with the question, walks through the
 *    process under step headings ("Step 1: Choose the targets", "Phase
 *    two.", "3) ...") and is about what was asked: the words the teacher
 *    typed in this turn (extract_request.asked, a follow-up's own words;
 *    distinctive words only, words.h) hold at least EXTRACT_STEPS_SHARE of
 *    their library IDF in its chapter's title (a word, or its initials:
 *    "cfas" and "Building a Common Formative Assessment") or in its step
 *    headings.  The steps are that passage's step sections, with those of
 *    the other passages of its book and chapter, in the book's order (at
 *    most EXTRACT_MAX_STEPS, at least 2, within half the body's words):
 *    each its section's first sentence (whole, not dependent, not a
 *    question, in the passage's own text or found on its pages), under
 *    the chapter's title, labelled with its heading's words:
 *
 *        **Building a Common Formative Assessment** [2]
 *
 *        1. **Choose the targets**: "Start with the essential standard ..." [2]
 *        2. **Decide what proficiency looks like**: "Before writing ..." [2]
 *
 *    The sections chosen (4) follow, within what the steps left, under no
 *    second line of the chapter's title (a section of the steps' chapter
 *    with no heading of its own, or headed with the chapter's title: its
 *    opening paragraph, written first, right under the steps; compose33)
 *    and as bullets, not numbered (compose30).
 *
 *    The steps a passage lacks (steps33): the caller may ask
 *    (extractive_steps_wanted) which passages of the steps' book the
 *    steps lack, when their numbers (every heading's: "Step 3", "Phase
 *    three", "3)") start past 1 or skip one between two passages, the
 *    last step's section ends its passage (the chunk stopped in the
 *    walkthrough), or a passage of the chapter holds the heading of a
 *    step they lack outside its own text (in a neighbour's text joined
 *    on its pages, "The page": the step's sentence is on another page,
 *    so it could not be quoted): the ordinals before the first step's
 *    passage, between the two, after the last, or on the side of the
 *    passage where that heading is, up to a source's and at most
 *    EXTRACT_STEPS_FETCH in all.  Handed back as sources with steps_only
 *    set (after the retrieved ones, cited [k+1] ... to their own pages),
 *    such a passage gives steps only, and only a step whose number the
 *    others lack, below the highest or the one after it ("Step 3" to
 *    "Step 5" after steps 1-2; never "Step 7"), in its chapter; it has
 *    no sections (4), so nothing else of it is quoted.  A chosen
 *    section headed as a step written (compose34's rule, kept in
 *    fold35; the try's) is written in that step's item, after its
 *    sentence ("1. **Choose the targets**: "Start with ..." [2] "A CFA
 *    should assess only two or three targets." [2]"), never again under
 *    the step's heading after the list.
 *
 *    One step asked (compose30): no list when the words typed ask for one
 *    step of it ("how should we score CFAs" and "Step 5: Score
 *    together"): that step's heading holds at least EXTRACT_STEP_FOCUS of
 *    their library IDF in words that the chapter's title (words or
 *    initials) does not hold and that are EXTRACT_STEP_DENSITY times
 *    denser (occurrences per term) in the step's section, heading
 *    included, than in the chapter's other candidate sections (not "write" for
 *    "Step 3: Write or choose the items" in a chapter about writing a
 *    CFA), and no other step's heading holds any; the sections chosen (4)
 *    then answer, that step's section first (its score set to
 *    EXTRACT_STEP_LEAD times the best section's, so that the opening
 *    comes from it).
 *
 * 6. The answer, in Markdown:
 *
 *     "The opening sentence." [1]
 *
 *     **The section's heading** [1]
 *
 *     - "Consecutive sentences of one paragraph, quoted as one." [1]
 *     - "A list's lead-in:" [1]
 *         1. "Its items, whole, in order." [1]
 *
 *     **Another section's heading** [2]
 *
 *     - "..." [2]
 *
 *     **Key takeaways**
 *
 *     - "The lead words of a cited item, or the first clause of a cited sentence" [1]
 *
 *     **Suggested follow-up questions**
 *
 *     1. How do we go about ...?
 *
 *    Sections of one book with the same heading (passages that overlap or
 *    follow each other) are one group, in the book's order; the group of
 *    the opening comes first, then the others by source number.  A
 *    group's points are in the source's order: a run of consecutive
 *    sentences of one paragraph is one point, a lead-in is one with its
 *    items under it, and items without their lead-in are points of their
 *    own; the items of a numbered list are numbered, and so are the
 *    points of the answer's first group when the question asks how and
 *    no steps are written, when there are two or more of them (compose33:
 *    the paragraphs of a sample plan after step 5 are no steps; before,
 *    every group's points were numbered).  The heading line is the
 *    section's heading (else its chapter's title), left out when there is
 *    neither.
 *
 * 7. Key takeaways: up to EXTRACT_TAKEAWAYS (at least EXTRACT_MIN_TAKEAWAYS,
 *    else none); in an answer in numbered steps (5), the steps' own sentences first, in the
 *    steps' order, each its takeaway (below) or, when it has none, the
 *    whole sentence of 4 to EXTRACT_TAKEAWAY_WORDS words (the point it
 *    comes from is the step's item: its label and its sentence; take35);
 *    then, and in every other answer, from
 *    the cited units carrying the most weight of the query (not a
 *    dependent sentence, whose referent it would lose): an item's
 *    lead words (its bold run-in phrase, or a first sentence of at most
 *    three words, with the sentence after it) or its first sentence, a
 *    sentence's first clause (up to "; ", ": ", " — ", ", but ", ",
 *    which ", ", so ", ", and "), at least 4 and at most
 *    EXTRACT_TAKEAWAY_WORDS words and always shorter than what it comes
 *    from, so that no takeaway repeats a point; never a fragment: none
 *    with a sentence of under 4 words ("Few. Four to six norms."), a bold
 *    label alone, a last word that leaves the clause open ("the", "for",
 *    "each", "and") or a clause cut inside an aside ("A practical GVC
 *    document includes, for each unit"), nor a label and its data (one
 *    or two words and a colon, then a number or a bracket: "Proficiency:
 *    3 of 4, 2 of 3", "Targets: (1) identify", compose30); each quoted exactly and
 *    cited, none sharing EXTRACT_DUPLICATE_SHARE of its terms with
 *    another.  While fewer than EXTRACT_MIN_TAKEAWAYS are chosen so, the
 *    cited sentences (items) that are a takeaway whole, as a step's is
 *    (4 to EXTRACT_TAKEAWAY_WORDS words, no fragment, no label and its
 *    data; not a dependent sentence), those carrying the most weight of
 *    the query first, with the same duplicate test, until there are
 *    EXTRACT_MIN_TAKEAWAYS: issue 12 asks every answer to end with key
 *    takeaways, and a short answer whose sentences have no clause to cut
 *    (the starter library's norms answer under dedup37) had none; a whole
 *    sentence only makes up the two, never a third (dedup38).  Then the
 *    suggested follow-up questions (sugg37), at most
 *    EXTRACT_FOLLOWUPS, each a section heading of a chapter the answer
 *    cites (one of a source with a unit written; the caller's chapters,
 *    extract_request.chapters), phrased (phrase.h): first the headings
 *    right next to a section the answer quotes (a written unit's), by
 *    chapter (the chapter of the lowest source number first), each in
 *    the chapter's order; then, while fewer than two, those two, three,
 *    ... headings away.  A cited chapter none of whose headings the
 *    answer quotes (its units lie under a level-3 heading the list does
 *    not hold, or under none in the passage's text) counts the own
 *    section of its first source with a unit written as quoted; with no
 *    such section among its headings, its headings are taken in order
 *    (sugg37b).  Never a section the answer quotes (nor the
 *    question its heading, else its chapter's title, makes: the teacher
 *    has it already), never a chapter's title, never a chapter the
 *    answer does not cite (before sugg37 the caller's questions came
 *    first, built from every retrieved passage's chapter, and a
 *    neighbour could be the next chapter's title).  The reserve: the
 *    questions the headings next to each source's own section (the
 *    first source of each chapter; its chapter's first heading when it
 *    has none) make, next then previous, at most EXTRACT_FOLLOWUPS (the
 *    estimate the pipeline's own list was; compose27), each with its
 *    number, and the block's heading; none when that is empty.  The
 *    block, its heading included, takes at most the words the body left
 *    of EXTRACT_ANSWER_WORDS, and at least that reserve (sugg37b).
 *
 * Every quotation is exact text of its source and cited [n], in one
 * style (compose29): straight double quotes around every quotation, and
 * the text's own straight pairs written U+201C/U+201D, so that the
 * verifier pairs the marks correctly and every quotation inside a
 * quotation is curly ("\"“We let each speaker finish” is a norm a team
 * can check.\" [2]"; the verifier reads curly and straight marks alike).
 * Markdown emphasis marks ('*') that do not pair up within one quotation
 * (an italic paragraph split into sentences: "*Team: Grade 8 science." ...
 * "Response: Friday.*") are left out of it; the verifier ignores them.
 */
#ifndef PLC_COACH_EXTRACTIVE_H
#define PLC_COACH_EXTRACTIVE_H

#include <stdbool.h>
#include <stddef.h>

#define EXTRACT_MIN_WORDS 5
#define EXTRACT_MAX_WORDS 70
#define EXTRACT_MAX_ITEM_WORDS 90
#define EXTRACT_K1 1.2
#define EXTRACT_B 0.75
#define EXTRACT_HEADING_WEIGHT 2.0
#define EXTRACT_RANK_PRIOR 1.0
#define EXTRACT_SUBSTANCE_IDF 0.7
#define EXTRACT_RELATIVE 0.3
#define EXTRACT_MAX_SECTIONS 6
#define EXTRACT_PASSAGE_DECAY 0.7
#define EXTRACT_SOURCE_WORDS 40
#define EXTRACT_PAGE_SOURCES 2
#define EXTRACT_ANSWER_WORDS 500
#define EXTRACT_BODY_WORDS 420
#define EXTRACT_FILL_ROUNDS 2
#define EXTRACT_FILL_MIN 4
#define EXTRACT_LENGTH_EXPONENT 0.25
#define EXTRACT_LEAD_BONUS 1.5
#define EXTRACT_HOW_LEAD_BONUS 4.0
#define EXTRACT_TAKEAWAYS 3
#define EXTRACT_MIN_TAKEAWAYS 2
#define EXTRACT_TAKEAWAY_WORDS 18
#define EXTRACT_DUPLICATE_SHARE 0.7
#define EXTRACT_FOLLOWUPS 3
#define EXTRACT_CENTRAL_WEIGHT 0.05
#define EXTRACT_STEPS_RANK 2
#define EXTRACT_STEPS_SHARE 0.5
#define EXTRACT_STEP_FOCUS 0.3
#define EXTRACT_STEP_DENSITY 3.0
#define EXTRACT_STEP_LEAD 2.0
#define EXTRACT_MAX_STEPS 8
#define EXTRACT_STEPS_FETCH 3
/* Opens the answer to a quantity question when nothing quoted holds a
 * number (5): ours, not quoted, not cited. */
#define EXTRACT_NO_NUMBER "The library does not give a number for this; here is what it does say."

/* One retrieved passage. */
struct extract_source {
    const char *text; /* the passage, or the passage with its neighbours on its pages */
    /* When text holds more than the passage (extractive.h, "The page"): the
     * passage's own bytes of text, and the text of the printed pages the
     * passage lies on (as the pages table holds them), on which a unit of
     * text outside the passage must be found to be quoted.  own_end 0:
     * text is the passage, all of it may be quoted. */
    size_t own_start, own_end;
    const char *page;
    const char *section; /* its section heading, or NULL */
    const char *chapter; /* its chapter's title, or NULL */
    const char *book;    /* its book's id (passages of one book share it), or NULL */
    int ordinal;         /* its place in its book */
    bool steps_only;     /* fetched for a how question's steps (extractive_steps_wanted):
                          * quoted only as a step missing from the others, never a section */
};

/* A chapter of the passages (extract_request.chapters): its section
 * headings are headings[first .. first + n), in the chapter's order (its
 * title is not among them).  A source is in it when its book and chapter
 * title are these (both NULL-safe). */
struct extract_chapter {
    const char *book;  /* its book's id, as extract_source.book, or NULL */
    const char *title; /* its title, as extract_source.chapter, or NULL */
    size_t first, n;
};

/* A term retrieval searched with (library/search.h's evidence). */
struct extract_term {
    const char *term; /* analysed (library/analyze.h) */
    double idf;       /* the library's */
    double weight;    /* its weight in the query */
    bool own;         /* a word of the question, or what retrieval put in its place (an
                       * acronym's phrase, a thesaurus word, a spelling correction, a
                       * WordNet relation); false for a term of relevance feedback */
    bool related;     /* a WordNet relation of a question word (search source "related"):
                       * weighs in the query, never counts as substance (3; wnown35) */
};

struct extract_request {
    const char *question; /* the standalone question */
    const char *focus;    /* the follow-up as asked (its terms count twice), or NULL */
    const struct extract_source *sources; /* source n is sources[n - 1] */
    size_t k;
    const char *const *headings; /* the passages' chapters' headings and titles */
    size_t nheadings;
    const struct extract_term *terms; /* NULL: the question's words, IDF among the sections */
    size_t nterms;
    const struct extract_chapter *chapters; /* the chapters headings[] holds, each its span
                                             * of them (NULL: all of them one chapter, every
                                             * source's) */
    size_t nchapters;
    const char *previous; /* the conversation's previous answer (its Markdown), or NULL */
    const char *asked;    /* the words the teacher typed in this turn (a follow-up's own,
                           * not the standalone question's), or NULL: the question */
};

/* Composes the answer.  Returns malloc'd Markdown (caller frees), or NULL
 * when no section of the passages shares substance with the question. */
char *extractive_compose(const struct extract_request *rq)
    __attribute__((nonnull, warn_unused_result));

/* The passages a how question's steps lack (extractive.h, 5, steps33):
 * when rq's answer would number the steps of one chapter and their
 * numbers ("Step 1", "Phase two") start past 1, skip one between two
 * passages, the last step's section ends its passage, or a passage holds
 * a heading of a step they lack outside its own text, sets *book (rq's,
 * not copied) and ordinals[0..n) to the ordinals of that book's passages
 * next to the steps' that are not among rq's sources: before the first
 * step's passage, between the two, after the last or on that heading's
 * side, at most min(max, EXTRACT_STEPS_FETCH) of them.  Returns n; 0 (and *book NULL)
 * for anything else.  The caller hands them back as sources with
 * steps_only set. */
size_t extractive_steps_wanted(const struct extract_request *rq, const char **book, int *ordinals,
                               size_t max) __attribute__((nonnull, warn_unused_result));

/* A composition's setup (extractive.h, 4, "The budget"): rq's passages
 * read into sections, and the sections and units scored, once, for the
 * steps a how question lacks and then the answer, when the caller hands
 * no other sources in between (a source added or changed: a new setup).
 * rq, and all it points to, must outlive it and stay as it was. */
struct extract_setup;

/* The setup of rq's composition.  Returns it malloc'd (the caller frees
 * it with extractive_setup_free). */
struct extract_setup *extractive_setup(const struct extract_request *rq)
    __attribute__((nonnull, warn_unused_result));

/* extractive_steps_wanted and extractive_compose on x's request, from x:
 * the same results, with the passages read and scored once for both. */
size_t extractive_setup_steps_wanted(struct extract_setup *x, const char **book, int *ordinals,
                                     size_t max) __attribute__((nonnull, warn_unused_result));
char *extractive_setup_compose(struct extract_setup *x)
    __attribute__((nonnull, warn_unused_result));

/* Frees x and all it holds (NULL: nothing). */
void extractive_setup_free(struct extract_setup *x);

/* True when question asks how to do something ("how do we", "how can I",
 * "how to", "what steps"), not how many, much, often or long. */
bool extractive_asks_how(const char *question) __attribute__((nonnull));

/* True when question asks for a quantity ("how many", "how much", "how
 * often", "how long", "how big", "how large", "how soon"). */
bool extractive_asks_quantity(const char *question) __attribute__((nonnull));

/* True when question asks for an example or a story ("an example",
 * "a sample", "a real ...", "what does it look like", "what did"). */
bool extractive_asks_example(const char *question) __attribute__((nonnull));

#endif
