-- 011_keyed_limits: rolling-window rate limits keyed by text, for callers
-- that are not (or not yet) a user: a client address, a session cookie's
-- digest, an email (src/db/ratelimit.h); and the repeats of error reports
-- from browsers, so the same error is logged once per window
-- (src/db/client_errors.h).

CREATE TABLE rate_key_events (
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rate_key_events_lookup ON rate_key_events (key, at);
CREATE INDEX rate_key_events_at ON rate_key_events (at);

-- rate_take() (007) for a text key: the same advisory lock, window, count
-- and record in one round trip.  Keys that never come back leave rows
-- behind: each call also forgets up to 100 rows older than a day.
CREATE FUNCTION rate_take_key(p_key text, p_limit int, p_window int,
                              OUT allowed boolean, OUT retry_after bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    n bigint;
    oldest timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('key/' || p_key, 0));
    DELETE FROM rate_key_events
    WHERE key = p_key AND at <= now() - p_window * interval '1 second';
    DELETE FROM rate_key_events
    WHERE ctid IN (SELECT ctid FROM rate_key_events
                   WHERE at < now() - interval '1 day' LIMIT 100);
    SELECT count(*), min(at) INTO n, oldest FROM rate_key_events WHERE key = p_key;
    allowed := n < p_limit;
    retry_after := 0;
    IF allowed THEN
        INSERT INTO rate_key_events (key) VALUES (p_key);
    ELSE
        retry_after := greatest(1, ceil(extract(epoch FROM
            oldest + p_window * interval '1 second' - now())))::bigint;
    END IF;
END
$$;

-- One row per distinct browser error (the SHA-256 of what identifies it).
CREATE TABLE client_error_digests (
    digest         text PRIMARY KEY CHECK (digest ~ '^[0-9a-f]{64}$'),
    last_logged_at timestamptz NOT NULL DEFAULT now(),
    repeats        integer NOT NULL DEFAULT 0 CHECK (repeats >= 0)
);
CREATE INDEX client_error_digests_logged ON client_error_digests (last_logged_at);

-- Whether a report with this digest is to be logged: yes when it was not
-- logged in the last p_window seconds (log_it; repeats is then the number
-- of reports dropped since it last was), no otherwise (one more repeat is
-- counted; repeats is that count).
CREATE FUNCTION client_error_seen(p_digest text, p_window int,
                                  OUT log_it boolean, OUT repeats integer)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    prev client_error_digests;
BEGIN
    DELETE FROM client_error_digests
    WHERE ctid IN (SELECT ctid FROM client_error_digests
                   WHERE last_logged_at < now() - interval '1 day' LIMIT 100);
    SELECT * INTO prev FROM client_error_digests WHERE digest = p_digest FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO client_error_digests (digest) VALUES (p_digest) ON CONFLICT DO NOTHING;
        IF FOUND THEN
            log_it := true;
            repeats := 0;
            RETURN;
        END IF;
        -- another report of it was recorded a moment ago: a repeat
        SELECT * INTO prev FROM client_error_digests WHERE digest = p_digest FOR UPDATE;
    END IF;
    IF prev.last_logged_at > now() - p_window * interval '1 second' THEN
        UPDATE client_error_digests SET repeats = prev.repeats + 1 WHERE digest = p_digest;
        log_it := false;
        repeats := prev.repeats + 1;
    ELSE
        UPDATE client_error_digests SET repeats = 0, last_logged_at = now()
        WHERE digest = p_digest;
        log_it := true;
        repeats := prev.repeats;
    END IF;
END
$$;
