-- More kinds of notification, each delivered as its recipient chose: in the app only, by
-- e-mail at once, in an hourly e-mail digest, or not at all.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check,
    ADD CONSTRAINT notifications_kind_check CHECK (kind IN
        ('mention', 'reply', 'comment', 'share_comment', 'status', 'approval', 'version')),
    ADD COLUMN delivery text NOT NULL DEFAULT 'email' CHECK (delivery IN ('in_app', 'email', 'digest')),
    -- When a digest e-mail carried it (digest deliveries only).
    ADD COLUMN digested_at timestamptz;
CREATE INDEX notifications_digest_idx ON notifications (user_id) WHERE delivery = 'digest' AND digested_at IS NULL;

CREATE TABLE notification_settings (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN
        ('mention', 'reply', 'comment', 'share_comment', 'status', 'approval', 'version')),
    delivery text NOT NULL CHECK (delivery IN ('off', 'in_app', 'email', 'digest')),
    PRIMARY KEY (user_id, kind)
);
