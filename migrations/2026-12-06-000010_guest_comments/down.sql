DROP INDEX comments_guest_idx;
ALTER TABLE comments DROP COLUMN guest_name, DROP COLUMN guest_id;
