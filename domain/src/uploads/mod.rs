//! Resumable uploads (the domain side of the tus server): create an upload with its asset
//! version, append bytes at the stored offset, complete (hash, enqueue processing), terminate,
//! expire. Every append streams to storage; the SHA-256 of the whole file is carried between
//! requests as a serialized hasher state, so any process can continue any upload.

mod append;

pub use append::append;

use crate::assets::guess_media_type;
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::ingest::ProcessVersion;
use crate::jobs::queue;
use crate::schema::{asset_versions, assets, uploads};
use crate::settings::Settings;
pub use crate::storage::hex;
use crate::storage::{ObjectKey, Staged, Storage, StorageError};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::live::kind;
use model::permission::{Action, Ownership};
use model::{ApiError, AssetId, ErrorCode, FolderId, ProjectId, UploadId, UserId};
use sha2::digest::common::hazmat::SerializableState;
use sha2::{Digest, Sha256};
use std::time::Duration;
use uuid::Uuid;

/// A row of `uploads`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = uploads)]
pub struct Upload {
    /// Id.
    pub id: Uuid,
    /// Project.
    pub project_id: Uuid,
    /// The version being filled.
    pub version_id: Uuid,
    /// Declared length.
    pub length: i64,
    /// Bytes stored.
    pub received: i64,
    /// The Upload-Metadata header as received.
    pub metadata_header: String,
    /// Serialized SHA-256 state.
    pub hash_state: Vec<u8>,
    /// Staging state.
    pub staging: serde_json::Value,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
    /// Completion.
    pub completed_at: Option<DateTime<Utc>>,
}

/// What a client learns about an upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadInfo {
    /// Id.
    pub id: UploadId,
    /// Declared length.
    pub length: u64,
    /// Bytes stored so far (the tus offset).
    pub offset: u64,
    /// The Upload-Metadata header as received.
    pub metadata_header: String,
    /// When it expires if left unfinished (none once complete).
    pub expires_at: Option<DateTime<Utc>>,
    /// The asset it fills.
    pub asset_id: AssetId,
    /// The version number it fills.
    pub version: i32,
}

/// What a new upload is for.
#[derive(Clone, Debug, Default)]
pub struct NewUpload {
    /// Total length in bytes.
    pub length: u64,
    /// File name (a path's last segment is used).
    pub filename: String,
    /// Project.
    pub project: Option<ProjectId>,
    /// Folder inside the project.
    pub folder: Option<FolderId>,
    /// Upload a new version of this asset instead of a new asset.
    pub asset: Option<AssetId>,
    /// The raw Upload-Metadata header, echoed by HEAD.
    pub metadata_header: String,
}

/// A checksum the client sent with a chunk (`Upload-Checksum`).
#[derive(Clone, Debug)]
pub enum Checksum {
    /// SHA-1 digest.
    Sha1(Vec<u8>),
    /// SHA-256 digest.
    Sha256(Vec<u8>),
}

/// How long a writer holds an upload before it must renew.
const LEASE: Duration = Duration::from_secs(60);

fn hash_state(h: &Sha256) -> Vec<u8> {
    h.serialize().to_vec()
}

fn hasher_from(state: &[u8]) -> DomainResult<Sha256> {
    let arr = state
        .try_into()
        .map_err(|_| DomainError::Internal("stored hash state has the wrong length".into()))?;
    Sha256::deserialize(arr).map_err(|_| DomainError::Internal("stored hash state is corrupt".into()))
}

fn storage_err(e: StorageError) -> DomainError {
    e.into()
}

fn staged(u: &Upload) -> DomainResult<Staged> {
    serde_json::from_value(u.staging.clone()).map_err(|e| DomainError::Internal(format!("staging state: {e}")))
}

/// The object an upload ends up in.
pub async fn target(conn: &mut AsyncPgConnection, version: Uuid) -> DomainResult<ObjectKey> {
    let (asset, number): (Uuid, i32) = asset_versions::table
        .find(version)
        .select((asset_versions::asset_id, asset_versions::number))
        .first(conn)
        .await?;
    Ok(ObjectKey::Original { asset, version: number })
}

