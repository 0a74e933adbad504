//! `/healthz`: 200 when the database and the object storage answer.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::AppState;
use serde_json::json;
use std::time::Duration;

async fn within<F, E>(check: F) -> String
where
    F: std::future::Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    match tokio::time::timeout(Duration::from_secs(3), check).await {
        Ok(Ok(())) => "ok".to_owned(),
        Ok(Err(e)) => format!("error: {e}"),
        Err(_) => "error: timed out".to_owned(),
    }
}

/// `GET /healthz`.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let (db, storage) = tokio::join!(
        within(async { domain::db::ping(&state.db).await.map_err(|e| e.to_api().message) }),
        within(state.storage.check()),
    );
    let ok = db == "ok" && storage == "ok";
    if !ok {
        tracing::warn!(health.database = %db, health.storage = %storage, "unhealthy");
    }
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
