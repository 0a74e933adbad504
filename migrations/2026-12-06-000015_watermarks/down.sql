ALTER TABLE share_links DROP COLUMN watermark;
