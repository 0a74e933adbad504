//! Share links: review links for people without an account.

use crate::asset::{MediaType, VersionState};
use crate::ids::{AssetId, CollectionId, FolderId, ProjectId, ShareId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What a guest may download through a link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShareDownload {
    /// Nothing: guests can only watch and look.
    #[default]
    None,
    /// The web proxies and previews.
    Proxy,
    /// The original files.
    Original,
}

impl ShareDownload {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareDownload::None => "none",
            ShareDownload::Proxy => "proxy",
            ShareDownload::Original => "original",
        }
    }

    /// From the database name.
    pub fn parse(s: &str) -> Option<ShareDownload> {
        match s {
            "none" => Some(ShareDownload::None),
            "proxy" => Some(ShareDownload::Proxy),
            "original" => Some(ShareDownload::Original),
            _ => None,
        }
    }
}

/// What a link covers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ShareScope {
    /// These assets.
    Assets {
        /// The assets, in the order they were shared.
        asset_ids: Vec<AssetId>,
    },
    /// A folder's assets, including those added after the link was made.
    Folder {
        /// The folder.
        folder_id: FolderId,
    },
    /// A collection's assets (a smart collection's as they are when the link is opened).
    Collection {
        /// The collection.
        collection_id: CollectionId,
    },
}

/// Whether a link can be opened now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShareState {
    /// Open.
    Active,
    /// Past its expiry.
    Expired,
    /// Revoked by a member.
    Revoked,
}

/// A share link as its project's members see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ShareDto {
    /// Id.
    pub id: ShareId,
    /// Project.
    pub project_id: ProjectId,
    /// The link's secret (128 random bits, base64url).
    pub token: String,
    /// The path to give out: `/s/{token}`.
    pub url: String,
    /// A name for the members' list.
    pub name: String,
    /// What it covers.
    pub scope: ShareScope,
    /// Whether a password is asked for.
    pub has_password: bool,
    /// When it stops working.
    pub expires_at: Option<DateTime<Utc>>,
    /// What guests may download.
    pub download: ShareDownload,
    /// Whether guests may comment.
    pub comments: bool,
    /// Whether guests see other reviewers' comments.
    pub show_comments: bool,
    /// Whether guests may approve or reject.
    pub approvals: bool,
    /// Who made it.
    pub created_by: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Active, expired or revoked.
    pub state: ShareState,
    /// How many times it was opened.
    pub views: i64,
    /// When it was last opened.
    pub last_access_at: Option<DateTime<Utc>>,
    /// The watermark text burned into what guests are served (with the link's date), if any.
    #[serde(default)]
    pub watermark: Option<String>,
}

/// `POST /api/v1/shares`: exactly one of `asset_ids`, `folder_id`, `collection_id`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateShareRequest {
    /// Project.
    pub project_id: String,
    /// Some assets of the project.
    #[serde(default)]
    pub asset_ids: Option<Vec<String>>,
    /// A folder of the project (a living link).
    #[serde(default)]
    pub folder_id: Option<String>,
    /// A collection of the project.
    #[serde(default)]
    pub collection_id: Option<String>,
    /// A name for the members' list (default: what it covers).
    #[serde(default)]
    pub name: Option<String>,
    /// A password guests must give (8–200 characters).
    #[serde(default)]
    pub password: Option<String>,
    /// When it stops working (in the future).
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// What guests may download (default none).
    #[serde(default)]
    pub download: ShareDownload,
    /// Whether guests may comment (default true).
    #[serde(default = "yes")]
    pub comments: bool,
    /// Whether guests see other reviewers' comments (default true).
    #[serde(default = "yes")]
    pub show_comments: bool,
    /// Whether guests may approve or reject (default false).
    #[serde(default)]
    pub approvals: bool,
    /// Burn this text (the reviewer's name or e-mail, 1–120 characters) and the link's date
    /// into the thumbnails, previews and proxies guests are served (default none).
    #[serde(default)]
    pub watermark: Option<String>,
}

fn yes() -> bool {
    true
}

