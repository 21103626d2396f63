-- 013_answer_outcomes: no question without an answer (issue 11).
--
-- An answer that could not be finished is saved as what it is: an
-- assistant message of kind 'error' with a machine-readable error_code and
-- a sentence for the reader (src/coach/pipeline.c).  A question carries
-- the time by which its answer was due (answer_by, a lease): a question
-- with no answer after it is being answered until then, and interrupted
-- after (its worker died); readers show it so (src/db/conversations.c).
-- Idempotency-Key: a question asked with a key is found again by it, so a
-- retry returns the first outcome instead of asking twice
-- (src/db/messages.h).

ALTER TABLE messages DROP CONSTRAINT messages_kind_check;
ALTER TABLE messages
    ADD CONSTRAINT messages_kind_check
        CHECK (kind IN ('answer', 'clarification', 'refusal', 'error')),
    ADD COLUMN error_code text
        CHECK (error_code IS NULL OR (kind = 'error' AND error_code ~ '^[a-z_]{1,64}$')),
    ADD CONSTRAINT messages_error_has_code CHECK (kind IS DISTINCT FROM 'error' OR error_code IS NOT NULL),
    ADD COLUMN answer_by timestamptz CHECK (role = 'user' OR answer_by IS NULL);

CREATE TABLE ask_keys (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key         text NOT NULL CHECK (key ~ '^[!-~]{1,200}$'),
    question_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX ask_keys_created ON ask_keys (created_at);
