//! Share links through the REST API: made by owners and editors only, unlocked by guests with
//! a throttled password, covering assets, a living folder or a smart collection, changed and
//! revoked (then refused with a clear reason), every step audited.

use crate::media_files as mf;
use crate::support::{As, Reply, TestApp, TestResult, ORIGIN};
use crate::uploads::upload;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use http::{Method, StatusCode};
use serde_json::{json, Value};

/// A guest's browser: the cookie it was given on unlocking, if any.
pub(crate) struct Guest<'a> {
    pub(crate) app: &'a TestApp,
    pub(crate) cookie: Option<String>,
}

impl Guest<'_> {
    pub(crate) async fn send(&self, method: Method, path: &str, body: Option<Value>) -> anyhow::Result<Reply> {
        let mut headers = vec![("origin", ORIGIN)];
        if let Some(c) = &self.cookie {
            headers.push(("cookie", c.as_str()));
        }
        self.app.send_with(method, path, body, &As::Anonymous, &headers).await
    }

    pub(crate) async fn unlock(&mut self, token: &str, password: Option<&str>, name: &str) -> anyhow::Result<Reply> {
        let r = self
            .send(
                Method::POST,
                &format!("/api/v1/s/{token}/unlock"),
                Some(json!({"password": password, "name": name, "email": "ana@client.example"})),
            )
            .await?;
        if r.status == StatusCode::OK {
            let set = r
                .headers
                .get("set-cookie")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            assert!(set.starts_with("dailies_guest_"), "{set}");
            assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
            self.cookie = set.split(';').next().map(str::to_owned);
        }
        Ok(r)
    }

    pub(crate) async fn names(&self, token: &str) -> anyhow::Result<(StatusCode, Vec<String>, Value)> {
        let r = self
            .send(Method::GET, &format!("/api/v1/s/{token}/assets"), None)
            .await?;
        let names = r.body["items"]
            .as_array()
            .map(|a| a.iter().filter_map(|i| i["name"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        Ok((r.status, names, r.body))
    }
}

pub(crate) async fn audit_count(app: &TestApp, action: &str) -> anyhow::Result<i64> {
    use domain::schema::audit_events;
    let mut conn = AsyncPgConnection::establish(&app.db.url).await?;
    Ok(audit_events::table
        .filter(audit_events::action.eq(action))
        .count()
        .get_result(&mut conn)
        .await?)
}

#[tokio::test]
async fn share_links_are_made_unlocked_scoped_changed_and_revoked() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (commenter, _) = app.signup("cleo@example.com", "Cleo Commenter").await?;
    let (stranger, _) = app.signup("sam@example.com", "Sam Stranger").await?;
    let project = app.project("Client review", &owner).await?;
    let other = app.project("Elsewhere", &stranger).await?;
    let r = app
        .post(
            &format!("/api/v1/projects/{project}/members"),
            json!({"email": "cleo@example.com", "role": "commenter"}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let dir = tempfile::tempdir()?;
    let mut ids = Vec::new();
    for i in 0..3 {
        let name = format!("still-{i}.jpg");
        let path = mf::photo(dir.path(), &name, &[])?;
        ids.push(upload(&app, &owner, &project, &name, &std::fs::read(path)?, &[]).await?);
    }
    let clip = mf::video(dir.path(), "clip.mp4", 1, "320x180", false)?;
    ids.push(upload(&app, &owner, &project, "clip.mp4", &std::fs::read(clip)?, &[]).await?);
    let foreign_path = mf::photo(dir.path(), "foreign.jpg", &[])?;
    let foreign = upload(
        &app,
        &stranger,
        &other,
        "foreign.jpg",
        &std::fs::read(foreign_path)?,
        &[],
    )
    .await?;
    app.run_jobs().await?;

    // Made by owners and editors; a commenter is refused, a stranger sees nothing.
    let make = |body: Value, who: &As| {
        let who = who.clone();
        let app = &app;
        async move { app.post("/api/v1/shares", body, &who).await }
    };
    let body =
        json!({"project_id": project, "asset_ids": [ids[0], ids[1]], "password": "correct horse", "download": "none"});
    let r = make(body.clone(), &commenter).await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = make(body.clone(), &stranger).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    // Bad requests are refused with a reason.
    for (bad, code) in [
        (
            json!({"project_id": project, "asset_ids": [ids[0]], "folder_id": ids[1]}),
            "invalid_input",
        ),
        (json!({"project_id": project}), "invalid_input"),
        (json!({"project_id": project, "asset_ids": []}), "invalid_input"),
        (
            json!({"project_id": project, "asset_ids": [ids[0]], "password": "short"}),
            "invalid_input",
        ),
        (
            json!({"project_id": project, "asset_ids": [ids[0]], "expires_at": "2020-01-01T00:00:00Z"}),
            "invalid_input",
        ),
        (
            json!({"project_id": project, "asset_ids": [ids[0], foreign]}),
            "not_found",
        ),
        (
            json!({"project_id": project, "asset_ids": [ids[0]], "download": "everything"}),
            "invalid_input",
        ),
    ] {
        let r = make(bad.clone(), &owner).await?;
        assert_eq!(r.code(), code, "{bad}: {}", r.text);
    }
    let r = make(body, &owner).await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let share_id = r.body["id"].as_str().unwrap_or_default().to_owned();
    let token = r.body["token"].as_str().unwrap_or_default().to_owned();
    assert_eq!(token.len(), 22, "128 bits, base64url");
    assert_eq!(r.body["url"], format!("/s/{token}"));
    assert_eq!(r.body["name"], "2 assets");
    assert_eq!(r.body["has_password"], true);
    assert!(r.body.get("password_hash").is_none(), "{}", r.text);

    // A guest: told a password is needed, refused the assets until unlocked.
    let mut ana = Guest {
        app: &app,
        cookie: None,
    };
    let r = ana.send(Method::GET, &format!("/api/v1/s/{token}"), None).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.body["has_password"].clone(), r.body["unlocked"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(ana.names(&token).await?.0, StatusCode::UNAUTHORIZED);
    let r = ana.unlock(&token, Some("correct horse"), "").await?;
    assert_eq!(r.code(), "invalid_input", "a name is needed: {}", r.text);
    let r = ana.unlock(&token, Some("correct horse"), "Ana").await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["guest_name"], "Ana");
    let (status, names, listing) = ana.names(&token).await?;
    assert_eq!(status, StatusCode::OK, "{listing}");
    assert_eq!(names, ["still-0.jpg", "still-1.jpg"]);
    // No project internals in what a guest sees.
    let item = &listing["items"][0];
    for internal in ["project_id", "folder_id", "uploader", "fields", "tags", "versions"] {
        assert!(item.get(internal).is_none(), "{internal} shown to a guest: {item}");
    }
    assert!(
        !listing.to_string().contains(&project),
        "the project id leaked: {listing}"
    );
    // Media through the link: what it covers, and no route to a download it does not allow.
    let media = |who: &Guest, asset: &str, file: &str| {
        let path = format!("/api/v1/s/{token}/assets/{asset}/{file}");
        let who = Guest {
            app: &app,
            cookie: who.cookie.clone(),
        };
        async move { who.send(Method::GET, &path, None).await }
    };
    let thumb_url = format!("/api/v1/s/{token}/assets/{}/thumbnail?size=512", ids[0]);
    let r = ana.send(Method::GET, &thumb_url, None).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers["content-type"], "image/jpeg");
    assert_eq!(media(&ana, &ids[1], "preview").await?.status, StatusCode::OK);
    for file in [
        "original",
        "original?version=1",
        "preview?download=true",
        "proxy?download=true",
    ] {
        let r = media(&ana, &ids[0], file).await?;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{file}: {}", r.text);
    }
    assert_eq!(media(&ana, &ids[2], "thumbnail").await?.status, StatusCode::NOT_FOUND);
    assert_eq!(media(&ana, &foreign, "thumbnail").await?.status, StatusCode::NOT_FOUND);
    assert_eq!(media(&ana, &ids[0], "secrets").await?.status, StatusCode::NOT_FOUND);
    let stranger_browser = Guest {
        app: &app,
        cookie: None,
    };
    assert_eq!(
        media(&stranger_browser, &ids[0], "thumbnail").await?.status,
        StatusCode::UNAUTHORIZED
    );

    // Wrong passwords: refused, then throttled before any hashing, even for the right one.
    let mut mallory = Guest {
        app: &app,
        cookie: None,
    };
    for _ in 0..domain::shares::guest::MAX_FAILURES_PER_IP {
        let r = mallory.unlock(&token, Some("wrong password"), "Mallory").await?;
        assert_eq!(r.code(), "invalid_credentials", "{}", r.text);
    }
    let r = mallory.unlock(&token, Some("correct horse"), "Mallory").await?;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    assert_eq!(r.code(), "rate_limited");
    assert!(mallory.cookie.is_none());

    // The members' list shows the view and the last access.
    let r = app.get(&format!("/api/v1/projects/{project}/shares"), &owner).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body[0]["views"], 1);
    assert!(r.body[0]["last_access_at"].is_string(), "{}", r.text);
    assert_eq!(r.body[0]["created_by"], "Olga Owner");
    let r = app
        .get(&format!("/api/v1/projects/{project}/shares"), &commenter)
        .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);

    // A folder link is living: what is moved in later appears.
    let folder = app
        .post(
            &format!("/api/v1/projects/{project}/folders"),
            json!({"name": "Selects"}),
            &owner,
        )
        .await?
        .body["id"]
        .clone();
    let move_in = |asset: &str| {
        let body = json!({"asset_ids": [asset], "folder_id": folder});
        let app = &app;
        let owner = owner.clone();
        async move {
            app.send(Method::PUT, "/api/v1/assets/bulk/move", Some(body), &owner)
                .await
        }
    };
    assert_eq!(move_in(&ids[2]).await?.status, StatusCode::OK);
    let r = make(
        json!({"project_id": project, "folder_id": folder, "download": "proxy"}),
        &owner,
    )
    .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["name"], "Selects");
    let folder_token = r.body["token"].as_str().unwrap_or_default().to_owned();
    let anyone = Guest {
        app: &app,
        cookie: None,
    };
    assert_eq!(anyone.names(&folder_token).await?.1, ["still-2.jpg"]);
    let folder_media = |asset: &str, file: &str| {
        let path = format!("/api/v1/s/{folder_token}/assets/{asset}/{file}");
        let app = &app;
        async move { app.get(&path, &As::Anonymous).await }
    };
    let r = folder_media(&ids[2], "preview?download=true").await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        r.headers["content-disposition"].to_str()?.starts_with("attachment"),
        "{:?}",
        r.headers
    );
    assert_eq!(folder_media(&ids[2], "original").await?.status, StatusCode::FORBIDDEN);
    assert_eq!(
        folder_media(&ids[0], "thumbnail").await?.status,
        StatusCode::NOT_FOUND,
        "not in the folder yet"
    );
    assert_eq!(move_in(&ids[0]).await?.status, StatusCode::OK);
    let mut now = anyone.names(&folder_token).await?.1;
    now.sort();
    assert_eq!(now, ["still-0.jpg", "still-2.jpg"]);

    // A smart collection's link shows what matches it when opened.
    let r = app
        .post(
            &format!("/api/v1/projects/{project}/collections"),
            json!({"name": "Videos", "kind": "smart", "filter": {"field": "media_type", "op": "eq", "value": "video"}}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = make(
        json!({"project_id": project, "collection_id": r.body["id"], "download": "original"}),
        &owner,
    )
    .await?;
    let collection_token = r.body["token"].as_str().unwrap_or_default().to_owned();
    assert_eq!(anyone.names(&collection_token).await?.1, ["clip.mp4"]);
    let r = app
        .get(
            &format!("/api/v1/s/{collection_token}/assets/{}/original", ids[3]),
            &As::Anonymous,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.bytes.len() as u64,
        std::fs::metadata(dir.path().join("clip.mp4"))?.len()
    );
    let r = app
        .get(
            &format!("/api/v1/s/{collection_token}/assets/{}/proxy", ids[3]),
            &As::Anonymous,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers["content-type"], "video/mp4");

    // Changing the password locks out those who unlocked with the old one.
    let r = app
        .send(
            Method::PATCH,
            &format!("/api/v1/shares/{share_id}"),
            Some(json!({"password": "battery staple", "download": "original", "expires_at": null})),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["download"], "original");
    assert_eq!(ana.names(&token).await?.0, StatusCode::UNAUTHORIZED);

    // Expired and revoked links say so, and serve nothing.
    {
        use domain::schema::share_links;
        let mut conn = AsyncPgConnection::establish(&app.db.url).await?;
        diesel::update(share_links::table.filter(share_links::token.eq(&folder_token)))
            .set(share_links::expires_at.eq(chrono::Utc::now() - chrono::Duration::minutes(1)))
            .execute(&mut conn)
            .await?;
    }
    let (status, _, body) = anyone.names(&folder_token).await?;
    assert_eq!(status, StatusCode::GONE);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("expired"),
        "{body}"
    );
    assert_eq!(folder_media(&ids[2], "preview").await?.status, StatusCode::GONE);
    let r = app
        .send(Method::DELETE, &format!("/api/v1/shares/{share_id}"), None, &owner)
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = ana.send(Method::GET, &format!("/api/v1/s/{token}"), None).await?;
    assert_eq!(r.status, StatusCode::GONE);
    // A media URL obtained earlier serves nothing now.
    assert_eq!(ana.send(Method::GET, &thumb_url, None).await?.status, StatusCode::GONE);
    assert!(r.text.contains("revoked"), "{}", r.text);
    let r = ana.unlock(&token, Some("battery staple"), "Ana").await?;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.text);
    let r = anyone.send(Method::GET, "/api/v1/s/not-a-token/assets", None).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.get(&format!("/api/v1/projects/{project}/shares"), &owner).await?;
    let states: Vec<&str> = r
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["state"].as_str())
        .collect();
    assert_eq!(states, ["active", "expired", "revoked"]);

    // Every step is in the audit trail.
    assert_eq!(audit_count(&app, "share.create").await?, 3);
    assert_eq!(audit_count(&app, "share.update").await?, 1);
    assert_eq!(audit_count(&app, "share.revoke").await?, 1);
    assert_eq!(audit_count(&app, "share.access").await?, 1);
    assert_eq!(
        audit_count(&app, "share.unlock_failed").await?,
        domain::shares::guest::MAX_FAILURES_PER_IP
    );
    Ok(())
}
