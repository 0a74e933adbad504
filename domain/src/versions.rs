//! A version stack's own changes: which version is current (rolling back is choosing an older
//! one) and deleting a version that is not current. Comments, drawings and approvals stay with
//! the version they were made on.

use crate::assets;
use crate::audit;
use crate::bulk::DeleteAssetFiles;
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::jobs::queue;
use crate::schema::{approvals, asset_versions, assets as assets_table, comments};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::asset::{AssetDto, VersionState};
use model::live::kind;
use model::permission::Action;
use model::{ApiError, AssetId, ErrorCode, ProjectId, UserId};
use serde_json::json;

/// Makes `number` the version shown by default (editors and owners). Only a ready version can
/// be current.
pub async fn set_current(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: AssetId,
    number: i32,
) -> DomainResult<AssetDto> {
    let asset = assets::authorized(conn, user, id, Action::Upload).await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let version = assets::version(conn, &asset, Some(number)).await?;
        if version.state() != VersionState::Ready {
            return Err(ApiError::new(
                ErrorCode::NotReady,
                format!(
                    "version {number} is {}; only a ready version can be current",
                    version.state().as_str()
                ),
            )
            .into());
        }
        let from: i32 = assets_table::table
            .find(asset.id)
            .select(assets_table::current_version)
            .for_update()
            .first(conn)
            .await?;
        diesel::update(assets_table::table.find(asset.id))
            .set((
                assets_table::current_version.eq(number),
                assets_table::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        let change = json!({ "current_version": number, "from": from });
        record(conn, &asset, user, "asset.current_version", change).await
    })
    .await?;
    assets::get(conn, user, id).await
}

/// Deletes a version that is not the current one, with its comments and approvals; its files
/// are removed by a job.
pub async fn delete(conn: &mut AsyncPgConnection, user: UserId, id: AssetId, number: i32) -> DomainResult<AssetDto> {
    let asset = assets::authorized(conn, user, id, Action::Upload).await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let current: i32 = assets_table::table
            .find(asset.id)
            .select(assets_table::current_version)
            .for_update()
            .first(conn)
            .await?;
        if current == number {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "the current version cannot be deleted; make another version current first",
            )
            .into());
        }
        let version = assets::version(conn, &asset, Some(number)).await?;
        diesel::delete(
            comments::table
                .filter(comments::asset_id.eq(asset.id))
                .filter(comments::version.eq(number)),
        )
        .execute(conn)
        .await?;
        diesel::delete(
            approvals::table
                .filter(approvals::asset_id.eq(asset.id))
                .filter(approvals::version.eq(number)),
        )
        .execute(conn)
        .await?;
        diesel::delete(asset_versions::table.find(version.id))
            .execute(conn)
            .await?;
        queue::enqueue(
            conn,
            &DeleteAssetFiles {
                asset: asset.id,
                version: Some(number),
            },
        )
        .await?;
        let change = json!({ "deleted_version": number, "file": version.original_name });
        record(conn, &asset, user, "asset.delete_version", change).await
    })
    .await?;
    assets::get(conn, user, id).await
}

/// The audit row and the `asset.updated` event of a version-stack change.
async fn record(
    conn: &mut AsyncPgConnection,
    asset: &assets::Asset,
    user: UserId,
    action: &str,
    change: serde_json::Value,
) -> DomainResult<()> {
    let project = ProjectId(asset.project_id);
    audit::record(conn, project, user, action, asset.id, change.clone()).await?;
    let event = NewEvent::about(
        project,
        Some(AssetId(asset.id)),
        Some(user),
        kind::ASSET_UPDATED,
        change,
    )?;
    events::publish(conn, event).await?;
    Ok(())
}
