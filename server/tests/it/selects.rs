//! Photo selects as XMP: a photo's sidecar carries its stars (−1 for a reject), label,
//! keywords and caption; many go out as one ZIP with a file list; a sidecar uploaded beside
//! its photo is applied to it (and does not stay as an asset); one with no photo fails with
//! the reason.

use crate::media_files as mf;
use crate::support::{As, TestApp, TestResult, ORIGIN};
use crate::uploads::upload;
use formats::xmp::{self, Selects};
use http::{Method, StatusCode};
use serde_json::json;

async fn setup() -> anyhow::Result<(TestApp, As, String, std::path::PathBuf, tempfile::TempDir)> {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let project = app.project("Selects", &owner).await?;
    let dir = tempfile::tempdir()?;
    let photo = mf::photo(dir.path(), "src.jpg", &[])?;
    Ok((app, owner, project, photo, dir))
}

#[tokio::test]
async fn sidecars_carry_a_photos_selects() -> TestResult {
    let (app, owner, project, photo, _dir) = setup().await?;
    let bytes = std::fs::read(&photo)?;
    let hero = upload(&app, &owner, &project, "IMG_0001.CR3.jpg", &bytes, &[]).await?;
    let reject = upload(&app, &owner, &project, "IMG_0002.jpg", &bytes, &[]).await?;
    let twin = upload(&app, &owner, &project, "IMG_0002.png", &bytes, &[]).await?;
    app.run_jobs().await?;
    for (path, body) in [
        (format!("/api/v1/assets/{hero}/rating"), json!({"rating": 4})),
        (format!("/api/v1/assets/{hero}/label"), json!({"label": "red"})),
        (format!("/api/v1/assets/{reject}/rating"), json!({"rating": -1})),
    ] {
        let r = app.send(Method::PUT, &path, Some(body), &owner).await?;
        assert!(r.status.is_success(), "{path}: {}", r.text);
    }
    let r = app
        .send(
            Method::PATCH,
            &format!("/api/v1/assets/{hero}/metadata"),
            Some(json!({"description": "Pier at <dusk>", "tags": ["hero", "web"]})),
            &owner,
        )
        .await?;
    assert!(r.status.is_success(), "{}", r.text);

    let r = app.get(&format!("/api/v1/assets/{hero}/sidecar.xmp"), &owner).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.headers["content-disposition"].to_str()?.contains("IMG_0001.CR3.xmp"));
    let expected = Selects {
        rating: 4,
        label: Some("Red".into()),
        keywords: vec!["hero".into(), "web".into()],
        description: Some("Pier at <dusk>".into()),
    };
    assert_eq!(r.text, xmp::write(&expected));
    assert_eq!(xmp::read(&r.text), expected);
    let r = app.get(&format!("/api/v1/assets/{reject}/sidecar.xmp"), &owner).await?;
    assert!(r.text.contains("xmp:Rating=\"-1\""), "{}", r.text);

    // Many: one ZIP, names kept apart, and the list of files.
    let r = app
        .send_bytes(
            Method::POST,
            "/api/v1/assets/download.zip",
            format!("ids={hero},{reject},{twin}&files=xmp").into_bytes(),
            false,
            &owner,
            &[
                ("origin", ORIGIN),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers["content-type"], "application/zip");
    let entries = crate::downloads::entries(r.bytes.clone()).await?;
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["IMG_0001.CR3.xmp", "IMG_0002.xmp", "IMG_0002 (2).xmp", "selects.txt"]
    );
    assert_eq!(
        String::from_utf8_lossy(&entries[3].1),
        "IMG_0001.CR3.jpg\nIMG_0002.jpg\nIMG_0002.png\n"
    );
    assert_eq!(xmp::read(&String::from_utf8_lossy(&entries[1].1)).rating, -1);
    Ok(())
}

