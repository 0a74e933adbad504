//! Changes to many assets at once — rating, label, status, folder here; metadata in `fields`,
//! the trash in `trash`. Each request is one transaction writing one audit row and one live
//! event per asset; a request naming any asset the caller may not change changes nothing.

use crate::assets::{self, Asset};
use crate::audit;
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::folders;
use crate::jobs::{queue, Job, JobContext};
use crate::library::{self, Selection};
use crate::review;
use crate::schema::{assets as assets_table, project_members};
use crate::storage::ObjectKey;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::asset::{AssetDto, AssetPage};
use model::bulk::{BulkIds, BulkLabel, BulkMetadata, BulkMove, BulkRating, BulkResult, BulkStatus, MAX_BULK};
use model::fields::{check, normalise_tags, FieldChange};
use model::filter::{Direction, Sort, SortField};
use model::live::kind;
use model::permission::{Action, Ownership};
use model::review::REJECTED;
use model::{ApiError, AssetId, ErrorCode, ProjectId, UserId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeSet;
use uuid::Uuid;

pub use fields::{metadata, update_fields};
pub use trash::{purge, purge_expired, remove_sidecar, restore, trash, trash_page, DeleteAssetFiles, TRASH_DAYS};

/// The ids of a request naming assets, repeats dropped and order kept; 1 to [`MAX_BULK`].
pub(crate) fn distinct_ids(ids: &[AssetId]) -> DomainResult<Vec<Uuid>> {
    if ids.is_empty() || ids.len() > MAX_BULK {
        return Err(ApiError::invalid(format!("send 1 to {MAX_BULK} asset ids")).into());
    }
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    Ok(ids.iter().map(|a| a.0).filter(|id| seen.insert(*id)).collect())
}

/// Which assets a bulk request may touch.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Live,
    Trashed,
}

/// Loads and locks the assets (in id order, so concurrent bulk edits cannot deadlock), after
/// checking the caller may do `action` in every project they belong to.
async fn lock(
    conn: &mut AsyncPgConnection,
    user: UserId,
    ids: &[AssetId],
    action: Action,
    scope: Scope,
) -> DomainResult<Vec<Asset>> {
    let wanted: BTreeSet<Uuid> = distinct_ids(ids)?.into_iter().collect();
    let list: Vec<Uuid> = wanted.iter().copied().collect();
    let live = scope == Scope::Live;
    let q = assets_table::table
        .filter(assets_table::id.eq_any(&list))
        .filter(assets_table::trashed_at.is_null().eq(live))
        .order(assets_table::id.asc())
        .select(Asset::as_select())
        .for_update();
    let rows: Vec<Asset> = q.load(conn).await?;
    if rows.len() != wanted.len() {
        let missing = wanted.len() - rows.len();
        let place = if scope == Scope::Trashed {
            "in the trash"
        } else {
            "live"
        };
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("{missing} of these assets do not exist or are not {place}"),
        )
        .into());
    }
    let projects: BTreeSet<Uuid> = rows.iter().map(|a| a.project_id).collect();
    for p in projects {
        authorize(conn, user, ProjectId(p), action, Ownership::NotMine).await?;
    }
    Ok(rows)
}

/// Runs `$body` on every asset in one transaction, then its audit row and the `$kind` event
/// with the payload `$body` returns. (A macro: an async closure's future cannot be required
/// to be `Send`.)
macro_rules! each {
    ($conn:expr, $user:expr, $ids:expr, $action:expr, $scope:expr, $audit:expr, $kind:expr, |$c:ident, $a:ident| $body:block) => {{
        let user: UserId = $user;
        let updated = $conn
            .transaction::<_, DomainError, _>(async |$c| {
                let rows = lock($c, user, $ids, $action, $scope).await?;
                for $a in &rows {
                    let result: DomainResult<serde_json::Value> = $body;
                    let payload = result?;
                    diesel::update(assets_table::table.find($a.id))
                        .set(assets_table::updated_at.eq(Utc::now()))
                        .execute($c)
                        .await?;
                    audit::record($c, ProjectId($a.project_id), user, $audit, $a.id, payload.clone()).await?;
                    let event = NewEvent::about(
                        ProjectId($a.project_id),
                        Some(AssetId($a.id)),
                        Some(user),
                        $kind,
                        payload,
                    )?;
                    events::publish($c, event).await?;
                }
                Ok(rows.len() as i64)
            })
            .await?;
        Ok(BulkResult { updated })
    }};
}

