-- 070_usage_person_days: each person's questions as a running total per
-- day of the year, so that a school's or district's questions per person
-- (median, p90) over any range read one row per person and year (issue
-- 14: the district's year missed its 200 ms target, and what was left
-- was this figure: docs/performance.md).
--
-- 061's usage_person_years kept the running total at the end of each
-- month: a range's whole months came from it, the days at either end
-- (up to two months of them) from every person-day of the organization,
-- and the two were summed per person.  usage_person_days keeps it at the
-- end of each day the person asked: days[i] is such a day of the year
-- (UTC, 1-366, in order) and cum[i] the person's questions in that
-- organization from 1 January to it, so a range's questions are the
-- total at its last day less the total at the day before its first,
-- each found by a binary search (width_bucket) in the row of the one or
-- two years the range touches, and nothing else is read.  A question of
-- today, the usual case, appends to both arrays or adds to their last
-- element; only a question dated before the person's last day rewrites
-- the days after it.

-- One trigger on usage_days replaces 061's usage_record_person_year, and
-- is called only when a row's questions change (WHEN): answers and
-- ratings do not call it.  usage_rebuild() recomputes the table in one
-- pass over usage_days.

DROP TRIGGER usage_record_person_year ON usage_days;
DROP FUNCTION usage_record_person_year();
DROP FUNCTION usage_cum_add(integer[], integer, integer);

-- Whether the usage triggers write an organization's rollups for a row
-- of organization org: it has one, and usage_rebuild() is not writing
-- them all at once (plccoach.usage_rebuild, 061).  The WHEN of the
-- triggers of 070 and 071.
CREATE FUNCTION usage_rollups_live(org uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN org IS NOT NULL AND current_setting('plccoach.usage_rebuild', true) IS DISTINCT FROM 'on';

CREATE TABLE usage_person_days (
    -- the organization of the person-days (usage_days.org_id: a school)
    org_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    year    integer NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- the days of the year with questions, in order, and the questions
    -- from 1 January to each
    days    integer[] NOT NULL,
    cum     integer[] NOT NULL CHECK (cardinality(cum) = cardinality(days) AND cardinality(days) > 0),
    PRIMARY KEY (org_id, year, user_id)
);

-- The questions of a row from 1 January to day k of its year (0 before
-- its first day).  (Not STRICT, so that a query inlines it.)
CREATE FUNCTION usage_cum_at(days integer[], cum integer[], k integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(cum[width_bucket(k, days)], 0);

-- A row's days with day k.  (PL/pgSQL: a trigger calls it for each
-- question, and PL/pgSQL keeps its plans across calls where a SQL
-- function that is not inlined plans its body again at every call.)
CREATE FUNCTION usage_days_with(days integer[], k integer) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    e integer := cardinality(days);
BEGIN
    IF days[e] = k THEN
        RETURN days;
    END IF;
    IF days[e] < k THEN
        RETURN days || k;
    END IF;
    RETURN ARRAY(SELECT DISTINCT d FROM unnest(days || k) AS t(d) ORDER BY d);
END
$$;

-- A row's running totals with n questions more on day k.
CREATE FUNCTION usage_cum_with(days integer[], cum integer[], k integer, n integer)
RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    e integer := cardinality(days);
BEGIN
    IF days[e] = k THEN
        cum[e] := cum[e] + n;
        RETURN cum;
    END IF;
    IF days[e] < k THEN
        RETURN cum || (cum[e] + n);
    END IF;
    RETURN ARRAY(SELECT usage_cum_at(days, cum, d) + CASE WHEN d >= k THEN n ELSE 0 END
                 FROM unnest(usage_days_with(days, k)) AS t(d) ORDER BY d);
END
$$;

CREATE FUNCTION usage_record_person_day() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    added integer := NEW.questions;
    y integer := extract(year FROM NEW.day)::integer;
    k integer := extract(doy FROM NEW.day)::integer;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.org_id IS NOT DISTINCT FROM NEW.org_id THEN
        added := added - OLD.questions;
    END IF;
    INSERT INTO usage_person_days AS x (org_id, year, user_id, days, cum)
    VALUES (NEW.org_id, y, NEW.user_id, ARRAY[k], ARRAY[added])
    ON CONFLICT (org_id, year, user_id) DO UPDATE
        SET days = usage_days_with(x.days, k), cum = usage_cum_with(x.days, x.cum, k, added);
    RETURN NULL;
END
$$;
CREATE TRIGGER usage_record_person_day AFTER INSERT ON usage_days
    FOR EACH ROW WHEN (NEW.questions <> 0 AND usage_rollups_live(NEW.org_id))
    EXECUTE FUNCTION usage_record_person_day();
CREATE TRIGGER usage_record_person_day_change AFTER UPDATE OF questions ON usage_days
    FOR EACH ROW WHEN (NEW.questions <> OLD.questions AND usage_rollups_live(NEW.org_id))
    EXECUTE FUNCTION usage_record_person_day();

-- One pass over usage_days: each person's days with questions in order,
-- with their running total.
CREATE FUNCTION usage_rebuild_person_days() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM usage_person_days;
    INSERT INTO usage_person_days (org_id, year, user_id, days, cum)
    SELECT t.org_id, t.year, t.user_id, array_agg(t.k ORDER BY t.k), array_agg(t.c ORDER BY t.k)
    FROM (SELECT d.org_id, extract(year FROM d.day)::integer AS year, d.user_id,
                 extract(doy FROM d.day)::integer AS k,
                 (sum(d.questions) OVER (PARTITION BY d.org_id, date_trunc('year', d.day), d.user_id
                                         ORDER BY d.day))::integer AS c
          FROM usage_days d WHERE d.org_id IS NOT NULL AND d.questions > 0) t
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3;
$$ SET work_mem = '256MB';

-- usage_rebuild() as 061 defined it (usage_rebuild_all, 062), with the
-- person-days instead of the person-years.
DROP FUNCTION usage_rebuild_person_years();
DROP TABLE usage_person_years;
CREATE OR REPLACE FUNCTION usage_rebuild_all() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    PERFORM set_config('plccoach.usage_rebuild', 'on', true);
    written := usage_rebuild_counts();
    PERFORM usage_rebuild_bits();
    PERFORM usage_rebuild_chapter_months();
    PERFORM usage_rebuild_person_days();
    PERFORM set_config('plccoach.usage_rebuild', 'off', true);
    RETURN written;
END
$$;

SELECT usage_rebuild_person_days();
