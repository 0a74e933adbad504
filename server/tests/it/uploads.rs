//! The tus 1.0 server: protocol, extensions, authorization, expiry, and resuming after cut
//! connections (local storage and a real S3 server).

use crate::support::{As, Reply, TestApp, TestResult};
use base64::Engine;
use domain::settings::Settings;
use domain::storage::StorageConfig;
use http::{Method, StatusCode};
use sha2::{Digest, Sha256};

const V: (&str, &str) = ("tus-resumable", "1.0.0");
const OCTETS: (&str, &str) = ("content-type", "application/offset+octet-stream");
const ORIGIN: (&str, &str) = ("origin", crate::support::ORIGIN);

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// `Upload-Metadata` for a file in a project (and optional folder / asset).
pub fn metadata(filename: &str, project: &str, extra: &[(&str, &str)]) -> String {
    let mut parts = vec![
        format!("filename {}", b64(filename)),
        format!("project_id {}", b64(project)),
    ];
    parts.extend(extra.iter().map(|(k, v)| format!("{k} {}", b64(v))));
    parts.join(",")
}

/// POST a new upload; returns the reply (Location in its headers).
pub async fn create(app: &TestApp, who: &As, length: usize, meta: &str) -> anyhow::Result<Reply> {
    let len = length.to_string();
    app.send_bytes(
        Method::POST,
        "/api/v1/uploads",
        Vec::new(),
        false,
        who,
        &[V, ORIGIN, ("upload-length", &len), ("upload-metadata", meta)],
    )
    .await
}

pub fn location(r: &Reply) -> anyhow::Result<String> {
    r.headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no Location: {} {}", r.status, r.text))
}

async fn patch(
    app: &TestApp,
    who: &As,
    url: &str,
    offset: usize,
    body: &[u8],
    extra: &[(&str, &str)],
) -> anyhow::Result<Reply> {
    let off = offset.to_string();
    let mut headers = vec![V, ORIGIN, OCTETS, ("upload-offset", off.as_str())];
    headers.extend_from_slice(extra);
    app.send_bytes(Method::PATCH, url, body.to_vec(), false, who, &headers)
        .await
}

async fn head(app: &TestApp, who: &As, url: &str) -> anyhow::Result<Reply> {
    app.send_bytes(Method::HEAD, url, Vec::new(), false, who, &[V]).await
}

fn offset(r: &Reply) -> Option<u64> {
    r.headers.get("upload-offset")?.to_str().ok()?.parse().ok()
}

/// Uploads a whole file in one PATCH through the in-process router; returns the asset id.
pub async fn upload(
    app: &TestApp,
    who: &As,
    project: &str,
    name: &str,
    bytes: &[u8],
    extra: &[(&str, &str)],
) -> anyhow::Result<String> {
    let r = create(app, who, bytes.len(), &metadata(name, project, extra)).await?;
    anyhow::ensure!(
        r.status == StatusCode::CREATED,
        "create {name}: {} {}",
        r.status,
        r.text
    );
    let url = location(&r)?;
    let asset = r
        .headers
        .get("dailies-asset-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if !bytes.is_empty() {
        let r = patch(app, who, &url, 0, bytes, &[]).await?;
        anyhow::ensure!(
            r.status == StatusCode::NO_CONTENT,
            "patch {name}: {} {}",
            r.status,
            r.text
        );
    }
    Ok(asset)
}

