use crate::support::{TestApp, TestResult};
use domain::jobs::{queue, Job, JobContext};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Serialize, Deserialize)]
struct Parked;

impl Job for Parked {
    const KIND: &'static str = "test_parked";
    async fn run(self, _: JobContext) -> anyhow::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn admins_list_cancel_and_retry_jobs_and_others_cannot() -> TestResult {
    let app = TestApp::new().await?;
    let (admin, _) = app.signup("admin@example.com", "Admin").await?;
    let (ben, _) = app.signup("ben@example.com", "Ben").await?;
    let id = {
        let mut conn = app.db.pool.get().await?;
        queue::enqueue(&mut conn, &Parked)
            .await?
            .ok_or_else(|| anyhow::anyhow!("not enqueued"))?
    };

    let denied = app.get("/api/v1/admin/jobs", &ben).await?;
    assert_eq!((denied.status, denied.code()), (StatusCode::FORBIDDEN, "forbidden"));
    let denied = app
        .post(&format!("/api/v1/admin/jobs/{id}/cancel"), json!({}), &ben)
        .await?;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    let listed = app.get("/api/v1/admin/jobs?state=queued", &admin).await?;
    assert_eq!(listed.body[0]["id"], id);
    assert_eq!(listed.body[0]["kind"], "test_parked");
    let bad = app.get("/api/v1/admin/jobs?state=exploded", &admin).await?;
    assert_eq!((bad.status, bad.code()), (StatusCode::BAD_REQUEST, "invalid_input"));

    let cancelled = app
        .post(&format!("/api/v1/admin/jobs/{id}/cancel"), json!({}), &admin)
        .await?;
    assert_eq!(cancelled.body["state"], "cancelled");
    let retried = app
        .post(&format!("/api/v1/admin/jobs/{id}/retry"), json!({}), &admin)
        .await?;
    assert_eq!(
        (retried.body["state"].as_str(), retried.body["attempts"].as_i64()),
        (Some("queued"), Some(0))
    );
    let again = app
        .post(&format!("/api/v1/admin/jobs/{id}/retry"), json!({}), &admin)
        .await?;
    assert_eq!(again.code(), "invalid_input", "a queued job cannot be retried");
    let missing = app.post("/api/v1/admin/jobs/999999/cancel", json!({}), &admin).await?;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn the_admin_jobs_page_renders_for_admins() -> TestResult {
    let app = TestApp::new().await?;
    let (admin, _) = app.signup("admin@example.com", "Admin").await?;
    {
        let mut conn = app.db.pool.get().await?;
        queue::enqueue(&mut conn, &Parked).await?;
    }
    let page = app.get("/admin/jobs", &admin).await?;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("test_parked"), "{}", page.text);
    let (ben, _) = app.signup("ben@example.com", "Ben").await?;
    let page = app.get("/admin/jobs", &ben).await?;
    assert!(page.text.contains("only an instance admin"));
    assert!(!page.text.contains("test_parked"));
    Ok(())
}
