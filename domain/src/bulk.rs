//! Changes to many assets at once — rating, label, status, metadata, folder, trash — and the
//! trash itself. Each request is one transaction writing one audit row and one live event per
//! asset; a request naming any asset the caller may not change changes nothing.

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

/// How long trashed assets stay restorable.
pub const TRASH_DAYS: i64 = 30;

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
    if ids.is_empty() || ids.len() > MAX_BULK {
        return Err(ApiError::invalid(format!("send 1 to {MAX_BULK} asset ids")).into());
    }
    let wanted: BTreeSet<Uuid> = ids.iter().map(|a| a.0).collect();
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

/// The checked changes of a metadata request.
fn changes(set: &serde_json::Map<String, serde_json::Value>) -> DomainResult<Vec<FieldChange>> {
    set.iter()
        .map(|(k, v)| check(k, v).map_err(|m| ApiError::invalid(m).into()))
        .collect()
}

async fn apply(
    conn: &mut AsyncPgConnection,
    asset: &Asset,
    changes: &[FieldChange],
    tags_add: &[String],
    tags_remove: &[String],
) -> DomainResult<serde_json::Value> {
    let mut fields = asset.fields();
    for c in changes {
        match c {
            FieldChange::Description(d) => fields.description = d.clone(),
            FieldChange::Tags(t) => fields.tags = t.clone(),
            FieldChange::Platforms(p) => fields.platforms = p.clone(),
            FieldChange::Assignee(a) => {
                if let Some(a) = a {
                    let member: i64 = project_members::table
                        .filter(project_members::project_id.eq(asset.project_id))
                        .filter(project_members::user_id.eq(a.0))
                        .count()
                        .get_result(conn)
                        .await?;
                    if member == 0 {
                        return Err(ApiError::invalid("the assignee must be a member of the project").into());
                    }
                }
                fields.assignee = *a;
            }
            FieldChange::DueDate(d) => fields.due_date = *d,
            FieldChange::Info(k, None) => {
                fields.info.remove(k);
            }
            FieldChange::Info(k, Some(v)) => {
                fields.info.insert(k.clone(), v.clone());
            }
        }
    }
    for t in tags_add {
        if !fields.tags.contains(t) {
            fields.tags.push(t.clone());
        }
    }
    fields.tags.retain(|t| !tags_remove.contains(t));
    if fields.tags.len() > model::fields::MAX_TAGS {
        return Err(ApiError::invalid(format!("at most {} tags", model::fields::MAX_TAGS)).into());
    }
    let info = serde_json::to_value(&fields.info).map_err(|e| DomainError::Internal(e.to_string()))?;
    diesel::update(assets_table::table.find(asset.id))
        .set((
            assets_table::description.eq(&fields.description),
            assets_table::tags.eq(&fields.tags),
            assets_table::platforms.eq(&fields.platforms),
            assets_table::assignee_id.eq(fields.assignee.map(|a| a.0)),
            assets_table::due_date.eq(fields.due_date),
            assets_table::info.eq(info),
        ))
        .execute(conn)
        .await?;
    Ok(json!({ "fields": fields }))
}

/// `PUT /assets/bulk/metadata`: set fields on every asset, add and remove tags.
pub async fn metadata(conn: &mut AsyncPgConnection, user: UserId, req: BulkMetadata) -> DomainResult<BulkResult> {
    let changes = changes(&req.set)?;
    let add = normalise_tags(&req.tags_add).map_err(ApiError::invalid)?;
    let remove = normalise_tags(&req.tags_remove).map_err(ApiError::invalid)?;
    if changes.is_empty() && add.is_empty() && remove.is_empty() {
        return Err(ApiError::invalid("nothing to change: send `set`, `tags_add` or `tags_remove`").into());
    }
    each!(
        conn,
        user,
        &req.asset_ids,
        Action::Upload,
        Scope::Live,
        "asset.metadata",
        kind::ASSET_UPDATED,
        |conn, asset| { apply(conn, asset, &changes, &add, &remove).await }
    )
}

