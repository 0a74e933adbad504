//! Export renditions: finished files made from one asset or several in a row.

use crate::ids::{AssetId, ProjectId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A rendition preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub enum Preset {
    /// 720p H.264, 2.5 Mb/s.
    #[serde(rename = "mp4-good")]
    Mp4Good,
    /// 1080p H.264, 5 Mb/s.
    #[serde(rename = "mp4-better")]
    Mp4Better,
    /// 1080p H.265, 8 Mb/s (`hvc1`).
    #[serde(rename = "mp4-best")]
    Mp4Best,
    /// 2160p H.265, 20 Mb/s.
    #[serde(rename = "mp4-4k")]
    Mp4Uhd,
    /// 720p VP9 + Opus.
    #[serde(rename = "webm-good")]
    WebmGood,
    /// 1080p VP9 + Opus.
    #[serde(rename = "webm-best")]
    WebmBest,
    /// ProRes 422, 10-bit 4:2:2, PCM audio.
    #[serde(rename = "mov-prores")]
    MovProres,
    /// AV1 (rav1e), 720p.
    #[serde(rename = "av1")]
    Av1,
    /// The originals as uploaded, in one ZIP (downloadable with ranges, so it resumes).
    #[serde(rename = "zip-original")]
    ZipOriginal,
    /// The web proxies of videos and the previews of photos, in one ZIP.
    #[serde(rename = "zip-proxy")]
    ZipProxy,
    /// Photos centre-cropped to 1080 × 1080 JPEG, in one ZIP.
    #[serde(rename = "jpeg-1080-square")]
    JpegSquare,
    /// Photos at 2048 px on the long edge as WebP, in one ZIP.
    #[serde(rename = "webp-2048")]
    Webp2048,
    /// A contact sheet of the photos (name, stars, label, status) as a PDF.
    #[serde(rename = "contact-sheet")]
    ContactSheet,
}

impl Preset {
    /// The video renditions: clips joined into one file.
    pub const VIDEO: [Preset; 8] = [
        Preset::Mp4Good,
        Preset::Mp4Better,
        Preset::Mp4Best,
        Preset::Mp4Uhd,
        Preset::WebmGood,
        Preset::WebmBest,
        Preset::MovProres,
        Preset::Av1,
    ];

    /// The packages: files delivered as they are or per photo, not joined.
    pub const PACKAGES: [Preset; 5] = [
        Preset::ZipOriginal,
        Preset::ZipProxy,
        Preset::JpegSquare,
        Preset::Webp2048,
        Preset::ContactSheet,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Mp4Good => "mp4-good",
            Preset::Mp4Better => "mp4-better",
            Preset::Mp4Best => "mp4-best",
            Preset::Mp4Uhd => "mp4-4k",
            Preset::WebmGood => "webm-good",
            Preset::WebmBest => "webm-best",
            Preset::MovProres => "mov-prores",
            Preset::Av1 => "av1",
            Preset::ZipOriginal => "zip-original",
            Preset::ZipProxy => "zip-proxy",
            Preset::JpegSquare => "jpeg-1080-square",
            Preset::Webp2048 => "webp-2048",
            Preset::ContactSheet => "contact-sheet",
        }
    }

    /// Whether it renders clips into one video.
    pub fn is_video(self) -> bool {
        Preset::VIDEO.contains(&self)
    }

    /// Whether it takes assets of `media` (videos for renditions, photos for the photo
    /// presets, anything for the originals ZIP).
    pub fn accepts(self, media: crate::asset::MediaType) -> bool {
        use crate::asset::MediaType;
        match self {
            Preset::ZipOriginal | Preset::ZipProxy => true,
            Preset::JpegSquare | Preset::Webp2048 | Preset::ContactSheet => media == MediaType::Image,
            _ => media == MediaType::Video,
        }
    }

    /// The preset named `s`.
    pub fn parse(s: &str) -> Option<Preset> {
        Preset::VIDEO
            .into_iter()
            .chain(Preset::PACKAGES)
            .find(|p| p.as_str() == s)
    }

    /// What the dialog calls it.
    pub fn label(self) -> &'static str {
        match self {
            Preset::Mp4Good => "MP4 · 720p H.264 (good)",
            Preset::Mp4Better => "MP4 · 1080p H.264 (better)",
            Preset::Mp4Best => "MP4 · 1080p H.265 (best)",
            Preset::Mp4Uhd => "MP4 · 4K H.265",
            Preset::WebmGood => "WebM · 720p VP9 (good)",
            Preset::WebmBest => "WebM · 1080p VP9 (best)",
            Preset::MovProres => "MOV · ProRes 422 10-bit",
            Preset::Av1 => "MP4 · 720p AV1 (rav1e)",
            Preset::ZipOriginal => "ZIP · originals as uploaded",
            Preset::ZipProxy => "ZIP · web proxies and previews",
            Preset::JpegSquare => "ZIP · photos as 1080 × 1080 JPEG",
            Preset::Webp2048 => "ZIP · photos as WebP, 2048 px long edge",
            Preset::ContactSheet => "PDF · contact sheet of the photos",
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Preset::WebmGood | Preset::WebmBest => "webm",
            Preset::MovProres => "mov",
            Preset::ZipOriginal | Preset::ZipProxy | Preset::JpegSquare | Preset::Webp2048 => "zip",
            Preset::ContactSheet => "pdf",
            _ => "mp4",
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            Preset::WebmGood | Preset::WebmBest => "video/webm",
            Preset::MovProres => "video/quicktime",
            Preset::ZipOriginal | Preset::ZipProxy | Preset::JpegSquare | Preset::Webp2048 => "application/zip",
            Preset::ContactSheet => "application/pdf",
            _ => "video/mp4",
        }
    }

    /// The picture height it renders at.
    pub fn height(self) -> u32 {
        match self {
            Preset::Mp4Good | Preset::WebmGood | Preset::Av1 => 720,
            Preset::Mp4Uhd => 2160,
            _ => 1080,
        }
    }
}

/// `POST /api/v1/projects/{id}/exports`: the assets in one or several presets — videos joined
/// in this order into one file per rendition preset; photos (or anything, for the originals)
/// into one ZIP or contact sheet per package preset.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateExportRequest {
    /// The clips, in order.
    pub asset_ids: Vec<String>,
    /// One file per preset.
    pub presets: Vec<Preset>,
    /// Title written into the files (default: the first clip's name).
    #[serde(default)]
    pub title: Option<String>,
}

/// An export as its maker sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExportDto {
    /// Id.
    pub id: uuid::Uuid,
    /// Project.
    pub project_id: ProjectId,
    /// Preset.
    pub preset: Preset,
    /// The clips.
    pub asset_ids: Vec<AssetId>,
    /// Title.
    pub title: String,
    /// `queued`, `running`, `done`, `failed`, `cancelled` or `expired`.
    pub state: String,
    /// 0–100.
    pub progress: i16,
    /// Why it failed.
    pub error: Option<String>,
    /// The file's name, when done.
    pub file_name: Option<String>,
    /// Its size in bytes.
    pub size: Option<i64>,
    /// Made when.
    pub created_at: DateTime<Utc>,
    /// Finished when.
    pub finished_at: Option<DateTime<Utc>>,
    /// Deleted after.
    pub expires_at: Option<DateTime<Utc>>,
}
