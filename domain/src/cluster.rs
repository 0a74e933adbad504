//! A private PostgreSQL cluster owned by the app (and by the test harness).
//!
//! Used when no `DATABASE_URL` is given. The cluster lives under one directory:
//! `data/` (PGDATA), `run/` (the Unix socket), `log/postgres.log`, and `password`
//! (the generated password of the `dailies` role, readable by the app's user only).
//! PostgreSQL refuses to run as root, so when we are root the directory is handed to
//! the unprivileged `postgres` system user and the server runs as that user.

use anyhow::{bail, Context};
use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{mpsc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The role and database the app uses inside its own cluster.
pub const APP_ROLE: &str = "dailies";

/// How the cluster should trade safety for speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Normal durable settings, for the app's data.
    Durable,
    /// `fsync=off` and friends, for throwaway test clusters.
    Throwaway,
}

/// A running cluster. Stopping it (or dropping it) shuts PostgreSQL down.
pub struct Cluster {
    dir: PathBuf,
    port: u16,
    password: String,
    pid: i32,
    keeper: Option<JoinHandle<()>>,
    exited: Mutex<mpsc::Receiver<String>>,
}

/// The unprivileged user PostgreSQL runs as when we are root.
#[derive(Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
}

impl Cluster {
    /// Creates the cluster under `dir` on first use, starts it on a free loopback port,
    /// and waits until it accepts connections. Blocking; call it before (or outside) the
    /// async runtime's hot paths.
    pub fn start(dir: &Path, durability: Durability) -> anyhow::Result<Cluster> {
        Cluster::start_on(dir, durability, None)
    }

    /// [`Cluster::start`] on a given port (a restart keeps the address its clients know),
    /// or a free one.
    pub fn start_on(dir: &Path, durability: Durability, port: Option<u16>) -> anyhow::Result<Cluster> {
        let bin = find_bin_dir()?;
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let dir = dir
            .canonicalize()
            .with_context(|| format!("resolving {}", dir.display()))?;
        let run_as = run_as()?;
        if let Some(user) = run_as {
            check_reachable(&dir, user)?;
        }
        let data = dir.join("data");
        let run = dir.join("run");
        let log_dir = dir.join("log");
        for d in [&run, &log_dir] {
            fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
        }
        if let Some(user) = run_as {
            for d in [&dir, &run, &log_dir] {
                chown(d, user)?;
            }
        }
        let password = ensure_password(&dir)?;
        let fresh = !data.join("PG_VERSION").exists();
        if fresh {
            initdb(&bin, &dir, &data, &password, run_as)?;
        }
        let port = match port {
            Some(p) => p,
            None => free_port()?,
        };
        let log_path = log_dir.join("postgres.log");
        let mut cmd = Command::new(bin.join("postgres"));
        cmd.arg("-D")
            .arg(&data)
            .arg("-p")
            .arg(port.to_string())
            .arg("-k")
            .arg(&run)
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"]);
        if durability == Durability::Throwaway {
            cmd.args([
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ]);
        }
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .with_context(|| format!("opening {}", log_path.display()))?;
        cmd.stdin(Stdio::null()).stdout(log.try_clone()?).stderr(log);
        if let Some(user) = run_as {
            cmd.uid(user.uid).gid(user.gid);
        }
        die_with_parent(&mut cmd);

        let (pid_tx, pid_rx) = mpsc::channel();
        let (exit_tx, exited) = mpsc::channel();
        // The keeper thread owns the child for its whole life: the parent-death signal is
        // tied to the thread that spawned the child, so that thread must outlive it.
        let keeper = std::thread::Builder::new()
            .name("postgres-keeper".into())
            .spawn(move || match cmd.spawn() {
                Ok(mut child) => {
                    let _ = pid_tx.send(Ok(child.id()));
                    let status = child.wait().map(|s| s.to_string()).unwrap_or_else(|e| e.to_string());
                    let _ = exit_tx.send(status);
                }
                Err(e) => {
                    let _ = pid_tx.send(Err(e));
                }
            })?;
        let pid = pid_rx
            .recv()
            .context("the postgres keeper thread died")?
            .context("starting postgres")?;
        let mut cluster = Cluster {
            dir: dir.clone(),
            port,
            password,
            pid: i32::try_from(pid).context("pid out of range")?,
            keeper: Some(keeper),
            exited: Mutex::new(exited),
        };
        cluster.wait_ready(&bin, &log_path)?;
        if fresh {
            cluster.create_database(&bin, APP_ROLE)?;
        }
        tracing::info!(pg.dir = %dir.display(), pg.port = port, "embedded PostgreSQL is ready");
        Ok(cluster)
    }

