-- 055_usage: usage counts for analytics (GET /api/analytics, issue 14),
-- kept as things happen so that a report over 10,000 people and a
-- million messages reads a few thousand small rows instead of the
-- messages (docs/performance.md).
--
-- Nothing here holds text that a person wrote: counts, timings, the
-- domains the coach routed to, and the book chapters its answers cited.
--
--   usage_days          per person and UTC day: what teams and "my usage"
--                       read, and who was active for a school's report
--   usage_org_days      per organization and day, the same sums without
--                       people: what schools and districts read
--   usage_chapters      per person, day and cited chapter
--   usage_org_chapters  per organization, day and chapter, with how many
--                       people cited it that day
--
-- A day's activity counts for the organization the person belonged to
-- when that day's row was started, and for that organization's district;
-- a school's report shows what happened while its people were its own.
--
-- Triggers on messages and feedback write the rows in the transaction
-- that saves the message or the feedback.  Deleting a conversation leaves
-- the counts (they describe usage, not content); erasing a person removes
-- their rows (ON DELETE CASCADE) and takes their part out of the
-- organizations' rows (usage_forget).  usage_rebuild() recomputes
-- everything from the messages and feedback that exist: below for the
-- rows written before this migration, and in bench/analytics.sh.

-- Upper bounds (milliseconds, exclusive) of the timing histograms: a
-- value v falls in bucket width_bucket(v, bounds) + 1 of 16, the last one
-- open-ended.  The report reads the bounds from here and interpolates
-- percentiles within a bucket (src/util/stats.c).
CREATE FUNCTION usage_answer_ms_bounds() RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{500,1000,1500,2000,2500,3000,4000,5000,6000,8000,10000,15000,20000,30000,60000}'::integer[];

CREATE FUNCTION usage_ttft_ms_bounds() RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{100,200,300,400,500,750,1000,1500,2000,3000,5000,10000,15000,30000,60000}'::integer[];

-- The order of the domains and reasons arrays below.
CREATE FUNCTION usage_domain_names() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['assessment', 'collaboration', 'leadership', 'curriculum', 'data_analysis',
             'school_culture', 'student_learning'];

CREATE FUNCTION usage_reason_names() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['inaccurate', 'incomplete', 'not_relevant', 'missing_citations', 'other'];

-- Element-wise a + b and a - b of two arrays of one length, and the sum
-- aggregate (strict: it starts from the first array).
CREATE FUNCTION usage_add(a integer[], b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY(SELECT x + y FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i) ORDER BY i);

CREATE FUNCTION usage_sub(a integer[], b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY(SELECT x - y FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i) ORDER BY i);

CREATE AGGREGATE usage_sum(integer[]) (sfunc = usage_add, stype = integer[]);

-- counts[i] = how many elements of idx equal i, for i in 1..n.
CREATE FUNCTION usage_count(idx integer[], n integer) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT count(x.v)::integer FROM generate_series(1, n) AS b(i)
             LEFT JOIN unnest(idx) AS x(v) ON x.v = b.i GROUP BY b.i ORDER BY b.i);

