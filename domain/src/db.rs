//! Connection pool and embedded migrations.

use crate::error::{DomainError, DomainResult};
use anyhow::Context;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::AsyncPgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

/// The pool every request, job and test takes connections from.
pub type DbPool = Pool<AsyncPgConnection>;

/// A pooled connection.
pub type DbConn = Object<AsyncPgConnection>;

/// The migrations in `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

/// Builds a pool of at most `size` connections to `url`.
pub fn pool(url: &str, size: usize) -> anyhow::Result<DbPool> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(std::time::Duration::from_secs(10)))
        .create_timeout(Some(std::time::Duration::from_secs(10)))
        .runtime(deadpool_runtime())
        .build()
        .context("building the database pool")
}

fn deadpool_runtime() -> deadpool::Runtime {
    deadpool::Runtime::Tokio1
}

/// Takes a connection from the pool.
pub async fn conn(pool: &DbPool) -> DomainResult<DbConn> {
    pool.get().await.map_err(DomainError::from)
}

/// Runs every pending migration against `url`; returns how many ran.
pub async fn migrate(url: &str) -> anyhow::Result<usize> {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
        let mut conn = <AsyncConnectionWrapper<AsyncPgConnection> as diesel::Connection>::establish(&url)
            .context("connecting to run migrations")?;
        let ran = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("running migrations: {e}"))?;
        Ok(ran.len())
    })
    .await?
}

/// Reverts every applied migration (used by the schema test).
pub async fn revert_all(url: &str) -> anyhow::Result<usize> {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
        let mut conn = <AsyncConnectionWrapper<AsyncPgConnection> as diesel::Connection>::establish(&url)
            .context("connecting to revert migrations")?;
        let reverted = conn
            .revert_all_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("reverting migrations: {e}"))?;
        Ok(reverted.len())
    })
    .await?
}

/// Checks that the database answers (`SELECT 1`).
pub async fn ping(pool: &DbPool) -> DomainResult<()> {
    use diesel_async::RunQueryDsl;
    let mut conn = conn(pool).await?;
    diesel::sql_query("SELECT 1").execute(&mut conn).await?;
    Ok(())
}
