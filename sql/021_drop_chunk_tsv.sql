-- 021_drop_chunk_tsv: retrieval ranks with BM25 over the lexical index
-- (020_lexical); PostgreSQL full text no longer reads chunks.tsv, so the
-- generated column and its GIN index go (ingestion no longer computes
-- and indexes a tsvector per passage).
DROP INDEX IF EXISTS chunks_tsv;
ALTER TABLE chunks DROP COLUMN IF EXISTS tsv;
