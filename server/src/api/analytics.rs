//! `GET /api/v1/projects/{id}/analytics`: the numbers behind the Analytics page.

use crate::http::error::ApiResult;
use crate::http::extract::Auth;
use axum::extract::{Path, Query, State};
use axum::Json;
use domain::AppState;
use model::analytics::AnalyticsDto;
use model::error::ErrorBody;
use serde::Deserialize;

/// The period.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct Period {
    /// Days back from today, 7 to 365 (30 when absent).
    pub days: Option<i64>,
}

/// A project's analytics (members): uploads and comments per day, review turnaround, open
/// comments per asset, comment density along videos' timelines, photo selection, and share
/// link use (for those who may make links).
#[utoipa::path(get, path = "/api/v1/projects/{id}/analytics", tag = "projects",
    params(("id" = String, Path, description = "Project id"), Period),
    responses((status = 200, body = AnalyticsDto), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(period): Query<Period>,
) -> ApiResult<Json<AnalyticsDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let project = model::ids::parse_id(&id)?;
    Ok(Json(
        domain::analytics::project(&mut conn, caller.id(), project, period.days.unwrap_or(30)).await?,
    ))
}
