//! Deep clones of content between projects (or inside one): planned when asked for (see
//! [`plan`]), carried out by a job (see [`run`]), and remembered object by object so every
//! copy knows where it came from.

pub mod graph;
pub mod plan;
pub mod run;

use crate::audit;
use crate::authz::{authorize, role_in};
use crate::error::{DomainError, DomainResult};
use crate::jobs::queue;
use crate::schema::{clone_objects, clones, folders, projects, users};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::clone::{CloneCounts, CloneDto, CloneInclude, CloneRequest, ClonedFrom};
use model::ids::parse_id;
use model::permission::{Action, Ownership};
use model::{ApiError, ProjectId, UserId};
use uuid::Uuid;

pub use run::RunClone;

/// A row of `clones`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = clones)]
pub struct CloneRow {
    id: Uuid,
    source_project_id: Uuid,
    target_project_id: Uuid,
    created_by: Option<Uuid>,
    include: serde_json::Value,
    state: String,
    progress: i16,
    error: Option<String>,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

impl CloneRow {
    fn include(&self) -> CloneInclude {
        serde_json::from_value(self.include.clone()).unwrap_or_default()
    }
}

/// Plans a copy of what `req` chooses from `source` and queues the job that makes it.
/// The caller needs to see `source` and to upload into the target.
pub async fn create(
    conn: &mut AsyncPgConnection,
    user: UserId,
    source: ProjectId,
    req: &CloneRequest,
) -> DomainResult<CloneDto> {
    authorize(conn, user, source, Action::View, Ownership::NotMine).await?;
    let target: ProjectId = parse_id(&req.target_project_id)?;
    authorize(conn, user, target, Action::Upload, Ownership::NotMine).await?;
    let target_folder: Option<Uuid> = match &req.target_folder_id {
        Some(raw) => {
            let id: Uuid = parse_id::<model::FolderId>(raw)?.0;
            let live: Option<Uuid> = folders::table
                .filter(folders::id.eq(id))
                .filter(folders::project_id.eq(target.0))
                .filter(folders::trashed_at.is_null())
                .select(folders::id)
                .first(conn)
                .await
                .optional()?;
            Some(live.ok_or_else(|| ApiError::invalid("the target folder is not in the target project"))?)
        }
        None => None,
    };
    let chosen = plan::Selection {
        folders: req
            .folder_ids
            .iter()
            .map(|r| parse_id::<model::FolderId>(r).map(|f| f.0))
            .collect::<Result<_, _>>()?,
        assets: req
            .asset_ids
            .iter()
            .map(|r| parse_id::<model::AssetId>(r).map(|a| a.0))
            .collect::<Result<_, _>>()?,
        collections: req
            .collection_ids
            .iter()
            .map(|r| parse_id::<model::CollectionId>(r).map(|c| c.0))
            .collect::<Result<_, _>>()?,
    };
    let mut include = req.include;
    include.drawings &= include.comments;
    let row = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let id = Uuid::new_v4();
            diesel::insert_into(clones::table)
                .values((
                    clones::id.eq(id),
                    clones::source_project_id.eq(source.0),
                    clones::target_project_id.eq(target.0),
                    clones::target_folder_id.eq(target_folder),
                    clones::created_by.eq(user.0),
                    clones::include
                        .eq(serde_json::to_value(include).map_err(|e| DomainError::Internal(e.to_string()))?),
                ))
                .execute(conn)
                .await?;
            plan::plan(conn, id, source, target, target_folder, &chosen, include).await?;
            let job = queue::enqueue(conn, &RunClone { clone_id: id }).await?;
            let row: CloneRow = diesel::update(clones::table.find(id))
                .set(clones::job_id.eq(job))
                .returning(CloneRow::as_returning())
                .get_result(conn)
                .await?;
            let detail = serde_json::json!({ "source": source.0, "target": target.0, "include": include });
            audit::record(conn, source, user, "clone.create", id, detail.clone()).await?;
            if target != source {
                audit::record(conn, target, user, "clone.create", id, detail).await?;
            }
            Ok(row)
        })
        .await?;
    dto(conn, row).await
}

