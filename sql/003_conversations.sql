-- 003_conversations: conversations and their messages, feedback on the
-- coach's answers, and view-only share links.
--
-- Conversations are private to their owner (user_id).  The HTTP layer
-- never reads a conversation without `user_id = <the caller>` in the same
-- statement, except through an active share (shares.token_hash).

CREATE TABLE conversations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title       text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
    archived_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- the last change: a message added, a rename, archive/unarchive; the
    -- history list is ordered by it (keyset pagination on (updated_at, id))
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_user_recent ON conversations (user_id, updated_at DESC, id DESC);
CREATE INDEX conversations_title_search ON conversations
    USING gin (to_tsvector('english'::regconfig, title));

CREATE TABLE messages (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- insertion order: messages of one conversation are read by seq, which
    -- stays strict when several rows share a created_at (one transaction)
    seq               bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    conversation_id   uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role              text NOT NULL CHECK (role IN ('user', 'assistant')),
    content           text NOT NULL CHECK (length(content) <= 100000),
    -- verified citations of an answer: a JSON array of objects
    citations         jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(citations) = 'array'),
    domains           text[] NOT NULL DEFAULT '{}'
                      CHECK (domains <@ ARRAY['assessment', 'collaboration', 'leadership',
                                              'curriculum', 'data_analysis', 'school_culture',
                                              'student_learning']::text[]
                             AND array_position(domains, NULL) IS NULL
                             AND cardinality(domains) <= 7),
    -- how an answer was made: by the language model or the built-in
    -- extractive mode
    mode              text CHECK (mode IN ('llm', 'extractive')),
    model             text CHECK (length(model) <= 200),
    grounded          boolean,
    prompt_tokens     integer CHECK (prompt_tokens >= 0),
    completion_tokens integer CHECK (completion_tokens >= 0),
    ttft_ms           integer CHECK (ttft_ms >= 0),
    total_ms          integer CHECK (total_ms >= 0),
    created_at        timestamptz NOT NULL DEFAULT now(),
    search            tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, content)) STORED,
    -- a question carries none of an answer's metadata
    CHECK (role = 'assistant'
           OR (citations = '[]'::jsonb AND mode IS NULL AND model IS NULL AND grounded IS NULL
               AND prompt_tokens IS NULL AND completion_tokens IS NULL
               AND ttft_ms IS NULL AND total_ms IS NULL)),
    CHECK (ttft_ms IS NULL OR total_ms IS NULL OR ttft_ms <= total_ms)
);
CREATE INDEX messages_conversation ON messages (conversation_id, seq);
CREATE INDEX messages_search ON messages USING gin (search);

-- A new message makes its conversation the most recent one.
CREATE FUNCTION messages_touch_conversation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE conversations SET updated_at = greatest(updated_at, NEW.created_at)
    WHERE id = NEW.conversation_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER messages_touch_conversation AFTER INSERT ON messages
    FOR EACH ROW EXECUTE FUNCTION messages_touch_conversation();

-- One rating per answer, by the owner of the conversation.  Flagging asks
-- an admin to review that one exchange (the answer and the question
-- before it); resolving closes the flag.
CREATE TABLE feedback (
    message_id      uuid PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rating          smallint NOT NULL CHECK (rating IN (-1, 1)),
    reasons         text[] NOT NULL DEFAULT '{}'
                    CHECK (reasons <@ ARRAY['inaccurate', 'incomplete', 'not_relevant',
                                            'missing_citations', 'other']::text[]
                           AND array_position(reasons, NULL) IS NULL
                           AND cardinality(reasons) <= 5),
    comment         text CHECK (length(comment) <= 2000),
    flagged         boolean NOT NULL DEFAULT false,
    -- when the current flag was raised (the admin list is ordered by it)
    flagged_at      timestamptz,
    resolved_at     timestamptz,
    resolved_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    resolution_note text CHECK (length(resolution_note) <= 2000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- reasons explain a thumbs down only
    CHECK (rating = -1 OR cardinality(reasons) = 0),
    CHECK (flagged = (flagged_at IS NOT NULL)),
    -- only a flag is resolved; a resolution needs its time
    CHECK (flagged OR resolved_at IS NULL),
    CHECK (resolved_at IS NOT NULL OR (resolved_by IS NULL AND resolution_note IS NULL))
);
CREATE INDEX feedback_open_flags ON feedback (flagged_at DESC, message_id DESC)
    WHERE flagged AND resolved_at IS NULL;
CREATE INDEX feedback_flags ON feedback (flagged_at DESC, message_id DESC) WHERE flagged;

-- View-only links.  The link carries a random 256-bit token; only its
-- SHA-256 is stored (see src/auth/token.h).  A share shows the messages
-- that existed when it was made.
CREATE TABLE shares (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    token_hash      text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    created_by      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz CHECK (expires_at > created_at),   -- NULL = never
    revoked_at      timestamptz CHECK (revoked_at >= created_at)
);
CREATE INDEX shares_conversation ON shares (conversation_id, created_at DESC);