/// A file name as stored: the last path segment, trimmed, no control characters.
pub fn clean_filename(raw: &str) -> Result<String, ApiError> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned();
    if name.is_empty() || name == "." || name == ".." {
        return Err(ApiError::invalid(
            "the upload needs a file name (Upload-Metadata filename)",
        ));
    }
    Ok(name.chars().take(255).collect())
}

/// Creates an upload (and its asset version) for `user`.
pub async fn create(
    conn: &mut AsyncPgConnection,
    storage: &Storage,
    settings: &Settings,
    user: UserId,
    new: NewUpload,
) -> DomainResult<UploadInfo> {
    let project = new
        .project
        .ok_or_else(|| ApiError::invalid("Upload-Metadata needs project_id"))?;
    authorize(conn, user, project, Action::Upload, Ownership::NotMine).await?;
    if new.length > settings.upload_max_size {
        return Err(ApiError::new(
            ErrorCode::TooLarge,
            format!(
                "the file is {} bytes; this instance accepts at most {} bytes per file",
                new.length, settings.upload_max_size
            ),
        )
        .into());
    }
    let filename = clean_filename(&new.filename)?;
    if let Some(f) = new.folder {
        crate::folders::live_in(conn, project, f).await?;
    }
    let existing = match new.asset {
        Some(a) => {
            let asset = crate::assets::find(conn, a).await?;
            if asset.project_id != project.0 {
                return Err(ApiError::not_found().into());
            }
            Some(asset)
        }
        None => None,
    };
    let upload_id = Uuid::new_v4();
    let version_id = Uuid::new_v4();
    let asset_id = existing.as_ref().map_or_else(Uuid::new_v4, |a| a.id);
    // The version number is fixed inside the transaction; staging needs the target key first,
    // so stage to the next number and retry on the (rare) race.
    let number: i32 = match &existing {
        Some(a) => {
            asset_versions::table
                .filter(asset_versions::asset_id.eq(a.id))
                .select(diesel::dsl::max(asset_versions::number))
                .first::<Option<i32>>(conn)
                .await?
                .unwrap_or(0)
                + 1
        }
        None => 1,
    };
    let target = ObjectKey::Original {
        asset: asset_id,
        version: number,
    };
    let staging = storage.stage_begin(upload_id, &target).await.map_err(storage_err)?;
    let staging_json = serde_json::to_value(&staging).map_err(|e| DomainError::Internal(e.to_string()))?;
    let expires_at = Utc::now() + settings.upload_expiry;
    let folder = new.folder.map(|f| f.0).or(existing.as_ref().and_then(|a| a.folder_id));
    let media_type = guess_media_type(&filename);
    let length = i64::try_from(new.length).map_err(|_| ApiError::invalid("Upload-Length is too large"))?;
    let metadata_header = new.metadata_header.clone();
    let is_new = existing.is_none();
    let name = filename.clone();
    let inserted = conn
        .transaction::<_, DomainError, _>(async move |conn| {
            if is_new {
                diesel::insert_into(assets::table)
                    .values((
                        assets::id.eq(asset_id),
                        assets::project_id.eq(project.0),
                        assets::folder_id.eq(folder),
                        assets::name.eq(&name),
                        assets::media_type.eq(media_type.as_str()),
                        assets::current_version.eq(1),
                        assets::created_by.eq(user.0),
                    ))
                    .execute(conn)
                    .await?;
            }
            diesel::insert_into(asset_versions::table)
                .values((
                    asset_versions::id.eq(version_id),
                    asset_versions::asset_id.eq(asset_id),
                    asset_versions::number.eq(number),
                    asset_versions::original_name.eq(&name),
                    asset_versions::size.eq(length),
                    asset_versions::uploaded_by.eq(user.0),
                    asset_versions::phase.eq("uploading"),
                ))
                .execute(conn)
                .await?;
            diesel::insert_into(uploads::table)
                .values((
                    uploads::id.eq(upload_id),
                    uploads::project_id.eq(project.0),
                    uploads::version_id.eq(version_id),
                    uploads::created_by.eq(user.0),
                    uploads::length.eq(length),
                    uploads::metadata_header.eq(&metadata_header),
                    uploads::hash_state.eq(hash_state(&Sha256::new())),
                    uploads::staging.eq(staging_json),
                    uploads::expires_at.eq(expires_at),
                ))
                .execute(conn)
                .await?;
            let (kind, payload) = if is_new {
                let payload = serde_json::json!({
                    "asset_id": asset_id, "name": name, "folder_id": folder,
                    "media_type": media_type.as_str(), "version": number,
                });
                (kind::ASSET_CREATED, payload)
            } else {
                (kind::VERSION_CREATED, serde_json::json!({ "version": number }))
            };
            if !is_new {
                let asset = crate::assets::find(conn, AssetId(asset_id)).await?;
                crate::notifications::for_new_version(conn, &asset, number, user).await?;
            }
            let action = if is_new { "asset.upload" } else { "version.upload" };
            let detail = serde_json::json!({ "name": name, "version": number, "size": length });
            crate::audit::record(conn, project, user, action, asset_id, detail).await?;
            let event = NewEvent::about(project, Some(AssetId(asset_id)), Some(user), kind, payload)?;
            events::publish(conn, event).await?;
            Ok(())
        })
        .await;
    if let Err(e) = inserted {
        storage.stage_abort(upload_id, &target, &staging).await;
        if let DomainError::Db(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) = e
        {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "another version of this asset is being created; retry",
            )
            .into());
        }
        return Err(e);
    }
    if new.length == 0 {
        complete_now(conn, settings, upload_id).await?;
    }
    info(conn, user, UploadId(upload_id)).await
}

