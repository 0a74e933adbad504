//! The queue's SQL: every state transition of a job, each one statement.

use super::{Job, CHANNEL};
use crate::error::{DomainError, DomainResult};
use crate::schema::jobs;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Interval, Jsonb, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::dto::JobDto;
use model::ApiError;
use std::time::Duration;

/// The job states, as stored.
pub mod state {
    /// Waiting for a worker (or for its retry time).
    pub const QUEUED: &str = "queued";
    /// Claimed by a worker.
    pub const RUNNING: &str = "running";
    /// Done.
    pub const SUCCEEDED: &str = "succeeded";
    /// Gave up; `last_error` says why.
    pub const FAILED: &str = "failed";
    /// Stopped on request.
    pub const CANCELLED: &str = "cancelled";
    /// Every state.
    pub const ALL: [&str; 5] = [QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED];
}

/// A job a worker has claimed.
#[derive(Debug, QueryableByName)]
pub struct Claimed {
    /// Id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// Kind.
    #[diesel(sql_type = Text)]
    pub kind: String,
    /// Payload.
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
    /// This is attempt number …
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    /// … of at most.
    #[diesel(sql_type = Integer)]
    pub max_attempts: i32,
}

fn pg_interval(d: Duration) -> diesel::data_types::PgInterval {
    diesel::data_types::PgInterval::from_microseconds(i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}

/// Enqueues `job` on `conn` (inside the caller's transaction, if any) and notifies workers
/// at commit. Returns the new id, or `None` when a live job with the same dedupe key exists.
pub async fn enqueue<J: Job>(conn: &mut AsyncPgConnection, job: &J) -> DomainResult<Option<i64>> {
    enqueue_at(conn, job, Duration::ZERO).await
}

/// Like [`enqueue`], to run no earlier than `delay` from now.
pub async fn enqueue_at<J: Job>(conn: &mut AsyncPgConnection, job: &J, delay: Duration) -> DomainResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let payload = serde_json::to_value(job).map_err(|e| DomainError::Internal(format!("serialising job: {e}")))?;
    let ids: Vec<Id> = diesel::sql_query(
        "INSERT INTO jobs (kind, queue, payload, dedupe_key, max_attempts, run_at)
         VALUES ($1, $2, $3, $4, $5, now() + $6)
         ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL AND state IN ('queued', 'running')
         DO NOTHING
         RETURNING id",
    )
    .bind::<Text, _>(J::KIND)
    .bind::<Text, _>(J::QUEUE)
    .bind::<Jsonb, _>(payload)
    .bind::<Nullable<Text>, _>(job.dedupe_key())
    .bind::<Integer, _>(J::MAX_ATTEMPTS)
    .bind::<Interval, _>(pg_interval(delay))
    .load(conn)
    .await?;
    if ids.is_empty() {
        return Ok(None);
    }
    diesel::sql_query("SELECT pg_notify($1, $2)")
        .bind::<Text, _>(CHANNEL)
        .bind::<Text, _>(J::QUEUE)
        .execute(conn)
        .await?;
    Ok(ids.into_iter().next().map(|i| i.id))
}

/// Job `id`, if `worker` holds it and it is running: every write a worker makes is guarded
/// by this, so a worker whose job was reaped can no longer touch it.
#[diesel::dsl::auto_type(no_type_alias)]
fn owned_running<'a>(id: i64, worker: &'a str) -> _ {
    let running: &'static str = state::RUNNING;
    jobs::table
        .find(id)
        .filter(jobs::worker_id.eq(worker))
        .filter(jobs::state.eq(running))
}

/// Claims the next due job of one of `kinds` for `worker`, skipping rows other workers hold.
pub async fn claim(conn: &mut AsyncPgConnection, worker: &str, kinds: &[String]) -> DomainResult<Option<Claimed>> {
    let claimed: Vec<Claimed> = diesel::sql_query(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, worker_id = $1,
                heartbeat_at = now(), started_at = now(), cancel_requested = false
         WHERE id = (
             SELECT id FROM jobs
             WHERE state = 'queued' AND run_at <= now() AND kind = ANY($2)
             ORDER BY priority DESC, run_at, id
             FOR UPDATE SKIP LOCKED
             LIMIT 1)
         RETURNING id, kind, payload, attempts, max_attempts",
    )
    .bind::<Text, _>(worker)
    .bind::<Array<Text>, _>(kinds)
    .load(conn)
    .await?;
    Ok(claimed.into_iter().next())
}

