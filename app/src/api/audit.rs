//! Audit server functions: a project's activity (members) and the instance's trail (admins).

use crate::error::AppError;
use leptos::prelude::*;
use model::audit::{AuditEntryDto, AuditQuery};

/// A project's activity, newest first.
#[server]
pub async fn project_activity(project: String, query: AuditQuery) -> Result<Vec<AuditEntryDto>, AppError> {
    use crate::ssr::{caller, conn};
    use model::permission::{Action, Ownership};
    let caller = caller().await?;
    let mut conn = conn().await?;
    let project = model::ids::parse_id(&project)?;
    domain::authz::authorize(&mut conn, caller.id(), project, Action::View, Ownership::NotMine).await?;
    Ok(domain::audit::query(&mut conn, Some(project), &query).await?)
}

/// The instance's audit trail, newest first. Admins only.
#[server]
pub async fn instance_audit(query: AuditQuery) -> Result<Vec<AuditEntryDto>, AppError> {
    use crate::ssr::{caller, conn};
    domain::authz::require_admin(&caller().await?)?;
    Ok(domain::audit::query(&mut *conn().await?, None, &query).await?)
}
