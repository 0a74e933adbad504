//! Assets and their version stacks: reading, listing, and the state changes of processing.

mod processing;
pub use processing::{mark_failed, mark_ready, set_media_type, set_progress, Processed};

use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::schema::{asset_versions, assets};
use base64::Engine;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::asset::{AssetDto, AssetMetadata, AssetPage, AssetQuery, AssetSummary, MediaType, VersionDto, VersionState};
use model::permission::{Action, Ownership};
use model::{ApiError, AssetId, FolderId, ProjectId, UserId};
use uuid::Uuid;

/// A row of `assets`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = assets)]
pub struct Asset {
    /// Id.
    pub id: Uuid,
    /// Project.
    pub project_id: Uuid,
    /// Folder.
    pub folder_id: Option<Uuid>,
    /// Name.
    pub name: String,
    /// `video`, `image` or `audio`.
    pub media_type: String,
    /// Current version number.
    pub current_version: i32,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Star rating (−1 rejected).
    pub rating: i16,
    /// Colour label.
    pub label: Option<String>,
    /// Review status.
    pub review_status: String,
    /// Description.
    pub description: String,
    /// Tags (lowercase).
    pub tags: Vec<String>,
    /// Target platforms.
    pub platforms: Vec<String>,
    /// Assignee.
    pub assignee_id: Option<Uuid>,
    /// Due date.
    pub due_date: Option<chrono::NaiveDate>,
    /// Other editable text fields by name.
    pub info: serde_json::Value,
    /// When it went to the trash.
    pub trashed_at: Option<DateTime<Utc>>,
    /// The pick flag.
    pub picked: bool,
    /// Custom field values by key.
    pub custom: serde_json::Value,
}

impl Asset {
    /// The editable metadata.
    pub fn fields(&self) -> model::fields::AssetFields {
        model::fields::AssetFields {
            description: self.description.clone(),
            tags: self.tags.clone(),
            platforms: self.platforms.clone(),
            assignee: self.assignee_id.map(UserId),
            due_date: self.due_date,
            info: serde_json::from_value(self.info.clone()).unwrap_or_default(),
            custom: serde_json::from_value(self.custom.clone()).unwrap_or_default(),
        }
    }

    fn review_fields(&self) -> (i16, Option<model::review::ColorLabel>, model::review::ReviewStatus) {
        (
            self.rating,
            self.label.as_deref().and_then(model::review::ColorLabel::parse),
            model::review::ReviewStatus::parse(&self.review_status).unwrap_or_default(),
        )
    }
}

/// A row of `asset_versions`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = asset_versions)]
pub struct Version {
    /// Id.
    pub id: Uuid,
    /// Asset.
    pub asset_id: Uuid,
    /// Number.
    pub number: i32,
    /// State.
    pub state: String,
    /// Uploaded file name.
    pub original_name: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256.
    pub sha256: Option<String>,
    /// Sniffed format.
    pub format: Option<String>,
    /// MIME type of the original.
    pub mime: Option<String>,
    /// Failure reason.
    pub error: Option<String>,
    /// Metadata (the `AssetMetadata` contract as JSON).
    pub metadata: serde_json::Value,
    /// Derivative names.
    pub derivatives: serde_json::Value,
    /// Tiny placeholder JPEG.
    pub placeholder: Option<Vec<u8>>,
    /// Progress.
    pub progress: i16,
    /// Phase.
    pub phase: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Uploader.
    pub uploaded_by: Option<Uuid>,
}

impl Version {
    /// The state, parsed.
    pub fn state(&self) -> VersionState {
        VersionState::parse(&self.state).unwrap_or(VersionState::Failed)
    }

    /// The stored derivative names.
    pub fn derivative_names(&self) -> Vec<String> {
        serde_json::from_value(self.derivatives.clone()).unwrap_or_default()
    }

    /// Whether a derivative exists.
    pub fn has(&self, name: &str) -> bool {
        self.derivative_names().iter().any(|n| n == name)
    }

    /// Where derivative `name` of this version is stored.
    pub fn derivative(&self, name: &str) -> crate::storage::ObjectKey {
        crate::storage::ObjectKey::Derivative {
            asset: self.asset_id,
            version: self.number,
            name: name.to_owned(),
        }
    }

