use crate::support::{As, TestApp, TestResult};
use http::StatusCode;

#[tokio::test]
async fn healthz_answers_200_when_db_and_storage_answer() -> TestResult {
    let app = TestApp::new().await?;
    let r = app.get("/healthz", &As::Anonymous).await?;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        (r.body["database"].as_str(), r.body["storage"].as_str()),
        (Some("ok"), Some("ok"))
    );
    Ok(())
}

#[tokio::test]
async fn metrics_are_prometheus_text() -> TestResult {
    let app = TestApp::new().await?;
    app.get("/healthz", &As::Anonymous).await?;
    let r = app.get("/metrics", &As::Anonymous).await?;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text
            .contains("dailies_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"),
        "{}",
        r.text
    );
    assert!(r.text.contains("dailies_db_pool_connections"));
    Ok(())
}

#[tokio::test]
async fn openapi_lists_every_route() -> TestResult {
    let app = TestApp::new().await?;
    let doc = app.get("/api/v1/openapi.json", &As::Anonymous).await?;
    assert_eq!(doc.status, StatusCode::OK);
    let expected = [
        ("post", "/api/v1/auth/signup"),
        ("post", "/api/v1/auth/login"),
        ("post", "/api/v1/auth/logout"),
        ("get", "/api/v1/me"),
        ("post", "/api/v1/tokens"),
        ("get", "/api/v1/tokens"),
        ("delete", "/api/v1/tokens/{id}"),
        ("post", "/api/v1/projects"),
        ("get", "/api/v1/projects"),
        ("get", "/api/v1/projects/{id}"),
        ("patch", "/api/v1/projects/{id}"),
        ("delete", "/api/v1/projects/{id}"),
        ("get", "/api/v1/projects/{id}/members"),
        ("post", "/api/v1/projects/{id}/members"),
        ("patch", "/api/v1/projects/{id}/members/{user_id}"),
        ("delete", "/api/v1/projects/{id}/members/{user_id}"),
        ("get", "/api/v1/admin/settings"),
        ("put", "/api/v1/admin/settings"),
        ("get", "/api/v1/admin/jobs"),
        ("post", "/api/v1/admin/jobs/{id}/retry"),
        ("post", "/api/v1/admin/jobs/{id}/cancel"),
        ("options", "/api/v1/uploads"),
        ("post", "/api/v1/uploads"),
        ("head", "/api/v1/uploads/{id}"),
        ("patch", "/api/v1/uploads/{id}"),
        ("delete", "/api/v1/uploads/{id}"),
        ("get", "/api/v1/assets/{id}"),
        ("get", "/api/v1/projects/{id}/assets"),
        ("get", "/api/v1/assets/{id}/thumbnail"),
        ("get", "/api/v1/assets/{id}/preview"),
        ("get", "/api/v1/assets/{id}/poster"),
        ("get", "/api/v1/assets/{id}/proxy"),
        ("get", "/api/v1/assets/{id}/original"),
        ("get", "/api/v1/assets/{id}/filmstrip"),
        ("get", "/api/v1/assets/{id}/filmstrip/index"),
        ("get", "/api/v1/assets/{id}/waveform"),
        ("get", "/api/v1/projects/{id}/search"),
        ("get", "/api/v1/projects/{id}/trash"),
        ("patch", "/api/v1/assets/{id}/metadata"),
        ("put", "/api/v1/assets/{id}/current_version"),
        ("delete", "/api/v1/assets/{id}/versions/{number}"),
        ("put", "/api/v1/assets/bulk/rating"),
        ("put", "/api/v1/assets/bulk/status"),
        ("put", "/api/v1/assets/bulk/label"),
        ("put", "/api/v1/assets/bulk/metadata"),
        ("put", "/api/v1/assets/bulk/move"),
        ("post", "/api/v1/assets/bulk/delete"),
        ("post", "/api/v1/assets/bulk/restore"),
        ("post", "/api/v1/assets/bulk/purge"),
        ("get", "/api/v1/projects/{id}/collections"),
        ("post", "/api/v1/projects/{id}/collections"),
        ("get", "/api/v1/collections/{id}"),
        ("patch", "/api/v1/collections/{id}"),
        ("delete", "/api/v1/collections/{id}"),
        ("get", "/api/v1/collections/{id}/assets"),
        ("post", "/api/v1/collections/{id}/items"),
        ("delete", "/api/v1/collections/{id}/items"),
        ("get", "/api/v1/projects/{id}/fields"),
        ("post", "/api/v1/projects/{id}/fields"),
        ("patch", "/api/v1/fields/{id}"),
        ("delete", "/api/v1/fields/{id}"),
        ("get", "/api/v1/projects/{id}/folders"),
        ("post", "/api/v1/projects/{id}/folders"),
        ("patch", "/api/v1/folders/{id}"),
        ("delete", "/api/v1/folders/{id}"),
        ("get", "/api/v1/assets/{id}/comments"),
        ("post", "/api/v1/assets/{id}/comments"),
        ("patch", "/api/v1/comments/{id}"),
        ("delete", "/api/v1/comments/{id}"),
        ("post", "/api/v1/comments/{id}/resolve"),
        ("post", "/api/v1/comments/{id}/reactions"),
        ("get", "/api/v1/assets/{id}/review"),
        ("put", "/api/v1/assets/{id}/rating"),
        ("put", "/api/v1/assets/{id}/label"),
        ("put", "/api/v1/assets/{id}/status"),
        ("post", "/api/v1/assets/{id}/approvals"),
        ("get", "/api/v1/notifications"),
        ("post", "/api/v1/notifications/read"),
        ("post", "/api/v1/shares"),
        ("get", "/api/v1/projects/{id}/shares"),
        ("patch", "/api/v1/shares/{id}"),
        ("delete", "/api/v1/shares/{id}"),
        ("get", "/api/v1/s/{token}"),
        ("post", "/api/v1/s/{token}/unlock"),
        ("get", "/api/v1/s/{token}/assets"),
        ("get", "/api/v1/s/{token}/assets/{asset_id}/{file}"),
        ("get", "/api/v1/s/{token}/assets/{asset_id}/comments"),
        ("post", "/api/v1/s/{token}/assets/{asset_id}/comments"),
        ("put", "/api/v1/s/{token}/assets/{asset_id}/verdict"),
        ("get", "/api/v1/assets/{id}/comments/export"),
        ("post", "/api/v1/assets/{id}/comments/import"),
        ("get", "/api/v1/assets/{id}/sidecar.xmp"),
        ("post", "/api/v1/projects/{id}/webhooks"),
        ("post", "/api/v1/projects/{id}/transfer"),
        ("post", "/api/v1/projects/{id}/exports"),
        ("get", "/api/v1/projects/{id}/exports"),
        ("get", "/api/v1/exports/{id}"),
        ("delete", "/api/v1/exports/{id}"),
        ("get", "/api/v1/exports/{id}/download"),
        ("post", "/api/v1/projects/{id}/clone"),
        ("get", "/api/v1/projects/{id}/clones"),
        ("get", "/api/v1/clones/{id}"),
        ("get", "/api/v1/projects/{id}/analytics"),
        ("get", "/api/v1/projects/{id}/webhooks"),
        ("delete", "/api/v1/webhooks/{id}"),
        ("get", "/api/v1/webhooks/{id}/deliveries"),
        ("post", "/api/v1/projects/{id}/invitations"),
        ("get", "/api/v1/projects/{id}/invitations"),
        ("post", "/api/v1/invitations/{id}/resend"),
        ("delete", "/api/v1/invitations/{id}"),
        ("get", "/api/v1/invite/{token}"),
        ("post", "/api/v1/invite/{token}/accept"),
        ("get", "/api/v1/me/invitations"),
        ("post", "/api/v1/me/invitations/{id}/accept"),
        ("get", "/api/v1/admin/outbox"),
        ("get", "/api/v1/projects/{id}/activity"),
        ("get", "/api/v1/admin/audit"),
        ("get", "/api/v1/admin/audit.csv"),
        ("get", "/api/v1/me/notification-settings"),
        ("put", "/api/v1/me/notification-settings"),
        ("post", "/api/v1/assets/download.zip"),
        ("get", "/api/v1/ws"),
    ];
    for (method, path) in expected {
        assert!(
            doc.body["paths"][path][method].is_object(),
            "{method} {path} missing from the OpenAPI document"
        );
    }
    let listed: usize = doc.body["paths"]
        .as_object()
        .map_or(0, |p| p.values().map(|v| v.as_object().map_or(0, |m| m.len())).sum());
    assert_eq!(
        listed,
        expected.len(),
        "a route is documented but not listed in this test"
    );
    assert!(doc.body["components"]["schemas"]["ErrorBody"].is_object());
    Ok(())
}

