-- Comments written by share-link guests: no account, so no author_id; the guest session
-- they came through and the name they gave (kept on the comment, so the attribution
-- survives the guest's session).
ALTER TABLE comments
    ADD COLUMN guest_id uuid REFERENCES share_guests (id) ON DELETE SET NULL,
    ADD COLUMN guest_name text CHECK (guest_name IS NULL OR length(guest_name) BETWEEN 1 AND 100);
CREATE INDEX comments_guest_idx ON comments (guest_id);
