-- Review: ratings, labels and status on assets; comments with reactions; approvals;
-- in-app notifications; and the audit log every change writes to.

ALTER TABLE assets
    ADD COLUMN rating smallint NOT NULL DEFAULT 0 CHECK (rating BETWEEN -1 AND 5),
    -- A pick flag, as in Lightroom: independent of the stars; a reject (rating -1) clears it.
    ADD COLUMN picked boolean NOT NULL DEFAULT false,
    ADD COLUMN label text CHECK (label IN ('red', 'yellow', 'green', 'blue')),
    ADD COLUMN review_status text NOT NULL DEFAULT 'needs_review'
        CHECK (review_status IN ('needs_review', 'in_progress', 'changes_requested', 'approved'));

CREATE TABLE comments (
    id uuid PRIMARY KEY,
    asset_id uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    version integer NOT NULL CHECK (version > 0),
    -- Threads are one level deep: a reply's parent is a top-level comment.
    parent_id uuid REFERENCES comments (id) ON DELETE CASCADE,
    author_id uuid REFERENCES users (id) ON DELETE SET NULL,
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    frame_in bigint CHECK (frame_in >= 0),
    frame_out bigint CHECK (frame_out >= frame_in),
    x double precision, y double precision, w double precision, h double precision,
    -- Vector drawing in coordinates normalised to the displayed picture (model::annotation).
    annotation jsonb,
    private boolean NOT NULL DEFAULT false,
    resolved_at timestamptz,
    resolved_by uuid REFERENCES users (id) ON DELETE SET NULL,
    edited_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (frame_out IS NULL OR frame_in IS NOT NULL),
    CHECK ((x IS NULL) = (y IS NULL) AND (w IS NULL) = (h IS NULL) AND (w IS NULL OR x IS NOT NULL))
);
CREATE INDEX comments_asset_idx ON comments (asset_id, frame_in NULLS FIRST, created_at);
CREATE INDEX comments_parent_idx ON comments (parent_id);

CREATE TABLE comment_reactions (
    comment_id uuid NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji text NOT NULL CHECK (length(emoji) BETWEEN 1 AND 16),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comment_id, user_id, emoji)
);

CREATE TABLE approvals (
    asset_id uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    version integer NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (asset_id, version, user_id)
);

CREATE TABLE notifications (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('mention', 'reply')),
    actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    asset_id uuid REFERENCES assets (id) ON DELETE CASCADE,
    comment_id uuid REFERENCES comments (id) ON DELETE CASCADE,
    excerpt text NOT NULL,
    read_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);

CREATE TABLE audit_events (
    id bigserial PRIMARY KEY,
    project_id uuid REFERENCES projects (id) ON DELETE CASCADE,
    actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
    -- e.g. comment.create, asset.rating, asset.status, asset.approve
    action text NOT NULL,
    target_id uuid,
    detail jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_project_idx ON audit_events (project_id, id DESC);

-- Every foreign key is indexed, so deleting a user, project, asset or comment never scans.
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id);
CREATE INDEX comments_author_idx ON comments (author_id);
CREATE INDEX comments_resolved_by_idx ON comments (resolved_by);
CREATE INDEX comment_reactions_user_idx ON comment_reactions (user_id);
CREATE INDEX approvals_user_idx ON approvals (user_id);
CREATE INDEX notifications_actor_idx ON notifications (actor_id);
CREATE INDEX notifications_project_idx ON notifications (project_id);
CREATE INDEX notifications_asset_idx ON notifications (asset_id);
CREATE INDEX notifications_comment_idx ON notifications (comment_id);
