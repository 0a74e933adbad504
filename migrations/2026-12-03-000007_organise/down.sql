DROP TABLE collection_items;
DROP TABLE collections;
DROP TRIGGER asset_versions_search_text ON asset_versions;
DROP FUNCTION asset_versions_search_text();
DROP TRIGGER assets_search_text ON assets;
DROP FUNCTION assets_search_text();
DROP INDEX comments_open_idx;
DROP INDEX comments_search_idx;
ALTER TABLE assets
    DROP COLUMN search,
    DROP COLUMN search_text,
    DROP COLUMN info,
    DROP COLUMN due_date,
    DROP COLUMN assignee_id,
    DROP COLUMN platforms,
    DROP COLUMN tags,
    DROP COLUMN description;
DROP EXTENSION IF EXISTS pg_trgm;
