-- 022_related_terms: general English word relations for query expansion
-- (src/library/README.md, "Related words"): from Princeton WordNet 3.0
-- (Debian's wordnet-base, read on this machine by src/library/wordnet.c;
-- nothing derived from it is in the repository), each lemma's most
-- frequent sense in each part of speech: its synonyms, and the words of
-- its hypernyms and hyponyms one level away.  Both sides are analysed as
-- the lexical index analyses text (stems; a lemma of two words is its two
-- stems joined by a space), and only relations to a single stem are kept.
-- The table does not depend on the library: search keeps the related
-- terms that some passage holds.  Filled by `plccoach reindex --related`,
-- and by `plccoach ingest` when it is empty.
CREATE TABLE related_terms (
    word text NOT NULL,
    term text NOT NULL,
    rel  smallint NOT NULL CHECK (rel BETWEEN 1 AND 3), -- 1 synonym, 2 hypernym, 3 hyponym
    PRIMARY KEY (word, term)
);
