-- 007_rate_take: the rolling-window rate limit (src/db/ratelimit.c) as one
-- function, so that taking a unit is one round trip instead of four
-- (BEGIN, the lock, the count-and-record, COMMIT).  It runs in the
-- caller's statement's transaction; the advisory lock is held to its end,
-- and each statement below sees what was committed before it (READ
-- COMMITTED takes a new snapshot per statement of a VOLATILE function), so
-- two requests of one user on two tasks still count each other.

CREATE FUNCTION rate_take(p_user uuid, p_bucket text, p_limit int, p_window int,
                          OUT allowed boolean, OUT retry_after bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    n bigint;
    oldest timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_user::text || '/' || p_bucket, 0));
    DELETE FROM rate_events
    WHERE user_id = p_user AND bucket = p_bucket
      AND at <= now() - p_window * interval '1 second';
    SELECT count(*), min(at) INTO n, oldest FROM rate_events
    WHERE user_id = p_user AND bucket = p_bucket;
    allowed := n < p_limit;
    retry_after := 0;
    IF allowed THEN
        INSERT INTO rate_events (user_id, bucket) VALUES (p_user, p_bucket);
    ELSE
        retry_after := greatest(1, ceil(extract(epoch FROM
            oldest + p_window * interval '1 second' - now())))::bigint;
    END IF;
END
$$;
