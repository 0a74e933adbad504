DROP TABLE notification_settings;
DELETE FROM notifications WHERE kind NOT IN ('mention', 'reply');
DROP INDEX notifications_digest_idx;
ALTER TABLE notifications DROP COLUMN digested_at, DROP COLUMN delivery,
    DROP CONSTRAINT notifications_kind_check,
    ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('mention', 'reply'));
