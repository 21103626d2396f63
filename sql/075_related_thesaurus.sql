-- 075_related_thesaurus: related_terms also holds a general English
-- thesaurus's pairs (src/library/README.md, "Related words"): Aiksaurus,
-- a Moby-derived thesaurus (Debian's libaiksaurus-1.2-data, read on this
-- machine by src/library/aiksaurus.c; nothing derived from it is in the
-- repository), rel 4: two words that share one of its meanings.  A pair
-- WordNet calls synonyms stays rel 1; a pair both a thesaurus pair and a
-- WordNet hypernym or hyponym is rel 4.  Search weighs them on their own
-- (w_aiksaurus, aiksaurus_k).  Filled by `plccoach reindex --related`,
-- and by `plccoach ingest` when the table is empty.
ALTER TABLE related_terms DROP CONSTRAINT related_terms_rel_check;
ALTER TABLE related_terms ADD CONSTRAINT related_terms_rel_check CHECK (rel BETWEEN 1 AND 4);
