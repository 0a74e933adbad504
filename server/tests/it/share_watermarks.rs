//! Watermarked links: the thumbnails, preview, poster and proxy a guest is served carry the
//! link's text burned in (made by jobs, kept per link), the proxy keeps every frame, no
//! filmstrip is served, taking the watermark off serves the plain files again, and a revoked
//! link's marked copies are deleted.

use crate::media_files as mf;
use crate::shares::Guest;
use crate::support::{TestApp, TestResult};
use crate::uploads::upload;
use http::{Method, StatusCode};
use serde_json::json;
use std::process::Command;

/// Mean absolute difference of two same-sized pictures over the middle third of rows.
fn middle_difference(a: &[u8], b: &[u8]) -> anyhow::Result<f64> {
    let a = image::load_from_memory(a)?.to_luma8();
    let b = image::load_from_memory(b)?.to_luma8();
    anyhow::ensure!(
        a.dimensions() == b.dimensions(),
        "{:?} vs {:?}",
        a.dimensions(),
        b.dimensions()
    );
    let (w, h) = a.dimensions();
    let (mut sum, mut n) = (0u64, 0u64);
    for y in h / 3..2 * h / 3 {
        for x in 0..w {
            sum += u64::from(a.get_pixel(x, y)[0].abs_diff(b.get_pixel(x, y)[0]));
            n += 1;
        }
    }
    Ok(sum as f64 / n.max(1) as f64)
}

/// Frames in an MP4, counted by decoding.
fn frames(dir: &std::path::Path, name: &str, bytes: &[u8]) -> anyhow::Result<u64> {
    let path = dir.join(name);
    std::fs::write(&path, bytes)?;
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=nb_read_frames",
            "-of",
            "csv=p=0",
        ])
        .arg(&path)
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
}