#[tokio::test]
async fn the_protocol_and_its_extensions() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("owner@example.com", "Owner").await?;
    let project = app.project("Shoot", &owner).await?;

    let r = app
        .send_bytes(Method::OPTIONS, "/api/v1/uploads", Vec::new(), false, &owner, &[])
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.headers["tus-version"], "1.0.0");
    assert_eq!(
        r.headers["tus-extension"],
        "creation,creation-with-upload,termination,expiration,checksum"
    );
    assert_eq!(r.headers["tus-checksum-algorithm"], "sha1,sha256");
    assert_eq!(r.headers["tus-max-size"], "10000000000");

    // No Tus-Resumable: 412 with the version we speak.
    let r = app
        .send_bytes(
            Method::POST,
            "/api/v1/uploads",
            Vec::new(),
            false,
            &owner,
            &[ORIGIN, ("upload-length", "3")],
        )
        .await?;
    assert_eq!((r.status.as_u16(), r.code()), (412, "precondition_failed"));
    assert_eq!(r.headers["tus-version"], "1.0.0");

    // Creation needs a length and a project; the file name comes from the metadata.
    let r = app
        .send_bytes(
            Method::POST,
            "/api/v1/uploads",
            Vec::new(),
            false,
            &owner,
            &[V, ORIGIN, ("upload-metadata", &metadata("a.jpg", &project, &[]))],
        )
        .await?;
    assert_eq!((r.status.as_u16(), r.code()), (400, "invalid_input"));
    let r = create(&app, &owner, 10, &format!("filename {}", b64("a.jpg"))).await?;
    assert_eq!((r.status.as_u16(), r.code()), (400, "invalid_input"), "{}", r.text);
    let r = create(&app, &owner, 10, "filename ###").await?;
    assert_eq!((r.status.as_u16(), r.code()), (400, "invalid_input"));

    let body: Vec<u8> = (0..100u8).collect();
    let meta = metadata("clip.bin", &project, &[]);
    let r = create(&app, &owner, body.len(), &meta).await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.headers["tus-resumable"], "1.0.0");
    assert!(r.headers.contains_key("upload-expires"));
    let url = location(&r)?;
    assert!(url.starts_with("/api/v1/uploads/"));

    let r = head(&app, &owner, &url).await?;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!((offset(&r), r.headers["upload-length"].to_str()?), (Some(0), "100"));
    assert_eq!(r.headers["upload-metadata"].to_str()?, meta);
    assert_eq!(r.headers["cache-control"], "no-store");

    // Wrong content type: 415; wrong offset: 409, and nothing changes.
    let r = app
        .send_bytes(
            Method::PATCH,
            &url,
            body[..10].to_vec(),
            false,
            &owner,
            &[V, ORIGIN, ("upload-offset", "0"), ("content-type", "text/plain")],
        )
        .await?;
    assert_eq!((r.status.as_u16(), r.code()), (415, "unsupported_media_type"));
    let r = patch(&app, &owner, &url, 5, &body[..10], &[]).await?;
    assert_eq!((r.status.as_u16(), r.code()), (409, "conflict"));
    assert_eq!(offset(&head(&app, &owner, &url).await?), Some(0));

    // First 40 bytes with a correct sha1 checksum.
    let sha1 = base64::engine::general_purpose::STANDARD.encode(<sha1::Sha1 as Digest>::digest(&body[..40]));
    let r = patch(
        &app,
        &owner,
        &url,
        0,
        &body[..40],
        &[("upload-checksum", &format!("sha1 {sha1}"))],
    )
    .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(offset(&r), Some(40));

    // A checksum mismatch is 460 and stores nothing.
    let wrong = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"other"));
    let r = patch(
        &app,
        &owner,
        &url,
        40,
        &body[40..70],
        &[("upload-checksum", &format!("sha256 {wrong}"))],
    )
    .await?;
    assert_eq!((r.status.as_u16(), r.code()), (460, "checksum_mismatch"));
    assert_eq!(offset(&head(&app, &owner, &url).await?), Some(40));
    let r = patch(
        &app,
        &owner,
        &url,
        40,
        &body[40..70],
        &[("upload-checksum", "md5 AAAA")],
    )
    .await?;
    assert_eq!((r.status.as_u16(), r.code()), (400, "invalid_input"));

    // More than Upload-Length is refused and stores nothing.
    let mut too_long = body[40..].to_vec();
    too_long.extend_from_slice(b"extra");
    let r = patch(&app, &owner, &url, 40, &too_long, &[]).await?;
    assert_eq!((r.status.as_u16(), r.code()), (400, "invalid_input"), "{}", r.text);
    assert_eq!(offset(&head(&app, &owner, &url).await?), Some(40));

    // The rest with a correct sha256 checksum completes it.
    let good = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&body[40..]));
    let r = patch(
        &app,
        &owner,
        &url,
        40,
        &body[40..],
        &[("upload-checksum", &format!("sha256 {good}"))],
    )
    .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(offset(&r), Some(100));
    let asset = r.headers["dailies-asset-id"].to_str()?.to_owned();
    let a = app.get(&format!("/api/v1/assets/{asset}"), &owner).await?;
    assert_eq!(a.body["status"], "processing");
    assert_eq!(
        a.body["versions"][0]["sha256"],
        domain::uploads::hex(&Sha256::digest(&body))
    );
    assert_eq!(a.body["versions"][0]["size"], 100);
    // A completed upload cannot be terminated.
    let r = app
        .send_bytes(Method::DELETE, &url, Vec::new(), false, &owner, &[V, ORIGIN])
        .await?;
    assert_eq!((r.status.as_u16(), r.code()), (409, "conflict"));

    // Termination removes the bytes, the version and the (empty) asset.
    let r = create(&app, &owner, 50, &metadata("gone.bin", &project, &[])).await?;
    let url = location(&r)?;
    let gone_asset = r.headers["dailies-asset-id"].to_str()?.to_owned();
    patch(&app, &owner, &url, 0, &body[..20], &[]).await?;
    let r = app
        .send_bytes(Method::DELETE, &url, Vec::new(), false, &owner, &[V, ORIGIN])
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(head(&app, &owner, &url).await?.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/api/v1/assets/{gone_asset}"), &owner).await?.status,
        StatusCode::NOT_FOUND
    );

    // creation-with-upload, and an empty file completes at creation.
    let len = body.len().to_string();
    let r = app
        .send_bytes(
            Method::POST,
            "/api/v1/uploads",
            body.clone(),
            false,
            &owner,
            &[
                V,
                ORIGIN,
                OCTETS,
                ("upload-length", &len),
                ("upload-metadata", &metadata("cwu.bin", &project, &[])),
            ],
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(offset(&r), Some(100));
    let r = create(&app, &owner, 0, &metadata("empty.bin", &project, &[])).await?;
    assert_eq!(r.status, StatusCode::CREATED);
    let empty = r.headers["dailies-asset-id"].to_str()?.to_owned();
    assert_eq!(
        app.get(&format!("/api/v1/assets/{empty}"), &owner).await?.body["status"],
        "processing"
    );
    Ok(())
}

