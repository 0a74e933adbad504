//! Project analytics through the REST API, checked against activity made in the test: uploads
//! and comments on today's bar, turnaround counts, open comments per asset, the comment
//! heatmap along a video's 50 frames, photos per rating, and share-link views (shown to
//! editors, not to viewers).

use crate::media_files as mf;
use crate::shares::Guest;
use crate::support::{TestApp, TestResult};
use crate::uploads::upload;
use http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn analytics_count_what_happened() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (viewer, _) = app.signup("vic@example.com", "Vic Viewer").await?;
    let project = app.project("Numbers", &owner).await?;
    app.add_member(&owner, &project, "vic@example.com", "viewer").await?;
    let dir = tempfile::tempdir()?;
    let clip = std::fs::read(mf::video(dir.path(), "v.mp4", 2, "160x120", false)?)?;
    let v = upload(&app, &owner, &project, "v.mp4", &clip, &[]).await?;
    let photo = std::fs::read(mf::photo(dir.path(), "p.jpg", &[])?)?;
    let mut photos = Vec::new();
    for n in 0..3 {
        photos.push(upload(&app, &owner, &project, &format!("p{n}.jpg"), &photo, &[]).await?);
    }
    app.run_jobs().await?;

    let comment = |asset: &str, body: serde_json::Value| {
        let path = format!("/api/v1/assets/{asset}/comments");
        let (app, owner) = (&app, &owner);
        async move {
            let r = app.post(&path, body, owner).await?;
            anyhow::ensure!(r.status == StatusCode::CREATED, "{}", r.text);
            anyhow::Ok(r.body["id"].as_str().unwrap_or_default().to_owned())
        }
    };
    let first = comment(&v, json!({"body": "head", "frame_in": 0})).await?;
    comment(&v, json!({"body": "still head", "frame_in": 1})).await?;
    comment(&v, json!({"body": "tail", "frame_in": 45})).await?;
    comment(&v, json!({"body": "agreed", "parent_id": first})).await?;
    comment(&photos[0], json!({"body": "crop tighter"})).await?;
    let r = app
        .send(Method::POST, &format!("/api/v1/comments/{first}/resolve"), None, &owner)
        .await?;
    assert!(r.status.is_success(), "{}", r.text);
    let r = app
        .post(
            &format!("/api/v1/assets/{v}/approvals"),
            json!({"approved": true}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for (asset, stars) in [(&photos[0], 5), (&photos[1], -1)] {
        let r = app
            .send(
                Method::PUT,
                &format!("/api/v1/assets/{asset}/rating"),
                Some(json!({"rating": stars})),
                &owner,
            )
            .await?;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let link = app
        .post(
            "/api/v1/shares",
            json!({"project_id": project, "asset_ids": [v]}),
            &owner,
        )
        .await?;
    assert_eq!(link.status, StatusCode::CREATED, "{}", link.text);
    let token = link.body["token"].as_str().unwrap_or_default().to_owned();
    let mut gus = Guest {
        app: &app,
        cookie: None,
    };
    gus.unlock(&token, None, "Gus").await?;
    for _ in 0..2 {
        assert_eq!(gus.names(&token).await?.0, StatusCode::OK);
    }

    let path = format!("/api/v1/projects/{project}/analytics");
    let r = app.get(&path, &owner).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let a = r.body;
    let days = a["days"].as_array().cloned().unwrap_or_default();
    assert_eq!(days.len(), 30);
    let today = days.last().cloned().unwrap_or_default();
    assert_eq!(
        (today["uploads"].as_i64(), today["comments"].as_i64()),
        (Some(4), Some(5))
    );
    assert_eq!(days.iter().filter_map(|d| d["uploads"].as_i64()).sum::<i64>(), 4);

    let t = &a["turnaround"];
    assert_eq!(
        (t["uploaded"].as_i64(), t["commented"].as_i64(), t["approved"].as_i64()),
        (Some(4), Some(2), Some(1))
    );
    let to_comment = t["median_hours_to_first_comment"].as_f64().unwrap_or(-1.0);
    assert!((0.0..0.5).contains(&to_comment), "{to_comment}");

    // Threads, not replies: the clip has 2 open of 3, the photo 1 of 1.
    assert_eq!(
        a["open_comments"],
        json!([
            {"asset_id": v, "name": "v.mp4", "open": 2, "total": 3},
            {"asset_id": photos[0], "name": "p0.jpg", "open": 1, "total": 1},
        ])
    );
    let heat = &a["density"][0];
    assert_eq!(
        (heat["asset_id"].as_str(), heat["frames"].as_i64()),
        (Some(v.as_str()), Some(50))
    );
    let buckets: Vec<i64> = heat["buckets"]
        .as_array()
        .map(|b| b.iter().filter_map(|x| x.as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(buckets.len(), 40);
    assert_eq!(
        (buckets[0], buckets[36], buckets.iter().sum::<i64>()),
        (2, 1, 3),
        "frames 0, 1 and 45 of 50"
    );

    assert_eq!(
        a["selection"],
        json!({"photos": 3, "by_rating": [1, 1, 0, 0, 0, 0, 1], "picked": 0})
    );
    assert_eq!(a["links"][0]["views"], 2);
    assert_eq!(a["links"][0]["guests"], 1);

    // Viewers see the charts but not the links; a silly period is refused.
    let r = app.get(&path, &viewer).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body["links"].is_null());
    assert_eq!(r.body["selection"]["photos"], 3);
    let r = app.get(&format!("{path}?days=3"), &owner).await?;
    assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "invalid_input"));
    let (stranger, _) = app.signup("sam@example.com", "Sam Stranger").await?;
    assert_eq!(app.get(&path, &stranger).await?.status, StatusCode::NOT_FOUND);
    Ok(())
}
