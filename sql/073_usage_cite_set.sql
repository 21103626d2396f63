-- 073_usage_cite_set: an answer's citations counted in one statement
-- (issue 14: inserting a message cost 18-24x one without the usage
-- triggers, and most of it was per citation: docs/performance.md).
--
-- 055's usage_record_message called usage_cite once per citation, and
-- each call ran five statements (the chapter's id, the person-day's
-- organization, the person's chapter-day, a second statement when that
-- row existed, both organizations' chapter-days), each of whose
-- usage_chapters rows then fired 061's chapter-month trigger, which ran
-- two more statements per organization (was it the person's first day
-- with the chapter that month, the month's row).  An answer citing two
-- chapters ran about 20 statements and 4 trigger calls for them.
--
-- usage_cite_all counts all of an answer's citations at once: one
-- statement that adds any chapter not seen before (usually none), and
-- one that writes the person's chapter-days, both organizations'
-- chapter-days and chapter-months together (data-modifying WITH
-- queries).  The chapter months are written there, so the trigger on
-- usage_chapters goes; nothing else writes usage_chapters outside
-- usage_rebuild(), which writes the months itself.  The person-day's
-- organization comes from usage_apply's upsert (usage_apply_at returns
-- it) instead of a look-up.  usage_flags (055), a SQL function with a
-- subquery that PostgreSQL plans again at each call from a trigger
-- (071 says why), is a PL/pgSQL loop like usage_add, and so is
-- usage_count, which usage_rebuild() calls for every person-day.
--
-- The rows written are the ones 055 and 061 wrote:
-- t/integration/analytics.sh compares them with a recomputation.

DROP TRIGGER usage_record_chapter_month ON usage_chapters;
DROP TRIGGER usage_record_chapter_month_change ON usage_chapters;
DROP FUNCTION usage_record_chapter_month();

CREATE OR REPLACE FUNCTION usage_flags(names text[], set text[]) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    r integer[] := array_fill(0, ARRAY[cardinality(names)]);
BEGIN
    FOR i IN 1..cardinality(names) LOOP
        IF names[i] = ANY (set) THEN
            r[i] := 1;
        END IF;
    END LOOP;
    RETURN r;
END
$$;

-- usage_count (055) likewise: usage_rebuild() calls it twice per person-day.
CREATE OR REPLACE FUNCTION usage_count(idx integer[], n integer) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    r integer[] := array_fill(0, ARRAY[n]);
    v integer;
BEGIN
    FOREACH v IN ARRAY coalesce(idx, '{}') LOOP
        IF v BETWEEN 1 AND n THEN
            r[v] := r[v] + 1;
        END IF;
    END LOOP;
    RETURN r;
END
$$;

-- usage_apply (055), returning the organization of the person-day (NULL
-- when it has none).
CREATE FUNCTION usage_apply_at(d usage_days) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    org uuid;
BEGIN
    INSERT INTO usage_days AS x (user_id, day, org_id, questions, conversations, answers,
                                 answer_ms_n, answer_ms_sum, answer_ms_max, answer_ms_hist,
                                 ttft_ms_n, ttft_ms_sum, ttft_ms_max, ttft_ms_hist, domains,
                                 up, down, reasons, flagged)
    SELECT d.user_id, d.day, u.organization_id, d.questions, d.conversations, d.answers,
           d.answer_ms_n, d.answer_ms_sum, d.answer_ms_max, d.answer_ms_hist,
           d.ttft_ms_n, d.ttft_ms_sum, d.ttft_ms_max, d.ttft_ms_hist, d.domains,
           d.up, d.down, d.reasons, d.flagged
    FROM users u WHERE u.id = d.user_id
    ON CONFLICT (user_id, day) DO UPDATE SET
        questions = x.questions + d.questions, conversations = x.conversations + d.conversations,
        answers = x.answers + d.answers, answer_ms_n = x.answer_ms_n + d.answer_ms_n,
        answer_ms_sum = x.answer_ms_sum + d.answer_ms_sum,
        answer_ms_max = greatest(x.answer_ms_max, d.answer_ms_max),
        answer_ms_hist = usage_add(x.answer_ms_hist, d.answer_ms_hist),
        ttft_ms_n = x.ttft_ms_n + d.ttft_ms_n, ttft_ms_sum = x.ttft_ms_sum + d.ttft_ms_sum,
        ttft_ms_max = greatest(x.ttft_ms_max, d.ttft_ms_max),
        ttft_ms_hist = usage_add(x.ttft_ms_hist, d.ttft_ms_hist),
        domains = usage_add(x.domains, d.domains), up = x.up + d.up, down = x.down + d.down,
        reasons = usage_add(x.reasons, d.reasons), flagged = x.flagged + d.flagged
    RETURNING x.org_id INTO org;
    IF org IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO usage_org_days AS x (org_id, day, questions, conversations, answers,
                                     answer_ms_n, answer_ms_sum, answer_ms_max, answer_ms_hist,
                                     ttft_ms_n, ttft_ms_sum, ttft_ms_max, ttft_ms_hist, domains,
                                     up, down, reasons, flagged)
    SELECT o.id, d.day, d.questions, d.conversations, d.answers,
           d.answer_ms_n, d.answer_ms_sum, d.answer_ms_max, d.answer_ms_hist,
           d.ttft_ms_n, d.ttft_ms_sum, d.ttft_ms_max, d.ttft_ms_hist, d.domains,
           d.up, d.down, d.reasons, d.flagged
    FROM organizations o WHERE o.id = org
       OR o.id = (SELECT parent_id FROM organizations WHERE id = org)
    ORDER BY o.id
    ON CONFLICT (org_id, day) DO UPDATE SET
        questions = x.questions + d.questions, conversations = x.conversations + d.conversations,
        answers = x.answers + d.answers, answer_ms_n = x.answer_ms_n + d.answer_ms_n,
        answer_ms_sum = x.answer_ms_sum + d.answer_ms_sum,
        answer_ms_max = greatest(x.answer_ms_max, d.answer_ms_max),
        answer_ms_hist = usage_add(x.answer_ms_hist, d.answer_ms_hist),
        ttft_ms_n = x.ttft_ms_n + d.ttft_ms_n, ttft_ms_sum = x.ttft_ms_sum + d.ttft_ms_sum,
        ttft_ms_max = greatest(x.ttft_ms_max, d.ttft_ms_max),
        ttft_ms_hist = usage_add(x.ttft_ms_hist, d.ttft_ms_hist),
        domains = usage_add(x.domains, d.domains), up = x.up + d.up, down = x.down + d.down,
        reasons = usage_add(x.reasons, d.reasons), flagged = x.flagged + d.flagged;
    RETURN org;
END
$$;

CREATE OR REPLACE FUNCTION usage_apply(d usage_days) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM usage_apply_at(d);
END
$$;

-- Counts the citations cites (messages.citations) of an answer of user u
-- on day d, whose person-day belongs to organization org (NULL: none):
-- the person's chapter-days, and the chapter-days and chapter-months of
-- org and its district, with a person counted once per chapter and day
-- (people of usage_org_chapters) and per chapter and month (people of
-- usage_org_chapter_months: no other day of the month in org or its
-- schools had the chapter).
CREATE FUNCTION usage_cite_all(u uuid, d date, org uuid, cites jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    mon date := date_trunc('month', d)::date;
BEGIN
    -- Chapters never cited before (ON CONFLICT: another transaction added
    -- one meanwhile).
    INSERT INTO cited_chapters (book, number, title)
    SELECT DISTINCT e -> 'book' ->> 'title', e -> 'chapter' ->> 'number', e -> 'chapter' ->> 'title'
    FROM jsonb_array_elements(cites) AS t(e)
    WHERE jsonb_typeof(e -> 'book' -> 'title') = 'string'
      AND NOT EXISTS (SELECT 1 FROM cited_chapters c
                      WHERE c.book = e -> 'book' ->> 'title'
                        AND c.number IS NOT DISTINCT FROM e -> 'chapter' ->> 'number'
                        AND c.title IS NOT DISTINCT FROM e -> 'chapter' ->> 'title')
    ON CONFLICT DO NOTHING;
    WITH c AS (
        SELECT ch.id, count(*)::integer AS n
        FROM jsonb_array_elements(cites) AS t(e)
        JOIN cited_chapters ch ON ch.book = e -> 'book' ->> 'title'
         AND ch.number IS NOT DISTINCT FROM e -> 'chapter' ->> 'number'
         AND ch.title IS NOT DISTINCT FROM e -> 'chapter' ->> 'title'
        WHERE jsonb_typeof(e -> 'book' -> 'title') = 'string'
        GROUP BY ch.id),
    p AS (
        INSERT INTO usage_chapters AS x (user_id, day, chapter_id, org_id, citations)
        SELECT u, d, c.id, org, c.n FROM c ORDER BY c.id
        ON CONFLICT (user_id, day, chapter_id) DO UPDATE SET citations = x.citations + excluded.citations
        RETURNING x.chapter_id, x.citations),
    -- fresh: the person's first citation of the chapter that day (a row
    -- already there holds at least one citation more than this answer's)
    f AS (SELECT c.id, c.n, p.citations = c.n AS fresh FROM c JOIN p ON p.chapter_id = c.id),
    o AS (SELECT x.id FROM organizations x
          WHERE org IS NOT NULL
            AND (x.id = org OR x.id = (SELECT s.parent_id FROM organizations s WHERE s.id = org))),
    od AS (
        INSERT INTO usage_org_chapters AS x (org_id, day, chapter_id, citations, people)
        SELECT o.id, d, f.id, f.n, f.fresh::integer FROM o, f ORDER BY o.id, f.id
        ON CONFLICT (org_id, day, chapter_id) DO UPDATE
            SET citations = x.citations + excluded.citations, people = x.people + excluded.people)
    INSERT INTO usage_org_chapter_months AS x (org_id, month, chapter_id, citations, people)
    SELECT o.id, mon, f.id, f.n,
           (f.fresh AND NOT EXISTS (
               SELECT 1 FROM usage_chapters c
               WHERE c.user_id = u AND c.day >= mon AND c.day < d + 31
                 AND date_trunc('month', c.day) = mon AND c.day <> d AND c.chapter_id = f.id
                 AND (c.org_id = o.id OR c.org_id IN (SELECT s.id FROM organizations s
                                                      WHERE s.parent_id = o.id))))::integer
    FROM o, f ORDER BY o.id, f.id
    ON CONFLICT (org_id, month, chapter_id) DO UPDATE
        SET citations = x.citations + excluded.citations, people = x.people + excluded.people;
END
$$;

DROP FUNCTION usage_cite(uuid, date, text, text, text);

-- 055's trigger, with usage_apply_at and usage_cite_all.
CREATE OR REPLACE FUNCTION usage_record_message() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    owner uuid;
    org uuid;
    d usage_days;
    b integer;
BEGIN
    SELECT cv.user_id INTO owner FROM conversations cv WHERE cv.id = NEW.conversation_id;
    IF owner IS NULL THEN
        RETURN NULL;
    END IF;
    -- A failure saved in an answer's place (kind error, 013) is no answer.
    IF NEW.kind IS NOT DISTINCT FROM 'error' THEN
        RETURN NULL;
    END IF;
    d := usage_delta(owner, (NEW.created_at AT TIME ZONE 'UTC')::date);
    IF NEW.role = 'user' THEN
        d.questions := 1;
        d.conversations := (NOT EXISTS (SELECT 1 FROM messages m
                                        WHERE m.conversation_id = NEW.conversation_id
                                          AND m.role = 'user' AND m.seq < NEW.seq))::integer;
        PERFORM usage_apply_at(d);
        RETURN NULL;
    END IF;
    d.answers := 1;
    IF NEW.total_ms IS NOT NULL THEN
        b := width_bucket(NEW.total_ms, usage_answer_ms_bounds()) + 1;
        d.answer_ms_n := 1;
        d.answer_ms_sum := NEW.total_ms;
        d.answer_ms_max := NEW.total_ms;
        d.answer_ms_hist[b] := 1;
    END IF;
    IF NEW.ttft_ms IS NOT NULL THEN
        b := width_bucket(NEW.ttft_ms, usage_ttft_ms_bounds()) + 1;
        d.ttft_ms_n := 1;
        d.ttft_ms_sum := NEW.ttft_ms;
        d.ttft_ms_max := NEW.ttft_ms;
        d.ttft_ms_hist[b] := 1;
    END IF;
    d.domains := usage_flags(usage_domain_names(), NEW.domains);
    org := usage_apply_at(d);
    IF jsonb_typeof(NEW.citations) = 'array' AND jsonb_array_length(NEW.citations) > 0 THEN
        PERFORM usage_cite_all(owner, d.day, org, NEW.citations);
    END IF;
    RETURN NULL;
END
$$;
