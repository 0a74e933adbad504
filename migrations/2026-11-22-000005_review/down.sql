DROP TABLE audit_events;
DROP TABLE notifications;
DROP TABLE approvals;
DROP TABLE comment_reactions;
DROP TABLE comments;
ALTER TABLE assets DROP COLUMN review_status, DROP COLUMN label, DROP COLUMN picked, DROP COLUMN rating;
