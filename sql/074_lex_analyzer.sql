-- 074_lex_analyzer: which version of the text analysis built each book's
-- postings (src/library/analyze.h, ANALYZE_VERSION).  A question is
-- analysed by the running build; a book indexed by another version may
-- hold its words under other terms (an analysis that joined "broken" to
-- "break" would index it as "break"), so search logs how many books are
-- stale and `plccoach reindex --lexical` rebuilds them
-- (docs/operations.md, "Upgrading").  Books already indexed when this
-- runs were built by version 1, the analysis of migration 020 on.
ALTER TABLE books ADD COLUMN lex_analyzer integer NOT NULL DEFAULT 1 CHECK (lex_analyzer >= 1);
