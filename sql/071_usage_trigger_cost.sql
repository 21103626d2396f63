-- 071_usage_trigger_cost: what the usage triggers cost a message (issue
-- 14: 3.9-4.5 ms a message with every trigger, 18-24x none;
-- docs/performance.md has each trigger's share).
--
-- usage_add, which 055's usage_apply calls four times for each row it
-- updates (the person-day and both organizations' days, for every
-- message) and the reports' usage_sum aggregate calls for every row it
-- reads, was a SQL function whose subquery unnested, numbered and sorted
-- both arrays, planned again at each call from a trigger; it is now a
-- PL/pgSQL loop, whose plans are kept (3,000 calls on 16 elements:
-- 75-164 ms against 419-687 ms; one array expression per length as a
-- SQL function took 11.8 s, its larger body planned at every call).
--
-- 061's bit string and chapter month triggers ran for every change of
-- their rows and returned early from their own guard (the organization
-- and usage_rebuild's setting, written once in each): now the guard is
-- the triggers' WHEN, one function for all of them (usage_rollups_live,
-- 070), and the bit strings' trigger is not called when a person-day's
-- figure bits did not change, which is most messages.

CREATE OR REPLACE FUNCTION usage_add(a integer[], b integer[]) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    r integer[] := a;
BEGIN
    FOR i IN 1..cardinality(a) LOOP
        r[i] := a[i] + b[i];
    END LOOP;
    RETURN r;
END
$$;

DROP TRIGGER usage_record_bits ON usage_days;
CREATE TRIGGER usage_record_bits AFTER INSERT ON usage_days
    FOR EACH ROW WHEN (usage_rollups_live(NEW.org_id))
    EXECUTE FUNCTION usage_record_bits();
CREATE TRIGGER usage_record_bits_change AFTER UPDATE ON usage_days
    FOR EACH ROW WHEN ((NEW.flags <> OLD.flags OR NEW.org_id IS DISTINCT FROM OLD.org_id)
                       AND usage_rollups_live(NEW.org_id))
    EXECUTE FUNCTION usage_record_bits();

DROP TRIGGER usage_record_chapter_month ON usage_chapters;
CREATE TRIGGER usage_record_chapter_month AFTER INSERT ON usage_chapters
    FOR EACH ROW WHEN (usage_rollups_live(NEW.org_id))
    EXECUTE FUNCTION usage_record_chapter_month();
CREATE TRIGGER usage_record_chapter_month_change AFTER UPDATE OF citations ON usage_chapters
    FOR EACH ROW WHEN (NEW.citations <> OLD.citations AND usage_rollups_live(NEW.org_id))
    EXECUTE FUNCTION usage_record_chapter_month();
