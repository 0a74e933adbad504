-- Export renditions: one file per preset made from clips in a row, kept for a while.
CREATE TABLE exports (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    preset text NOT NULL,
    asset_ids uuid[] NOT NULL,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    state text NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled', 'expired')),
    progress smallint NOT NULL DEFAULT 0,
    error text,
    file_name text,
    size bigint,
    job_id bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    expires_at timestamptz
);
CREATE INDEX exports_project_idx ON exports (project_id, created_at DESC);
CREATE INDEX exports_created_by_idx ON exports (created_by, created_at DESC);
CREATE INDEX exports_expiry_idx ON exports (expires_at) WHERE state = 'done';
