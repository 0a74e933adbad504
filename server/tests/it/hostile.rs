//! Hostile files: decompression bombs, an empty file, a truncated MP4, HTML dressed as a
//! JPEG and — when the shared corpus is present — every crash, bad and invalid file of it.
//! Each is refused or ends `failed` with a reason people can read; none takes the server or
//! the worker down, and the next upload still processes.

use crate::media_files as mf;
use crate::support::{As, TestApp, TestResult};
use crate::uploads::{create, metadata, upload};
use flate2::write::ZlibEncoder;
use flate2::Compression;
use http::StatusCode;
use std::io::Write;
use std::path::{Path, PathBuf};

fn crc32(bytes: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(bytes);
    h.finalize()
}

/// A PNG with the given header and IDAT payload (already zlib-compressed).
fn png(width: u32, height: u32, idat: &[u8]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", idat);
    chunk(b"IEND", &[]);
    out
}

/// `n` zero bytes, zlib-compressed, written in pieces (never held whole).
fn zeros_compressed(n: usize) -> anyhow::Result<Vec<u8>> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    let block = vec![0u8; 1 << 20];
    let mut left = n;
    while left > 0 {
        let take = left.min(block.len());
        z.write_all(&block[..take])?;
        left -= take;
    }
    Ok(z.finish()?)
}

async fn status(app: &TestApp, who: &As, id: &str) -> anyhow::Result<serde_json::Value> {
    Ok(app.get(&format!("/api/v1/assets/{id}"), who).await?.body)
}

fn failed_with_reason(name: &str, a: &serde_json::Value) {
    assert_eq!(a["status"], "failed", "{name}: {a}");
    let reason = a["versions"][0]["error"].as_str().unwrap_or_default();
    assert!(reason.len() > 10, "{name}: no reason in {a}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bombs_empty_truncated_and_disguised_files_are_refused_cleanly() -> TestResult {
    let app = TestApp::new().await?;
    let (me, _) = app.signup("hostile@example.com", "Hostile").await?;
    let project = app.project("Hostile", &me).await?;
    let media = tempfile::tempdir()?;

    // A 100,000 × 100,000 header over a tiny body: refused before any pixel is allocated.
    let giant = png(100_000, 100_000, &zeros_compressed(1024)?);
    // 1 GiB of pixels (32,768²) from about 1 MB: a decompression bomb.
    let bomb = png(32_768, 32_768, &zeros_compressed(1 << 30)?);
    assert!(bomb.len() < 2 << 20, "the bomb is {} bytes", bomb.len());
    // A ZIP-like stream: 1 GiB of zeros deflated, under a name that promises a photo.
    let zlib = zeros_compressed(1 << 30)?;
    // HTML that claims to be a JPEG.
    let html = b"<!doctype html><html><body><script>alert(1)</script></body></html>".to_vec();
    // An MP4 cut to a third: its index (at the end) is gone.
    let clip = std::fs::read(mf::video(media.path(), "whole.mp4", 3, "320x240", true)?)?;
    let truncated = clip[..clip.len() / 3].to_vec();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("giant.png", giant),
        ("bomb.png", bomb),
        ("bomb.jpg", zlib),
        ("page.jpg", html),
        ("truncated.mp4", truncated),
    ];
    let mut ids = Vec::new();
    for (name, bytes) in &cases {
        ids.push((*name, upload(&app, &me, &project, name, bytes, &[]).await?));
    }

    // An empty file completes at creation (as tus says) and then fails, with a reason.
    let empty = create(&app, &me, 0, &metadata("empty.jpg", &project, &[])).await?;
    assert_eq!(empty.status, StatusCode::CREATED, "{}", empty.text);
    ids.push(("empty.jpg", empty.headers["dailies-asset-id"].to_str()?.to_owned()));

    // A good photo after them: the worker is still there and still works.
    let good = std::fs::read(mf::photo(media.path(), "good.jpg", &[])?)?;
    let good = upload(&app, &me, &project, "good.jpg", &good, &[]).await?;
    let started = std::time::Instant::now();
    app.run_jobs().await?;
    let took = started.elapsed();
    for (name, id) in &ids {
        failed_with_reason(name, &status(&app, &me, id).await?);
    }
    let giant = status(&app, &me, ids[0].1.as_str()).await?;
    assert!(
        giant["versions"][0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("too large")),
        "{giant}"
    );
    assert_eq!(status(&app, &me, &good).await?["status"], "ready");
    assert!(
        took < std::time::Duration::from_secs(120),
        "processing the bombs took {took:?}"
    );
    let health = app.get("/healthz", &As::Anonymous).await?;
    assert_eq!(health.status, StatusCode::OK);
    Ok(())
}

fn hostile_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for p in entries.flatten().map(|e| e.path()) {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let hostile = name.starts_with("crash") || name.contains("bad") || name.contains("invalid");
        if p.is_dir() {
            if hostile {
                let mut all = Vec::new();
                crate::stock_client::files_under(&p, &mut all);
                out.extend(all);
            } else {
                hostile_files(&p, out);
            }
        } else if hostile && !name.ends_with(".md") && !name.ends_with(".txt") {
            out.push(p);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_corpus_crash_bad_and_invalid_files_end_failed_or_recovered() -> TestResult {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let mut files = Vec::new();
    if corpus.is_dir() {
        hostile_files(&corpus, &mut files);
    } else {
        println!("../shared/corpus is absent: the hostile sweep runs over fuzz/regressions/photo only");
    }
    crate::stock_client::files_under(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions/photo"),
        &mut files,
    );
    files.sort();
    anyhow::ensure!(!files.is_empty(), "no hostile files found");
    let app = TestApp::new().await?;
    let (me, _) = app.signup("corpus@example.com", "Corpus").await?;
    let project = app.project("Corpus", &me).await?;
    let mut ids = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f)?;
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("file");
        if bytes.is_empty() {
            continue;
        }
        ids.push((f.clone(), upload(&app, &me, &project, name, &bytes, &[]).await?));
    }
    app.run_jobs().await?;
    let (mut failed, mut recovered) = (0, 0);
    for (path, id) in &ids {
        let a = status(&app, &me, id).await?;
        match a["status"].as_str() {
            Some("failed") => {
                failed += 1;
                failed_with_reason(&path.display().to_string(), &a);
            }
            // A decoder that recovers a picture from a damaged file (as browsers do) gives a
            // ready asset, with its thumbnail.
            Some("ready") => {
                recovered += 1;
                let thumb = app.get(&format!("/api/v1/assets/{id}/thumbnail"), &me).await?;
                assert_eq!(thumb.status, StatusCode::OK, "{}: {a}", path.display());
            }
            other => panic!("{} is {other:?}: {a}", path.display()),
        }
    }
    println!(
        "hostile sweep: {} files, {failed} failed with a reason, {recovered} recovered a picture",
        ids.len()
    );
    assert_eq!(app.get("/healthz", &As::Anonymous).await?.status, StatusCode::OK);
    Ok(())
}