/// One clone, for a member of its source or target project.
pub async fn get(conn: &mut AsyncPgConnection, user: UserId, id: Uuid) -> DomainResult<CloneDto> {
    let row: CloneRow = clones::table
        .find(id)
        .select(CloneRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(ApiError::not_found)?;
    let sees_source = role_in(conn, user, ProjectId(row.source_project_id)).await?.is_some();
    let sees_target = role_in(conn, user, ProjectId(row.target_project_id)).await?.is_some();
    if !(sees_source || sees_target) {
        return Err(ApiError::not_found().into());
    }
    dto(conn, row).await
}

/// Clones into or out of a project, newest first (at most 100).
pub async fn list(conn: &mut AsyncPgConnection, user: UserId, project: ProjectId) -> DomainResult<Vec<CloneDto>> {
    authorize(conn, user, project, Action::View, Ownership::NotMine).await?;
    let rows: Vec<CloneRow> = clones::table
        .filter(
            clones::source_project_id
                .eq(project.0)
                .or(clones::target_project_id.eq(project.0)),
        )
        .order(clones::created_at.desc())
        .limit(100)
        .select(CloneRow::as_select())
        .load(conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(dto(conn, row).await?);
    }
    Ok(out)
}

async fn dto(conn: &mut AsyncPgConnection, row: CloneRow) -> DomainResult<CloneDto> {
    let by_kind: Vec<(String, i64)> = clone_objects::table
        .filter(clone_objects::clone_id.eq(row.id))
        .group_by(clone_objects::kind)
        .select((clone_objects::kind, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    let n = |k: &str| by_kind.iter().find(|(kind, _)| kind == k).map_or(0, |(_, c)| *c);
    Ok(CloneDto {
        id: row.id,
        source_project_id: ProjectId(row.source_project_id),
        target_project_id: ProjectId(row.target_project_id),
        include: row.include(),
        state: row.state,
        progress: row.progress,
        error: row.error,
        counts: CloneCounts {
            folders: n("folder"),
            assets: n("asset"),
            versions: n("version"),
            comments: n("comment"),
            collections: n("collection"),
        },
        created_at: row.created_at,
        finished_at: row.finished_at,
    })
}

/// Marks a clone done, or failed with `outcome`'s message, and audits it in the target.
async fn finish(conn: &mut AsyncPgConnection, row: &CloneRow, outcome: Result<(), String>) -> DomainResult<()> {
    let (state, error) = match &outcome {
        Ok(()) => ("done", None),
        Err(e) => ("failed", Some(e.clone())),
    };
    diesel::update(clones::table.find(row.id))
        .set((
            clones::state.eq(state),
            clones::progress.eq(if outcome.is_ok() { 100 } else { row.progress }),
            clones::error.eq(error.clone()),
            clones::finished_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    if let Some(by) = row.created_by {
        let action = if outcome.is_ok() { "clone.finish" } else { "clone.fail" };
        let detail = serde_json::json!({ "error": error });
        audit::record(
            conn,
            ProjectId(row.target_project_id),
            UserId(by),
            action,
            row.id,
            detail,
        )
        .await?;
    }
    Ok(())
}

/// Source object, depth, source project, when, the project's name, who.
type Origin = (Uuid, i32, Uuid, DateTime<Utc>, String, Option<String>);

/// Where object `id` was copied from, if it is a copy. The source project's name is told
/// only to its members.
pub async fn origin(conn: &mut AsyncPgConnection, user: UserId, id: Uuid) -> DomainResult<Option<ClonedFrom>> {
    let found: Option<Origin> = clone_objects::table
        .inner_join(clones::table)
        .inner_join(projects::table.on(projects::id.eq(clones::source_project_id)))
        .left_join(users::table.on(users::id.nullable().eq(clones::created_by)))
        .filter(clone_objects::target_id.eq(id))
        .select((
            clone_objects::source_id,
            clone_objects::depth,
            clones::source_project_id,
            clones::created_at,
            projects::name,
            users::name.nullable(),
        ))
        .first(conn)
        .await
        .optional()?;
    let Some((source_id, depth, project, at, name, by)) = found else {
        return Ok(None);
    };
    let member = role_in(conn, user, ProjectId(project)).await?.is_some();
    Ok(Some(ClonedFrom {
        project_id: ProjectId(project),
        project_name: member.then_some(name),
        source_id,
        cloned_at: at,
        cloned_by: by,
        depth,
    }))
}
