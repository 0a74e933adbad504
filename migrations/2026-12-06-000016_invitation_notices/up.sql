-- People with an account hear of their invitations in the app too.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check,
    ADD CONSTRAINT notifications_kind_check CHECK (kind IN
        ('mention', 'reply', 'comment', 'share_comment', 'status', 'approval', 'version', 'invitation'));
ALTER TABLE notification_settings DROP CONSTRAINT notification_settings_kind_check,
    ADD CONSTRAINT notification_settings_kind_check CHECK (kind IN
        ('mention', 'reply', 'comment', 'share_comment', 'status', 'approval', 'version', 'invitation'));
