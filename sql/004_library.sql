-- 004_library: the knowledge library: books, chapters, chunks, ingestion jobs.
--
-- Printed pages: a page's label is what a reader sees (a PDF page label or
-- the number in the footer: "xii", "37"); page_index is its position in the
-- document (0-based) and only orders pages.  Citations show labels.
--
-- chunks.embedding is an untyped vector: the dimension belongs to the
-- configured embedding model, so the HNSW index is an expression index on
-- embedding::vector(N) (or ::halfvec(N) above 2000 dimensions) that
-- `plccoach reindex` (src/library/) creates for the configured N.

CREATE TABLE books (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    authors     text[] NOT NULL DEFAULT '{}',
    edition     text,
    isbn        text,
    sku         text,
    product_url text,
    source_uri  text,
    sha256      text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    format      text NOT NULL CHECK (format IN ('pdf', 'markdown', 'text')),
    sample      boolean NOT NULL DEFAULT false,
    page_count  integer NOT NULL DEFAULT 0 CHECK (page_count >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chapters (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    book_id          uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    ordinal          integer NOT NULL CHECK (ordinal >= 0),
    number           text,                    -- "3", "Introduction", NULL
    title            text NOT NULL,
    page_start       text,                    -- printed labels
    page_end         text,
    page_index_start integer,
    page_index_end   integer,
    UNIQUE (book_id, ordinal)
);

CREATE TABLE chunks (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    book_id          uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    chapter_id       uuid REFERENCES chapters (id) ON DELETE CASCADE,
    ordinal          integer NOT NULL CHECK (ordinal >= 0),
    text             text NOT NULL CHECK (length(text) > 0),
    page_start       text NOT NULL,
    page_end         text NOT NULL,
    page_index_start integer NOT NULL,
    page_index_end   integer NOT NULL CHECK (page_index_end >= page_index_start),
    token_count      integer NOT NULL DEFAULT 0,
    domains          text[] NOT NULL DEFAULT '{}' CHECK (domains <@ ARRAY['assessment',
                     'collaboration', 'leadership', 'curriculum', 'data_analysis',
                     'school_culture', 'student_learning']::text[]),
    tsv              tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
    embedding        vector,
    UNIQUE (book_id, ordinal)
);
CREATE INDEX chunks_book ON chunks (book_id, ordinal);
CREATE INDEX chunks_tsv ON chunks USING gin (tsv);
CREATE INDEX chunks_domains ON chunks USING gin (domains);

-- Which embedding model filled chunks.embedding (one row).
CREATE TABLE library_settings (
    id              boolean PRIMARY KEY DEFAULT true CHECK (id),
    embedding_model text NOT NULL,
    dimensions      integer NOT NULL CHECK (dimensions BETWEEN 1 AND 16000),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Ingestion jobs: a queue any number of tasks share (FOR UPDATE SKIP LOCKED,
-- NOTIFY ingest_jobs on insert).
CREATE TABLE ingest_jobs (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    status      text NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'done', 'failed')),
    path        text NOT NULL,                 -- where the upload was stored
    filename    text NOT NULL,
    options     jsonb NOT NULL DEFAULT '{}',   -- title, authors, isbn, replace, ...
    book_id     uuid REFERENCES books (id) ON DELETE SET NULL,
    error       text,
    created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    attempts    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    finished_at timestamptz
);
CREATE INDEX ingest_jobs_queued ON ingest_jobs (created_at) WHERE status = 'queued';
