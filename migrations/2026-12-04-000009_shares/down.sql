DROP TABLE share_attempts;
DROP TABLE share_guests;
DROP TABLE share_links;
