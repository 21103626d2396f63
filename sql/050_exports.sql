-- 050_exports: conversation exports (PDF, Markdown, plain text) and the
-- cache of rendered cited pages (src/export/, src/db/exports.c,
-- src/db/pages.c).
--
-- An export is a file in the exports store (src/storage/), made in the
-- request for small conversations or by a job process (the row is its
-- queue entry: FOR UPDATE SKIP LOCKED, NOTIFY export_jobs).  It belongs to
-- whoever asked for it (user_id) and, when asked for through a share link,
-- to that share (share_id): the owner's exports carry no share.  Rows whose
-- conversation, requester or share is gone (or whose link was revoked)
-- stay until the job process has deleted their file and then them (the
-- sweep), so no file outlives its row unnoticed.  Files expire after 30
-- days, like the S3 bucket's lifecycle: the sweep deletes the file and
-- keeps the row 30 days more, so that the link answers 410 Gone.

CREATE TABLE exports (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id uuid REFERENCES conversations (id) ON DELETE SET NULL,
    user_id         uuid REFERENCES users (id) ON DELETE SET NULL,
    share_id        uuid REFERENCES shares (id) ON DELETE SET NULL,
    format          text NOT NULL CHECK (format IN ('pdf', 'md', 'txt')),
    status          text NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'running', 'done', 'failed')),
    -- the key in the exports store, once the file is there
    storage_key     text CHECK (storage_key ~ '^exports/[0-9a-f-]{36}\.(pdf|md|txt)$'),
    bytes           bigint CHECK (bytes >= 0),
    error           text CHECK (length(error) <= 500),
    attempts        integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    expires_at      timestamptz NOT NULL DEFAULT now() + interval '30 days',
    -- a done export whose key is gone has expired and its file was deleted
    CHECK (status <> 'done' OR bytes IS NOT NULL)
);
CREATE INDEX exports_queued ON exports (created_at) WHERE status IN ('queued', 'running');
CREATE INDEX exports_sweep ON exports (expires_at);
CREATE INDEX exports_orphans ON exports (id)
    WHERE conversation_id IS NULL OR (user_id IS NULL AND share_id IS NULL);
CREATE INDEX exports_user ON exports (user_id, created_at DESC);

-- Rendered cited pages (PNG) and page texts kept in the exports store: the
-- key names the book's content (sha256), the page and the width.  Entries
-- of a removed book (book_id NULL) and entries older than 30 days are
-- deleted with their object by the same sweep.
CREATE TABLE page_cache (
    key        text PRIMARY KEY CHECK (key ~ '^pages/[0-9a-f]{64}/[a-z0-9.-]{1,80}$'),
    book_id    uuid REFERENCES books (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX page_cache_sweep ON page_cache (created_at);
CREATE INDEX page_cache_orphans ON page_cache (key) WHERE book_id IS NULL;