    /// A connection URL for database `db` on this cluster.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{APP_ROLE}:{}@127.0.0.1:{}/{db}", self.password, self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of the app's own database.
    pub fn app_url(&self) -> String {
        self.url(APP_ROLE)
    }

    /// The directory holding the cluster.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Shuts PostgreSQL down ("fast" mode: open sessions are ended, data is flushed).
    pub fn stop(mut self) -> anyhow::Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> anyhow::Result<()> {
        let Some(keeper) = self.keeper.take() else {
            return Ok(());
        };
        use nix::sys::signal::{kill, Signal};
        use nix::unistd::Pid;
        let pid = Pid::from_raw(self.pid);
        let _ = kill(pid, Signal::SIGINT);
        let exited = match self.exited.lock() {
            Ok(rx) => rx,
            Err(poisoned) => poisoned.into_inner(),
        };
        match exited.recv_timeout(Duration::from_secs(30)) {
            Ok(status) => tracing::info!(pg.status = %status, "embedded PostgreSQL stopped"),
            Err(_) => {
                tracing::warn!("PostgreSQL did not stop within 30 s; sending SIGQUIT");
                let _ = kill(pid, Signal::SIGQUIT);
                let _ = exited.recv_timeout(Duration::from_secs(10));
            }
        }
        let _ = keeper.join();
        Ok(())
    }

