//! A throwaway S3-compatible server for storage tests.

use anyhow::Context;

/// A real S3-compatible server (s3s-fs) on a free loopback port, with one bucket, for the
/// life of the value.
pub struct TestS3 {
    child: std::process::Child,
    dir: tempfile::TempDir,
    port: u16,
    /// The storage configuration pointing at it.
    pub config: crate::storage::StorageConfig,
}

impl TestS3 {
    /// Starts s3s-fs (installed by `scripts/setup`) and creates bucket `dailies`.
    pub async fn start() -> anyhow::Result<TestS3> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("dailies"))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = spawn(dir.path(), port).await?;
        let config = crate::storage::StorageConfig::S3 {
            bucket: "dailies".into(),
            prefix: "test".into(),
            endpoint: Some(format!("http://127.0.0.1:{port}")),
            region: "us-east-1".into(),
            access_key: Some("dailies".into()),
            secret_key: Some("dailies-secret".into()),
        };
        Ok(TestS3 {
            child,
            dir,
            port,
            config,
        })
    }

    /// Stops the server (as a crash would: SIGKILL); its objects stay on disk.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again on the same port over the same objects.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        self.stop();
        self.child = spawn(self.dir.path(), self.port).await?;
        Ok(())
    }
}

async fn spawn(dir: &std::path::Path, port: u16) -> anyhow::Result<std::process::Child> {
    let bin = which_s3s_fs().ok_or_else(|| {
        anyhow::anyhow!("s3s-fs is not installed (the S3 tests need a real S3 server): run ./scripts/setup")
    })?;
    let child = std::process::Command::new(bin)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--access-key",
            "dailies",
            "--secret-key",
            "dailies-secret",
        ])
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .context("starting s3s-fs")?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        anyhow::ensure!(std::time::Instant::now() < deadline, "s3s-fs did not start listening");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Ok(child)
}

impl Drop for TestS3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn which_s3s_fs() -> Option<std::path::PathBuf> {
    let home_bin = std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo/bin"));
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .chain(home_bin)
        .map(|d| d.join("s3s-fs"))
        .find(|p| p.is_file())
}
