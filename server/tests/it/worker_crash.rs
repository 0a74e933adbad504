//! A worker killed with SIGKILL in the middle of a job leaves nothing stuck: another worker
//! reclaims the job once its heartbeat goes stale, and it completes.

use crate::media_files as mf;
use crate::support::TestResult;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_dailies");

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn dailies(args: &[&str], url: &str, data: &std::path::Path, port: u16) -> anyhow::Result<Proc> {
    Ok(Proc(
        Command::new(BIN)
            .args(args)
            .env("DATABASE_URL", url)
            .env("DAILIES_DATA", data)
            .env("DAILIES_ADDR", format!("127.0.0.1:{port}"))
            .env("DAILIES_WORKERS", if args[0] == "serve" { "0" } else { "1" })
            .env("DAILIES_JOB_STALE_AFTER", "3")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    ))
}

async fn until<F, Fut>(what: &str, secs: u64, mut check: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<bool>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if check().await? {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("timed out waiting for {what}")
}

#[derive(Queryable, Debug)]
struct JobRow {
    state: String,
    attempts: i32,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_job_is_replaced_and_the_job_completes() -> TestResult {
    let url = domain::testing::TestDb::empty().await?;
    let data = tempfile::tempdir()?;
    let media = tempfile::tempdir()?;
    // Long enough that the proxy encode is still running when we kill the worker.
    let clip = mf::video(media.path(), "long.mp4", 20, "1280x720", true)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = dailies(&["serve"], &url, data.path(), port)?;
    let http = reqwest::Client::new();
    until("the server", 90, || async {
        Ok(http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success()))
    })
    .await?;

    let signup = http
        .post(format!("{base}/api/v1/auth/signup"))
        .json(&serde_json::json!({"email": "w@example.com", "name": "W", "password": "password123"}))
        .send()
        .await?;
    let cookie = signup
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("dailies_session="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_owned();
    let token: serde_json::Value = http
        .post(format!("{base}/api/v1/tokens"))
        .header("cookie", &cookie)
        .header("origin", &base)
        .json(&serde_json::json!({"name": "t"}))
        .send()
        .await?
        .json()
        .await?;
    let token = token["secret"].as_str().unwrap_or_default().to_owned();
    let project: serde_json::Value = http
        .post(format!("{base}/api/v1/projects"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "Crash"}))
        .send()
        .await?
        .json()
        .await?;
    let project = project["id"].as_str().unwrap_or_default().to_owned();
    let bytes = std::fs::read(&clip)?;
    let meta = crate::uploads::metadata("long.mp4", &project, &[]);
    let created = http
        .post(format!("{base}/api/v1/uploads"))
        .bearer_auth(&token)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", bytes.len().to_string())
        .header("upload-metadata", meta)
        .header("content-type", "application/offset+octet-stream")
        .body(bytes.clone())
        .send()
        .await?;
    anyhow::ensure!(created.status().as_u16() == 201, "upload: {}", created.status());
    let asset = created.headers()["dailies-asset-id"].to_str()?.to_owned();

    let mut conn = AsyncPgConnection::establish(&url).await?;
    let job = || {
        domain::schema::jobs::table
            .filter(domain::schema::jobs::kind.eq("process_version"))
            .select((domain::schema::jobs::state, domain::schema::jobs::attempts))
    };
    let mut first = dailies(&["worker"], &url, data.path(), port)?;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let phase: Vec<String> = domain::schema::asset_versions::table
            .select(domain::schema::asset_versions::phase)
            .load(&mut conn)
            .await?;
        if phase.iter().any(|p| p == "proxy") {
            break;
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the worker never reached the proxy: {phase:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(first.0.id())?),
        nix::sys::signal::Signal::SIGKILL,
    )?;
    let _ = first.0.wait();
    let row: JobRow = job().first(&mut conn).await?;
    assert_eq!(
        (row.state.as_str(), row.attempts),
        ("running", 1),
        "the killed worker's job is left running"
    );

    let _second = dailies(&["worker"], &url, data.path(), port)?;
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let row: JobRow = job().first(&mut conn).await?;
        anyhow::ensure!(row.state != "failed", "the job failed: {row:?}");
        if row.state == "succeeded" {
            break;
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the job did not complete on the second worker: {row:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let row: JobRow = job().first(&mut conn).await?;
    assert_eq!(row.attempts, 2, "retried exactly once");
    let a: serde_json::Value = http
        .get(format!("{base}/api/v1/assets/{asset}"))
        .bearer_auth(&token)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(a["status"], "ready", "{a}");
    assert_eq!(a["metadata"]["frame_count"], 500);
    let proxy = http
        .get(format!("{base}/api/v1/assets/{asset}/proxy"))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(proxy.status().as_u16(), 200);
    Ok(())
}
