/*
 * A question that names a book (absent35; issue 12 sections 3 and 5): a
 * teacher who asks "who is the team meeting playbook written for?" of a
 * library that does not hold that book is told so, with the library's
 * closest titles, instead of being handed unrelated quotes.
 *
 * The rule, from general English (written before it was measured:
 * docs/performance.md, "absent35").  Words are words_split()'s (runs of
 * letters and digits, an apostrophe inside kept), compared with ASCII
 * case ignored.  A *book noun* is "book", "playbook", "handbook",
 * "guidebook", "workbook", "textbook", "guide" or "manual"; "book" is
 * none when the word after it makes it a modifier ("book study", "book
 * club", "book talk", "book list", "book room"...).  A *title word* is a
 * word that starts with an upper-case letter followed by a lower-case
 * one ("Playbook", "Learning"; not an acronym such as "CFA", nor the
 * question's first word); a *small word* is one of a, an, the, of, and,
 * by, for, in, on, to, with, at, from, that, or "&".  A question names a
 * book when it has one of:
 *
 *  (a) "the" + 1 to 5 words + a book noun, with no word between them
 *      that is a stop word other than a small word, nor "a" or "an"
 *      (an article opens a noun phrase of its own), the first of them
 *      not a word saying whose record or document it is (staff,
 *      student, parent, family, teacher, employee, faculty, district,
 *      school, grade, note, record, lesson, plan, year, work, phone,
 *      address, guest, code, log, class, course, answer...): "the team
 *      meeting playbook", "the assessment book".  Words right after
 *      "the" that say which part or copy of a book is meant (whole,
 *      entire, same, next, last, first, other, new, full, complete,
 *      original, current, previous, rest...: absent35b, added after
 *      validation, see docs/performance.md) are left out of the name:
 *      "the whole book" names none, "the whole meeting handbook" names
 *      "meeting handbook".  For "guide" and
 *      "manual", which in a school are as often its own documents
 *      ("the pacing guide", "the scoring guide"), the words before the
 *      noun must be title words (small words between them allowed) or
 *      quoted: "the Principal's Guide" names a book, "the pacing guide"
 *      does not.  "the" + a book noun alone ("the playbook") names
 *      none: it points back, it does not name.
 *  (b) a run of 2 or more title words (small words between them
 *      allowed), or a run of 2 or more words in double quotes (straight
 *      or curly), which ends in a book noun, is followed by one, or
 *      follows "book", "book called", "book titled", "book named",
 *      "titled" or "called" right after a book noun.
 *  (c) such a run (2+ title words or quoted) in a question that asks
 *      about a book: "who wrote X", "who is/was X written for", "who
 *      is/was X by", "what is X about", "X by Name" (Name a title word).
 *      In "X by Name" the run is cut at its last " by " followed by a
 *      title word when what is before it still has 2 title words
 *      ("Learning by Doing by DuFour": X "Learning by Doing", by
 *      "DuFour"; "Learning by Doing" alone stays whole).
 *
 *  (d) (absent36, written before it was measured) a name asked about as
 *      the speaker of a text, with no book noun: "what does/do/did X
 *      <verb>", <verb> one of say, recommend, suggest, advise, propose,
 *      argue, claim, tell: verbs of speaking and advising, whose subject
 *      is a speaker or a text, never a term or a practice (not "mean",
 *      "stand for", "cover", "include", "look like": "what does Guiding
 *      Coalition mean?" asks what a term means); "according to X"; and
 *      "in X" in a question that has one of those verbs ("In Learning by
 *      Doing, what do they say about norms?", "what do they recommend in
 *      Taking Action for tier 2?").  X is a run of title words (small
 *      words between them allowed) right after "does"/"to"/"in", or a
 *      quoted run; a run of lower-case words ("the district", "the
 *      research", "our principal") or an acronym ("RTI", "PLC": no
 *      lower-case letter) is no X.  After "what does" X must be followed
 *      by the verb at once; after "according to" and "in" X must not be
 *      followed by a lower-case content word joined to it ("according to
 *      Response to Intervention guidelines": X only modifies the noun,
 *      the name is the guidelines'); after "in" X has 2 or more title
 *      words (or is quoted): "in Texas", "in Spanish", "in Tier 2" are
 *      places and levels.  X of one title word ("what does DuFour say",
 *      "according to Marzano") names a person or a one-word title: held
 *      when it matches an author (or a title word) of a held book, as
 *      any name; an unknown person's name is absent and refused too,
 *      because the library can speak only for its own books and their
 *      authors: answering "what does Marzano say about feedback?" from
 *      its pages would put their words in an author's mouth.  The
 *      refusal of a (d) name says "no book of that title and none by an
 *      author of that name", since it may be either.  A program's or a
 *      document's title-cased name ("what does Common Core say about
 *      fractions?") cannot be told from a title in general English; it
 *      is caught and refused too, which is honest for the same reason:
 *      the library cannot speak for it.  Its acronym ("RTI", "CCSS") is
 *      not caught.
 *
 * So a question with no "the" before its book noun and no capitalised
 * or quoted run names no book: "how do we build a playbook for our
 * meetings?" (indefinite article), "what should be in our meeting
 * playbook?" (a possessive: their own document), "any tips for a book
 * study?" (book as a modifier) are never caught.  A lower-case title
 * asked without a book noun ("who wrote learning by doing") is not
 * caught either: general English gives no way to tell it from a topic.
 *
 * The name's *content words* are its words that are neither stop words
 * nor book nouns, an "'s" and a plural "s" left off.  The name is held
 * when every content word matches a word of one library book's title
 * (its words the same way, an article anywhere ignored), or every one
 * matches a word of one book's authors' names; two words match when
 * equal, or, both of 5 letters or more, one edit apart (a typo:
 * substitution, insertion, deletion or two neighbours swapped).  A name
 * with no content word is no name.  A named book that is not held is
 * absent: the pipeline refuses the question with booktitle_refusal()'s
 * text, no quotes.
 *
 * Nothing here reads the database; the pipeline gives the library's
 * titles (db/books.h books_titles, read once per ask that names a book).
 */
