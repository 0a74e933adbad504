//! A version's processing state as the worker moves it: progress, ready with what it made,
//! failed with a reason; each change published live.

use super::Version;
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::schema::{asset_versions, assets};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::asset::{AssetMetadata, MediaType, VersionState};
use model::live::kind;
use model::{AssetId, ProjectId};
use uuid::Uuid;

/// Publishes `kind` about a version (`payload.version` is its number) with `extra` fields.
async fn announce_version(
    conn: &mut AsyncPgConnection,
    version: Uuid,
    kind: &'static str,
    extra: serde_json::Value,
) -> DomainResult<()> {
    let found: Option<(Uuid, i32, Uuid)> = asset_versions::table
        .inner_join(assets::table)
        .filter(asset_versions::id.eq(version))
        .select((asset_versions::asset_id, asset_versions::number, assets::project_id))
        .first(conn)
        .await
        .optional()?;
    let Some((asset, number, project)) = found else {
        return Ok(());
    };
    let mut payload = serde_json::json!({ "version": number });
    if let (Some(p), serde_json::Value::Object(extra)) = (payload.as_object_mut(), extra) {
        p.extend(extra);
    }
    let event = NewEvent::about(ProjectId(project), Some(AssetId(asset)), None, kind, payload)?;
    events::publish(conn, event).await?;
    Ok(())
}

/// Records processing progress on a version (shown on its card); with `announce`, also as
/// an `asset.progress` event (callers throttle).
pub async fn set_progress(
    conn: &mut AsyncPgConnection,
    version: Uuid,
    percent: u8,
    phase: &str,
    announce: bool,
) -> DomainResult<()> {
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::update(asset_versions::table.find(version))
            .set((
                asset_versions::progress.eq(i16::from(percent.min(100))),
                asset_versions::phase.eq(phase),
            ))
            .execute(conn)
            .await?;
        if announce {
            let extra = serde_json::json!({ "progress": percent.min(100), "phase": phase });
            announce_version(conn, version, kind::ASSET_PROGRESS, extra).await?;
        }
        Ok(())
    })
    .await
}

/// What processing found out and made.
#[derive(Clone, Debug, Default)]
pub struct Processed {
    /// Media type from the content.
    pub media_type: Option<MediaType>,
    /// Sniffed format name.
    pub format: String,
    /// MIME type.
    pub mime: String,
    /// Metadata.
    pub metadata: AssetMetadata,
    /// Derivatives stored.
    pub derivatives: Vec<String>,
    /// Tiny placeholder JPEG.
    pub placeholder: Option<Vec<u8>>,
}

/// Marks a version ready with what processing produced.
pub async fn mark_ready(conn: &mut AsyncPgConnection, version: &Version, done: Processed) -> DomainResult<()> {
    let metadata = serde_json::to_value(&done.metadata).map_err(|e| DomainError::Internal(e.to_string()))?;
    let derivatives = serde_json::to_value(&done.derivatives).map_err(|e| DomainError::Internal(e.to_string()))?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::update(asset_versions::table.find(version.id))
            .set((
                asset_versions::state.eq(VersionState::Ready.as_str()),
                asset_versions::format.eq(&done.format),
                asset_versions::mime.eq(&done.mime),
                asset_versions::metadata.eq(metadata),
                asset_versions::derivatives.eq(derivatives),
                asset_versions::placeholder.eq(done.placeholder),
                asset_versions::error.eq(None::<String>),
                asset_versions::progress.eq(100),
                asset_versions::phase.eq("ready"),
                asset_versions::processed_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await?;
        if let Some(t) = done.media_type {
            diesel::update(assets::table.find(version.asset_id))
                .set((
                    assets::media_type.eq(t.as_str()),
                    assets::updated_at.eq(diesel::dsl::now),
                ))
                .execute(conn)
                .await?;
        }
        announce_version(conn, version.id, kind::ASSET_READY, serde_json::json!({})).await
    })
    .await
}

/// Marks a version failed with a reason people can read.
pub async fn mark_failed(
    conn: &mut AsyncPgConnection,
    version: Uuid,
    reason: &str,
    media_type: Option<MediaType>,
) -> DomainResult<()> {
    conn.transaction::<_, DomainError, _>(async |conn| {
        let updated: Option<Uuid> = diesel::update(asset_versions::table.find(version))
            .set((
                asset_versions::state.eq(VersionState::Failed.as_str()),
                asset_versions::error.eq(reason.chars().take(500).collect::<String>()),
                asset_versions::phase.eq("failed"),
            ))
            .returning(asset_versions::asset_id)
            .get_result(conn)
            .await
            .optional()?;
        if let (Some(asset), Some(t)) = (updated, media_type) {
            diesel::update(assets::table.find(asset))
                .set(assets::media_type.eq(t.as_str()))
                .execute(conn)
                .await?;
        }
        let error = reason.chars().take(500).collect::<String>();
        announce_version(conn, version, kind::ASSET_FAILED, serde_json::json!({ "error": error })).await
    })
    .await
}

/// Records the media type found in the content (before processing, so a failure shows it too).
pub async fn set_media_type(conn: &mut AsyncPgConnection, asset: Uuid, media_type: MediaType) -> DomainResult<()> {
    diesel::update(assets::table.find(asset))
        .set(assets::media_type.eq(media_type.as_str()))
        .execute(conn)
        .await?;
    Ok(())
}
