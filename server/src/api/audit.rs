//! The audit trail: a project's activity for its members, the whole instance's for admins
//! (with a CSV export streamed page by page).

use crate::http::error::ApiResult;
use crate::http::extract::Auth;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use domain::AppState;
use futures::StreamExt;
use model::audit::{AuditEntryDto, AuditQuery};
use model::error::ErrorBody;
use model::permission::{Action, Ownership};

/// A project's activity, newest first, filtered by person, kind, dates or severity (members).
#[utoipa::path(get, path = "/api/v1/projects/{id}/activity", tag = "audit", params(("id" = String, Path, description = "Project id"), AuditQuery),
    responses((status = 200, body = [AuditEntryDto]), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn activity(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEntryDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let project = model::ids::parse_id(&id)?;
    domain::authz::authorize(&mut conn, caller.id(), project, Action::View, Ownership::NotMine).await?;
    Ok(Json(domain::audit::query(&mut conn, Some(project), &q).await?))
}

/// The instance's audit trail, newest first (admins).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = [AuditEntryDto]), (status = 403, body = ErrorBody)))]
pub async fn instance(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEntryDto>>> {
    domain::authz::require_admin(&caller)?;
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(domain::audit::query(&mut conn, None, &q).await?))
}

/// The most rows one CSV export holds.
const CSV_MAX_ROWS: usize = 200_000;
const CSV_PAGE: i64 = 1000;

/// The instance's audit trail as CSV, with the same filters (admins). Streamed a thousand rows
/// at a time, so memory stays flat however long the trail is; at most 200,000 rows.
#[utoipa::path(get, path = "/api/v1/admin/audit.csv", tag = "audit", params(AuditQuery),
    responses((status = 200, content_type = "text/csv"), (status = 403, body = ErrorBody)))]
pub async fn instance_csv(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Response> {
    domain::authz::require_admin(&caller)?;
    // The first page is read before answering, so errors still get their status.
    let mut conn = domain::db::conn(&state.db).await?;
    let mut page_q = AuditQuery {
        limit: Some(CSV_PAGE),
        ..q
    };
    let first = domain::audit::query(&mut conn, None, &page_q).await?;
    drop(conn);
    let head = domain::audit::csv(&first, true)?;
    page_q.before = first.last().map(|r| r.id);
    let more = first.len() as i64 == CSV_PAGE;
    let db = state.db.clone();
    let rest = futures::stream::unfold((page_q, more, first.len()), move |(q, more, sent)| {
        let db = db.clone();
        async move {
            if !more || sent >= CSV_MAX_ROWS {
                return None;
            }
            let page = async {
                let mut conn = domain::db::conn(&db).await?;
                domain::audit::query(&mut conn, None, &q).await
            }
            .await;
            match page {
                Ok(rows) => {
                    let next = AuditQuery {
                        before: rows.last().map(|r| r.id),
                        ..q
                    };
                    let more = rows.len() as i64 == CSV_PAGE;
                    let bytes = domain::audit::csv(&rows, false).map_err(|e| std::io::Error::other(e.to_string()));
                    Some((bytes, (next, more, sent + rows.len())))
                }
                Err(e) => {
                    tracing::warn!(error = %e.to_string(), "audit export stopped");
                    Some((Err(std::io::Error::other("the export stopped")), (q, false, sent)))
                }
            }
        }
    });
    let body = futures::stream::once(async move { Ok::<_, std::io::Error>(head) }).chain(rest);
    let name = format!("dailies-audit-{}.csv", chrono::Utc::now().format("%Y%m%d-%H%M"));
    Ok(Response::builder()
        .header(http::header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .body(Body::from_stream(body))
        .map_err(|e| {
            tracing::error!(error = %e, "audit export response");
            model::ApiError::internal()
        })?)
}
