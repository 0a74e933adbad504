-- Live collaboration: the event outbox every change writes to (in its own transaction), who is
-- connected where (presence), and the review session ("watch together") of each project.

CREATE TABLE events (
    -- Ids are taken under a transaction-level advisory lock (domain::events::publish), so
    -- they commit in order and "everything after id N" never skips a later-committing row.
    id bigserial PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    -- No foreign key: an asset's events outlive it.
    asset_id uuid,
    actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
    kind text NOT NULL CHECK (kind ~ '^[a-z]+\.[a-z]+$'),
    -- Team-only (private comments): never shown to share-link guests.
    private boolean NOT NULL DEFAULT false,
    payload jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_project_idx ON events (project_id, id);
CREATE INDEX events_actor_idx ON events (actor_id);
CREATE INDEX events_created_idx ON events (created_at);
-- Events up to this id may have been purged: a client resuming from before it must refetch.
ALTER TABLE instance_settings ADD COLUMN events_purged_through bigint NOT NULL DEFAULT 0;

-- One row per socket and project it is subscribed to; its process refreshes seen_at, so rows
-- of a process that died stop counting after a minute and a half.
CREATE TABLE presence (
    socket_id uuid NOT NULL,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    asset_id uuid,
    idle boolean NOT NULL DEFAULT false,
    seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (socket_id, project_id)
);
CREATE INDEX presence_project_idx ON presence (project_id, seen_at);
CREATE INDEX presence_user_idx ON presence (user_id);

CREATE TABLE review_sessions (
    project_id uuid PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    presenter_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state jsonb NOT NULL DEFAULT '{}',
    seq bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_sessions_presenter_idx ON review_sessions (presenter_id);
