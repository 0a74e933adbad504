//! `/healthz`: 200 when the database and storage answer.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

/// What the health check needs.
#[derive(Clone)]
pub struct Health {
    /// The pool to ping.
    pub db: domain::db::DbPool,
    /// The local objects directory, which must be writable.
    pub objects_dir: PathBuf,
}

/// `GET /healthz`.
pub async fn healthz(State(health): State<Health>) -> (StatusCode, Json<serde_json::Value>) {
    let db = match tokio::time::timeout(Duration::from_secs(3), domain::db::ping(&health.db)).await {
        Ok(Ok(())) => "ok".to_owned(),
        Ok(Err(e)) => format!("error: {}", e.to_api().message),
        Err(_) => "error: timed out".to_owned(),
    };
    let storage = match tokio::fs::create_dir_all(&health.objects_dir).await {
        Ok(()) => match tokio::fs::metadata(&health.objects_dir).await {
            Ok(m) if !m.permissions().readonly() => "ok".to_owned(),
            Ok(_) => "error: read-only".to_owned(),
            Err(e) => format!("error: {e}"),
        },
        Err(e) => format!("error: {e}"),
    };
    let ok = db == "ok" && storage == "ok";
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({ "status": if ok { "ok" } else { "unhealthy" }, "database": db, "storage": storage })),
    )
}
