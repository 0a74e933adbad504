//! Invitations by e-mail: what members see of pending ones, and what the invited person sees
//! on the invitation's page.

use crate::role::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;

/// A pending invitation, for the project's owners.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InvitationDto {
    /// Id.
    pub id: uuid::Uuid,
    /// The address invited.
    pub email: String,
    /// The role they get on accepting.
    pub role: Role,
    /// Who invited them (their name).
    pub invited_by: Option<String>,
    /// When it was first sent.
    pub created_at: DateTime<Utc>,
    /// When it was last sent.
    pub sent_at: DateTime<Utc>,
    /// How many times it was sent.
    pub sent_count: i32,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// The link no longer works (resend to renew it).
    pub expired: bool,
}

/// `POST /api/v1/projects/{id}/invitations`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InviteRequest {
    /// The address to invite.
    pub email: String,
    /// The role they get.
    pub role: Role,
}

/// What the invitation's page tells the person invited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InvitationInfo {
    /// The project.
    pub project_name: String,
    /// The role on offer.
    pub role: Role,
    /// The address invited.
    pub email: String,
    /// Who invited them.
    pub invited_by: Option<String>,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// An account with that address exists (sign in to accept) or not (create one).
    pub has_account: bool,
}

/// `POST /api/v1/invitations/{token}/accept` for someone without an account: the account to
/// create (its e-mail is the invitation's).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AcceptRequest {
    /// Display name of the new account.
    pub name: Option<String>,
    /// Password of the new account.
    pub password: Option<String>,
}

/// An open invitation addressed to the signed-in person's e-mail (their inbox lists it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MyInvitation {
    /// Id (accept with `POST /api/v1/me/invitations/{id}/accept`).
    pub id: uuid::Uuid,
    /// The project.
    pub project_id: crate::ids::ProjectId,
    /// Its name.
    pub project_name: String,
    /// The role on offer.
    pub role: Role,
    /// Who invited.
    pub invited_by: Option<String>,
    /// When the offer ends.
    pub expires_at: DateTime<Utc>,
}
