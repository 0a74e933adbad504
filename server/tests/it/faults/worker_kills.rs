//! Workers SIGKILLed in the middle of jobs, 20 times over: each killed job is reclaimed once
//! its heartbeat goes stale and completes, and every job's effect happens exactly once.

use super::{dailies, free_port, job_states, until, Client};
use crate::media_files as mf;
use crate::support::TestResult;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::schema::{events, jobs};
use std::time::Duration;

const KILLS: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workers_killed_mid_job_twenty_times_lose_and_repeat_nothing() -> TestResult {
    let url = domain::testing::TestDb::empty().await?;
    let data = tempfile::tempdir()?;
    let media = tempfile::tempdir()?;
    let port = free_port()?;
    let _server = dailies(&["serve"], &url, data.path(), port, &[])?;
    let c = Client::start(&format!("http://127.0.0.1:{port}")).await?;

    // Videos long enough that a kill lands inside an encode, and photos between them.
    let mut files = Vec::new();
    for n in 0..10 {
        files.push(mf::video(media.path(), &format!("v{n}.mp4"), 4, "640x360", true)?);
    }
    for n in 0..3 {
        files.push(mf::photo(media.path(), &format!("p{n}.jpg"), &[])?);
    }
    let mut originals = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f)?;
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("f");
        let r = c.upload_start(name, bytes.len(), &bytes).await?;
        anyhow::ensure!(r.status().as_u16() == 201, "upload {name}: {}", r.status());
        let asset = r.headers()["dailies-asset-id"].to_str()?.to_owned();
        originals.push((asset, bytes));
    }

    let mut conn = AsyncPgConnection::establish(&url).await?;
    let mut landed = 0;
    for kill in 0..KILLS {
        let spawned = chrono::Utc::now();
        let mut worker = dailies(&["worker"], &url, data.path(), port, &[])?;
        // Wait for a job this worker claimed, give it a moment of work, then kill. A job on
        // its last attempt is let be: a job that keeps killing its workers is failed on
        // purpose, and this test is about the ones that survive.
        let running = || {
            jobs::table
                .filter(jobs::state.eq("running"))
                .filter(jobs::started_at.gt(spawned))
                .filter(jobs::attempts.lt(jobs::max_attempts))
                .count()
        };
        let mut found = false;
        for _ in 0..600 {
            if running().get_result::<i64>(&mut conn).await? > 0 {
                found = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::ensure!(
            found,
            "kill {kill}: no job started; jobs {:?}",
            job_states(&mut conn).await?
        );
        tokio::time::sleep(Duration::from_millis(150 + 40 * kill as u64)).await;
        if running().get_result::<i64>(&mut conn).await? > 0 {
            landed += 1;
        }
        worker.kill9()?;
    }
    assert!(landed >= KILLS * 3 / 4, "only {landed} of {KILLS} kills landed mid-job");

    let _last = dailies(&["worker"], &url, data.path(), port, &[])?;
    until("every job to finish", 300, || async {
        let mut conn = AsyncPgConnection::establish(&url).await?;
        let states = job_states(&mut conn).await?;
        if states.contains_key("failed") {
            let why: Vec<(String, i32, Option<String>)> = jobs::table
                .filter(jobs::state.eq("failed"))
                .select((jobs::kind, jobs::attempts, jobs::last_error))
                .load(&mut conn)
                .await?;
            anyhow::bail!("a job failed: {states:?} {why:?}");
        }
        Ok(states.keys().all(|s| s == "succeeded"))
    })
    .await
    .map_err(|e| {
        let states = futures::executor::block_on(async {
            let mut conn = AsyncPgConnection::establish(&url).await?;
            jobs::table
                .select((
                    jobs::id,
                    jobs::kind,
                    jobs::state,
                    jobs::attempts,
                    jobs::max_attempts,
                    jobs::run_at,
                ))
                .load::<(i64, String, String, i32, i32, chrono::DateTime<chrono::Utc>)>(&mut conn)
                .await
                .map_err(anyhow::Error::from)
        });
        anyhow::anyhow!("{e}: {states:?}")
    })?;

    // Every asset is ready, announced once, and its original is byte-identical.
    for (asset, bytes) in &originals {
        let id = uuid::Uuid::parse_str(asset)?;
        let announced: i64 = events::table
            .filter(events::asset_id.eq(id))
            .filter(events::kind.eq(model::live::kind::ASSET_READY))
            .count()
            .get_result(&mut conn)
            .await?;
        assert_eq!(announced, 1, "asset {asset} announced ready {announced} times");
        let (status, a) = c.get(&format!("/api/v1/assets/{asset}")).await?;
        assert_eq!(status, 200);
        assert_eq!(a["status"], "ready", "{a}");
        if a["media_type"] == "video" {
            assert_eq!(a["metadata"]["frame_count"], 100, "{a}");
            let (proxy, _) = c.get(&format!("/api/v1/assets/{asset}/proxy")).await?;
            assert_eq!(proxy, 200);
        }
        assert!(&c.original(asset).await? == bytes, "original of {asset} changed");
    }
    let retried: i64 = jobs::table
        .filter(jobs::attempts.gt(1))
        .count()
        .get_result(&mut conn)
        .await?;
    assert!(retried > 0, "no job was ever retried");
    Ok(())
}
