//! Projects: create, list, read, update, archive, delete.

use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::schema::{project_members, projects};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::dto::{ProjectDto, ProjectPatch};
use model::permission::{Action, Ownership};
use model::validate;
use model::{ProjectId, Role, UserId};
use uuid::Uuid;

/// A row of `projects`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = projects)]
pub struct Project {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// When archived, if it is.
    pub archived_at: Option<DateTime<Utc>>,
    /// Creator.
    pub created_by: Option<Uuid>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

fn member_count() -> diesel::expression::SqlLiteral<diesel::sql_types::BigInt> {
    diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM project_members pm WHERE pm.project_id = projects.id)",
    )
}

fn to_dto(project: Project, role: &str, members: i64) -> DomainResult<ProjectDto> {
    Ok(ProjectDto {
        id: ProjectId(project.id),
        name: project.name,
        description: project.description,
        archived: project.archived_at.is_some(),
        role: role.parse::<Role>().map_err(|e| DomainError::Internal(e.to_string()))?,
        member_count: members,
        created_at: project.created_at,
        updated_at: project.updated_at,
    })
}

/// Creates a project with `owner` as its first owner.
pub async fn create(
    conn: &mut AsyncPgConnection,
    owner: UserId,
    name: &str,
    description: &str,
) -> DomainResult<ProjectDto> {
    let name = validate::project_name(name)?;
    let description = validate::description(description)?;
    let id = Uuid::new_v4();
    conn.transaction::<_, DomainError, _>(async move |conn| {
        diesel::insert_into(projects::table)
            .values((
                projects::id.eq(id),
                projects::name.eq(&name),
                projects::description.eq(&description),
                projects::created_by.eq(owner.0),
            ))
            .execute(conn)
            .await?;
        diesel::insert_into(project_members::table)
            .values((
                project_members::project_id.eq(id),
                project_members::user_id.eq(owner.0),
                project_members::role.eq(Role::Owner.as_str()),
            ))
            .execute(conn)
            .await?;
        let detail = serde_json::json!({ "name": name });
        crate::audit::record(conn, ProjectId(id), owner, "project.create", id, detail).await
    })
    .await?;
    tracing::info!(project.id = %id, user.id = %owner, "project created");
    get(conn, owner, ProjectId(id)).await
}

/// The projects `user` is a member of, active first, then by name.
pub async fn list(conn: &mut AsyncPgConnection, user: UserId) -> DomainResult<Vec<ProjectDto>> {
    let rows: Vec<(Project, String, i64)> = projects::table
        .inner_join(project_members::table)
        .filter(project_members::user_id.eq(user.0))
        .order((
            projects::archived_at.is_not_null(),
            projects::name.asc(),
            projects::id.asc(),
        ))
        .select((Project::as_select(), project_members::role, member_count()))
        .load(conn)
        .await?;
    rows.into_iter().map(|(p, role, n)| to_dto(p, &role, n)).collect()
}

/// One project, if `user` is a member (otherwise `not_found`).
pub async fn get(conn: &mut AsyncPgConnection, user: UserId, id: ProjectId) -> DomainResult<ProjectDto> {
    let row: Option<(Project, String, i64)> = projects::table
        .inner_join(project_members::table)
        .filter(projects::id.eq(id.0))
        .filter(project_members::user_id.eq(user.0))
        .select((Project::as_select(), project_members::role, member_count()))
        .first(conn)
        .await
        .optional()?;
    let (p, role, n) = row.ok_or_else(model::ApiError::not_found)?;
    to_dto(p, &role, n)
}

/// Renames, describes, archives or restores a project.
pub async fn update(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: ProjectId,
    patch: &ProjectPatch,
) -> DomainResult<ProjectDto> {
    authorize(conn, user, id, Action::View, Ownership::NotMine).await?;
    if patch.name.is_some() || patch.description.is_some() {
        authorize(conn, user, id, Action::EditProject, Ownership::NotMine).await?;
    }
    if patch.archived.is_some() {
        authorize(conn, user, id, Action::ArchiveProject, Ownership::NotMine).await?;
    }
    let name = patch.name.as_deref().map(validate::project_name).transpose()?;
    let description = patch.description.as_deref().map(validate::description).transpose()?;
    let archived_at = patch.archived.map(|a| a.then(Utc::now));
    conn.transaction::<_, DomainError, _>(async |conn| {
        let before: String = projects::table.find(id.0).select(projects::name).first(conn).await?;
        diesel::update(projects::table.find(id.0))
            .set((
                name.as_ref().map(|n| projects::name.eq(n)),
                description.map(|d| projects::description.eq(d)),
                archived_at.map(|a| projects::archived_at.eq(a)),
                projects::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        let action = match patch.archived {
            Some(true) => "project.archive",
            Some(false) => "project.restore",
            None => "project.update",
        };
        let detail = serde_json::json!({ "before": before, "after": name });
        crate::audit::record(conn, id, user, action, id.0, detail).await
    })
    .await?;
    get(conn, user, id).await
}

/// Deletes a project and everything in it. Owners only.
pub async fn delete(conn: &mut AsyncPgConnection, user: UserId, id: ProjectId) -> DomainResult<()> {
    authorize(conn, user, id, Action::DeleteProject, Ownership::NotMine).await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let name: String = projects::table.find(id.0).select(projects::name).first(conn).await?;
        // The row outlives the project (its project_id becomes NULL): the name says which.
        crate::audit::record(
            conn,
            id,
            user,
            "project.delete",
            id.0,
            serde_json::json!({ "name": name }),
        )
        .await?;
        diesel::delete(projects::table.find(id.0)).execute(conn).await?;
        Ok(())
    })
    .await?;
    tracing::info!(project.id = %id, user.id = %user, "project deleted");
    Ok(())
}