/// `PATCH /assets/{id}/metadata`: one asset's fields; returns the asset.
pub async fn update_fields(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: AssetId,
    set: serde_json::Map<String, serde_json::Value>,
) -> DomainResult<AssetDto> {
    metadata(
        conn,
        user,
        BulkMetadata {
            asset_ids: vec![id],
            set,
            ..BulkMetadata::default()
        },
    )
    .await?;
    assets::get(conn, user, id).await
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

/// `POST /assets/bulk/delete`: to the trash, restorable for [`TRASH_DAYS`] days.
pub async fn trash(conn: &mut AsyncPgConnection, user: UserId, req: BulkIds) -> DomainResult<BulkResult> {
    each!(
        conn,
        user,
        &req.asset_ids,
        Action::Upload,
        Scope::Live,
        "asset.trash",
        kind::ASSET_DELETED,
        |conn, asset| {
            diesel::update(assets_table::table.find(asset.id))
                .set(assets_table::trashed_at.eq(Utc::now()))
                .execute(conn)
                .await?;
            Ok(json!({ "name": asset.name }))
        }
    )
}

/// `POST /assets/bulk/restore`: back from the trash (to the root when its folder is gone).
pub async fn restore(conn: &mut AsyncPgConnection, user: UserId, req: BulkIds) -> DomainResult<BulkResult> {
    each!(
        conn,
        user,
        &req.asset_ids,
        Action::Upload,
        Scope::Trashed,
        "asset.restore",
        kind::ASSET_RESTORED,
        |conn, asset| {
            let folder = match asset.folder_id {
                Some(f) => folders::live_in(conn, ProjectId(asset.project_id), model::FolderId(f))
                    .await
                    .ok()
                    .map(|f| f.id),
                None => None,
            };
            diesel::update(assets_table::table.find(asset.id))
                .set((
                    assets_table::trashed_at.eq(None::<chrono::DateTime<Utc>>),
                    assets_table::folder_id.eq(folder),
                ))
                .execute(conn)
                .await?;
            Ok(json!({ "name": asset.name, "folder_id": folder }))
        }
    )
}

/// `POST /assets/bulk/purge`: deletes trashed assets for good (their files go in a job).
pub async fn purge(conn: &mut AsyncPgConnection, user: UserId, req: BulkIds) -> DomainResult<BulkResult> {
    let updated = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let rows = lock(conn, user, &req.asset_ids, Action::Upload, Scope::Trashed).await?;
            for asset in &rows {
                purge_one(conn, Some(user), asset).await?;
            }
            Ok(rows.len() as i64)
        })
        .await?;
    Ok(BulkResult { updated })
}

async fn purge_one(conn: &mut AsyncPgConnection, user: Option<UserId>, asset: &Asset) -> DomainResult<()> {
    diesel::delete(assets_table::table.find(asset.id)).execute(conn).await?;
    queue::enqueue(
        conn,
        &DeleteAssetFiles {
            asset: asset.id,
            version: None,
        },
    )
    .await?;
    if let Some(user) = user {
        audit::record(
            conn,
            ProjectId(asset.project_id),
            user,
            "asset.purge",
            asset.id,
            json!({ "name": asset.name }),
        )
        .await?;
    }
    Ok(())
}

/// Purges assets trashed more than [`TRASH_DAYS`] days ago (run by the hourly sweep).
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> DomainResult<usize> {
    conn.transaction::<_, DomainError, _>(async |conn| {
        let cutoff = Utc::now() - chrono::Duration::days(TRASH_DAYS);
        let rows: Vec<Asset> = assets_table::table
            .filter(assets_table::trashed_at.lt(cutoff))
            .order(assets_table::id.asc())
            .limit(500)
            .select(Asset::as_select())
            .for_update()
            .skip_locked()
            .load(conn)
            .await?;
        for asset in &rows {
            purge_one(conn, None, asset).await?;
        }
        Ok(rows.len())
    })
    .await
}

/// A project's trash, most recently trashed first.
pub async fn trash_page(
    conn: &mut AsyncPgConnection,
    user: UserId,
    project: ProjectId,
    offset: i64,
    limit: i64,
) -> DomainResult<AssetPage> {
    authorize(conn, user, project, Action::View, Ownership::NotMine).await?;
    let selection = Selection {
        trashed: true,
        sort: Sort {
            field: SortField::CreatedAt,
            dir: Direction::Desc,
            group_by: None,
        },
        offset: offset.max(0),
        limit: limit.clamp(1, 500),
        ..Selection::default()
    };
    library::page(conn, project, selection).await
}

/// Deletes every stored file of a purged asset, or of one deleted version of it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeleteAssetFiles {
    /// The asset.
    pub asset: Uuid,
    /// Only this version's files (its row is already gone); the whole asset when absent.
    #[serde(default)]
    pub version: Option<i32>,
}

impl Job for DeleteAssetFiles {
    const KIND: &'static str = "delete_asset_files";

    fn dedupe_key(&self) -> Option<String> {
        Some(format!("{}:{:?}", self.asset, self.version))
    }

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let state = ctx.state()?.clone();
        let key = match self.version {
            Some(version) => ObjectKey::VersionFolder {
                asset: self.asset,
                version,
            },
            None => ObjectKey::AssetFolder { asset: self.asset },
        };
        let n = state.storage.delete_all_under(&key).await?;
        tracing::info!(asset.id = %self.asset, version = ?self.version, objects = n, "deleted files removed");
        Ok(())
    }
}
