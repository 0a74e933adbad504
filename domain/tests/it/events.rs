//! The event outbox: ids become visible in commit order even when writers overlap, so a
//! reader that resumes "after the last id it saw" never skips one; purging moves the horizon
//! that tells clients to refetch; a rolled-back change leaves no event.

use crate::support::{db, user, TestResult};
use diesel_async::{AsyncConnection, RunQueryDsl};
use domain::events::{self, NewEvent};
use domain::DomainError;
use model::ProjectId;
use std::time::Duration;

async fn project(conn: &mut diesel_async::AsyncPgConnection) -> anyhow::Result<ProjectId> {
    let owner = user(conn, "olga@example.com").await?;
    let p = domain::projects::create(conn, owner.user_id(), "Outbox", "")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(p.id)
}

fn event(project: ProjectId, n: i64) -> anyhow::Result<NewEvent> {
    Ok(NewEvent::about(
        project,
        None,
        None,
        model::live::kind::MEMBER_UPDATED,
        serde_json::json!({ "n": n }),
    )?)
}

#[tokio::test]
async fn overlapping_writers_never_let_a_reader_skip_an_event() -> TestResult {
    let (db, mut conn) = db().await?;
    let project = project(&mut conn).await?;
    // 24 writers publish, then hold their transaction open for a random while before
    // committing; a reader polls "after the last id I saw" the whole time.
    let writers: Vec<_> = (0..24)
        .map(|n| {
            let pool = db.pool.clone();
            tokio::spawn(async move {
                let mut conn = pool.get().await?;
                conn.transaction::<_, DomainError, _>(async |conn| {
                    events::publish(
                        conn,
                        event(project, n).map_err(|e| DomainError::Internal(e.to_string()))?,
                    )
                    .await?;
                    tokio::time::sleep(Duration::from_millis((n * 37 % 11) as u64 * 5)).await;
                    Ok(())
                })
                .await?;
                anyhow::Ok(())
            })
        })
        .collect();
    let mut seen: Vec<i64> = Vec::new();
    let mut last = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while seen.len() < 24 {
        for e in events::after(&mut conn, last, 100).await? {
            seen.push(e.id);
            last = e.id;
        }
        anyhow::ensure!(tokio::time::Instant::now() < deadline, "saw only {seen:?}");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    for w in writers {
        w.await??;
    }
    let all: Vec<i64> = events::after(&mut conn, 0, 100)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(seen, all, "the reader skipped or reordered events");
    Ok(())
}

#[tokio::test]
async fn a_rolled_back_change_publishes_nothing() -> TestResult {
    let (_db, mut conn) = db().await?;
    let project = project(&mut conn).await?;
    let before = events::latest_id(&mut conn).await?;
    let r = conn
        .transaction::<(), DomainError, _>(async |conn| {
            events::publish(
                conn,
                event(project, 1).map_err(|e| DomainError::Internal(e.to_string()))?,
            )
            .await?;
            Err(DomainError::Internal("changed my mind".into()))
        })
        .await;
    assert!(r.is_err());
    assert_eq!(events::latest_id(&mut conn).await?, before);
    assert!(events::after(&mut conn, before, 10).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn purging_old_events_moves_the_refetch_horizon() -> TestResult {
    let (_db, mut conn) = db().await?;
    let project = project(&mut conn).await?;
    let old = events::publish(&mut conn, event(project, 1)?).await?;
    let recent = events::publish(&mut conn, event(project, 2)?).await?;
    diesel::sql_query(format!(
        "UPDATE events SET created_at = now() - interval '8 days' WHERE id = {old}"
    ))
    .execute(&mut conn)
    .await?;
    assert!(!events::gap_purged(&mut conn, 0).await?);
    assert_eq!(events::purge(&mut conn).await?, 1);
    // A client that last saw nothing (or the purged event's predecessor) must refetch; one
    // that saw the purged event resumes normally.
    assert!(events::gap_purged(&mut conn, old - 1).await?);
    assert!(!events::gap_purged(&mut conn, old).await?);
    let left: Vec<i64> = events::since(&mut conn, project, None, 0, 10)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert!(left.contains(&recent) && !left.contains(&old));
    Ok(())
}
