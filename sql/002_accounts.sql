-- 002_accounts: people, organizations, teams, sign-in, sessions, audit.

CREATE TABLE organizations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    parent_id   uuid REFERENCES organizations (id) ON DELETE RESTRICT,
    kind        text NOT NULL CHECK (kind IN ('district', 'school')),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    source      text NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'clever')),
    external_id text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- a district is a root; a school may sit under a district
    CHECK (kind = 'school' OR parent_id IS NULL),
    UNIQUE (source, external_id)
);

CREATE TABLE users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email           text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role            text NOT NULL DEFAULT 'educator'
                    CHECK (role IN ('educator', 'coach', 'admin')),
    -- set when an admin chose the role: no sign-in may change it afterwards
    role_locked     boolean NOT NULL DEFAULT false,
    organization_id uuid REFERENCES organizations (id) ON DELETE SET NULL,
    disabled_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    last_login_at   timestamptz
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

-- One row per external account (Google, Clever, any OIDC issuer).
CREATE TABLE identities (
    provider       text NOT NULL,
    subject        text NOT NULL,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email          text,
    email_verified boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_login_at  timestamptz,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX identities_user ON identities (user_id);

CREATE TABLE local_credentials (
    user_id       uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_hash text NOT NULL CHECK (password_hash LIKE '$scrypt$%'),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Sessions: the cookie holds a random token; only its SHA-256 is here.
CREATE TABLE sessions (
    token_hash   text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    ip           inet,
    user_agent   text
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed password sign-ins, for throttling per account and per address.
CREATE TABLE login_failures (
    id          bigserial PRIMARY KEY,
    email_lower text NOT NULL,
    ip          inet,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email ON login_failures (email_lower, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

-- Authorization requests in flight (state, nonce, PKCE verifier).
CREATE TABLE oidc_requests (
    state_hash    text PRIMARY KEY CHECK (state_hash ~ '^[0-9a-f]{64}$'),
    provider      text NOT NULL,
    nonce         text NOT NULL,
    code_verifier text NOT NULL,
    return_to     text NOT NULL DEFAULT '/',
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);

CREATE TABLE teams (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, name)
);

CREATE TABLE team_members (
    team_id  uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

-- Coaches assigned to a team see its aggregates (never its text).
CREATE TABLE team_coaches (
    team_id  uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_coaches_user ON team_coaches (user_id);

-- Sensitive actions: who did what to what, from where, when.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    uuid REFERENCES users (id) ON DELETE SET NULL,
    action      text NOT NULL,
    target_type text,
    target_id   text,
    ip          inet,
    detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);

-- Rolling-window rate limits shared by every ECS task.
CREATE TABLE rate_events (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    bucket  text NOT NULL,
    at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rate_events_lookup ON rate_events (user_id, bucket, at);
