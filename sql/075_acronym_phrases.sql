-- 075_acronym_phrases: the capitalised phrases each book spells out, by
-- their initials ("Check-In, Check-Out" under CICO, "What I Need" under
-- WIN), so that a question's acronym the acronym list lacks and the
-- library never writes can stand for the phrase the library does
-- (src/library/README.md, "Acronyms the library spells out").  Mined from
-- the book's passages with its postings (src/library/initials.h), in the
-- same transaction: ingest, remove (ON DELETE CASCADE), replace and
-- `plccoach reindex --lexical` keep it exact, and every worker reads the
-- same rows.  Books already in a library when this runs have none until
-- `plccoach reindex --lexical` (docs/operations.md, "Upgrading").
CREATE TABLE acronym_phrases (
    initials text NOT NULL CHECK (initials ~ '^[A-Z]{2,6}$'),
    phrase   text NOT NULL CHECK (length(phrase) > 0),
    book_id  uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    passages integer NOT NULL CHECK (passages > 0),
    PRIMARY KEY (initials, phrase, book_id)
);
CREATE INDEX acronym_phrases_book ON acronym_phrases (book_id);
