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

/// Every e-mail Dailies wrote, newest first, optionally only those to `to`. Admins only.
#[server]
pub async fn outbox_mail(to: Option<String>) -> Result<Vec<model::dto::OutboxMailDto>, AppError> {
    use crate::ssr::{caller, conn};
    domain::authz::require_admin(&caller().await?)?;
    let to = to.filter(|t| !t.trim().is_empty());
    let mail = domain::mail::recent(&mut *conn().await?, to.as_deref().map(str::trim), 200).await?;
    Ok(mail.into_iter().map(|m| m.to_dto()).collect())
}
