-- 005_message_kind: what kind of reply an assistant message is, and the
-- choices of a clarifying question, so that a conversation reopened (or
-- shared) shows them as they were first shown.

ALTER TABLE messages
    ADD COLUMN kind text CHECK (kind IN ('answer', 'clarification', 'refusal')),
    -- {"question": text, "choices": [text, ...]} of a clarification
    ADD COLUMN clarification jsonb
        CHECK (clarification IS NULL
               OR (jsonb_typeof(clarification) = 'object'
                   AND jsonb_typeof(clarification -> 'choices') = 'array'
                   AND length(clarification::text) <= 4000)),
    ADD CHECK (role = 'assistant' OR (kind IS NULL AND clarification IS NULL)),
    ADD CHECK (clarification IS NULL OR kind = 'clarification');

-- Answers saved before this migration were answers, clarifications or
-- refusals; only "answer" can be told from their rows with certainty
-- (they cite), the others stay NULL (unknown).
UPDATE messages SET kind = 'answer'
WHERE role = 'assistant' AND jsonb_array_length(citations) > 0;
