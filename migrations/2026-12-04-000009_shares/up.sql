-- Share links: a random token URL onto some assets, a folder (living: what is added later
-- appears) or a collection, with the guest's permissions on the row.
CREATE TABLE share_links (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    -- 128 random bits, base64url. Kept readable so members can copy the link again; only
    -- project members can read it.
    token text NOT NULL UNIQUE,
    name text NOT NULL,
    scope text NOT NULL CHECK (scope IN ('assets', 'folder', 'collection')),
    asset_ids uuid[] NOT NULL DEFAULT '{}',
    folder_id uuid REFERENCES folders (id) ON DELETE CASCADE,
    collection_id uuid REFERENCES collections (id) ON DELETE CASCADE,
    password_hash text,
    expires_at timestamptz,
    download text NOT NULL DEFAULT 'none' CHECK (download IN ('none', 'proxy', 'original')),
    comments boolean NOT NULL DEFAULT true,
    show_comments boolean NOT NULL DEFAULT true,
    approvals boolean NOT NULL DEFAULT false,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    views bigint NOT NULL DEFAULT 0,
    last_access_at timestamptz,
    CHECK ((scope = 'folder') = (folder_id IS NOT NULL)),
    CHECK ((scope = 'collection') = (collection_id IS NOT NULL))
);
CREATE INDEX share_links_project_idx ON share_links (project_id, created_at DESC);
CREATE INDEX share_links_folder_idx ON share_links (folder_id) WHERE folder_id IS NOT NULL;
CREATE INDEX share_links_collection_idx ON share_links (collection_id) WHERE collection_id IS NOT NULL;
CREATE INDEX share_links_created_by_idx ON share_links (created_by);

-- A guest's session on one link, made by unlocking it (password and/or name). Only the
-- secret's SHA-256 is stored; the secret is in the guest's cookie.
CREATE TABLE share_guests (
    id uuid PRIMARY KEY,
    share_id uuid NOT NULL REFERENCES share_links (id) ON DELETE CASCADE,
    secret_hash bytea NOT NULL UNIQUE,
    name text NOT NULL,
    email text,
    ip text,
    user_agent text,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX share_guests_share_idx ON share_guests (share_id);

-- Wrong passwords, counted per link and per address before any hashing is done.
CREATE TABLE share_attempts (
    id bigserial PRIMARY KEY,
    share_id uuid NOT NULL REFERENCES share_links (id) ON DELETE CASCADE,
    ip text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX share_attempts_idx ON share_attempts (share_id, at);
