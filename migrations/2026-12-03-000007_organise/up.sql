-- Organising: editable metadata on assets, trash times, collections (manual and smart),
-- and the full-text and trigram search over assets and their comments.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE assets
    ADD COLUMN description text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
    ADD COLUMN platforms text[] NOT NULL DEFAULT '{}',
    ADD COLUMN assignee_id uuid REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN due_date date,
    -- The other editable text fields (title, notes, creator, client, shot, …) by name.
    ADD COLUMN info jsonb NOT NULL DEFAULT '{}',
    -- What search reads: name, description, tags, info and the current version's camera and
    -- lens. Kept by the triggers below, so no write path can forget it.
    ADD COLUMN search_text text NOT NULL DEFAULT '',
    ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;

CREATE INDEX assets_assignee_idx ON assets (assignee_id);
CREATE INDEX assets_tags_idx ON assets USING gin (tags);
CREATE INDEX assets_platforms_idx ON assets USING gin (platforms);
CREATE INDEX assets_search_idx ON assets USING gin (search);
CREATE INDEX assets_search_trgm_idx ON assets USING gin (search_text gin_trgm_ops);
CREATE INDEX assets_project_rating_idx ON assets (project_id, rating, created_at DESC) WHERE trashed_at IS NULL;
CREATE INDEX assets_project_status_idx ON assets (project_id, review_status, created_at DESC) WHERE trashed_at IS NULL;
CREATE INDEX assets_project_trashed_idx ON assets (project_id, trashed_at DESC) WHERE trashed_at IS NOT NULL;
CREATE INDEX comments_search_idx ON comments USING gin (to_tsvector('simple', body));
CREATE INDEX comments_open_idx ON comments (asset_id) WHERE parent_id IS NULL AND resolved_at IS NULL;

CREATE FUNCTION assets_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    meta jsonb;
BEGIN
    SELECT v.metadata INTO meta FROM asset_versions v
        WHERE v.asset_id = NEW.id AND v.number = NEW.current_version;
    NEW.search_text := concat_ws(' ',
        NEW.name,
        NEW.description,
        array_to_string(NEW.tags, ' '),
        (SELECT string_agg(value, ' ') FROM jsonb_each_text(NEW.info)),
        meta ->> 'camera_make',
        meta ->> 'camera_model',
        meta ->> 'lens');
    RETURN NEW;
END $$;

CREATE TRIGGER assets_search_text BEFORE INSERT OR UPDATE OF name, description, tags, info, current_version
    ON assets FOR EACH ROW EXECUTE FUNCTION assets_search_text();

-- A version's metadata arrives after processing: refresh its asset's search text.
CREATE FUNCTION asset_versions_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assets SET name = name WHERE id = NEW.asset_id AND current_version = NEW.number;
    RETURN NEW;
END $$;

CREATE TRIGGER asset_versions_search_text AFTER INSERT OR UPDATE OF metadata
    ON asset_versions FOR EACH ROW EXECUTE FUNCTION asset_versions_search_text();

CREATE TABLE collections (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('manual', 'smart')),
    -- model::filter::Filter as JSON (smart collections only).
    filter jsonb CHECK ((kind = 'smart') = (filter IS NOT NULL)),
    -- model::filter::Sort as JSON.
    sort jsonb NOT NULL DEFAULT '{}',
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX collections_project_idx ON collections (project_id, lower(name));
CREATE INDEX collections_created_by_idx ON collections (created_by);

CREATE TABLE collection_items (
    collection_id uuid NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    asset_id uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    -- Gaps allowed; reordering renumbers.
    position integer NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (collection_id, asset_id)
);
CREATE INDEX collection_items_order_idx ON collection_items (collection_id, position);
CREATE INDEX collection_items_asset_idx ON collection_items (asset_id);