    /// The uploaded file's name without its extension.
    pub fn stem(&self) -> &str {
        self.original_name
            .rsplit_once('.')
            .map_or(self.original_name.as_str(), |(s, _)| s)
    }

    /// The web-sized copy and its file extension: the proxy of a video (or audio), else the
    /// preview of a photo; none while neither exists.
    pub fn web_copy(&self) -> Option<(&'static str, crate::storage::ObjectKey)> {
        if self.has("proxy.mp4") {
            Some(("mp4", self.derivative("proxy.mp4")))
        } else if self.has("preview.jpg") {
            Some(("jpg", self.derivative("preview.jpg")))
        } else {
            None
        }
    }

    /// The metadata, parsed.
    pub fn metadata(&self) -> AssetMetadata {
        serde_json::from_value(self.metadata.clone()).unwrap_or_default()
    }

    fn to_dto(&self) -> VersionDto {
        VersionDto {
            number: self.number,
            mime: self.mime.clone(),
            state: self.state(),
            sha256: self.sha256.clone(),
            size: self.size,
            error: self.error.clone(),
            original_name: self.original_name.clone(),
            progress: self.progress,
            phase: self.phase.clone(),
            derivatives: self.derivative_names(),
            created_at: self.created_at,
            uploaded_by: None,
        }
    }
}

/// Guesses the media type from a file name. Only for display while the bytes arrive;
/// processing decides from the content.
pub fn guess_media_type(name: &str) -> MediaType {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "mp4" | "mov" | "m4v" | "mkv" | "webm" | "avi" | "mxf" | "3gp" | "mts" | "m2ts" | "ts" | "wmv" | "flv" => {
            MediaType::Video
        }
        "wav" | "mp3" | "aac" | "m4a" | "flac" | "ogg" | "opus" | "aif" | "aiff" | "mka" | "wma" => MediaType::Audio,
        _ => MediaType::Image,
    }
}

fn media_type(raw: &str) -> DomainResult<MediaType> {
    MediaType::parse(raw).ok_or_else(|| DomainError::Internal(format!("unknown media type {raw}")))
}

/// Assets joined with their current version.
#[diesel::dsl::auto_type(no_type_alias)]
pub fn with_current_version() -> _ {
    assets::table.inner_join(
        asset_versions::table.on(asset_versions::asset_id
            .eq(assets::id)
            .and(asset_versions::number.eq(assets::current_version))),
    )
}

/// A live asset and its project, or `not_found`.
pub async fn find(conn: &mut AsyncPgConnection, id: AssetId) -> DomainResult<Asset> {
    assets::table
        .filter(assets::id.eq(id.0))
        .filter(assets::trashed_at.is_null())
        .select(Asset::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| ApiError::not_found().into())
}

/// A live asset the user may do `action` on.
pub async fn authorized(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: AssetId,
    action: Action,
) -> DomainResult<Asset> {
    let asset = find(conn, id).await?;
    authorize(conn, user, ProjectId(asset.project_id), action, Ownership::NotMine).await?;
    Ok(asset)
}

/// Every version of an asset, oldest first.
pub async fn versions(conn: &mut AsyncPgConnection, asset: Uuid) -> DomainResult<Vec<Version>> {
    Ok(asset_versions::table
        .filter(asset_versions::asset_id.eq(asset))
        .order(asset_versions::number.asc())
        .select(Version::as_select())
        .load(conn)
        .await?)
}

/// One version by number (the current one when `number` is `None`).
pub async fn version(conn: &mut AsyncPgConnection, asset: &Asset, number: Option<i32>) -> DomainResult<Version> {
    asset_versions::table
        .filter(asset_versions::asset_id.eq(asset.id))
        .filter(asset_versions::number.eq(number.unwrap_or(asset.current_version)))
        .select(Version::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| ApiError::new(model::ErrorCode::NotFound, "no such version").into())
}

/// A version by id.
pub async fn version_by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DomainResult<Version> {
    Ok(asset_versions::table
        .find(id)
        .select(Version::as_select())
        .first(conn)
        .await?)
}

