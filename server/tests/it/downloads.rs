//! Downloading a selection as one ZIP: the originals byte for byte (or the proxies and
//! previews), names made safe and unique, from JSON or the bulk bar's form; only assets the
//! caller can view; bad requests refused with a reason.

use crate::support::{As, TestApp, TestResult, ORIGIN};
use crate::uploads::upload;
use async_zip::base::read::mem::ZipFileReader;
use http::{Method, StatusCode};
use serde_json::json;

/// (name, bytes) of every entry.
pub(crate) async fn entries(zip: Vec<u8>) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let reader = ZipFileReader::new(zip).await?;
    let mut out = Vec::new();
    for i in 0..reader.file().entries().len() {
        let name = reader.file().entries()[i].filename().as_str()?.to_owned();
        let mut data = Vec::new();
        let mut entry = reader.reader_with_entry(i).await?;
        entry.read_to_end_checked(&mut data).await?;
        out.push((name, data));
    }
    Ok(out)
}

#[tokio::test]
async fn a_selection_downloads_as_one_zip() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (vic, _) = app.signup("vic@example.com", "Vic Viewer").await?;
    let (sam, _) = app.signup("sam@example.com", "Sam Stranger").await?;
    let project = app.project("Selects", &owner).await?;
    app.post(
        &format!("/api/v1/projects/{project}/members"),
        json!({"email": "vic@example.com", "role": "viewer"}),
        &owner,
    )
    .await?;
    let dir = tempfile::tempdir()?;
    let a = std::fs::read(crate::media_files::photo(dir.path(), "a.jpg", &[])?)?;
    let b_path = dir.path().join("b.jpg");
    crate::media_files::still(&b_path, "testsrc2=s=320x240")?;
    let b = std::fs::read(&b_path)?;
    let clip = std::fs::read(crate::media_files::video(dir.path(), "clip.mp4", 1, "320x180", false)?)?;
    let first = upload(&app, &owner, &project, "a.jpg", &a, &[]).await?;
    let second = upload(&app, &owner, &project, "../a.jpg", &b, &[]).await?;
    let video = upload(&app, &owner, &project, "clip.mp4", &clip, &[]).await?;
    app.run_jobs().await?;

    // Originals, byte for byte, in the order asked; a hostile name made safe and unique.
    let r = app
        .post(
            "/api/v1/assets/download.zip",
            json!({"asset_ids": [video, first, second, first]}),
            &vic,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers["content-type"], "application/zip");
    assert!(r.headers["content-disposition"]
        .to_str()?
        .starts_with("attachment; filename=\"dailies-3-files-"));
    let got = entries(r.bytes).await?;
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.len(), 3);
    assert_eq!(names[0], "clip.mp4");
    assert_eq!(names[1], "a.jpg");
    assert_eq!(names[2], "a (2).jpg", "the second a.jpg (uploaded as ../a.jpg)");
    assert_eq!(got[0].1, clip);
    assert_eq!(got[1].1, a);
    assert_eq!(got[2].1, b);

    // The bulk bar's form, for proxies and previews.
    let form = format!("ids={first},{video}&files=proxy");
    let r = app
        .send_bytes(
            Method::POST,
            "/api/v1/assets/download.zip",
            form.into_bytes(),
            false,
            &vic,
            &[
                ("origin", ORIGIN),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let got = entries(r.bytes).await?;
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["a.jpg", "clip.mp4"]);
    assert!(got[0].1.starts_with(&[0xff, 0xd8]), "a JPEG preview");
    assert_eq!(&got[1].1[4..8], b"ftyp", "an MP4 proxy");

    // Refused: strangers, nothing chosen, unknown kinds, garbage ids.
    let r = app
        .post("/api/v1/assets/download.zip", json!({"asset_ids": [first]}), &sam)
        .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = app
        .post("/api/v1/assets/download.zip", json!({"asset_ids": []}), &vic)
        .await?;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_input"),
        "{}",
        r.text
    );
    let r = app
        .post(
            "/api/v1/assets/download.zip",
            json!({"asset_ids": [first], "files": "everything"}),
            &vic,
        )
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = app
        .post("/api/v1/assets/download.zip", json!({"asset_ids": ["nope"]}), &vic)
        .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert_eq!(
        app.post(
            "/api/v1/assets/download.zip",
            json!({"asset_ids": [first]}),
            &As::Anonymous
        )
        .await?
        .status,
        StatusCode::UNAUTHORIZED
    );
    Ok(())
}
