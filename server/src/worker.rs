//! The worker runtime: job runners (in `serve`, or alone in `dailies worker`) and the one
//! `LISTEN` connection per process that wakes them (and, in `serve`, feeds the live hub).

use crate::config::Config;
use crate::shutdown::{self, Shutdown};
use domain::jobs::{Registry, Runner, RunnerConfig};
use domain::listen::Listener;
use domain::AppState;
use std::sync::Arc;

/// Every job kind this binary can run. Ingest registers its jobs here.
pub fn registry() -> Registry {
    Registry::new()
        .register::<domain::ingest::ProcessVersion>()
        .register::<domain::ingest::ExpireUploads>()
        .register::<domain::bulk::DeleteAssetFiles>()
        .register::<domain::mail::NotificationEmail>()
        .register::<domain::mail::SendMail>()
        .register::<domain::shares::watermark::BurnWatermark>()
        .register::<domain::shares::watermark::WarmWatermarks>()
        .register::<domain::shares::watermark::DropWatermarks>()
        .register::<domain::webhooks::DeliverWebhook>()
        .register::<domain::exports::render::RenderExport>()
        .register::<domain::clones::RunClone>()
}

/// A name that identifies this worker in the jobs table.
fn worker_name(n: usize) -> String {
    let host = nix::unistd::gethostname().map_or_else(|_| "host".to_owned(), |h| h.to_string_lossy().into_owned());
    format!("{host}:{}:{n}", std::process::id())
}

/// Starts `count` workers; they stop when `stop` fires. Returns the runner (to be woken by
/// the process's listener) unless `count` is 0.
pub fn spawn(
    count: usize,
    state: AppState,
    timings: RunnerConfig,
    stop: Shutdown,
) -> (Option<Runner>, Vec<tokio::task::JoinHandle<()>>) {
    if count == 0 {
        return (None, Vec::new());
    }
    let runner = Runner::new(state.db.clone(), registry(), timings).with_state(state);
    let tasks = (0..count)
        .map(|n| {
            let runner = runner.clone();
            let mut stop = stop.clone();
            tokio::spawn(async move { runner.work(worker_name(n), async move { stop.wait().await }).await })
        })
        .collect();
    (Some(runner), tasks)
}

/// Starts the process's one `LISTEN` connection, serving `listeners`, until `stop` fires.
pub fn spawn_listener(
    database_url: String,
    listeners: Vec<Arc<dyn Listener>>,
    mut stop: Shutdown,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move { domain::listen::run(database_url, listeners, async move { stop.wait().await }).await })
}

/// Starts `count` workers (at least one) with a `LISTEN` connection of their own: for
/// processes without a live hub (`dailies worker`, `dailies import`).
pub fn spawn_listening(
    count: usize,
    state: AppState,
    timings: RunnerConfig,
    database_url: String,
    stop: Shutdown,
) -> Vec<tokio::task::JoinHandle<()>> {
    let (runner, mut tasks) = spawn(count.max(1), state, timings, stop.clone());
    let listeners: Vec<Arc<dyn Listener>> = runner.into_iter().map(|r| Arc::new(r) as Arc<dyn Listener>).collect();
    tasks.push(spawn_listener(database_url, listeners, stop));
    tasks
}

/// `dailies worker`: workers only, until Ctrl-C or SIGTERM.
pub async fn run_standalone(config: Config) -> anyhow::Result<()> {
    let db = crate::database::open(&config).await?;
    let pool = domain::db::pool(&db.url, config.db_pool)?;
    let (trigger, stop) = shutdown::channel();
    let state = config.app_state(pool.clone())?;
    let tasks = spawn_listening(config.workers, state, config.runner(), db.url.clone(), stop);
    shutdown::signal().await;
    trigger.fire();
    for t in tasks {
        let _ = t.await;
    }
    pool.close();
    db.close().await
}
