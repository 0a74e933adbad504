//! The trash: deleting to it, restoring from it, purging (by hand and after [`TRASH_DAYS`]
//! days), and the job that removes purged files.

use super::*;

/// How long trashed assets stay restorable.
pub const TRASH_DAYS: i64 = 30;

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

/// Deletes the asset an uploaded XMP sidecar made (its content went to its photo): the row,
/// its files (by job), and an `asset.deleted` event so libraries drop its card.
pub async fn remove_sidecar(conn: &mut AsyncPgConnection, id: Uuid) -> DomainResult<()> {
    conn.transaction::<_, DomainError, _>(async |conn| {
        let Some(asset) = assets_table::table
            .find(id)
            .select(Asset::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?
        else {
            return Ok(());
        };
        purge_one(conn, None, &asset).await?;
        let payload = json!({ "name": asset.name, "sidecar": true });
        let event = NewEvent::about(
            ProjectId(asset.project_id),
            Some(AssetId(asset.id)),
            None,
            kind::ASSET_DELETED,
            payload,
        )?;
        events::publish(conn, event).await?;
        Ok(())
    })
    .await
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
