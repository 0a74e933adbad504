//! Review and what it tells people: comments, reactions, approvals, notifications and their settings, the outbox, the audit trail, live events, presence, review sessions.

diesel::table! {
    comments (id) {
        id -> Uuid,
        asset_id -> Uuid,
        version -> Int4,
        parent_id -> Nullable<Uuid>,
        author_id -> Nullable<Uuid>,
        body -> Text,
        frame_in -> Nullable<Int8>,
        frame_out -> Nullable<Int8>,
        x -> Nullable<Float8>,
        y -> Nullable<Float8>,
        w -> Nullable<Float8>,
        h -> Nullable<Float8>,
        annotation -> Nullable<Jsonb>,
        private -> Bool,
        resolved_at -> Nullable<Timestamptz>,
        resolved_by -> Nullable<Uuid>,
        edited_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        guest_id -> Nullable<Uuid>,
        guest_name -> Nullable<Text>,
    }
}

diesel::table! {
    comment_reactions (comment_id, user_id, emoji) {
        comment_id -> Uuid,
        user_id -> Uuid,
        emoji -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    approvals (asset_id, version, user_id) {
        asset_id -> Uuid,
        version -> Int4,
        user_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        user_id -> Uuid,
        kind -> Text,
        actor_id -> Nullable<Uuid>,
        project_id -> Uuid,
        asset_id -> Nullable<Uuid>,
        comment_id -> Nullable<Uuid>,
        excerpt -> Text,
        read_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        delivery -> Text,
        digested_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    notification_settings (user_id, kind) {
        user_id -> Uuid,
        kind -> Text,
        delivery -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> Uuid,
        source -> Text,
        kind -> Text,
        to_email -> Text,
        to_name -> Nullable<Text>,
        subject -> Text,
        body -> Text,
        state -> Text,
        error -> Nullable<Text>,
        attempts -> Int4,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Int8,
        project_id -> Nullable<Uuid>,
        actor_id -> Nullable<Uuid>,
        action -> Text,
        target_id -> Nullable<Uuid>,
        detail -> Jsonb,
        created_at -> Timestamptz,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        severity -> Text,
    }
}

diesel::table! {
    events (id) {
        id -> Int8,
        project_id -> Uuid,
        asset_id -> Nullable<Uuid>,
        actor_id -> Nullable<Uuid>,
        kind -> Text,
        private -> Bool,
        payload -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    presence (socket_id, project_id) {
        socket_id -> Uuid,
        project_id -> Uuid,
        user_id -> Uuid,
        asset_id -> Nullable<Uuid>,
        idle -> Bool,
        seen_at -> Timestamptz,
    }
}

diesel::table! {
    review_sessions (project_id) {
        project_id -> Uuid,
        presenter_id -> Uuid,
        state -> Jsonb,
        seq -> Int8,
        updated_at -> Timestamptz,
    }
}
