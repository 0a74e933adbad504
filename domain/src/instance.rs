//! Instance-wide settings (one row).

use crate::error::DomainResult;
use crate::schema::instance_settings;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::dto::InstanceSettingsDto;

/// Reads the instance settings.
pub async fn settings(conn: &mut AsyncPgConnection) -> DomainResult<InstanceSettingsDto> {
    let signups_open = instance_settings::table
        .select(instance_settings::signups_open)
        .first(conn)
        .await
        .optional()?
        .unwrap_or(true);
    Ok(InstanceSettingsDto { signups_open })
}

/// Opens or closes sign-up. Callers check that the caller is an admin.
pub async fn set_signups_open(conn: &mut AsyncPgConnection, open: bool) -> DomainResult<InstanceSettingsDto> {
    diesel::update(instance_settings::table)
        .set(instance_settings::signups_open.eq(open))
        .execute(conn)
        .await?;
    settings(conn).await
}
