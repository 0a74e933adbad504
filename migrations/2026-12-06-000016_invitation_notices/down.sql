DELETE FROM notifications WHERE kind = 'invitation';
DELETE FROM notification_settings WHERE kind = 'invitation';
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check,
    ADD CONSTRAINT notifications_kind_check CHECK (kind IN
        ('mention', 'reply', 'comment', 'share_comment', 'status', 'approval', 'version'));
ALTER TABLE notification_settings DROP CONSTRAINT notification_settings_kind_check,
    ADD CONSTRAINT notification_settings_kind_check CHECK (kind IN
        ('mention', 'reply', 'comment', 'share_comment', 'status', 'approval', 'version'));
