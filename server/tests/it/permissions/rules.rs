//! The permission list: every REST route and live message with what it requires, and a
//! request that exercises it (server functions are in `server_fns.rs`). `PERMISSIONS.md` is generated from these
//! tables; the test fails when the router has a route or server function missing here.
//!
//! Placeholders in paths and bodies (`{P}`, `{A}` …) are filled from the [`super::world`].

use super::Need::{self, *};
use model::permission::Action::*;

/// A REST route: method, the path as the OpenAPI document names it, what it needs, the
/// concrete request (path and JSON body; empty for none).
pub type Rest = (&'static str, &'static str, Need, &'static str, &'static str);

pub const REST: &[Rest] = &[
    // Accounts and sessions.
    ("POST", "/api/v1/auth/signup", Public, "/api/v1/auth/signup", r#"{"email":"new@example.com","name":"New","password":"password123"}"#),
    ("POST", "/api/v1/auth/login", Public, "/api/v1/auth/login", r#"{"email":"viewer@example.com","password":"password123"}"#),
    ("GET", "/api/v1/me", Account, "/api/v1/me", ""),
    ("POST", "/api/v1/tokens", Account, "/api/v1/tokens", r#"{"name":"ci"}"#),
    ("GET", "/api/v1/tokens", Account, "/api/v1/tokens", ""),
    ("DELETE", "/api/v1/tokens/{id}", Account, "/api/v1/tokens/{TOKEN}", ""),
    ("GET", "/api/v1/notifications", Account, "/api/v1/notifications", ""),
    ("POST", "/api/v1/notifications/read", Account, "/api/v1/notifications/read", ""),
    ("GET", "/api/v1/me/notification-settings", Account, "/api/v1/me/notification-settings", ""),
    ("PUT", "/api/v1/me/notification-settings", Account, "/api/v1/me/notification-settings", r#"[]"#),
    ("GET", "/api/v1/me/invitations", Account, "/api/v1/me/invitations", ""),
    ("POST", "/api/v1/me/invitations/{id}/accept", Invitee, "/api/v1/me/invitations/{INVITE_MINE}/accept", ""),
    ("GET", "/api/v1/invite/{token}", Public, "/api/v1/invite/{INVITE_TOKEN}", ""),
    ("POST", "/api/v1/invite/{token}/accept", Invitee, "/api/v1/invite/{INVITE_TOKEN}/accept", r#"{"name":"Someone","password":"password123"}"#),
    // Instance administration.
    ("GET", "/api/v1/admin/settings", Admin, "/api/v1/admin/settings", ""),
    ("PUT", "/api/v1/admin/settings", Admin, "/api/v1/admin/settings", r#"{"signups_open":true}"#),
    ("GET", "/api/v1/admin/jobs", Admin, "/api/v1/admin/jobs", ""),
    ("POST", "/api/v1/admin/jobs/{id}/cancel", Admin, "/api/v1/admin/jobs/{JOB}/cancel", ""),
    ("POST", "/api/v1/admin/jobs/{id}/retry", Admin, "/api/v1/admin/jobs/{JOB}/retry", ""),
    ("GET", "/api/v1/admin/outbox", Admin, "/api/v1/admin/outbox", ""),
    ("GET", "/api/v1/admin/audit", Admin, "/api/v1/admin/audit", ""),
    ("GET", "/api/v1/admin/audit.csv", Admin, "/api/v1/admin/audit.csv", ""),
    // Projects and members.
    ("POST", "/api/v1/projects", Account, "/api/v1/projects", r#"{"name":"Mine"}"#),
    ("GET", "/api/v1/projects", Account, "/api/v1/projects", ""),
    ("GET", "/api/v1/projects/{id}", Member(View), "/api/v1/projects/{P}", ""),
    ("PATCH", "/api/v1/projects/{id}", Member(EditProject), "/api/v1/projects/{P}", r#"{"description":"new words"}"#),
    ("DELETE", "/api/v1/projects/{id}", Member(DeleteProject), "/api/v1/projects/{P_DELETE}", ""),
    ("GET", "/api/v1/projects/{id}/members", Member(View), "/api/v1/projects/{P}/members", ""),
    ("POST", "/api/v1/projects/{id}/members", Member(ManageMembers), "/api/v1/projects/{P}/members", r#"{"email":"new@example.com","role":"viewer"}"#),
    ("PATCH", "/api/v1/projects/{id}/members/{user_id}", Member(ManageMembers), "/api/v1/projects/{P}/members/{EXTRA}", r#"{"role":"commenter"}"#),
    ("DELETE", "/api/v1/projects/{id}/members/{user_id}", Member(ManageMembers), "/api/v1/projects/{P}/members/{EXTRA_REMOVE}", ""),
    ("POST", "/api/v1/projects/{id}/transfer", Member(ManageMembers), "/api/v1/projects/{P_TRANSFER}/transfer", r#"{"user_id":"{EDITOR_ID}"}"#),
    ("GET", "/api/v1/projects/{id}/activity", Member(View), "/api/v1/projects/{P}/activity", ""),
    ("GET", "/api/v1/projects/{id}/analytics", Member(View), "/api/v1/projects/{P}/analytics", ""),
    ("POST", "/api/v1/projects/{id}/invitations", Member(ManageMembers), "/api/v1/projects/{P}/invitations", r#"{"email":"later@example.com","role":"viewer"}"#),
    ("GET", "/api/v1/projects/{id}/invitations", Member(ManageMembers), "/api/v1/projects/{P}/invitations", ""),
    ("POST", "/api/v1/invitations/{id}/resend", Member(ManageMembers), "/api/v1/invitations/{INVITE}/resend", ""),
    ("DELETE", "/api/v1/invitations/{id}", Member(ManageMembers), "/api/v1/invitations/{INVITE_REVOKE}", ""),
    ("POST", "/api/v1/projects/{id}/webhooks", Member(ManageMembers), "/api/v1/projects/{P}/webhooks", r#"{"url":"http://127.0.0.1:9/hook"}"#),
    ("GET", "/api/v1/projects/{id}/webhooks", Member(ManageMembers), "/api/v1/projects/{P}/webhooks", ""),
    ("DELETE", "/api/v1/webhooks/{id}", Member(ManageMembers), "/api/v1/webhooks/{WEBHOOK_DELETE}", ""),
    ("GET", "/api/v1/webhooks/{id}/deliveries", Member(ManageMembers), "/api/v1/webhooks/{WEBHOOK}/deliveries", ""),
    // Uploads (tus; the headers are added by the runner).
    ("OPTIONS", "/api/v1/uploads", Public, "/api/v1/uploads", ""),
    ("POST", "/api/v1/uploads", Member(Upload), "/api/v1/uploads", ""),
    ("HEAD", "/api/v1/uploads/{id}", Member(Upload), "/api/v1/uploads/{UPLOAD}", ""),
    ("PATCH", "/api/v1/uploads/{id}", Member(Upload), "/api/v1/uploads/{UPLOAD}", ""),
    ("DELETE", "/api/v1/uploads/{id}", Member(Upload), "/api/v1/uploads/{UPLOAD_DELETE}", ""),
    // The library.
    ("GET", "/api/v1/projects/{id}/assets", Member(View), "/api/v1/projects/{P}/assets", ""),
    ("GET", "/api/v1/projects/{id}/search", Member(View), "/api/v1/projects/{P}/search?q=clip", ""),
    ("GET", "/api/v1/projects/{id}/trash", Member(View), "/api/v1/projects/{P}/trash", ""),
    ("GET", "/api/v1/assets/{id}", Member(View), "/api/v1/assets/{A}", ""),
    ("GET", "/api/v1/assets/{id}/thumbnail", Member(View), "/api/v1/assets/{A}/thumbnail", ""),
    ("GET", "/api/v1/assets/{id}/preview", Member(View), "/api/v1/assets/{A}/preview", ""),
    ("GET", "/api/v1/assets/{id}/poster", Member(View), "/api/v1/assets/{V}/poster", ""),
    ("GET", "/api/v1/assets/{id}/proxy", Member(View), "/api/v1/assets/{V}/proxy", ""),
    ("GET", "/api/v1/assets/{id}/filmstrip", Member(View), "/api/v1/assets/{V}/filmstrip", ""),
    ("GET", "/api/v1/assets/{id}/filmstrip/index", Member(View), "/api/v1/assets/{V}/filmstrip/index", ""),
    ("GET", "/api/v1/assets/{id}/waveform", Member(View), "/api/v1/assets/{V}/waveform", ""),
    ("GET", "/api/v1/assets/{id}/original", Member(View), "/api/v1/assets/{A}/original", ""),
    ("GET", "/api/v1/assets/{id}/sidecar.xmp", Member(View), "/api/v1/assets/{A}/sidecar.xmp", ""),
    ("POST", "/api/v1/assets/download.zip", Member(View), "/api/v1/assets/download.zip", r#"{"asset_ids":["{A}"]}"#),
    ("PATCH", "/api/v1/assets/{id}/metadata", Member(Upload), "/api/v1/assets/{A}/metadata", r#"{"title":"Hero"}"#),
    ("PUT", "/api/v1/assets/{id}/current_version", Member(Upload), "/api/v1/assets/{A_VERSIONS}/current_version", r#"{"version":1}"#),
    ("DELETE", "/api/v1/assets/{id}/versions/{number}", Member(Upload), "/api/v1/assets/{A_VERSIONS}/versions/2", ""),
    ("PUT", "/api/v1/assets/bulk/rating", Member(Rate), "/api/v1/assets/bulk/rating", r#"{"asset_ids":["{A}"],"rating":4}"#),
    ("PUT", "/api/v1/assets/bulk/status", Member(Rate), "/api/v1/assets/bulk/status", r#"{"asset_ids":["{A}"],"status":"in_progress"}"#),
    ("PUT", "/api/v1/assets/bulk/label", Member(Rate), "/api/v1/assets/bulk/label", r#"{"asset_ids":["{A}"],"label":"red"}"#),
    ("PUT", "/api/v1/assets/bulk/metadata", Member(Upload), "/api/v1/assets/bulk/metadata", r#"{"asset_ids":["{A}"],"tags_add":["hero"]}"#),
    ("PUT", "/api/v1/assets/bulk/move", Member(Upload), "/api/v1/assets/bulk/move", r#"{"asset_ids":["{A}"],"folder_id":"{FOLDER}"}"#),
    ("POST", "/api/v1/assets/bulk/delete", Member(Upload), "/api/v1/assets/bulk/delete", r#"{"asset_ids":["{A_TRASH}"]}"#),
    ("POST", "/api/v1/assets/bulk/restore", Member(Upload), "/api/v1/assets/bulk/restore", r#"{"asset_ids":["{A_TRASHED}"]}"#),
    ("POST", "/api/v1/assets/bulk/purge", Member(Upload), "/api/v1/assets/bulk/purge", r#"{"asset_ids":["{A_PURGE}"]}"#),
    ("GET", "/api/v1/projects/{id}/folders", Member(View), "/api/v1/projects/{P}/folders", ""),
    ("POST", "/api/v1/projects/{id}/folders", Member(Upload), "/api/v1/projects/{P}/folders", r#"{"name":"Day 2"}"#),
    ("PATCH", "/api/v1/folders/{id}", Member(Upload), "/api/v1/folders/{FOLDER}", r#"{"name":"Day 1 selects"}"#),
    ("DELETE", "/api/v1/folders/{id}", Member(Upload), "/api/v1/folders/{FOLDER_DELETE}", ""),
    ("GET", "/api/v1/projects/{id}/collections", Member(View), "/api/v1/projects/{P}/collections", ""),
    ("POST", "/api/v1/projects/{id}/collections", Member(Upload), "/api/v1/projects/{P}/collections", r#"{"name":"Picks","kind":"manual"}"#),
    ("GET", "/api/v1/collections/{id}", Member(View), "/api/v1/collections/{COLLECTION}", ""),
    ("PATCH", "/api/v1/collections/{id}", Member(Upload), "/api/v1/collections/{COLLECTION}", r#"{"name":"Selects"}"#),
    ("DELETE", "/api/v1/collections/{id}", Member(Upload), "/api/v1/collections/{COLLECTION_DELETE}", ""),
    ("GET", "/api/v1/collections/{id}/assets", Member(View), "/api/v1/collections/{COLLECTION}/assets", ""),
    ("POST", "/api/v1/collections/{id}/items", Member(Upload), "/api/v1/collections/{COLLECTION}/items", r#"{"asset_ids":["{A}"]}"#),
    ("DELETE", "/api/v1/collections/{id}/items", Member(Upload), "/api/v1/collections/{COLLECTION}/items", r#"{"asset_ids":["{V}"]}"#),
    ("GET", "/api/v1/projects/{id}/fields", Member(View), "/api/v1/projects/{P}/fields", ""),
    ("POST", "/api/v1/projects/{id}/fields", Member(EditProject), "/api/v1/projects/{P}/fields", r#"{"label":"Scene","kind":"text"}"#),
    ("PATCH", "/api/v1/fields/{id}", Member(EditProject), "/api/v1/fields/{FIELD}", r#"{"label":"Shot no."}"#),
    ("DELETE", "/api/v1/fields/{id}", Member(EditProject), "/api/v1/fields/{FIELD_DELETE}", ""),
    // Review.
    ("GET", "/api/v1/assets/{id}/comments", Member(View), "/api/v1/assets/{A}/comments", ""),
    ("POST", "/api/v1/assets/{id}/comments", Member(Comment), "/api/v1/assets/{A}/comments", r#"{"body":"Lift the shadows"}"#),
    ("PATCH", "/api/v1/comments/{id}", Author(EditComment), "/api/v1/comments/{COMMENT}", r#"{"body":"Lift the shadows a little"}"#),
    ("DELETE", "/api/v1/comments/{id}", Author(DeleteComment), "/api/v1/comments/{COMMENT_DELETE}", ""),
    ("POST", "/api/v1/comments/{id}/resolve", Member(Comment), "/api/v1/comments/{COMMENT}/resolve", r#"{"resolved":true}"#),
    ("POST", "/api/v1/comments/{id}/reactions", Member(Comment), "/api/v1/comments/{COMMENT}/reactions", r#"{"emoji":"👍"}"#),
    ("GET", "/api/v1/assets/{id}/comments/export", Member(View), "/api/v1/assets/{A}/comments/export?format=csv", ""),
    ("POST", "/api/v1/assets/{id}/comments/import", Member(Comment), "/api/v1/assets/{V}/comments/import?format=edl", "TITLE: clip.mp4\\nFCM: NON-DROP FRAME\\n\\n001  001      V     C        00:00:00:05 00:00:00:06 00:00:00:05 00:00:00:06\\n |C:ResolveColorBlue |M:Ana: too dark |D:1\\n"),
    ("GET", "/api/v1/assets/{id}/review", Member(View), "/api/v1/assets/{A}/review", ""),
    ("PUT", "/api/v1/assets/{id}/rating", Member(Rate), "/api/v1/assets/{A}/rating", r#"{"rating":5}"#),
    ("PUT", "/api/v1/assets/{id}/label", Member(Rate), "/api/v1/assets/{A}/label", r#"{"label":"green"}"#),
    ("PUT", "/api/v1/assets/{id}/status", Member(Rate), "/api/v1/assets/{A}/status", r#"{"status":"changes_requested"}"#),
    ("POST", "/api/v1/assets/{id}/approvals", Member(Rate), "/api/v1/assets/{A}/approvals", r#"{"approved":true}"#),
    // Shares: made by the team, used by guests holding the link (and its password).
    ("POST", "/api/v1/shares", Member(Upload), "/api/v1/shares", r#"{"project_id":"{P}","asset_ids":["{A}"]}"#),
    ("GET", "/api/v1/projects/{id}/shares", Member(Upload), "/api/v1/projects/{P}/shares", ""),
    ("PATCH", "/api/v1/shares/{id}", Member(Upload), "/api/v1/shares/{SHARE}", r#"{"name":"For the client"}"#),
    ("DELETE", "/api/v1/shares/{id}", Member(Upload), "/api/v1/shares/{SHARE_REVOKE}", ""),
    ("GET", "/api/v1/s/{token}", Public, "/api/v1/s/{SHARE_TOKEN}", ""),
    ("POST", "/api/v1/s/{token}/unlock", Public, "/api/v1/s/{SHARE_TOKEN}/unlock", r#"{"name":"Ana","password":"open sesame"}"#),
    ("GET", "/api/v1/s/{token}/assets", Guest, "/api/v1/s/{SHARE_TOKEN}/assets", ""),
    ("GET", "/api/v1/s/{token}/assets/{asset_id}/{file}", Guest, "/api/v1/s/{SHARE_TOKEN}/assets/{A}/thumbnail", ""),
    ("GET", "/api/v1/s/{token}/assets/{asset_id}/comments", Guest, "/api/v1/s/{SHARE_TOKEN}/assets/{A}/comments", ""),
    ("POST", "/api/v1/s/{token}/assets/{asset_id}/comments", Guest, "/api/v1/s/{SHARE_TOKEN}/assets/{A}/comments", r#"{"body":"Love it"}"#),
    ("PUT", "/api/v1/s/{token}/assets/{asset_id}/verdict", Guest, "/api/v1/s/{SHARE_TOKEN}/assets/{A}/verdict", r#"{"verdict":"approved"}"#),
    // Deliver.
    ("POST", "/api/v1/projects/{id}/exports", Member(Upload), "/api/v1/projects/{P}/exports", r#"{"asset_ids":["{A}"],"presets":["jpeg-1080-square"]}"#),
    ("GET", "/api/v1/projects/{id}/exports", Member(Upload), "/api/v1/projects/{P}/exports", ""),
    ("GET", "/api/v1/exports/{id}", Member(Upload), "/api/v1/exports/{EXPORT}", ""),
    ("DELETE", "/api/v1/exports/{id}", Member(Upload), "/api/v1/exports/{EXPORT_CANCEL}", ""),
    ("GET", "/api/v1/exports/{id}/download", Member(Upload), "/api/v1/exports/{EXPORT}/download", ""),
    ("POST", "/api/v1/projects/{id}/clone", Member(View), "/api/v1/projects/{P}/clone", r#"{"target_project_id":"{P_TARGET}","asset_ids":["{A}"]}"#),
    ("GET", "/api/v1/projects/{id}/clones", Member(View), "/api/v1/projects/{P}/clones", ""),
    ("GET", "/api/v1/clones/{id}", Member(View), "/api/v1/clones/{CLONE}", ""),
    // Live: the socket itself (its messages are in `LIVE`).
    ("GET", "/api/v1/ws", Account, "/api/v1/ws", ""),
    // Last, because it ends the session it runs as.
    ("POST", "/api/v1/auth/logout", Account, "/api/v1/auth/logout", ""),
];

/// A live message: its type, what it needs, and the message (the runner subscribes first,
/// focused on `{A}`, where the role may).
pub type Live = (&'static str, Need, &'static str);

pub const LIVE: &[Live] = &[
    (
        "subscribe",
        Member(View),
        r#"{"type":"subscribe","project_id":"{P}","asset_id":"{A}"}"#,
    ),
    (
        "presence",
        Member(View),
        r#"{"type":"presence","project_id":"{P}","state":"idle"}"#,
    ),
    (
        "cursor",
        Member(View),
        r#"{"type":"cursor","project_id":"{P}","asset_id":"{A}","x":0.5,"y":0.5}"#,
    ),
    (
        "playhead",
        Member(View),
        r#"{"type":"playhead","project_id":"{P}","asset_id":"{A}","frame":3,"playing":false}"#,
    ),
    (
        "session",
        Member(View),
        r#"{"type":"session","project_id":"{P}","action":"start"}"#,
    ),
    (
        "session_state",
        Member(View),
        r#"{"type":"session_state","project_id":"{P}","state":{"asset_id":"{A}","frame":4}}"#,
    ),
    (
        "unsubscribe",
        Member(View),
        r#"{"type":"unsubscribe","project_id":"{P}"}"#,
    ),
];
