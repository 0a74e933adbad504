//! Enforcing the permission matrix of `model::permission`.

use crate::error::{DomainError, DomainResult};
use crate::schema::project_members;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::permission::{allows, Action, Ownership};
use model::{ApiError, ProjectId, Role, UserId};

/// The user's role in the project, or `None` when they are not a member.
pub async fn role_in(conn: &mut AsyncPgConnection, user: UserId, project: ProjectId) -> DomainResult<Option<Role>> {
    let role: Option<String> = project_members::table
        .find((project.0, user.0))
        .select(project_members::role)
        .first(conn)
        .await
        .optional()?;
    role.map(|r| r.parse::<Role>().map_err(|e| DomainError::Internal(e.to_string())))
        .transpose()
}

/// Checks that `user` may do `action` in `project` and returns their role.
///
/// Non-members get `not_found` (never `forbidden`), so ids of foreign projects reveal nothing.
pub async fn authorize(
    conn: &mut AsyncPgConnection,
    user: UserId,
    project: ProjectId,
    action: Action,
    ownership: Ownership,
) -> DomainResult<Role> {
    let Some(role) = role_in(conn, user, project).await? else {
        return Err(ApiError::not_found().into());
    };
    if allows(role, action, ownership) {
        Ok(role)
    } else {
        Err(ApiError::forbidden(format!("your role ({}) does not allow this", role.label())).into())
    }
}

/// Checks that the caller is an instance administrator.
pub fn require_admin(caller: &crate::auth::Caller) -> Result<(), ApiError> {
    if caller.user.is_admin {
        Ok(())
    } else {
        Err(ApiError::forbidden("only an instance admin can do this"))
    }
}
