//! `/api/v1/ws` over a real socket: events from the outbox reach subscribers, a dropped
//! socket resumes from its last event exactly once, removed members stop hearing, bad
//! messages get error frames, origins and roles are checked, presence, cursors and review
//! sessions travel between people.

use crate::media_files as mf;
use crate::support::{As, TestApp, TestResult};
use crate::uploads::upload;
use crate::ws_client::Ws;
use http::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

struct Room {
    app: TestApp,
    base: String,
    owner: As,
    editor: As,
    editor_id: String,
    project: String,
    photo: String,
}

/// A project with an owner, an editor and one photo, served with a live hub.
async fn room_with(settings: domain::settings::Settings) -> anyhow::Result<Room> {
    let objects = tempfile::tempdir()?;
    let config = domain::storage::StorageConfig::Local(objects.path().to_path_buf());
    let app = TestApp::with_storage(&config, settings).await?;
    // The objects directory must outlive the app: leak it into the test's lifetime.
    std::mem::forget(objects);
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (editor, editor_id) = app.signup("ed@example.com", "Ed Editor").await?;
    let project = app.project("Live", &owner).await?;
    app.add_member(&owner, &project, "ed@example.com", "editor").await?;
    let dir = tempfile::tempdir()?;
    let path = mf::photo(dir.path(), "still.jpg", &[])?;
    let photo = upload(&app, &owner, &project, "still.jpg", &std::fs::read(path)?, &[]).await?;
    let base = app.serve_live().await?;
    Ok(Room {
        app,
        base,
        owner,
        editor,
        editor_id,
        project,
        photo,
    })
}

async fn room() -> anyhow::Result<Room> {
    room_with(domain::settings::Settings::default()).await
}

impl Room {
    /// The origin a browser on this server sends.
    fn origin(&self) -> String {
        self.base.clone()
    }

    async fn socket(&self, who: &As) -> anyhow::Result<Ws> {
        Ws::open(&self.base, who, Some(&self.origin())).await
    }

    async fn comment(&self, who: &As, body: &str) -> anyhow::Result<Value> {
        let r = self
            .app
            .post(
                &format!("/api/v1/assets/{}/comments", self.photo),
                json!({"body": body}),
                who,
            )
            .await?;
        anyhow::ensure!(r.status == StatusCode::CREATED, "{}", r.text);
        Ok(r.body)
    }
}

#[tokio::test]
async fn changes_reach_every_subscriber_as_events() -> TestResult {
    let r = room().await?;
    let mut ed = r.socket(&r.editor).await?;
    let ack = ed.subscribe(&r.project, Some(&r.photo), None).await?;
    assert_eq!(ack["type"], "subscribed", "{ack}");
    assert!(
        ack["last_event_id"].as_i64().unwrap_or(0) > 0,
        "the upload already wrote events"
    );

    let started = Instant::now();
    let c = r.comment(&r.owner, "Lovely light, @ed").await?;
    let e = ed.event("comment.created").await?;
    let latency = started.elapsed();
    assert_eq!(e["project_id"], r.project.as_str());
    assert_eq!(e["asset_id"], r.photo.as_str());
    assert_eq!(e["payload"]["comment"]["id"], c["id"]);
    assert_eq!(e["payload"]["comment"]["body"], "Lovely light, @ed");
    assert_eq!(e["payload"]["notified"], json!([r.editor_id]));
    assert!(e["id"].as_i64() > ack["last_event_id"].as_i64());
    println!("comment → socket: {latency:?}");

    let put = async |path: &str, body: Value| {
        let url = format!("/api/v1/assets/{}/{path}", r.photo);
        r.app.send(Method::PUT, &url, Some(body), &r.owner).await
    };
    put("rating", json!({"rating": 4})).await?;
    assert_eq!(ed.event("rating.changed").await?["payload"]["review"]["rating"], 4);
    put("label", json!({"label": "green"})).await?;
    assert_eq!(ed.event("label.changed").await?["payload"]["review"]["label"], "green");
    put("status", json!({"status": "changes_requested"})).await?;
    assert_eq!(
        ed.event("status.changed").await?["payload"]["review"]["status"],
        "changes_requested"
    );

    // Reactions carry who reacted, so each client works out its own `mine`.
    let cid = c["id"].as_str().unwrap_or_default();
    r.app
        .post(
            &format!("/api/v1/comments/{cid}/reactions"),
            json!({"emoji": "👍"}),
            &r.editor,
        )
        .await?;
    let e = ed.event("reaction.changed").await?;
    assert_eq!(e["payload"]["comment"]["reactions"][0]["users"], json!([r.editor_id]));
    assert_eq!(e["payload"]["comment"]["reactions"][0]["mine"], false);
    r.app
        .post(&format!("/api/v1/comments/{cid}/resolve"), json!({}), &r.editor)
        .await?;
    assert_eq!(
        ed.event("comment.resolved").await?["payload"]["comment"]["resolved"],
        true
    );
    r.app
        .send(Method::DELETE, &format!("/api/v1/comments/{cid}"), None, &r.owner)
        .await?;
    assert_eq!(ed.event("comment.deleted").await?["payload"]["comment_id"], cid);

    // Event ids only grow.
    let ids: Vec<i64> = ed
        .seen
        .iter()
        .filter(|v| v["type"] == "event")
        .filter_map(|v| v["id"].as_i64())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    Ok(())
}

