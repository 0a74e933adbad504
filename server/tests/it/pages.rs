use crate::support::{As, TestApp, TestResult};
use http::StatusCode;

#[tokio::test]
async fn login_page_renders_on_the_server() -> TestResult {
    let app = TestApp::new().await?;
    let r = app.get("/login", &As::Anonymous).await?;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("<h1>Log in</h1>"), "{}", r.text);
    assert!(r.text.contains("name=\"password\""));
    Ok(())
}

#[tokio::test]
async fn project_list_renders_the_members_projects_escaped() -> TestResult {
    let app = TestApp::new().await?;
    let (ana, _) = app.signup("ana@example.com", "Ana").await?;
    app.project("<script>alert(1)</script> Spot", &ana).await?;
    let r = app.get("/projects", &ana).await?;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; Spot"),
        "{}",
        r.text
    );
    assert!(!r.text.contains("<script>alert(1)</script>"));
    Ok(())
}

#[tokio::test]
async fn unknown_pages_are_404() -> TestResult {
    let app = TestApp::new().await?;
    let r = app.get("/no/such/page", &As::Anonymous).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    Ok(())
}