    fn wait_ready(&mut self, bin: &Path, log_path: &Path) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let exited = self.exited.lock().ok().and_then(|rx| rx.try_recv().ok());
            if let Some(status) = exited {
                self.keeper = None;
                bail!("PostgreSQL exited during start-up ({status}):\n{}", tail(log_path));
            }
            let ready = Command::new(bin.join("pg_isready"))
                .args([
                    "-q",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &self.port.to_string(),
                    "-U",
                    APP_ROLE,
                    "-d",
                    "postgres",
                ])
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if ready {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("PostgreSQL did not become ready within 60 s:\n{}", tail(log_path));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn create_database(&self, bin: &Path, name: &str) -> anyhow::Result<()> {
        let out = Command::new(bin.join("createdb"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", APP_ROLE, name])
            .env("PGPASSWORD", &self.password)
            .output()
            .context("running createdb")?;
        if !out.status.success() {
            bail!("createdb {name} failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Err(e) = self.shutdown() {
            tracing::warn!(error = %e, "stopping PostgreSQL");
        }
    }
}

/// Finds the directory holding `initdb` and `postgres`: `DAILIES_PG_BIN`, then Debian's
/// `/usr/lib/postgresql/<newest>/bin`, then `PATH`.
fn find_bin_dir() -> anyhow::Result<PathBuf> {
    let has_tools = |d: &Path| {
        ["initdb", "postgres", "pg_isready", "createdb"]
            .iter()
            .all(|t| d.join(t).is_file())
    };
    if let Some(dir) = std::env::var_os("DAILIES_PG_BIN").map(PathBuf::from) {
        if has_tools(&dir) {
            return Ok(dir);
        }
        bail!(
            "DAILIES_PG_BIN={} does not hold initdb, postgres, pg_isready and createdb",
            dir.display()
        );
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has_tools(&bin).then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
        if let Ok(initdb) = dir.join("initdb").canonicalize() {
            if let Some(bin) = initdb.parent().filter(|d| has_tools(d)) {
                return Ok(bin.to_path_buf());
            }
        }
    }
    bail!(
        "PostgreSQL is not installed: no initdb/postgres found. Install it (apt-get install postgresql), \
         set DAILIES_PG_BIN to its bin directory, or set DATABASE_URL to use an existing server"
    )
}

fn run_as() -> anyhow::Result<Option<RunAs>> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    let user = nix::unistd::User::from_name("postgres")
        .context("looking up the postgres user")?
        .context(
            "running as root, and PostgreSQL refuses to run as root: create an unprivileged `postgres` \
             system user (the postgresql package does), or run Dailies as a normal user",
        )?;
    Ok(Some(RunAs {
        uid: user.uid.as_raw(),
        gid: user.gid.as_raw(),
    }))
}

fn chown(path: &Path, user: RunAs) -> anyhow::Result<()> {
    nix::unistd::chown(path, Some(user.uid.into()), Some(user.gid.into()))
        .with_context(|| format!("handing {} to the postgres user", path.display()))
}

/// Checks that the unprivileged user can walk down to `dir` (it cannot under `/root`).
fn check_reachable(dir: &Path, user: RunAs) -> anyhow::Result<()> {
    for ancestor in dir.ancestors().skip(1) {
        let meta = fs::metadata(ancestor).with_context(|| format!("reading {}", ancestor.display()))?;
        let mode = meta.permissions().mode();
        let ok = if meta.uid() == user.uid {
            mode & 0o100 != 0
        } else if meta.gid() == user.gid {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        };
        if !ok {
            bail!(
                "PostgreSQL runs as the `postgres` user, which cannot enter {} (mode {:o}); put DAILIES_DATA \
                 somewhere it can reach, or set DATABASE_URL",
                ancestor.display(),
                mode & 0o7777
            );
        }
    }
    Ok(())
}

fn ensure_password(dir: &Path) -> anyhow::Result<String> {
    let path = dir.join("password");
    if let Ok(existing) = fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if !existing.is_empty() {
            return Ok(existing);
        }
    }
    let password = crate::auth::secret::random_token(24);
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(password.as_bytes())?;
    Ok(password)
}

fn initdb(bin: &Path, dir: &Path, data: &Path, password: &str, run_as: Option<RunAs>) -> anyhow::Result<()> {
    // initdb reads the password from a file the server's user can read; it is removed after.
    let pwfile = dir.join("initdb-password");
    fs::write(&pwfile, password)?;
    fs::set_permissions(&pwfile, fs::Permissions::from_mode(0o600))?;
    if let Some(user) = run_as {
        chown(&pwfile, user)?;
    }
    let mut cmd = Command::new(bin.join("initdb"));
    cmd.arg("-D")
        .arg(data)
        .args(["-U", APP_ROLE, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        .args(["--auth-local=scram-sha-256", "--auth-host=scram-sha-256"])
        .arg(format!("--pwfile={}", pwfile.display()))
        .current_dir(dir);
    if let Some(user) = run_as {
        cmd.uid(user.uid).gid(user.gid);
    }
    let out = cmd.output().context("running initdb")?;
    let _ = fs::remove_file(&pwfile);
    if !out.status.success() {
        let _ = fs::remove_dir_all(data);
        bail!(
            "initdb failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free loopback port")?;
    Ok(listener.local_addr()?.port())
}

fn tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

/// Asks the kernel to stop PostgreSQL (fast shutdown) if our process dies without
/// stopping it, e.g. on SIGKILL.
#[expect(
    unsafe_code,
    reason = "pre_exec is unsafe; the closure only makes one async-signal-safe syscall"
)]
fn die_with_parent(cmd: &mut Command) {
    // SAFETY: prctl(PR_SET_PDEATHSIG) is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGINT).map_err(std::io::Error::from));
    }
}
