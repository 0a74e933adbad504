//! The API for integrations: read-only and expiring tokens; webhooks whose deliveries reach a
//! real HTTP receiver signed with HMAC-SHA256 (the signature checked here), are logged, are
//! retried when the receiver fails, and are managed by owners only.

use crate::support::{As, TestApp, TestResult};
use crate::uploads::upload;
use axum::body::Bytes;
use axum::extract::State;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use http::{HeaderMap, Method, StatusCode};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn read_only_and_expiring_tokens() -> TestResult {
    let app = TestApp::new().await?;
    let (ana, _) = app.signup("ana@example.com", "Ana").await?;
    let r = app
        .post(
            "/api/v1/tokens",
            json!({"name": "dashboard", "scope": "read", "expires_in_days": 30}),
            &ana,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["token"]["scope"], "read");
    assert!(r.body["token"]["expires_at"].is_string());
    let read = As::Bearer(r.body["secret"].as_str().unwrap_or_default().to_owned());
    assert_eq!(app.get("/api/v1/projects", &read).await?.status, StatusCode::OK);
    let r = app.post("/api/v1/projects", json!({"name": "Nope"}), &read).await?;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"), "{}", r.text);
    assert!(r.text.contains("can only read"));

    let r = app.post("/api/v1/tokens", json!({"name": "ci"}), &ana).await?;
    assert_eq!(r.body["token"]["scope"], "write");
    let write = As::Bearer(r.body["secret"].as_str().unwrap_or_default().to_owned());
    assert_eq!(
        app.post("/api/v1/projects", json!({"name": "Yes"}), &write)
            .await?
            .status,
        StatusCode::CREATED
    );
    let r = app
        .post("/api/v1/tokens", json!({"name": "x", "expires_in_days": 0}), &ana)
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    // Once expired, a token is no token.
    let mut conn = AsyncPgConnection::establish(&app.db.url).await?;
    diesel::update(domain::schema::api_tokens::table.filter(domain::schema::api_tokens::name.eq("dashboard")))
        .set(domain::schema::api_tokens::expires_at.eq(Some(chrono::Utc::now() - chrono::Duration::seconds(1))))
        .execute(&mut conn)
        .await?;
    assert_eq!(
        app.get("/api/v1/projects", &read).await?.status,
        StatusCode::UNAUTHORIZED
    );
    Ok(())
}

/// What the receiver got: headers and body of each request.
type Got = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A real HTTP endpoint on loopback answering `status`; returns its URL and what it got.
async fn receiver(status: StatusCode) -> anyhow::Result<(String, Got)> {
    let got: Got = Arc::default();
    let app = axum::Router::new()
        .route(
            "/hook",
            axum::routing::post(
                move |State(got): State<Got>, headers: HeaderMap, body: Bytes| async move {
                    if let Ok(mut g) = got.lock() {
                        g.push((headers, body));
                    }
                    status
                },
            ),
        )
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((format!("http://{addr}/hook"), got))
}

/// A photo uploaded by `who` into `project`, processed.
async fn processed_photo(app: &TestApp, who: &As, project: &str) -> anyhow::Result<String> {
    let dir = tempfile::tempdir()?;
    let bytes = std::fs::read(crate::media_files::photo(dir.path(), "p.jpg", &[])?)?;
    let photo = upload(app, who, project, "p.jpg", &bytes, &[]).await?;
    app.run_jobs().await?;
    Ok(photo)
}