/// Records that `worker` is still on job `id`. Returns whether cancellation was requested,
/// or `None` when the job is no longer this worker's (reaped, or finished elsewhere).
pub async fn heartbeat(conn: &mut AsyncPgConnection, id: i64, worker: &str) -> DomainResult<Option<bool>> {
    Ok(diesel::update(owned_running(id, worker))
        .set(jobs::heartbeat_at.eq(Utc::now()))
        .returning(jobs::cancel_requested)
        .get_result(conn)
        .await
        .optional()?)
}

/// Stores progress (0–100) and a phase label for people watching.
pub async fn set_progress(
    conn: &mut AsyncPgConnection,
    id: i64,
    worker: &str,
    progress: u8,
    phase: &str,
) -> DomainResult<()> {
    diesel::update(owned_running(id, worker))
        .set((
            jobs::progress.eq(i16::from(progress.min(100))),
            jobs::phase.eq(phase),
            jobs::heartbeat_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks the job done.
pub async fn succeed(conn: &mut AsyncPgConnection, id: i64, worker: &str) -> DomainResult<()> {
    finish(conn, id, worker, state::SUCCEEDED, None).await
}

/// Marks the job cancelled (the worker stopped it on request).
pub async fn mark_cancelled(conn: &mut AsyncPgConnection, id: i64, worker: &str) -> DomainResult<()> {
    finish(conn, id, worker, state::CANCELLED, Some("cancelled on request")).await
}

async fn finish(
    conn: &mut AsyncPgConnection,
    id: i64,
    worker: &str,
    new_state: &str,
    error: Option<&str>,
) -> DomainResult<()> {
    let progress = (new_state == state::SUCCEEDED).then_some(100i16);
    diesel::update(owned_running(id, worker))
        .set((
            jobs::state.eq(new_state),
            jobs::finished_at.eq(Utc::now()),
            jobs::last_error.eq(error),
            progress.map(|p| jobs::progress.eq(p)),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The delay before retry number `attempt` (1-based): `base · 2^(attempt−1)`, at most `max`.
pub fn backoff(attempt: i32, base: Duration, max: Duration) -> Duration {
    let exp = u32::try_from(attempt.saturating_sub(1)).unwrap_or(0).min(20);
    base.saturating_mul(1u32 << exp).min(max)
}

/// Records a failed attempt: requeued after a backoff while attempts remain (unless
/// `permanent`), else marked `failed` with the reason.
pub async fn fail(
    conn: &mut AsyncPgConnection,
    id: i64,
    worker: &str,
    error: &str,
    permanent: bool,
    base: Duration,
    max: Duration,
) -> DomainResult<()> {
    let row: Option<(i32, i32)> = owned_running(id, worker)
        .select((jobs::attempts, jobs::max_attempts))
        .first(conn)
        .await
        .optional()?;
    let Some((attempts, max_attempts)) = row else {
        return Ok(());
    };
    let error: String = error.chars().take(2000).collect();
    let target = owned_running(id, worker);
    if permanent || attempts >= max_attempts {
        diesel::update(target)
            .set((
                jobs::state.eq(state::FAILED),
                jobs::finished_at.eq(Utc::now()),
                jobs::last_error.eq(&error),
            ))
            .execute(conn)
            .await?;
    } else {
        let delay = chrono::Duration::from_std(backoff(attempts, base, max)).unwrap_or(chrono::Duration::hours(1));
        diesel::update(target)
            .set((
                jobs::state.eq(state::QUEUED),
                jobs::worker_id.eq(None::<String>),
                jobs::run_at.eq(Utc::now() + delay),
                jobs::last_error.eq(&error),
            ))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Requeues (or fails, when out of attempts) running jobs whose worker has not
/// heartbeated for `stale_after`. Returns the ids it touched.
pub async fn reap_stale(conn: &mut AsyncPgConnection, stale_after: Duration) -> DomainResult<Vec<i64>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let ids: Vec<Id> = diesel::sql_query(
        "UPDATE jobs SET
             state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
             finished_at = CASE WHEN attempts >= max_attempts THEN now() ELSE NULL END,
             worker_id = NULL, run_at = now(),
             last_error = 'the worker running it stopped responding'
         WHERE state = 'running' AND heartbeat_at < now() - $1
         RETURNING id",
    )
    .bind::<Interval, _>(pg_interval(stale_after))
    .load(conn)
    .await?;
    Ok(ids.into_iter().map(|i| i.id).collect())
}

/// Cancels a job: a queued one at once, a running one at its next heartbeat.
pub async fn cancel(conn: &mut AsyncPgConnection, id: i64) -> DomainResult<JobDto> {
    let now = Utc::now();
    let n = diesel::update(jobs::table.find(id).filter(jobs::state.eq(state::QUEUED)))
        .set((
            jobs::state.eq(state::CANCELLED),
            jobs::finished_at.eq(now),
            jobs::last_error.eq("cancelled"),
        ))
        .execute(conn)
        .await?;
    if n == 0 {
        diesel::update(jobs::table.find(id).filter(jobs::state.eq(state::RUNNING)))
            .set(jobs::cancel_requested.eq(true))
            .execute(conn)
            .await?;
    }
    get(conn, id).await
}

/// Puts a failed or cancelled job back in the queue with fresh attempts.
pub async fn retry(conn: &mut AsyncPgConnection, id: i64) -> DomainResult<JobDto> {
    let n = diesel::update(
        jobs::table
            .find(id)
            .filter(jobs::state.eq_any([state::FAILED, state::CANCELLED])),
    )
    .set((
        jobs::state.eq(state::QUEUED),
        jobs::attempts.eq(0),
        jobs::run_at.eq(Utc::now()),
        jobs::finished_at.eq(None::<DateTime<Utc>>),
        jobs::worker_id.eq(None::<String>),
        jobs::progress.eq(0),
        jobs::phase.eq(""),
    ))
    .execute(conn)
    .await?;
    if n == 0 {
        return Err(ApiError::invalid("only failed or cancelled jobs can be retried").into());
    }
    diesel::sql_query("SELECT pg_notify($1, 'retry')")
        .bind::<Text, _>(CHANNEL)
        .execute(conn)
        .await?;
    get(conn, id).await
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = jobs)]
struct JobRow {
    id: i64,
    kind: String,
    queue: String,
    state: String,
    attempts: i32,
    max_attempts: i32,
    progress: i16,
    phase: String,
    last_error: Option<String>,
    run_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
}

impl From<JobRow> for JobDto {
    fn from(r: JobRow) -> Self {
        JobDto {
            id: r.id,
            kind: r.kind,
            queue: r.queue,
            state: r.state,
            attempts: r.attempts,
            max_attempts: r.max_attempts,
            progress: r.progress,
            phase: r.phase,
            last_error: r.last_error,
            run_at: r.run_at,
            created_at: r.created_at,
            started_at: r.started_at,
            finished_at: r.finished_at,
        }
    }
}

/// One job.
pub async fn get(conn: &mut AsyncPgConnection, id: i64) -> DomainResult<JobDto> {
    let row: JobRow = jobs::table.find(id).select(JobRow::as_select()).first(conn).await?;
    Ok(row.into())
}

/// The newest jobs, optionally in one state.
pub async fn list(conn: &mut AsyncPgConnection, in_state: Option<&str>, limit: i64) -> DomainResult<Vec<JobDto>> {
    let mut q = jobs::table
        .select(JobRow::as_select())
        .order(jobs::id.desc())
        .limit(limit.clamp(1, 500))
        .into_boxed();
    if let Some(s) = in_state {
        if !state::ALL.contains(&s) {
            return Err(ApiError::invalid(format!("unknown job state {s:?}")).into());
        }
        q = q.filter(jobs::state.eq(s.to_owned()));
    }
    Ok(q.load(conn).await?.into_iter().map(JobDto::from).collect())
}

/// Job counts per state.
pub async fn counts(conn: &mut AsyncPgConnection) -> DomainResult<Vec<(String, i64)>> {
    Ok(jobs::table
        .group_by(jobs::state)
        .select((jobs::state, diesel::dsl::count_star()))
        .load(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let (b, m) = (Duration::from_secs(10), Duration::from_secs(300));
        let got: Vec<u64> = (1..=7).map(|a| backoff(a, b, m).as_secs()).collect();
        assert_eq!(got, vec![10, 20, 40, 80, 160, 300, 300]);
        assert_eq!(backoff(1000, b, m), m);
    }
}
