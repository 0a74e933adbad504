// Diesel table definitions, one file per part of the product; kept in step with
// `migrations/` (the schema test checks the columns of every file here).

mod accounts;
mod delivery;
mod library;
mod review;

pub use accounts::*;
pub use delivery::*;
pub use library::*;
pub use review::*;

/// Postgres types Diesel does not ship.
pub mod sql_types {
    /// `tsvector`, only ever compared in SQL fragments.
    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "tsvector"))]
    pub struct Tsvector;
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
diesel::joinable!(clone_objects -> clones (clone_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(guest_verdicts -> share_links (share_id));
diesel::joinable!(guest_verdicts -> assets (asset_id));
diesel::joinable!(share_attempts -> share_links (share_id));
diesel::joinable!(presence -> users (user_id));
diesel::joinable!(review_sessions -> users (presenter_id));

diesel::allow_tables_to_appear_in_same_query!(
    approvals,
    audit_events,
    clone_objects,
    clones,
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
