//! Assets, their versions, folders and the media metadata contract.

use crate::ids::{AssetId, FolderId, ProjectId};
use crate::rational::Rational;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::{IntoParams, ToSchema};

/// What kind of media an asset holds (decided from the content, never the name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaType {
    /// Moving pictures (with or without sound).
    Video,
    /// A still: photo, RAW, graphic.
    Image,
    /// Sound only.
    Audio,
}

impl MediaType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Video => "video",
            MediaType::Image => "image",
            MediaType::Audio => "audio",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<MediaType> {
        match s {
            "video" => Some(MediaType::Video),
            "image" => Some(MediaType::Image),
            "audio" => Some(MediaType::Audio),
            _ => None,
        }
    }
}

/// Where a version is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    /// Bytes are still arriving.
    Uploading,
    /// Stored; derivatives are being made.
    Processing,
    /// Derivatives are ready.
    Ready,
    /// Could not be processed; `error` says why.
    Failed,
}

impl VersionState {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionState::Uploading => "uploading",
            VersionState::Processing => "processing",
            VersionState::Ready => "ready",
            VersionState::Failed => "failed",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<VersionState> {
        match s {
            "uploading" => Some(VersionState::Uploading),
            "processing" => Some(VersionState::Processing),
            "ready" => Some(VersionState::Ready),
            "failed" => Some(VersionState::Failed),
            _ => None,
        }
    }
}

/// Media metadata. Every field is optional and omitted when unknown; names are a contract.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssetMetadata {
    /// Width as displayed (after rotation/orientation), pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Height as displayed, pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Duration in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    /// Frame rate as an exact rational, `"num/den"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "24000/1001"))]
    pub frame_rate: Option<Rational>,
    /// Number of video frames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_count: Option<u64>,
    /// Video codec (ffprobe name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_codec: Option<String>,
    /// Audio codec (ffprobe name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_codec: Option<String>,
    /// Overall bit rate, bits per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<u64>,
    /// Start timecode, `HH:MM:SS:FF` (`;` before frames when drop-frame).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_timecode: Option<String>,
    /// Camera maker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera_make: Option<String>,
    /// Camera model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera_model: Option<String>,
    /// Lens model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lens: Option<String>,
    /// ISO speed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso: Option<u32>,
    /// Aperture as an f-number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aperture: Option<f64>,
    /// Exposure time in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shutter_speed: Option<f64>,
    /// Focal length, millimetres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focal_length_mm: Option<f64>,
    /// When the picture was taken (RFC 3339; no zone when the camera recorded none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured_at: Option<String>,
    /// Latitude, decimal degrees (north positive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gps_latitude: Option<f64>,
    /// Longitude, decimal degrees (east positive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gps_longitude: Option<f64>,
    /// EXIF orientation (1–8) of the original.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orientation: Option<u16>,
    /// Copyright notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copyright: Option<String>,
    /// Colour space (EXIF `sRGB`/`Uncalibrated`, an ICC description, or video primaries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color_space: Option<String>,
    /// Pixel format of the video stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pixel_format: Option<String>,
    /// Audio channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_channels: Option<u32>,
    /// Audio sample rate, Hz.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_sample_rate: Option<u32>,
    /// True when the web proxy was tone-mapped from an HDR source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hdr_tone_mapped: Option<bool>,
}

/// One version of an asset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct VersionDto {
    /// 1-based number in the stack.
    pub number: i32,
    /// MIME type of the original, once sniffed.
    #[serde(default)]
    pub mime: Option<String>,
    /// Where it is in its life.
    pub state: VersionState,
    /// SHA-256 of the original (lowercase hex), once fully uploaded.
    pub sha256: Option<String>,
    /// Size of the original in bytes.
    pub size: i64,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// The uploaded file's name.
    pub original_name: String,
    /// Processing progress, 0–100.
    pub progress: i16,
    /// What processing is doing now.
    pub phase: String,
    /// Stored derivatives (`thumb-256.jpg`, `preview.jpg`, `proxy.mp4`, …).
    pub derivatives: Vec<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Who uploaded it (display name), when known.
    #[serde(default)]
    pub uploaded_by: Option<String>,
}

/// `PUT /api/v1/assets/{id}/current_version`: which version is shown by default (a roll back
/// when it is an older one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CurrentVersionRequest {
    /// The version number.
    pub version: i32,
}

/// An asset with its version stack (`GET /api/v1/assets/{id}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssetDto {
    /// Id.
    pub id: AssetId,
    /// Project.
    pub project_id: ProjectId,
    /// Folder, or none for the project's root.
    pub folder_id: Option<FolderId>,
    /// Display name (the file name).
    pub name: String,
    /// Video, image or audio.
    pub media_type: MediaType,
    /// The current version's state.
    pub status: VersionState,
    /// Every version, oldest first.
    pub versions: Vec<VersionDto>,
    /// The number of the version shown by default.
    pub current_version: i32,
    /// The current version's metadata.
    pub metadata: AssetMetadata,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Star rating: −1 rejected, 0 none, 1–5.
    #[serde(default)]
    pub rating: i16,
    /// Colour label.
    #[serde(default)]
    pub label: Option<crate::review::ColorLabel>,
    /// Review status.
    #[serde(default)]
    pub review_status: crate::review::ReviewStatus,
    /// The editable metadata.
    #[serde(default)]
    pub fields: crate::fields::AssetFields,
    /// Where it was copied from, when it is a deep clone.
    #[serde(default)]
    pub cloned_from: Option<crate::clone::ClonedFrom>,
}

