-- Invitations by e-mail: a 7-day single-use link whose token is stored only as its SHA-256.
CREATE TABLE invitations (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    email text NOT NULL,
    role text NOT NULL CHECK (role IN ('owner', 'editor', 'commenter', 'viewer')),
    token_hash bytea NOT NULL UNIQUE,
    invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz NOT NULL DEFAULT now(),
    sent_count integer NOT NULL DEFAULT 1,
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
    revoked_at timestamptz
);
CREATE INDEX invitations_project_idx ON invitations (project_id, created_at DESC);
CREATE INDEX invitations_invited_by_idx ON invitations (invited_by);
CREATE INDEX invitations_accepted_by_idx ON invitations (accepted_by);
-- One open invitation per address and project (a second invite refreshes it).
CREATE UNIQUE INDEX invitations_open_idx ON invitations (project_id, lower(email))
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- Every e-mail Dailies writes. Sent through SMTP when it is configured; otherwise held here
-- for the admin to read, so nothing is lost.
CREATE TABLE outbox (
    id uuid PRIMARY KEY,
    -- What produced it (e.g. `notification:<id>`), so a retried job writes it once.
    source text NOT NULL UNIQUE,
    kind text NOT NULL,
    to_email text NOT NULL,
    to_name text,
    subject text NOT NULL,
    body text NOT NULL,
    state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'held', 'failed')),
    error text,
    attempts integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz
);
CREATE INDEX outbox_created_idx ON outbox (created_at DESC);
