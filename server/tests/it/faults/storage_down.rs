//! The S3 server stops mid-upload: requests that need it fail with `503 unavailable` within
//! seconds (not a hang, not a 500), `/healthz` says so, the upload's committed bytes survive,
//! and once the store is back the upload resumes and the processing job, failed meanwhile,
//! is retried and completes.

use super::patch;
use crate::media_files as mf;
use crate::support::{TestApp, TestResult};
use crate::uploads::{create, metadata};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::schema::jobs;
use domain::settings::Settings;
use domain::testing::TestS3;
use http::{Method, StatusCode};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_store_gives_clear_errors_and_everything_resumes_after() -> TestResult {
    let mut s3 = TestS3::start().await?;
    let app = TestApp::with_storage(&s3.config, Settings::default()).await?;
    let media = tempfile::tempdir()?;
    let photo = std::fs::read(mf::photo(media.path(), "s3.jpg", &[])?)?;
    let (me, _) = app.signup("s3@example.com", "S3").await?;
    let project = app.project("Store", &me).await?;
    let r = create(&app, &me, photo.len(), &metadata("s3.jpg", &project, &[])).await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let location = r.headers["location"].to_str()?.to_owned();
    let asset = r.headers["dailies-asset-id"].to_str()?.to_owned();
    let half = photo.len() / 2;
    let first = patch(&app, &me, &location, 0, &photo[..half]).await?;
    assert_eq!(first.status, StatusCode::NO_CONTENT, "{}", first.text);

    s3.stop();
    let started = Instant::now();
    let down = patch(&app, &me, &location, half, &photo[half..]).await?;
    let took = started.elapsed();
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE, "{}", down.text);
    assert_eq!(down.code(), "unavailable");
    assert!(down.text.contains("storage"), "{}", down.text);
    assert!(took < Duration::from_secs(30), "the refusal took {took:?}");
    let health = app.get("/healthz", &crate::support::As::Anonymous).await?;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE, "{}", health.text);
    // What was committed before is still known.
    let head = app
        .send_with(Method::HEAD, &location, None, &me, &[("tus-resumable", "1.0.0")])
        .await?;
    assert_eq!(head.headers["upload-offset"].to_str()?, half.to_string());

    s3.restart().await?;
    let rest = patch(&app, &me, &location, half, &photo[half..]).await?;
    assert_eq!(rest.status, StatusCode::NO_CONTENT, "{}", rest.text);

    // The processing job meets the store down, is put back with a backoff, and completes
    // once the store is back.
    s3.stop();
    app.run_jobs().await?;
    let mut conn = AsyncPgConnection::establish(&app.db.url).await?;
    let (state, attempts): (String, i32) = jobs::table
        .filter(jobs::kind.eq("process_version"))
        .select((jobs::state, jobs::attempts))
        .first(&mut conn)
        .await?;
    assert_eq!(
        (state.as_str(), attempts),
        ("queued", 1),
        "the job was not put back for a retry"
    );
    s3.restart().await?;
    diesel::update(jobs::table.filter(jobs::state.eq("queued")))
        .set(jobs::run_at.eq(chrono::Utc::now()))
        .execute(&mut conn)
        .await?;
    app.run_jobs().await?;
    let a = app.get(&format!("/api/v1/assets/{asset}"), &me).await?;
    assert_eq!(a.body["status"], "ready", "{}", a.text);
    let original = app.get(&format!("/api/v1/assets/{asset}/original"), &me).await?;
    assert!(original.bytes == photo, "the resumed upload differs from the file");
    Ok(())
}
