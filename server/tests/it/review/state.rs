//! Ratings, labels, status and approvals through the REST API: who may set them, what they
//! do to each other, and the audit row each change writes.

use super::fixture;
use crate::support::TestResult;
use http::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn rating_label_status_and_approvals_follow_the_roles() -> TestResult {
    let f = fixture().await?;
    let p = &f.photo;
    let base = format!("/api/v1/assets/{p}");
    // Commenter rates, labels, sets status and approves.
    let r = f
        .put(&format!("{base}/rating"), json!({"rating": 5}), &f.commenter)
        .await?;
    assert_eq!(
        (r.status, r.body["rating"].as_i64()),
        (StatusCode::OK, Some(5)),
        "{}",
        r.text
    );
    let r = f
        .put(&format!("{base}/label"), json!({"label": "green"}), &f.commenter)
        .await?;
    assert_eq!(r.body["label"], "green");
    let r = f
        .put(
            &format!("{base}/status"),
            json!({"status": "in_progress"}),
            &f.commenter,
        )
        .await?;
    assert_eq!(r.body["status"], "in_progress");
    let r = f
        .app
        .send(Method::POST, &format!("{base}/approvals"), None, &f.commenter)
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "approved");
    assert_eq!(r.body["approvals"][0]["user"]["name"], "Cleo Commenter");
    assert_eq!(r.body["approvals"][0]["version"], 1);
    // The asset itself shows it.
    let a = f.app.get(&base, &f.viewer).await?;
    assert_eq!(
        (a.body["rating"].as_i64(), &a.body["label"], &a.body["review_status"]),
        (Some(5), &json!("green"), &json!("approved"))
    );
    // Withdrawing the only approval reopens the status.
    let r = f
        .app
        .post(&format!("{base}/approvals"), json!({"approved": false}), &f.commenter)
        .await?;
    assert_eq!(
        (r.body["status"].as_str(), r.body["approvals"].as_array().map(Vec::len)),
        (Some("in_progress"), Some(0))
    );
    // Reject, clear, bad values.
    let r = f
        .put(&format!("{base}/rating"), json!({"rating": -1}), &f.editor)
        .await?;
    assert_eq!(r.body["rating"], -1);
    for (path, body) in [
        ("rating", json!({"rating": 6})),
        ("rating", json!({"rating": "five"})),
        ("rating", json!({})),
        ("label", json!({"label": "purple"})),
        ("status", json!({"status": "done"})),
    ] {
        let r = f.put(&format!("{base}/{path}"), body, &f.owner).await?;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::BAD_REQUEST, "invalid_input"),
            "{path}: {}",
            r.text
        );
    }
    let r = f
        .put(&format!("{base}/label"), json!({"label": null}), &f.owner)
        .await?;
    assert_eq!(r.body["label"], Value::Null);
    // Viewers: 403 on every change, and nothing changed.
    for (method, path, body) in [
        (Method::PUT, "rating", json!({"rating": 3})),
        (Method::PUT, "label", json!({"label": "red"})),
        (Method::PUT, "status", json!({"status": "approved"})),
        (Method::POST, "approvals", json!({})),
    ] {
        let r = f
            .app
            .send(method, &format!("{base}/{path}"), Some(body), &f.viewer)
            .await?;
        assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"), "{path}");
    }
    let r = f.app.get(&format!("{base}/review"), &f.viewer).await?;
    assert_eq!((r.body["rating"].as_i64(), &r.body["label"]), (Some(-1), &Value::Null));
    // Commenters cannot upload.
    let r = crate::uploads::create(
        &f.app,
        &f.commenter,
        3,
        &crate::uploads::metadata("x.jpg", &f.project, &[]),
    )
    .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    // Strangers see nothing.
    let (stranger, _) = f.app.signup("zed@example.com", "Zed").await?;
    let r = f
        .put(&format!("{base}/rating"), json!({"rating": 1}), &stranger)
        .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = f
        .app
        .get(&format!("/api/v1/assets/{}/comments", f.video), &stranger)
        .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The audit log has every change with before and after.
    let events = f.audit(p).await?;
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "asset.upload",
            "asset.rating",
            "asset.label",
            "asset.status",
            "asset.approve",
            "asset.unapprove",
            "asset.rating",
            "asset.label"
        ]
    );
    assert_eq!(events[1].detail, json!({"before": 0, "after": 5, "picked": false}));
    Ok(())
}