#[tokio::test]
async fn responses_carry_security_headers() -> TestResult {
    let app = TestApp::new().await?;
    let r = app.get("/healthz", &As::Anonymous).await?;
    assert_eq!(
        r.headers.get("x-content-type-options").and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    assert!(r.headers.get("content-security-policy").is_some());
    Ok(())
}

#[tokio::test]
async fn healthz_is_503_when_storage_is_unreachable() -> TestResult {
    use domain::storage::{Storage, StorageConfig};
    let db = domain::testing::TestDb::new().await?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let config = StorageConfig::parse(
        "s3://gone/x",
        Some(format!("http://127.0.0.1:{port}")),
        None,
        Some("k".into()),
        Some("s".into()),
    )?;
    let state = domain::AppState {
        db: db.pool.clone(),
        hub: domain::live::Hub::new(db.pool.clone()),
        settings: std::sync::Arc::new(domain::settings::Settings::default()),
        storage: Storage::open(&config)?,
        tools: media::Process::new(1, 1024),
    };
    let leptos = leptos::config::get_configuration(None)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .leptos_options;
    let app = crate::support::TestApp::from_router(server::router::build(state, leptos), db);
    let r = app.get("/healthz", &As::Anonymous).await?;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.body["database"], "ok");
    assert!(
        r.body["storage"].as_str().is_some_and(|s| s.starts_with("error")),
        "{}",
        r.text
    );
    Ok(())
}
