//! The job queue: typed jobs in a PostgreSQL table, enqueued in the same transaction as the
//! change that needs them, claimed with `FOR UPDATE SKIP LOCKED`, heartbeated without holding
//! a transaction, reaped when a worker goes silent, retried with exponential backoff a bounded
//! number of times, and cancellable. `NOTIFY dailies_jobs` wakes idle workers; polling is the
//! fallback.

pub mod queue;
pub mod runner;

pub use runner::{JobContext, Registry, Runner, RunnerConfig};

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;

/// The channel workers `LISTEN` on.
pub const CHANNEL: &str = "dailies_jobs";

/// A kind of background work. The struct is the payload (stored as JSON).
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Stable name stored in the table; never rename one that may be queued.
    const KIND: &'static str;
    /// The queue it runs on.
    const QUEUE: &'static str = "default";
    /// How many times it may run before it is marked failed.
    const MAX_ATTEMPTS: i32 = 5;

    /// A key that makes a second enqueue a no-op while the first is queued or running.
    fn dedupe_key(&self) -> Option<String> {
        None
    }

    /// Does the work. Must be idempotent: a job can run again after a crash or a retry.
    fn run(self, ctx: JobContext) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// Return this (inside `anyhow`) from a job to fail it at once, without retries.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Permanent(pub String);
