/*
 * The structure of a retrieved passage, for the extractive composer
 * (extractive.h): its headings, paragraphs, sentences and lists, the
 * sections the headings open, and the role of each sentence.
 *
 * A passage is a chunk of a book as the library stores it: paragraphs
 * one to a line (a PDF's wrapped lines are joined by ingestion),
 * Markdown headings ("## ...") and list items ("- ", "1. ") on lines of
 * their own, PDF bullets ("• ") at a line's start or run into a line,
 * and section headings that ingestion could not separate from the text
 * next to them.  Every line that is not empty is read as:
 *
 *   - a heading: a Markdown heading; a line that is one of the known
 *     headings (the caller's: the section headings and chapter titles of
 *     the passage's chapter); a chapter opener ("CHAPTER 3", "Chapter 3:
 *     Title"), named by the chapter's title when the caller gives it;
 *   - a fragment: a table row ("| ... |");
 *   - list items: a line that opens with a list marker ("- ", "* ",
 *     "+ ", "• ", "12. ", "3) "), cut into one item per "• " run into it;
 *   - otherwise a paragraph: its sentences (sentences.h), and, when
 *     bullets are run into it, the text before the first one as the list's
 *     lead and the rest as its items.  A known heading run into the
 *     start of a sentence is a heading of its own (the sentence starts
 *     after it), and so is a sentence that is a known heading (a heading
 *     run into the end of the paragraph before it).  A heading the caller
 *     did not name, run into its sentence ("The concerns ladder We find
 *     ..."; 2 to 9 words, the first capitalised, then a word that opens
 *     sentences after a word ending in a lower-case letter or digit) is
 *     cut off and, like a known one, opens a section of its own.  A title
 *     block run into a sentence (the lines of a title page, title,
 *     subtitle, authors and the next page's heading, that ingestion joined
 *     to the next page's first sentence: "The Team Meeting Playbook
 *     Norms, Agendas and Protocols for Collaborative Teams Renata Alvarez
 *     and Marcus Webb Sample Content Notice This book is ..."; 3 or more
 *     words, each capitalised, a number or a small word of titles, no
 *     punctuation but commas, then a determiner or pronoun opening the
 *     sentence, "The", "This", "Every", ..., and a lower-case word;
 *     holding a comma, longer than 9 words or right after a known heading)
 *     is a fragment, never quoted nor a heading, and the sentence after
 *     it starts an unnamed section.
 *
 * Roles of a sentence:
 *   - complete: it ends like a sentence (. ! ? or ':' before closing
 *     quotes and brackets);
 *   - lead: it ends with ':' and a list follows it (the list's lead-in);
 *   - question: it ends with '?' (the book asking, not answering);
 *   - dependent: it opens with a pronoun or connective whose referent is
 *     in the sentence before ("This", "They", "However", "For example"),
 *     or its second or third word is "it" or "them" ("Writing it first"),
 *     or "this one" or "that one" comes among its second to fourth words;
 *   - narrative: it tells a story rather than stating a principle: in a
 *     paragraph where at least half the sentences are in the past tense
 *     (passage_past_tense()) and a name (a capitalised word that does
 *     not open its sentence) or a time ("August", "last year", "two
 *     weeks later") occurs, a sentence in the past tense or naming a
 *     name or a time.
 *
 * Sections: a heading opens one, which runs to the next heading.  The
 * units before the passage's first heading belong to the passage's own
 * section (the caller's) when no heading in the text is that section,
 * else to an unnamed one.
 *
 * Ownership: passage_parse() fills a struct passage whose arrays it
 * allocates (release with passage_free()); every span points into the
 * caller's text, every heading into the text or into the caller's
 * strings, which must outlive it.
 */
#ifndef PLC_COACH_PASSAGE_H
#define PLC_COACH_PASSAGE_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

#define PASSAGE_MAX_UNITS 160

enum passage_kind {
    PASSAGE_HEADING,  /* a label, never quoted as a sentence */
    PASSAGE_SENTENCE, /* a sentence of a paragraph, or a list's lead */
    PASSAGE_ITEM,     /* a list item, whole */
    PASSAGE_FRAGMENT, /* a table row */
};

struct passage_unit {
    enum passage_kind kind;
    size_t start, len; /* bytes of the text (no list marker, no surrounding space) */
    size_t words;
    unsigned para;    /* the line it is on */
    unsigned list;    /* items: the list's number (1, 2, ...), shared by consecutive items */
    unsigned section; /* index of its section */
    bool numbered;    /* an item of a numbered list */
    bool complete, lead, question, dependent, narrative;
};

struct passage_section {
    const char *heading; /* NULL when unnamed */
    size_t hlen;
    size_t first, n; /* its units */
};

struct passage {
    const char *text;
    struct passage_unit *u; /* owned */
    size_t n;
    struct passage_section *s; /* owned */
    size_t ns;
};

/* The headings a passage may hold: its chapter's section headings and
 * chapter titles, its own section heading and its chapter's title. */
struct passage_headings {
    const char *const *known;
    size_t nknown;
    const char *section; /* NULL when none */
    const char *chapter; /* NULL when none */
};

/* Parses text (at most PASSAGE_MAX_UNITS units are kept) into out. */
void passage_parse(const char *text, const struct passage_headings *h, struct passage *out)
    __attribute__((nonnull(1, 3)));

void passage_free(struct passage *p);

/* True when the sentence at s (len bytes) is in the past tense: an
 * irregular past form such as "had", "was", "wrote" not after an
 * auxiliary ("has had"), or a word in -ed after a subject pronoun or a
 * name ("she asked", "Dana asked"). */
bool passage_past_tense(const char *s, size_t len) __attribute__((nonnull));

/* True when the sentence at s (len bytes) opens with a pronoun or a
 * connective whose referent is in the sentence before (the roles above). */
bool passage_opens_dependent(const char *s, size_t len) __attribute__((nonnull));

/* The chunker repeats a passage's last sentences at the start of the
 * next one (library/README.md, chunk.c): an overlap shorter than this is
 * taken for a coincidence, not a repeat. */
#define PASSAGE_JOIN_MIN_OVERLAP 16

/* Appends to out the passages texts[0..n) of one book, consecutive and in
 * book order, as one text: each passage without its repeat of the end of
 * the text before it (the longest end of that text, at least
 * PASSAGE_JOIN_MIN_OVERLAP bytes after a space or at its start, that the
 * passage opens with), else after a line break.  Sets *own_start and
 * *own_end to the bytes of out (from its length on entry) that are
 * texts[self] whole (self < n). */
void passage_join(struct buf *out, const char *const *texts, size_t n, size_t self,
                  size_t *own_start, size_t *own_end) __attribute__((nonnull));

#endif
