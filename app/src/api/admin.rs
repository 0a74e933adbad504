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
    let caller = caller().await?;
    if !caller.user.is_admin {
        return Err(AppError(model::ApiError::forbidden(
            "only an instance admin can change this",
        )));
    }
    Ok(domain::instance::set_signups_open(&mut *conn().await?, open).await?)
}
