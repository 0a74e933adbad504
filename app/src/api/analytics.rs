//! The analytics server function.

use crate::error::AppError;
use leptos::prelude::*;
use model::analytics::AnalyticsDto;

/// A project's analytics over the last `days` days.
#[server]
pub async fn get_analytics(project: String, days: i64) -> Result<AnalyticsDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let project = model::ids::parse_id(&project)?;
    Ok(domain::analytics::project(&mut *conn().await?, caller.id(), project, days).await?)
}
