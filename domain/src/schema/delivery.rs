//! Sharing and delivery: review links, their guests, attempts and verdicts; exports; webhooks and their deliveries; clones and the objects they copy.

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
    clones (id) {
        id -> Uuid,
        source_project_id -> Uuid,
        target_project_id -> Uuid,
        target_folder_id -> Nullable<Uuid>,
        created_by -> Nullable<Uuid>,
        include -> Jsonb,
        state -> Text,
        progress -> Int2,
        error -> Nullable<Text>,
        job_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    clone_objects (clone_id, kind, source_id) {
        clone_id -> Uuid,
        kind -> Text,
        source_id -> Uuid,
        target_id -> Uuid,
        rank -> Int4,
        depth -> Int4,
        name -> Nullable<Text>,
    }
}
