//! Folders: nested, per project; created by name or by path, renamed, moved, trashed.

use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::schema::folders;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::asset::{FolderDto, FolderPatch};
use model::permission::{Action, Ownership};
use model::{ApiError, ErrorCode, FolderId, ProjectId, UserId};
use uuid::Uuid;

/// A row of `folders`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = folders)]
pub struct Folder {
    /// Id.
    pub id: Uuid,
    /// Project.
    pub project_id: Uuid,
    /// Parent.
    pub parent_id: Option<Uuid>,
    /// Name.
    pub name: String,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// Checks a folder name: one path segment, no control characters.
pub fn validate_name(raw: &str) -> Result<String, ApiError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 255 {
        return Err(ApiError::invalid("a folder name needs 1 to 255 characters"));
    }
    if name == "." || name == ".." || name.contains('/') || name.contains('\\') || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "a folder name cannot contain slashes or control characters",
        ));
    }
    Ok(name.to_owned())
}

/// A live folder of `project`, or `not_found`.
pub async fn live_in(conn: &mut AsyncPgConnection, project: ProjectId, id: FolderId) -> DomainResult<Folder> {
    folders::table
        .filter(folders::id.eq(id.0))
        .filter(folders::project_id.eq(project.0))
        .filter(folders::trashed_at.is_null())
        .select(Folder::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such folder in this project").into())
}

async fn find_child(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    parent: Option<Uuid>,
    name: &str,
) -> DomainResult<Option<Folder>> {
    let mut q = folders::table
        .filter(folders::project_id.eq(project.0))
        .filter(folders::trashed_at.is_null())
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(name) = lower(")
                .bind::<diesel::sql_types::Text, _>(name.to_owned())
                .sql(")"),
        )
        .select(Folder::as_select())
        .into_boxed();
    q = match parent {
        Some(p) => q.filter(folders::parent_id.eq(p)),
        None => q.filter(folders::parent_id.is_null()),
    };
    Ok(q.first(conn).await.optional()?)
}

/// Finds or creates each folder of a `/`-separated path under `parent`, returning the last.
/// Used by the uploader and `dailies import` to keep a dropped folder's structure.
pub async fn ensure_path(
    conn: &mut AsyncPgConnection,
    user: UserId,
    project: ProjectId,
    parent: Option<FolderId>,
    path: &str,
) -> DomainResult<FolderDto> {
    authorize(conn, user, project, Action::Upload, Ownership::NotMine).await?;
    let segments: Vec<String> = path
        .split(['/', '\\'])
        .filter(|s| !s.trim().is_empty())
        .map(validate_name)
        .collect::<Result<_, _>>()?;
    if segments.is_empty() {
        return Err(ApiError::invalid("a folder name needs 1 to 255 characters").into());
    }
    if segments.len() > 32 {
        return Err(ApiError::invalid("folders nest at most 32 deep").into());
    }
    if let Some(p) = parent {
        live_in(conn, project, p).await?;
    }
    let mut current = parent.map(|p| p.0);
    let mut last = None;
    for name in segments {
        let folder = match find_child(conn, project, current, &name).await? {
            Some(f) => f,
            None => {
                let inserted = diesel::insert_into(folders::table)
                    .values((
                        folders::id.eq(Uuid::new_v4()),
                        folders::project_id.eq(project.0),
                        folders::parent_id.eq(current),
                        folders::name.eq(&name),
                        folders::created_by.eq(user.0),
                    ))
                    .on_conflict_do_nothing()
                    .returning(Folder::as_returning())
                    .get_result(conn)
                    .await
                    .optional()?;
                match inserted {
                    Some(f) => f,
                    // Someone else created it a moment ago.
                    None => find_child(conn, project, current, &name)
                        .await?
                        .ok_or_else(|| DomainError::Internal("folder vanished while creating it".into()))?,
                }
            }
        };
        current = Some(folder.id);
        last = Some(folder);
    }
    let folder = last.ok_or_else(|| DomainError::Internal("empty folder path".into()))?;
    Ok(to_dto(folder, 0))
}

fn to_dto(f: Folder, asset_count: i64) -> FolderDto {
    FolderDto {
        id: FolderId(f.id),
        project_id: ProjectId(f.project_id),
        parent_id: f.parent_id.map(FolderId),
        name: f.name,
        asset_count,
        created_at: f.created_at,
    }
}

/// Every live folder of the project (the client builds the tree), by name.
pub async fn list(conn: &mut AsyncPgConnection, user: UserId, project: ProjectId) -> DomainResult<Vec<FolderDto>> {
    authorize(conn, user, project, Action::View, Ownership::NotMine).await?;
    let rows: Vec<(Folder, i64)> = folders::table
        .filter(folders::project_id.eq(project.0))
        .filter(folders::trashed_at.is_null())
        .select((
            Folder::as_select(),
            diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "(SELECT count(*) FROM assets a WHERE a.folder_id = folders.id AND a.trashed_at IS NULL)",
            ),
        ))
        .order((folders::name.asc(), folders::id.asc()))
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|(f, n)| to_dto(f, n)).collect())
}

