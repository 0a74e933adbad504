//! Sessions: a new one on every sign-in (a cookie brought to the login is never kept), expiry
//! enforced by the server, and no secret — passwords, session cookies, API tokens, share
//! passwords — ever written to the log, even at debug level.

use crate::faults::{free_port, Proc};
use crate::support::{session_from, As, TestApp, TestResult};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use http::StatusCode;
use serde_json::json;
use std::process::{Command, Stdio};

#[tokio::test]
async fn every_login_starts_a_new_session_and_expired_ones_are_refused() -> TestResult {
    let app = TestApp::new().await?;
    let (first, _) = app.signup("sam@example.com", "Sam").await?;
    let As::Cookie(first_cookie) = first.clone() else {
        anyhow::bail!("signup gave no cookie");
    };
    // Log in again carrying the old cookie: a different session comes back.
    let login = app
        .post(
            "/api/v1/auth/login",
            json!({"email": "sam@example.com", "password": "password123"}),
            &first,
        )
        .await?;
    assert_eq!(login.status, StatusCode::OK, "{}", login.text);
    let second = session_from(&login.headers).unwrap_or_default();
    assert!(
        !second.is_empty() && second != first_cookie,
        "the login kept the session it was given"
    );
    let set = login.headers["set-cookie"].to_str()?;
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"),
        "{set}"
    );
    assert_eq!(
        app.get("/api/v1/me", &As::Cookie(second.clone())).await?.status,
        StatusCode::OK
    );

    // A session past its expiry is refused, whatever the cookie says.
    let mut conn = AsyncPgConnection::establish(&app.db.url).await?;
    diesel::update(domain::schema::sessions::table)
        .set(domain::schema::sessions::expires_at.eq(chrono::Utc::now() - chrono::Duration::minutes(1)))
        .execute(&mut conn)
        .await?;
    for cookie in [first_cookie, second] {
        let me = app.get("/api/v1/me", &As::Cookie(cookie)).await?;
        assert_eq!((me.status, me.code()), (StatusCode::UNAUTHORIZED, "unauthenticated"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_log() -> TestResult {
    let url = domain::testing::TestDb::empty().await?;
    let data = tempfile::tempdir()?;
    let log_path = data.path().join("server.log");
    let log = std::fs::File::create(&log_path)?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let _server = Proc(
        Command::new(crate::faults::BIN)
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("DAILIES_DATA", data.path())
            .env("DAILIES_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "debug")
            .stdout(log.try_clone()?)
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()?,
    );
    let http = reqwest::Client::new();
    crate::faults::healthy(&http, &base).await?;

    let password = "Pw-never-logged-7781";
    let share_password = "share-secret-5521";
    let signup = http
        .post(format!("{base}/api/v1/auth/signup"))
        .json(&json!({"email": "quiet@example.com", "name": "Quiet", "password": password}))
        .send()
        .await?;
    let cookie = session_from(signup.headers()).unwrap_or_default();
    let wrong = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "quiet@example.com", "password": format!("{password}-wrong")}))
        .send()
        .await?;
    assert_eq!(wrong.status().as_u16(), 401);
    let token: serde_json::Value = http
        .post(format!("{base}/api/v1/tokens"))
        .header("cookie", format!("dailies_session={cookie}"))
        .header("origin", &base)
        .json(&json!({"name": "ci"}))
        .send()
        .await?
        .json()
        .await?;
    let secret = token["secret"].as_str().unwrap_or_default().to_owned();
    let project: serde_json::Value = http
        .post(format!("{base}/api/v1/projects"))
        .bearer_auth(&secret)
        .json(&json!({"name": "Quiet"}))
        .send()
        .await?
        .json()
        .await?;
    let folder: serde_json::Value = http
        .post(format!(
            "{base}/api/v1/projects/{}/folders",
            project["id"].as_str().unwrap_or_default()
        ))
        .bearer_auth(&secret)
        .json(&json!({"name": "Selects"}))
        .send()
        .await?
        .json()
        .await?;
    let share: serde_json::Value = http
        .post(format!("{base}/api/v1/shares"))
        .bearer_auth(&secret)
        .json(&json!({"project_id": project["id"], "folder_id": folder["id"], "password": share_password}))
        .send()
        .await?
        .json()
        .await?;
    let link = share["token"].as_str().unwrap_or_default().to_owned();
    for attempt in [format!("{share_password}-no"), share_password.to_owned()] {
        http.post(format!("{base}/api/v1/s/{link}/unlock"))
            .json(&json!({"name": "Guest", "password": attempt}))
            .send()
            .await?;
    }
    // A cross-site post to the link is refused, and that refusal is logged (warn).
    let refused = http
        .post(format!("{base}/api/v1/s/{link}/unlock"))
        .header("cookie", format!("dailies_session={cookie}"))
        .header("origin", "https://evil.example")
        .json(&json!({"name": "Guest", "password": share_password}))
        .send()
        .await?;
    assert_eq!(refused.status().as_u16(), 403);
    // A request the log does record (debug), carrying every secret in its headers.
    http.get(format!("{base}/api/v1/me"))
        .header("cookie", format!("dailies_session={cookie}"))
        .bearer_auth(&secret)
        .send()
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let text = std::fs::read_to_string(&log_path)?;
    assert!(text.lines().count() > 5, "the log is nearly empty:\n{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("cross-site request refused") && l.contains("/api/v1/s/{token}/unlock")),
        "the refusal is logged with its route"
    );
    for (what, s) in [
        ("the password", password),
        ("the share password", share_password),
        ("the session cookie", cookie.as_str()),
        ("the API token", secret.as_str()),
        ("the share link's token", link.as_str()),
    ] {
        assert!(!s.is_empty(), "{what} is empty");
        assert!(!text.contains(s), "{what} is in the log");
    }
    Ok(())
}
