use crate::support::{session_from, As, TestApp, TestResult};
use http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn signup_sets_an_httponly_samesite_cookie_and_me_answers() -> TestResult {
    let app = TestApp::new().await?;
    let r = app
        .post(
            "/api/v1/auth/signup",
            json!({"email": "Ana@Example.com", "name": "Ana", "password": "password123"}),
            &As::Anonymous,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["email"], "ana@example.com");
    assert_eq!(r.body["is_admin"], true);
    let set_cookie = r
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    let cookie = session_from(&r.headers).ok_or_else(|| anyhow::anyhow!("no cookie"))?;
    let me = app.get("/api/v1/me", &As::Cookie(cookie)).await?;
    assert_eq!((me.status, me.body["name"].as_str()), (StatusCode::OK, Some("Ana")));
    Ok(())
}

#[tokio::test]
async fn bad_input_gets_400_with_a_stable_code() -> TestResult {
    let app = TestApp::new().await?;
    let r = app
        .post(
            "/api/v1/auth/signup",
            json!({"email": "nope", "name": "A", "password": "password123"}),
            &As::Anonymous,
        )
        .await?;
    assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "invalid_input"));
    let r = app
        .post("/api/v1/auth/signup", json!({"email": "a@example.com"}), &As::Anonymous)
        .await?;
    assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "invalid_input"));
    assert!(r.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    Ok(())
}

#[tokio::test]
async fn login_logout_and_wrong_password() -> TestResult {
    let app = TestApp::new().await?;
    app.signup("ana@example.com", "Ana").await?;
    let bad = app
        .post(
            "/api/v1/auth/login",
            json!({"email": "ana@example.com", "password": "wrong-one"}),
            &As::Anonymous,
        )
        .await?;
    assert_eq!(
        (bad.status, bad.code()),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );
    let ok = app
        .post(
            "/api/v1/auth/login",
            json!({"email": "ana@example.com", "password": "password123"}),
            &As::Anonymous,
        )
        .await?;
    assert_eq!(ok.status, StatusCode::OK);
    let who = As::Cookie(session_from(&ok.headers).unwrap_or_default());
    assert_eq!(
        app.send(Method::POST, "/api/v1/auth/logout", None, &who).await?.status,
        StatusCode::NO_CONTENT
    );
    let me = app.get("/api/v1/me", &who).await?;
    assert_eq!((me.status, me.code()), (StatusCode::UNAUTHORIZED, "unauthenticated"));
    Ok(())
}

#[tokio::test]
async fn api_tokens_authenticate_until_revoked() -> TestResult {
    let app = TestApp::new().await?;
    let (ana, _) = app.signup("ana@example.com", "Ana").await?;
    let created = app.post("/api/v1/tokens", json!({"name": "script"}), &ana).await?;
    assert_eq!(created.status, StatusCode::CREATED);
    let secret = created.body["secret"].as_str().unwrap_or_default().to_owned();
    let token_id = created.body["token"]["id"].as_str().unwrap_or_default().to_owned();
    let bearer = As::Bearer(secret);
    // A bearer request needs no Origin header: browsers never send one on their own.
    let me = app.send_with(Method::GET, "/api/v1/me", None, &bearer, &[]).await?;
    assert_eq!(me.body["email"], "ana@example.com");
    let p = app
        .send_with(
            Method::POST,
            "/api/v1/projects",
            Some(json!({"name": "From a script"})),
            &bearer,
            &[],
        )
        .await?;
    assert_eq!(p.status, StatusCode::CREATED);
    let listed = app.get("/api/v1/tokens", &ana).await?;
    assert_eq!(listed.body.as_array().map(Vec::len), Some(1));
    assert!(listed.body[0].get("secret").is_none());
    let revoked = app
        .send(Method::DELETE, &format!("/api/v1/tokens/{token_id}"), None, &ana)
        .await?;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/me", &bearer).await?.status, StatusCode::UNAUTHORIZED);
    Ok(())
}

#[tokio::test]
async fn admin_can_close_signups() -> TestResult {
    let app = TestApp::new().await?;
    let (admin, _) = app.signup("admin@example.com", "Admin").await?;
    let (ben, _) = app.signup("ben@example.com", "Ben").await?;
    let r = app
        .send(
            Method::PUT,
            "/api/v1/admin/settings",
            Some(json!({"signups_open": false})),
            &ben,
        )
        .await?;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"));
    let r = app
        .send(
            Method::PUT,
            "/api/v1/admin/settings",
            Some(json!({"signups_open": false})),
            &admin,
        )
        .await?;
    assert_eq!(r.body["signups_open"], false);
    let r = app
        .post(
            "/api/v1/auth/signup",
            json!({"email": "c@example.com", "name": "C", "password": "password123"}),
            &As::Anonymous,
        )
        .await?;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "signups_closed"));
    Ok(())
}

#[tokio::test]
async fn cross_site_writes_are_refused() -> TestResult {
    let app = TestApp::new().await?;
    let (ana, _) = app.signup("ana@example.com", "Ana").await?;
    let body = Some(json!({"name": "Forged"}));
    let evil = app
        .send_with(
            Method::POST,
            "/api/v1/projects",
            body.clone(),
            &ana,
            &[("origin", "https://evil.example")],
        )
        .await?;
    assert_eq!((evil.status, evil.code()), (StatusCode::FORBIDDEN, "csrf_failed"));
    let bare = app
        .send_with(Method::POST, "/api/v1/projects", body.clone(), &ana, &[])
        .await?;
    assert_eq!(bare.code(), "csrf_failed");
    let referer = app
        .send_with(
            Method::POST,
            "/api/v1/projects",
            body,
            &ana,
            &[("referer", "http://127.0.0.1:3000/projects/new")],
        )
        .await?;
    assert_eq!(referer.status, StatusCode::CREATED);
    // Server functions sit behind the same check.
    let sf = app
        .send_with(
            Method::POST,
            "/api/create_project",
            None,
            &ana,
            &[("origin", "https://evil.example")],
        )
        .await?;
    assert_eq!(sf.code(), "csrf_failed");
    Ok(())
}
