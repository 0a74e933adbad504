//! Project membership: list, add by e-mail, change role, remove. A project always keeps
//! at least one owner.

use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::schema::{project_members, users};
use crate::users::User;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::dto::MemberDto;
use model::live::kind;
use model::permission::{Action, Ownership};
use model::validate::Email;
use model::{ApiError, ErrorCode, ProjectId, Role, UserId};

fn parse_role(role: &str) -> DomainResult<Role> {
    role.parse::<Role>().map_err(|e| DomainError::Internal(e.to_string()))
}

type MemberRow = (uuid::Uuid, String, String, String, DateTime<Utc>);

/// The members of `project` with their accounts, as [`MemberRow`]s.
#[diesel::dsl::auto_type(no_type_alias)]
fn members_of(project: uuid::Uuid) -> _ {
    project_members::table
        .inner_join(users::table)
        .filter(project_members::project_id.eq(project))
        .select((
            users::id,
            users::email,
            users::name,
            project_members::role,
            project_members::added_at,
        ))
}

fn to_dto((id, email, name, role, added_at): MemberRow) -> DomainResult<MemberDto> {
    Ok(MemberDto {
        user_id: UserId(id),
        email,
        name,
        role: parse_role(&role)?,
        added_at,
    })
}

/// The members of a project, owners first.
pub async fn list(conn: &mut AsyncPgConnection, caller: UserId, project: ProjectId) -> DomainResult<Vec<MemberDto>> {
    authorize(conn, caller, project, Action::View, Ownership::NotMine).await?;
    let rows: Vec<MemberRow> = members_of(project.0).load(conn).await?;
    let mut members = rows.into_iter().map(to_dto).collect::<DomainResult<Vec<_>>>()?;
    let rank = |r: Role| Role::ALL.iter().position(|x| *x == r).unwrap_or(usize::MAX);
    members.sort_by(|a, b| {
        rank(a.role)
            .cmp(&rank(b.role))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(members)
}

async fn member(conn: &mut AsyncPgConnection, project: ProjectId, user: UserId) -> DomainResult<MemberDto> {
    let row: Option<MemberRow> = members_of(project.0)
        .filter(project_members::user_id.eq(user.0))
        .first(conn)
        .await
        .optional()?;
    to_dto(row.ok_or_else(ApiError::not_found)?)
}

/// Adds an existing account, found by e-mail, with `role`. Owners only.
pub async fn add(
    conn: &mut AsyncPgConnection,
    caller: UserId,
    project: ProjectId,
    email: &str,
    role: Role,
) -> DomainResult<MemberDto> {
    authorize(conn, caller, project, Action::ManageMembers, Ownership::NotMine).await?;
    let email = Email::try_from(email)?;
    let user = User::find_by_email(conn, email.as_str()).await?.ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            "no account uses that e-mail address; ask them to sign up first",
        )
    })?;
    let user_id = user.user_id();
    conn.transaction::<_, DomainError, _>(async move |conn| {
        if !join(conn, project, caller, user_id, role).await? {
            return Err(DomainError::api(
                ErrorCode::AlreadyMember,
                "that person is already a member",
            ));
        }
        Ok(())
    })
    .await?;
    tracing::info!(project.id = %project, user.id = %user.id, member.role = %role, "member added");
    member(conn, project, user.user_id()).await
}

/// Makes `user` a member with `role` (on the caller's connection, inside its transaction),
/// audited and announced as done by `actor`; false if they already were one.
pub(crate) async fn join(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    actor: UserId,
    user: UserId,
    role: Role,
) -> DomainResult<bool> {
    let inserted = diesel::insert_into(project_members::table)
        .values((
            project_members::project_id.eq(project.0),
            project_members::user_id.eq(user.0),
            project_members::role.eq(role.as_str()),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    if inserted == 0 {
        return Ok(false);
    }
    let detail = serde_json::json!({ "user": user, "role": role.as_str() });
    crate::audit::record(conn, project, actor, "member.add", user.0, detail).await?;
    announce(conn, project, actor, kind::MEMBER_ADDED, user, Some(role)).await?;
    Ok(true)
}

/// Changes a member's role. Owners only; the last owner cannot be demoted.
pub async fn change_role(
    conn: &mut AsyncPgConnection,
    caller: UserId,
    project: ProjectId,
    target: UserId,
    role: Role,
) -> DomainResult<MemberDto> {
    authorize(conn, caller, project, Action::ManageMembers, Ownership::NotMine).await?;
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let current = lock_and_check_owners(conn, project, target, role != Role::Owner).await?;
        if current != role {
            diesel::update(project_members::table.find((project.0, target.0)))
                .set(project_members::role.eq(role.as_str()))
                .execute(conn)
                .await?;
            let detail = serde_json::json!({ "user": target, "before": current.as_str(), "after": role.as_str() });
            crate::audit::record(conn, project, caller, "member.role", target.0, detail).await?;
            announce(conn, project, caller, kind::MEMBER_UPDATED, target, Some(role)).await?;
        }
        Ok(())
    })
    .await?;
    tracing::info!(project.id = %project, user.id = %target, member.role = %role, "member role changed");
    member(conn, project, target).await
}

