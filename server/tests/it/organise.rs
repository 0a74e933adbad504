//! Organising through the REST API: smart and manual collections over the filter language,
//! bulk edits in one transaction with an audit row each, the trash, metadata, and search by
//! comment text and misspelled camera models.

use crate::media_files as mf;
use crate::support::{As, TestApp, TestResult};
use crate::uploads::upload;
use http::{Method, StatusCode};
use serde_json::{json, Value};

struct Fixture {
    app: TestApp,
    owner: As,
    commenter: As,
    viewer: As,
    project: String,
    /// Photos 0–3 (photo 0 shot on a Canon, photo 1 on a Nikon), then one clip.
    assets: Vec<String>,
}

async fn fixture() -> anyhow::Result<Fixture> {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (commenter, _) = app.signup("cleo@example.com", "Cleo Commenter").await?;
    let (viewer, _) = app.signup("vic@example.com", "Vic Viewer").await?;
    let project = app.project("Organise", &owner).await?;
    for (email, role) in [("cleo@example.com", "commenter"), ("vic@example.com", "viewer")] {
        let r = app
            .post(
                &format!("/api/v1/projects/{project}/members"),
                json!({"email": email, "role": role}),
                &owner,
            )
            .await?;
        anyhow::ensure!(r.status == StatusCode::CREATED, "{}", r.text);
    }
    let dir = tempfile::tempdir()?;
    let exif: [&[&str]; 4] = [
        &[
            "-Make=Canon",
            "-Model=Canon EOS 5D Mark III",
            "-LensModel=EF24-70mm f/2.8L II USM",
        ],
        &["-Make=NIKON CORPORATION", "-Model=NIKON D850"],
        &[],
        &[],
    ];
    let mut assets = Vec::new();
    for (i, tags) in exif.iter().enumerate() {
        let name = format!("photo-{i}.jpg");
        let path = mf::photo(dir.path(), &name, tags)?;
        assets.push(upload(&app, &owner, &project, &name, &std::fs::read(path)?, &[]).await?);
    }
    let clip = mf::video(dir.path(), "clip.mp4", 1, "320x180", false)?;
    assets.push(upload(&app, &owner, &project, "clip.mp4", &std::fs::read(clip)?, &[]).await?);
    app.run_jobs().await?;
    Ok(Fixture {
        app,
        owner,
        commenter,
        viewer,
        project,
        assets,
    })
}

impl Fixture {
    async fn send(&self, method: Method, path: &str, body: Value, who: &As) -> anyhow::Result<crate::support::Reply> {
        self.app.send(method, path, Some(body), who).await
    }

    async fn names(&self, path: &str) -> anyhow::Result<Vec<String>> {
        let r = self.app.get(path, &self.owner).await?;
        anyhow::ensure!(r.status == StatusCode::OK, "{path}: {}", r.text);
        let body = r.body;
        Ok(body["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn audit_count(&self, action: &str) -> anyhow::Result<i64> {
        use diesel::prelude::*;
        use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
        use domain::schema::audit_events;
        let mut conn = AsyncPgConnection::establish(&self.app.db.url).await?;
        Ok(audit_events::table
            .filter(audit_events::action.eq(action))
            .count()
            .get_result(&mut conn)
            .await?)
    }
}

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

#[tokio::test]
async fn search_finds_comment_words_and_misspelled_camera_models() -> TestResult {
    let f = fixture().await?;
    let r = f
        .app
        .post(
            &format!("/api/v1/assets/{}/comments", f.assets[2]),
            json!({"body": "The flamingo in the corner is distracting"}),
            &f.commenter,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let search = |q: &str| {
        format!(
            "/api/v1/projects/{}/search?q={}",
            f.project,
            form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        )
    };

    let r: Value = f.app.get(&search("flaming"), &f.viewer).await?.body;
    assert_eq!(r["total"], 1, "{r}");
    assert_eq!(r["items"][0]["name"], "photo-2.jpg");
    let m = &r["items"][0]["matches"][0];
    assert_eq!(m["field"], "comment");
    assert_eq!(m["marks"], json!([[4, 11]]));

    // A misspelled camera model still finds the Nikon.
    let r: Value = f.app.get(&search("nikn d850"), &f.viewer).await?.body;
    assert_eq!(r["items"][0]["name"], "photo-1.jpg", "{r}");
    let r: Value = f.app.get(&search("Cannon EOS"), &f.viewer).await?.body;
    assert_eq!(r["items"][0]["name"], "photo-0.jpg", "{r}");

    // Search and filters combine.
    let filter = form_urlencoded::byte_serialize(
        json!({"field": "media_type", "op": "eq", "value": "video"})
            .to_string()
            .as_bytes(),
    )
    .collect::<String>();
    let r: Value = f
        .app
        .get(&format!("{}&filter={filter}", search("flamingo")), &f.viewer)
        .await?
        .body;
    assert_eq!(r["total"], 0);
    let r = f
        .app
        .get(&format!("/api/v1/projects/{}/search?q=%20", f.project), &f.viewer)
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Outsiders see nothing.
    let (stranger, _) = f.app.signup("eve@example.com", "Eve").await?;
    let r = f.app.get(&search("flamingo"), &stranger).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    Ok(())
}

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
