//! Notifications of every kind reach the right people once, delivered as each chose: a
//! comment on my upload, a reply, a mention, a status change, an approval, a new version, a
//! guest's comment through my link; e-mail at once for some, the hourly digest for others,
//! nothing for kinds turned off.

use crate::shares::Guest;
use crate::support::{As, TestApp, TestResult};
use crate::uploads::upload;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use http::{Method, StatusCode};
use serde_json::{json, Value};

async fn inbox(app: &TestApp, who: &As) -> anyhow::Result<Vec<(String, String)>> {
    let r = app.get("/api/v1/notifications", who).await?;
    anyhow::ensure!(r.status == StatusCode::OK, "{}", r.text);
    Ok(r.body
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| {
            let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (s(&n["kind"]), s(&n["excerpt"]))
        })
        .collect())
}

async fn mail_to(app: &TestApp, admin: &As, to: &str) -> anyhow::Result<Vec<Value>> {
    app.run_jobs().await?;
    let r = app.get(&format!("/api/v1/admin/outbox?to={to}"), admin).await?;
    Ok(r.body.as_array().cloned().unwrap_or_default())
}

#[tokio::test]
async fn every_kind_reaches_the_right_people_as_they_chose() -> TestResult {
    let app = TestApp::new().await?;
    let (olga, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (ed, _) = app.signup("ed@example.com", "Ed Editor").await?;
    let (cleo, _) = app.signup("cleo@example.com", "Cleo Commenter").await?;
    let project = app.project("Teaser", &olga).await?;
    for (email, role) in [("ed@example.com", "editor"), ("cleo@example.com", "commenter")] {
        let r = app
            .post(
                &format!("/api/v1/projects/{project}/members"),
                json!({"email": email, "role": role}),
                &olga,
            )
            .await?;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let dir = tempfile::tempdir()?;
    let photo = std::fs::read(crate::media_files::photo(dir.path(), "frame.jpg", &[])?)?;
    let asset = upload(&app, &ed, &project, "frame.jpg", &photo, &[]).await?;
    app.run_jobs().await?;
    let comments = format!("/api/v1/assets/{asset}/comments");

    // Defaults: mentions and replies by e-mail, comments and approvals in the digest.
    let r = app.get("/api/v1/me/notification-settings", &ed).await?;
    let defaults: Vec<(String, String)> = r
        .body
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s["kind"].as_str().unwrap_or_default().into(),
                s["delivery"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    assert_eq!(defaults.len(), 8);
    assert!(defaults.contains(&("mention".into(), "email".into())));
    assert!(defaults.contains(&("invitation".into(), "in_app".into())));
    assert!(defaults.contains(&("comment".into(), "digest".into())));
    assert!(defaults.contains(&("status".into(), "in_app".into())));

    // Cleo comments on Ed's upload: Ed is told (digest: nothing mailed yet).
    let r = app.post(&comments, json!({"body": "The horizon tilts"}), &cleo).await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let cleos = r.body["id"].clone();
    assert_eq!(
        inbox(&app, &ed).await?,
        [("comment".into(), "The horizon tilts".into())]
    );
    assert!(mail_to(&app, &olga, "ed@example.com").await?.is_empty());

    // Olga replies and mentions Ed: Cleo gets a reply, Ed a mention (not also a comment),
    // both by e-mail at once; Olga nothing.
    let r = app
        .post(
            &comments,
            json!({"body": "@ed can you level it?", "parent_id": cleos}),
            &olga,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(inbox(&app, &cleo).await?.first().map(|n| n.0.as_str()), Some("reply"));
    let ed_inbox = inbox(&app, &ed).await?;
    assert_eq!(
        ed_inbox.iter().map(|n| n.0.as_str()).collect::<Vec<_>>(),
        ["mention", "comment"]
    );
    let mails = mail_to(&app, &olga, "ed@example.com").await?;
    assert_eq!(mails.len(), 1);
    assert!(mails[0]["subject"]
        .as_str()
        .unwrap_or_default()
        .contains("Olga Owner mentioned you on frame.jpg"));
    assert_eq!(mail_to(&app, &olga, "cleo@example.com").await?.len(), 1);
    assert!(inbox(&app, &olga).await?.is_empty());

    // Status and approval of Ed's upload.
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/assets/{asset}/status"),
            Some(json!({"status": "changes_requested"})),
            &olga,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .post(
            &format!("/api/v1/assets/{asset}/approvals"),
            json!({"approved": true}),
            &olga,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let kinds: Vec<String> = inbox(&app, &ed).await?.into_iter().map(|n| n.0).collect();
    assert_eq!(&kinds[..2], ["approval", "status"]);

    // Ed turns comments off: Cleo's next comment tells him nothing.
    let r = app
        .send(
            Method::PUT,
            "/api/v1/me/notification-settings",
            Some(json!([{"kind": "comment", "delivery": "off"}])),
            &ed,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r
        .body
        .as_array()
        .into_iter()
        .flatten()
        .any(|s| s["kind"] == "comment" && s["delivery"] == "off"));
    let r = app
        .send(
            Method::PUT,
            "/api/v1/me/notification-settings",
            Some(json!([{"kind": "gossip", "delivery": "off"}])),
            &ed,
        )
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let before = inbox(&app, &ed).await?.len();
    app.post(&comments, json!({"body": "Also the sky"}), &cleo).await?;
    assert_eq!(inbox(&app, &ed).await?.len(), before);

    // A new version: the people who commented are told, the uploader of it is not.
    upload(&app, &ed, &project, "frame.jpg", &photo, &[("asset_id", &asset)]).await?;
    assert_eq!(inbox(&app, &cleo).await?.first().map(|n| n.0.as_str()), Some("version"));
    assert_eq!(inbox(&app, &olga).await?.first().map(|n| n.0.as_str()), Some("version"));
    assert_eq!(inbox(&app, &ed).await?.len(), before);

    // A guest's comment through Olga's link: Olga (the link's maker) and Ed (the uploader).
    let r = app
        .post(
            "/api/v1/shares",
            json!({"project_id": project, "asset_ids": [asset], "download": "none"}),
            &olga,
        )
        .await?;
    let token = r.body["token"].as_str().unwrap_or_default().to_owned();
    let mut ana = Guest {
        app: &app,
        cookie: None,
    };
    ana.unlock(&token, None, "Ana").await?;
    let r = ana
        .send(
            Method::POST,
            &format!("/api/v1/s/{token}/assets/{asset}/comments"),
            Some(json!({"body": "Love it"})),
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(
        inbox(&app, &olga).await?[0],
        ("share_comment".into(), "Ana: Love it".into())
    );
    assert_eq!(
        inbox(&app, &ed).await?[0],
        ("share_comment".into(), "Ana: Love it".into())
    );

    // The hourly digest: one e-mail to Ed with what he chose to get that way, then nothing.
    let mut conn = AsyncPgConnection::establish(&app.db.url).await?;
    let settings = domain::settings::Settings::default();
    assert!(domain::notifications::digest::send(&mut conn, &settings).await? >= 1);
    assert_eq!(domain::notifications::digest::send(&mut conn, &settings).await?, 0);
    let digests: Vec<Value> = mail_to(&app, &olga, "ed@example.com")
        .await?
        .into_iter()
        .filter(|m| m["kind"] == "digest")
        .collect();
    assert_eq!(digests.len(), 1);
    let body = digests[0]["body"].as_str().unwrap_or_default();
    for line in [
        "Cleo Commenter commented on frame.jpg",
        "Olga Owner approved frame.jpg",
        "Ana: Love it",
    ] {
        assert!(body.contains(line), "{line} missing from the digest:\n{body}");
    }
    assert!(
        !body.contains("can you level it"),
        "the mention was mailed at once, not in the digest"
    );
    assert_eq!(digests[0]["subject"], "Dailies: 3 updates");
    Ok(())
}
