//! The job queue against a real PostgreSQL: claiming, retries, reaping, cancelling, NOTIFY.

use crate::support::{db, TestResult};
use diesel_async::{AsyncConnection, RunQueryDsl};
use domain::jobs::{queue, Job, JobContext, Permanent, Registry, Runner, RunnerConfig};
use domain::DomainError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Serialize, Deserialize)]
struct Noop {
    n: u32,
}

impl Job for Noop {
    const KIND: &'static str = "test_noop";
    async fn run(self, _: JobContext) -> anyhow::Result<()> {
        Ok(())
    }
}

static FLAKY_RUNS: AtomicUsize = AtomicUsize::new(0);

/// Fails its first two attempts, then succeeds.
#[derive(Serialize, Deserialize)]
struct Flaky;

impl Job for Flaky {
    const KIND: &'static str = "test_flaky";
    const MAX_ATTEMPTS: i32 = 3;
    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        FLAKY_RUNS.fetch_add(1, Ordering::SeqCst);
        ctx.progress(50, "halfway").await?;
        if ctx.attempt < 3 {
            anyhow::bail!("transient failure on attempt {}", ctx.attempt);
        }
        Ok(())
    }
}

#[derive(Serialize, Deserialize)]
struct Broken;

impl Job for Broken {
    const KIND: &'static str = "test_broken";
    const MAX_ATTEMPTS: i32 = 2;
    async fn run(self, _: JobContext) -> anyhow::Result<()> {
        anyhow::bail!("the file is corrupt")
    }
}

#[derive(Serialize, Deserialize)]
struct Hopeless;

impl Job for Hopeless {
    const KIND: &'static str = "test_hopeless";
    async fn run(self, _: JobContext) -> anyhow::Result<()> {
        Err(Permanent("not a media file".into()).into())
    }
}

#[derive(Serialize, Deserialize)]
struct Slow;

impl Job for Slow {
    const KIND: &'static str = "test_slow";
    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        ctx.progress(10, "waiting").await?;
        tokio::time::sleep(Duration::from_secs(30)).await;
        Ok(())
    }
}

#[derive(Serialize, Deserialize)]
struct Deduped {
    asset: String,
}

impl Job for Deduped {
    const KIND: &'static str = "test_deduped";
    fn dedupe_key(&self) -> Option<String> {
        Some(self.asset.clone())
    }
    async fn run(self, _: JobContext) -> anyhow::Result<()> {
        Ok(())
    }
}

fn fast() -> RunnerConfig {
    RunnerConfig {
        poll_interval: Duration::from_millis(100),
        heartbeat_interval: Duration::from_millis(100),
        stale_after: Duration::from_secs(60),
        backoff_base: Duration::ZERO,
        backoff_max: Duration::ZERO,
    }
}

