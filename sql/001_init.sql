-- 001_init: the foundation.  pgvector for embeddings (issue 4) and the
-- table in which `plccoach migrate` records what it applied.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE schema_migrations (
    name       text PRIMARY KEY,
    checksum   text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
    applied_at timestamptz NOT NULL DEFAULT now()
);
