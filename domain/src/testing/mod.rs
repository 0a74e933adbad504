//! The test-database harness: one PostgreSQL server per test process (the external
//! `DATABASE_URL` server, or a throwaway cluster started here the same way the app
//! starts its own), a template database migrated once, and a fresh database cloned
//! from it for every test.

use crate::cluster::{Cluster, Durability};
use crate::db::{self, DbPool};
use anyhow::Context;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

struct Server {
    /// URL of a maintenance database on the server (where CREATE DATABASE runs).
    admin_url: String,
    /// The migrated template.
    template: String,
    /// Keeps the throwaway cluster alive for the life of the process.
    _cluster: Option<Cluster>,
}

mod s3;
pub use s3::TestS3;

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static CREATE_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh, migrated database for one test.
pub struct TestDb {
    /// Its connection URL.
    pub url: String,
    /// A small pool on it.
    pub pool: DbPool,
    /// Its name.
    pub name: String,
}

/// Replaces the database name in a `postgres://` URL.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_and_path = &base[scheme_end..];
    let host = host_and_path.split('/').next().unwrap_or(host_and_path);
    let mut out = format!("{}{}/{}", &base[..scheme_end], host, db);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

fn start_server() -> Result<Server, String> {
    (|| -> anyhow::Result<Server> {
        let (admin_url, cluster) = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.is_empty() => (with_database(&url, "postgres"), None),
            _ => {
                let dir = std::env::temp_dir().join(format!("dailies-test-pg-{}", std::process::id()));
                let _ = std::fs::remove_dir_all(&dir);
                remove_stale_clusters();
                let cluster = Cluster::start(&dir, Durability::Throwaway)?;
                (cluster.url("postgres"), Some(cluster))
            }
        };
        let template = format!("dailies_template_{}", std::process::id());
        // Migrating needs a runtime of its own: this runs once, outside any test's runtime.
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        rt.block_on(async {
            let mut conn = AsyncPgConnection::establish(&admin_url)
                .await
                .context("connecting to the test server")?;
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {template}"))
                .execute(&mut conn)
                .await?;
            diesel::sql_query(format!("CREATE DATABASE {template}"))
                .execute(&mut conn)
                .await?;
            db::migrate(&with_database(&admin_url, &template)).await?;
            anyhow::Ok(())
        })?;
        Ok(Server {
            admin_url,
            template,
            _cluster: cluster,
        })
    })()
    .map_err(|e| format!("{e:#}"))
}

/// Clusters left behind by test processes that no longer run.
fn remove_stale_clusters() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name
            .strip_prefix("dailies-test-pg-")
            .and_then(|p| p.parse::<u32>().ok())
        {
            if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

impl TestDb {
    /// Clones the migrated template into a new database and opens a pool on it.
    pub async fn new() -> anyhow::Result<TestDb> {
        let server = tokio::task::spawn_blocking(|| SERVER.get_or_init(start_server).as_ref().map_err(Clone::clone))
            .await?
            .map_err(|e| anyhow::anyhow!("test database server: {e}"))?;
        let name = format!(
            "dailies_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        {
            // CREATE DATABASE … TEMPLATE fails while another clone of the same template runs.
            let _guard = CREATE_LOCK.lock().await;
            let mut conn = AsyncPgConnection::establish(&server.admin_url).await?;
            diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {}", server.template))
                .execute(&mut conn)
                .await
                .with_context(|| format!("creating {name}"))?;
        }
        let url = with_database(&server.admin_url, &name);
        let pool = db::pool(&url, 8)?;
        Ok(TestDb { url, pool, name })
    }

    /// A fresh, empty (unmigrated) database, for migration tests.
    pub async fn empty() -> anyhow::Result<String> {
        let server = tokio::task::spawn_blocking(|| SERVER.get_or_init(start_server).as_ref().map_err(Clone::clone))
            .await?
            .map_err(|e| anyhow::anyhow!("test database server: {e}"))?;
        let name = format!(
            "dailies_empty_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = AsyncPgConnection::establish(&server.admin_url).await?;
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await?;
        Ok(with_database(&server.admin_url, &name))
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_names_are_swapped_in_urls() {
        assert_eq!(with_database("postgres://u:p@h:5/a", "b"), "postgres://u:p@h:5/b");
        assert_eq!(
            with_database("postgres://u@h/a?sslmode=disable", "b"),
            "postgres://u@h/b?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "b"), "postgres://h/b");
    }
}
