//! Bulk edits, moves and the trash through the REST API.

use super::*;

#[tokio::test]
async fn bulk_edits_are_one_transaction_with_an_audit_row_each() -> TestResult {
    let f = fixture().await?;
    let photos: Vec<&String> = f.assets[..4].iter().collect();
    let r = f
        .send(
            Method::PUT,
            "/api/v1/assets/bulk/rating",
            json!({"asset_ids": photos, "rating": 4}),
            &f.commenter,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body.clone()["updated"], 4);
    assert_eq!(f.audit_count("asset.rating").await?, 4);
    for a in &photos {
        let review: Value = f.app.get(&format!("/api/v1/assets/{a}/review"), &f.viewer).await?.body;
        assert_eq!(review["rating"], 4);
    }
    // One unknown id: nothing changes.
    let r = f
        .send(
            Method::PUT,
            "/api/v1/assets/bulk/status",
            json!({"asset_ids": [photos[0], "00000000-0000-0000-0000-000000000000"], "status": "approved"}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let review: Value = f
        .app
        .get(&format!("/api/v1/assets/{}/review", photos[0]), &f.owner)
        .await?
        .body;
    assert_eq!(review["status"], "needs_review");
    assert_eq!(f.audit_count("asset.status").await?, 0);
    let r = f
        .send(
            Method::PUT,
            "/api/v1/assets/bulk/status",
            json!({"asset_ids": photos, "status": "approved"}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.body.clone()["updated"], 4);
    // Viewers cannot bulk-edit.
    let r = f
        .send(
            Method::PUT,
            "/api/v1/assets/bulk/rating",
            json!({"asset_ids": photos, "rating": 1}),
            &f.viewer,
        )
        .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Tags added and removed in bulk; move to a folder.
    let r = f
        .send(
            Method::PUT,
            "/api/v1/assets/bulk/metadata",
            json!({"asset_ids": photos, "set": {"client": "Acme"}, "tags_add": ["selects", "day 1"]}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = f
        .send(
            Method::PUT,
            "/api/v1/assets/bulk/metadata",
            json!({"asset_ids": [photos[0]], "tags_remove": ["day 1"]}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    let a0: Value = f
        .app
        .get(&format!("/api/v1/assets/{}", photos[0]), &f.owner)
        .await?
        .body;
    assert_eq!(a0["fields"]["tags"], json!(["selects"]));
    let folder: Value = f
        .app
        .post(
            &format!("/api/v1/projects/{}/folders", f.project),
            json!({"name": "Selects"}),
            &f.owner,
        )
        .await?
        .body;
    let r = f
        .send(
            Method::PUT,
            "/api/v1/assets/bulk/move",
            json!({"asset_ids": photos, "folder_id": folder["id"]}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let in_folder = f
        .names(&format!(
            "/api/v1/projects/{}/assets?folder_id={}",
            f.project,
            folder["id"].as_str().unwrap_or_default()
        ))
        .await?;
    assert_eq!(in_folder.len(), 4);

    // Delete to the trash, restore one, purge another.
    let r = f
        .app
        .post(
            "/api/v1/assets/bulk/delete",
            json!({"asset_ids": [photos[0], photos[1]]}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        f.names(&format!("/api/v1/projects/{}/assets", f.project)).await?.len(),
        3
    );
    let mut trash = f.names(&format!("/api/v1/projects/{}/trash", f.project)).await?;
    trash.sort();
    assert_eq!(trash, vec!["photo-0.jpg", "photo-1.jpg"]);
    let r = f.app.get(&format!("/api/v1/assets/{}", photos[0]), &f.owner).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = f
        .app
        .post(
            "/api/v1/assets/bulk/restore",
            json!({"asset_ids": [photos[0]]}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = f.app.get(&format!("/api/v1/assets/{}", photos[0]), &f.owner).await?;
    assert_eq!(r.status, StatusCode::OK);
    let r = f
        .app
        .post("/api/v1/assets/bulk/purge", json!({"asset_ids": [photos[0]]}), &f.owner)
        .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "only trashed assets can be purged");
    let r = f
        .app
        .post("/api/v1/assets/bulk/purge", json!({"asset_ids": [photos[1]]}), &f.owner)
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    f.app.run_jobs().await?;
    assert!(f
        .names(&format!("/api/v1/projects/{}/trash", f.project))
        .await?
        .is_empty());
    let r = f
        .app
        .get(&format!("/api/v1/assets/{}/original", photos[1]), &f.owner)
        .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(f.audit_count("asset.trash").await?, 2);
    assert_eq!(f.audit_count("asset.purge").await?, 1);
    Ok(())
}