mod fields;
mod trash;

async fn review_payload(
    conn: &mut AsyncPgConnection,
    asset: Uuid,
    detail: serde_json::Value,
) -> DomainResult<serde_json::Value> {
    let review = review::state(conn, asset).await?;
    Ok(json!({ "review": review, "change": detail }))
}

/// `PUT /assets/bulk/rating`: the same rules as one rating (a reject clears the pick).
pub async fn rating(conn: &mut AsyncPgConnection, user: UserId, req: BulkRating) -> DomainResult<BulkResult> {
    if req.rating.is_some_and(|r| !(REJECTED..=5).contains(&r)) {
        return Err(ApiError::invalid("rating must be -1 (reject), 0 (none) or 1 to 5 stars").into());
    }
    if req.rating.is_none() && req.picked.is_none() {
        return Err(ApiError::invalid("send a rating, a pick flag or both").into());
    }
    each!(
        conn,
        user,
        &req.asset_ids,
        Action::Rate,
        Scope::Live,
        "asset.rating",
        kind::RATING_CHANGED,
        |conn, asset| {
            let mut rating = req.rating.unwrap_or(asset.rating);
            let picked_before: bool = assets_table::table
                .find(asset.id)
                .select(assets_table::picked)
                .first(conn)
                .await?;
            let mut picked = req.picked.unwrap_or(picked_before);
            if req.rating == Some(REJECTED) {
                picked = false;
            } else if req.picked == Some(true) && rating == REJECTED {
                rating = 0;
            }
            diesel::update(assets_table::table.find(asset.id))
                .set((assets_table::rating.eq(rating), assets_table::picked.eq(picked)))
                .execute(conn)
                .await?;
            review_payload(
                conn,
                asset.id,
                json!({ "from": asset.rating, "to": rating, "picked": picked, "bulk": true }),
            )
            .await
        }
    )
}

/// `PUT /assets/bulk/status`.
pub async fn status(conn: &mut AsyncPgConnection, user: UserId, req: BulkStatus) -> DomainResult<BulkResult> {
    each!(
        conn,
        user,
        &req.asset_ids,
        Action::Rate,
        Scope::Live,
        "asset.status",
        kind::STATUS_CHANGED,
        |conn, asset| {
            diesel::update(assets_table::table.find(asset.id))
                .set(assets_table::review_status.eq(req.status.as_str()))
                .execute(conn)
                .await?;
            review_payload(
                conn,
                asset.id,
                json!({ "from": asset.review_status, "to": req.status.as_str(), "bulk": true }),
            )
            .await
        }
    )
}

/// `PUT /assets/bulk/label`.
pub async fn label(conn: &mut AsyncPgConnection, user: UserId, req: BulkLabel) -> DomainResult<BulkResult> {
    let label = req.label.map(|l| l.as_str());
    each!(
        conn,
        user,
        &req.asset_ids,
        Action::Rate,
        Scope::Live,
        "asset.label",
        kind::LABEL_CHANGED,
        |conn, asset| {
            diesel::update(assets_table::table.find(asset.id))
                .set(assets_table::label.eq(label))
                .execute(conn)
                .await?;
            review_payload(
                conn,
                asset.id,
                json!({ "from": asset.label, "to": label, "bulk": true }),
            )
            .await
        }
    )
}

/// `PUT /assets/bulk/move`: into a folder of the same project (or its root).
pub async fn move_to(conn: &mut AsyncPgConnection, user: UserId, req: BulkMove) -> DomainResult<BulkResult> {
    each!(
        conn,
        user,
        &req.asset_ids,
        Action::Upload,
        Scope::Live,
        "asset.move",
        kind::ASSET_UPDATED,
        |conn, asset| {
            if let Some(f) = req.folder_id {
                folders::live_in(conn, ProjectId(asset.project_id), f).await?;
            }
            diesel::update(assets_table::table.find(asset.id))
                .set(assets_table::folder_id.eq(req.folder_id.map(|f| f.0)))
                .execute(conn)
                .await?;
            Ok(json!({ "folder_id": req.folder_id, "from": asset.folder_id }))
        }
    )
}
