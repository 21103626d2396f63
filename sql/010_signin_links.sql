-- 010_signin_links: one-time sign-in links (src/db/signin_links.h).
--
-- `scripts/up` prints one for the first administrator; `plccoach user
-- sign-in-link` and the admin API make one for any local account.  The
-- link carries a random 256-bit token; only its SHA-256 is stored, as for
-- sessions and shares.  A link works once (used_at), for 24 hours.

CREATE TABLE signin_links (
    token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
    used_at    timestamptz CHECK (used_at >= created_at)
);
CREATE INDEX signin_links_user ON signin_links (user_id);
CREATE INDEX signin_links_expires ON signin_links (expires_at);
