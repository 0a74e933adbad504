// Diesel table definitions; kept in step with `migrations/` (the schema test checks the columns).

diesel::table! {
    api_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        name -> Text,
        prefix -> Text,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        scope -> Text,
        expires_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    exports (id) {
        id -> Uuid,
        project_id -> Uuid,
        created_by -> Nullable<Uuid>,
        preset -> Text,
        asset_ids -> Array<Uuid>,
        title -> Text,
        state -> Text,
        progress -> Int2,
        error -> Nullable<Text>,
        file_name -> Nullable<Text>,
        size -> Nullable<Int8>,
        job_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
        expires_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Uuid,
        project_id -> Uuid,
        url -> Text,
        events -> Array<Text>,
        secret_nonce -> Bytea,
        secret_sealed -> Bytea,
        active -> Bool,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Int8,
        webhook_id -> Uuid,
        event -> Text,
        payload -> Jsonb,
        state -> Text,
        attempts -> Int4,
        response_status -> Nullable<Int4>,
        error -> Nullable<Text>,
        created_at -> Timestamptz,
        delivered_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    asset_versions (id) {
        id -> Uuid,
        asset_id -> Uuid,
        number -> Int4,
        state -> Text,
        original_name -> Text,
        size -> Int8,
        sha256 -> Nullable<Text>,
        format -> Nullable<Text>,
        mime -> Nullable<Text>,
        error -> Nullable<Text>,
        metadata -> Jsonb,
        derivatives -> Jsonb,
        placeholder -> Nullable<Bytea>,
        progress -> Int2,
        phase -> Text,
        uploaded_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        processed_at -> Nullable<Timestamptz>,
        rating -> Int2,
        review_status -> Text,
    }
}

/// Postgres types Diesel does not ship.
pub mod sql_types {
    /// `tsvector`, only ever compared in SQL fragments.
    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "tsvector"))]
    pub struct Tsvector;
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Tsvector;

    assets (id) {
        id -> Uuid,
        project_id -> Uuid,
        folder_id -> Nullable<Uuid>,
        name -> Text,
        media_type -> Text,
        current_version -> Int4,
        trashed_at -> Nullable<Timestamptz>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        rating -> Int2,
        picked -> Bool,
        label -> Nullable<Text>,
        review_status -> Text,
        description -> Text,
        tags -> Array<Text>,
        platforms -> Array<Text>,
        assignee_id -> Nullable<Uuid>,
        due_date -> Nullable<Date>,
        info -> Jsonb,
        search_text -> Text,
        search -> Tsvector,
        custom -> Jsonb,
        facts -> Jsonb,
    }
}

