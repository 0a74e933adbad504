-- Deep clones of content between projects (and within one): one row per request, and the
-- plan made when it was asked for, one row per object with the new id fixed up front so a
-- retried job writes the same rows again instead of new ones.
CREATE TABLE clones (
    id uuid PRIMARY KEY,
    source_project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    target_project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    target_folder_id uuid REFERENCES folders (id) ON DELETE SET NULL,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    -- What comes along: {"comments", "drawings", "ratings", "metadata"} as booleans.
    include jsonb NOT NULL DEFAULT '{}',
    state text NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'done', 'failed')),
    progress smallint NOT NULL DEFAULT 0,
    error text,
    job_id bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX clones_source_idx ON clones (source_project_id, created_at DESC);
CREATE INDEX clones_target_idx ON clones (target_project_id, created_at DESC);
CREATE INDEX clones_target_folder_idx ON clones (target_folder_id);
CREATE INDEX clones_created_by_idx ON clones (created_by);

-- Every object a clone makes: where it came from, its place in the topological order, and
-- how many clones deep it is (a clone of a clone is 2). `name` is set where the copy needs
-- a new name (a folder beside one of the same name).
CREATE TABLE clone_objects (
    clone_id uuid NOT NULL REFERENCES clones (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('folder', 'asset', 'version', 'comment', 'collection')),
    source_id uuid NOT NULL,
    target_id uuid NOT NULL UNIQUE,
    rank integer NOT NULL,
    depth integer NOT NULL DEFAULT 1,
    name text,
    PRIMARY KEY (clone_id, kind, source_id)
);
CREATE INDEX clone_objects_source_idx ON clone_objects (source_id);
