//! Export renditions through the REST API: two clips (one silent) joined into an mp4-better
//! and a webm-good file by jobs, which finish with their progress at 100 and play for the
//! clips' total length in the right codecs and size with the title written in; downloads take
//! ranges; the hourly limit holds; past their retention the files are deleted and the
//! download says so.

use crate::media_files as mf;
use crate::support::{TestApp, TestResult};
use crate::uploads::upload;
use http::{Method, StatusCode};
use serde_json::{json, Value};
use std::process::Command;

/// ffprobe's view of a file: format duration and tags, streams' codecs and sizes.
fn probe(dir: &std::path::Path, name: &str, bytes: &[u8]) -> anyhow::Result<Value> {
    let path = dir.join(name);
    std::fs::write(&path, bytes)?;
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json", "-show_format", "-show_streams"])
        .arg(&path)
        .output()?;
    Ok(serde_json::from_slice(&out.stdout)?)
}

fn codec(p: &Value, kind: &str) -> (String, i64, i64) {
    let s = p["streams"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["codec_type"] == kind))
        .cloned()
        .unwrap_or_default();
    (
        s["codec_name"].as_str().unwrap_or_default().to_owned(),
        s["width"].as_i64().unwrap_or_default(),
        s["height"].as_i64().unwrap_or_default(),
    )
}

#[tokio::test]
async fn two_clips_export_joined_in_two_presets() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (viewer, _) = app.signup("vic@example.com", "Vic Viewer").await?;
    let project = app.project("Exports", &owner).await?;
    app.add_member(&owner, &project, "vic@example.com", "viewer").await?;
    let dir = tempfile::tempdir()?;
    let a = upload(
        &app,
        &owner,
        &project,
        "a.mp4",
        &std::fs::read(mf::video(dir.path(), "a.mp4", 2, "320x240", true)?)?,
        &[],
    )
    .await?;
    let b = upload(
        &app,
        &owner,
        &project,
        "b.mp4",
        &std::fs::read(mf::video(dir.path(), "b.mp4", 1, "320x240", false)?)?,
        &[],
    )
    .await?;
    let photo = upload(
        &app,
        &owner,
        &project,
        "p.jpg",
        &std::fs::read(mf::photo(dir.path(), "p.jpg", &[])?)?,
        &[],
    )
    .await?;
    app.run_jobs().await?;
    let exports = format!("/api/v1/projects/{project}/exports");

    // Refused: viewers, photos, no presets.
    let body = json!({"asset_ids": [a, b], "presets": ["mp4-better", "webm-good"], "title": "Teaser cut"});
    assert_eq!(
        app.post(&exports, body.clone(), &viewer).await?.status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .post(
            &exports,
            json!({"asset_ids": [a, photo], "presets": ["mp4-good"]}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = app
        .post(&exports, json!({"asset_ids": [a], "presets": []}), &owner)
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = app
        .post(&exports, json!({"asset_ids": [a], "presets": ["mp4-tiny"]}), &owner)
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    let r = app.post(&exports, body, &owner).await?;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let made = r.body.as_array().cloned().unwrap_or_default();
    assert_eq!(made.len(), 2);
    assert!(made.iter().all(|e| e["state"] == "queued"));
    app.run_jobs().await?;

    for e in &made {
        let id = e["id"].as_str().unwrap_or_default();
        let r = app.get(&format!("/api/v1/exports/{id}"), &owner).await?;
        assert_eq!(
            [&r.body["state"], &r.body["progress"]],
            [&json!("done"), &json!(100)],
            "{}",
            r.text
        );
        let download = app.get(&format!("/api/v1/exports/{id}/download"), &owner).await?;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.bytes.len() as i64, r.body["size"].as_i64().unwrap_or_default());
        let preset = e["preset"].as_str().unwrap_or_default();
        let p = probe(dir.path(), &format!("{preset}.out"), &download.bytes)?;
        let seconds: f64 = p["format"]["duration"].as_str().unwrap_or("0").parse()?;
        assert!(
            (seconds - 3.0).abs() < 0.15,
            "{preset}: 2 s + 1 s joined, got {seconds}"
        );
        let title = p["format"]["tags"]["title"]
            .as_str()
            .or(p["format"]["tags"]["TITLE"].as_str());
        assert_eq!(title, Some("Teaser cut"), "{preset}: {}", p["format"]);
        match preset {
            "mp4-better" => {
                assert_eq!(download.headers["content-type"], "video/mp4");
                assert_eq!(codec(&p, "video"), ("h264".into(), 1440, 1080));
                assert_eq!(codec(&p, "audio").0, "aac");
                assert!(download.headers["content-disposition"]
                    .to_str()?
                    .contains("Teaser cut mp4-better.mp4"));
            }
            "webm-good" => {
                assert_eq!(download.headers["content-type"], "video/webm");
                assert_eq!(codec(&p, "video"), ("vp9".into(), 960, 720));
                assert_eq!(codec(&p, "audio").0, "opus");
            }
            other => panic!("unexpected preset {other}"),
        }
        let r = app
            .send_with(
                Method::GET,
                &format!("/api/v1/exports/{id}/download"),
                None,
                &owner,
                &[("range", "bytes=0-9")],
            )
            .await?;
        assert_eq!(r.status, StatusCode::PARTIAL_CONTENT);
        let r = app
            .send(Method::DELETE, &format!("/api/v1/exports/{id}"), None, &owner)
            .await?;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "a finished export is not cancelled: {}",
            r.text
        );
    }
    let list = app.get(&exports, &owner).await?;
    assert_eq!(list.body.as_array().map(Vec::len), Some(2));

    // Five an hour: two made, four more is one too many; three is fine — and cancellable.
    let r = app
        .post(
            &exports,
            json!({"asset_ids": [a], "presets": ["mp4-good", "mp4-best", "av1", "mov-prores"]}),
            &owner,
        )
        .await?;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        "{}",
        r.text
    );
    let r = app
        .post(&exports, json!({"asset_ids": [b], "presets": ["mp4-good"]}), &owner)
        .await?;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let queued = r.body[0]["id"].as_str().unwrap_or_default().to_owned();
    let r = app
        .send(Method::DELETE, &format!("/api/v1/exports/{queued}"), None, &owner)
        .await?;
    assert_eq!(r.body["state"], "cancelled", "{}", r.text);
    app.run_jobs().await?;
    let r = app.get(&format!("/api/v1/exports/{queued}/download"), &owner).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);

    // Past the retention: the hourly sweep deletes the files; the download says so.
    let state = app.state.as_ref().ok_or_else(|| anyhow::anyhow!("no state"))?;
    let mut conn = domain::db::conn(&state.db).await?;
    {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        diesel::update(domain::schema::exports::table.filter(domain::schema::exports::state.eq("done")))
            .set(domain::schema::exports::expires_at.eq(chrono::Utc::now() - chrono::Duration::minutes(1)))
            .execute(&mut conn)
            .await?;
    }
    let purged = domain::exports::renditions::purge_expired(&mut conn, &state.storage).await?;
    assert_eq!(purged, 2);
    let id = made[0]["id"].as_str().unwrap_or_default();
    let r = app.get(&format!("/api/v1/exports/{id}/download"), &owner).await?;
    assert_eq!((r.status, r.code()), (StatusCode::GONE, "gone"), "{}", r.text);
    Ok(())
}
