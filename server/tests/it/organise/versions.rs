//! Version stacks: current version, roll back, delete.

use super::*;

#[tokio::test]
async fn versions_can_be_made_current_rolled_back_and_deleted() -> TestResult {
    let f = fixture().await?;
    let dir = tempfile::tempdir()?;
    let asset = &f.assets[3];
    for n in 2..=3 {
        let path = mf::photo(dir.path(), &format!("photo-3-v{n}.jpg"), &[])?;
        let id = upload(
            &f.app,
            &f.owner,
            &f.project,
            "photo-3.jpg",
            &std::fs::read(path)?,
            &[("asset_id", asset.as_str())],
        )
        .await?;
        assert_eq!(&id, asset);
    }
    f.app.run_jobs().await?;
    let dto = f.app.get(&format!("/api/v1/assets/{asset}"), &f.viewer).await?.body;
    assert_eq!(dto["current_version"], 3);
    assert_eq!(dto["versions"].as_array().map(Vec::len), Some(3));
    assert_eq!(dto["versions"][1]["uploaded_by"], "Olga Owner");
    // A comment on v3 stays with v3.
    let r = f
        .app
        .post(
            &format!("/api/v1/assets/{asset}/comments"),
            json!({"body": "v3 note"}),
            &f.commenter,
        )
        .await?;
    assert_eq!(r.body["version"], 3, "{}", r.text);

    let current = format!("/api/v1/assets/{asset}/current_version");
    let r = f
        .send(Method::PUT, &current, json!({"version": 1}), &f.commenter)
        .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = f.send(Method::PUT, &current, json!({"version": 9}), &f.owner).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = f.send(Method::PUT, &current, json!({"version": 1}), &f.owner).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["current_version"], 1);
    let listed: Value = f
        .app
        .get(&format!("/api/v1/projects/{}/assets", f.project), &f.owner)
        .await?
        .body;
    let card = listed["items"]
        .as_array()
        .and_then(|i| i.iter().find(|a| a["id"] == json!(asset)).cloned());
    assert_eq!(card.map(|c| c["current_version"].clone()), Some(json!(1)));

    // The current version cannot be deleted; another can, with its comments.
    let r = f
        .app
        .send(
            Method::DELETE,
            &format!("/api/v1/assets/{asset}/versions/1"),
            None,
            &f.owner,
        )
        .await?;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "conflict"));
    let r = f
        .app
        .send(
            Method::DELETE,
            &format!("/api/v1/assets/{asset}/versions/3"),
            None,
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["versions"].as_array().map(Vec::len), Some(2));
    f.app.run_jobs().await?;
    let r = f
        .app
        .get(&format!("/api/v1/assets/{asset}/original?version=3"), &f.owner)
        .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = f
        .app
        .get(&format!("/api/v1/assets/{asset}/original?version=2"), &f.owner)
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    let comments = f
        .app
        .get(&format!("/api/v1/assets/{asset}/comments"), &f.owner)
        .await?
        .body;
    assert_eq!(comments.as_array().map(Vec::len), Some(0));
    assert_eq!(f.audit_count("asset.current_version").await?, 1);
    Ok(())
}
