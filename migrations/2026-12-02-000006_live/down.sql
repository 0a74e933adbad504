DROP TABLE review_sessions;
DROP TABLE presence;
DROP TABLE events;
ALTER TABLE instance_settings DROP COLUMN events_purged_through;