/// The upload as HEAD reports it. Only members who may upload to its project see it.
pub async fn info(conn: &mut AsyncPgConnection, user: UserId, id: UploadId) -> DomainResult<UploadInfo> {
    let (u, asset, number) = load(conn, id).await?;
    authorize(conn, user, ProjectId(u.project_id), Action::Upload, Ownership::NotMine).await?;
    to_info(&u, asset, number)
}

fn to_info(u: &Upload, asset: Uuid, number: i32) -> DomainResult<UploadInfo> {
    if u.completed_at.is_none() && u.expires_at < Utc::now() {
        return Err(ApiError::new(ErrorCode::Gone, "this upload has expired; start it again").into());
    }
    Ok(UploadInfo {
        id: UploadId(u.id),
        length: u.length as u64,
        offset: u.received as u64,
        metadata_header: u.metadata_header.clone(),
        expires_at: u.completed_at.is_none().then_some(u.expires_at),
        asset_id: AssetId(asset),
        version: number,
    })
}

async fn load(conn: &mut AsyncPgConnection, id: UploadId) -> DomainResult<(Upload, Uuid, i32)> {
    uploads::table
        .inner_join(asset_versions::table)
        .filter(uploads::id.eq(id.0))
        .select((Upload::as_select(), asset_versions::asset_id, asset_versions::number))
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| ApiError::not_found().into())
}