diesel::table! {
    custom_fields (id) {
        id -> Uuid,
        project_id -> Uuid,
        key -> Text,
        label -> Text,
        kind -> Text,
        options -> Array<Text>,
        position -> Int4,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    search_words (id) {
        id -> Int8,
        word -> Text,
    }
}

diesel::table! {
    collections (id) {
        id -> Uuid,
        project_id -> Uuid,
        name -> Text,
        kind -> Text,
        filter -> Nullable<Jsonb>,
        sort -> Jsonb,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    collection_items (collection_id, asset_id) {
        collection_id -> Uuid,
        asset_id -> Uuid,
        position -> Int4,
        added_at -> Timestamptz,
    }
}

diesel::table! {
    folders (id) {
        id -> Uuid,
        project_id -> Uuid,
        parent_id -> Nullable<Uuid>,
        name -> Text,
        trashed_at -> Nullable<Timestamptz>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    instance_settings (id) {
        id -> Bool,
        signups_open -> Bool,
        events_purged_through -> Int8,
    }
}

diesel::table! {
    jobs (id) {
        id -> Int8,
        kind -> Text,
        queue -> Text,
        payload -> Jsonb,
        dedupe_key -> Nullable<Text>,
        state -> Text,
        priority -> Int2,
        attempts -> Int4,
        max_attempts -> Int4,
        run_at -> Timestamptz,
        worker_id -> Nullable<Text>,
        heartbeat_at -> Nullable<Timestamptz>,
        progress -> Int2,
        phase -> Text,
        last_error -> Nullable<Text>,
        cancel_requested -> Bool,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Int8,
        email -> Text,
        ip -> Text,
        at -> Timestamptz,
    }
}

diesel::table! {
    project_members (project_id, user_id) {
        project_id -> Uuid,
        user_id -> Uuid,
        role -> Text,
        added_at -> Timestamptz,
    }
}

diesel::table! {
    projects (id) {
        id -> Uuid,
        name -> Text,
        description -> Text,
        archived_at -> Nullable<Timestamptz>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    uploads (id) {
        id -> Uuid,
        project_id -> Uuid,
        version_id -> Uuid,
        created_by -> Nullable<Uuid>,
        length -> Int8,
        received -> Int8,
        metadata_header -> Text,
        hash_state -> Bytea,
        staging -> Jsonb,
        lease_token -> Nullable<Uuid>,
        lease_until -> Nullable<Timestamptz>,
        expires_at -> Timestamptz,
        completed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        is_admin -> Bool,
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
    guest_verdicts (id) {
        id -> Int8,
        asset_id -> Uuid,
        version -> Int4,
        share_id -> Uuid,
        guest_id -> Nullable<Uuid>,
        guest_name -> Text,
        guest_email -> Nullable<Text>,
        verdict -> Text,
        created_at -> Timestamptz,
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
    comment_reactions (comment_id, user_id, emoji) {
        comment_id -> Uuid,
        user_id -> Uuid,
        emoji -> Text,
        created_at -> Timestamptz,
    }
}

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
    invitations (id) {
        id -> Uuid,
        project_id -> Uuid,
        email -> Text,
        role -> Text,
        token_hash -> Bytea,
        invited_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        sent_at -> Timestamptz,
        sent_count -> Int4,
        expires_at -> Timestamptz,
        accepted_at -> Nullable<Timestamptz>,
        accepted_by -> Nullable<Uuid>,
        revoked_at -> Nullable<Timestamptz>,
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

diesel::table! {
    share_links (id) {
        id -> Uuid,
        project_id -> Uuid,
        token -> Text,
        name -> Text,
        scope -> Text,
        asset_ids -> Array<Uuid>,
        folder_id -> Nullable<Uuid>,
        collection_id -> Nullable<Uuid>,
        password_hash -> Nullable<Text>,
        expires_at -> Nullable<Timestamptz>,
        download -> Text,
        comments -> Bool,
        show_comments -> Bool,
        approvals -> Bool,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        views -> Int8,
        last_access_at -> Nullable<Timestamptz>,
        watermark -> Nullable<Text>,
    }
}

diesel::table! {
    share_guests (id) {
        id -> Uuid,
        share_id -> Uuid,
        secret_hash -> Bytea,
        name -> Text,
        email -> Nullable<Text>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
    }
}

diesel::table! {
    share_attempts (id) {
        id -> Int8,
        share_id -> Uuid,
        ip -> Text,
        at -> Timestamptz,
    }
}

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(approvals -> assets (asset_id));
diesel::joinable!(collection_items -> assets (asset_id));
diesel::joinable!(collection_items -> collections (collection_id));
diesel::joinable!(collections -> projects (project_id));
diesel::joinable!(custom_fields -> projects (project_id));
diesel::joinable!(approvals -> users (user_id));
diesel::joinable!(asset_versions -> assets (asset_id));
diesel::joinable!(comment_reactions -> comments (comment_id));
diesel::joinable!(comments -> assets (asset_id));
diesel::joinable!(invitations -> projects (project_id));
diesel::joinable!(comments -> share_guests (guest_id));
diesel::joinable!(assets -> folders (folder_id));
diesel::joinable!(assets -> projects (project_id));
diesel::joinable!(uploads -> asset_versions (version_id));
diesel::joinable!(project_members -> projects (project_id));
diesel::joinable!(project_members -> users (user_id));
diesel::joinable!(projects -> users (created_by));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(share_links -> projects (project_id));
diesel::joinable!(share_guests -> share_links (share_id));
diesel::joinable!(guest_verdicts -> share_guests (guest_id));
diesel::joinable!(webhooks -> projects (project_id));
diesel::joinable!(exports -> projects (project_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(guest_verdicts -> share_links (share_id));
diesel::joinable!(guest_verdicts -> assets (asset_id));
diesel::joinable!(share_attempts -> share_links (share_id));
diesel::joinable!(presence -> users (user_id));
diesel::joinable!(review_sessions -> users (presenter_id));

diesel::allow_tables_to_appear_in_same_query!(
    approvals,
    audit_events,
    comment_reactions,
    comments,
    events,
    exports,
    guest_verdicts,
    notifications,
    presence,
    review_sessions,
    api_tokens,
    asset_versions,
    assets,
    collection_items,
    collections,
    custom_fields,
    folders,
    instance_settings,
    jobs,
    login_failures,
    project_members,
    projects,
    search_words,
    sessions,
    share_attempts,
    share_guests,
    share_links,
    uploads,
    webhook_deliveries,
    webhooks,
    users,
    invitations,
    outbox,
    notification_settings,
);