-- 1 for each name of names found in set, else 0.
CREATE FUNCTION usage_flags(names text[], set text[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT (n = ANY (set))::integer FROM unnest(names) WITH ORDINALITY AS t(n, i)
             ORDER BY i);

-- The counts both rollups keep: a template for LIKE, never holding rows.
CREATE TABLE usage_counts (
    questions      integer NOT NULL DEFAULT 0,
    -- conversations whose first question was asked that day
    conversations  integer NOT NULL DEFAULT 0,
    answers        integer NOT NULL DEFAULT 0,
    -- answers with a measured total time / time to first token
    answer_ms_n    integer NOT NULL DEFAULT 0,
    answer_ms_sum  bigint NOT NULL DEFAULT 0,
    answer_ms_max  integer NOT NULL DEFAULT 0,
    answer_ms_hist integer[] NOT NULL DEFAULT array_fill(0, ARRAY[16]),
    ttft_ms_n      integer NOT NULL DEFAULT 0,
    ttft_ms_sum    bigint NOT NULL DEFAULT 0,
    ttft_ms_max    integer NOT NULL DEFAULT 0,
    ttft_ms_hist   integer[] NOT NULL DEFAULT array_fill(0, ARRAY[16]),
    -- answers per domain (usage_domain_names order)
    domains        integer[] NOT NULL DEFAULT array_fill(0, ARRAY[7]),
    -- feedback first given that day, as it stands now: thumbs up, thumbs
    -- down, thumbs down per reason (usage_reason_names order), flags
    up             integer NOT NULL DEFAULT 0,
    down           integer NOT NULL DEFAULT 0,
    reasons        integer[] NOT NULL DEFAULT array_fill(0, ARRAY[5]),
    flagged        integer NOT NULL DEFAULT 0,
    CHECK (cardinality(answer_ms_hist) = 16 AND cardinality(ttft_ms_hist) = 16
           AND cardinality(domains) = 7 AND cardinality(reasons) = 5)
);

CREATE TABLE usage_days (
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day            date NOT NULL,
    org_id         uuid REFERENCES organizations (id) ON DELETE SET NULL,
    LIKE usage_counts INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    -- which figures this person counts in that day, one bit each (the
    -- report's distinct-person counts read only this; src/db/analytics.c)
    flags          integer GENERATED ALWAYS AS (
        -- (| and << share one precedence in SQL: each shift in parentheses)
        (questions > 0)::integer | ((conversations > 0)::integer << 1)
        | ((answer_ms_n > 0)::integer << 2) | ((ttft_ms_n > 0)::integer << 3)
        | ((up > 0)::integer << 4) | ((down > 0)::integer << 5) | ((flagged > 0)::integer << 6)
        | ((domains[1] > 0)::integer << 7) | ((domains[2] > 0)::integer << 8)
        | ((domains[3] > 0)::integer << 9) | ((domains[4] > 0)::integer << 10)
        | ((domains[5] > 0)::integer << 11) | ((domains[6] > 0)::integer << 12)
        | ((domains[7] > 0)::integer << 13)
        | ((reasons[1] > 0)::integer << 14) | ((reasons[2] > 0)::integer << 15)
        | ((reasons[3] > 0)::integer << 16) | ((reasons[4] > 0)::integer << 17)
        | ((reasons[5] > 0)::integer << 18)) STORED,
    PRIMARY KEY (user_id, day)
);
-- Who was active in a school or district, read from the index alone.
CREATE INDEX usage_days_org ON usage_days (org_id, day)
    INCLUDE (user_id, questions, conversations, flags);

CREATE TABLE usage_org_days (
    org_id         uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    day            date NOT NULL,
    LIKE usage_counts INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY (org_id, day)
);

-- Book chapters as answers cite them (book title, chapter number and
-- title, as in messages.citations): the "topics" of a report.
CREATE TABLE cited_chapters (
    id     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    book   text NOT NULL,
    number text,
    title  text,
    UNIQUE NULLS NOT DISTINCT (book, number, title)
);

CREATE TABLE usage_chapters (
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day        date NOT NULL,
    chapter_id integer NOT NULL REFERENCES cited_chapters (id),
    org_id     uuid REFERENCES organizations (id) ON DELETE SET NULL,
    citations  integer NOT NULL CHECK (citations > 0),
    PRIMARY KEY (user_id, day, chapter_id)
);
-- Who cited a chapter in a school or district (the rare exact counts).
CREATE INDEX usage_chapters_chapter ON usage_chapters (chapter_id, day) INCLUDE (org_id, user_id);

CREATE TABLE usage_org_chapters (
    org_id     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    day        date NOT NULL,
    chapter_id integer NOT NULL REFERENCES cited_chapters (id),
    citations  integer NOT NULL,
    -- distinct people who cited it that day
    people     integer NOT NULL,
    PRIMARY KEY (org_id, day, chapter_id)
);

-- Adds a person's day delta d (a usage_days row: its user_id, day and
-- counts; org_id is taken from the person when the row is new) to
-- usage_days, and to usage_org_days for that row's organization and its
-- district.
CREATE FUNCTION usage_apply(d usage_days) RETURNS void
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
        RETURN;
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
END
$$;

-- A zero delta for user u on day d.
CREATE FUNCTION usage_delta(u uuid, d date) RETURNS usage_days
LANGUAGE sql STABLE
RETURN ROW(u, d, NULL, 0, 0, 0, 0, 0, 0, array_fill(0, ARRAY[16]), 0, 0, 0,
           array_fill(0, ARRAY[16]), array_fill(0, ARRAY[7]), 0, 0, array_fill(0, ARRAY[5]), 0,
           0)::usage_days;

-- Counts one citation of a chapter by user u on day d.
CREATE FUNCTION usage_cite(u uuid, d date, book text, number text, title text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    chapter integer;
    org uuid;
    fresh boolean;
BEGIN
    SELECT id INTO chapter FROM cited_chapters c
    WHERE c.book = usage_cite.book AND c.number IS NOT DISTINCT FROM usage_cite.number
      AND c.title IS NOT DISTINCT FROM usage_cite.title;
    IF chapter IS NULL THEN
        INSERT INTO cited_chapters (book, number, title) VALUES (book, number, title)
        ON CONFLICT DO NOTHING RETURNING id INTO chapter;
        IF chapter IS NULL THEN  -- another transaction added it meanwhile
            SELECT id INTO chapter FROM cited_chapters c
            WHERE c.book = usage_cite.book AND c.number IS NOT DISTINCT FROM usage_cite.number
              AND c.title IS NOT DISTINCT FROM usage_cite.title;
        END IF;
    END IF;
    SELECT x.org_id INTO org FROM usage_days x WHERE x.user_id = u AND x.day = d;
    INSERT INTO usage_chapters (user_id, day, chapter_id, org_id, citations)
    VALUES (u, d, chapter, org, 1) ON CONFLICT DO NOTHING;
    fresh := FOUND;
    IF NOT fresh THEN
        UPDATE usage_chapters x SET citations = x.citations + 1
        WHERE x.user_id = u AND x.day = d AND x.chapter_id = chapter;
    END IF;
    IF org IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO usage_org_chapters AS x (org_id, day, chapter_id, citations, people)
    SELECT o.id, d, chapter, 1, 1 FROM organizations o
    WHERE o.id = org OR o.id = (SELECT parent_id FROM organizations WHERE id = org)
    ORDER BY o.id
    ON CONFLICT (org_id, day, chapter_id) DO UPDATE
        SET citations = x.citations + 1, people = x.people + fresh::integer;
END
$$;

-- A message counts for the owner of its conversation: a question (and a
-- conversation, when it is the conversation's first question); an answer
-- with its timings, domains and cited chapters.
CREATE FUNCTION usage_record_message() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    owner uuid;
    d usage_days;
    b integer;
    c jsonb;
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
        PERFORM usage_apply(d);
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
    PERFORM usage_apply(d);
    FOR c IN SELECT e FROM jsonb_array_elements(NEW.citations) AS t(e)
             WHERE jsonb_typeof(e -> 'book' -> 'title') = 'string'
    LOOP
        PERFORM usage_cite(owner, d.day, c -> 'book' ->> 'title', c -> 'chapter' ->> 'number',
                           c -> 'chapter' ->> 'title');
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER usage_record_message AFTER INSERT ON messages
    FOR EACH ROW EXECUTE FUNCTION usage_record_message();

-- Feedback counts on the day it was first given, for the answer's owner:
-- a new rating adds, a changed one moves its counts (up to down, reasons,
-- a flag raised or withdrawn).  Feedback deleted with its conversation
-- leaves the counts, like the messages.
CREATE FUNCTION usage_record_feedback() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    d usage_days := usage_delta(NEW.user_id, (NEW.created_at AT TIME ZONE 'UTC')::date);
BEGIN
    d.up := (NEW.rating = 1)::integer;
    d.down := (NEW.rating = -1)::integer;
    d.flagged := NEW.flagged::integer;
    d.reasons := usage_flags(usage_reason_names(), NEW.reasons);
    IF TG_OP = 'UPDATE' THEN
        d.up := d.up - (OLD.rating = 1)::integer;
        d.down := d.down - (OLD.rating = -1)::integer;
        d.flagged := d.flagged - OLD.flagged::integer;
        d.reasons := usage_sub(d.reasons, usage_flags(usage_reason_names(), OLD.reasons));
        IF d.up = 0 AND d.down = 0 AND d.flagged = 0 AND d.reasons = array_fill(0, ARRAY[5]) THEN
            RETURN NULL;
        END IF;
    END IF;
    PERFORM usage_apply(d);
    RETURN NULL;
END
$$;
CREATE TRIGGER usage_record_feedback AFTER INSERT OR UPDATE OF rating, reasons, flagged ON feedback
    FOR EACH ROW EXECUTE FUNCTION usage_record_feedback();

-- Takes user u's part out of the organizations' rows (before the person
-- is erased and their own rows go with them).
CREATE FUNCTION usage_forget(u uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    d usage_days;
BEGIN
    FOR d IN SELECT * FROM usage_days WHERE user_id = u AND org_id IS NOT NULL LOOP
        UPDATE usage_org_days x SET
            questions = x.questions - d.questions, conversations = x.conversations - d.conversations,
            answers = x.answers - d.answers, answer_ms_n = x.answer_ms_n - d.answer_ms_n,
            answer_ms_sum = x.answer_ms_sum - d.answer_ms_sum,
            answer_ms_hist = usage_sub(x.answer_ms_hist, d.answer_ms_hist),
            ttft_ms_n = x.ttft_ms_n - d.ttft_ms_n, ttft_ms_sum = x.ttft_ms_sum - d.ttft_ms_sum,
            ttft_ms_hist = usage_sub(x.ttft_ms_hist, d.ttft_ms_hist),
            domains = usage_sub(x.domains, d.domains), up = x.up - d.up,
            down = x.down - d.down, reasons = usage_sub(x.reasons, d.reasons),
            flagged = x.flagged - d.flagged
        WHERE x.day = d.day AND (x.org_id = d.org_id
                                 OR x.org_id = (SELECT parent_id FROM organizations
                                                WHERE id = d.org_id));
    END LOOP;
    UPDATE usage_org_chapters x SET citations = x.citations - c.citations, people = x.people - 1
    FROM usage_chapters c
    WHERE c.user_id = u AND c.org_id IS NOT NULL AND x.day = c.day AND x.chapter_id = c.chapter_id
      AND (x.org_id = c.org_id
           OR x.org_id = (SELECT parent_id FROM organizations WHERE id = c.org_id));
    DELETE FROM usage_org_chapters WHERE people <= 0;
    DELETE FROM usage_org_days
    WHERE questions = 0 AND conversations = 0 AND answers = 0 AND up = 0 AND down = 0
      AND flagged = 0;
END
$$;

-- Recomputes every usage row from the messages and feedback that exist,
-- attributing each day to the owner's present organization.  Returns the
-- number of usage_days rows.
CREATE FUNCTION usage_rebuild() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    DELETE FROM usage_org_chapters;
    DELETE FROM usage_chapters;
    DELETE FROM usage_org_days;
    DELETE FROM usage_days;
    CREATE TEMP TABLE usage_msgs ON COMMIT DROP AS
    SELECT cv.user_id, u.organization_id AS org_id, (m.created_at AT TIME ZONE 'UTC')::date AS day,
           m.role, m.total_ms, m.ttft_ms, m.domains, m.citations,
           width_bucket(m.total_ms, usage_answer_ms_bounds()) + 1 AS ab,
           width_bucket(m.ttft_ms, usage_ttft_ms_bounds()) + 1 AS tb,
           m.role = 'user' AND m.seq = min(m.seq) FILTER (WHERE m.role = 'user')
               OVER (PARTITION BY m.conversation_id) AS first
    FROM messages m JOIN conversations cv ON cv.id = m.conversation_id
    JOIN users u ON u.id = cv.user_id
    WHERE m.kind IS DISTINCT FROM 'error';
    -- Rows in day order, as the triggers would have written them.
    INSERT INTO usage_days (user_id, day, org_id, questions, conversations, answers,
                            answer_ms_n, answer_ms_sum, answer_ms_max, answer_ms_hist,
                            ttft_ms_n, ttft_ms_sum, ttft_ms_max, ttft_ms_hist, domains,
                            up, down, reasons, flagged)
    SELECT coalesce(g.user_id, f.user_id), coalesce(g.day, f.day), coalesce(g.org_id, f.org_id),
           coalesce(g.questions, 0), coalesce(g.conversations, 0), coalesce(g.answers, 0),
           coalesce(g.answer_ms_n, 0), coalesce(g.answer_ms_sum, 0), coalesce(g.answer_ms_max, 0),
           coalesce(g.answer_ms_hist, array_fill(0, ARRAY[16])),
           coalesce(g.ttft_ms_n, 0), coalesce(g.ttft_ms_sum, 0), coalesce(g.ttft_ms_max, 0),
           coalesce(g.ttft_ms_hist, array_fill(0, ARRAY[16])),
           coalesce(g.domains, array_fill(0, ARRAY[7])),
           coalesce(f.up, 0), coalesce(f.down, 0), coalesce(f.reasons, array_fill(0, ARRAY[5])),
           coalesce(f.flagged, 0)
    FROM (SELECT m.user_id, m.day, min(m.org_id::text)::uuid AS org_id,
                 count(*) FILTER (WHERE m.role = 'user')::integer AS questions,
                 count(*) FILTER (WHERE m.first)::integer AS conversations,
                 count(*) FILTER (WHERE m.role = 'assistant')::integer AS answers,
                 count(m.total_ms)::integer AS answer_ms_n,
                 coalesce(sum(m.total_ms), 0) AS answer_ms_sum,
                 coalesce(max(m.total_ms), 0) AS answer_ms_max,
                 usage_count(array_agg(m.ab) FILTER (WHERE m.ab IS NOT NULL), 16) AS answer_ms_hist,
                 count(m.ttft_ms)::integer AS ttft_ms_n,
                 coalesce(sum(m.ttft_ms), 0) AS ttft_ms_sum,
                 coalesce(max(m.ttft_ms), 0) AS ttft_ms_max,
                 usage_count(array_agg(m.tb) FILTER (WHERE m.tb IS NOT NULL), 16) AS ttft_ms_hist,
                 usage_sum(usage_flags(usage_domain_names(), m.domains))
                     FILTER (WHERE m.role = 'assistant') AS domains
          FROM usage_msgs m GROUP BY m.user_id, m.day) g
    FULL JOIN
         (SELECT f.user_id, (f.created_at AT TIME ZONE 'UTC')::date AS day,
                 min(u.organization_id::text)::uuid AS org_id,
                 count(*) FILTER (WHERE f.rating = 1)::integer AS up,
                 count(*) FILTER (WHERE f.rating = -1)::integer AS down,
                 usage_sum(usage_flags(usage_reason_names(), f.reasons)) AS reasons,
                 count(*) FILTER (WHERE f.flagged)::integer AS flagged
          FROM feedback f JOIN users u ON u.id = f.user_id
          GROUP BY f.user_id, (f.created_at AT TIME ZONE 'UTC')::date) f
      ON f.user_id = g.user_id AND f.day = g.day
    ORDER BY 2, 1;
    GET DIAGNOSTICS written = ROW_COUNT;
    INSERT INTO usage_org_days (org_id, day, questions, conversations, answers,
                                answer_ms_n, answer_ms_sum, answer_ms_max, answer_ms_hist,
                                ttft_ms_n, ttft_ms_sum, ttft_ms_max, ttft_ms_hist, domains,
                                up, down, reasons, flagged)
    SELECT o.id, d.day, sum(d.questions), sum(d.conversations), sum(d.answers),
           sum(d.answer_ms_n), sum(d.answer_ms_sum), max(d.answer_ms_max),
           usage_sum(d.answer_ms_hist), sum(d.ttft_ms_n), sum(d.ttft_ms_sum), max(d.ttft_ms_max),
           usage_sum(d.ttft_ms_hist), usage_sum(d.domains), sum(d.up), sum(d.down),
           usage_sum(d.reasons), sum(d.flagged)
    FROM usage_days d JOIN organizations s ON s.id = d.org_id
    JOIN organizations o ON o.id = s.id OR o.id = s.parent_id
    GROUP BY d.day, o.id ORDER BY d.day, o.id;
    INSERT INTO cited_chapters (book, number, title)
    SELECT DISTINCT e -> 'book' ->> 'title', e -> 'chapter' ->> 'number', e -> 'chapter' ->> 'title'
    FROM usage_msgs m, jsonb_array_elements(m.citations) AS t(e)
    WHERE m.role = 'assistant' AND jsonb_typeof(e -> 'book' -> 'title') = 'string'
    ON CONFLICT DO NOTHING;
    INSERT INTO usage_chapters (user_id, day, chapter_id, org_id, citations)
    SELECT m.user_id, m.day, ch.id, min(d.org_id::text)::uuid, count(*)
    FROM usage_msgs m JOIN usage_days d ON d.user_id = m.user_id AND d.day = m.day,
         jsonb_array_elements(m.citations) AS t(e), cited_chapters ch
    WHERE m.role = 'assistant' AND jsonb_typeof(e -> 'book' -> 'title') = 'string'
      AND ch.book = e -> 'book' ->> 'title'
      AND ch.number IS NOT DISTINCT FROM e -> 'chapter' ->> 'number'
      AND ch.title IS NOT DISTINCT FROM e -> 'chapter' ->> 'title'
    GROUP BY m.day, m.user_id, ch.id
    ORDER BY m.day, m.user_id, ch.id;
    INSERT INTO usage_org_chapters (org_id, day, chapter_id, citations, people)
    SELECT o.id, c.day, c.chapter_id, sum(c.citations), count(*)
    FROM usage_chapters c JOIN organizations s ON s.id = c.org_id
    JOIN organizations o ON o.id = s.id OR o.id = s.parent_id
    GROUP BY c.day, o.id, c.chapter_id ORDER BY c.day, o.id, c.chapter_id;
    DROP TABLE usage_msgs;
    RETURN written;
END
$$;

SELECT usage_rebuild();
