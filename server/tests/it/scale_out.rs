//! Scale-out: two real `dailies serve` processes on one database and one storage directory.
//! A comment posted through process A reaches a socket on process B; uploads made through
//! both are processed by the workers of both, each exactly once.

use crate::support::{session_from, As, TestResult};
use crate::uploads::metadata;
use crate::ws_client::Ws;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_dailies");

struct Process {
    child: Child,
    base: String,
    _data: tempfile::TempDir,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start(database_url: &str, objects: &std::path::Path) -> anyhow::Result<Process> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let data = tempfile::tempdir()?;
    let child = Command::new(BIN)
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("DAILIES_DATA", data.path())
        .env("DAILIES_ADDR", format!("127.0.0.1:{port}"))
        .env("DAILIES_STORAGE", format!("file://{}", objects.display()))
        .env("DAILIES_WORKERS", "2")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let p = Process {
        child,
        base: format!("http://127.0.0.1:{port}"),
        _data: data,
    };
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Ok(r) = http.get(format!("{}/healthz", p.base)).send().await {
            if r.status().is_success() {
                return Ok(p);
            }
        }
        anyhow::ensure!(Instant::now() < deadline, "{} did not become healthy", p.base);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

struct Client {
    http: reqwest::Client,
    cookie: String,
}

impl Client {
    async fn send(
        &self,
        base: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut req = self
            .http
            .request(method, format!("{base}{path}"))
            .header("cookie", format!("dailies_session={}", self.cookie))
            .header("origin", base);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await?;
        let status = r.status();
        let text = r.text().await?;
        anyhow::ensure!(status.is_success(), "{path}: {status} {text}");
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// One tus creation-with-upload request (the whole file in the POST).
    async fn upload(&self, base: &str, project: &str, name: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        let r = self
            .http
            .post(format!("{base}/api/v1/uploads"))
            .header("cookie", format!("dailies_session={}", self.cookie))
            .header("origin", base)
            .header("tus-resumable", "1.0.0")
            .header("upload-length", bytes.len().to_string())
            .header("upload-metadata", metadata(name, project, &[]))
            .header("content-type", "application/offset+octet-stream")
            .body(bytes)
            .send()
            .await?;
        anyhow::ensure!(r.status().as_u16() == 201, "upload {name}: {}", r.status());
        Ok(())
    }
}

#[tokio::test]
async fn two_processes_share_live_events_and_jobs() -> TestResult {
    let url = domain::testing::TestDb::empty().await?;
    let objects = tempfile::tempdir()?;
    let a = start(&url, objects.path()).await?;
    let b = start(&url, objects.path()).await?;

    // Sign up on A; the session works on B too (sessions live in the database).
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/api/v1/auth/signup", a.base))
        .header("origin", &a.base)
        .json(&json!({"email": "ana@example.com", "name": "Ana", "password": "password123"}))
        .send()
        .await?;
    let cookie = session_from(r.headers()).ok_or_else(|| anyhow::anyhow!("no session"))?;
    let ana = Client {
        http,
        cookie: cookie.clone(),
    };
    let project = ana
        .send(
            &a.base,
            reqwest::Method::POST,
            "/api/v1/projects",
            Some(json!({"name": "Two"})),
        )
        .await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // Uploads through both processes, at once.
    let dir = tempfile::tempdir()?;
    let mut files = Vec::new();
    for i in 0..16 {
        let path = dir.path().join(format!("frame{i}.jpg"));
        crate::media_files::still(&path, &format!("testsrc2=s=2400x1600:r=1,hue=h={}", i * 20))?;
        files.push((format!("frame{i}.jpg"), std::fs::read(&path)?));
    }

    let mut on_b = Ws::open(&b.base, &As::Cookie(cookie.clone()), Some(&b.base)).await?;
    assert_eq!(on_b.subscribe(&project, None, None).await?["type"], "subscribed");

    let uploads = files.into_iter().enumerate().map(|(i, (name, bytes))| {
        let base = if i % 2 == 0 { a.base.clone() } else { b.base.clone() };
        let (ana, project) = (&ana, project.clone());
        async move { ana.upload(&base, &project, &name, bytes).await }
    });
    for r in futures::future::join_all(uploads).await {
        r?;
    }

    // A comment through A arrives on B's socket.
    let assets = ana
        .send(
            &a.base,
            reqwest::Method::GET,
            &format!("/api/v1/projects/{project}/assets"),
            None,
        )
        .await?;
    let asset = assets["items"][0]["id"].as_str().unwrap_or_default().to_owned();
    let posted = Instant::now();
    let c = ana
        .send(
            &a.base,
            reqwest::Method::POST,
            &format!("/api/v1/assets/{asset}/comments"),
            Some(json!({"body": "seen on B?"})),
        )
        .await?;
    let e = on_b
        .until("the comment from A", |v| {
            v["kind"] == "comment.created" && v["payload"]["comment"]["id"] == c["id"]
        })
        .await?;
    println!("comment through A → socket on B: {:?}", posted.elapsed());
    assert_eq!(e["payload"]["comment"]["body"], "seen on B?");

    // Every upload is processed once, by workers of both processes.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut conn = AsyncPgConnection::establish(&url).await?;
    use domain::schema::jobs;
    let rows: Vec<(String, i32, Option<String>)> = loop {
        let rows: Vec<(String, i32, Option<String>)> = jobs::table
            .filter(jobs::kind.eq("process_version"))
            .select((jobs::state, jobs::attempts, jobs::worker_id))
            .load(&mut conn)
            .await?;
        if rows.len() == 16 && rows.iter().all(|r| r.0 == "succeeded") {
            break rows;
        }
        anyhow::ensure!(Instant::now() < deadline, "jobs did not finish: {rows:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert!(rows.iter().all(|r| r.1 == 1), "a job ran more than once: {rows:?}");
    let pid = |w: &Option<String>| w.as_deref().and_then(|w| w.split(':').nth(1)).map(str::to_owned);
    let mut pids: Vec<String> = rows.iter().filter_map(|r| pid(&r.2)).collect();
    pids.sort();
    pids.dedup();
    let expected: Vec<String> = {
        let mut v = vec![a.child.id().to_string(), b.child.id().to_string()];
        v.sort();
        v
    };
    assert_eq!(pids, expected, "both processes' workers took jobs");
    // …and B's socket heard every version become ready, whichever process made it.
    let mut ready = on_b.seen.iter().filter(|v| v["kind"] == "asset.ready").count();
    while ready < 16 {
        on_b.event("asset.ready").await?;
        ready += 1;
    }
    Ok(())
}
