//! Fault tests: the real `dailies` binary (and a real PostgreSQL, S3 server and filesystem)
//! under SIGKILLed workers, a restarted database, a stopped store and a full disk. Each is
//! bounded in time.

mod disk_full;
mod postgres_restart;
mod storage_down;
mod worker_kills;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_dailies");

/// A child process killed (and reaped) when dropped.
pub struct Proc(pub Child);

impl Proc {
    /// SIGKILL, then reap.
    pub fn kill9(&mut self) -> anyhow::Result<()> {
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(i32::try_from(self.0.id())?),
            nix::sys::signal::Signal::SIGKILL,
        )?;
        let _ = self.0.wait();
        Ok(())
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `dailies <args>` against `url`, with data under `data`, listening on `port`; `env`
/// adds or overrides settings.
pub fn dailies(
    args: &[&str],
    url: &str,
    data: &std::path::Path,
    port: u16,
    env: &[(&str, &str)],
) -> anyhow::Result<Proc> {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("DATABASE_URL", url)
        .env("DAILIES_DATA", data)
        .env("DAILIES_ADDR", format!("127.0.0.1:{port}"))
        .env("DAILIES_WORKERS", if args[0] == "serve" { "0" } else { "1" })
        .env("DAILIES_JOB_STALE_AFTER", "3")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    Ok(Proc(cmd.spawn()?))
}

pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Polls `check` every 100 ms until it holds, for at most `secs`.
pub async fn until<F, Fut>(what: &str, secs: u64, mut check: F) -> anyhow::Result<()>
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
    anyhow::bail!("timed out after {secs} s waiting for {what}")
}

/// Waits (up to 90 s) until the server at `base` answers `/healthz` with success.
pub async fn healthy(http: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    until("the server", 90, || async {
        Ok(http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success()))
    })
    .await
}

/// A client of a running server: an account with a token and one project.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
    pub project: String,
}

impl Client {
    /// Waits for the server's health, signs up, makes a token and a project.
    pub async fn start(base: &str) -> anyhow::Result<Client> {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build()?;
        healthy(&http, base).await?;
        let signup = http
            .post(format!("{base}/api/v1/auth/signup"))
            .json(&serde_json::json!({"email": "f@example.com", "name": "F", "password": "password123"}))
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
            .header("origin", base)
            .json(&serde_json::json!({"name": "t"}))
            .send()
            .await?
            .json()
            .await?;
        let token = token["secret"].as_str().unwrap_or_default().to_owned();
        let project: serde_json::Value = http
            .post(format!("{base}/api/v1/projects"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"name": "Faults"}))
            .send()
            .await?
            .json()
            .await?;
        let project = project["id"].as_str().unwrap_or_default().to_owned();
        anyhow::ensure!(!project.is_empty(), "no project");
        Ok(Client {
            http,
            base: base.to_owned(),
            token,
            project,
        })
    }

    /// Creates an upload (tus) with `first` as its first bytes.
    pub async fn upload_start(&self, name: &str, length: usize, first: &[u8]) -> anyhow::Result<reqwest::Response> {
        Ok(self
            .http
            .post(format!("{}/api/v1/uploads", self.base))
            .bearer_auth(&self.token)
            .header("tus-resumable", "1.0.0")
            .header("upload-length", length.to_string())
            .header("upload-metadata", crate::uploads::metadata(name, &self.project, &[]))
            .header("content-type", "application/offset+octet-stream")
            .body(first.to_vec())
            .send()
            .await?)
    }

    /// GET as JSON.
    pub async fn get(&self, path: &str) -> anyhow::Result<(u16, serde_json::Value)> {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?;
        let status = r.status().as_u16();
        Ok((status, r.json().await.unwrap_or_default()))
    }

    /// The original of an asset, as stored.
    pub async fn original(&self, asset: &str) -> anyhow::Result<Vec<u8>> {
        let r = self
            .http
            .get(format!("{}/api/v1/assets/{asset}/original", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "original: {}", r.status());
        Ok(r.bytes().await?.to_vec())
    }
}

/// A tus PATCH of `bytes` at `offset` through the in-process router.
pub async fn patch(
    app: &crate::support::TestApp,
    who: &crate::support::As,
    location: &str,
    offset: usize,
    bytes: &[u8],
) -> anyhow::Result<crate::support::Reply> {
    let offset = offset.to_string();
    app.send_bytes(
        http::Method::PATCH,
        location,
        bytes.to_vec(),
        false,
        who,
        &[
            ("tus-resumable", "1.0.0"),
            ("upload-offset", offset.as_str()),
            ("content-type", "application/offset+octet-stream"),
            ("origin", crate::support::ORIGIN),
        ],
    )
    .await
}

/// How many jobs are in each state, leaving out periodic jobs waiting for their time.
pub async fn job_states(conn: &mut diesel_async::AsyncPgConnection) -> anyhow::Result<HashMap<String, i64>> {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use domain::schema::jobs;
    let rows: Vec<(String, i64)> = jobs::table
        .filter(jobs::state.ne("queued").or(jobs::run_at.le(diesel::dsl::now)))
        .group_by(jobs::state)
        .select((jobs::state, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    Ok(rows.into_iter().collect())
}