#[tokio::test]
async fn a_sidecar_uploaded_beside_its_photo_is_applied_to_it() -> TestResult {
    let (app, owner, project, photo, _dir) = setup().await?;
    let photo_id = upload(&app, &owner, &project, "DSC_0042.jpg", &std::fs::read(&photo)?, &[]).await?;
    let lightroom = Selects {
        rating: 3,
        label: Some("Green".into()),
        keywords: vec!["Beach".into()],
        description: Some("From Lightroom".into()),
    };
    let sidecar = upload(
        &app,
        &owner,
        &project,
        "DSC_0042.xmp",
        xmp::write(&lightroom).as_bytes(),
        &[],
    )
    .await?;
    let orphan = upload(
        &app,
        &owner,
        &project,
        "NOPHOTO.xmp",
        xmp::write(&lightroom).as_bytes(),
        &[],
    )
    .await?;
    app.run_jobs().await?;

    let r = app.get(&format!("/api/v1/assets/{photo_id}"), &owner).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["rating"], 3, "{}", r.text);
    assert_eq!(r.body["label"], "green");
    assert_eq!(r.body["fields"]["tags"], json!(["beach"]));
    assert_eq!(r.body["fields"]["description"], "From Lightroom");
    assert_eq!(r.body["status"], "ready");
    // The sidecar is not an asset.
    let r = app.get(&format!("/api/v1/assets/{sidecar}"), &owner).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    // One without its photo fails, saying why.
    let r = app.get(&format!("/api/v1/assets/{orphan}"), &owner).await?;
    assert_eq!(r.body["status"], "failed", "{}", r.text);
    let reason = r.body["versions"][0]["error"].as_str().unwrap_or_default();
    assert!(reason.contains("no photo named NOPHOTO"), "{reason}");
    Ok(())
}

/// `jpeg` with an APP1 XMP segment (as Lightroom writes it) right after the SOI marker.
fn with_embedded_xmp(jpeg: &[u8], selects: &Selects) -> Vec<u8> {
    let mut payload = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    payload.extend_from_slice(xmp::write(selects).as_bytes());
    let len = u16::try_from(payload.len() + 2).unwrap_or(u16::MAX).to_be_bytes();
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xff, 0xe1, len[0], len[1]]);
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[tokio::test]
async fn stars_embedded_in_an_uploaded_photo_are_read() -> TestResult {
    let (app, owner, project, photo, _dir) = setup().await?;
    let plain = std::fs::read(&photo)?;
    let selects = Selects {
        rating: 4,
        label: Some("Green".into()),
        keywords: vec!["ceremony".into()],
        description: Some("First dance".into()),
    };
    let rated = upload(
        &app,
        &owner,
        &project,
        "DSC_0101.jpg",
        &with_embedded_xmp(&plain, &selects),
        &[],
    )
    .await?;
    let bare = upload(&app, &owner, &project, "DSC_0102.jpg", &plain, &[]).await?;
    app.run_jobs().await?;
    let a = app.get(&format!("/api/v1/assets/{rated}"), &owner).await?.body;
    assert_eq!(a["status"], "ready", "the photo still processes: {a}");
    assert_eq!((a["rating"].as_i64(), a["label"].as_str()), (Some(4), Some("green")));
    assert_eq!(a["fields"]["tags"], json!(["ceremony"]));
    assert_eq!(a["fields"]["description"], "First dance");
    let b = app.get(&format!("/api/v1/assets/{bare}"), &owner).await?.body;
    assert_eq!((b["rating"].as_i64(), b["label"].as_str()), (Some(0), None));
    // Stars are per version: a new version brings its own; but once someone labelled the
    // asset, embedded selects no longer override people's decisions.
    let five = with_embedded_xmp(
        &plain,
        &Selects {
            rating: 5,
            ..Default::default()
        },
    );
    upload(
        &app,
        &owner,
        &project,
        "DSC_0101.jpg",
        &five,
        &[("asset_id", rated.as_str())],
    )
    .await?;
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/assets/{bare}/label"),
            Some(json!({"label": "red"})),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    upload(
        &app,
        &owner,
        &project,
        "DSC_0102.jpg",
        &five,
        &[("asset_id", bare.as_str())],
    )
    .await?;
    app.run_jobs().await?;
    let b = app.get(&format!("/api/v1/assets/{bare}"), &owner).await?.body;
    assert_eq!(
        (b["current_version"].as_i64(), b["rating"].as_i64(), b["label"].as_str()),
        (Some(2), Some(0), Some("red"))
    );
    let a = app.get(&format!("/api/v1/assets/{rated}"), &owner).await?.body;
    assert_eq!(
        (a["current_version"].as_i64(), a["rating"].as_i64()),
        (Some(2), Some(0)),
        "labelled green by v1's XMP"
    );
    Ok(())
}
