//! Review: comments (time-coded, pinned, drawn on), reactions, ratings, colour labels,
//! review status, approvals and notifications.

use crate::annotation::Annotation;
use crate::ids::{AssetId, CommentId, NotificationId, ProjectId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// An asset's review status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Nobody has looked yet.
    #[default]
    NeedsReview,
    /// Being reviewed.
    InProgress,
    /// Reviewed; changes wanted.
    ChangesRequested,
    /// Signed off.
    Approved,
}

impl ReviewStatus {
    /// Every status, in workflow order.
    pub const ALL: [ReviewStatus; 4] = [
        ReviewStatus::NeedsReview,
        ReviewStatus::InProgress,
        ReviewStatus::ChangesRequested,
        ReviewStatus::Approved,
    ];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::NeedsReview => "needs_review",
            ReviewStatus::InProgress => "in_progress",
            ReviewStatus::ChangesRequested => "changes_requested",
            ReviewStatus::Approved => "approved",
        }
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::NeedsReview => "Needs review",
            ReviewStatus::InProgress => "In progress",
            ReviewStatus::ChangesRequested => "Changes requested",
            ReviewStatus::Approved => "Approved",
        }
    }

    /// From the wire name.
    pub fn parse(s: &str) -> Option<ReviewStatus> {
        ReviewStatus::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A colour label (keys 6–9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ColorLabel {
    /// Key 6.
    Red,
    /// Key 7.
    Yellow,
    /// Key 8.
    Green,
    /// Key 9.
    Blue,
}

impl ColorLabel {
    /// Every label, in key order (6, 7, 8, 9).
    pub const ALL: [ColorLabel; 4] = [ColorLabel::Red, ColorLabel::Yellow, ColorLabel::Green, ColorLabel::Blue];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ColorLabel::Red => "red",
            ColorLabel::Yellow => "yellow",
            ColorLabel::Green => "green",
            ColorLabel::Blue => "blue",
        }
    }

    /// From the wire name.
    pub fn parse(s: &str) -> Option<ColorLabel> {
        ColorLabel::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Ratings run from −1 (rejected) through 0 (unrated) to 5 stars.
pub const REJECTED: i16 = -1;

/// Who wrote something.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Person {
    /// User id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Mention handle (`@handle`).
    pub handle: String,
}

/// Emoji reactions on a comment, grouped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReactionDto {
    /// The emoji.
    pub emoji: String,
    /// How many people reacted with it.
    pub count: i64,
    /// Whether the caller is one of them.
    pub mine: bool,
    /// Who reacted, oldest first (live events carry `mine: false`; clients look themselves up
    /// here).
    #[serde(default)]
    pub users: Vec<UserId>,
}

/// The emoji offered in the reaction picker; anything else is refused.
pub const REACTIONS: [&str; 6] = ["👍", "❤️", "🎉", "😂", "👀", "✅"];

/// A comment as the API returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CommentDto {
    /// Id.
    pub id: CommentId,
    /// Asset.
    pub asset_id: AssetId,
    /// The version it was written on.
    pub version: i32,
    /// The comment replied to (threads are one level deep).
    pub parent_id: Option<CommentId>,
    /// Author.
    pub author: Person,
    /// Text as typed.
    pub body: String,
    /// The text rendered to safe HTML (escaped, links, mentions, light markdown).
    pub body_html: String,
    /// First frame (videos); `None` for whole-asset comments and photos.
    pub frame_in: Option<i64>,
    /// Last frame of a range (inclusive); `None` for single-frame comments.
    pub frame_out: Option<i64>,
    /// SMPTE label of `frame_in` from the clip's start timecode.
    pub timecode_in: Option<String>,
    /// SMPTE label of `frame_out`.
    pub timecode_out: Option<String>,
    /// Pin or rectangle, normalised to the picture (0..1).
    pub x: Option<f64>,
    /// See `x`.
    pub y: Option<f64>,
    /// Rectangle width (absent for a point pin).
    pub w: Option<f64>,
    /// Rectangle height.
    pub h: Option<f64>,
    /// Drawing, in normalised coordinates.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub annotation: Option<Annotation>,
    /// Team-only: never shown to share-link guests.
    pub private: bool,
    /// Resolved?
    pub resolved: bool,
    /// Who resolved it.
    pub resolved_by: Option<Person>,
    /// Reactions.
    pub reactions: Vec<ReactionDto>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last edited.
    pub edited_at: Option<DateTime<Utc>>,
    /// Written by a share-link guest (no account): `author.name` is the name they gave.
    #[serde(default)]
    pub guest: bool,
    /// The review link a guest's comment came through (shown to members only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via_link: Option<String>,
}

impl CommentDto {
    /// Whether this is a top-level comment (not a reply).
    pub fn is_thread(&self) -> bool {
        self.parent_id.is_none()
    }
}

/// `POST /assets/{id}/comments`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewComment {
    /// Text (1–10000 characters).
    pub body: String,
    /// Reply to this comment.
    #[serde(default)]
    pub parent_id: Option<CommentId>,
    /// Frame (videos).
    #[serde(default)]
    pub frame_in: Option<i64>,
    /// End of a range (videos).
    #[serde(default)]
    pub frame_out: Option<i64>,
    /// Pin position.
    #[serde(default)]
    pub x: Option<f64>,
    /// Pin position.
    #[serde(default)]
    pub y: Option<f64>,
    /// Rectangle size.
    #[serde(default)]
    pub w: Option<f64>,
    /// Rectangle size.
    #[serde(default)]
    pub h: Option<f64>,
    /// Drawing.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub annotation: Option<Annotation>,
    /// Team-only.
    #[serde(default)]
    pub private: bool,
    /// Version (the current one when absent).
    #[serde(default)]
    pub version: Option<i32>,
}

