//! `dailies import DIR --project P [--as EMAIL] [--watch]`: uploads a folder tree through the
//! same pipeline as the browser, keeping its structure as folders, and processes it with
//! in-process workers. Files already imported (same folder, name and size) are skipped, so an
//! interrupted import can simply be run again. `--watch` keeps going and picks up new files
//! once they have settled (same size and modification time on two polls).

use crate::config::Config;
use crate::{shutdown, worker};
use domain::AppState;
use model::{AssetId, FolderId, ProjectId, UserId};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What to import.
#[derive(clap::Args, Debug, Clone)]
pub struct ImportArgs {
    /// The directory to import.
    pub dir: PathBuf,
    /// Project id or exact name.
    #[arg(long)]
    pub project: String,
    /// Import as this account (default: the project's first owner).
    #[arg(long = "as")]
    pub as_email: Option<String>,
    /// Keep watching the directory for new files.
    #[arg(long)]
    pub watch: bool,
    /// Seconds between scans in watch mode.
    #[arg(long, default_value_t = 2)]
    pub interval: u64,
}

fn files(dir: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                stack.push(e.path());
            } else if meta.is_file() {
                out.push((e.path(), meta.len(), meta.modified().ok()));
            }
        }
    }
    out.sort();
    out
}

struct Importer {
    state: AppState,
    project: ProjectId,
    user: UserId,
    root: PathBuf,
    folders: HashMap<PathBuf, FolderId>,
}

impl Importer {
    async fn folder_for(&mut self, file: &Path) -> anyhow::Result<Option<FolderId>> {
        let rel = file
            .parent()
            .and_then(|p| p.strip_prefix(&self.root).ok())
            .unwrap_or(Path::new(""));
        if rel.as_os_str().is_empty() {
            return Ok(None);
        }
        if let Some(f) = self.folders.get(rel) {
            return Ok(Some(*f));
        }
        let mut conn = domain::db::conn(&self.state.db).await?;
        let path = rel.to_string_lossy().replace('\\', "/");
        let folder = domain::folders::ensure_path(&mut conn, self.user, self.project, None, &path)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.to_api()))?;
        self.folders.insert(rel.to_path_buf(), folder.id);
        Ok(Some(folder.id))
    }

    async fn import(&mut self, file: &Path, size: u64) -> anyhow::Result<Option<AssetId>> {
        let folder = self.folder_for(file).await?;
        let name = domain::uploads::clean_filename(&file.file_name().unwrap_or_default().to_string_lossy())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        {
            let mut conn = domain::db::conn(&self.state.db).await?;
            if domain::import::already_there(&mut conn, self.project, folder, &name, size).await? {
                return Ok(None);
            }
        }
        domain::import::import_file(&self.state, self.user, self.project, folder, file)
            .await
            .map(Some)
            .map_err(|e| anyhow::anyhow!("{}", e.to_api()))
    }
}

/// Runs an import to completion (or, with `--watch`, until Ctrl-C / SIGTERM).
pub async fn run(config: Config, args: ImportArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.dir.is_dir(), "{} is not a directory", args.dir.display());
    let db = crate::database::open(&config).await?;
    let pool = domain::db::pool(&db.url, config.db_pool)?;
    let state = config.app_state(pool.clone())?;
    let (project, user) = {
        let mut conn = domain::db::conn(&pool).await?;
        domain::import::resolve(&mut conn, &args.project, args.as_email.as_deref())
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.to_api()))?
    };
    let (trigger, stop) = shutdown::channel();
    let workers = worker::spawn_listening(config.workers, state.clone(), config.runner(), db.url.clone(), stop);
    let mut importer = Importer {
        state: state.clone(),
        project,
        user,
        root: args.dir.clone(),
        folders: HashMap::new(),
    };
    let result = if args.watch {
        watch(&mut importer, &args).await
    } else {
        once(&mut importer, &args.dir).await
    };
    trigger.fire();
    for w in workers {
        let _ = w.await;
    }
    pool.close();
    db.close().await?;
    result
}

async fn once(importer: &mut Importer, dir: &Path) -> anyhow::Result<()> {
    let all = files(dir);
    let mut imported = Vec::new();
    let mut errors = 0;
    for (i, (path, size, _)) in all.iter().enumerate() {
        match importer.import(path, *size).await {
            Ok(Some(id)) => {
                println!("[{}/{}] uploaded {}", i + 1, all.len(), path.display());
                imported.push(id);
            }
            Ok(None) => println!("[{}/{}] already imported {}", i + 1, all.len(), path.display()),
            Err(e) => {
                errors += 1;
                eprintln!("[{}/{}] {}: {e}", i + 1, all.len(), path.display());
            }
        }
    }
    // Wait for processing, showing progress.
    let mut last = String::new();
    loop {
        let states = {
            let mut conn = domain::db::conn(&importer.state.db).await?;
            domain::import::states(&mut conn, &imported).await?
        };
        let ready = states.iter().filter(|s| s.1 == "ready").count();
        let failed: Vec<_> = states.iter().filter(|s| s.1 == "failed").collect();
        let line = format!(
            "processed {}/{} ({} failed)",
            ready + failed.len(),
            imported.len(),
            failed.len()
        );
        if line != last {
            println!("{line}");
            last = line;
        }
        if ready + failed.len() == imported.len() {
            for (name, _, error) in failed {
                println!("failed: {name}: {}", error.as_deref().unwrap_or("unknown reason"));
            }
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    anyhow::ensure!(errors == 0, "{errors} file(s) could not be imported");
    Ok(())
}

async fn watch(importer: &mut Importer, args: &ImportArgs) -> anyhow::Result<()> {
    let mut seen: HashMap<PathBuf, (u64, Option<SystemTime>)> = HashMap::new();
    let mut done: HashSet<PathBuf> = HashSet::new();
    println!("watching {} (Ctrl-C to stop)", args.dir.display());
    let interval = Duration::from_secs(args.interval.max(1));
    let signal = shutdown::signal();
    tokio::pin!(signal);
    loop {
        for (path, size, modified) in files(&args.dir) {
            if done.contains(&path) {
                continue;
            }
            // Settled: unchanged since the previous scan.
            let now = (size, modified);
            if seen.get(&path) == Some(&now) {
                match importer.import(&path, size).await {
                    Ok(Some(_)) => println!("uploaded {}", path.display()),
                    Ok(None) => {}
                    Err(e) => eprintln!("{}: {e}", path.display()),
                }
                done.insert(path);
            } else {
                seen.insert(path, now);
            }
        }
        tokio::select! {
            () = &mut signal => return Ok(()),
            () = tokio::time::sleep(interval) => {}
        }
    }
}
