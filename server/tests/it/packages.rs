//! Package exports through the REST API: the originals of a clip and two photos in one ZIP
//! (byte for byte, downloadable in ranges so a broken download resumes) and their proxies
//! and previews in another, the photos as
//! 1080 × 1080 JPEGs and as 2048 px WebP in ZIPs, and a contact sheet PDF naming each photo
//! with its stars; a clip is refused by the photo presets.

use crate::downloads::entries;
use crate::media_files as mf;
use crate::support::{TestApp, TestResult};
use crate::uploads::upload;
use http::{Method, StatusCode};
use serde_json::json;
use std::process::Command;

/// (codec, width, height) of a picture, by ffprobe.
fn picture(dir: &std::path::Path, name: &str, bytes: &[u8]) -> anyhow::Result<(String, i64, i64)> {
    let path = dir.join(name);
    std::fs::write(&path, bytes)?;
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json", "-show_streams"])
        .arg(&path)
        .output()?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let s = &v["streams"][0];
    Ok((
        s["codec_name"].as_str().unwrap_or_default().to_owned(),
        s["width"].as_i64().unwrap_or_default(),
        s["height"].as_i64().unwrap_or_default(),
    ))
}

#[tokio::test]
async fn photos_and_originals_export_as_zips_and_a_contact_sheet() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let project = app.project("Wedding", &owner).await?;
    let dir = tempfile::tempdir()?;
    let clip = std::fs::read(mf::video(dir.path(), "c.mp4", 1, "160x120", false)?)?;
    let photo = std::fs::read(mf::photo(dir.path(), "p.jpg", &[])?)?;
    let c = upload(&app, &owner, &project, "c.mp4", &clip, &[]).await?;
    let p1 = upload(&app, &owner, &project, "Bride.jpg", &photo, &[]).await?;
    let p2 = upload(&app, &owner, &project, "Groom.jpg", &photo, &[]).await?;
    app.run_jobs().await?;
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/assets/{p1}/rating"),
            Some(json!({"rating": 5})),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    let exports = format!("/api/v1/projects/{project}/exports");
    let r = app
        .post(
            &exports,
            json!({"asset_ids": [p1, c], "presets": ["jpeg-1080-square"]}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "a clip is not a photo: {}", r.text);
    assert!(r.text.contains("c.mp4"), "{}", r.text);
    let r = app
        .post(&exports, json!({"asset_ids": [p1, p2], "presets": ["jpeg-1080-square", "webp-2048", "contact-sheet"], "title": "Selects"}), &owner)
        .await?;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let mut made = r.body.as_array().cloned().unwrap_or_default();
    let r = app
        .post(
            &exports,
            json!({"asset_ids": [c, p1, p2], "presets": ["zip-original"], "title": "Originals"}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    made.extend(r.body.as_array().cloned().unwrap_or_default());
    app.run_jobs().await?;

    for e in &made {
        let id = e["id"].as_str().unwrap_or_default();
        let done = app.get(&format!("/api/v1/exports/{id}"), &owner).await?;
        assert_eq!(
            (done.body["state"].as_str(), done.body["progress"].as_i64()),
            (Some("done"), Some(100)),
            "{}",
            done.text
        );
        let file = app.get(&format!("/api/v1/exports/{id}/download"), &owner).await?;
        assert_eq!(file.status, StatusCode::OK);
        let preset = e["preset"].as_str().unwrap_or_default();
        let disposition = file.headers["content-disposition"].to_str()?.to_owned();
        match preset {
            "jpeg-1080-square" | "webp-2048" => {
                assert_eq!(file.headers["content-type"], "application/zip");
                let inside = entries(file.bytes.clone()).await?;
                let names: Vec<&str> = inside.iter().map(|(n, _)| n.as_str()).collect();
                let (ext, want) = if preset == "webp-2048" {
                    ("webp", ("webp".to_owned(), 640, 480))
                } else {
                    ("jpg", ("mjpeg".to_owned(), 1080, 1080))
                };
                assert_eq!(names, [format!("Bride.{ext}"), format!("Groom.{ext}")]);
                for (name, bytes) in &inside {
                    assert_eq!(
                        picture(dir.path(), name, bytes)?,
                        want,
                        "{preset} {name} (never enlarged past the photo for WebP)"
                    );
                }
                assert!(disposition.contains(&format!("Selects {preset}.zip")), "{disposition}");
            }
            "contact-sheet" => {
                assert_eq!(file.headers["content-type"], "application/pdf");
                let path = dir.path().join("sheet.pdf");
                std::fs::write(&path, &file.bytes)?;
                let text = String::from_utf8(Command::new("pdftotext").arg(&path).arg("-").output()?.stdout)?;
                for want in [
                    "Selects",
                    "Project: Wedding",
                    "2 photos",
                    "Bride.jpg",
                    "5 stars",
                    "Groom.jpg",
                    "No stars",
                ] {
                    assert!(text.contains(want), "the sheet lacks {want}: {text}");
                }
            }
            "zip-original" => {
                let inside = entries(file.bytes.clone()).await?;
                assert_eq!(inside.len(), 3);
                assert_eq!((inside[0].0.as_str(), &inside[0].1), ("c.mp4", &clip));
                assert_eq!((inside[1].0.as_str(), &inside[1].1), ("Bride.jpg", &photo));
                // Resuming: the rest from byte 1000 is exactly the tail of the whole.
                let tail = app
                    .send_with(
                        Method::GET,
                        &format!("/api/v1/exports/{id}/download"),
                        None,
                        &owner,
                        &[("range", "bytes=1000-")],
                    )
                    .await?;
                assert_eq!(tail.status, StatusCode::PARTIAL_CONTENT);
                assert_eq!(tail.bytes.as_slice(), &file.bytes[1000..]);
                assert_eq!(file.bytes.len() as i64, done.body["size"].as_i64().unwrap_or_default());
            }
            "zip-proxy" => {
                let inside = entries(file.bytes.clone()).await?;
                let names: Vec<&str> = inside.iter().map(|(n, _)| n.as_str()).collect();
                assert_eq!(names, ["c.mp4", "Bride.jpg", "Groom.jpg"]);
                assert_eq!(picture(dir.path(), "proxy.mp4", &inside[0].1)?.0, "h264");
                assert_eq!(
                    picture(dir.path(), "preview.jpg", &inside[1].1)?,
                    ("mjpeg".to_owned(), 640, 480)
                );
            }
            other => anyhow::bail!("unexpected preset {other}"),
        }
    }

    // Progress went to open pages as it ran: the start, steps per photo, then the finish.
    let state = app.state.as_ref().ok_or_else(|| anyhow::anyhow!("no state"))?;
    let mut conn = domain::db::conn(&state.db).await?;
    let sheet = made
        .iter()
        .find(|e| e["preset"] == "contact-sheet")
        .and_then(|e| e["id"].as_str())
        .unwrap_or_default();
    let told: Vec<serde_json::Value> = {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use domain::schema::events;
        events::table
            .filter(events::kind.eq_any(["export.progress", "export.finished"]))
            .order(events::id)
            .select(events::payload)
            .load(&mut conn)
            .await?
    };
    let steps: Vec<String> = told
        .iter()
        .filter(|p| p["export"] == sheet || p["export"]["id"] == sheet)
        .map(|p| match p["progress"].as_i64() {
            Some(n) => format!("{}:{n}", p["state"].as_str().unwrap_or_default()),
            None => "finished".to_owned(),
        })
        .collect();
    assert_eq!(steps, ["running:0", "running:47", "running:95", "finished"]);
    Ok(())
}
