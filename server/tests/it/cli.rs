//! The real `dailies` binary: embedded PostgreSQL lifecycle, DATABASE_URL, `migrate`, `user add`, `import`, `backup` and `restore`.

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

/// Polls `/healthz` until 200; returns the last reply on timeout or exit.
async fn wait_healthy(child: &mut std::process::Child, port: u16) -> anyhow::Result<bool> {
    let deadline = Instant::now() + Duration::from_secs(90);
    while Instant::now() < deadline {
        if let Some(reply) = http_get(port, "/healthz").await {
            if reply.starts_with("HTTP/1.1 200") {
                return Ok(true);
            }
        }
        if child.try_wait()?.is_some() {
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(false)
}

fn terminate(child: &std::process::Child) -> anyhow::Result<()> {
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(child.id())?),
        nix::sys::signal::Signal::SIGTERM,
    )?;
    Ok(())
}

#[tokio::test]
async fn serve_uses_s3_storage_configured_by_environment() -> TestResult {
    let s3 = domain::testing::TestS3::start().await?;
    let domain::storage::StorageConfig::S3 {
        endpoint: Some(endpoint),
        ..
    } = &s3.config
    else {
        anyhow::bail!("TestS3 gave a non-S3 config");
    };
    let url = domain::testing::TestDb::empty().await?;
    let data = tempfile::tempdir()?;
    let port = free_port()?;
    let mut child = Command::new(BIN)
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env("DAILIES_DATA", data.path())
        .env("DAILIES_ADDR", format!("127.0.0.1:{port}"))
        .env("DAILIES_STORAGE", "s3://dailies/from-env")
        .env("DAILIES_S3_ENDPOINT", endpoint)
        .env("AWS_ACCESS_KEY_ID", "dailies")
        .env("AWS_SECRET_ACCESS_KEY", "dailies-secret")
        .env("DAILIES_WORKERS", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let healthy = wait_healthy(&mut child, port).await?;
    let body = http_get(port, "/healthz").await.unwrap_or_default();
    terminate(&child)?;
    let status = tokio::task::spawn_blocking(move || child.wait()).await??;
    assert!(healthy, "serve with S3 storage never became healthy: {body}");
    assert!(body.contains("\"storage\":\"ok\""), "{body}");
    assert!(status.success());
    assert!(
        !data.path().join("objects").exists(),
        "S3 storage must not write local objects"
    );
    Ok(())
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
    let healthy = wait_healthy(&mut child, port).await?;
    let pidfile = data.path().join("pg/data/postmaster.pid");
    let pg_pid: i32 = std::fs::read_to_string(&pidfile)?
        .lines()
        .next()
        .unwrap_or("0")
        .trim()
        .parse()?;
    assert!(healthy, "dailies serve never became healthy");
    assert!(pid_alive(pg_pid), "the embedded postgres should be running");

    terminate(&child)?;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_uploads_a_tree_once_and_watch_picks_up_new_files() -> TestResult {
    use crate::media_files as mf;
    let url = domain::testing::TestDb::empty().await?;
    domain::db::migrate(&url).await?;
    let pool = domain::db::pool(&url, 2)?;
    let (project, user) = {
        let mut conn = domain::db::conn(&pool).await?;
        let user = domain::auth::login::create_user(&mut conn, "imp@example.com", "Imp", "password123", false).await?;
        let project = domain::projects::create(&mut conn, user.user_id(), "Import test", "").await?;
        (project, user)
    };
    let data = tempfile::tempdir()?;
    let tree = tempfile::tempdir()?;
    let day = tree.path().join("Day 1");
    std::fs::create_dir_all(day.join("Cam"))?;
    mf::photo(&day, "a.jpg", &[])?;
    mf::photo(&day.join("Cam"), "b.jpg", &[])?;
    mf::wav(tree.path(), "c.wav", 1)?;
    std::fs::write(tree.path().join(".DS_Store"), b"junk")?;

    let run = |extra: &[&str]| {
        Command::new(BIN)
            .arg("import")
            .arg(tree.path())
            .args(["--project", "Import test"])
            .args(extra)
            .env("DATABASE_URL", &url)
            .env("DAILIES_DATA", data.path())
            .output()
    };
    let out = run(&[])?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("processed 3/3 (0 failed)"), "{stdout}");

    let mut conn = domain::db::conn(&pool).await?;
    let page = domain::assets::list(&mut conn, user.user_id(), project.id, &Default::default()).await?;
    assert_eq!(page.total, 3);
    assert!(page.items.iter().all(|a| a.status == model::asset::VersionState::Ready));
    let folders = domain::folders::list(&mut conn, user.user_id(), project.id).await?;
    let mut names: Vec<&str> = folders.iter().map(|f| f.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Cam", "Day 1"]);
    let cam = folders.iter().find(|f| f.name == "Cam").map(|f| f.id);
    let day_id = folders.iter().find(|f| f.name == "Day 1").map(|f| f.id);
    assert_eq!(
        folders.iter().find(|f| f.name == "Cam").and_then(|f| f.parent_id),
        day_id
    );
    assert_eq!(
        page.items.iter().find(|a| a.name == "b.jpg").and_then(|a| a.folder_id),
        cam
    );

    // Running it again skips what is there.
    let out = run(&[])?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert_eq!(stdout.matches("already imported").count(), 3, "{stdout}");

    // Watch mode picks up a new file once it has settled.
    let mut watcher = Command::new(BIN)
        .arg("import")
        .arg(tree.path())
        .args(["--project", "Import test", "--watch", "--interval", "1"])
        .env("DATABASE_URL", &url)
        .env("DAILIES_DATA", data.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    mf::photo(&day, "late.jpg", &[])?;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let page = domain::assets::list(&mut conn, user.user_id(), project.id, &Default::default()).await?;
        if let Some(late) = page.items.iter().find(|a| a.name == "late.jpg") {
            if late.status == model::asset::VersionState::Ready {
                assert_eq!(late.folder_id, day_id);
                break;
            }
        }
        anyhow::ensure!(Instant::now() < deadline, "watch mode did not import late.jpg");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    terminate(&watcher)?;
    let status = watcher.wait()?;
    assert!(status.success(), "{status}");
    Ok(())
}

#[tokio::test]
async fn backup_and_restore_round_trip_through_the_binary() -> TestResult {
    let (from_db, to_db) = (
        domain::testing::TestDb::empty().await?,
        domain::testing::TestDb::empty().await?,
    );
    let (from_data, to_data, out) = (tempfile::tempdir()?, tempfile::tempdir()?, tempfile::tempdir()?);
    let backup_dir = out.path().join("nightly");
    let run = |args: &[&str], url: &str, data: &std::path::Path| {
        Command::new(BIN)
            .args(args)
            .env("DATABASE_URL", url)
            .env("DAILIES_DATA", data)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
    };
    let mut add = run(
        &["user", "add", "--email", "keep@example.com", "--name", "Keep"],
        &from_db,
        from_data.path(),
    )?;
    add.stdin
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdin"))?
        .write_all(b"a long password\n")?;
    assert!(add.wait_with_output()?.status.success());

    let dir = backup_dir.display().to_string();
    let made = run(&["backup", &dir], &from_db, from_data.path())?.wait_with_output()?;
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(String::from_utf8_lossy(&made.stdout).contains("backed up the database"));
    assert!(backup_dir.join("database.dump").exists() && backup_dir.join("objects.jsonl").exists());

    let back = run(&["restore", &dir], &to_db, to_data.path())?.wait_with_output()?;
    assert!(back.status.success(), "{}", String::from_utf8_lossy(&back.stderr));
    let mut conn = AsyncPgConnection::establish(&to_db).await?;
    use domain::schema::users;
    let emails: Vec<String> = users::table.select(users::email).load(&mut conn).await?;
    assert_eq!(emails, ["keep@example.com"]);
    let again = run(&["restore", &dir], &to_db, to_data.path())?.wait_with_output()?;
    assert!(
        !again.status.success(),
        "a database with accounts is not replaced by mistake"
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("--replace"));
    Ok(())
}