#ifndef PLC_COACH_BOOKTITLE_H
#define PLC_COACH_BOOKTITLE_H

#include <stdbool.h>
#include <stddef.h>

#define BOOKTITLE_NAME_BYTES 96    /* the name as written, cut at a word */
#define BOOKTITLE_WORDS 8          /* content words kept of a name */
#define BOOKTITLE_FEW 4            /* a library of at most this many books: name them all */
#define BOOKTITLE_CLOSEST 3        /* else the closest this many */
#define BOOKTITLE_SUBJECT_BYTES 64 /* the subject as written, cut at a word */

/* The book a question names. */
struct book_named {
    char name[BOOKTITLE_NAME_BYTES]; /* as written (no quotes), "" when none */
    bool cut; /* name shows fewer words than it was given (too long): words hold them all */
    char words[BOOKTITLE_WORDS][32]; /* its content words, lower case, "'s"/plural "s" off */
    size_t nwords;
    char author[32];                       /* "X by Name": Name, lower case; "" when none */
    size_t end;                            /* the byte after the name in the question */
    bool spoken;                           /* named by (d): a title or an author's name */
    char subject[BOOKTITLE_SUBJECT_BYTES]; /* what follows "about" after the name, "" if none */
};

/* A library book as the rule needs it (the strings the caller's). */
struct booktitle_book {
    const char *title;
    const char *const *authors;
    size_t nauthors;
};

/* True when question names a book (the rule above); *out then holds it
 * (else out->name is ""). */
bool booktitle_named(const char *question, struct book_named *out) __attribute__((nonnull));

/* True when the named book matches one of the n library books. */
bool booktitle_held(const struct book_named *b, const struct booktitle_book *lib, size_t n)
    __attribute__((nonnull(1)));

/* The refusal for an absent book: says the library does not hold it and
 * names the library's books (all of them when there are at most
 * BOOKTITLE_FEW; else the BOOKTITLE_CLOSEST sharing most content words
 * with the name, the library's order on a tie), with their authors.
 * When covered (the caller's: the question's own words were routed to
 * an answer, so the library's pages cover its words) and the question
 * asks "about" a subject (with a distinctive word) after the name ("what does Learning by Doing
 * say about SMART goals?"), it ends by saying the library has pages on
 * that subject and how to ask for them (absent36).  Returns a malloc'd
 * string, the caller's to free. */
char *booktitle_refusal(const struct book_named *b, const struct booktitle_book *lib, size_t n,
                        bool covered) __attribute__((nonnull(1), returns_nonnull));

/* True when a and b (lower case) are equal or, both of 5 letters or
 * more, one edit apart (substitution, insertion, deletion, swap). */
bool booktitle_word_match(const char *a, const char *b) __attribute__((nonnull));

#endif