#[tokio::test]
async fn a_dropped_socket_resumes_from_its_last_event_exactly_once() -> TestResult {
    let r = room().await?;
    let mut ed = r.socket(&r.editor).await?;
    ed.subscribe(&r.project, Some(&r.photo), None).await?;
    r.comment(&r.owner, "before the drop").await?;
    let last = ed.event("comment.created").await?["id"].as_i64().unwrap_or(0);
    ed.close().await?;

    for n in 1..=3 {
        r.comment(&r.owner, &format!("while away {n}")).await?;
    }
    let mut ed = r.socket(&r.editor).await?;
    ed.subscribe(&r.project, Some(&r.photo), Some(last)).await?;
    let mut bodies = Vec::new();
    while bodies.len() < 3 {
        let e = ed.event("comment.created").await?;
        bodies.push(e["payload"]["comment"]["body"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(bodies, ["while away 1", "while away 2", "while away 3"]);
    // And nothing twice: a new comment is the next one.
    r.comment(&r.owner, "after").await?;
    let e = ed.event("comment.created").await?;
    assert_eq!(e["payload"]["comment"]["body"], "after");
    let created = ed.seen.iter().filter(|v| v["kind"] == "comment.created").count();
    assert_eq!(created, 4);
    Ok(())
}

#[tokio::test]
async fn a_long_or_purged_gap_is_answered_with_refetch() -> TestResult {
    let r = room().await?;
    for n in 0..=model::live::MAX_REPLAY {
        let mut conn = domain::db::conn(&r.app.db.pool).await?;
        let e = domain::events::NewEvent::about(
            r.project.parse()?,
            None,
            None,
            model::live::kind::MEMBER_UPDATED,
            json!({ "n": n }),
        )?;
        domain::events::publish(&mut conn, e).await?;
    }
    let mut ed = r.socket(&r.editor).await?;
    ed.subscribe(&r.project, None, Some(0)).await?;
    let refetch = ed.of_type("refetch").await?;
    assert_eq!(refetch["project_id"], r.project.as_str());
    Ok(())
}

#[tokio::test]
async fn a_removed_member_stops_receiving_the_projects_events() -> TestResult {
    let r = room().await?;
    let mut ed = r.socket(&r.editor).await?;
    ed.subscribe(&r.project, None, None).await?;
    r.comment(&r.owner, "you can see this").await?;
    ed.event("comment.created").await?;

    let removed = r
        .app
        .send(
            Method::DELETE,
            &format!("/api/v1/projects/{}/members/{}", r.project, r.editor_id),
            None,
            &r.owner,
        )
        .await?;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text);
    let gone = ed.of_type("unsubscribed").await?;
    assert_eq!(gone["project_id"], r.project.as_str());

    r.comment(&r.owner, "secret from now on").await?;
    let later = ed.drain(Duration::from_millis(1500)).await?;
    assert!(
        later.iter().all(|v| v["type"] != "event"),
        "a removed member still heard: {later:#?}"
    );
    // And cannot subscribe again.
    let again = ed.subscribe(&r.project, None, None).await?;
    assert_eq!(again["code"], "not_found");
    Ok(())
}

#[tokio::test]
async fn sockets_check_authentication_origin_and_membership() -> TestResult {
    let r = room().await?;
    let anonymous = Ws::connect(&r.base, &As::Anonymous, Some(&r.origin())).await?;
    assert_eq!(anonymous.err().map(|e| e.status), Some(401));
    let foreign = Ws::connect(&r.base, &r.editor, Some("https://evil.example")).await?;
    let refused = foreign
        .err()
        .ok_or_else(|| anyhow::anyhow!("a foreign origin was accepted"))?;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("csrf_failed"), "{}", refused.body);

    // A token client needs no Origin.
    let created = r.app.post("/api/v1/tokens", json!({"name": "bot"}), &r.editor).await?;
    let token = As::Bearer(created.body["secret"].as_str().unwrap_or_default().to_owned());
    let mut bot = Ws::open(&r.base, &token, None).await?;
    assert_eq!(bot.subscribe(&r.project, None, None).await?["type"], "subscribed");

    // A stranger's project is not found, and so is a made-up one.
    let (stranger, _) = r.app.signup("sam@example.com", "Sam Stranger").await?;
    let mut s = r.socket(&stranger).await?;
    assert_eq!(s.subscribe(&r.project, None, None).await?["code"], "not_found");
    assert_eq!(
        s.subscribe("00000000-0000-0000-0000-000000000000", None, None).await?["code"],
        "not_found"
    );
    // An asset of another project is refused.
    let other = r.app.project("Other", &r.owner).await?;
    let mut owner = r.socket(&r.owner).await?;
    assert_eq!(
        owner.subscribe(&other, Some(&r.photo), None).await?["code"],
        "not_found"
    );
    Ok(())
}

#[tokio::test]
async fn bad_messages_get_error_frames_and_the_socket_stays_open() -> TestResult {
    let settings = domain::settings::Settings {
        live_writes_per_minute: 5,
        ..Default::default()
    };
    let r = room_with(settings).await?;
    let mut ed = r.socket(&r.editor).await?;
    ed.send_raw("not json".into()).await?;
    assert_eq!(ed.of_type("error").await?["code"], "invalid_message");
    ed.send(json!({"type": "shout", "project_id": r.project})).await?;
    assert_eq!(ed.of_type("error").await?["code"], "invalid_message");
    ed.send_raw(format!(
        r#"{{"type":"presence","project_id":"{}","state":"{}"}}"#,
        r.project,
        "x".repeat(20_000)
    ))
    .await?;
    assert_eq!(ed.of_type("error").await?["code"], "too_large");
    ed.send(json!({"type": "cursor", "project_id": r.project, "asset_id": r.photo, "x": 0.5, "y": 0.5}))
        .await?;
    assert_eq!(
        ed.of_type("error").await?["code"],
        "invalid_input",
        "cursor before subscribing"
    );
    ed.subscribe(&r.project, Some(&r.photo), None).await?;
    ed.send(json!({"type": "cursor", "project_id": r.project, "asset_id": r.photo, "x": 3.0, "y": 0.5}))
        .await?;
    assert_eq!(
        ed.of_type("error").await?["code"],
        "invalid_input",
        "cursor outside the picture"
    );

    // Writes are limited (5 a minute here, counting the subscribe above); cursors are not.
    // (Malformed and oversized messages above were refused before counting.)
    for _ in 0..6 {
        ed.send(json!({"type": "presence", "project_id": r.project, "state": "active"}))
            .await?;
    }
    let limited = ed.until("rate limit", |v| v["code"] == "rate_limited").await?;
    assert!(limited["message"].as_str().unwrap_or("").contains("too many"));
    for i in 0..30 {
        ed.send(
            json!({"type": "cursor", "project_id": r.project, "asset_id": r.photo, "x": f64::from(i) / 30.0, "y": 0.5}),
        )
        .await?;
    }
    // Still open and served: an event arrives.
    r.comment(&r.owner, "still there?").await?;
    ed.event("comment.created").await?;
    // Subscribe + 6 presence messages = 7 writes against 5 a minute: two refused, no cursor.
    let limited = ed.seen.iter().filter(|v| v["code"] == "rate_limited").count();
    assert_eq!(limited, 2, "{:#?}", ed.seen);
    Ok(())
}

#[tokio::test]
async fn presence_cursors_and_playheads_travel_between_people() -> TestResult {
    let r = room().await?;
    let mut olga = r.socket(&r.owner).await?;
    olga.subscribe(&r.project, Some(&r.photo), None).await?;
    let mut ed = r.socket(&r.editor).await?;
    ed.subscribe(&r.project, Some(&r.photo), None).await?;
    let both = |v: &Value| {
        v["type"] == "presence"
            && v["users"].as_array().is_some_and(|u| {
                u.len() == 2
                    && u.iter()
                        .all(|p| p["asset_id"] == r.photo.as_str() && p["state"] == "active")
            })
    };
    olga.until("both present", both).await?;
    ed.until("both present", both).await?;

    ed.send(json!({"type": "presence", "project_id": r.project, "state": "idle"}))
        .await?;
    let idle = olga
        .until("ed idle", |v| {
            v["type"] == "presence"
                && v["users"]
                    .as_array()
                    .is_some_and(|u| u.iter().any(|p| p["name"] == "Ed Editor" && p["state"] == "idle"))
        })
        .await?;
    assert_eq!(idle["project_id"], r.project.as_str());

    // Twenty pointer moves in a burst arrive coalesced, ending where the pointer ended.
    for i in 0..20 {
        ed.send(json!({"type": "cursor", "project_id": r.project, "asset_id": r.photo, "x": f64::from(i) / 20.0, "y": 0.25}))
            .await?;
    }
    let last = olga
        .until("final cursor", |v| v["type"] == "cursor" && v["x"] == 0.95)
        .await?;
    assert_eq!(last["name"], "Ed Editor");
    let cursors = olga.seen.iter().filter(|v| v["type"] == "cursor").count();
    assert!(cursors < 20, "{cursors} cursor messages for 20 moves: not coalesced");
    assert!(
        ed.seen.iter().all(|v| v["type"] != "cursor"),
        "a pointer echoed to its own socket"
    );
    ed.send(json!({"type": "playhead", "project_id": r.project, "asset_id": r.photo, "frame": 12, "playing": false}))
        .await?;
    assert_eq!(olga.of_type("playhead").await?["frame"], 12);

    // Leaving takes Ed off the list.
    ed.close().await?;
    olga.until("ed gone", |v| {
        v["type"] == "presence"
            && v["users"]
                .as_array()
                .is_some_and(|u| u.len() == 1 && u[0]["name"] == "Olga Owner")
    })
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_review_session_is_driven_by_its_presenter_only() -> TestResult {
    let r = room().await?;
    let mut olga = r.socket(&r.owner).await?;
    olga.subscribe(&r.project, Some(&r.photo), None).await?;
    let mut ed = r.socket(&r.editor).await?;
    ed.subscribe(&r.project, Some(&r.photo), None).await?;
    // No session yet.
    assert_eq!(ed.of_type("session").await?["session"], Value::Null);

    olga.send(json!({"type": "session", "project_id": r.project, "action": "start"}))
        .await?;
    let started = ed
        .until("a session", |v| v["type"] == "session" && !v["session"].is_null())
        .await?;
    assert_eq!(started["session"]["presenter_name"], "Olga Owner");
    olga.send(json!({"type": "session_state", "project_id": r.project,
        "state": {"asset_id": r.photo, "frame": 42, "playing": false, "zoom": 2.0, "pan_x": -0.25, "pan_y": 0.1}}))
        .await?;
    let s = ed
        .until("frame 42", |v| {
            v["type"] == "session" && v["session"]["state"]["frame"] == 42
        })
        .await?;
    assert_eq!(s["session"]["state"]["zoom"], 2.0);

    // A follower cannot drive, nor take over while the presenter is here.
    ed.send(json!({"type": "session_state", "project_id": r.project, "state": {"frame": 1}}))
        .await?;
    assert_eq!(ed.of_type("error").await?["code"], "forbidden");
    ed.send(json!({"type": "session", "project_id": r.project, "action": "start"}))
        .await?;
    assert_eq!(ed.of_type("error").await?["code"], "conflict");

    // A late joiner lands on the current state.
    let mut late = r.socket(&r.editor).await?;
    late.subscribe(&r.project, None, None).await?;
    assert_eq!(late.of_type("session").await?["session"]["state"]["frame"], 42);

    // Hand over: now Ed drives and Olga follows.
    olga.send(json!({"type": "session", "project_id": r.project, "action": "handover", "to": r.editor_id}))
        .await?;
    ed.until("ed presents", |v| {
        v["type"] == "session" && v["session"]["presenter_name"] == "Ed Editor"
    })
    .await?;
    ed.send(json!({"type": "session_state", "project_id": r.project, "state": {"asset_id": r.photo, "frame": 7, "playing": true}}))
        .await?;
    olga.until("frame 7", |v| {
        v["type"] == "session" && v["session"]["state"]["frame"] == 7
    })
    .await?;
    ed.send(json!({"type": "session", "project_id": r.project, "action": "end"}))
        .await?;
    olga.until("ended", |v| v["type"] == "session" && v["session"].is_null())
        .await?;
    Ok(())
}