/// Inside the committing transaction: the upload is complete; the version moves to
/// `processing` (and becomes current) and its processing job is enqueued.
async fn finish(conn: &mut AsyncPgConnection, upload: Uuid, version: Uuid, sha256: &str) -> DomainResult<()> {
    diesel::update(uploads::table.find(upload))
        .set(uploads::completed_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
    let (asset, number): (Uuid, i32) = diesel::update(asset_versions::table.find(version))
        .set((
            asset_versions::state.eq("processing"),
            asset_versions::sha256.eq(sha256),
            asset_versions::phase.eq("queued"),
            asset_versions::progress.eq(0),
        ))
        .returning((asset_versions::asset_id, asset_versions::number))
        .get_result(conn)
        .await?;
    diesel::update(assets::table.find(asset))
        .set((
            assets::current_version.eq(number),
            assets::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    queue::enqueue(conn, &ProcessVersion { version_id: version }).await?;
    let project: Uuid = assets::table.find(asset).select(assets::project_id).first(conn).await?;
    let payload = serde_json::json!({ "version": number, "progress": 0, "phase": "queued" });
    let event = NewEvent::about(
        ProjectId(project),
        Some(AssetId(asset)),
        None,
        kind::ASSET_PROGRESS,
        payload,
    )?;
    events::publish(conn, event).await?;
    Ok(())
}

async fn complete_now(conn: &mut AsyncPgConnection, _settings: &Settings, upload: Uuid) -> DomainResult<()> {
    let version: Uuid = uploads::table
        .find(upload)
        .select(uploads::version_id)
        .first(conn)
        .await?;
    let sha = hex(&Sha256::new().finalize());
    conn.transaction::<_, DomainError, _>(async move |conn| finish(conn, upload, version, &sha).await)
        .await
}

/// The staged bytes of a completed upload, moved into the original's place. Idempotent.
pub async fn settle(conn: &mut AsyncPgConnection, storage: &Storage, version: Uuid) -> DomainResult<()> {
    let row: Option<Upload> = uploads::table
        .filter(uploads::version_id.eq(version))
        .select(Upload::as_select())
        .first(conn)
        .await
        .optional()?;
    let Some(u) = row else {
        return Ok(());
    };
    if u.completed_at.is_none() {
        return Err(DomainError::Internal("the upload is not complete".into()));
    }
    let target = target(conn, version).await?;
    storage
        .stage_finish(u.id, &target, &staged(&u)?)
        .await
        .map_err(storage_err)?;
    diesel::delete(uploads::table.find(u.id)).execute(conn).await?;
    Ok(())
}

/// Terminates an unfinished upload: its bytes are deleted, and its version (and the asset,
/// when that was its only version) removed.
pub async fn terminate(
    conn: &mut AsyncPgConnection,
    storage: &Storage,
    user: UserId,
    id: UploadId,
) -> DomainResult<()> {
    let (u, _, _) = load(conn, id).await?;
    authorize(conn, user, ProjectId(u.project_id), Action::Upload, Ownership::NotMine).await?;
    if u.completed_at.is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "the upload is complete and can no longer be terminated",
        )
        .into());
    }
    discard(conn, storage, &u).await
}

async fn discard(conn: &mut AsyncPgConnection, storage: &Storage, u: &Upload) -> DomainResult<()> {
    let target = target(conn, u.version_id).await?;
    let version = u.version_id;
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let asset: Uuid = diesel::delete(asset_versions::table.find(version))
            .returning(asset_versions::asset_id)
            .get_result(conn)
            .await?;
        let left: i64 = asset_versions::table
            .filter(asset_versions::asset_id.eq(asset))
            .count()
            .get_result(conn)
            .await?;
        if left == 0 {
            diesel::delete(assets::table.find(asset)).execute(conn).await?;
        }
        Ok(())
    })
    .await?;
    storage.stage_abort(u.id, &target, &staged(u)?).await;
    Ok(())
}

/// Deletes unfinished uploads past their expiry (bytes, version, and the asset if empty).
/// Returns how many were removed.
pub async fn expire(conn: &mut AsyncPgConnection, storage: &Storage) -> DomainResult<usize> {
    let stale: Vec<Upload> = uploads::table
        .filter(uploads::completed_at.is_null())
        .filter(uploads::expires_at.lt(diesel::dsl::now))
        .filter(
            uploads::lease_until
                .is_null()
                .or(uploads::lease_until.lt(diesel::dsl::now)),
        )
        .select(Upload::as_select())
        .limit(500)
        .load(conn)
        .await?;
    let n = stale.len();
    for u in &stale {
        discard(conn, storage, u).await?;
    }
    Ok(n)
}
