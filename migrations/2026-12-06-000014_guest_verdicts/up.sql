-- Share-link guests' verdicts: one per guest per version, approved or changes requested.
-- The guest's name and e-mail are kept on the row (like guest comments), so the verdict
-- outlives the guest's session (a revoked link or a new password ends those).
CREATE TABLE guest_verdicts (
    id bigserial PRIMARY KEY,
    asset_id uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    version integer NOT NULL,
    share_id uuid NOT NULL REFERENCES share_links (id) ON DELETE CASCADE,
    guest_id uuid REFERENCES share_guests (id) ON DELETE SET NULL,
    guest_name text NOT NULL CHECK (length(guest_name) BETWEEN 1 AND 100),
    guest_email text,
    verdict text NOT NULL CHECK (verdict IN ('approved', 'changes_requested')),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (asset_id, version, guest_id)
);
CREATE INDEX guest_verdicts_share_idx ON guest_verdicts (share_id);
CREATE INDEX guest_verdicts_guest_idx ON guest_verdicts (guest_id);
