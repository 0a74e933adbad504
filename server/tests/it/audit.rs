//! The audit trail: every action of a review — sign-ups and failed log-ins, project, upload,
//! comment, rating, review link and its guest, members, tokens — with the right actor (an
//! account, or a guest through a link), the client's user agent and a severity; a project's
//! activity for its members with filters; the instance's for admins, also as CSV; rows that
//! outlive a deleted project.

use crate::shares::Guest;
use crate::support::{As, TestApp, TestResult, ORIGIN};
use crate::uploads::upload;
use http::{Method, StatusCode};
use serde_json::{json, Value};

fn actions(body: &Value) -> Vec<String> {
    body.as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_trail_names_who_did_what_and_admins_export_it() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, owner_id) = app.signup("olga@example.com", "Olga Owner").await?;
    let (vic, vic_id) = app.signup("vic@example.com", "Vic Viewer").await?;
    let (sam, _) = app.signup("sam@example.com", "Sam Stranger").await?;
    let r = app
        .post(
            "/api/v1/auth/login",
            json!({"email": "olga@example.com", "password": "not it"}),
            &As::Anonymous,
        )
        .await?;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let project = app.project("Launch film", &owner).await?;
    let members = format!("/api/v1/projects/{project}/members");
    app.post(
        &members,
        json!({"email": "vic@example.com", "role": "commenter"}),
        &owner,
    )
    .await?;
    let r = app
        .send(
            Method::PATCH,
            &format!("{members}/{vic_id}"),
            Some(json!({"role": "viewer"})),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let dir = tempfile::tempdir()?;
    let photo = crate::media_files::photo(dir.path(), "hero.jpg", &[])?;
    let asset = upload(&app, &owner, &project, "hero.jpg", &std::fs::read(&photo)?, &[]).await?;
    app.run_jobs().await?;
    // A comment from a browser that says who it is.
    let headers = [("origin", ORIGIN), ("user-agent", "AuditTest/1.0")];
    let r = app
        .send_with(
            Method::POST,
            &format!("/api/v1/assets/{asset}/comments"),
            Some(json!({"body": "Lovely light"})),
            &owner,
            &headers,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    app.send(
        Method::PUT,
        &format!("/api/v1/assets/{asset}/rating"),
        Some(json!({"rating": 4})),
        &owner,
    )
    .await?;
    let r = app
        .post(
            "/api/v1/shares",
            json!({"project_id": project, "asset_ids": [asset], "download": "none"}),
            &owner,
        )
        .await?;
    let token = r.body["token"].as_str().unwrap_or_default().to_owned();
    let mut ana = Guest {
        app: &app,
        cookie: None,
    };
    assert_eq!(ana.unlock(&token, None, "Ana").await?.status, StatusCode::OK);
    let r = ana
        .send(
            Method::POST,
            &format!("/api/v1/s/{token}/assets/{asset}/comments"),
            Some(json!({"body": "Brighter?"})),
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = app.post("/api/v1/tokens", json!({"name": "ci"}), &owner).await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // The project's activity, for any member, newest first.
    let activity = format!("/api/v1/projects/{project}/activity");
    let r = app.get(&activity, &vic).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let all = actions(&r.body);
    for expected in [
        "project.create",
        "member.add",
        "member.role",
        "asset.upload",
        "comment.create",
        "asset.rating",
        "share.create",
        "share.access",
    ] {
        assert!(all.iter().any(|a| a == expected), "{expected} missing from {all:?}");
    }
    let ids: Vec<i64> = r
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    let entries = r.body.as_array().cloned().unwrap_or_default();
    let guest = entries
        .iter()
        .find(|e| e["action"] == "comment.create" && e["guest"] == true)
        .cloned()
        .unwrap_or_default();
    assert_eq!(guest["actor_name"], "Ana");
    assert!(guest["actor_id"].is_null());
    let own = entries
        .iter()
        .find(|e| e["action"] == "comment.create" && e["guest"] == false)
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        [&own["actor_name"], &own["user_agent"]],
        [&json!("Olga Owner"), &json!("AuditTest/1.0")]
    );
    let role = entries
        .iter()
        .find(|e| e["action"] == "member.role")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        [&role["detail"]["before"], &role["detail"]["after"], &role["severity"]],
        [&json!("commenter"), &json!("viewer"), &json!("notice")]
    );
    // Filters: a kind, a person, dates.
    let r = app.get(&format!("{activity}?kind=comment"), &owner).await?;
    assert_eq!(actions(&r.body), ["comment.create", "comment.create"]);
    let r = app.get(&format!("{activity}?actor={vic_id}"), &owner).await?;
    assert_eq!(r.body, json!([]));
    let r = app
        .get(&format!("{activity}?actor={owner_id}&kind=asset"), &owner)
        .await?;
    assert_eq!(actions(&r.body), ["asset.rating", "asset.upload"]);
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).date_naive();
    let r = app.get(&format!("{activity}?from={tomorrow}"), &owner).await?;
    assert_eq!(r.body, json!([]));
    let r = app.get(&format!("{activity}?kind=comment&limit=1"), &owner).await?;
    let first = r.body[0]["id"].as_i64().unwrap_or_default();
    let r = app
        .get(&format!("{activity}?kind=comment&before={first}"), &owner)
        .await?;
    assert_eq!(r.body.as_array().map(Vec::len), Some(1), "the next page: {}", r.text);
    assert_eq!(app.get(&activity, &sam).await?.status, StatusCode::NOT_FOUND);

    // The instance's trail: admins only; account-level actions too.
    assert_eq!(
        app.get("/api/v1/admin/audit", &vic).await?.status,
        StatusCode::FORBIDDEN
    );
    let r = app.get("/api/v1/admin/audit?severity=warning", &owner).await?;
    assert_eq!(actions(&r.body), ["auth.login_failed"]);
    assert_eq!(r.body[0]["detail"]["email"], "olga@example.com");
    let r = app.get("/api/v1/admin/audit?kind=auth", &owner).await?;
    assert_eq!(actions(&r.body).iter().filter(|a| *a == "auth.signup").count(), 3);
    let r = app.get("/api/v1/admin/audit?kind=token", &owner).await?;
    assert_eq!(actions(&r.body), ["token.create"]);

    // CSV with the same rows.
    let json_rows = app.get("/api/v1/admin/audit?limit=1000", &owner).await?.body;
    let r = app.get("/api/v1/admin/audit.csv", &owner).await?;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers["content-type"].to_str()?.starts_with("text/csv"));
    assert!(r.headers["content-disposition"].to_str()?.contains("dailies-audit-"));
    let mut reader = csv::Reader::from_reader(r.bytes.as_slice());
    assert_eq!(reader.headers()?.get(6), Some("action"));
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    assert_eq!(rows.len(), json_rows.as_array().map_or(0, Vec::len));
    assert!(rows.iter().any(|r| r.get(3) == Some("Ana") && r.get(5) == Some("true")));
    assert_eq!(
        app.get("/api/v1/admin/audit.csv", &vic).await?.status,
        StatusCode::FORBIDDEN
    );

    // The pages render the same trail.
    let r = app
        .get(&format!("/projects/{project}/activity?kind=comment"), &vic)
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text.matches("data-test-id=\"audit-entry\"").count(), 2, "{}", r.text);
    assert!(r.text.contains("Ana") && r.text.contains("commented"));
    let r = app.get("/admin/audit?severity=warning", &owner).await?;
    assert_eq!(r.text.matches("data-test-id=\"audit-entry\"").count(), 1, "{}", r.text);
    assert!(r.text.contains("failed to sign in"));
    let r = app.get("/admin/audit", &vic).await?;
    assert!(!r.text.contains("data-test-id=\"audit-entry\""));

    // Deleting the project keeps its trail for admins.
    let r = app
        .send(Method::DELETE, &format!("/api/v1/projects/{project}"), None, &owner)
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = app.get("/api/v1/admin/audit?kind=project.delete", &owner).await?;
    assert_eq!(r.body[0]["detail"]["name"], "Launch film");
    assert!(r.body[0]["project_id"].is_null());
    let r = app.get("/api/v1/admin/audit?kind=comment", &owner).await?;
    assert_eq!(actions(&r.body).len(), 2);
    Ok(())
}