/// `GET /assets/{id}`.
pub async fn get(conn: &mut AsyncPgConnection, user: UserId, id: AssetId) -> DomainResult<AssetDto> {
    let asset = authorized(conn, user, id, Action::View).await?;
    let origin = crate::clones::origin(conn, user, asset.id).await?;
    let mut dto = dto(conn, asset).await?;
    dto.cloned_from = origin;
    Ok(dto)
}

/// The API form of an asset the caller has been checked against, with its version stack.
pub async fn dto(conn: &mut AsyncPgConnection, asset: Asset) -> DomainResult<AssetDto> {
    let versions = versions(conn, asset.id).await?;
    let current = versions.iter().find(|v| v.number == asset.current_version);
    let (rating, label, review_status) = asset.review_fields();
    Ok(AssetDto {
        rating,
        label,
        review_status,
        id: AssetId(asset.id),
        project_id: ProjectId(asset.project_id),
        folder_id: asset.folder_id.map(FolderId),
        name: asset.name.clone(),
        media_type: media_type(&asset.media_type)?,
        status: current.map_or(VersionState::Failed, Version::state),
        current_version: asset.current_version,
        metadata: current.map(Version::metadata).unwrap_or_default(),
        versions: {
            let ids: Vec<Uuid> = versions.iter().filter_map(|v| v.uploaded_by).collect();
            let people = crate::people::by_ids(conn, &ids).await?;
            versions
                .iter()
                .map(|v| {
                    let mut dto = v.to_dto();
                    dto.uploaded_by = v
                        .uploaded_by
                        .and_then(|u| people.iter().find(|p| p.id.0 == u).map(|p| p.name.clone()));
                    dto
                })
                .collect()
        },
        created_at: asset.created_at,
        fields: asset.fields(),
        cloned_from: None,
    })
}

/// An asset as it was at version `number`: `current_version` and `metadata` are that
/// version's (for comparing versions).
pub async fn get_at(conn: &mut AsyncPgConnection, user: UserId, id: AssetId, number: i32) -> DomainResult<AssetDto> {
    let mut dto = get(conn, user, id).await?;
    let asset = find(conn, id).await?;
    let v = version(conn, &asset, Some(number)).await?;
    dto.current_version = v.number;
    dto.status = v.state();
    dto.metadata = v.metadata();
    Ok(dto)
}

/// The library card of an asset and its current version; with `detail`, also its metadata
/// and fields (list view).
pub fn summary(asset: Asset, v: Version, version_count: i64, detail: bool) -> DomainResult<AssetSummary> {
    let meta = v.metadata();
    let detail = detail.then(|| {
        Box::new(model::asset::AssetDetail {
            metadata: meta.clone(),
            fields: asset.fields(),
            picked: asset.picked,
        })
    });
    let has_thumbnail = v.has("thumb-256.jpg");
    let (rating, label, review_status) = asset.review_fields();
    Ok(AssetSummary {
        rating,
        label,
        review_status,
        id: AssetId(asset.id),
        folder_id: asset.folder_id.map(FolderId),
        name: asset.name,
        media_type: media_type(&asset.media_type)?,
        status: v.state(),
        current_version: asset.current_version,
        version_count,
        progress: v.progress,
        phase: v.phase,
        error: v.error,
        width: meta.width,
        height: meta.height,
        duration_seconds: meta.duration_seconds,
        size: v.size,
        has_thumbnail,
        placeholder: v.placeholder.map(|b| {
            format!(
                "data:image/jpeg;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(b)
            )
        }),
        created_at: asset.created_at,
        tags: asset.tags,
        due_date: asset.due_date,
        trashed_at: asset.trashed_at,
        matches: Vec::new(),
        detail,
    })
}

/// Lists a project's live assets with filters, search, sorting and paging.
pub async fn list(
    conn: &mut AsyncPgConnection,
    user: UserId,
    project: ProjectId,
    query: &AssetQuery,
) -> DomainResult<AssetPage> {
    authorize(conn, user, project, Action::View, Ownership::NotMine).await?;
    let defs = crate::custom_fields::defs(conn, project).await?;
    let selection = crate::library::Selection::from_query(query, &defs)?;
    crate::library::page(conn, project, selection).await
}
