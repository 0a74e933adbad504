//! Workers: claim a job, run it while heartbeating (with no transaction open), record the
//! outcome; reap silent workers' jobs; wake on NOTIFY, poll as a fallback.

use super::{queue, Job, Permanent, CHANNEL};
use crate::db::DbPool;
use crate::error::DomainResult;
use futures::future::BoxFuture;
use futures::FutureExt;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// What a running job can use: the pool, and a way to report progress.
#[derive(Clone)]
pub struct JobContext {
    /// The database pool (take a connection only for as long as needed).
    pub pool: DbPool,
    /// This job's id.
    pub job_id: i64,
    /// Which attempt this is (1-based).
    pub attempt: i32,
    /// Storage, settings and tools, when the runner was given them.
    pub state: Option<crate::AppState>,
    worker_id: Arc<str>,
}

impl JobContext {
    /// The shared state, for jobs that need storage or tools.
    pub fn state(&self) -> anyhow::Result<&crate::AppState> {
        self.state
            .as_ref()
            .ok_or_else(|| anyhow::Error::new(Permanent("this worker has no storage configured".into())))
    }

    /// Stores progress (0–100) and a phase label, visible in the admin page.
    pub async fn progress(&self, percent: u8, phase: &str) -> DomainResult<()> {
        let mut conn = crate::db::conn(&self.pool).await?;
        queue::set_progress(&mut conn, self.job_id, &self.worker_id, percent, phase).await
    }
}

type Handler = Arc<dyn Fn(serde_json::Value, JobContext) -> BoxFuture<'static, anyhow::Result<()>> + Send + Sync>;

/// The job kinds this process can run.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Handler>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Adds a job kind.
    pub fn register<J: Job>(mut self) -> Registry {
        let handler: Handler = Arc::new(|payload, ctx| {
            async move {
                let job: J = serde_json::from_value(payload)
                    .map_err(|e| anyhow::Error::new(Permanent(format!("malformed {} payload: {e}", J::KIND))))?;
                job.run(ctx).await
            }
            .boxed()
        });
        self.handlers.insert(J::KIND, handler);
        self
    }

    /// The registered kinds.
    pub fn kinds(&self) -> Vec<String> {
        let mut k: Vec<String> = self.handlers.keys().map(|k| (*k).to_owned()).collect();
        k.sort();
        k
    }
}

/// Timings of the worker loop.
#[derive(Clone, Debug)]
pub struct RunnerConfig {
    /// How often an idle worker looks for work without a NOTIFY.
    pub poll_interval: Duration,
    /// How often a running job's heartbeat is written.
    pub heartbeat_interval: Duration,
    /// A running job without a heartbeat for this long is reclaimed.
    pub stale_after: Duration,
    /// First retry delay; doubles per attempt.
    pub backoff_base: Duration,
    /// Longest retry delay.
    pub backoff_max: Duration,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            poll_interval: Duration::from_secs(5),
            heartbeat_interval: Duration::from_secs(5),
            stale_after: Duration::from_secs(60),
            backoff_base: Duration::from_secs(10),
            backoff_max: Duration::from_secs(3600),
        }
    }
}

/// Runs jobs from the queue.
#[derive(Clone)]
pub struct Runner {
    pool: DbPool,
    state: Option<crate::AppState>,
    registry: Arc<Registry>,
    config: RunnerConfig,
    wake: Arc<Notify>,
}

