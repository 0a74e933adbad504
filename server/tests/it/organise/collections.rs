//! Smart and manual collections, and the filter language through the REST API.

use super::*;

#[tokio::test]
async fn smart_collections_follow_ratings_and_refuse_bad_filters() -> TestResult {
    let f = fixture().await?;
    let p = &f.project;
    let r = f
        .app
        .post(
            &format!("/api/v1/projects/{p}/collections"),
            json!({"name": "5-star photos", "kind": "smart",
                   "filter": {"all": [{"field": "rating", "op": "gte", "value": 5},
                                      {"field": "media_type", "op": "eq", "value": "image"}]}}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let c = r.body.clone();
    let id = c["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(c["asset_count"], 0);
    assert_eq!(c["filter"]["all"][0]["field"], "rating");

    let rate = |asset: &str, stars: i64| {
        let path = format!("/api/v1/assets/{asset}/rating");
        let app = &f.app;
        let who = &f.commenter;
        async move { app.send(Method::PUT, &path, Some(json!({"rating": stars})), who).await }
    };
    assert_eq!(rate(&f.assets[0], 5).await?.status, StatusCode::OK);
    assert_eq!(rate(&f.assets[4], 5).await?.status, StatusCode::OK); // the clip: not a photo
    assert_eq!(
        f.names(&format!("/api/v1/collections/{id}/assets")).await?,
        vec!["photo-0.jpg"]
    );
    let listed: Value = f
        .app
        .get(&format!("/api/v1/projects/{p}/collections"), &f.viewer)
        .await?
        .body;
    assert_eq!(listed[0]["asset_count"], 1);
    assert_eq!(rate(&f.assets[0], 3).await?.status, StatusCode::OK);
    assert!(f.names(&format!("/api/v1/collections/{id}/assets")).await?.is_empty());

    // Bad filters are refused with a 400 naming the place and the problem.
    for (filter, want) in [
        (
            json!({"field": "ratting", "op": "eq", "value": 5}),
            "unknown field `ratting`",
        ),
        (
            json!({"all": [{"field": "rating", "op": "gte", "value": "five"}]}),
            "all[0]: `rating` gte: expected a whole number",
        ),
        (
            json!({"field": "tags", "op": "gt", "value": "x"}),
            "`tags` does not take `gt`",
        ),
        (
            json!({"field": "custom.budget", "op": "gt", "value": 1}),
            "no custom field `budget`",
        ),
    ] {
        let r = f
            .app
            .post(
                &format!("/api/v1/projects/{p}/collections"),
                json!({"name": "bad", "kind": "smart", "filter": filter}),
                &f.owner,
            )
            .await?;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        assert_eq!(r.code(), "invalid_filter");
        assert!(r.text.contains(want), "{} lacks {want}", r.text);
    }
    let r = f
        .app
        .get(&format!("/api/v1/projects/{p}/assets?filter=%7Bnot%20json"), &f.owner)
        .await?;
    assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "invalid_filter"));

    // Viewers read collections but cannot make or change them.
    let r = f
        .app
        .post(
            &format!("/api/v1/projects/{p}/collections"),
            json!({"name": "Mine", "kind": "manual"}),
            &f.viewer,
        )
        .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = f
        .send(
            Method::PATCH,
            &format!("/api/v1/collections/{id}"),
            json!({"name": "x"}),
            &f.commenter,
        )
        .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = f
        .send(
            Method::PATCH,
            &format!("/api/v1/collections/{id}"),
            json!({"name": "Best photos"}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    let r = f
        .app
        .send(Method::DELETE, &format!("/api/v1/collections/{id}"), None, &f.owner)
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    Ok(())
}

#[tokio::test]
async fn the_filter_language_covers_metadata_dates_sets_and_groups() -> TestResult {
    let f = fixture().await?;
    let p = &f.project;
    let r = f
        .send(
            Method::PATCH,
            &format!("/api/v1/assets/{}/metadata", f.assets[1]),
            json!({"tags": ["Hero", "B-roll"], "platforms": ["tiktok", "instagram"], "due_date": "2020-01-31",
                   "title": "Opening shot", "client": "Acme", "description": "The wide opening"}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let dto = r.body.clone();
    assert_eq!(dto["fields"]["tags"], json!(["hero", "b-roll"]));
    assert_eq!(dto["fields"]["info"]["client"], "Acme");
    let r = f
        .send(
            Method::PATCH,
            &format!("/api/v1/assets/{}/metadata", f.assets[1]),
            json!({"platforms": ["myspace"]}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = f
        .send(
            Method::PATCH,
            &format!("/api/v1/assets/{}/metadata", f.assets[1]),
            json!({"title": "x"}),
            &f.viewer,
        )
        .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let q = |filter: Value| {
        let enc = form_urlencoded::byte_serialize(filter.to_string().as_bytes()).collect::<String>();
        format!("/api/v1/projects/{p}/assets?sort=name&dir=asc&filter={enc}")
    };
    let cases = [
        (
            json!({"field": "tags", "op": "contains", "value": "HERO"}),
            vec!["photo-1.jpg"],
        ),
        (
            json!({"field": "platforms", "op": "in", "value": ["tiktok", "youtube"]}),
            vec!["photo-1.jpg"],
        ),
        (
            json!({"field": "due_date", "op": "lt", "value": "today"}),
            vec!["photo-1.jpg"],
        ),
        (
            json!({"field": "due_date", "op": "is_set", "value": false}),
            vec!["clip.mp4", "photo-0.jpg", "photo-2.jpg", "photo-3.jpg"],
        ),
        (
            json!({"field": "camera_make", "op": "contains", "value": "canon"}),
            vec!["photo-0.jpg"],
        ),
        (json!({"field": "lens", "op": "is_set"}), vec!["photo-0.jpg"]),
        (json!({"field": "duration", "op": "gt", "value": 0.5}), vec!["clip.mp4"]),
        (
            json!({"field": "width", "op": "between", "value": [600, 700]}),
            vec!["photo-0.jpg", "photo-1.jpg", "photo-2.jpg", "photo-3.jpg"],
        ),
        (
            json!({"any": [{"field": "media_type", "op": "eq", "value": "video"}, {"field": "camera_model", "op": "eq", "value": "nikon d850"}]}),
            vec!["clip.mp4", "photo-1.jpg"],
        ),
        (
            json!({"not": {"field": "media_type", "op": "eq", "value": "image"}}),
            vec!["clip.mp4"],
        ),
        (
            json!({"field": "created_at", "op": "between", "value": ["-1d", "+1d"]}),
            vec!["clip.mp4", "photo-0.jpg", "photo-1.jpg", "photo-2.jpg", "photo-3.jpg"],
        ),
        (
            json!({"field": "has_unresolved_comments", "op": "eq", "value": true}),
            vec![],
        ),
        (
            json!({"field": "text", "op": "contains", "value": "opening"}),
            vec!["photo-1.jpg"],
        ),
    ];
    for (filter, want) in cases {
        let got = f.names(&q(filter.clone())).await?;
        assert_eq!(got, want, "{filter}");
    }
    Ok(())
}

#[tokio::test]
async fn manual_collections_keep_their_order() -> TestResult {
    let f = fixture().await?;
    let r = f
        .app
        .post(
            &format!("/api/v1/projects/{}/collections", f.project),
            json!({"name": "Client picks", "kind": "manual"}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body.clone()["id"].as_str().unwrap_or_default().to_owned();
    let items = format!("/api/v1/collections/{id}/items");
    let a = &f.assets;
    let r = f
        .app
        .post(&items, json!({"asset_ids": [a[2], a[0], a[4]]}), &f.owner)
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body.clone()["asset_count"], 3);
    // Moving a member before another reorders it.
    f.app
        .post(&items, json!({"asset_ids": [a[4]], "before": a[2]}), &f.owner)
        .await?;
    let listed = f.names(&format!("/api/v1/collections/{id}/assets")).await?;
    assert_eq!(listed, vec!["clip.mp4", "photo-2.jpg", "photo-0.jpg"]);
    let r = f
        .send(Method::DELETE, &items, json!({"asset_ids": [a[2]]}), &f.owner)
        .await?;
    assert_eq!(r.body.clone()["asset_count"], 2);
    let r = f
        .app
        .post(
            &items,
            json!({"asset_ids": ["00000000-0000-0000-0000-000000000000"]}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    Ok(())
}