#[tokio::test]
async fn uploads_check_roles_limits_and_targets() -> TestResult {
    let settings = Settings {
        upload_max_size: 1000,
        ..Settings::default()
    };
    let dir = tempfile::tempdir()?;
    let app = TestApp::with_storage(&StorageConfig::Local(dir.path().to_path_buf()), settings).await?;
    let (owner, _) = app.signup("owner@example.com", "Owner").await?;
    let (viewer, _) = app.signup("viewer@example.com", "Viewer").await?;
    let (stranger, _) = app.signup("stranger@example.com", "Stranger").await?;
    let project = app.project("Shoot", &owner).await?;
    let r = app
        .post(
            &format!("/api/v1/projects/{project}/members"),
            serde_json::json!({"email": "viewer@example.com", "role": "viewer"}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    let meta = metadata("a.bin", &project, &[]);
    assert_eq!((create(&app, &viewer, 10, &meta).await?).code(), "forbidden");
    assert_eq!((create(&app, &stranger, 10, &meta).await?).code(), "not_found");
    assert_eq!(
        (create(&app, &As::Anonymous, 10, &meta).await?).code(),
        "unauthenticated"
    );
    let r = create(&app, &owner, 1001, &meta).await?;
    assert_eq!((r.status.as_u16(), r.code()), (413, "too_large"));

    // Someone else's upload is invisible; a viewer cannot write to it.
    let url = location(&create(&app, &owner, 10, &meta).await?)?;
    assert_eq!(head(&app, &stranger, &url).await?.status, StatusCode::NOT_FOUND);
    assert_eq!(
        patch(&app, &viewer, &url, 0, b"0123456789", &[]).await?.code(),
        "forbidden"
    );
    assert_eq!(
        head(&app, &owner, "/api/v1/uploads/not-an-id").await?.status,
        StatusCode::NOT_FOUND
    );

    // folder_id must be a live folder of the project; asset_id adds a version to that asset.
    let r = create(
        &app,
        &owner,
        10,
        &metadata(
            "a.bin",
            &project,
            &[("folder_id", "5a4b6f43-0000-4000-8000-000000000000")],
        ),
    )
    .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let folder = app
        .post(
            &format!("/api/v1/projects/{project}/folders"),
            serde_json::json!({"name": "Day 1/Camera A"}),
            &owner,
        )
        .await?;
    assert_eq!(folder.status, StatusCode::CREATED, "{}", folder.text);
    let folder_id = folder.body["id"].as_str().unwrap_or_default().to_owned();
    let first = upload(
        &app,
        &owner,
        &project,
        "take.bin",
        b"first",
        &[("folder_id", &folder_id)],
    )
    .await?;
    let second = upload(
        &app,
        &owner,
        &project,
        "take-v2.bin",
        b"second!",
        &[("asset_id", &first)],
    )
    .await?;
    assert_eq!(first, second);
    let a = app.get(&format!("/api/v1/assets/{first}"), &owner).await?;
    assert_eq!(a.body["folder_id"], folder_id.as_str());
    assert_eq!(a.body["current_version"], 2);
    assert_eq!(a.body["versions"].as_array().map(Vec::len), Some(2));
    assert_eq!(a.body["versions"][1]["size"], 7);
    Ok(())
}

#[tokio::test]
async fn stale_uploads_expire_and_are_cleaned_up() -> TestResult {
    let settings = Settings {
        upload_expiry: std::time::Duration::from_millis(300),
        ..Settings::default()
    };
    let dir = tempfile::tempdir()?;
    let app = TestApp::with_storage(&StorageConfig::Local(dir.path().to_path_buf()), settings).await?;
    let (owner, _) = app.signup("owner@example.com", "Owner").await?;
    let project = app.project("Shoot", &owner).await?;
    let r = create(&app, &owner, 10, &metadata("slow.bin", &project, &[])).await?;
    let url = location(&r)?;
    let asset = r.headers["dailies-asset-id"].to_str()?.to_owned();
    patch(&app, &owner, &url, 0, b"01234", &[]).await?;
    let staged = dir
        .path()
        .join("staging")
        .join(url.rsplit('/').next().unwrap_or_default());
    assert!(staged.exists());
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(head(&app, &owner, &url).await?.status, StatusCode::GONE);
    assert_eq!(patch(&app, &owner, &url, 5, b"56789", &[]).await?.code(), "gone");

    let state = app.state.clone().ok_or_else(|| anyhow::anyhow!("state"))?;
    let mut conn = domain::db::conn(&state.db).await?;
    assert_eq!(domain::uploads::expire(&mut conn, &state.storage).await?, 1);
    assert!(!staged.exists(), "the staged bytes are deleted");
    assert_eq!(head(&app, &owner, &url).await?.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/api/v1/assets/{asset}"), &owner).await?.status,
        StatusCode::NOT_FOUND
    );
    Ok(())
}
