//! The audit log: one row per change, written in the same transaction as the change, with
//! the client's address and user agent when the change comes from a request ([`with_client`])
//! and a severity derived from the action.

use crate::auth::sessions::ClientInfo;
use crate::error::DomainResult;
use crate::schema::{audit_events, projects, users};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::audit::{AuditEntryDto, AuditQuery};
use model::{ProjectId, UserId};
use std::future::Future;
use uuid::Uuid;

tokio::task_local! {
    // The request's client, for the rows its changes write. Request-scoped (set by the HTTP
    // layer around each request), so domain functions need not thread it through.
    static CLIENT: ClientInfo;
}

/// Runs `work` (a request) with `client` recorded on every audit row it writes.
pub async fn with_client<F: Future>(client: ClientInfo, work: F) -> F::Output {
    CLIENT.scope(client, work).await
}

/// How much an action matters to someone reading the trail.
pub fn severity(action: &str) -> &'static str {
    let verb = action.rsplit('.').next().unwrap_or(action);
    if verb.ends_with("failed") || verb == "throttled" {
        "warning"
    } else if matches!(
        verb,
        "delete" | "purge" | "remove" | "revoke" | "trash" | "delete_version" | "role" | "archive"
    ) {
        "notice"
    } else {
        "info"
    }
}

/// Records an account-level action (no project): log-ins, API tokens.
pub async fn record_account(
    conn: &mut AsyncPgConnection,
    actor: Option<UserId>,
    action: &str,
    target: Option<Uuid>,
    detail: serde_json::Value,
) -> DomainResult<()> {
    write(conn, None, actor.map(|a| a.0), action, target, detail).await
}

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
    write(conn, Some(project.0), actor, action, Some(target), detail).await
}

async fn write(
    conn: &mut AsyncPgConnection,
    project: Option<Uuid>,
    actor: Option<Uuid>,
    action: &str,
    target: Option<Uuid>,
    detail: serde_json::Value,
) -> DomainResult<()> {
    let client = CLIENT.try_with(Clone::clone).unwrap_or_default();
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::project_id.eq(project),
            audit_events::actor_id.eq(actor),
            audit_events::action.eq(action),
            audit_events::target_id.eq(target),
            audit_events::detail.eq(detail),
            audit_events::ip.eq(client.ip),
            audit_events::user_agent.eq(client.user_agent),
            audit_events::severity.eq(severity(action)),
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

/// One audit row, for tests.
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

type Row = (
    i64,
    chrono::DateTime<chrono::Utc>,
    Option<Uuid>,
    Option<String>,
    Option<String>,
    String,
    Option<Uuid>,
    Option<Uuid>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    serde_json::Value,
);

/// Audit rows, newest first: a project's (`project`) or the whole instance's, filtered by
/// `q`. The caller has been checked (project members, or admins for the instance).
pub async fn query(
    conn: &mut AsyncPgConnection,
    project: Option<ProjectId>,
    q: &AuditQuery,
) -> DomainResult<Vec<AuditEntryDto>> {
    let mut rows = audit_events::table
        .left_join(users::table.on(users::id.nullable().eq(audit_events::actor_id)))
        .left_join(projects::table.on(projects::id.nullable().eq(audit_events::project_id)))
        .into_boxed();
    if let Some(p) = project {
        rows = rows.filter(audit_events::project_id.eq(p.0));
    }
    if let Some(a) = q.actor {
        rows = rows.filter(audit_events::actor_id.eq(a));
    }
    if let Some(kind) = q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        rows = if kind.contains('.') {
            rows.filter(audit_events::action.eq(kind.to_owned()))
        } else {
            rows.filter(audit_events::action.like(format!("{}.%", kind.replace(['%', '_', '\\'], ""))))
        };
    }
    if let Some(s) = q.severity.as_deref().filter(|s| !s.is_empty()) {
        rows = rows.filter(audit_events::severity.eq(s.to_owned()));
    }
    if let Some(from) = q.from {
        rows = rows.filter(audit_events::created_at.ge(from.and_time(chrono::NaiveTime::MIN).and_utc()));
    }
    if let Some(to) = q.to.and_then(|d| d.succ_opt()) {
        rows = rows.filter(audit_events::created_at.lt(to.and_time(chrono::NaiveTime::MIN).and_utc()));
    }
    if let Some(before) = q.before {
        rows = rows.filter(audit_events::id.lt(before));
    }
    let found: Vec<Row> = rows
        .order(audit_events::id.desc())
        .limit(q.limit.unwrap_or(100).clamp(1, 1000))
        .select((
            audit_events::id,
            audit_events::created_at,
            audit_events::actor_id,
            users::name.nullable(),
            users::email.nullable(),
            audit_events::action,
            audit_events::target_id,
            audit_events::project_id,
            projects::name.nullable(),
            audit_events::ip,
            audit_events::user_agent,
            audit_events::severity,
            audit_events::detail,
        ))
        .load(conn)
        .await?;
    Ok(found
        .into_iter()
        .map(
            |(id, at, actor_id, name, email, action, target_id, project_id, project_name, ip, ua, severity, detail)| {
                let guest_name = detail.get("guest").and_then(|g| g.as_str()).map(str::to_owned);
                let guest = actor_id.is_none() && detail.get("share_id").is_some();
                AuditEntryDto {
                    id,
                    at,
                    actor_id,
                    actor_name: name.or(if guest { guest_name } else { None }),
                    actor_email: email,
                    guest,
                    action,
                    target_id,
                    project_id,
                    project_name,
                    ip: ip.or_else(|| detail.get("ip").and_then(|i| i.as_str()).map(str::to_owned)),
                    user_agent: ua.or_else(|| detail.get("user_agent").and_then(|i| i.as_str()).map(str::to_owned)),
                    severity,
                    detail,
                }
            },
        )
        .collect())
}

/// The columns of the CSV export.
const CSV_HEADER: [&str; 13] = [
    "id",
    "at",
    "severity",
    "actor",
    "actor_email",
    "guest",
    "action",
    "target",
    "project",
    "project_name",
    "ip",
    "user_agent",
    "detail",
];

/// `rows` as CSV lines (with the header line first when `header`), for the export.
pub fn csv(rows: &[AuditEntryDto], header: bool) -> DomainResult<Vec<u8>> {
    let fail = |e: csv::Error| crate::error::DomainError::Internal(e.to_string());
    let mut out = csv::Writer::from_writer(Vec::new());
    if header {
        out.write_record(CSV_HEADER).map_err(fail)?;
    }
    for r in rows {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let id = |v: Option<Uuid>| v.map(|v| v.to_string()).unwrap_or_default();
        out.write_record([
            r.id.to_string(),
            r.at.to_rfc3339(),
            r.severity.clone(),
            opt(&r.actor_name),
            opt(&r.actor_email),
            r.guest.to_string(),
            r.action.clone(),
            id(r.target_id),
            id(r.project_id),
            opt(&r.project_name),
            opt(&r.ip),
            opt(&r.user_agent),
            r.detail.to_string(),
        ])
        .map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| crate::error::DomainError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::severity;

    #[test]
    fn failures_warn_and_removals_are_notices() {
        assert_eq!(severity("share.unlock_failed"), "warning");
        assert_eq!(severity("auth.login_failed"), "warning");
        assert_eq!(severity("asset.purge"), "notice");
        assert_eq!(severity("member.remove"), "notice");
        assert_eq!(severity("comment.create"), "info");
    }
}
