-- 012_login_attempts: password sign-in throttling by (account, address)
-- and by address, with growing delays, checked and counted atomically
-- (src/db/logins.h).  Replaces login_failures, which counted failures per
-- account from anywhere (five wrong passwords from anywhere locked the
-- owner out) and was checked before the password was verified and
-- counted after (parallel attempts overran it).
--
-- Every attempt is a row, recorded under advisory locks before the
-- password is verified (outcome 'pending') and resolved after it
-- ('failure' or 'success').  A pending attempt counts as a failure: at
-- most the allowed number of attempts are ever being verified at once.

CREATE TABLE login_attempts (
    id          bigserial PRIMARY KEY,
    email_lower text NOT NULL,
    ip          inet,
    at          timestamptz NOT NULL DEFAULT now(),
    outcome     text NOT NULL DEFAULT 'pending'
                CHECK (outcome IN ('pending', 'failure', 'success')),
    -- when the password was verified (NULL while pending)
    resolved_at timestamptz CHECK ((outcome = 'pending') = (resolved_at IS NULL))
);
CREATE INDEX login_attempts_email ON login_attempts (email_lower, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);
CREATE INDEX login_attempts_at ON login_attempts (at);

INSERT INTO login_attempts (email_lower, ip, at, outcome, resolved_at)
SELECT email_lower, ip, at, 'failure', at FROM login_failures;
DROP TABLE login_failures;

-- Decides whether a password attempt for p_email from p_ip may be
-- verified now and, when it may, records it (attempt_id).  Otherwise
-- retry_after says in how many seconds, and reason which rule:
--   account_rate / address_rate: attempts of any outcome in the last
--     minute, per account (p_rate) and per address (p_rate_ip): bounds
--     the scrypt work that even right passwords cost;
--   account_address: failures of this account from this address in 15
--     minutes, since its last success there: p_free free, then each
--     further one waits 2^k seconds after the last was verified (k = 0,
--     1, ...; at most 15 minutes); an attempt still being verified counts
--     as a failure verified now (one that never ends, its worker gone,
--     as verified a minute after it began);
--   address: failures from this address for any account in 15 minutes:
--     p_free_ip free, then 2^k seconds, at most 60 (a school's NAT is
--     slowed, never locked out).
-- The owner signing in from another address is never held up by an
-- attacker's failures.  Locks: the account's, then the address's (always
-- in that order), held to the end of the caller's transaction.
CREATE FUNCTION login_attempt_begin(p_email text, p_ip inet, p_free int, p_free_ip int,
                                    p_rate int, p_rate_ip int,
                                    OUT attempt_id bigint, OUT retry_after bigint,
                                    OUT reason text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    e text := lower(p_email);
    n bigint;
    t timestamptz;
    since timestamptz;
    wait double precision;
BEGIN
    attempt_id := NULL;
    retry_after := 0;
    reason := NULL;
    PERFORM pg_advisory_xact_lock(hashtextextended('login-account/' || e, 0));
    IF p_ip IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('login-address/' || host(p_ip), 0));
    END IF;
    DELETE FROM login_attempts
    WHERE id IN (SELECT id FROM login_attempts WHERE at < now() - interval '1 day' LIMIT 100);

    -- Attempts per minute, any outcome.
    SELECT count(*), min(at) INTO n, t FROM login_attempts
    WHERE email_lower = e AND at > now() - interval '1 minute';
    IF n >= p_rate THEN
        retry_after := greatest(retry_after, ceil(extract(epoch FROM t + interval '1 minute' - now())));
        reason := 'account_rate';
    END IF;
    IF p_ip IS NOT NULL THEN
        SELECT count(*), min(at) INTO n, t FROM login_attempts
        WHERE ip = p_ip AND at > now() - interval '1 minute';
        IF n >= p_rate_ip THEN
            retry_after := greatest(retry_after, ceil(extract(epoch FROM t + interval '1 minute' - now())));
            reason := coalesce(reason, 'address_rate');
        END IF;
    END IF;

    -- Failures of this account from this address since its last success.
    SELECT max(at) INTO since FROM login_attempts
    WHERE email_lower = e AND ip IS NOT DISTINCT FROM p_ip AND outcome = 'success';
    SELECT count(*), max(coalesce(resolved_at, least(now(), at + interval '1 minute')))
    INTO n, t FROM login_attempts
    WHERE email_lower = e AND ip IS NOT DISTINCT FROM p_ip AND outcome <> 'success'
      AND at > greatest(now() - interval '15 minutes', coalesce(since, '-infinity'));
    IF n >= p_free THEN
        wait := least(power(2, least(n - p_free, 30)), 900);
        IF t + wait * interval '1 second' > now() THEN
            retry_after := greatest(retry_after,
                ceil(extract(epoch FROM t + wait * interval '1 second' - now())));
            reason := coalesce(reason, 'account_address');
        END IF;
    END IF;

    -- Failures from this address, any account (the same timing).
    IF p_ip IS NOT NULL THEN
        SELECT count(*), max(coalesce(resolved_at, least(now(), at + interval '1 minute')))
        INTO n, t FROM login_attempts
        WHERE ip = p_ip AND outcome <> 'success' AND at > now() - interval '15 minutes';
        IF n >= p_free_ip THEN
            wait := least(power(2, least(n - p_free_ip, 30)), 60);
            IF t + wait * interval '1 second' > now() THEN
                retry_after := greatest(retry_after,
                    ceil(extract(epoch FROM t + wait * interval '1 second' - now())));
                reason := coalesce(reason, 'address');
            END IF;
        END IF;
    END IF;

    IF retry_after > 0 THEN
        retry_after := greatest(retry_after, 1);
        RETURN;
    END IF;
    INSERT INTO login_attempts (email_lower, ip) VALUES (e, p_ip) RETURNING id INTO attempt_id;
END
$$;
