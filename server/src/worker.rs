//! The worker runtime. The job table arrives with ingest; until then workers connect,
//! report ready, and wait for shutdown.

use crate::config::Config;
use crate::shutdown::{self, Shutdown};
use domain::db::DbPool;

/// Spawns `count` workers on the pool; they stop when `shutdown` fires.
pub fn spawn(count: usize, pool: DbPool, shutdown: Shutdown) -> Vec<tokio::task::JoinHandle<()>> {
    (0..count)
        .map(|n| {
            let pool = pool.clone();
            let mut shutdown = shutdown.clone();
            tokio::spawn(async move {
                match domain::db::conn(&pool).await {
                    Ok(_) => tracing::info!(worker.n = n, "worker ready (no job types yet)"),
                    Err(e) => tracing::warn!(worker.n = n, error = %e, "worker could not reach the database"),
                }
                shutdown.wait().await;
            })
        })
        .collect()
}

/// `dailies worker`: workers only, until Ctrl-C or SIGTERM.
pub async fn run_standalone(config: Config) -> anyhow::Result<()> {
    let db = crate::database::open(&config).await?;
    let pool = domain::db::pool(&db.url, config.db_pool)?;
    let (trigger, shutdown) = shutdown::channel();
    let workers = spawn(config.workers.max(1), pool, shutdown);
    shutdown::signal().await;
    trigger.fire();
    for w in workers {
        let _ = w.await;
    }
    db.close().await
}