#[tokio::test]
async fn a_receiver_gets_a_signed_comment_created() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (ed, _) = app.signup("ed@example.com", "Ed Editor").await?;
    let project = app.project("Hooks", &owner).await?;
    app.add_member(&owner, &project, "ed@example.com", "editor").await?;
    let (url, got) = receiver(StatusCode::NO_CONTENT).await?;
    let hooks = format!("/api/v1/projects/{project}/webhooks");

    // Owners only; bad URLs and events are refused.
    let r = app
        .post(&hooks, json!({"url": url, "events": ["comment.created"]}), &ed)
        .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    for bad in [
        json!({"url": "ftp://x"}),
        json!({"url": url, "events": ["comment.eaten"]}),
    ] {
        let r = app.post(&hooks, bad, &owner).await?;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    }
    let r = app
        .post(
            &hooks,
            json!({"url": url, "events": ["comment.created", "status.changed"]}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let secret = r.body["secret"].as_str().unwrap_or_default().to_owned();
    let hook = r.body["webhook"]["id"].as_str().unwrap_or_default().to_owned();
    assert!(secret.starts_with("whsec_"));
    let listed = app.get(&hooks, &owner).await?;
    assert!(!listed.text.contains(&secret), "the secret is shown once");
    // Sealed at rest: the database never holds it in clear.
    let mut conn = AsyncPgConnection::establish(&app.db.url).await?;
    let sealed: Vec<u8> = domain::schema::webhooks::table
        .select(domain::schema::webhooks::secret_sealed)
        .first(&mut conn)
        .await?;
    assert!(!sealed.windows(secret.len()).any(|w| w == secret.as_bytes()));

    // A comment: one signed delivery.
    let photo = processed_photo(&app, &ed, &project).await?;
    let r = app
        .post(
            &format!("/api/v1/assets/{photo}/comments"),
            json!({"body": "Hook me", "x": 0.5, "y": 0.5}),
            &ed,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    app.run_jobs().await?;
    let requests = got.lock().map(|g| g.clone()).unwrap_or_default();
    assert_eq!(requests.len(), 1, "only the events asked for (not asset.created/ready)");
    let (headers, body) = &requests[0];
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("dailies-event"), "comment.created");
    let timestamp: i64 = header("dailies-timestamp").parse()?;
    assert!((chrono::Utc::now().timestamp() - timestamp).abs() < 60);
    assert_eq!(
        header("dailies-signature"),
        domain::webhooks::signature(&secret, timestamp, body)
    );
    assert_ne!(
        header("dailies-signature"),
        domain::webhooks::signature("whsec_wrong", timestamp, body)
    );
    let payload: Value = serde_json::from_slice(body)?;
    assert_eq!(payload["event"], "comment.created");
    assert_eq!(payload["project_id"], json!(project));
    assert_eq!(payload["data"]["comment"]["body"], "Hook me");
    let r = app.get(&format!("/api/v1/webhooks/{hook}/deliveries"), &owner).await?;
    assert_eq!(r.body[0]["state"], "delivered", "{}", r.text);
    assert_eq!(r.body[0]["response_status"], 204);
    assert_eq!(header("dailies-delivery"), r.body[0]["id"].to_string());

    // A failing receiver: logged, left pending for a retry.
    let (bad_url, bad_got) = receiver(StatusCode::INTERNAL_SERVER_ERROR).await?;
    let r = app
        .post(&hooks, json!({"url": bad_url, "events": ["status.changed"]}), &owner)
        .await?;
    let bad_hook = r.body["webhook"]["id"].as_str().unwrap_or_default().to_owned();
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/assets/{photo}/status"),
            Some(json!({"status": "approved"})),
            &ed,
        )
        .await?;
    assert!(r.status.is_success(), "{}", r.text);
    app.run_jobs().await?;
    assert_eq!(bad_got.lock().map(|g| g.len()).unwrap_or_default(), 1);
    let r = app
        .get(&format!("/api/v1/webhooks/{bad_hook}/deliveries"), &owner)
        .await?;
    assert_eq!(
        [
            &r.body[0]["state"],
            &r.body[0]["attempts"],
            &r.body[0]["response_status"]
        ],
        [&json!("pending"), &json!(1), &json!(500)],
        "{}",
        r.text
    );
    assert!(r.body[0]["error"].as_str().unwrap_or_default().contains("500"));
    // The good one got the status change too.
    assert_eq!(got.lock().map(|g| g.len()).unwrap_or_default(), 2);

    // Removed: no more deliveries.
    let r = app
        .send(Method::DELETE, &format!("/api/v1/webhooks/{hook}"), None, &owner)
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    app.post(
        &format!("/api/v1/assets/{photo}/comments"),
        json!({"body": "No hook", "x": 0.2, "y": 0.2}),
        &ed,
    )
    .await?;
    app.run_jobs().await?;
    assert_eq!(got.lock().map(|g| g.len()).unwrap_or_default(), 2);
    Ok(())
}

/// By default webhooks call public addresses only: loopback, private and metadata addresses
/// are refused when the webhook is added, and again when a delivery finds its name now
/// points at one (the receiver is never called).
#[tokio::test]
async fn webhooks_do_not_call_private_addresses() -> TestResult {
    let objects = tempfile::tempdir()?;
    let storage = domain::storage::StorageConfig::Local(objects.path().to_path_buf());
    let app = TestApp::with_storage(&storage, domain::settings::Settings::default()).await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let project = app.project("Hooks", &owner).await?;
    let hooks = format!("/api/v1/projects/{project}/webhooks");
    let (url, got) = receiver(StatusCode::NO_CONTENT).await?;
    for (bad, kind) in [
        (url.clone(), "loopback"),
        (url.replace("127.0.0.1", "localhost"), "loopback"),
        ("http://169.254.169.254/latest/meta-data/".to_owned(), "link-local"),
        ("http://10.0.0.7:8080/hook".to_owned(), "private"),
        ("http://[::ffff:7f00:1]:9/hook".to_owned(), "loopback"),
    ] {
        let r = app.post(&hooks, json!({"url": bad}), &owner).await?;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::BAD_REQUEST, "invalid_input"),
            "{bad}: {}",
            r.text
        );
        let message = r.body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(kind) && message.contains("DAILIES_WEBHOOK_HOSTS"),
            "{bad}: {message}"
        );
    }

    // A name that does not resolve yet is accepted; here it then "resolves" to loopback.
    let r = app
        .post(
            &hooks,
            json!({"url": "http://hooks.invalid/hook", "events": ["status.changed"]}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let hook = r.body["webhook"]["id"].as_str().unwrap_or_default().to_owned();
    let mut conn = AsyncPgConnection::establish(&app.db.url).await?;
    diesel::update(domain::schema::webhooks::table)
        .set(domain::schema::webhooks::url.eq(&url))
        .execute(&mut conn)
        .await?;
    let photo = processed_photo(&app, &owner, &project).await?;
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/assets/{photo}/status"),
            Some(json!({"status": "approved"})),
            &owner,
        )
        .await?;
    assert!(r.status.is_success(), "{}", r.text);
    app.run_jobs().await?;
    assert_eq!(got.lock().map(|g| g.len()).unwrap_or_default(), 0, "never called");
    let r = app.get(&format!("/api/v1/webhooks/{hook}/deliveries"), &owner).await?;
    assert_eq!(r.body[0]["state"], "failed", "refused at once, not retried: {}", r.text);
    let error = r.body[0]["error"].as_str().unwrap_or_default();
    assert!(error.starts_with("refused:") && error.contains("loopback"), "{error}");
    Ok(())
}
