//! Invitations by e-mail: an owner invites an address as commenter; the link goes to the
//! outbox (no SMTP here); the person creates an account through it (even with sign-up
//! closed) and can comment but not upload; the link works once; resent links replace the old
//! one; expired, withdrawn and wrong-account acceptances are refused with a reason; mentions
//! reach the outbox too; everything is audited.

use crate::shares::audit_count;
use crate::support::{session_from, As, TestApp, TestResult};
use crate::uploads::{create, metadata, upload};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use http::{Method, StatusCode};
use serde_json::{json, Value};

/// The token of the newest invitation e-mail to `to` in the outbox (read as the admin).
pub(crate) async fn link_for(app: &TestApp, admin: &As, to: &str) -> anyhow::Result<(String, Value)> {
    app.run_jobs().await?;
    let r = app.get(&format!("/api/v1/admin/outbox?to={to}"), admin).await?;
    anyhow::ensure!(r.status == StatusCode::OK, "{}", r.text);
    let mail = r
        .body
        .as_array()
        .and_then(|a| a.iter().find(|m| m["kind"] == "invitation"))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no invitation to {to}: {}", r.text))?;
    let body = mail["body"].as_str().unwrap_or_default();
    let token = body
        .split("/invite/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .ok_or_else(|| anyhow::anyhow!("no link in {body}"))?;
    Ok((token.to_owned(), mail))
}

#[tokio::test]
async fn an_invited_address_joins_once_with_its_role() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (bob, _) = app.signup("bob@example.com", "Bob Existing").await?;
    let project = app.project("Spring campaign", &owner).await?;
    let dir = tempfile::tempdir()?;
    let photo = crate::media_files::photo(dir.path(), "p.jpg", &[])?;
    let asset = upload(&app, &owner, &project, "p.jpg", &std::fs::read(&photo)?, &[]).await?;
    let invitations = format!("/api/v1/projects/{project}/invitations");

    // Owners invite; others may not; members are not invited again.
    let r = app
        .post(
            &invitations,
            json!({"email": "Nina@Client.example", "role": "commenter"}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(
        [&r.body["email"], &r.body["role"]],
        [&json!("nina@client.example"), &json!("commenter")]
    );
    let first = r.body["id"].clone();
    let r = app
        .post(
            &invitations,
            json!({"email": "x@client.example", "role": "viewer"}),
            &bob,
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a stranger sees no project: {}",
        r.text
    );
    let r = app
        .post(
            &invitations,
            json!({"email": "olga@example.com", "role": "viewer"}),
            &owner,
        )
        .await?;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "already_member"),
        "{}",
        r.text
    );
    let r = app
        .post(
            &invitations,
            json!({"email": "not an address", "role": "viewer"}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    // The e-mail is in the outbox, held (no SMTP), with a link the page can read.
    let (old_token, mail) = link_for(&app, &owner, "nina@client.example").await?;
    assert_eq!(mail["state"], "held");
    assert!(
        mail["subject"].as_str().unwrap_or_default().contains("Spring campaign"),
        "{mail}"
    );
    let r = app.get(&format!("/api/v1/invite/{old_token}"), &As::Anonymous).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["project_name"], "Spring campaign");
    assert_eq!(r.body["has_account"], false);
    assert_eq!(r.body["invited_by"], "Olga Owner");

    // Resending makes a new link; the old one stops working. Only hashes are stored.
    let r = app
        .post(
            &format!("/api/v1/invitations/{}/resend", first.as_str().unwrap_or_default()),
            json!({}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["sent_count"], 2);
    let (token, _) = link_for(&app, &owner, "nina@client.example").await?;
    assert_ne!(token, old_token);
    let r = app.get(&format!("/api/v1/invite/{old_token}"), &As::Anonymous).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let mut conn = AsyncPgConnection::establish(&app.db.url).await?;
    let stored: Vec<Vec<u8>> = domain::schema::invitations::table
        .select(domain::schema::invitations::token_hash)
        .load(&mut conn)
        .await?;
    assert!(stored
        .iter()
        .all(|h| h.len() == 32 && !String::from_utf8_lossy(h).contains(&token)));
    let r = app.get(&invitations, &owner).await?;
    assert_eq!(r.body.as_array().map(Vec::len), Some(1), "{}", r.text);

    // Sign-up is closed, but the invitation is the permission: Nina creates her account.
    let r = app
        .send(
            Method::PUT,
            "/api/v1/admin/settings",
            Some(json!({"signups_open": false})),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let accept = format!("/api/v1/invite/{token}/accept");
    let r = app
        .post(
            &accept,
            json!({"name": "Nina New", "password": "short"}),
            &As::Anonymous,
        )
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = app
        .post(
            &accept,
            json!({"name": "Nina New", "password": "password123"}),
            &As::Anonymous,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["project_id"], json!(project));
    let nina = As::Cookie(session_from(&r.headers).ok_or_else(|| anyhow::anyhow!("no session cookie"))?);

    // A commenter: comments, cannot upload.
    let r = app
        .post(
            &format!("/api/v1/assets/{asset}/comments"),
            json!({"body": "Looks good"}),
            &nina,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = create(&app, &nina, 10, &metadata("x.jpg", &project, &[])).await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = app.get(&format!("/api/v1/projects/{project}/members"), &owner).await?;
    let roles: Vec<(String, String)> = r
        .body
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            (
                m["email"].as_str().unwrap_or_default().into(),
                m["role"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    assert!(
        roles.contains(&("nina@client.example".into(), "commenter".into())),
        "{roles:?}"
    );

    // The link works once.
    for (method, body) in [
        (Method::GET, None),
        (Method::POST, Some(json!({"name": "Eve", "password": "password123"}))),
    ] {
        let path = if method == Method::GET {
            format!("/api/v1/invite/{token}")
        } else {
            accept.clone()
        };
        let r = app.send(method, &path, body, &As::Anonymous).await?;
        assert_eq!((r.status, r.code()), (StatusCode::GONE, "gone"), "{}", r.text);
        assert!(r.text.contains("already used"), "{}", r.text);
    }
    assert_eq!(app.get(&invitations, &owner).await?.body, json!([]));

    // An existing account accepts signed in, and only as the invited address.
    let r = app
        .post(
            &invitations,
            json!({"email": "bob@example.com", "role": "viewer"}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (bobs, _) = link_for(&app, &owner, "bob@example.com").await?;
    let r = app.get(&format!("/api/v1/invite/{bobs}"), &As::Anonymous).await?;
    assert_eq!(r.body["has_account"], true);
    let r = app
        .post(&format!("/api/v1/invite/{bobs}/accept"), json!({}), &nina)
        .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(r.text.contains("bob@example.com"), "{}", r.text);
    let r = app
        .post(
            &format!("/api/v1/invite/{bobs}/accept"),
            json!({"name": "B", "password": "password123"}),
            &As::Anonymous,
        )
        .await?;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "email_taken"),
        "{}",
        r.text
    );
    let r = app
        .post(&format!("/api/v1/invite/{bobs}/accept"), json!({}), &bob)
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        app.get(&format!("/api/v1/projects/{project}"), &bob).await?.status,
        StatusCode::OK
    );

    // Expired and withdrawn links are refused with the reason.
    let r = app
        .post(
            &invitations,
            json!({"email": "late@client.example", "role": "viewer"}),
            &owner,
        )
        .await?;
    let late_id: uuid::Uuid = r.body["id"].as_str().unwrap_or_default().parse()?;
    let (late, _) = link_for(&app, &owner, "late@client.example").await?;
    diesel::update(domain::schema::invitations::table.find(late_id))
        .set(domain::schema::invitations::expires_at.eq(chrono::Utc::now() - chrono::Duration::hours(1)))
        .execute(&mut conn)
        .await?;
    let r = app.get(&format!("/api/v1/invite/{late}"), &As::Anonymous).await?;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.text.contains("expired"), "{}", r.text);
    let listed = app.get(&invitations, &owner).await?;
    assert_eq!(listed.body[0]["expired"], true, "{}", listed.text);
    let r = app
        .post(
            &invitations,
            json!({"email": "gone@client.example", "role": "viewer"}),
            &owner,
        )
        .await?;
    let gone_id = r.body["id"].as_str().unwrap_or_default().to_owned();
    let (gone, _) = link_for(&app, &owner, "gone@client.example").await?;
    let r = app
        .send(Method::DELETE, &format!("/api/v1/invitations/{gone_id}"), None, &owner)
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.get(&format!("/api/v1/invite/{gone}"), &As::Anonymous).await?;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.text.contains("withdrawn"), "{}", r.text);

    // A mention of the new member: an in-app notification and an e-mail in the outbox.
    let r = app
        .post(
            &format!("/api/v1/assets/{asset}/comments"),
            json!({"body": "@nina can you check the sky?"}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    app.run_jobs().await?;
    let r = app.get("/api/v1/notifications", &nina).await?;
    assert_eq!(r.body.as_array().map(Vec::len), Some(1), "{}", r.text);
    let r = app.get("/api/v1/admin/outbox?to=nina@client.example", &owner).await?;
    let mention = r
        .body
        .as_array()
        .and_then(|a| a.iter().find(|m| m["kind"] == "notification"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(mention["state"], "held");
    assert!(
        mention["subject"]
            .as_str()
            .unwrap_or_default()
            .contains("Olga Owner mentioned you"),
        "{mention}"
    );
    // The outbox is the admin's.
    assert_eq!(
        app.get("/api/v1/admin/outbox", &nina).await?.status,
        StatusCode::FORBIDDEN
    );

    for (action, n) in [
        ("invitation.create", 4),
        ("invitation.resend", 1),
        ("invitation.accept", 2),
        ("invitation.revoke", 1),
        ("member.add", 2),
    ] {
        assert_eq!(audit_count(&app, action).await?, n, "{action}");
    }
    Ok(())
}

#[tokio::test]
async fn people_with_an_account_see_and_accept_invitations_in_the_app() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (bob, _) = app.signup("bob@example.com", "Bob Existing").await?;
    let (eve, _) = app.signup("eve@example.com", "Eve Elsewhere").await?;
    let project = app.project("Autumn campaign", &owner).await?;
    let r = app
        .post(
            &format!("/api/v1/projects/{project}/invitations"),
            json!({"email": "BOB@example.com", "role": "editor"}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["id"].as_str().unwrap_or_default().to_owned();

    // Bob's inbox says so, and lists the invitation to accept.
    let r = app.get("/api/v1/notifications", &bob).await?;
    let notice = r
        .body
        .as_array()
        .and_then(|a| a.iter().find(|n| n["kind"] == "invitation"))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no invitation notice: {}", r.text))?;
    assert_eq!(notice["excerpt"], "Autumn campaign — as editor");
    assert_eq!(notice["actor"]["name"], "Olga Owner");
    let r = app.get("/api/v1/me/invitations", &bob).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        [
            &r.body[0]["id"],
            &r.body[0]["project_name"],
            &r.body[0]["role"],
            &r.body[0]["invited_by"]
        ],
        [
            &json!(id),
            &json!("Autumn campaign"),
            &json!("editor"),
            &json!("Olga Owner")
        ]
    );
    // Nobody else sees it or can take it.
    assert_eq!(app.get("/api/v1/me/invitations", &eve).await?.body, json!([]));
    let accept = format!("/api/v1/me/invitations/{id}/accept");
    let r = app.post(&accept, json!({}), &eve).await?;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"), "{}", r.text);
    let r = app.post(&accept, json!({}), &As::Anonymous).await?;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);

    // Bob accepts from the app: an editor now; once only.
    let r = app.post(&accept, json!({}), &bob).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["project_id"], json!(project));
    let r = app.get(&format!("/api/v1/projects/{project}/members"), &owner).await?;
    assert!(
        r.body
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| m["email"] == "bob@example.com" && m["role"] == "editor"),
        "{}",
        r.text
    );
    let r = app.post(&accept, json!({}), &bob).await?;
    assert_eq!((r.status, r.code()), (StatusCode::GONE, "gone"), "{}", r.text);
    assert_eq!(app.get("/api/v1/me/invitations", &bob).await?.body, json!([]));
    assert_eq!(audit_count(&app, "invitation.accept").await?, 1);

    // Someone without an account gets no notice (there is nobody to tell), only the e-mail.
    let r = app
        .post(
            &format!("/api/v1/projects/{project}/invitations"),
            json!({"email": "new@example.com", "role": "viewer"}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let mut conn = AsyncPgConnection::establish(&app.db.url).await?;
    let notices: i64 = domain::schema::notifications::table
        .filter(domain::schema::notifications::kind.eq("invitation"))
        .count()
        .get_result(&mut conn)
        .await?;
    assert_eq!(notices, 1);
    Ok(())
}
