-- 062_usage_rebuild_kept: usage_rebuild() no longer drops the counts of
-- deleted conversations.
--
-- docs/privacy.md says the usage counts outlive a deleted conversation
-- and are not affected by retention: they describe usage, not content.
-- usage_rebuild() recomputes them from the messages that exist, so after
-- an owner deleted a conversation, or after a retention purge, it
-- silently took those conversations' questions, answers and people out
-- of every report.  It also gave every day to the person's present
-- organization, where the same page says a move to another school does
-- not move a person's history.  Now each person whose conversations were
-- deleted while they stay (not an erasure: that takes their counts too),
-- or who moved to another organization, is recorded here, and
-- usage_rebuild() refuses while anyone is, unless forced
-- (usage_rebuild(force => true)), which then starts the record afresh.

CREATE TABLE usage_not_recomputable (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- the first reason since the last recomputation
    why     text NOT NULL CHECK (why IN ('deleted', 'moved')),
    at      timestamptz NOT NULL DEFAULT now()
);

-- After conversations are deleted (by their owner or by retention): their
-- owners, when they still exist.  In an erasure the person's row is
-- already gone when the cascade deletes the conversations.
CREATE FUNCTION usage_note_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO usage_not_recomputable (user_id, why)
    SELECT DISTINCT g.user_id, 'deleted' FROM gone g JOIN users u ON u.id = g.user_id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER usage_note_deleted AFTER DELETE ON conversations
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION usage_note_deleted();

-- A person with usage moving to another organization.
CREATE FUNCTION usage_note_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM usage_days d WHERE d.user_id = NEW.id) THEN
        INSERT INTO usage_not_recomputable (user_id, why) VALUES (NEW.id, 'moved')
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER usage_note_moved AFTER UPDATE OF organization_id ON users
    FOR EACH ROW WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id)
    EXECUTE FUNCTION usage_note_moved();

-- Conversations deleted by their owners before this migration (from the
-- audit log).  Retention batches before it name no owner: a district that
-- ran retention before 062 must not recompute the counts.
INSERT INTO usage_not_recomputable (user_id, why, at)
SELECT a.actor_id, 'deleted', min(a.at) FROM audit_log a JOIN users u ON u.id = a.actor_id
WHERE a.action = 'conversation.delete' GROUP BY a.actor_id;

ALTER FUNCTION usage_rebuild() RENAME TO usage_rebuild_all;

-- Recomputes every usage row and bit string from the messages and
-- feedback that exist (usage_rebuild_all), refusing while anyone's counts
-- would change by it (usage_not_recomputable), unless force.  Returns the
-- number of usage_days rows.
CREATE FUNCTION usage_rebuild(force boolean DEFAULT false) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    deleted bigint;
    moved bigint;
BEGIN
    SELECT count(*) FILTER (WHERE why = 'deleted'), count(*) FILTER (WHERE why = 'moved')
    INTO deleted, moved FROM usage_not_recomputable;
    IF deleted + moved > 0 AND NOT force THEN
        RAISE EXCEPTION 'usage_rebuild: the usage counts of % people outlive their deleted conversations and % people moved to another organization since the counts began (docs/privacy.md); a recomputation from the messages left would drop or move those counts', deleted, moved
            USING HINT = 'usage_rebuild(force => true) recomputes anyway';
    END IF;
    DELETE FROM usage_not_recomputable;
    RETURN usage_rebuild_all();
END
$$;
