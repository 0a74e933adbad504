//! The audit log: one row per change, written in the same transaction as the change.

use crate::error::DomainResult;
use crate::schema::audit_events;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::{ProjectId, UserId};
use uuid::Uuid;

/// Records that `actor` did `action` (e.g. `comment.create`) to `target` in `project`.
pub async fn record(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    actor: UserId,
    action: &str,
    target: Uuid,
    detail: serde_json::Value,
) -> DomainResult<()> {
    insert(conn, project, Some(actor.0), action, target, detail).await
}

async fn insert(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    actor: Option<Uuid>,
    action: &str,
    target: Uuid,
    detail: serde_json::Value,
) -> DomainResult<()> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::project_id.eq(project.0),
            audit_events::actor_id.eq(actor),
            audit_events::action.eq(action),
            audit_events::target_id.eq(target),
            audit_events::detail.eq(detail),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Records that a guest of share link `share` did `action` to `target`: no account acted,
/// so the actor is empty and `detail` names the link and the guest.
pub async fn record_guest(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    share: Uuid,
    guest: &str,
    action: &str,
    target: Uuid,
    detail: serde_json::Value,
) -> DomainResult<()> {
    let mut detail = detail;
    if let Some(map) = detail.as_object_mut() {
        map.insert("share_id".into(), share.to_string().into());
        map.insert("guest".into(), guest.into());
    }
    insert(conn, project, None, action, target, detail).await
}

/// One audit row, for tests and the (coming) audit page.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    /// Sequence number.
    pub id: i64,
    /// Who.
    pub actor_id: Option<Uuid>,
    /// What.
    pub action: String,
    /// On what.
    pub target_id: Option<Uuid>,
    /// Details (old and new values).
    pub detail: serde_json::Value,
}

/// The project's audit rows about `target`, oldest first.
pub async fn for_target(conn: &mut AsyncPgConnection, target: Uuid) -> DomainResult<Vec<AuditEvent>> {
    Ok(audit_events::table
        .filter(audit_events::target_id.eq(target))
        .order(audit_events::id.asc())
        .select(AuditEvent::as_select())
        .load(conn)
        .await?)
}
