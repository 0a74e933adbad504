-- A link's visible watermark: the text burned (with the link's date) into the thumbnails,
-- previews, posters and proxies its guests are served. NULL: no watermark.
ALTER TABLE share_links
    ADD COLUMN watermark text CHECK (watermark IS NULL OR length(watermark) BETWEEN 1 AND 120);