/// Hands the project to `target` (a member): they become owner and the caller (an owner)
/// becomes an editor, in one step — nobody is left owning nothing in between.
pub async fn transfer_ownership(
    conn: &mut AsyncPgConnection,
    caller: UserId,
    project: ProjectId,
    target: UserId,
) -> DomainResult<Vec<MemberDto>> {
    authorize(conn, caller, project, Action::ManageMembers, Ownership::NotMine).await?;
    if caller == target {
        return Err(ApiError::invalid("you own this project already; choose another member").into());
    }
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let before = lock_and_check_owners(conn, project, target, false).await?;
        for (user, role) in [(target, Role::Owner), (caller, Role::Editor)] {
            diesel::update(project_members::table.find((project.0, user.0)))
                .set(project_members::role.eq(role.as_str()))
                .execute(conn)
                .await?;
            announce(conn, project, caller, kind::MEMBER_UPDATED, user, Some(role)).await?;
        }
        let detail = serde_json::json!({ "to": target, "their_role_before": before.as_str(), "from": caller });
        crate::audit::record(conn, project, caller, "project.transfer", target.0, detail).await
    })
    .await?;
    tracing::info!(project.id = %project, to = %target, "ownership transferred");
    list(conn, target, project).await
}

/// Removes a member. Owners may remove anyone; any member may leave. The last owner stays.
pub async fn remove(
    conn: &mut AsyncPgConnection,
    caller: UserId,
    project: ProjectId,
    target: UserId,
) -> DomainResult<()> {
    let action = if caller == target {
        Action::View
    } else {
        Action::ManageMembers
    };
    authorize(conn, caller, project, action, Ownership::NotMine).await?;
    conn.transaction::<_, DomainError, _>(async move |conn| {
        let role = lock_and_check_owners(conn, project, target, true).await?;
        diesel::delete(project_members::table.find((project.0, target.0)))
            .execute(conn)
            .await?;
        let detail = serde_json::json!({ "user": target, "role": role.as_str() });
        crate::audit::record(conn, project, caller, "member.remove", target.0, detail).await?;
        announce(conn, project, caller, kind::MEMBER_REMOVED, target, None).await
    })
    .await?;
    tracing::info!(project.id = %project, user.id = %target, "member removed");
    Ok(())
}

/// Publishes a membership change (sockets of the member are re-checked on it).
async fn announce(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    actor: UserId,
    kind: &'static str,
    member: UserId,
    role: Option<Role>,
) -> DomainResult<()> {
    let payload = serde_json::json!({ "user_id": member, "role": role.map(Role::as_str) });
    events::publish(conn, NewEvent::about(project, None, Some(actor), kind, payload)?).await?;
    Ok(())
}

/// Locks the project's owner rows and returns the target's current role; when the target
/// is losing ownership, refuses if they are the only owner.
async fn lock_and_check_owners(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    target: UserId,
    losing_ownership: bool,
) -> DomainResult<Role> {
    let owners: Vec<uuid::Uuid> = project_members::table
        .filter(project_members::project_id.eq(project.0))
        .filter(project_members::role.eq(Role::Owner.as_str()))
        .select(project_members::user_id)
        .for_update()
        .load(conn)
        .await?;
    let current: String = project_members::table
        .find((project.0, target.0))
        .select(project_members::role)
        .for_update()
        .first(conn)
        .await
        .optional()?
        .ok_or_else(ApiError::not_found)?;
    let current = parse_role(&current)?;
    if losing_ownership && current == Role::Owner && owners.len() <= 1 {
        return Err(DomainError::api(
            ErrorCode::LastOwner,
            "a project needs at least one owner: make someone else owner first",
        ));
    }
    Ok(current)
}
