//! Processing, end to end through the API: photos (orientation, GPS kept in the database and
//! stripped from derivatives, HEIC, AVIF, alpha), video (poster, filmstrip, proxy, waveform),
//! audio, and hostile files — on local storage and on a real S3 server.

use crate::media_files as mf;
use crate::support::{As, TestApp, TestResult};
use crate::uploads::upload;
use domain::settings::Settings;
use http::StatusCode;
use serde_json::Value;
use std::process::Command;

async fn asset(app: &TestApp, who: &As, id: &str) -> anyhow::Result<Value> {
    let r = app.get(&format!("/api/v1/assets/{id}"), who).await?;
    anyhow::ensure!(r.status == StatusCode::OK, "{}", r.text);
    Ok(r.body)
}

fn jpeg_size(bytes: &[u8]) -> anyhow::Result<(u32, u32)> {
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)?;
    Ok((img.width(), img.height()))
}

fn ffprobe(path: &std::path::Path, args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new("ffprobe")
        .args(["-v", "error"])
        .args(args)
        .arg(path)
        .output()?;
    anyhow::ensure!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

async fn suite(app: TestApp) -> TestResult {
    let (owner, _) = app.signup("owner@example.com", "Owner").await?;
    let project = app.project("Shoot", &owner).await?;
    let dir = tempfile::tempdir()?;
    let d = dir.path();

    let rotated = mf::photo(
        d,
        "rotated.jpg",
        &[
            "-Orientation#=6",
            "-Make=Dailies Camera",
            "-Model=DX-1",
            "-ISO=400",
            "-FNumber=2.8",
            "-ExposureTime=0.004",
            "-FocalLength=35",
            "-DateTimeOriginal=2026:11:01 09:30:00",
            "-GPSLatitude=48.8584",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=2.2945",
            "-GPSLongitudeRef=E",
            "-Copyright=Dailies tests",
        ],
    )?;
    let files: Vec<(&str, std::path::PathBuf)> = vec![
        ("rotated.jpg", rotated),
        ("alpha.png", mf::fixture("basn6a08.png")),
        ("phone.heic", mf::heic(d, "phone.heic")?),
        ("still.avif", mf::media_fixture("exif.avif")),
        ("clip.mp4", mf::video(d, "clip.mp4", 3, "320x240", true)?),
        ("tone.wav", mf::wav(d, "tone.wav", 2)?),
        ("text.png", mf::media_fixture("text-only.png")),
        ("raw-header.raf", mf::media_fixture("fujifilm_x_t1_01.raf.meta")),
        ("photo.mov", mf::media_fixture("text-only.png")),
    ];
    let mut ids = std::collections::HashMap::new();
    for (name, path) in &files {
        let mut bytes = std::fs::read(path)?;
        if *name == "text.png" {
            bytes.truncate(60);
        }
        ids.insert(*name, upload(&app, &owner, &project, name, &bytes, &[]).await?);
    }
    // A JPEG cut after its headers: hostile input must fail with a reason, not crash anything.
    // (One cut a third of the way in decodes partially, as in browsers, and is ready.)
    let whole = std::fs::read(d.join("rotated.jpg"))?;
    ids.insert(
        "truncated.jpg",
        upload(&app, &owner, &project, "truncated.jpg", &whole[..200], &[]).await?,
    );
    ids.insert(
        "partial.jpg",
        upload(&app, &owner, &project, "partial.jpg", &whole[..whole.len() / 3], &[]).await?,
    );
    let ran = app.run_jobs().await?;
    assert!(ran >= ids.len(), "{ran} jobs ran for {} uploads", ids.len());

    // The rotated photo: displayed dimensions, metadata as written, GPS only in the database.
    let a = asset(&app, &owner, &ids["rotated.jpg"]).await?;
    assert_eq!(a["status"], "ready", "{a}");
    assert_eq!(a["media_type"], "image");
    let m = &a["metadata"];
    assert_eq!(
        (m["width"].as_u64(), m["height"].as_u64()),
        (Some(480), Some(640)),
        "{m}"
    );
    assert_eq!(m["camera_make"], "Dailies Camera");
    assert_eq!(m["camera_model"], "DX-1");
    assert_eq!(m["iso"], 400);
    assert_eq!(m["aperture"], 2.8);
    assert_eq!(m["shutter_speed"], 0.004);
    assert_eq!(m["focal_length_mm"], 35.0);
    assert_eq!(m["orientation"], 6);
    assert_eq!(m["copyright"], "Dailies tests");
    assert!(
        m["captured_at"]
            .as_str()
            .is_some_and(|s| s.starts_with("2026-11-01T09:30:00")),
        "{m}"
    );
    assert!(
        (m["gps_latitude"].as_f64().unwrap_or(0.0) - 48.8584).abs() < 1e-4,
        "{m}"
    );
    assert!(
        (m["gps_longitude"].as_f64().unwrap_or(0.0) - 2.2945).abs() < 1e-4,
        "{m}"
    );
    for size in [256u32, 512, 1024] {
        let r = app
            .get(
                &format!("/api/v1/assets/{}/thumbnail?size={size}", ids["rotated.jpg"]),
                &owner,
            )
            .await?;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers["content-type"], "image/jpeg");
        let (w, h) = jpeg_size(&r.bytes)?;
        // Upright (portrait) and never upscaled past the 640 px original.
        assert_eq!((w, h), if size < 640 { (size * 3 / 4, size) } else { (480, 640) });
        assert!(
            !r.bytes.windows(6).any(|w| w == b"Exif\0\0"),
            "no EXIF (and so no GPS) in derivatives"
        );
    }
    let r = app
        .get(
            &format!("/api/v1/assets/{}/thumbnail?size=300", ids["rotated.jpg"]),
            &owner,
        )
        .await?;
    assert_eq!((r.status.as_u16(), r.code()), (400, "invalid_input"));
    let r = app
        .get(&format!("/api/v1/assets/{}/preview", ids["rotated.jpg"]), &owner)
        .await?;
    assert_eq!(jpeg_size(&r.bytes)?, (480, 640));
    let r = app
        .get(&format!("/api/v1/assets/{}/original", ids["rotated.jpg"]), &owner)
        .await?;
    assert_eq!(r.bytes, whole);
    assert!(r.headers["content-disposition"].to_str()?.contains("rotated.jpg"));

    for name in ["alpha.png", "phone.heic", "still.avif", "partial.jpg"] {
        let a = asset(&app, &owner, &ids[name]).await?;
        assert_eq!(a["status"], "ready", "{name}: {a}");
        let r = app
            .get(&format!("/api/v1/assets/{}/thumbnail", ids[name]), &owner)
            .await?;
        assert_eq!(r.status, StatusCode::OK, "{name}");
        jpeg_size(&r.bytes)?;
    }
    assert_eq!(asset(&app, &owner, &ids["phone.heic"]).await?["metadata"]["width"], 640);

    // Video: probe, poster-based thumbnails, filmstrip, proxy, waveform.
    let clip = &ids["clip.mp4"];
    let a = asset(&app, &owner, clip).await?;
    assert_eq!(
        (a["status"].as_str(), a["media_type"].as_str()),
        (Some("ready"), Some("video")),
        "{a}"
    );
    let m = &a["metadata"];
    assert_eq!(m["frame_rate"], "25/1");
    assert_eq!(m["frame_count"], 75);
    assert_eq!((m["width"].as_u64(), m["height"].as_u64()), (Some(320), Some(240)));
    assert_eq!(m["video_codec"], "h264");
    assert_eq!(m["audio_codec"], "aac");
    assert!((m["duration_seconds"].as_f64().unwrap_or(0.0) - 3.0).abs() < 0.1, "{m}");
    let r = app
        .get(&format!("/api/v1/assets/{clip}/thumbnail?size=256"), &owner)
        .await?;
    assert_eq!(jpeg_size(&r.bytes)?, (256, 192));
    let idx = app
        .get(&format!("/api/v1/assets/{clip}/filmstrip/index"), &owner)
        .await?;
    assert_eq!(idx.body["count"], 3, "{}", idx.text);
    assert_eq!(idx.body["timestamps"], serde_json::json!([0.0, 1.0, 2.0]));
    let sprite = app.get(&format!("/api/v1/assets/{clip}/filmstrip"), &owner).await?;
    assert_eq!(jpeg_size(&sprite.bytes)?, (3 * 160, 120));
    let proxy = app.get(&format!("/api/v1/assets/{clip}/proxy"), &owner).await?;
    assert_eq!(proxy.headers["content-type"], "video/mp4");
    let proxy_path = d.join("proxy.mp4");
    std::fs::write(&proxy_path, &proxy.bytes)?;
    assert_eq!(
        ffprobe(
            &proxy_path,
            &[
                "-select_streams",
                "v:0",
                "-count_frames",
                "-show_entries",
                "stream=codec_name,r_frame_rate,nb_read_frames",
                "-of",
                "csv=p=0"
            ]
        )?,
        "h264,25/1,75"
    );
    let first_pts = ffprobe(
        &proxy_path,
        &[
            "-select_streams",
            "v:0",
            "-show_entries",
            "frame=pts_time",
            "-read_intervals",
            "%+#1",
            "-of",
            "csv=p=0",
        ],
    )?;
    assert_eq!(
        first_pts.split(',').next().unwrap_or_default().parse::<f64>()?,
        0.0,
        "proxy frame 0 is source frame 0: {first_pts}"
    );
    let keyframes = ffprobe(
        &proxy_path,
        &[
            "-select_streams",
            "v:0",
            "-skip_frame",
            "nokey",
            "-show_entries",
            "frame=pts_time",
            "-of",
            "csv=p=0",
        ],
    )?;
    let keys: Vec<f64> = keyframes
        .lines()
        .filter_map(|l| l.split(',').next()?.trim().parse().ok())
        .collect();
    assert_eq!(keys, vec![0.0, 1.0, 2.0], "one-second GOPs");
    let moov = proxy.bytes.windows(4).position(|w| w == b"moov");
    let mdat = proxy.bytes.windows(4).position(|w| w == b"mdat");
    assert!(moov < mdat, "+faststart puts moov first");
    // Range requests on the proxy.
    let r = app
        .send_with(
            http::Method::GET,
            &format!("/api/v1/assets/{clip}/proxy"),
            None,
            &owner,
            &[("range", "bytes=100-199")],
        )
        .await?;
    assert_eq!(r.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes, proxy.bytes[100..200]);
    assert_eq!(
        r.headers["content-range"],
        format!("bytes 100-199/{}", proxy.bytes.len())
    );
    let r = app
        .send_with(
            http::Method::GET,
            &format!("/api/v1/assets/{clip}/proxy"),
            None,
            &owner,
            &[("range", "bytes=999999999-")],
        )
        .await?;
    assert_eq!((r.status.as_u16(), r.code()), (416, "range_not_satisfiable"));
    let w = app.get(&format!("/api/v1/assets/{clip}/waveform"), &owner).await?;
    assert_eq!(
        (
            w.body["version"].as_u64(),
            w.body["channels"].as_u64(),
            w.body["bits"].as_u64()
        ),
        (Some(2), Some(1), Some(8))
    );
    let len = w.body["length"].as_u64().unwrap_or(0);
    assert!(len > 100, "{}", w.text);
    assert_eq!(w.body["data"].as_array().map(Vec::len), Some(2 * len as usize));

    // Audio only: a waveform, no pictures.
    let a = asset(&app, &owner, &ids["tone.wav"]).await?;
    assert_eq!(
        (a["status"].as_str(), a["media_type"].as_str()),
        (Some("ready"), Some("audio")),
        "{a}"
    );
    assert_eq!(a["metadata"]["audio_codec"], "pcm_s16le");
    assert_eq!(
        app.get(&format!("/api/v1/assets/{}/waveform", ids["tone.wav"]), &owner)
            .await?
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/api/v1/assets/{}/thumbnail", ids["tone.wav"]), &owner)
            .await?
            .status,
        StatusCode::NOT_FOUND
    );

    // Hostile and unsupported files end failed, with a reason people can read.
    for name in ["truncated.jpg", "text.png", "raw-header.raf", "photo.mov"] {
        let a = asset(&app, &owner, &ids[name]).await?;
        assert_eq!(a["status"], "failed", "{name}: {a}");
        let reason = a["versions"][0]["error"].as_str().unwrap_or_default();
        assert!(reason.len() > 10, "{name}: {reason:?}");
        let r = app
            .get(&format!("/api/v1/assets/{}/thumbnail", ids[name]), &owner)
            .await?;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.text.contains("processing failed"), "{}", r.text);
    }
    // A name means nothing: a PNG called .mov is judged by its content.
    assert_eq!(asset(&app, &owner, &ids["photo.mov"]).await?["media_type"], "image");

    // The project list: paging and filters.
    let page = app
        .get(&format!("/api/v1/projects/{project}/assets?limit=4"), &owner)
        .await?;
    assert_eq!(page.body["total"], ids.len());
    assert_eq!(page.body["items"].as_array().map(Vec::len), Some(4));
    let videos = app
        .get(&format!("/api/v1/projects/{project}/assets?media_type=video"), &owner)
        .await?;
    assert_eq!(videos.body["total"], 1);
    let failed = app
        .get(&format!("/api/v1/projects/{project}/assets?status=failed"), &owner)
        .await?;
    assert_eq!(failed.body["total"], 4, "{}", failed.text);
    let bad = app
        .get(&format!("/api/v1/projects/{project}/assets?status=nonsense"), &owner)
        .await?;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    Ok(())
}

#[tokio::test]
async fn media_is_processed_on_local_storage() -> TestResult {
    suite(TestApp::new().await?).await
}

#[tokio::test]
async fn media_is_processed_on_s3() -> TestResult {
    let s3 = domain::testing::TestS3::start().await?;
    suite(TestApp::with_storage(&s3.config, Settings::default()).await?).await
}
