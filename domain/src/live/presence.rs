//! Who is connected where: one `presence` row per socket and project, kept fresh by the
//! socket's process, so every process can answer "who is here" for any project.

use crate::error::DomainResult;
use crate::schema::{presence, users};
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::live::{PresenceState, PresenceUser};
use model::{AssetId, ProjectId, UserId};
use uuid::Uuid;

/// How often a process refreshes its sockets' rows.
pub const REFRESH: std::time::Duration = std::time::Duration::from_secs(30);
/// Rows older than this (a process that died) no longer count.
const STALE_SECS: i64 = 90;

/// Records that `socket` (of `user`) is in `project`, looking at `asset`.
pub async fn join(
    conn: &mut AsyncPgConnection,
    socket: Uuid,
    project: ProjectId,
    user: UserId,
    asset: Option<AssetId>,
) -> DomainResult<()> {
    diesel::insert_into(presence::table)
        .values((
            presence::socket_id.eq(socket),
            presence::project_id.eq(project.0),
            presence::user_id.eq(user.0),
            presence::asset_id.eq(asset.map(|a| a.0)),
            presence::idle.eq(false),
        ))
        .on_conflict((presence::socket_id, presence::project_id))
        .do_update()
        .set((
            presence::asset_id.eq(excluded(presence::asset_id)),
            presence::idle.eq(false),
            presence::seen_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks `socket` active or idle in `project`; false when it is not there.
pub async fn set_state(
    conn: &mut AsyncPgConnection,
    socket: Uuid,
    project: ProjectId,
    state: PresenceState,
) -> DomainResult<bool> {
    let n = diesel::update(presence::table.find((socket, project.0)))
        .set((
            presence::idle.eq(state == PresenceState::Idle),
            presence::seen_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(n > 0)
}

/// Removes `socket` from `project`.
pub async fn leave(conn: &mut AsyncPgConnection, socket: Uuid, project: ProjectId) -> DomainResult<()> {
    diesel::delete(presence::table.find((socket, project.0)))
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes `socket` everywhere; returns the projects it was in.
pub async fn leave_all(conn: &mut AsyncPgConnection, socket: Uuid) -> DomainResult<Vec<ProjectId>> {
    let projects: Vec<Uuid> = diesel::delete(presence::table.filter(presence::socket_id.eq(socket)))
        .returning(presence::project_id)
        .get_results(conn)
        .await?;
    Ok(projects.into_iter().map(ProjectId).collect())
}

/// Keeps the rows of these (open) sockets fresh.
pub async fn refresh(conn: &mut AsyncPgConnection, sockets: &[Uuid]) -> DomainResult<()> {
    if sockets.is_empty() {
        return Ok(());
    }
    diesel::update(presence::table.filter(presence::socket_id.eq_any(sockets)))
        .set(presence::seen_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
    Ok(())
}

/// Who is in `project` now: one entry per person and asset, idle only when all of that
/// person's sockets there are idle; ordered by name.
pub async fn list(conn: &mut AsyncPgConnection, project: ProjectId) -> DomainResult<Vec<PresenceUser>> {
    let fresh = Utc::now() - Duration::seconds(STALE_SECS);
    let rows: Vec<(Uuid, String, Option<Uuid>, bool)> = presence::table
        .inner_join(users::table)
        .filter(presence::project_id.eq(project.0))
        .filter(presence::seen_at.gt(fresh))
        .order((users::name.asc(), users::id.asc(), presence::asset_id.asc()))
        .select((presence::user_id, users::name, presence::asset_id, presence::idle))
        .load(conn)
        .await?;
    let mut out: Vec<PresenceUser> = Vec::new();
    for (user, name, asset, idle) in rows {
        let state = if idle {
            PresenceState::Idle
        } else {
            PresenceState::Active
        };
        match out
            .iter_mut()
            .find(|p| p.user_id.0 == user && p.asset_id.map(|a| a.0) == asset)
        {
            Some(p) if state == PresenceState::Active => p.state = PresenceState::Active,
            Some(_) => {}
            None => out.push(PresenceUser {
                user_id: UserId(user),
                name,
                asset_id: asset.map(AssetId),
                state,
            }),
        }
    }
    Ok(out)
}

/// Whether `user` has a fresh socket in `project`.
pub async fn is_present(conn: &mut AsyncPgConnection, project: ProjectId, user: UserId) -> DomainResult<bool> {
    let fresh = Utc::now() - Duration::seconds(STALE_SECS);
    let n: i64 = presence::table
        .filter(presence::project_id.eq(project.0))
        .filter(presence::user_id.eq(user.0))
        .filter(presence::seen_at.gt(fresh))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

/// Deletes rows nobody refreshed (processes that died); returns the projects touched.
pub async fn purge_stale(conn: &mut AsyncPgConnection) -> DomainResult<Vec<ProjectId>> {
    let fresh = Utc::now() - Duration::seconds(STALE_SECS);
    let mut projects: Vec<Uuid> = diesel::delete(presence::table.filter(presence::seen_at.lt(fresh)))
        .returning(presence::project_id)
        .get_results(conn)
        .await?;
    projects.sort();
    projects.dedup();
    Ok(projects.into_iter().map(ProjectId).collect())
}
