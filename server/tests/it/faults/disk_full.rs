//! The local store's disk fills up in the middle of an upload: the request is refused with
//! `507 storage_full`, nothing half-written is kept as an asset, and once space is freed the
//! upload resumes from its last committed byte and ends byte-identical.

use super::patch;
use crate::media_files as mf;
use crate::support::{TestApp, TestResult};
use crate::uploads::{create, metadata};
use domain::settings::Settings;
use domain::storage::StorageConfig;
use http::{Method, StatusCode};
use std::process::Command;

/// A small tmpfs, unmounted on drop.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(dir: &std::path::Path, size: &str) -> anyhow::Result<Tmpfs> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()?
            .success();
        anyhow::ensure!(ok, "mounting a tmpfs failed (the disk-full test runs as root)");
        Ok(Tmpfs(dir.to_path_buf()))
    }

    fn resize(&self, size: &str) -> anyhow::Result<()> {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .status()?
            .success();
        anyhow::ensure!(ok, "resizing the tmpfs failed");
        Ok(())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[tokio::test]
async fn a_full_disk_refuses_the_upload_cleanly_and_it_resumes_after() -> TestResult {
    let media = tempfile::tempdir()?;
    let path = media.path().join("big.jpg");
    mf::still(&path, "testsrc2=s=1920x1080")?;
    let photo = std::fs::read(&path)?;
    let root = tempfile::tempdir()?;
    let disk = Tmpfs::mount(root.path(), "16k")?;
    anyhow::ensure!(
        photo.len() > 64 * 1024,
        "the photo is too small to fill the disk: {}",
        photo.len()
    );
    let app = TestApp::with_storage(&StorageConfig::Local(root.path().to_path_buf()), Settings::default()).await?;
    let (me, _) = app.signup("full@example.com", "Full").await?;
    let project = app.project("Full", &me).await?;

    let r = create(&app, &me, photo.len(), &metadata("big.jpg", &project, &[])).await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let location = r.headers["location"].to_str()?.to_owned();
    let asset = r.headers["dailies-asset-id"].to_str()?.to_owned();
    let full = patch(&app, &me, &location, 0, &photo).await?;
    assert_eq!(full.status.as_u16(), 507, "{}", full.text);
    assert_eq!(full.code(), "storage_full");
    assert!(full.text.contains("full"), "{}", full.text);

    // Nothing committed past what was stored, and no asset pretends to be there.
    let head = app
        .send_with(Method::HEAD, &location, None, &me, &[("tus-resumable", "1.0.0")])
        .await?;
    let offset: usize = head.headers["upload-offset"].to_str()?.parse()?;
    assert_eq!(offset, 0, "an offset was committed for bytes that were not stored");
    let a = app.get(&format!("/api/v1/assets/{asset}"), &me).await?;
    assert_eq!(a.body["status"], "uploading", "{}", a.text);

    // Space is freed: the same upload resumes and completes, byte for byte.
    disk.resize("8m")?;
    let half = photo.len() / 2;
    let first = patch(&app, &me, &location, 0, &photo[..half]).await?;
    assert_eq!(first.status, StatusCode::NO_CONTENT, "{}", first.text);
    let rest = patch(&app, &me, &location, half, &photo[half..]).await?;
    assert_eq!(rest.status, StatusCode::NO_CONTENT, "{}", rest.text);
    app.run_jobs().await?;
    let a = app.get(&format!("/api/v1/assets/{asset}"), &me).await?;
    assert_eq!(a.body["status"], "ready", "{}", a.text);
    let original = app.get(&format!("/api/v1/assets/{asset}/original"), &me).await?;
    assert!(original.bytes == photo, "the resumed upload differs from the file");
    Ok(())
}
