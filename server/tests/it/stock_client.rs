//! A stock tus client (tus-js-client in Node) uploads every committed fixture — and, when the
//! shared corpus is present, every file of `../shared/corpus` — into a project; each ends
//! `ready` with thumbnails or `failed` with a reason, and the server stays up throughout.

use crate::support::{As, TestApp, TestResult};
use http::StatusCode;
use std::path::{Path, PathBuf};

pub(crate) fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stock_tus_client_uploads_the_corpus() -> TestResult {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let script = repo.join("end2end/tools/tus-upload.mjs");
    anyhow::ensure!(
        repo.join("end2end/node_modules/tus-js-client").exists(),
        "tus-js-client is not installed: run ./scripts/setup"
    );
    let mut files = Vec::new();
    files_under(&repo.join("server/tests/fixtures/ingest"), &mut files);
    files_under(&repo.join("media/tests/fixtures"), &mut files);
    let corpus = repo.join("../shared/corpus");
    if corpus.is_dir() {
        files_under(&corpus, &mut files);
    } else {
        println!(
            "../shared/corpus is absent: swept the {} committed fixtures only",
            files.len()
        );
    }
    files.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| !n.starts_with('.'))
    });

    let app = TestApp::new().await?;
    let (owner, _) = app.signup("owner@example.com", "Owner").await?;
    let project = app.project("Corpus", &owner).await?;
    let token = app
        .post("/api/v1/tokens", serde_json::json!({"name": "tus"}), &owner)
        .await?;
    let token = token.body["secret"].as_str().unwrap_or_default().to_owned();
    let base = app.listen().await?;

    let out = tokio::process::Command::new("node")
        .arg(&script)
        .args([&base, &token, &project])
        .args(&files)
        .output()
        .await?;
    anyhow::ensure!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(lines.len(), files.len(), "one result per file");
    let refused: Vec<&serde_json::Value> = lines.iter().filter(|l| l["ok"] != true).collect();
    assert!(refused.is_empty(), "uploads refused: {refused:#?}");

    let ran = app.run_jobs().await?;
    assert!(ran >= files.len());
    let health = app.get("/healthz", &As::Anonymous).await?;
    assert_eq!(health.status, StatusCode::OK, "the server is still up");

    let mut ready = 0;
    let mut failed = 0;
    let mut offset = 0;
    loop {
        let page = app
            .get(
                &format!("/api/v1/projects/{project}/assets?limit=500&offset={offset}"),
                &owner,
            )
            .await?;
        let items = page.body["items"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        for a in &items {
            match a["status"].as_str() {
                Some("ready") => {
                    ready += 1;
                    if a["media_type"] != "audio" {
                        assert_eq!(a["has_thumbnail"], true, "{a}");
                    }
                }
                Some("failed") => {
                    failed += 1;
                    println!("failed: {} — {}", a["name"], a["error"]);
                    assert!(
                        a["error"].as_str().is_some_and(|e| e.len() > 10),
                        "a failure says why: {a}"
                    );
                }
                other => panic!("{} is still {other:?}", a["name"]),
            }
        }
        offset += items.len();
    }
    assert_eq!(ready + failed, files.len());
    println!(
        "stock tus client: {} files, {ready} ready, {failed} failed with a reason",
        files.len()
    );
    assert!(ready > failed, "most of the corpus is real media");
    Ok(())
}
