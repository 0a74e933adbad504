//! Custom fields: defined per project, values checked by type, filtered, searched and shown
//! in list detail; ratings stay with their version.

use super::*;

#[tokio::test]
async fn custom_fields_are_defined_set_filtered_and_searched() -> TestResult {
    let fixture = fixture().await?;
    let f = &fixture;
    let p = &f.project;
    let define = |body: Value, who: &As| {
        let path = format!("/api/v1/projects/{p}/fields");
        let app = &f.app;
        let who = who.clone();
        async move { app.post(&path, body, &who).await }
    };
    let r = define(json!({"label": "Budget", "kind": "number"}), &f.owner).await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["key"], "budget");
    let budget_id = r.body["id"].as_str().unwrap_or_default().to_owned();
    let r = define(
        json!({"label": "Shoot day", "kind": "single_select", "options": ["Day 1", "Day 2"]}),
        &f.owner,
    )
    .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let day_id = r.body["id"].as_str().unwrap_or_default().to_owned();
    let r = define(
        json!({"label": "Deliverables", "kind": "multi_select", "options": ["Cut", "Stills"]}),
        &f.owner,
    )
    .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = define(json!({"label": "Art director", "kind": "text"}), &f.owner).await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let director_id = r.body["id"].as_str().unwrap_or_default().to_owned();
    // Refusals: a commenter may not define fields; a key twice; a select without options.
    assert_eq!(
        define(json!({"label": "X", "kind": "text"}), &f.commenter)
            .await?
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        define(json!({"label": "Budget", "kind": "text"}), &f.owner)
            .await?
            .status,
        StatusCode::CONFLICT
    );
    let r = define(json!({"label": "Lens kit", "kind": "single_select"}), &f.owner).await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(r.body["error"]["code"], "invalid_input");
    let listed = f.app.get(&format!("/api/v1/projects/{p}/fields"), &f.viewer).await?;
    assert_eq!(listed.body.as_array().map(Vec::len), Some(4), "{}", listed.text);

    // Values are checked by type.
    let set = |asset: &str, body: Value| {
        let path = format!("/api/v1/assets/{asset}/metadata");
        async move { f.send(Method::PATCH, &path, body, &f.owner).await }
    };
    let r = set(&f.assets[0], json!({"custom.budget": "lots"})).await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("is a number"), "{}", r.text);
    let r = set(&f.assets[0], json!({"custom.shoot_day": "Day 9"})).await?;
    assert!(r.text.contains("is one of Day 1, Day 2"), "{}", r.text);
    let r = set(&f.assets[0], json!({"custom.nope": 1})).await?;
    assert!(r.text.contains("no custom field `nope`"), "{}", r.text);
    let r = set(
        &f.assets[0],
        json!({"custom.budget": 2500, "custom.shoot_day": "Day 2", "custom.deliverables": ["Stills"],
               "custom.art_director": "Marguerite Okonkwo"}),
    )
    .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["fields"]["custom"]["budget"], 2500.0);
    let r = set(&f.assets[1], json!({"custom.budget": 400, "custom.shoot_day": "Day 1"})).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // Filters on them, through a smart collection and the library query.
    let r = f
        .app
        .post(
            &format!("/api/v1/projects/{p}/collections"),
            json!({"name": "Big day 2", "kind": "smart",
                   "filter": {"all": [{"field": "custom.budget", "op": "gte", "value": 1000},
                                      {"field": "custom.shoot_day", "op": "in", "value": ["Day 2"]}]}}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["asset_count"], 1);
    let query = |filter: Value| {
        let enc = form_urlencoded::byte_serialize(filter.to_string().as_bytes()).collect::<String>();
        format!("/api/v1/projects/{p}/assets?filter={enc}")
    };
    assert_eq!(
        f.names(&query(
            json!({"field": "custom.deliverables", "op": "contains", "value": "Stills"})
        ))
        .await?,
        vec!["photo-0.jpg"]
    );
    let mut unset = f
        .names(&query(
            json!({"field": "custom.budget", "op": "is_set", "value": false}),
        ))
        .await?;
    unset.sort();
    assert_eq!(unset, vec!["clip.mp4", "photo-2.jpg", "photo-3.jpg"]);
    let r = f
        .app
        .get(
            &query(json!({"field": "custom.shoot_day", "op": "eq", "value": "Day 7"})),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["error"]["code"], "invalid_filter");
    assert!(r.text.contains("no option `Day 7`"), "{}", r.text);
    let r = f
        .app
        .get(
            &query(json!({"field": "custom.budget", "op": "contains", "value": 1})),
            &f.owner,
        )
        .await?;
    assert!(r.text.contains("does not take `contains`"), "{}", r.text);

    // Search reads custom text; list detail carries the values.
    assert_eq!(
        f.names(&format!("/api/v1/projects/{p}/search?q=okonkwo")).await?,
        vec!["photo-0.jpg"]
    );
    let page = f
        .app
        .get(
            &format!("/api/v1/projects/{p}/assets?detail=true&sort=name&dir=asc"),
            &f.owner,
        )
        .await?;
    assert_eq!(page.body["items"][1]["name"], "photo-0.jpg", "{}", page.text);
    assert_eq!(
        page.body["items"][1]["detail"]["fields"]["custom"]["shoot_day"],
        "Day 2"
    );

    // Removing an option clears it from assets; a field a smart collection uses cannot go.
    let r = f
        .send(
            Method::PATCH,
            &format!("/api/v1/fields/{day_id}"),
            json!({"options": ["Day 2", "Day 3"]}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let one = f.app.get(&format!("/api/v1/assets/{}", f.assets[1]), &f.owner).await?;
    assert!(one.body["fields"]["custom"].get("shoot_day").is_none(), "{}", one.text);
    let r = f
        .app
        .send(Method::DELETE, &format!("/api/v1/fields/{budget_id}"), None, &f.owner)
        .await?;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("Big day 2"), "{}", r.text);
    let r = f
        .app
        .send(Method::DELETE, &format!("/api/v1/fields/{day_id}"), None, &f.owner)
        .await?;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    // A field nothing filters by goes, and its values with it.
    let r = f
        .app
        .send(Method::DELETE, &format!("/api/v1/fields/{director_id}"), None, &f.owner)
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let one = f.app.get(&format!("/api/v1/assets/{}", f.assets[0]), &f.owner).await?;
    assert!(
        one.body["fields"]["custom"].get("art_director").is_none(),
        "{}",
        one.text
    );
    assert_eq!(one.body["fields"]["custom"]["budget"], 2500.0);
    assert_eq!(f.audit_count("field.create").await?, 4);
    Ok(())
}

#[tokio::test]
async fn ratings_and_status_stay_with_their_version() -> TestResult {
    let fixture = fixture().await?;
    let f = &fixture;
    let asset = &f.assets[2];
    let rate = |stars: i64| {
        let path = format!("/api/v1/assets/{asset}/rating");
        async move { f.send(Method::PUT, &path, json!({"rating": stars}), &f.commenter).await }
    };
    assert_eq!(rate(5).await?.status, StatusCode::OK);
    let r = f
        .send(
            Method::PUT,
            &format!("/api/v1/assets/{asset}/status"),
            json!({"status": "approved"}),
            &f.commenter,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let dir = tempfile::tempdir()?;
    let v2 = mf::photo(dir.path(), "photo-2-v2.jpg", &[])?;
    upload(
        &f.app,
        &f.owner,
        &f.project,
        "photo-2.jpg",
        &std::fs::read(v2)?,
        &[("asset_id", asset.as_str())],
    )
    .await?;
    f.app.run_jobs().await?;
    // v2 starts unrated and unreviewed; rating it leaves v1's rating alone.
    let review = format!("/api/v1/assets/{asset}/review");
    let r = f.app.get(&review, &f.owner).await?;
    assert_eq!(
        (r.body["rating"].clone(), r.body["status"].clone()),
        (json!(0), json!("needs_review")),
        "{}",
        r.text
    );
    assert_eq!(rate(2).await?.status, StatusCode::OK);
    let current = format!("/api/v1/assets/{asset}/current_version");
    let r = f.send(Method::PUT, &current, json!({"version": 1}), &f.owner).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = f.app.get(&review, &f.owner).await?;
    assert_eq!(
        (r.body["rating"].clone(), r.body["status"].clone()),
        (json!(5), json!("approved")),
        "{}",
        r.text
    );
    let r = f.send(Method::PUT, &current, json!({"version": 2}), &f.owner).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(f.app.get(&review, &f.owner).await?.body["rating"], 2);
    Ok(())
}

#[tokio::test]
async fn an_older_version_is_rated_and_reviewed_on_its_own() -> TestResult {
    let fixture = fixture().await?;
    let f = &fixture;
    let asset = &f.assets[1];
    let dir = tempfile::tempdir()?;
    let v2 = mf::photo(dir.path(), "photo-1-v2.jpg", &[])?;
    upload(
        &f.app,
        &f.owner,
        &f.project,
        "photo-1.jpg",
        &std::fs::read(v2)?,
        &[("asset_id", asset.as_str())],
    )
    .await?;
    f.app.run_jobs().await?;
    // v2 is current; rate and set the status of v1 without touching v2.
    let r = f
        .send(
            Method::PUT,
            &format!("/api/v1/assets/{asset}/rating"),
            json!({"rating": 4, "version": 1}),
            &f.commenter,
        )
        .await?;
    assert_eq!(
        (r.status, r.body["version"].clone(), r.body["rating"].clone()),
        (StatusCode::OK, json!(1), json!(4)),
        "{}",
        r.text
    );
    let r = f
        .send(
            Method::PUT,
            &format!("/api/v1/assets/{asset}/status"),
            json!({"status": "changes_requested", "version": 1}),
            &f.commenter,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let current = f
        .app
        .get(&format!("/api/v1/assets/{asset}/review"), &f.viewer)
        .await?
        .body;
    assert_eq!(
        (
            current["version"].clone(),
            current["rating"].clone(),
            current["status"].clone()
        ),
        (json!(2), json!(0), json!("needs_review"))
    );
    let old = f
        .app
        .get(&format!("/api/v1/assets/{asset}/review?version=1"), &f.viewer)
        .await?
        .body;
    assert_eq!(
        (old["rating"].clone(), old["status"].clone()),
        (json!(4), json!("changes_requested"))
    );
    // A version that does not exist, and a viewer, are refused.
    let r = f
        .send(
            Method::PUT,
            &format!("/api/v1/assets/{asset}/rating"),
            json!({"rating": 1, "version": 7}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = f
        .send(
            Method::PUT,
            &format!("/api/v1/assets/{asset}/rating"),
            json!({"rating": 1, "version": 1}),
            &f.viewer,
        )
        .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(f.audit_count("asset.rating").await?, 1);
    Ok(())
}
