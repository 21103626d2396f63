-- Flags that outlive their conversation (issue 19).  A flag asks an
-- administrator to review one exchange; deleting the conversation (or a
-- retry replacing the flagged answer) used to delete the flag with it,
-- even from the admin queue's "All".  Now a flagged answer's feedback row
-- stays, holding a snapshot of the answer (its messages row as JSON,
-- without the search vector: text, citations, mode, ...) and of the
-- question before it, and says what was deleted.  Feedback that is not a
-- flag still goes with its message, as before (the trigger below does
-- what ON DELETE CASCADE did).  Erasing the user still removes it all
-- (feedback.user_id cascades).

ALTER TABLE feedback DROP CONSTRAINT feedback_message_id_fkey;
ALTER TABLE feedback
    -- {"answer": messages row, "question": {"id", "content", "created_at"}}
    ADD COLUMN snapshot jsonb CHECK (snapshot IS NULL OR jsonb_typeof(snapshot) = 'object'),
    -- what went: the whole conversation, or the answer alone (a retry)
    ADD COLUMN deleted text CHECK (deleted IN ('conversation', 'answer')),
    ADD CHECK ((snapshot IS NULL) = (deleted IS NULL)),
    ADD CHECK (deleted IS NULL OR flagged);

-- Keeps the flags of the answer m (all: of conversation c) before they
-- are deleted.  The question is the user's message just before the answer.
CREATE FUNCTION feedback_keep_flags(c uuid, m uuid, what text) RETURNS void
LANGUAGE sql AS $$
    UPDATE feedback f SET deleted = what,
        snapshot = jsonb_build_object(
            'answer', to_jsonb(a) - 'search',
            'question', (SELECT jsonb_build_object('id', q.id, 'content', q.content,
                                                   'created_at', to_char(q.created_at AT TIME ZONE 'UTC',
                                                                         'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
                         FROM messages q
                         WHERE q.conversation_id = a.conversation_id AND q.role = 'user'
                           AND q.seq < a.seq
                         ORDER BY q.seq DESC LIMIT 1))
    FROM messages a
    WHERE a.id = f.message_id AND f.flagged AND f.snapshot IS NULL
      AND a.conversation_id = c AND (m IS NULL OR a.id = m);
$$;

-- A conversation being deleted: its messages are all still there.
-- Retention (PLCCOACH_RETENTION_DAYS, userdata.c) sets plccoach.retention
-- for its transaction: then flags go with their conversations, as all
-- text older than the district's limit must.
CREATE FUNCTION feedback_conversation_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('plccoach.retention', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    PERFORM feedback_keep_flags(OLD.id, NULL, 'conversation');
    RETURN OLD;
END
$$;
CREATE TRIGGER feedback_conversation_deleted BEFORE DELETE ON conversations
    FOR EACH ROW EXECUTE FUNCTION feedback_conversation_deleted();

-- One message being deleted (a retry replaces what followed a question,
-- or its conversation's cascade): a flag is kept, other feedback goes.
CREATE FUNCTION feedback_message_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('plccoach.retention', true), '') <> 'on' THEN
        PERFORM feedback_keep_flags(OLD.conversation_id, OLD.id, 'answer');
    END IF;
    DELETE FROM feedback WHERE message_id = OLD.id AND snapshot IS NULL;
    RETURN OLD;
END
$$;
CREATE TRIGGER feedback_message_deleted BEFORE DELETE ON messages
    FOR EACH ROW EXECUTE FUNCTION feedback_message_deleted();
