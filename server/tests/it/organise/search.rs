//! Search by comment words and misspelled camera models.

use super::*;

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
