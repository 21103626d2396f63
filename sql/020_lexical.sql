-- 020_lexical: the lexical index behind BM25 retrieval, section headings,
-- and the text of every printed page (src/library/README.md, "Lexical
-- retrieval, exactly").
--
-- Books already in a library when this runs have no postings, sections or
-- pages yet: `plccoach reindex` builds their postings from the stored
-- passages and chapter titles (search finds them again); their section
-- headings and page texts come only from the source file, so re-ingest
-- those books (`plccoach ingest --replace FILE`) to get them.

-- Trigram lookups of the vocabulary, for question words the library does
-- not hold (typos).  pg_trgm is a trusted extension: the database owner
-- may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The printed pages, as read (after PDF cleanup): the evaluation's page
-- baseline reads them, and so can a page view of any book format.
CREATE TABLE pages (
    book_id    uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    page_index integer NOT NULL CHECK (page_index >= 0),
    label      text NOT NULL,
    text       text NOT NULL,
    PRIMARY KEY (book_id, page_index)
);

-- Section headings ("##" in Markdown, heading lines of a PDF), in book
-- order; a passage falls under the one most of its words follow.
CREATE TABLE sections (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    book_id    uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    chapter_id uuid REFERENCES chapters (id) ON DELETE CASCADE,
    ordinal    integer NOT NULL CHECK (ordinal >= 0),
    title      text NOT NULL CHECK (length(title) > 0),
    level      integer NOT NULL DEFAULT 2,
    page_start text NOT NULL,
    page_index integer NOT NULL,
    UNIQUE (book_id, ordinal)
);
CREATE INDEX sections_chapter ON sections (chapter_id, ordinal);

ALTER TABLE chunks ADD COLUMN section_id uuid REFERENCES sections (id) ON DELETE SET NULL;

-- The inverted index, one row per (book, term): the term's document
-- frequency in that book and its postings, packed (src/library/bm25.h:
-- 10 bytes each, best first).  A row belongs to its book, so ingest,
-- remove and replace keep the statistics exact in the book's own
-- transaction, with no row shared between books to lock.  The library's
-- document frequency of a term is the sum over its rows (an index-only
-- scan of the primary key).  Postings are stored uncompressed out of line
-- so that a capped read (substring) fetches only the slices it needs.
CREATE TABLE postings (
    term    text NOT NULL,
    book_id uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    df      integer NOT NULL CHECK (df > 0),
    data    bytea NOT NULL,
    PRIMARY KEY (term, book_id) INCLUDE (df)
);
ALTER TABLE postings ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX postings_book ON postings (book_id);
CREATE INDEX postings_term_trgm ON postings USING gin (term gin_trgm_ops);

-- Each book's share of the collection statistics: passages indexed and
-- the sum of their body lengths in analysed terms.
ALTER TABLE books ADD COLUMN lex_chunks integer NOT NULL DEFAULT 0 CHECK (lex_chunks >= 0),
                  ADD COLUMN lex_length bigint NOT NULL DEFAULT 0 CHECK (lex_length >= 0);
