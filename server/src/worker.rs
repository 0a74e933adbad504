//! The worker runtime: job runners (in `serve`, or alone in `dailies worker`) and the one
//! `LISTEN` connection per process that wakes them.

use crate::config::Config;
use crate::shutdown::{self, Shutdown};
use domain::jobs::{Registry, Runner, RunnerConfig};
use domain::AppState;

/// Every job kind this binary can run. Ingest registers its jobs here.
pub fn registry() -> Registry {
    Registry::new()
        .register::<domain::ingest::ProcessVersion>()
        .register::<domain::ingest::ExpireUploads>()
        .register::<domain::mail::NotificationEmail>()
}

/// A name that identifies this worker in the jobs table.
fn worker_name(n: usize) -> String {
    let host = nix::unistd::gethostname().map_or_else(|_| "host".to_owned(), |h| h.to_string_lossy().into_owned());
    format!("{host}:{}:{n}", std::process::id())
}

/// Starts `count` workers and (if any) the listener; they stop when `stop` fires.
pub fn spawn(
    count: usize,
    state: AppState,
    timings: RunnerConfig,
    database_url: String,
    stop: Shutdown,
) -> Vec<tokio::task::JoinHandle<()>> {
    if count == 0 {
        return Vec::new();
    }
    let runner = Runner::new(state.db.clone(), registry(), timings).with_state(state);
    let mut tasks = Vec::with_capacity(count + 1);
    let listener = runner.clone();
    let mut listener_stop = stop.clone();
    tasks.push(tokio::spawn(async move {
        listener
            .listen(database_url, async move { listener_stop.wait().await })
            .await
    }));
    for n in 0..count {
        let runner = runner.clone();
        let mut stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            runner.work(worker_name(n), async move { stop.wait().await }).await
        }));
    }
    tasks
}

/// `dailies worker`: workers only, until Ctrl-C or SIGTERM.
pub async fn run_standalone(config: Config) -> anyhow::Result<()> {
    let db = crate::database::open(&config).await?;
    let pool = domain::db::pool(&db.url, config.db_pool)?;
    let (trigger, stop) = shutdown::channel();
    let state = config.app_state(pool.clone())?;
    let workers = spawn(config.workers.max(1), state, config.runner(), db.url.clone(), stop);
    shutdown::signal().await;
    trigger.fire();
    for w in workers {
        let _ = w.await;
    }
    pool.close();
    db.close().await
}
