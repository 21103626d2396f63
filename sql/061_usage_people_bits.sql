-- 061_usage_people_bits: who was active in a school or district, as one
-- bit per person, per day and per calendar month (issue 14: a district's
-- whole-year report missed its 200 ms target because distinct people do
-- not add up across days, and counting them grouped every person-day of
-- the district: docs/performance.md).
--
-- Each organization numbers the people whose usage it counts, densely
-- from 0 (usage_org_people: a school its own people, a district the
-- people of its schools).  usage_org_bits holds, per organization, UTC
-- day or month, and figure, a bit string whose bit i is set when person
-- i counted in that figure then: figures 0-18 are the bits of
-- usage_days.flags (asked, started a conversation, ... see 055), figure
-- 19 is "any usage at all".  A range's distinct people are the bit count
-- of the OR of its whole months and of the days at either end: a year is
-- 12 month strings and a few dozen day strings per figure, whatever the
-- number of person-days.
--
-- The strings are written by a trigger on usage_days, in the transaction
-- that changes its row, and only when a person-day's figure bits change
-- (a person's first question of the day, the first answer in a domain,
-- ...): most messages change no bit and cost nothing here.  A bit that
-- goes off (feedback changed from up to down) goes off in the day, and in
-- the month when no other day of that month still has it.  Erasure
-- (usage_forget) clears the person's bits; usage_rebuild() recomputes
-- them.  Bit strings of one organization may differ in length (a string
-- is lengthened when a person numbered past its end first counts in it);
-- usage_bits_union ORs them as if padded with zeros.
--
-- The median and 90th percentile of questions per person need each
-- asker's total over the range: usage_person_years holds, per person,
-- organization and calendar year, the running total of their questions
-- at the end of each month (cum[m] = January to month m), so that a
-- range's whole months are one subtraction per person and year, and only
-- the days at either end are read from usage_days.
--
-- The report's topics (the most cited chapters) read, for the same
-- reason, usage_org_chapter_months for the range's whole months: per
-- organization, month and chapter, the citations and the distinct people
-- who cited it that month, kept by a trigger on usage_chapters (a
-- person's first citation of a chapter in a month counts them once).

CREATE TABLE usage_org_people (
    org_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idx     integer NOT NULL CHECK (idx >= 0),
    PRIMARY KEY (org_id, user_id),
    UNIQUE (org_id, idx)
);

-- The next number of each organization (a row lock serializes the
-- numbering of two people who first count in one organization at once).
CREATE TABLE usage_org_people_next (
    org_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    next   integer NOT NULL
);

CREATE TABLE usage_org_bits (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    -- 'd' a UTC day, 'm' the calendar month starting on start
    span   "char" NOT NULL CHECK (span IN ('d', 'm')),
    flag   smallint NOT NULL CHECK (flag BETWEEN 0 AND 19),
    start  date NOT NULL,
    people bit varying NOT NULL,
    PRIMARY KEY (org_id, span, flag, start)
);

-- b with bit i set to v, lengthened (to a multiple of 64 bits) when i is
-- past its end; NULL b reads as no bits.
CREATE FUNCTION usage_bits_set(b bit varying, i integer, v integer) RETURNS bit varying
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    len integer := coalesce(length(b), 0);
BEGIN
    IF i >= len THEN
        IF v = 0 THEN
            RETURN coalesce(b, B'');
        END IF;
        b := coalesce(b, B'') || repeat('0', (i / 64 + 1) * 64 - len)::bit varying;
    END IF;
    RETURN set_bit(b, i, v);
END
$$;

-- a OR b, the shorter padded with zeros.
CREATE FUNCTION usage_bits_or(a bit varying, b bit varying) RETURNS bit varying
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN length(a) = length(b) THEN a | b
            WHEN length(a) < length(b) THEN (a || repeat('0', length(b) - length(a))::bit varying) | b
            ELSE a | (b || repeat('0', length(a) - length(b))::bit varying) END;

CREATE AGGREGATE usage_bits_union(bit varying) (sfunc = usage_bits_or, stype = bit varying);

-- Person u's number in organization o, given one when u has none yet.
CREATE FUNCTION usage_person_index(o uuid, u uuid) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    i integer;
BEGIN
    SELECT p.idx INTO i FROM usage_org_people p WHERE p.org_id = o AND p.user_id = u;
    IF FOUND THEN
        RETURN i;
    END IF;
    INSERT INTO usage_org_people_next AS x (org_id, next) VALUES (o, 1)
    ON CONFLICT (org_id) DO UPDATE SET next = x.next + 1
    RETURNING x.next - 1 INTO i;
    INSERT INTO usage_org_people (org_id, user_id, idx) VALUES (o, u, i) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN  -- another transaction numbered u meanwhile (i stays unused)
        SELECT p.idx INTO i FROM usage_org_people p WHERE p.org_id = o AND p.user_id = u;
    END IF;
    RETURN i;
END
$$;

-- Keeps usage_org_bits in step with a usage_days row's figure bits.
CREATE FUNCTION usage_record_bits() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    now_bits integer := NEW.flags | (1 << 19);
    was_bits integer := 0;
    added integer;
    removed integer;
    mon date := date_trunc('month', NEW.day)::date;
    o uuid;
    i integer;
    f integer;
BEGIN
    -- usage_rebuild() writes the strings after the rows, all at once.
    IF NEW.org_id IS NULL OR current_setting('plccoach.usage_rebuild', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.org_id IS NOT DISTINCT FROM NEW.org_id THEN
        was_bits := OLD.flags | (1 << 19);
    END IF;
    added := now_bits & ~was_bits;
    removed := was_bits & ~now_bits;
    IF added = 0 AND removed = 0 THEN
        RETURN NULL;
    END IF;
    FOR o IN SELECT x.id FROM organizations x
             WHERE x.id = NEW.org_id
                OR x.id = (SELECT s.parent_id FROM organizations s WHERE s.id = NEW.org_id)
             ORDER BY x.id LOOP
        i := usage_person_index(o, NEW.user_id);
        FOR f IN 0..19 LOOP
            IF (added >> f) & 1 = 1 THEN
                INSERT INTO usage_org_bits AS x (org_id, span, flag, start, people)
                VALUES (o, 'd', f, NEW.day, usage_bits_set(NULL, i, 1)),
                       (o, 'm', f, mon, usage_bits_set(NULL, i, 1))
                ON CONFLICT (org_id, span, flag, start)
                    DO UPDATE SET people = usage_bits_set(x.people, i, 1);
            ELSIF (removed >> f) & 1 = 1 THEN
                UPDATE usage_org_bits x SET people = usage_bits_set(x.people, i, 0)
                WHERE x.org_id = o AND x.span = 'd' AND x.flag = f AND x.start = NEW.day;
                IF NOT EXISTS (SELECT 1 FROM usage_days d
                               WHERE d.user_id = NEW.user_id AND d.day >= mon
                                 AND d.day < mon + 31 AND d.day <> NEW.day
                                 AND date_trunc('month', d.day) = mon
                                 AND (d.flags >> f) & 1 = 1
                                 AND (d.org_id = o OR d.org_id IN (SELECT s.id FROM organizations s
                                                                   WHERE s.parent_id = o))) THEN
                    UPDATE usage_org_bits x SET people = usage_bits_set(x.people, i, 0)
                    WHERE x.org_id = o AND x.span = 'm' AND x.flag = f AND x.start = mon;
                END IF;
            END IF;
        END LOOP;
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER usage_record_bits AFTER INSERT OR UPDATE ON usage_days
    FOR EACH ROW EXECUTE FUNCTION usage_record_bits();

-- Recomputes usage_org_people and usage_org_bits from usage_days.
CREATE FUNCTION usage_rebuild_bits() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM usage_org_bits;
    DELETE FROM usage_org_people;
    DELETE FROM usage_org_people_next;
    -- Each organization numbers its people in the order they first used it.
    INSERT INTO usage_org_people (org_id, user_id, idx)
    SELECT o.id, d.user_id,
           row_number() OVER (PARTITION BY o.id ORDER BY min(d.day), d.user_id) - 1
    FROM usage_days d JOIN organizations s ON s.id = d.org_id
    JOIN organizations o ON o.id = s.id OR o.id = s.parent_id
    GROUP BY o.id, d.user_id;
    INSERT INTO usage_org_people_next (org_id, next)
    SELECT org_id, max(idx) + 1 FROM usage_org_people GROUP BY org_id;
    -- Each string written as text from its people's numbers in order: the
    -- zeros before each one, a one, and the zeros up to the organization's
    -- length (a multiple of 64 bits past its last number).
    INSERT INTO usage_org_bits (org_id, span, flag, start, people)
    SELECT g.org_id, g.span, g.flag, g.start,
           (string_agg(repeat('0', g.idx - g.prev - 1) || '1', '' ORDER BY g.idx)
            || repeat('0', max(g.len) - max(g.idx) - 1))::bit varying
    FROM (SELECT e.*, coalesce(lag(e.idx) OVER (PARTITION BY e.org_id, e.span, e.flag, e.start
                                                ORDER BY e.idx), -1) AS prev
          FROM (SELECT DISTINCT o.id AS org_id, s.span, f.f AS flag, s.start, p.idx,
                                ((n.next - 1) / 64 + 1) * 64 AS len
                FROM usage_days d JOIN organizations sc ON sc.id = d.org_id
                JOIN organizations o ON o.id = sc.id OR o.id = sc.parent_id
                JOIN usage_org_people p ON p.org_id = o.id AND p.user_id = d.user_id
                JOIN usage_org_people_next n ON n.org_id = o.id
                CROSS JOIN LATERAL (VALUES ('d'::"char", d.day),
                                           ('m'::"char", date_trunc('month', d.day)::date))
                    AS s(span, start)
                CROSS JOIN LATERAL generate_series(0, 19) AS f(f)
                WHERE f.f = 19 OR (d.flags >> f.f) & 1 = 1) e) g
    GROUP BY g.org_id, g.span, g.flag, g.start
    ORDER BY g.org_id, g.span, g.flag, g.start;
END
$$ SET work_mem = '256MB';

-- Erasure: u's bits go from every string of every organization that
-- numbered u (the usage_org_people rows go with the person).
CREATE FUNCTION usage_forget_bits(u uuid) RETURNS void
LANGUAGE sql AS $$
    UPDATE usage_org_bits x SET people = set_bit(x.people, p.idx, 0)
    FROM usage_org_people p
    WHERE p.user_id = u AND x.org_id = p.org_id AND length(x.people) > p.idx
      AND get_bit(x.people, p.idx) = 1;
$$;

CREATE TABLE usage_person_years (
    org_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    year    integer NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    cum     integer[] NOT NULL CHECK (cardinality(cum) = 12),
    PRIMARY KEY (org_id, year, user_id)
);

-- cum with n added to months m to 12.
CREATE FUNCTION usage_cum_add(cum integer[], m integer, n integer) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY(SELECT c + CASE WHEN i >= m THEN n ELSE 0 END
             FROM unnest(cum) WITH ORDINALITY AS t(c, i) ORDER BY i);

CREATE FUNCTION usage_record_person_year() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    added integer := NEW.questions - CASE WHEN TG_OP = 'UPDATE' THEN OLD.questions ELSE 0 END;
    y integer := extract(year FROM NEW.day)::integer;
    m integer := extract(month FROM NEW.day)::integer;
BEGIN
    IF NEW.org_id IS NULL OR added = 0
       OR current_setting('plccoach.usage_rebuild', true) = 'on' THEN
        RETURN NULL;
    END IF;
    INSERT INTO usage_person_years AS x (org_id, year, user_id, cum)
    VALUES (NEW.org_id, y, NEW.user_id, usage_cum_add(array_fill(0, ARRAY[12]), m, added))
    ON CONFLICT (org_id, year, user_id) DO UPDATE SET cum = usage_cum_add(x.cum, m, added);
    RETURN NULL;
END
$$;
CREATE TRIGGER usage_record_person_year AFTER INSERT OR UPDATE OF questions ON usage_days
    FOR EACH ROW EXECUTE FUNCTION usage_record_person_year();

CREATE FUNCTION usage_rebuild_person_years() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM usage_person_years;
    INSERT INTO usage_person_years (org_id, year, user_id, cum)
    SELECT t.org_id, t.year, t.user_id, array_agg(t.c ORDER BY t.mm)
    FROM (SELECT k.org_id, k.year, k.user_id, g.mm,
                 (sum(coalesce(q.n, 0)) OVER (PARTITION BY k.org_id, k.year, k.user_id
                                              ORDER BY g.mm))::integer AS c
          FROM (SELECT d.org_id, extract(year FROM d.day)::integer AS year, d.user_id
                FROM usage_days d WHERE d.org_id IS NOT NULL AND d.questions > 0
                GROUP BY 1, 2, 3) k
          CROSS JOIN generate_series(1, 12) AS g(mm)
          LEFT JOIN (SELECT d.org_id, extract(year FROM d.day)::integer AS year, d.user_id,
                            extract(month FROM d.day)::integer AS mm, sum(d.questions) AS n
                     FROM usage_days d WHERE d.org_id IS NOT NULL GROUP BY 1, 2, 3, 4) q
            ON q.org_id = k.org_id AND q.year = k.year AND q.user_id = k.user_id AND q.mm = g.mm) t
    GROUP BY t.org_id, t.year, t.user_id
    ORDER BY 1, 2, 3;
$$ SET work_mem = '256MB';

CREATE TABLE usage_org_chapter_months (
    org_id     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    month      date NOT NULL,
    chapter_id integer NOT NULL REFERENCES cited_chapters (id),
    citations  integer NOT NULL,
    -- distinct people who cited it that month
    people     integer NOT NULL,
    PRIMARY KEY (org_id, month, chapter_id)
);

-- Adds a usage_chapters row's new citations to its organizations' month.
CREATE FUNCTION usage_record_chapter_month() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    added integer := NEW.citations - CASE WHEN TG_OP = 'UPDATE' THEN OLD.citations ELSE 0 END;
    mon date := date_trunc('month', NEW.day)::date;
    o uuid;
    fresh integer;
BEGIN
    IF NEW.org_id IS NULL OR added = 0
       OR current_setting('plccoach.usage_rebuild', true) = 'on' THEN
        RETURN NULL;
    END IF;
    FOR o IN SELECT x.id FROM organizations x
             WHERE x.id = NEW.org_id
                OR x.id = (SELECT s.parent_id FROM organizations s WHERE s.id = NEW.org_id)
             ORDER BY x.id LOOP
        fresh := (TG_OP = 'INSERT' AND NOT EXISTS (
            SELECT 1 FROM usage_chapters c
            WHERE c.user_id = NEW.user_id AND c.day >= mon AND c.day < NEW.day + 31
              AND date_trunc('month', c.day) = mon AND c.day <> NEW.day
              AND c.chapter_id = NEW.chapter_id
              AND (c.org_id = o OR c.org_id IN (SELECT s.id FROM organizations s
                                                WHERE s.parent_id = o))))::integer;
        INSERT INTO usage_org_chapter_months AS x (org_id, month, chapter_id, citations, people)
        VALUES (o, mon, NEW.chapter_id, added, fresh)
        ON CONFLICT (org_id, month, chapter_id)
            DO UPDATE SET citations = x.citations + added, people = x.people + fresh;
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER usage_record_chapter_month AFTER INSERT OR UPDATE OF citations ON usage_chapters
    FOR EACH ROW EXECUTE FUNCTION usage_record_chapter_month();

CREATE FUNCTION usage_rebuild_chapter_months() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM usage_org_chapter_months;
    INSERT INTO usage_org_chapter_months (org_id, month, chapter_id, citations, people)
    SELECT p.org_id, p.month, p.chapter_id, sum(p.citations), count(*)
    FROM (SELECT o.id AS org_id, date_trunc('month', c.day)::date AS month, c.chapter_id,
                 c.user_id, sum(c.citations) AS citations
          FROM usage_chapters c JOIN organizations s ON s.id = c.org_id
          JOIN organizations o ON o.id = s.id OR o.id = s.parent_id
          GROUP BY 1, 2, 3, 4) p
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
$$ SET work_mem = '256MB';

-- Erasure: u's citations and u out of the months.
CREATE FUNCTION usage_forget_chapter_months(u uuid) RETURNS void
LANGUAGE sql AS $$
    UPDATE usage_org_chapter_months x SET citations = x.citations - g.citations,
                                          people = x.people - 1
    FROM (SELECT o.id AS org_id, date_trunc('month', c.day)::date AS month, c.chapter_id,
                 sum(c.citations) AS citations
          FROM usage_chapters c JOIN organizations s ON s.id = c.org_id
          JOIN organizations o ON o.id = s.id OR o.id = s.parent_id
          WHERE c.user_id = u GROUP BY 1, 2, 3) g
    WHERE x.org_id = g.org_id AND x.month = g.month AND x.chapter_id = g.chapter_id;
    DELETE FROM usage_org_chapter_months WHERE people <= 0;
$$;

ALTER FUNCTION usage_forget(uuid) RENAME TO usage_forget_counts;
CREATE FUNCTION usage_forget(u uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM usage_forget_chapter_months(u);
    PERFORM usage_forget_counts(u);
    PERFORM usage_forget_bits(u);
END
$$;

ALTER FUNCTION usage_rebuild() RENAME TO usage_rebuild_counts;

-- Recomputes every usage row and bit string from the messages and
-- feedback that exist.  Returns the number of usage_days rows.
CREATE FUNCTION usage_rebuild() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    PERFORM set_config('plccoach.usage_rebuild', 'on', true);
    written := usage_rebuild_counts();
    PERFORM usage_rebuild_bits();
    PERFORM usage_rebuild_chapter_months();
    PERFORM usage_rebuild_person_years();
    PERFORM set_config('plccoach.usage_rebuild', 'off', true);
    RETURN written;
END
$$;

SELECT usage_rebuild_bits();
SELECT usage_rebuild_chapter_months();
SELECT usage_rebuild_person_years();