// A field that is present (even as `null`) is `Some`; `#[serde(default)]` makes an absent one
// `None`.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// `PATCH /api/v1/shares/{id}`: absent fields stay; `null` clears a password or an expiry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SharePatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New password, or `null` for none.
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub password: Option<Option<String>>,
    /// New expiry, or `null` for none.
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<Utc>>))]
    pub expires_at: Option<Option<DateTime<Utc>>>,
    /// Downloads.
    #[serde(default)]
    pub download: Option<ShareDownload>,
    /// Guest comments.
    #[serde(default)]
    pub comments: Option<bool>,
    /// Other reviewers' comments shown.
    #[serde(default)]
    pub show_comments: Option<bool>,
    /// Guest approvals.
    #[serde(default)]
    pub approvals: Option<bool>,
    /// New watermark text, or `null` for none.
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub watermark: Option<Option<String>>,
}

/// `POST /api/v1/s/{token}/unlock`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UnlockRequest {
    /// The link's password, when it has one.
    #[serde(default)]
    pub password: Option<String>,
    /// The reviewer's name, shown on their comments (1–100 characters).
    pub name: String,
    /// The reviewer's e-mail (optional).
    #[serde(default)]
    pub email: Option<String>,
}

/// What a guest is told about the link they opened: never the project's internals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ShareInfo {
    /// The link's name.
    pub name: String,
    /// Whether a password is asked for.
    pub has_password: bool,
    /// Whether this browser has unlocked it (given the password and/or a name).
    pub unlocked: bool,
    /// The name this browser reviews under.
    pub guest_name: Option<String>,
    /// When it stops working.
    pub expires_at: Option<DateTime<Utc>>,
    /// What guests may download.
    pub download: ShareDownload,
    /// Whether guests may comment.
    pub comments: bool,
    /// Whether guests may approve or reject.
    pub approvals: bool,
}

/// An asset as a guest sees it through a link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SharedAsset {
    /// Id.
    pub id: AssetId,
    /// Name.
    pub name: String,
    /// Video, image or audio.
    pub media_type: MediaType,
    /// The current version's state.
    pub status: VersionState,
    /// The version shown.
    pub current_version: i32,
    /// Displayed width.
    pub width: Option<u32>,
    /// Displayed height.
    pub height: Option<u32>,
    /// Duration, seconds.
    pub duration_seconds: Option<f64>,
    /// A tiny JPEG as a `data:` URL, shown blurred while the thumbnail loads.
    pub placeholder: Option<String>,
}

/// `GET /api/v1/s/{token}/assets`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SharedAssets {
    /// The link.
    pub share: ShareInfo,
    /// What it covers now.
    pub items: Vec<SharedAsset>,
    /// How many in all.
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_tells_absent_from_null() -> Result<(), serde_json::Error> {
        let p: SharePatch = serde_json::from_str(r#"{"password": null}"#)?;
        assert_eq!(p.password, Some(None));
        assert_eq!(p.expires_at, None);
        let p: SharePatch = serde_json::from_str(r#"{"password": "correct horse"}"#)?;
        assert_eq!(p.password, Some(Some("correct horse".into())));
        Ok(())
    }

    #[test]
    fn a_request_defaults_to_no_downloads_and_comments_on() -> Result<(), serde_json::Error> {
        let r: CreateShareRequest = serde_json::from_str(r#"{"project_id": "p", "asset_ids": []}"#)?;
        assert_eq!(r.download, ShareDownload::None);
        assert!(r.comments && r.show_comments && !r.approvals);
        Ok(())
    }
}

/// A share-link guest's verdict on a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Signed off.
    Approved,
    /// Changes wanted.
    ChangesRequested,
}

impl Verdict {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Approved => "approved",
            Verdict::ChangesRequested => "changes_requested",
        }
    }

    /// The inverse of [`Verdict::as_str`].
    pub fn parse(s: &str) -> Option<Verdict> {
        match s {
            "approved" => Some(Verdict::Approved),
            "changes_requested" => Some(Verdict::ChangesRequested),
            _ => None,
        }
    }

    /// What the screen says.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Approved => "approved",
            Verdict::ChangesRequested => "requested changes to",
        }
    }
}

/// `PUT /api/v1/s/{token}/assets/{asset_id}/verdict`: the guest's verdict on the current
/// version, or `null` to withdraw it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct VerdictRequest {
    /// The verdict; `null` withdraws.
    pub verdict: Option<Verdict>,
}

/// One guest's verdict, as the team (and that guest) sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GuestVerdictDto {
    /// The name the guest gave.
    pub name: String,
    /// Their e-mail, if given (empty for the guest's own view).
    pub email: Option<String>,
    /// The link it came through.
    pub link_name: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Which version.
    pub version: i32,
    /// When.
    pub created_at: DateTime<Utc>,
}
