//! The audit trail as the API and pages show it: who (an account or a share-link guest) did
//! what to which resource, from where, when, and how much it matters.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::{IntoParams, ToSchema};

/// One audit row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditEntryDto {
    /// Sequence number (newer rows have larger ones).
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// The account that acted.
    pub actor_id: Option<uuid::Uuid>,
    /// Its name; for guests, the name they gave.
    pub actor_name: Option<String>,
    /// Its e-mail.
    pub actor_email: Option<String>,
    /// A share-link guest acted (no account): `detail.share_id` names the link.
    pub guest: bool,
    /// What, e.g. `comment.create`, `share.revoke`, `auth.login_failed`.
    pub action: String,
    /// The resource acted on.
    pub target_id: Option<uuid::Uuid>,
    /// The project (none for account-level actions and deleted projects).
    pub project_id: Option<uuid::Uuid>,
    /// Its name.
    pub project_name: Option<String>,
    /// The client's address.
    pub ip: Option<String>,
    /// The client's user agent.
    pub user_agent: Option<String>,
    /// `info`, `notice` (removals, revocations) or `warning` (failures, throttling).
    pub severity: String,
    /// Before/after values and names, where small.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: serde_json::Value,
}

/// Filters of the audit views (`/api/v1/projects/{id}/activity`, `/api/v1/admin/audit`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
pub struct AuditQuery {
    /// Only this account's actions.
    pub actor: Option<uuid::Uuid>,
    /// Only actions of this kind: the part before the dot (`comment`, `share`, `member`, …)
    /// or a whole action (`comment.create`).
    pub kind: Option<String>,
    /// From this day (inclusive, UTC).
    pub from: Option<chrono::NaiveDate>,
    /// To this day (inclusive, UTC).
    pub to: Option<chrono::NaiveDate>,
    /// Only this severity.
    pub severity: Option<String>,
    /// Rows older than this id (the next page).
    pub before: Option<i64>,
    /// At most this many (default 100, at most 1,000).
    pub limit: Option<i64>,
}

/// The kinds the filters offer, with labels.
pub const KINDS: [(&str, &str); 12] = [
    ("comment", "Comments"),
    ("asset", "Ratings, status, metadata"),
    ("version", "Versions"),
    ("bulk", "Bulk edits"),
    ("share", "Review links"),
    ("member", "Members"),
    ("invitation", "Invitations"),
    ("project", "Project"),
    ("collection", "Collections"),
    ("field", "Fields"),
    ("auth", "Sign-ins"),
    ("token", "API tokens"),
];

/// What an action says in a sentence ("commented", "revoked a review link"); unknown actions
/// read as themselves.
pub fn describe(action: &str) -> &str {
    match action {
        "comment.create" => "commented",
        "comment.update" => "edited a comment",
        "comment.delete" => "deleted a comment",
        "comment.resolve" => "resolved a comment",
        "comment.reopen" => "reopened a comment",
        "asset.upload" => "uploaded",
        "version.upload" => "uploaded a new version",
        "asset.rating" => "rated",
        "asset.label" => "set a colour label",
        "asset.status" => "changed the review status",
        "asset.approve" => "approved",
        "asset.unapprove" => "withdrew an approval",
        "asset.metadata" => "edited metadata",
        "asset.move" => "moved",
        "asset.trash" => "moved to the trash",
        "asset.restore" => "restored from the trash",
        "asset.purge" => "deleted for good",
        "asset.current_version" => "changed the current version",
        "asset.delete_version" => "deleted a version",
        "share.create" => "created a review link",
        "share.update" => "changed a review link",
        "share.revoke" => "revoked a review link",
        "share.access" => "opened a review link",
        "share.unlock_failed" => "gave a wrong review-link password",
        "member.add" => "added a member",
        "member.role" => "changed a member's role",
        "member.remove" => "removed a member",
        "invitation.create" => "invited someone",
        "invitation.resend" => "resent an invitation",
        "invitation.revoke" => "withdrew an invitation",
        "invitation.accept" => "accepted an invitation",
        "project.create" => "created the project",
        "project.update" => "edited the project",
        "project.archive" => "archived the project",
        "project.restore" => "restored the project",
        "project.delete" => "deleted the project",
        "collection.create" => "created a collection",
        "collection.update" => "changed a collection",
        "collection.delete" => "deleted a collection",
        "collection.add" => "added to a collection",
        "collection.remove" => "removed from a collection",
        "field.create" => "added a field",
        "field.update" => "changed a field",
        "field.delete" => "removed a field",
        "auth.signup" => "created an account",
        "auth.login" => "signed in",
        "auth.login_failed" => "failed to sign in",
        "auth.throttled" => "was throttled signing in",
        "token.create" => "created an API token",
        "token.revoke" => "revoked an API token",
        other => other,
    }
}