/// `PATCH /comments/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CommentPatch {
    /// New text.
    #[serde(default)]
    pub body: Option<String>,
    /// New drawing (`null` is "leave as is").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub annotation: Option<Annotation>,
    /// Remove the drawing.
    #[serde(default)]
    pub clear_annotation: bool,
}

/// `POST /comments/{id}/resolve`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResolveRequest {
    /// `true` resolves, `false` reopens.
    #[serde(default = "yes")]
    pub resolved: bool,
}

fn yes() -> bool {
    true
}

impl Default for ResolveRequest {
    fn default() -> Self {
        ResolveRequest { resolved: true }
    }
}

impl Default for ApprovalRequest {
    fn default() -> Self {
        ApprovalRequest {
            approved: true,
            version: None,
        }
    }
}

/// `POST /comments/{id}/reactions`: toggles the caller's reaction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReactionRequest {
    /// One of [`REACTIONS`].
    pub emoji: String,
}

/// `PUT /assets/{id}/rating`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RatingRequest {
    /// −1 (reject) … 5; absent leaves the stars as they are.
    #[serde(default)]
    pub rating: Option<i16>,
    /// Pick flag; a reject clears it, a pick lifts a reject.
    #[serde(default)]
    pub picked: Option<bool>,
    /// The version rated (the current one when absent). Stars belong to a version; the pick
    /// flag to the asset.
    #[serde(default)]
    pub version: Option<i32>,
}

/// `PUT /assets/{id}/status`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatusRequest {
    /// New status.
    pub status: ReviewStatus,
    /// The version (the current one when absent).
    #[serde(default)]
    pub version: Option<i32>,
}

/// `PUT /assets/{id}/label`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LabelRequest {
    /// New label, `null` to clear.
    pub label: Option<ColorLabel>,
}

/// `POST /assets/{id}/approvals`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApprovalRequest {
    /// `true` approves, `false` withdraws the caller's approval.
    #[serde(default = "yes")]
    pub approved: bool,
    /// Version (the current one when absent).
    #[serde(default)]
    pub version: Option<i32>,
}

/// One reviewer's approval of one version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApprovalDto {
    /// Who.
    pub user: Person,
    /// Which version.
    pub version: i32,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// An asset's review state: rating, label, status and approvals.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewDto {
    /// The version this state is of (its stars and status; label and pick are the asset's).
    #[serde(default)]
    pub version: i32,
    /// −1 … 5.
    pub rating: i16,
    /// Picked (flagged as a keeper).
    pub picked: bool,
    /// Colour label.
    pub label: Option<ColorLabel>,
    /// Review status.
    pub status: ReviewStatus,
    /// Approvals, newest first.
    pub approvals: Vec<ApprovalDto>,
    /// Share-link guests' verdicts, newest first (a guest sees only their own).
    #[serde(default)]
    pub guest_verdicts: Vec<crate::share::GuestVerdictDto>,
    /// Open top-level comments.
    pub open_comments: i64,
}

/// An in-app notification.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NotificationDto {
    /// Id.
    pub id: NotificationId,
    /// `mention` or `reply`.
    pub kind: String,
    /// Who caused it.
    pub actor: Option<Person>,
    /// Project.
    pub project_id: ProjectId,
    /// Asset.
    pub asset_id: Option<AssetId>,
    /// Asset name.
    pub asset_name: Option<String>,
    /// Comment.
    pub comment_id: Option<CommentId>,
    /// A short excerpt.
    pub excerpt: String,
    /// Read?
    pub read: bool,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Everything the review screen renders on the server: the asset, its review state and
/// comments, the people who can be mentioned, its neighbours (previous/next, the lightbox
/// filmstrip) and the small timeline pictures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    /// The asset, at the version on screen (`asset.current_version` is that version).
    pub asset: crate::asset::AssetDto,
    /// The asset's current version (differs from `asset.current_version` when an older
    /// version is on screen).
    #[serde(default)]
    pub current_version: i32,
    /// Its project's name.
    pub project_name: String,
    /// The caller's role in the project.
    pub role: crate::role::Role,
    /// The caller.
    pub me: UserId,
    /// Rating, label, status, approvals.
    pub review: ReviewDto,
    /// Comments, ordered by frame.
    pub comments: Vec<CommentDto>,
    /// Project members (for @mentions and the "by person" filter).
    pub people: Vec<Person>,
    /// The assets of the same folder, in library order.
    pub neighbours: Vec<crate::asset::AssetSummary>,
    /// The filmstrip's tile index (videos).
    pub filmstrip: Option<crate::asset::FilmstripIndex>,
    /// Audio peaks 0..255, at most 800 points.
    pub waveform: Vec<u8>,
    /// The newest live event when the page was read: subscribe from here to miss nothing.
    #[serde(default)]
    pub last_event_id: i64,
    /// Set when a share-link guest is reviewing (no account): what the link lets them do.
    #[serde(default)]
    pub guest: Option<GuestReview>,
}

/// A share-link guest's review screen: where its media and comments go, and what it allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuestReview {
    /// The link's token (media and comments go through `/api/v1/s/{token}/…`).
    pub token: String,
    /// The link's name.
    pub link_name: String,
    /// The name the guest gave.
    pub name: String,
    /// Guests may comment.
    pub comments: bool,
    /// What the link lets the guest download (originals also feed the lightbox's zoom).
    pub download: crate::share::ShareDownload,
    /// Guests may approve or request changes.
    #[serde(default)]
    pub approvals: bool,
    /// The link burns a watermark into what it serves.
    #[serde(default)]
    pub watermark: bool,
    /// The watermarked copy of the main picture is still being made.
    #[serde(default)]
    pub watermark_pending: bool,
}