async fn project_of(conn: &mut AsyncPgConnection, id: FolderId) -> DomainResult<ProjectId> {
    folders::table
        .filter(folders::id.eq(id.0))
        .filter(folders::trashed_at.is_null())
        .select(folders::project_id)
        .first::<Uuid>(conn)
        .await
        .optional()?
        .map(ProjectId)
        .ok_or_else(|| ApiError::not_found().into())
}

/// Renames and/or moves a folder. Moving a folder into itself or a descendant is refused.
pub async fn update(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: FolderId,
    patch: FolderPatch,
) -> DomainResult<FolderDto> {
    let project = project_of(conn, id).await?;
    authorize(conn, user, project, Action::Upload, Ownership::NotMine).await?;
    let name = patch.name.as_deref().map(validate_name).transpose()?;
    let parent = match patch.parent_id.as_deref() {
        None => None,
        Some("root") | Some("") => Some(None),
        Some(raw) => {
            let p: FolderId = model::ids::parse_id(raw)?;
            live_in(conn, project, p).await?;
            Some(Some(p.0))
        }
    };
    conn.transaction::<_, DomainError, _>(async move |conn| {
        if let Some(Some(new_parent)) = parent {
            // The new parent must not be the folder or one of its descendants.
            let cycle: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
                "EXISTS (WITH RECURSIVE up(id, parent_id) AS (
                    SELECT id, parent_id FROM folders WHERE id = ",
            )
            .bind::<diesel::sql_types::Uuid, _>(new_parent)
            .sql(" UNION ALL SELECT f.id, f.parent_id FROM folders f JOIN up ON f.id = up.parent_id) SELECT 1 FROM up WHERE id = ")
            .bind::<diesel::sql_types::Uuid, _>(id.0)
            .sql(")"))
            .get_result(conn)
            .await?;
            if cycle {
                return Err(ApiError::invalid("a folder cannot be moved into itself or one of its folders").into());
            }
        }
        let target = diesel::update(folders::table.find(id.0));
        let result = match (name, parent) {
            (Some(n), Some(p)) => {
                target
                    .set((folders::name.eq(n), folders::parent_id.eq(p), folders::updated_at.eq(diesel::dsl::now)))
                    .returning(Folder::as_returning())
                    .get_result(conn)
                    .await
            }
            (Some(n), None) => {
                target
                    .set((folders::name.eq(n), folders::updated_at.eq(diesel::dsl::now)))
                    .returning(Folder::as_returning())
                    .get_result(conn)
                    .await
            }
            (None, Some(p)) => {
                target
                    .set((folders::parent_id.eq(p), folders::updated_at.eq(diesel::dsl::now)))
                    .returning(Folder::as_returning())
                    .get_result(conn)
                    .await
            }
            (None, None) => folders::table.find(id.0).select(Folder::as_select()).first(conn).await,
        };
        match result {
            Ok(f) => Ok(to_dto(f, 0)),
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                Err(ApiError::new(ErrorCode::Conflict, "a folder with that name is already there").into())
            }
            Err(e) => Err(e.into()),
        }
    })
    .await
}

/// Moves a folder, everything under it and their assets to the trash.
pub async fn trash(conn: &mut AsyncPgConnection, user: UserId, id: FolderId) -> DomainResult<()> {
    let project = project_of(conn, id).await?;
    authorize(conn, user, project, Action::Upload, Ownership::NotMine).await?;
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let subtree = "WITH RECURSIVE sub(id) AS (SELECT id FROM folders WHERE id = $1
             UNION ALL SELECT f.id FROM folders f JOIN sub ON f.parent_id = sub.id AND f.trashed_at IS NULL)";
        diesel::sql_query(format!(
            "{subtree} UPDATE assets SET trashed_at = now() WHERE trashed_at IS NULL AND folder_id IN (SELECT id FROM sub)"
        ))
        .bind::<diesel::sql_types::Uuid, _>(id.0)
        .execute(conn)
        .await?;
        diesel::sql_query(format!(
            "{subtree} UPDATE folders SET trashed_at = now() WHERE trashed_at IS NULL AND id IN (SELECT id FROM sub)"
        ))
        .bind::<diesel::sql_types::Uuid, _>(id.0)
        .execute(conn)
        .await?;
        Ok(())
    })
    .await
}
