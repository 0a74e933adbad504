use crate::support::{TestApp, TestResult};
use http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn viewer_adding_a_member_gets_403_with_a_stable_code() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("owner@example.com", "Owner").await?;
    let (viewer, _) = app.signup("viewer@example.com", "Viewer").await?;
    app.signup("third@example.com", "Third").await?;
    let id = app.project("Shoot", &owner).await?;
    let added = app
        .post(
            &format!("/api/v1/projects/{id}/members"),
            json!({"email": "viewer@example.com", "role": "viewer"}),
            &owner,
        )
        .await?;
    assert_eq!(added.status, StatusCode::CREATED);
    let r = app
        .post(
            &format!("/api/v1/projects/{id}/members"),
            json!({"email": "third@example.com", "role": "viewer"}),
            &viewer,
        )
        .await?;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"));
    Ok(())
}

#[tokio::test]
async fn owner_manages_roles_and_the_last_owner_stays() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, owner_id) = app.signup("owner@example.com", "Owner").await?;
    let (ben, ben_id) = app.signup("ben@example.com", "Ben").await?;
    let id = app.project("Shoot", &owner).await?;
    app.post(
        &format!("/api/v1/projects/{id}/members"),
        json!({"email": "ben@example.com", "role": "commenter"}),
        &owner,
    )
    .await?;
    // Ben now sees the project, with his role.
    assert_eq!(
        app.get(&format!("/api/v1/projects/{id}"), &ben).await?.body["role"],
        "commenter"
    );

    let again = app
        .post(
            &format!("/api/v1/projects/{id}/members"),
            json!({"email": "ben@example.com", "role": "viewer"}),
            &owner,
        )
        .await?;
    assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "already_member"));
    let bad_role = app
        .post(
            &format!("/api/v1/projects/{id}/members"),
            json!({"email": "ben@example.com", "role": "god"}),
            &owner,
        )
        .await?;
    assert_eq!(bad_role.code(), "invalid_input");

    let last = app
        .send(
            Method::PATCH,
            &format!("/api/v1/projects/{id}/members/{owner_id}"),
            Some(json!({"role": "editor"})),
            &owner,
        )
        .await?;
    assert_eq!((last.status, last.code()), (StatusCode::CONFLICT, "last_owner"));

    let promoted = app
        .send(
            Method::PATCH,
            &format!("/api/v1/projects/{id}/members/{ben_id}"),
            Some(json!({"role": "editor"})),
            &owner,
        )
        .await?;
    assert_eq!(promoted.body["role"], "editor");
    let removed = app
        .send(
            Method::DELETE,
            &format!("/api/v1/projects/{id}/members/{ben_id}"),
            None,
            &owner,
        )
        .await?;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/api/v1/projects/{id}"), &ben).await?.status,
        StatusCode::NOT_FOUND
    );
    let members = app.get(&format!("/api/v1/projects/{id}/members"), &owner).await?;
    assert_eq!(members.body.as_array().map(Vec::len), Some(1));
    Ok(())
}

#[tokio::test]
async fn an_owner_hands_the_project_over_in_one_step() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("owner@example.com", "Owner").await?;
    let (ed, ed_id) = app.signup("ed@example.com", "Ed").await?;
    let (_, stranger_id) = app.signup("stranger@example.com", "Stranger").await?;
    let id = app.project("Handover", &owner).await?;
    app.add_member(&owner, &id, "ed@example.com", "editor").await?;
    let transfer = format!("/api/v1/projects/{id}/transfer");

    // Only owners, only to members, never to oneself.
    let r = app.post(&transfer, json!({"user_id": ed_id}), &ed).await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = app.post(&transfer, json!({"user_id": stranger_id}), &owner).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);

    let r = app.post(&transfer, json!({"user_id": ed_id}), &owner).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let role_of = |email: &str| {
        r.body
            .as_array()
            .and_then(|a| a.iter().find(|m| m["email"] == email))
            .map(|m| m["role"].clone())
            .unwrap_or_default()
    };
    assert_eq!(role_of("ed@example.com"), "owner");
    assert_eq!(role_of("owner@example.com"), "editor");
    // The old owner can no longer manage members; the new one can.
    let r = app.post(&transfer, json!({"user_id": ed_id}), &owner).await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = app
        .send(
            Method::DELETE,
            &format!("/api/v1/projects/{id}/members/{ed_id}"),
            None,
            &ed,
        )
        .await?;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "last_owner"), "{}", r.text);
    assert_eq!(crate::shares::audit_count(&app, "project.transfer").await?, 1);
    Ok(())
}
