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
ALTER TABLE assets DROP COLUMN custom;
DROP TABLE custom_fields;
