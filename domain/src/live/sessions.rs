//! Review sessions ("watch together"): one per project, driven by one presenter whose state
//! (open asset, frame, play/pause, speed, loop, zoom/pan) followers mirror. The row is what
//! late joiners land on; changes also travel as live signals.

use super::presence;
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::schema::{review_sessions, users};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::live::{Session, SessionState};
use model::permission::{Action, Ownership};
use model::{ApiError, ErrorCode, ProjectId, Role, UserId};
use uuid::Uuid;

type Row = (Uuid, String, serde_json::Value, i64);

fn session((presenter, name, state, seq): Row) -> Session {
    Session {
        presenter_id: UserId(presenter),
        presenter_name: name,
        state: serde_json::from_value(state).unwrap_or_default(),
        seq,
    }
}

/// The project's session, if one runs.
pub async fn get(conn: &mut AsyncPgConnection, project: ProjectId) -> DomainResult<Option<Session>> {
    let row: Option<Row> = review_sessions::table
        .inner_join(users::table)
        .filter(review_sessions::project_id.eq(project.0))
        .select((
            review_sessions::presenter_id,
            users::name,
            review_sessions::state,
            review_sessions::seq,
        ))
        .first(conn)
        .await
        .optional()?;
    Ok(row.map(session))
}

/// The session just written.
async fn current(conn: &mut AsyncPgConnection, project: ProjectId) -> DomainResult<Session> {
    get(conn, project)
        .await?
        .ok_or_else(|| DomainError::Internal("the session vanished".into()))
}

fn json(state: &SessionState) -> DomainResult<serde_json::Value> {
    serde_json::to_value(state).map_err(|e| DomainError::Internal(e.to_string()))
}

/// Starts a session presented by `user` (any member). A running session is taken over only
/// when its presenter is no longer connected; otherwise `409 conflict`.
pub async fn start(
    conn: &mut AsyncPgConnection,
    user: UserId,
    project: ProjectId,
    state: SessionState,
) -> DomainResult<Session> {
    authorize(conn, user, project, Action::View, Ownership::NotMine).await?;
    if let Some(s) = get(conn, project).await? {
        if s.presenter_id == user {
            return Ok(s);
        }
        if presence::is_present(conn, project, s.presenter_id).await? {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("{} is presenting; ask them to hand over", s.presenter_name),
            )
            .into());
        }
    }
    let state = json(&state)?;
    diesel::insert_into(review_sessions::table)
        .values((
            review_sessions::project_id.eq(project.0),
            review_sessions::presenter_id.eq(user.0),
            review_sessions::state.eq(&state),
            review_sessions::seq.eq(1),
        ))
        .on_conflict(review_sessions::project_id)
        .do_update()
        .set((
            review_sessions::presenter_id.eq(user.0),
            review_sessions::state.eq(&state),
            review_sessions::seq.eq(review_sessions::seq + 1),
            review_sessions::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    current(conn, project).await
}

/// Locks the session and checks `user` presents it.
async fn presenting(conn: &mut AsyncPgConnection, user: UserId, project: ProjectId) -> DomainResult<()> {
    let presenter: Option<Uuid> = review_sessions::table
        .find(project.0)
        .select(review_sessions::presenter_id)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    match presenter {
        None => Err(ApiError::new(ErrorCode::NotFound, "no review session is running").into()),
        Some(p) if p != user.0 => Err(ApiError::forbidden("only the presenter can do this").into()),
        Some(_) => Ok(()),
    }
}

/// The presenter's new state.
pub async fn update(
    conn: &mut AsyncPgConnection,
    user: UserId,
    project: ProjectId,
    state: &SessionState,
) -> DomainResult<Session> {
    let state = json(state)?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        presenting(conn, user, project).await?;
        diesel::update(review_sessions::table.find(project.0))
            .set((
                review_sessions::state.eq(&state),
                review_sessions::seq.eq(review_sessions::seq + 1),
                review_sessions::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await?;
        Ok(())
    })
    .await?;
    current(conn, project).await
}

/// Gives control to `to`, who must be a member.
pub async fn handover(
    conn: &mut AsyncPgConnection,
    user: UserId,
    project: ProjectId,
    to: UserId,
) -> DomainResult<Session> {
    crate::authz::role_in(conn, to, project)
        .await?
        .ok_or_else(|| ApiError::invalid("hand over to a member of this project"))?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        presenting(conn, user, project).await?;
        diesel::update(review_sessions::table.find(project.0))
            .set((
                review_sessions::presenter_id.eq(to.0),
                review_sessions::seq.eq(review_sessions::seq + 1),
                review_sessions::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await?;
        Ok(())
    })
    .await?;
    current(conn, project).await
}

/// Ends the session (its presenter, or an owner).
pub async fn end(conn: &mut AsyncPgConnection, user: UserId, project: ProjectId) -> DomainResult<()> {
    let role = authorize(conn, user, project, Action::View, Ownership::NotMine).await?;
    if role != Role::Owner {
        conn.transaction::<_, DomainError, _>(async |conn| presenting(conn, user, project).await)
            .await?;
    }
    diesel::delete(review_sessions::table.find(project.0))
        .execute(conn)
        .await?;
    Ok(())
}
