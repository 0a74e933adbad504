//! Choosing the database: an external server from `DATABASE_URL`, or our own cluster.

use crate::config::Config;
use domain::cluster::{Cluster, Durability};

/// The database the process uses, and the cluster it owns (if any).
pub struct Database {
    /// Connection URL.
    pub url: String,
    /// The embedded cluster, stopped when this is dropped.
    pub cluster: Option<Cluster>,
}

/// Connects to `DATABASE_URL`, or creates/starts the embedded cluster; then migrates.
pub async fn open(config: &Config) -> anyhow::Result<Database> {
    let (url, cluster) = match config.database_url.as_deref().filter(|u| !u.is_empty()) {
        Some(url) => {
            tracing::info!("using the database from DATABASE_URL");
            (url.to_owned(), None)
        }
        None => {
            let dir = config.data_dir.join("pg");
            let cluster = tokio::task::spawn_blocking(move || Cluster::start(&dir, Durability::Durable)).await??;
            (cluster.app_url(), Some(cluster))
        }
    };
    let ran = domain::db::migrate(&url).await?;
    if ran > 0 {
        tracing::info!(migrations = ran, "database migrated");
    }
    Ok(Database { url, cluster })
}

impl Database {
    /// Stops the embedded cluster, if we own one.
    pub async fn close(self) -> anyhow::Result<()> {
        if let Some(cluster) = self.cluster {
            tokio::task::spawn_blocking(move || cluster.stop()).await??;
        }
        Ok(())
    }
}
