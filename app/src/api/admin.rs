//! Instance administration.

use crate::error::AppError;
use leptos::prelude::*;
use model::dto::InstanceSettingsDto;

/// The instance settings (anyone may read whether sign-up is open).
#[server]
pub async fn instance_settings() -> Result<InstanceSettingsDto, AppError> {
    use crate::ssr::conn;
    Ok(domain::instance::settings(&mut *conn().await?).await?)
}

/// Opens or closes sign-up. Admins only.
#[server]
pub async fn set_signups_open(open: bool) -> Result<InstanceSettingsDto, AppError> {
    use crate::ssr::{caller, conn};
    domain::authz::require_admin(&caller().await?)?;
    Ok(domain::instance::set_signups_open(&mut *conn().await?, open).await?)
}

/// Background jobs, newest first, optionally in one state. Admins only.
#[server]
pub async fn list_jobs(state: Option<String>) -> Result<Vec<model::dto::JobDto>, AppError> {
    use crate::ssr::{caller, conn};
    domain::authz::require_admin(&caller().await?)?;
    let state = state.filter(|s| !s.is_empty());
    Ok(domain::jobs::queue::list(&mut *conn().await?, state.as_deref(), 200).await?)
}

/// Puts a failed or cancelled job back in the queue. Admins only.
#[server]
pub async fn retry_job(id: i64) -> Result<model::dto::JobDto, AppError> {
    use crate::ssr::{caller, conn};
    domain::authz::require_admin(&caller().await?)?;
    Ok(domain::jobs::queue::retry(&mut *conn().await?, id).await?)
}

/// Cancels a queued or running job. Admins only.
#[server]
pub async fn cancel_job(id: i64) -> Result<model::dto::JobDto, AppError> {
    use crate::ssr::{caller, conn};
    domain::authz::require_admin(&caller().await?)?;
    Ok(domain::jobs::queue::cancel(&mut *conn().await?, id).await?)
}