#[tokio::test]
async fn a_job_enqueued_in_a_rolled_back_transaction_never_exists() -> TestResult {
    let (_db, mut conn) = db().await?;
    let r: Result<(), DomainError> = conn
        .transaction::<(), DomainError, _>(async |conn| {
            queue::enqueue(conn, &Noop { n: 1 }).await?;
            Err(model::ApiError::invalid("the change failed").into())
        })
        .await;
    assert!(r.is_err());
    assert!(queue::list(&mut conn, None, 10).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn concurrent_workers_claim_every_job_exactly_once() -> TestResult {
    let (db, mut conn) = db().await?;
    for n in 0..40 {
        queue::enqueue(&mut conn, &Noop { n }).await?;
    }
    let kinds = vec![Noop::KIND.to_owned()];
    let mut workers = Vec::new();
    for w in 0..4 {
        let pool = db.pool.clone();
        let kinds = kinds.clone();
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            let mut conn = pool.get().await?;
            while let Some(job) = queue::claim(&mut conn, &format!("w{w}"), &kinds).await? {
                mine.push(job.id);
            }
            anyhow::Ok(mine)
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await??);
    }
    let unique: HashSet<i64> = all.iter().copied().collect();
    assert_eq!((all.len(), unique.len()), (40, 40), "every job claimed once");
    Ok(())
}

#[tokio::test]
async fn failures_retry_with_backoff_then_succeed() -> TestResult {
    let (db, mut conn) = db().await?;
    let id = queue::enqueue(&mut conn, &Flaky)
        .await?
        .ok_or_else(|| anyhow::anyhow!("not enqueued"))?;
    let runner = Runner::new(db.pool.clone(), Registry::new().register::<Flaky>(), fast());
    for _ in 0..3 {
        assert!(runner.run_one("w1").await?);
    }
    let job = queue::get(&mut conn, id).await?;
    assert_eq!((job.state.as_str(), job.attempts, job.progress), ("succeeded", 3, 100));
    assert_eq!(job.last_error, None);
    assert!(!runner.run_one("w1").await?, "nothing left");

    // With a real backoff, the retry waits.
    let id = queue::enqueue(&mut conn, &Flaky)
        .await?
        .ok_or_else(|| anyhow::anyhow!("not enqueued"))?;
    let slow = RunnerConfig {
        backoff_base: Duration::from_secs(600),
        backoff_max: Duration::from_secs(600),
        ..fast()
    };
    let runner = Runner::new(db.pool.clone(), Registry::new().register::<Flaky>(), slow);
    assert!(runner.run_one("w1").await?);
    let job = queue::get(&mut conn, id).await?;
    assert_eq!(job.state, "queued");
    assert!(job.last_error.as_deref().is_some_and(|e| e.contains("attempt 1")));
    assert!(job.run_at > chrono::Utc::now() + chrono::Duration::seconds(500));
    assert!(!runner.run_one("w1").await?, "the retry is not due yet");
    Ok(())
}

#[tokio::test]
async fn jobs_that_keep_failing_end_failed_with_the_reason() -> TestResult {
    let (db, mut conn) = db().await?;
    let broken = queue::enqueue(&mut conn, &Broken)
        .await?
        .ok_or_else(|| anyhow::anyhow!("not enqueued"))?;
    let hopeless = queue::enqueue(&mut conn, &Hopeless)
        .await?
        .ok_or_else(|| anyhow::anyhow!("not enqueued"))?;
    let runner = Runner::new(
        db.pool.clone(),
        Registry::new().register::<Broken>().register::<Hopeless>(),
        fast(),
    );
    while runner.run_one("w1").await? {}
    let b = queue::get(&mut conn, broken).await?;
    assert_eq!((b.state.as_str(), b.attempts), ("failed", 2));
    assert_eq!(b.last_error.as_deref(), Some("the file is corrupt"));
    let h = queue::get(&mut conn, hopeless).await?;
    assert_eq!(
        (h.state.as_str(), h.attempts),
        ("failed", 1),
        "a permanent error is not retried"
    );
    Ok(())
}

#[tokio::test]
async fn a_silent_workers_job_is_reclaimed_and_completed() -> TestResult {
    let (db, mut conn) = db().await?;
    let id = queue::enqueue(&mut conn, &Noop { n: 7 })
        .await?
        .ok_or_else(|| anyhow::anyhow!("not enqueued"))?;
    let kinds = vec![Noop::KIND.to_owned()];
    let claimed = queue::claim(&mut conn, "crashed-worker", &kinds).await?;
    assert_eq!(claimed.map(|c| c.id), Some(id));
    // The worker dies: its heartbeat stops.
    diesel::sql_query("UPDATE jobs SET heartbeat_at = now() - interval '10 minutes'")
        .execute(&mut conn)
        .await?;
    assert_eq!(queue::reap_stale(&mut conn, Duration::from_secs(60)).await?, vec![id]);
    // The dead worker can no longer record anything for it.
    assert_eq!(queue::heartbeat(&mut conn, id, "crashed-worker").await?, None);
    let runner = Runner::new(db.pool.clone(), Registry::new().register::<Noop>(), fast());
    assert!(runner.run_one("healthy-worker").await?);
    let job = queue::get(&mut conn, id).await?;
    assert_eq!((job.state.as_str(), job.attempts), ("succeeded", 2));
    Ok(())
}

#[tokio::test]
async fn cancelling_stops_queued_and_running_jobs() -> TestResult {
    let (db, mut conn) = db().await?;
    let queued = queue::enqueue(&mut conn, &Noop { n: 1 })
        .await?
        .ok_or_else(|| anyhow::anyhow!("not enqueued"))?;
    assert_eq!(queue::cancel(&mut conn, queued).await?.state, "cancelled");

    let slow = queue::enqueue(&mut conn, &Slow)
        .await?
        .ok_or_else(|| anyhow::anyhow!("not enqueued"))?;
    let runner = Runner::new(db.pool.clone(), Registry::new().register::<Slow>(), fast());
    let started = Instant::now();
    let worker = tokio::spawn({
        let runner = runner.clone();
        async move { runner.run_one("w1").await }
    });
    // Wait until it reports progress, then cancel it.
    loop {
        if queue::get(&mut conn, slow).await?.phase == "waiting" {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(10),
            "the slow job never started"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    queue::cancel(&mut conn, slow).await?;
    assert!(worker.await??);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "cancellation must not wait for the job"
    );
    assert_eq!(queue::get(&mut conn, slow).await?.state, "cancelled");

    let retried = queue::retry(&mut conn, slow).await?;
    assert_eq!((retried.state.as_str(), retried.attempts), ("queued", 0));
    Ok(())
}

#[tokio::test]
async fn dedupe_keys_allow_one_live_job() -> TestResult {
    let (_db, mut conn) = db().await?;
    let a = Deduped { asset: "a".into() };
    let first = queue::enqueue(&mut conn, &a).await?;
    assert!(first.is_some());
    assert_eq!(queue::enqueue(&mut conn, &a).await?, None);
    assert!(queue::enqueue(&mut conn, &Deduped { asset: "b".into() })
        .await?
        .is_some());
    Ok(())
}

static NOTIFIED_RUNS: AtomicUsize = AtomicUsize::new(0);

#[derive(Serialize, Deserialize)]
struct Counted;

impl Job for Counted {
    const KIND: &'static str = "test_counted";
    async fn run(self, _: JobContext) -> anyhow::Result<()> {
        NOTIFIED_RUNS.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[tokio::test]
async fn notify_wakes_an_idle_worker_long_before_its_poll() -> TestResult {
    let (db, mut conn) = db().await?;
    let config = RunnerConfig {
        poll_interval: Duration::from_secs(120),
        ..fast()
    };
    let runner = Runner::new(db.pool.clone(), Registry::new().register::<Counted>(), config);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let listener = tokio::spawn({
        let runner = runner.clone();
        let url = db.url.clone();
        let stop = stopped(stop_rx.clone());
        async move { runner.listen(url, stop).await }
    });
    let worker = tokio::spawn({
        let runner = runner.clone();
        let stop = stopped(stop_rx.clone());
        async move { runner.work("w1".into(), stop).await }
    });
    // Let the worker go idle and the listener subscribe.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let start = Instant::now();
    let id = queue::enqueue(&mut conn, &Counted)
        .await?
        .ok_or_else(|| anyhow::anyhow!("not enqueued"))?;
    while queue::get(&mut conn, id).await?.state != "succeeded" {
        anyhow::ensure!(
            start.elapsed() < Duration::from_secs(10),
            "NOTIFY did not wake the worker"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(AtomicUsize::load(&NOTIFIED_RUNS, Ordering::SeqCst), 1);
    let _ = stop_tx.send(true);
    listener.await?;
    worker.await?;
    Ok(())
}
