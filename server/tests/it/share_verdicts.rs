//! Guests approve or ask for changes through a link that allows it: the asset's status
//! follows, the members see who said it through which link (the guest sees only their own),
//! the uploader is told, every verdict is audited; links without approvals, locked links and
//! revoked links refuse, and a revoked link keeps the verdicts given through it.

use crate::shares::{audit_count, Guest};
use crate::support::{TestApp, TestResult};
use crate::uploads::upload;
use http::{Method, StatusCode};
use serde_json::{json, Value};

async fn link(app: &TestApp, owner: &crate::support::As, body: Value) -> anyhow::Result<(String, String)> {
    let r = app.post("/api/v1/shares", body, owner).await?;
    anyhow::ensure!(r.status == StatusCode::CREATED, "{}", r.text);
    let s = |k: &str| r.body[k].as_str().unwrap_or_default().to_owned();
    Ok((s("id"), s("token")))
}

#[tokio::test]
async fn guests_approve_and_request_changes_through_a_link() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (ed, _) = app.signup("ed@example.com", "Ed Editor").await?;
    let project = app.project("Lookbook", &owner).await?;
    app.add_member(&owner, &project, "ed@example.com", "editor").await?;
    let dir = tempfile::tempdir()?;
    let photo = crate::media_files::photo(dir.path(), "look.jpg", &[])?;
    // Ed uploads: he is the one told of verdicts.
    let asset = upload(&app, &ed, &project, "look.jpg", &std::fs::read(&photo)?, &[]).await?;
    app.run_jobs().await?;
    let (link_id, token) = link(
        &app,
        &owner,
        json!({"project_id": project, "asset_ids": [asset], "name": "Client round 1", "approvals": true}),
    )
    .await?;
    let (_, plain) = link(
        &app,
        &owner,
        json!({"project_id": project, "asset_ids": [asset], "name": "No verdicts"}),
    )
    .await?;
    let verdict = |t: &str| format!("/api/v1/s/{t}/assets/{asset}/verdict");

    let mut ana = Guest {
        app: &app,
        cookie: None,
    };
    // Before giving a name: refused.
    let r = ana
        .send(Method::PUT, &verdict(&token), Some(json!({"verdict": "approved"})))
        .await?;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "unauthenticated"),
        "{}",
        r.text
    );
    assert_eq!(ana.unlock(&token, None, "Ana").await?.status, StatusCode::OK);

    // Changes requested: the status follows; the guest sees their own verdict, no e-mail.
    let r = ana
        .send(
            Method::PUT,
            &verdict(&token),
            Some(json!({"verdict": "changes_requested"})),
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "changes_requested");
    assert_eq!(r.body["guest_verdicts"][0]["verdict"], "changes_requested");
    assert_eq!(r.body["guest_verdicts"][0]["name"], "Ana");
    assert!(r.body["guest_verdicts"][0]["email"].is_null(), "{}", r.body);
    assert_eq!(r.body["approvals"], json!([]));

    // Then approved (replacing the first verdict, not adding one).
    let r = ana
        .send(Method::PUT, &verdict(&token), Some(json!({"verdict": "approved"})))
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "approved");
    assert_eq!(r.body["guest_verdicts"].as_array().map(Vec::len), Some(1));

    // A second guest through the same link sees only their own (none yet).
    let mut bo = Guest {
        app: &app,
        cookie: None,
    };
    assert_eq!(bo.unlock(&token, None, "Bo").await?.status, StatusCode::OK);
    let r = bo
        .send(Method::PUT, &verdict(&token), Some(json!({"verdict": null})))
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["guest_verdicts"], json!([]));

    // The members see it: who, their e-mail, which link.
    let r = app.get(&format!("/api/v1/assets/{asset}/review"), &owner).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = &r.body["guest_verdicts"];
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{}", r.text);
    assert_eq!(
        [
            &v[0]["name"],
            &v[0]["email"],
            &v[0]["link_name"],
            &v[0]["verdict"],
            &v[0]["version"]
        ],
        [
            &json!("Ana"),
            &json!("ana@client.example"),
            &json!("Client round 1"),
            &json!("approved"),
            &json!(1)
        ]
    );
    assert_eq!(r.body["status"], "approved");

    // The uploader is told of both; the link's maker too.
    for who in [&ed, &owner] {
        let r = app.get("/api/v1/notifications", who).await?;
        let kinds: Vec<&str> = r
            .body
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["kind"].as_str())
            .collect();
        assert!(kinds.contains(&"approval") && kinds.contains(&"status"), "{kinds:?}");
        assert!(r.text.contains("Ana (Client round 1) approved look.jpg"), "{}", r.text);
    }
    assert_eq!(audit_count(&app, "asset.guest_approved").await?, 1);
    assert_eq!(audit_count(&app, "asset.guest_changes_requested").await?, 1);

    // Withdrawn: the last approval gone, the asset is back in progress.
    let r = ana
        .send(Method::PUT, &verdict(&token), Some(json!({"verdict": null})))
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "in_progress");
    assert_eq!(r.body["guest_verdicts"], json!([]));
    assert_eq!(
        audit_count(&app, "asset.guest_withdraw").await?,
        1,
        "withdrawing nothing is not an act"
    );
    let r = ana
        .send(Method::PUT, &verdict(&token), Some(json!({"verdict": "approved"})))
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // A link without approvals refuses; a bad verdict is a clear 400.
    let mut cy = Guest {
        app: &app,
        cookie: None,
    };
    assert_eq!(cy.unlock(&plain, None, "Cy").await?.status, StatusCode::OK);
    let r = cy
        .send(Method::PUT, &verdict(&plain), Some(json!({"verdict": "approved"})))
        .await?;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"), "{}", r.text);
    let r = ana
        .send(Method::PUT, &verdict(&token), Some(json!({"verdict": "maybe"})))
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    // Revoked: refused, and the verdict given through it stays on record.
    let r = app
        .send(Method::DELETE, &format!("/api/v1/shares/{link_id}"), None, &owner)
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = ana
        .send(Method::PUT, &verdict(&token), Some(json!({"verdict": null})))
        .await?;
    assert_eq!((r.status, r.code()), (StatusCode::GONE, "gone"), "{}", r.text);
    let r = app.get(&format!("/api/v1/assets/{asset}/review"), &owner).await?;
    assert_eq!(r.body["guest_verdicts"][0]["name"], "Ana", "{}", r.text);
    assert_eq!(r.body["status"], "approved");
    Ok(())
}
