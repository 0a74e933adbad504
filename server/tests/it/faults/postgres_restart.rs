//! PostgreSQL restarts while clients write: the server reports itself unhealthy, refuses
//! writes with `503 unavailable` (never a 500), recovers by itself when the database is back,
//! and every write it accepted is there afterwards.

use super::{dailies, free_port, until, Client};
use crate::support::TestResult;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::cluster::{Cluster, Durability};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_restart_under_load_loses_no_accepted_write() -> TestResult {
    let dir = tempfile::tempdir()?;
    let pg = dir.path().join("pg");
    let cluster = tokio::task::spawn_blocking({
        let pg = pg.clone();
        move || Cluster::start(&pg, Durability::Durable)
    })
    .await??;
    let pg_port = cluster.port();
    let url = cluster.app_url();
    let data = dir.path().join("data");
    let port = free_port()?;
    let _server = dailies(&["serve"], &url, &data, port, &[])?;
    let c = Arc::new(Client::start(&format!("http://127.0.0.1:{port}")).await?);

    // Four writers make folders as fast as they can, noting each answer.
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (c, stop) = (c.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut accepted = Vec::new();
            let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
            let mut n = 0;
            while !AtomicBool::load(&stop, Ordering::Relaxed) {
                n += 1;
                let r = c
                    .http
                    .post(format!("{}/api/v1/projects/{}/folders", c.base, c.project))
                    .bearer_auth(&c.token)
                    .json(&serde_json::json!({"name": format!("w{w}-{n}")}))
                    .send()
                    .await;
                let Ok(r) = r else {
                    *statuses.entry(0).or_default() += 1;
                    continue;
                };
                let status = r.status().as_u16();
                *statuses.entry(status).or_default() += 1;
                let body: serde_json::Value = r.json().await.unwrap_or_default();
                if status == 201 {
                    accepted.push(body["id"].as_str().unwrap_or_default().to_owned());
                } else if status != 503 || body["error"]["code"] != "unavailable" {
                    anyhow::bail!("a write during the restart got {status} {body}");
                }
                if status == 503 {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            anyhow::Ok((accepted, statuses))
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;

    tokio::task::spawn_blocking(move || cluster.stop()).await??;
    let health = |want: u16| {
        let c = c.clone();
        async move {
            Ok(c.http
                .get(format!("{}/healthz", c.base))
                .send()
                .await
                .is_ok_and(|r| r.status().as_u16() == want))
        }
    };
    until("healthz to report the database down", 30, || health(503)).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let cluster = tokio::task::spawn_blocking({
        let pg = pg.clone();
        move || Cluster::start_on(&pg, Durability::Durable, Some(pg_port))
    })
    .await??;
    until("healthz to recover by itself", 60, || health(200)).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);

    let mut accepted = Vec::new();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for w in writers {
        let (a, s) = w.await??;
        accepted.extend(a);
        for (k, v) in s {
            *statuses.entry(k).or_default() += v;
        }
    }
    assert!(
        statuses.get(&503).copied().unwrap_or(0) > 0,
        "no write met the outage: {statuses:?}"
    );
    assert!(accepted.len() > 20, "too few writes got through: {statuses:?}");

    let mut conn = AsyncPgConnection::establish(&url).await?;
    let stored: Vec<uuid::Uuid> = domain::schema::folders::table
        .select(domain::schema::folders::id)
        .load(&mut conn)
        .await?;
    for id in &accepted {
        let id = uuid::Uuid::parse_str(id)?;
        assert!(stored.contains(&id), "accepted folder {id} is gone after the restart");
    }
    assert_eq!(
        stored.len(),
        accepted.len(),
        "folders stored that no client was told about: {statuses:?}"
    );
    drop(cluster);
    Ok(())
}
