//! Data sent between server and clients (REST, server functions, pages).

use crate::ids::{ProjectId, TokenId, UserId};
use crate::role::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A user account as its owner (or an admin) sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UserDto {
    /// Id.
    pub id: UserId,
    /// Sign-in e-mail, lowercase.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Instance administrator.
    pub is_admin: bool,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// A project, with the caller's role in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProjectDto {
    /// Id.
    pub id: ProjectId,
    /// Name.
    pub name: String,
    /// Free-text description.
    pub description: String,
    /// Archived projects are read-mostly and listed apart.
    pub archived: bool,
    /// The caller's role.
    pub role: Role,
    /// Number of members.
    pub member_count: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A member of a project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MemberDto {
    /// The member's user id.
    pub user_id: UserId,
    /// E-mail.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role in the project.
    pub role: Role,
    /// When they were added.
    pub added_at: DateTime<Utc>,
}

/// A personal API token, without its secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TokenDto {
    /// Id.
    pub id: TokenId,
    /// The owner's label for it.
    pub name: String,
    /// The first characters of the secret, to recognise it.
    pub prefix: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last used for a request.
    pub last_used_at: Option<DateTime<Utc>>,
    /// `read` or `write`.
    #[serde(default)]
    pub scope: TokenScope,
    /// When it stops working.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// Revoked tokens no longer authenticate.
    pub revoked: bool,
}

/// A newly created token: the secret is shown this once and never again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreatedToken {
    /// The stored token.
    pub token: TokenDto,
    /// The secret to put in `Authorization: Bearer …`.
    pub secret: String,
}

/// Instance-wide settings an admin may change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InstanceSettingsDto {
    /// Whether new accounts may sign up.
    pub signups_open: bool,
}

/// `POST /api/v1/auth/signup`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SignupRequest {
    /// E-mail.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Password, at least 8 characters.
    pub password: String,
}

/// `POST /api/v1/auth/login`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginRequest {
    /// E-mail.
    pub email: String,
    /// Password.
    pub password: String,
}

/// `POST /api/v1/tokens`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateTokenRequest {
    /// A label, e.g. "laptop uploads".
    pub name: String,
    /// `read` (GET and HEAD only) or `write` (default: everything the account may do).
    #[serde(default)]
    pub scope: TokenScope,
    /// Days until it stops working (none: never).
    #[serde(default)]
    pub expires_in_days: Option<u32>,
}

/// What an API token may do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Read only: GET and HEAD requests.
    Read,
    /// Everything the account may do.
    #[default]
    Write,
}

impl TokenScope {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }
}

/// `POST /api/v1/projects`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateProjectRequest {
    /// Name.
    pub name: String,
    /// Optional description.
    #[serde(default)]
    pub description: String,
}

/// `PATCH /api/v1/projects/{id}`: every field optional.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProjectPatch {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// Archive (true) or restore (false).
    pub archived: Option<bool>,
}

/// `POST /api/v1/projects/{id}/members`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AddMemberRequest {
    /// E-mail of an existing account.
    pub email: String,
    /// Role to give.
    pub role: Role,
}

/// `PATCH /api/v1/projects/{id}/members/{user_id}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MemberPatch {
    /// New role.
    pub role: Role,
}

/// A background job, as the admin page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct JobDto {
    /// Id.
    pub id: i64,
    /// Kind, e.g. `process_asset`.
    pub kind: String,
    /// Queue.
    pub queue: String,
    /// `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    pub state: String,
    /// Attempts so far.
    pub attempts: i32,
    /// Attempts allowed.
    pub max_attempts: i32,
    /// 0–100.
    pub progress: i16,
    /// What it is doing now.
    pub phase: String,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Not before.
    pub run_at: DateTime<Utc>,
    /// Enqueued.
    pub created_at: DateTime<Utc>,
    /// Last started.
    pub started_at: Option<DateTime<Utc>>,
    /// Finished.
    pub finished_at: Option<DateTime<Utc>>,
}

/// An e-mail Dailies wrote, as the admin's outbox shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OutboxMailDto {
    /// Id.
    pub id: uuid::Uuid,
    /// `notification`, `invitation`, …
    pub kind: String,
    /// Recipient.
    pub to_email: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// `queued`, `sent`, `held` (no SMTP configured) or `failed`.
    pub state: String,
    /// The last sending error.
    pub error: Option<String>,
    /// Written.
    pub created_at: DateTime<Utc>,
    /// Sent.
    pub sent_at: Option<DateTime<Utc>>,
}
