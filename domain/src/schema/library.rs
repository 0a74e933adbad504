//! The library: projects and members, assets and their versions, uploads, folders, collections, custom fields, search words, the job queue.

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
    project_members (project_id, user_id) {
        project_id -> Uuid,
        user_id -> Uuid,
        role -> Text,
        added_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::schema::sql_types::Tsvector;

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
