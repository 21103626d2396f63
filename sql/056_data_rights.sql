-- 056_data_rights: erasure and retention (issue 14, docs/privacy.md).
--
-- A stored file that must go (an export of an erased person, of a
-- conversation past retention) is written here in the transaction that
-- deletes its row, and deleted from the store after that transaction
-- commits (src/jobs/lifecycle.c); one the store could not delete stays
-- here and the job process tries again, so no file outlives its row
-- unnoticed, and no row names a file that is already gone.
CREATE TABLE storage_deletions (
    id         bigserial PRIMARY KEY,
    store      text NOT NULL CHECK (store IN ('content', 'exports')),
    key        text NOT NULL CHECK (length(key) BETWEEN 1 AND 512),
    reason     text NOT NULL CHECK (reason IN ('erasure', 'retention')),
    attempts   integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (store, key)
);

-- Daily work shared by every job process of every task: whoever moves
-- last_run_at first runs it (src/jobs/lifecycle.c).
CREATE TABLE maintenance_runs (
    name        text PRIMARY KEY,
    last_run_at timestamptz NOT NULL
);

-- Retention takes the conversations last changed before its cut-off.
CREATE INDEX conversations_updated ON conversations (updated_at, id);