impl Runner {
    /// A runner over `pool` for the kinds in `registry`.
    pub fn new(pool: DbPool, registry: Registry, config: RunnerConfig) -> Runner {
        Runner {
            pool,
            state: None,
            registry: Arc::new(registry),
            config,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Gives jobs the shared state (storage, settings, tools).
    pub fn with_state(mut self, state: crate::AppState) -> Runner {
        self.state = Some(state);
        self
    }

    /// Wakes idle workers (called on NOTIFY).
    pub fn wake(&self) {
        self.wake.notify_waiters();
    }

    /// One worker's loop, until `stop` resolves. A job in progress is finished first.
    pub async fn work(&self, worker_id: String, stop: impl std::future::Future<Output = ()>) {
        let worker_id: Arc<str> = worker_id.into();
        let kinds = self.registry.kinds();
        tokio::pin!(stop);
        tracing::info!(worker.id = %worker_id, jobs.kinds = ?kinds, "worker started");
        loop {
            if let Err(e) = self.reap().await {
                tracing::warn!(error = %e, "reaping stale jobs failed");
            }
            let claimed = if kinds.is_empty() {
                Ok(None)
            } else {
                self.claim(&worker_id, &kinds).await
            };
            match claimed {
                Ok(Some(job)) => {
                    self.execute(job, worker_id.clone()).await;
                    continue;
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "claiming a job failed"),
            }
            tokio::select! {
                () = &mut stop => break,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.config.poll_interval) => {}
            }
        }
        tracing::info!(worker.id = %worker_id, "worker stopped");
    }

    /// Claims and runs at most one job; returns whether one ran (for tests and tools).
    pub async fn run_one(&self, worker_id: &str) -> DomainResult<bool> {
        let kinds = self.registry.kinds();
        match self.claim(worker_id, &kinds).await? {
            Some(job) => {
                self.execute(job, worker_id.into()).await;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    async fn reap(&self) -> DomainResult<()> {
        let mut conn = crate::db::conn(&self.pool).await?;
        let reaped = queue::reap_stale(&mut conn, self.config.stale_after).await?;
        if !reaped.is_empty() {
            tracing::warn!(jobs = ?reaped, "reclaimed jobs from a silent worker");
        }
        Ok(())
    }

    async fn claim(&self, worker_id: &str, kinds: &[String]) -> DomainResult<Option<queue::Claimed>> {
        let mut conn = crate::db::conn(&self.pool).await?;
        queue::claim(&mut conn, worker_id, kinds).await
    }

    async fn execute(&self, job: queue::Claimed, worker_id: Arc<str>) {
        let Some(handler) = self.registry.handlers.get(job.kind.as_str()).cloned() else {
            self.record(
                job.id,
                &worker_id,
                Err(anyhow::Error::new(Permanent(format!("unknown job kind {}", job.kind)))),
            )
            .await;
            return;
        };
        tracing::info!(job.id = job.id, job.kind = %job.kind, job.attempt = job.attempts, "job started");
        let ctx = JobContext {
            pool: self.pool.clone(),
            job_id: job.id,
            attempt: job.attempts,
            state: self.state.clone(),
            worker_id: worker_id.clone(),
        };
        let work = AssertUnwindSafe(handler(job.payload, ctx)).catch_unwind();
        tokio::pin!(work);
        let mut beat = tokio::time::interval(self.config.heartbeat_interval);
        beat.tick().await;
        let outcome = loop {
            tokio::select! {
                result = &mut work => {
                    break Some(result.unwrap_or_else(|_| Err(anyhow::anyhow!("the job panicked"))));
                }
                _ = beat.tick() => match self.heartbeat(job.id, &worker_id).await {
                    // Dropping `work` stops the job (and kills its child processes).
                    Ok(Some(true)) => break None,
                    Ok(Some(false)) => {}
                    Ok(None) => {
                        tracing::warn!(job.id = job.id, "job was taken from this worker; abandoning it");
                        return;
                    }
                    Err(e) => tracing::warn!(job.id = job.id, error = %e, "heartbeat failed"),
                },
            }
        };
        match outcome {
            Some(result) => self.record(job.id, &worker_id, result).await,
            None => {
                tracing::info!(job.id = job.id, "job cancelled");
                if let Ok(mut conn) = crate::db::conn(&self.pool).await {
                    let _ = queue::mark_cancelled(&mut conn, job.id, &worker_id).await;
                }
            }
        }
    }

    async fn heartbeat(&self, id: i64, worker_id: &str) -> DomainResult<Option<bool>> {
        let mut conn = crate::db::conn(&self.pool).await?;
        queue::heartbeat(&mut conn, id, worker_id).await
    }

    async fn record(&self, id: i64, worker_id: &str, result: anyhow::Result<()>) {
        let saved = async {
            let mut conn = crate::db::conn(&self.pool).await?;
            match &result {
                Ok(()) => queue::succeed(&mut conn, id, worker_id).await,
                Err(e) => {
                    let permanent = e.downcast_ref::<Permanent>().is_some();
                    queue::fail(
                        &mut conn,
                        id,
                        worker_id,
                        &format!("{e:#}"),
                        permanent,
                        self.config.backoff_base,
                        self.config.backoff_max,
                    )
                    .await
                }
            }
        }
        .await;
        match (&result, saved) {
            (_, Err(e)) => {
                tracing::error!(job.id = id, error = %e, "could not record a job's outcome; it will be reaped")
            }
            (Ok(()), Ok(())) => tracing::info!(job.id = id, "job succeeded"),
            (Err(e), Ok(())) => tracing::warn!(job.id = id, error = %format!("{e:#}"), "job attempt failed"),
        }
    }

    /// Holds a `LISTEN` connection of its own and wakes workers on every notification, until
    /// `stop` resolves. (`dailies serve` shares one connection with the live hub instead.)
    pub async fn listen(&self, database_url: String, stop: impl std::future::Future<Output = ()>) {
        crate::listen::run(database_url, vec![Arc::new(self.clone())], stop).await;
    }
}

impl crate::listen::Listener for Runner {
    fn channels(&self) -> &'static [&'static str] {
        &[CHANNEL]
    }

    fn connected(&self) {
        // Catch up on anything enqueued while nobody listened.
        self.wake();
    }

    fn notified(&self, _channel: &str, _payload: &str) {
        self.wake();
    }
}
