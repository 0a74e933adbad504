//! The real `dailies` binary: embedded PostgreSQL lifecycle, DATABASE_URL, `migrate`, `user add`.

use crate::support::TestResult;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_dailies");

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn http_get(port: u16, path: &str) -> Option<String> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).await.ok()?;
    Some(out)
}

fn pid_alive(pid: i32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

#[tokio::test]
async fn serve_owns_an_embedded_postgres_and_stops_it_on_sigterm() -> TestResult {
    let data = tempfile::tempdir()?;
    // The embedded cluster runs as the unprivileged postgres user when we are root.
    std::fs::set_permissions(data.path(), std::fs::Permissions::from_mode(0o755))?;
    let port = free_port()?;
    let mut child = Command::new(BIN)
        .arg("serve")
        .env_remove("DATABASE_URL")
        .env("DAILIES_DATA", data.path())
        .env("DAILIES_ADDR", format!("127.0.0.1:{port}"))
        .env("DAILIES_WORKERS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut healthy = false;
    while Instant::now() < deadline {
        if let Some(reply) = http_get(port, "/healthz").await {
            if reply.starts_with("HTTP/1.1 200") {
                healthy = true;
                break;
            }
        }
        if child.try_wait()?.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let pidfile = data.path().join("pg/data/postmaster.pid");
    let pg_pid: i32 = std::fs::read_to_string(&pidfile)?
        .lines()
        .next()
        .unwrap_or("0")
        .trim()
        .parse()?;
    assert!(healthy, "dailies serve never became healthy");
    assert!(pid_alive(pg_pid), "the embedded postgres should be running");

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(child.id())?),
        nix::sys::signal::Signal::SIGTERM,
    )?;
    let status = tokio::task::spawn_blocking(move || child.wait()).await??;
    assert!(status.success(), "serve exited with {status}");
    let gone = Instant::now() + Duration::from_secs(10);
    while pid_alive(pg_pid) && Instant::now() < gone {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!pid_alive(pg_pid), "stopping the app must stop its postgres");
    assert!(!pidfile.exists(), "postgres was not shut down cleanly");
    Ok(())
}

#[tokio::test]
async fn database_url_uses_an_external_server_and_owns_no_cluster() -> TestResult {
    let url = domain::testing::TestDb::empty().await?;
    let data = tempfile::tempdir()?;
    let out = Command::new(BIN)
        .arg("migrate")
        .env("DATABASE_URL", &url)
        .env("DAILIES_DATA", data.path())
        .output()?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        !data.path().join("pg").exists(),
        "with DATABASE_URL no cluster may be created"
    );

    let mut add = Command::new(BIN)
        .args([
            "user",
            "add",
            "--email",
            "Root@Example.com",
            "--name",
            "Root",
            "--admin",
        ])
        .env("DATABASE_URL", &url)
        .env("DAILIES_DATA", data.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    add.stdin
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdin"))?
        .write_all(b"a long password\n")?;
    let out = add.wait_with_output()?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let mut conn = AsyncPgConnection::establish(&url).await?;
    use domain::schema::users;
    let (email, admin): (String, bool) = users::table
        .select((users::email, users::is_admin))
        .first(&mut conn)
        .await?;
    assert_eq!((email.as_str(), admin), ("root@example.com", true));

    let short = Command::new(BIN)
        .args(["user", "add", "--email", "x@example.com", "--name", "X"])
        .env("DATABASE_URL", &url)
        .stdin(Stdio::null())
        .output()?;
    assert!(!short.status.success(), "an empty password must be refused");
    assert!(String::from_utf8_lossy(&short.stderr).contains("password"));
    Ok(())
}
