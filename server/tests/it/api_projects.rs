use crate::support::{As, TestApp, TestResult};
use http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn project_lifecycle_through_rest() -> TestResult {
    let app = TestApp::new().await?;
    let (ana, _) = app.signup("ana@example.com", "Ana").await?;
    let created = app
        .post(
            "/api/v1/projects",
            json!({"name": "Spring spot", "description": "30s"}),
            &ana,
        )
        .await?;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["role"], "owner");
    let id = created.body["id"].as_str().unwrap_or_default().to_owned();

    let list = app.get("/api/v1/projects", &ana).await?;
    assert_eq!(list.body.as_array().map(Vec::len), Some(1));
    let patched = app
        .send(
            Method::PATCH,
            &format!("/api/v1/projects/{id}"),
            Some(json!({"name": "Spring spot v2", "archived": true})),
            &ana,
        )
        .await?;
    assert_eq!(
        (patched.body["name"].as_str(), patched.body["archived"].as_bool()),
        (Some("Spring spot v2"), Some(true))
    );
    let deleted = app
        .send(Method::DELETE, &format!("/api/v1/projects/{id}"), None, &ana)
        .await?;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app.get(&format!("/api/v1/projects/{id}"), &ana).await?;
    assert_eq!((gone.status, gone.code()), (StatusCode::NOT_FOUND, "not_found"));
    Ok(())
}

#[tokio::test]
async fn non_member_gets_404_for_a_foreign_project_and_for_garbage_ids() -> TestResult {
    let app = TestApp::new().await?;
    let (ana, _) = app.signup("ana@example.com", "Ana").await?;
    let (eve, _) = app.signup("eve@example.com", "Eve").await?;
    let id = app.project("Secret", &ana).await?;
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/projects/{id}"), None),
        (
            Method::PATCH,
            format!("/api/v1/projects/{id}"),
            Some(json!({"name": "x"})),
        ),
        (Method::DELETE, format!("/api/v1/projects/{id}"), None),
        (Method::GET, format!("/api/v1/projects/{id}/members"), None),
        (
            Method::POST,
            format!("/api/v1/projects/{id}/members"),
            Some(json!({"email": "eve@example.com", "role": "owner"})),
        ),
        (Method::GET, "/api/v1/projects/not-a-uuid".to_owned(), None),
    ] {
        let r = app.send(method.clone(), &path, body, &eve).await?;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{method} {path}"
        );
    }
    assert_eq!(app.get("/api/v1/projects", &eve).await?.body, json!([]));
    Ok(())
}

#[tokio::test]
async fn anonymous_requests_get_401() -> TestResult {
    let app = TestApp::new().await?;
    for path in ["/api/v1/me", "/api/v1/projects", "/api/v1/tokens"] {
        let r = app.get(path, &As::Anonymous).await?;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNAUTHORIZED, "unauthenticated"),
            "{path}"
        );
    }
    Ok(())
}