#[tokio::test]
async fn watermarked_links_serve_marked_copies_made_by_jobs() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let project = app.project("Rough cut", &owner).await?;
    let dir = tempfile::tempdir()?;
    let photo = upload(
        &app,
        &owner,
        &project,
        "still.jpg",
        &std::fs::read(mf::photo(dir.path(), "still.jpg", &[])?)?,
        &[],
    )
    .await?;
    let clip = mf::video(dir.path(), "clip.mp4", 2, "320x240", true)?;
    let video = upload(&app, &owner, &project, "clip.mp4", &std::fs::read(clip)?, &[]).await?;
    app.run_jobs().await?;

    let r = app
        .post(
            "/api/v1/shares",
            json!({"project_id": project, "asset_ids": [photo, video], "name": "For Ana",
                   "download": "proxy", "watermark": "  ana@client.example "}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["watermark"], "ana@client.example");
    let (id, token) = (
        r.body["id"].as_str().unwrap_or_default().to_owned(),
        r.body["token"].as_str().unwrap_or_default().to_owned(),
    );
    let mut ana = Guest {
        app: &app,
        cookie: None,
    };
    assert_eq!(ana.unlock(&token, None, "Ana").await?.status, StatusCode::OK);
    let file = |asset: &str, f: &str| format!("/api/v1/s/{token}/assets/{asset}/{f}");

    // Not made yet: a clear "not ready", never the plain picture.
    let r = ana.send(Method::GET, &file(&photo, "preview"), None).await?;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "not_ready"), "{}", r.text);

    // The jobs (warmed when the link was made) burn every picture and the proxy.
    let ran = app.run_jobs().await?;
    assert_eq!(ran, 1 + 6 + 4, "the warm-up and one job per file");
    let plain = app.get(&format!("/api/v1/assets/{photo}/preview"), &owner).await?;
    let marked = ana.send(Method::GET, &file(&photo, "preview"), None).await?;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.text);
    assert_eq!(marked.headers["content-type"], "image/jpeg");
    let diff = middle_difference(&plain.bytes, &marked.bytes)?;
    assert!(diff > 2.0, "the middle carries the mark: mean difference {diff:.2}");
    for size in [256, 512, 1024] {
        let plain = app
            .get(&format!("/api/v1/assets/{photo}/thumbnail?size={size}"), &owner)
            .await?;
        let r = ana
            .send(Method::GET, &format!("{}?size={size}", file(&photo, "thumbnail")), None)
            .await?;
        assert_eq!(r.status, StatusCode::OK, "{size}: {}", r.text);
        assert!(
            middle_difference(&plain.bytes, &r.bytes)? > 1.0,
            "thumbnail {size} is marked"
        );
    }
    let plain_poster = app.get(&format!("/api/v1/assets/{video}/poster"), &owner).await?;
    let poster = ana.send(Method::GET, &file(&video, "poster"), None).await?;
    assert_eq!(poster.status, StatusCode::OK, "{}", poster.text);
    assert!(middle_difference(&plain_poster.bytes, &poster.bytes)? > 2.0);

    // The proxy: marked, every frame kept, served in ranges and as a download.
    let plain_proxy = app.get(&format!("/api/v1/assets/{video}/proxy"), &owner).await?;
    let proxy = ana.send(Method::GET, &file(&video, "proxy"), None).await?;
    assert_eq!(proxy.status, StatusCode::OK, "{}", proxy.text);
    assert_ne!(proxy.bytes, plain_proxy.bytes);
    assert_eq!(
        frames(dir.path(), "marked.mp4", &proxy.bytes)?,
        frames(dir.path(), "plain.mp4", &plain_proxy.bytes)?
    );
    assert_eq!(frames(dir.path(), "marked.mp4", &proxy.bytes)?, 50);
    let r = app
        .send_with(
            Method::GET,
            &file(&video, "proxy"),
            None,
            &crate::support::As::Anonymous,
            &[
                ("cookie", ana.cookie.as_deref().unwrap_or_default()),
                ("range", "bytes=0-99"),
            ],
        )
        .await?;
    assert_eq!(r.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes, proxy.bytes[..100]);
    let r = ana
        .send(Method::GET, &format!("{}?download=true", file(&video, "proxy")), None)
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.bytes, proxy.bytes, "downloads are the marked copy too");

    // No filmstrip (its tiles cannot carry a mark); the waveform is data and is served.
    let r = ana.send(Method::GET, &file(&video, "filmstrip"), None).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = ana.send(Method::GET, &file(&video, "waveform"), None).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // A bad text is refused.
    let r = app
        .send(
            Method::PATCH,
            &format!("/api/v1/shares/{id}"),
            Some(json!({"watermark": "a\nb"})),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    // Revoked: the marked copies are deleted.
    let storage = &app.state.as_ref().ok_or_else(|| anyhow::anyhow!("no state"))?.storage;
    let folder = |share: &str| -> anyhow::Result<std::path::PathBuf> {
        Ok(storage.local_path(&domain::storage::ObjectKey::ShareFolder {
            share: share.parse()?,
            stamp: None,
        })?)
    };
    let files = |share: &str| -> anyhow::Result<usize> { Ok(walk(&folder(share)?)) };
    assert_eq!(
        files(&id)?,
        10,
        "the video's poster, preview, 3 thumbnails and proxy; the photo's preview and 3 thumbnails"
    );

    // A new text: the old copies go, new ones are made.
    let r = app
        .send(
            Method::PATCH,
            &format!("/api/v1/shares/{id}"),
            Some(json!({"watermark": "Ana B."})),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    app.run_jobs().await?;
    let renamed = ana.send(Method::GET, &file(&photo, "preview"), None).await?;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_ne!(renamed.bytes, marked.bytes);
    assert_eq!(files(&id)?, 10, "only the new text's copies are kept");

    // Taken off: the plain files again, and no copies kept.
    let r = app
        .send(
            Method::PATCH,
            &format!("/api/v1/shares/{id}"),
            Some(json!({"watermark": null})),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body["watermark"].is_null());
    let r = ana.send(Method::GET, &file(&photo, "preview"), None).await?;
    assert_eq!(r.bytes, plain.bytes);
    app.run_jobs().await?;
    assert_eq!(files(&id)?, 0);

    // Revoked with a watermark: its copies are deleted.
    let r = app
        .post(
            "/api/v1/shares",
            json!({"project_id": project, "asset_ids": [photo], "name": "Short", "watermark": "Bo"}),
            &owner,
        )
        .await?;
    let short = r.body["id"].as_str().unwrap_or_default().to_owned();
    app.run_jobs().await?;
    assert_eq!(files(&short)?, 4, "the photo's preview and 3 thumbnails");
    let r = app
        .send(Method::DELETE, &format!("/api/v1/shares/{short}"), None, &owner)
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    app.run_jobs().await?;
    assert_eq!(files(&short)?, 0);
    Ok(())
}

/// Files under `dir`, at any depth (0 when it is gone).
fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 })
            .sum()
    })
}
