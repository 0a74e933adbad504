//! Guests comment through a review link: a range comment with a drawing under the name they
//! gave, seen by the members (attributed to the guest and the link, live and audited); guests
//! never see team-only comments, see only their own thread when the link hides others', and
//! are refused on links without comments, before unlocking, and once the link is revoked.

use crate::media_files as mf;
use crate::shares::{audit_count, Guest};
use crate::support::{TestApp, TestResult};
use crate::uploads::upload;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use http::{Method, StatusCode};
use serde_json::{json, Value};

fn arrow() -> Value {
    json!({"shapes": [{"tool": "arrow", "color": "#ff3b30", "width": 0.004, "points": [[0.2, 0.3, 0.5], [0.6, 0.7, 0.5]]}]})
}

#[tokio::test]
async fn guests_comment_through_a_link_and_members_see_it_attributed() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let project = app.project("Client cut", &owner).await?;
    let dir = tempfile::tempdir()?;
    let clip = mf::video(dir.path(), "clip.mp4", 1, "320x180", false)?;
    let video = upload(&app, &owner, &project, "clip.mp4", &std::fs::read(clip)?, &[]).await?;
    let photo_path = mf::photo(dir.path(), "still.jpg", &[])?;
    let photo = upload(&app, &owner, &project, "still.jpg", &std::fs::read(&photo_path)?, &[]).await?;
    let hidden = upload(&app, &owner, &project, "hidden.jpg", &std::fs::read(&photo_path)?, &[]).await?;
    app.run_jobs().await?;
    let comments_url = |asset: &str| format!("/api/v1/assets/{asset}/comments");
    let r = app
        .post(
            &comments_url(&video),
            json!({"body": "Team sees this", "frame_in": 2}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let private = app
        .post(
            &comments_url(&video),
            json!({"body": "Budget talk", "private": true}),
            &owner,
        )
        .await?;
    let private_id = private.body["id"].as_str().unwrap_or_default().to_owned();

    let r = app
        .post(
            "/api/v1/shares",
            json!({"project_id": project, "asset_ids": [video, photo], "name": "Client cut v1",
                   "password": "correct horse", "download": "none", "comments": true}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (link, token) = (
        r.body["id"].as_str().unwrap_or_default().to_owned(),
        r.body["token"].as_str().unwrap_or_default().to_owned(),
    );
    let guest_url = |asset: &str| format!("/api/v1/s/{token}/assets/{asset}/comments");
    let mut ana = Guest {
        app: &app,
        cookie: None,
    };

    // Before unlocking: nothing.
    let r = ana.send(Method::GET, &guest_url(&video), None).await?;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "unauthenticated"),
        "{}",
        r.text
    );
    let r = ana
        .send(Method::POST, &guest_url(&video), Some(json!({"body": "hi"})))
        .await?;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);

    // Unlocked: the team's public comment, never the team-only one.
    assert_eq!(
        ana.unlock(&token, Some("correct horse"), "Ana").await?.status,
        StatusCode::OK
    );
    let r = ana.send(Method::GET, &guest_url(&video), None).await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let bodies: Vec<&str> = r
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["body"].as_str())
        .collect();
    assert_eq!(bodies, ["Team sees this"]);

    // A range comment with an arrow, as Ana; "team only" is not hers to set.
    let r = ana
        .send(
            Method::POST,
            &guest_url(&video),
            Some(json!({"body": "Trim <b>this</b> part", "frame_in": 5, "frame_out": 12, "annotation": arrow(), "private": true})),
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let mine = r.body.clone();
    assert_eq!(mine["author"]["name"], "Ana");
    assert_eq!(mine["guest"], true);
    assert_eq!(mine["private"], false);
    assert!(mine.get("via_link").is_none(), "the link's name is the team's: {mine}");
    assert_eq!([&mine["frame_in"], &mine["frame_out"]], [&json!(5), &json!(12)]);
    assert!(
        mine["body_html"].as_str().unwrap_or_default().contains("&lt;b&gt;"),
        "{mine}"
    );
    // A pin on the photo; a reply to the team's comment.
    let r = ana
        .send(
            Method::POST,
            &guest_url(&photo),
            Some(json!({"body": "Warmer here", "x": 0.5, "y": 0.25})),
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // Refused: outside the link, frames beyond the clip, replies to what guests cannot see,
    // and member routes.
    let r = ana
        .send(Method::POST, &guest_url(&hidden), Some(json!({"body": "x"})))
        .await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = ana
        .send(
            Method::POST,
            &guest_url(&video),
            Some(json!({"body": "x", "frame_in": 9999})),
        )
        .await?;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_input"),
        "{}",
        r.text
    );
    let r = ana
        .send(
            Method::POST,
            &guest_url(&video),
            Some(json!({"body": "x", "parent_id": private_id})),
        )
        .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = ana
        .send(Method::POST, &comments_url(&video), Some(json!({"body": "x"})))
        .await?;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);

    // The members see it: Ana, a guest, through "Client cut v1", drawing intact.
    let r = app.get(&comments_url(&video), &owner).await?;
    let theirs = r
        .body
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == mine["id"])
        .cloned()
        .unwrap_or_default();
    assert_eq!(theirs["author"]["name"], "Ana");
    assert_eq!(theirs["guest"], true);
    assert_eq!(theirs["via_link"], "Client cut v1");
    assert_eq!(theirs["annotation"], mine["annotation"]);
    assert_eq!(theirs["annotation"]["shapes"][0]["tool"], "arrow");

    // Live: one comment.created event with no account behind it, carrying the comment.
    use domain::schema::{audit_events, events};
    let mut conn = AsyncPgConnection::establish(&app.db.url).await?;
    let published: Vec<(Option<uuid::Uuid>, Value)> = events::table
        .filter(events::kind.eq("comment.created"))
        .filter(events::actor_id.is_null())
        .select((events::actor_id, events::payload))
        .load(&mut conn)
        .await?;
    assert_eq!(published.len(), 2, "the video and the photo comment");
    assert!(published
        .iter()
        .any(|(_, p)| p["comment"]["id"] == mine["id"] && p["comment"]["author"]["name"] == "Ana"));
    // Audited as the guest of that link.
    let rows: Vec<Value> = audit_events::table
        .filter(audit_events::action.eq("comment.create"))
        .filter(audit_events::actor_id.is_null())
        .select(audit_events::detail)
        .load(&mut conn)
        .await?;
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|d| d["guest"] == "Ana" && d["share_id"] == link.as_str()),
        "{rows:?}"
    );

    // A link that hides others' comments: Ben sees his own thread (and the team's reply to
    // it), not Ana's or the team's.
    let r = app
        .post(
            "/api/v1/shares",
            json!({"project_id": project, "asset_ids": [video], "download": "none", "comments": true, "show_comments": false}),
            &owner,
        )
        .await?;
    let quiet = r.body["token"].as_str().unwrap_or_default().to_owned();
    let mut ben = Guest {
        app: &app,
        cookie: None,
    };
    assert_eq!(ben.unlock(&quiet, None, "Ben").await?.status, StatusCode::OK);
    let quiet_url = format!("/api/v1/s/{quiet}/assets/{video}/comments");
    let r = ben.send(Method::GET, &quiet_url, None).await?;
    assert_eq!(r.body, json!([]));
    let r = ben
        .send(Method::POST, &quiet_url, Some(json!({"body": "Music too loud"})))
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let bens = r.body["id"].clone();
    let r = app
        .post(
            &comments_url(&video),
            json!({"body": "Will fix", "parent_id": bens}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = ben.send(Method::GET, &quiet_url, None).await?;
    let bodies: Vec<&str> = r
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["body"].as_str())
        .collect();
    assert_eq!(bodies, ["Music too loud", "Will fix"]);
    // Ana's link shows everyone's (but Ben's thread is on another link: still public).
    let r = ana.send(Method::GET, &guest_url(&video), None).await?;
    assert_eq!(r.body.as_array().map(Vec::len), Some(4), "{}", r.text);

    // A link without comments refuses them.
    let r = app
        .post(
            "/api/v1/shares",
            json!({"project_id": project, "asset_ids": [video], "download": "none", "comments": false}),
            &owner,
        )
        .await?;
    let mute = r.body["token"].as_str().unwrap_or_default().to_owned();
    let mut cleo = Guest {
        app: &app,
        cookie: None,
    };
    assert_eq!(cleo.unlock(&mute, None, "Cleo").await?.status, StatusCode::OK);
    let r = cleo
        .send(
            Method::POST,
            &format!("/api/v1/s/{mute}/assets/{video}/comments"),
            Some(json!({"body": "x"})),
        )
        .await?;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"), "{}", r.text);

    // The guest's review page renders the review screen without project internals.
    let r = ana
        .send(Method::GET, &format!("/s/{token}/assets/{video}"), None)
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("data-test-id=\"review-screen\""), "{}", r.text);
    assert!(r.text.contains("Trim &lt;b&gt;this&lt;/b&gt; part"));
    assert!(!r.text.contains("Budget talk") && !r.text.contains(&project));

    // Revoked: comments neither read nor written.
    let r = app
        .send(Method::DELETE, &format!("/api/v1/shares/{link}"), None, &owner)
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    for (method, body) in [(Method::GET, None), (Method::POST, Some(json!({"body": "late"})))] {
        let r = ana.send(method, &guest_url(&video), body).await?;
        assert_eq!((r.status, r.code()), (StatusCode::GONE, "gone"), "{}", r.text);
    }
    assert_eq!(audit_count(&app, "comment.create").await?, 6);
    Ok(())
}
