-- Folders, assets, their versions, and the tus uploads that fill them.

CREATE TABLE folders (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    parent_id uuid REFERENCES folders (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    trashed_at timestamptz,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- Sibling names are unique (case-insensitively) among live folders.
CREATE UNIQUE INDEX folders_sibling_name_idx ON folders
    (project_id, COALESCE(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))
    WHERE trashed_at IS NULL;
CREATE INDEX folders_parent_idx ON folders (parent_id);

CREATE TABLE assets (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    folder_id uuid REFERENCES folders (id) ON DELETE SET NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    media_type text NOT NULL CHECK (media_type IN ('video', 'image', 'audio')),
    current_version integer NOT NULL DEFAULT 1,
    trashed_at timestamptz,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assets_project_created_idx ON assets (project_id, created_at DESC, id) WHERE trashed_at IS NULL;
CREATE INDEX assets_folder_idx ON assets (folder_id);

CREATE TABLE asset_versions (
    id uuid PRIMARY KEY,
    asset_id uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    number integer NOT NULL CHECK (number > 0),
    state text NOT NULL DEFAULT 'uploading'
        CHECK (state IN ('uploading', 'processing', 'ready', 'failed')),
    original_name text NOT NULL,
    size bigint NOT NULL CHECK (size >= 0),
    sha256 text,
    format text,
    mime text,
    error text,
    -- The metadata contract of GET /assets/{id} (GPS included: kept here, never in derivatives).
    metadata jsonb NOT NULL DEFAULT '{}',
    -- Names of the stored derivatives, e.g. ["thumb-256.jpg", "preview.jpg", "proxy.mp4"].
    derivatives jsonb NOT NULL DEFAULT '[]',
    -- A tiny (16 px) JPEG shown blurred while the thumbnail loads.
    placeholder bytea,
    progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    phase text NOT NULL DEFAULT '',
    uploaded_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    UNIQUE (asset_id, number)
);
CREATE INDEX asset_versions_state_idx ON asset_versions (state) WHERE state IN ('uploading', 'processing');

CREATE TABLE uploads (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    version_id uuid NOT NULL UNIQUE REFERENCES asset_versions (id) ON DELETE CASCADE,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    length bigint NOT NULL CHECK (length >= 0),
    received bigint NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= length),
    -- The raw Upload-Metadata header, returned by HEAD as received.
    metadata_header text NOT NULL DEFAULT '',
    -- SHA-256 of the bytes so far, as a serialized hasher state (resumable across processes).
    hash_state bytea NOT NULL,
    -- Backend state of the staged bytes (local file, or S3 multipart id + parts + tail).
    staging jsonb NOT NULL DEFAULT '{}',
    lease_token uuid,
    lease_until timestamptz,
    expires_at timestamptz NOT NULL,
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX uploads_expires_idx ON uploads (expires_at) WHERE completed_at IS NULL;

-- Foreign keys to users are indexed so deleting a user stays cheap.
CREATE INDEX folders_created_by_idx ON folders (created_by);
CREATE INDEX assets_created_by_idx ON assets (created_by);
CREATE INDEX assets_project_idx ON assets (project_id);
CREATE INDEX asset_versions_uploaded_by_idx ON asset_versions (uploaded_by);
CREATE INDEX uploads_project_idx ON uploads (project_id);
CREATE INDEX uploads_created_by_idx ON uploads (created_by);