/// An asset as a card in the library grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssetSummary {
    /// Id.
    pub id: AssetId,
    /// Folder.
    pub folder_id: Option<FolderId>,
    /// Name.
    pub name: String,
    /// Video, image or audio.
    pub media_type: MediaType,
    /// The current version's state.
    pub status: VersionState,
    /// Current version number.
    pub current_version: i32,
    /// Number of versions.
    pub version_count: i64,
    /// Processing progress, 0–100.
    pub progress: i16,
    /// Processing phase.
    pub phase: String,
    /// Why it failed.
    pub error: Option<String>,
    /// Displayed width.
    pub width: Option<u32>,
    /// Displayed height.
    pub height: Option<u32>,
    /// Duration, seconds.
    pub duration_seconds: Option<f64>,
    /// Size of the current original.
    pub size: i64,
    /// Whether thumbnails exist.
    pub has_thumbnail: bool,
    /// A tiny JPEG as a `data:` URL, shown blurred while the thumbnail loads.
    pub placeholder: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Star rating: −1 rejected, 0 none, 1–5.
    #[serde(default)]
    pub rating: i16,
    /// Colour label.
    #[serde(default)]
    pub label: Option<crate::review::ColorLabel>,
    /// Review status.
    #[serde(default)]
    pub review_status: crate::review::ReviewStatus,
    /// Tags (lowercase).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Due date.
    #[serde(default)]
    pub due_date: Option<chrono::NaiveDate>,
    /// When it went to the trash (trash listings only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trashed_at: Option<DateTime<Utc>>,
    /// Where a search matched, with the matching words marked (searches only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<SearchMatch>,
    /// Metadata and editable fields (when the query asks for `detail`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Box<AssetDetail>>,
}

/// What a list view's columns can show beyond the summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssetDetail {
    /// Technical metadata of the current version.
    pub metadata: AssetMetadata,
    /// Editable fields, custom fields included.
    pub fields: crate::fields::AssetFields,
    /// The pick flag.
    pub picked: bool,
}

/// A piece of text a search matched in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SearchMatch {
    /// Where: `name`, `description`, `tags`, `camera`, `comment`, or an info field's name.
    pub field: String,
    /// The text (an excerpt for long text).
    pub text: String,
    /// Matched character ranges `[start, end)` in `text`, counted in Unicode scalar values.
    pub marks: Vec<[u32; 2]>,
}

/// A page of assets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssetPage {
    /// The assets on this page, newest first.
    pub items: Vec<AssetSummary>,
    /// How many match the filters in all.
    pub total: i64,
    /// Offset of the first item.
    pub offset: i64,
    /// Page size asked for.
    pub limit: i64,
    /// The newest live event when the page was read: subscribe from here to miss nothing.
    #[serde(default)]
    pub last_event_id: i64,
}

/// Filters and paging for an asset list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema, IntoParams))]
pub struct AssetQuery {
    /// Only this media type.
    #[serde(default)]
    pub media_type: Option<MediaType>,
    /// Only this status.
    #[serde(default)]
    pub status: Option<VersionState>,
    /// Only this folder (`root` for the project root); all folders when absent.
    #[serde(default)]
    pub folder_id: Option<String>,
    /// A filter in the JSON form of `model::filter::Filter`.
    #[serde(default)]
    pub filter: Option<String>,
    /// Search words (full text with prefixes, plus typo-tolerant matching).
    #[serde(default)]
    pub q: Option<String>,
    /// Sort key (default `created_at`; `relevance` for searches).
    #[serde(default)]
    pub sort: Option<crate::filter::SortField>,
    /// Sort direction (default `desc`).
    #[serde(default)]
    pub dir: Option<crate::filter::Direction>,
    /// Skip this many (default 0).
    #[serde(default)]
    pub offset: Option<i64>,
    /// Page size (default 100, at most 500).
    #[serde(default)]
    pub limit: Option<i64>,
    /// Group by this first (the grid draws a header per group).
    #[serde(default)]
    pub group_by: Option<crate::filter::GroupBy>,
    /// Also send each item's metadata and fields (`detail`), for list-view columns.
    #[serde(default)]
    pub detail: Option<bool>,
}

/// A folder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FolderDto {
    /// Id.
    pub id: FolderId,
    /// Project.
    pub project_id: ProjectId,
    /// Parent folder, none at the root.
    pub parent_id: Option<FolderId>,
    /// Name.
    pub name: String,
    /// Live assets directly inside.
    pub asset_count: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// Create a folder, by name under a parent or by a slash-separated path (created as needed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateFolderRequest {
    /// The new folder's name; or a path like `Day 1/Camera A`, whose missing folders are
    /// created and whose last folder is returned (existing or not).
    pub name: String,
    /// Parent, none for the root.
    #[serde(default)]
    pub parent_id: Option<FolderId>,
}

/// Rename and/or move a folder.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FolderPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New parent: a folder id, or `"root"`.
    #[serde(default)]
    pub parent_id: Option<String>,
}

/// Where each tile of a filmstrip sprite sits, for hover-scrubbing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FilmstripIndex {
    /// Tile width, pixels.
    pub tile_width: u32,
    /// Tile height, pixels.
    pub tile_height: u32,
    /// Tiles per row.
    pub columns: u32,
    /// Rows.
    pub rows: u32,
    /// Number of tiles (row-major from the top left).
    pub count: u32,
    /// Seconds into the video each tile shows.
    pub timestamps: Vec<f64>,
}
