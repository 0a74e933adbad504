DROP INDEX assets_project_due_idx;
DROP INDEX assets_live_idx;
DROP TRIGGER comments_remember_words ON comments;
DROP FUNCTION comments_remember_words();
DROP TRIGGER assets_remember_changed_words ON assets;
DROP TRIGGER assets_remember_words ON assets;
DROP FUNCTION assets_remember_words();
DROP FUNCTION remember_words(text);
DROP TABLE search_words;
CREATE INDEX assets_search_trgm_idx ON assets USING gin (search_text gin_trgm_ops);
DROP TRIGGER assets_version_review ON assets;
DROP FUNCTION assets_version_review();
ALTER TABLE asset_versions DROP COLUMN review_status, DROP COLUMN rating;
DROP TRIGGER assets_search_text ON assets;
CREATE OR REPLACE FUNCTION assets_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
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
DROP INDEX assets_custom_idx;
ALTER TABLE assets DROP COLUMN facts;
ALTER TABLE assets DROP COLUMN custom;
DROP TABLE custom_fields;
